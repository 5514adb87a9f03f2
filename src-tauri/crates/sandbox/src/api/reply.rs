//! How `/api/v2` handlers answer: JSON success bodies, the error shapes of THANKSIO_API.md §3.1,
//! request-body and query parsing.

use std::collections::HashMap;
use std::convert::Infallible;

use axum::Json;
use axum::extract::FromRequestParts;
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};

use super::validate::Bag;

pub(crate) type ApiResult = Result<Response, ApiError>;

#[derive(Debug)]
pub(crate) enum ApiError {
    /// 422 `{"message":"The given data was invalid.","errors":{field:[…]}}`
    Invalid(Bag),
    /// Any other status with its body.
    Status(StatusCode, Value),
}

impl ApiError {
    /// `{"message": …}` with the given status, thanks.io's most common error shape.
    pub(crate) fn message(status: StatusCode, message: impl Into<String>) -> Self {
        Self::Status(status, json!({ "message": message.into() }))
    }

    pub(crate) fn bad_request(message: impl Into<String>) -> Self {
        Self::message(StatusCode::BAD_REQUEST, message)
    }

    pub(crate) fn not_found() -> Self {
        Self::message(StatusCode::NOT_FOUND, "Not Found")
    }

    /// A 422 about a single field.
    pub(crate) fn field(field: &str, message: impl Into<String>) -> Self {
        let mut bag = Bag::default();
        bag.add(field, message);
        Self::Invalid(bag)
    }
}

impl From<Bag> for ApiError {
    fn from(bag: Bag) -> Self {
        Self::Invalid(bag)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        match self {
            Self::Invalid(bag) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                Json(json!({ "message": "The given data was invalid.", "errors": bag.to_json() })),
            )
                .into_response(),
            Self::Status(status, body) => (status, Json(body)).into_response(),
        }
    }
}

pub(crate) fn ok(body: Value) -> ApiResult {
    Ok(Json(body).into_response())
}

pub(crate) fn created(body: Value) -> ApiResult {
    Ok((StatusCode::CREATED, Json(body)).into_response())
}

/// Parses a JSON request body. Empty means `{}` (Laravel treats it so); anything that isn't JSON
/// is a 400 rather than a cascade of "field is required" errors.
pub(crate) fn json_body(body: &[u8]) -> Result<Value, ApiError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Value::Object(Map::new()));
    }
    serde_json::from_slice(body)
        .map_err(|_| ApiError::bad_request("The request body is not valid JSON."))
}

/// A JSON body that must be an object.
pub(crate) fn object_body(body: &[u8]) -> Result<Map<String, Value>, ApiError> {
    match json_body(body)? {
        Value::Object(map) => Ok(map),
        _ => Err(ApiError::bad_request(
            "The request body must be a JSON object.",
        )),
    }
}

/// A path id; anything that isn't a positive integer can't name a record, so it's a 404.
pub(crate) fn path_id(raw: &str) -> Result<u64, ApiError> {
    raw.parse::<u64>()
        .ok()
        .filter(|id| *id > 0)
        .ok_or_else(ApiError::not_found)
}

/// Query parameters, parsed leniently (a malformed query is never an error in Laravel).
#[derive(Debug, Default)]
pub(crate) struct Params(pub HashMap<String, String>);

impl Params {
    /// A parameter that is present and non-empty.
    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.0
            .get(name)
            .map(String::as_str)
            .filter(|v| !v.trim().is_empty())
    }

    /// An optional positive id filter such as `sub_account_id`; garbage is a 422.
    pub(crate) fn id(&self, name: &str) -> Result<Option<u64>, ApiError> {
        match self.get(name) {
            None => Ok(None),
            Some(raw) => raw.trim().parse::<u64>().map(Some).map_err(|_| {
                ApiError::field(
                    name,
                    format!("The {} must be an integer.", name.replace('_', " ")),
                )
            }),
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Params {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let query = parts.uri.query().unwrap_or_default();
        Ok(Self(
            url::form_urlencoded::parse(query.as_bytes())
                .into_owned()
                .collect(),
        ))
    }
}
