//! The one shape errors take on their way to the UI: `{code, message, field?}`. The core's errors
//! are mapped here once; the UI switches on `code` and shows `message` as it is (plain words,
//! never a secret, a response body or a query string).

use serde::Serialize;

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct IpcError {
    pub code: String,
    pub message: String,
    /// For `input.invalid`: the settings key the message is about, e.g. `token_url`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

impl IpcError {
    pub fn new(code: &str, message: impl Into<String>) -> Self {
        Self {
            code: code.into(),
            message: message.into(),
            field: None,
        }
    }
}

impl From<thanks_core::Error> for IpcError {
    fn from(e: thanks_core::Error) -> Self {
        let field = match &e {
            thanks_core::Error::InvalidInput { field, .. } => Some(field.clone()),
            _ => None,
        };
        Self {
            code: e.code().into(),
            message: e.to_string(),
            field,
        }
    }
}

impl From<thanks_core::vault::StoreError> for IpcError {
    fn from(e: thanks_core::vault::StoreError) -> Self {
        thanks_core::Error::from(e).into()
    }
}

pub type IpcResult<T> = Result<T, IpcError>;
