//! The crate's one error type. Only starting a sandbox can fail; everything after that is an
//! HTTP answer, not a Rust error.

/// Why a sandbox could not start.
#[derive(Debug, thiserror::Error)]
pub enum SandboxError {
    #[error("the sandbox could not listen on 127.0.0.1:{port} ({source}); pick another port or 0")]
    Bind {
        port: u16,
        #[source]
        source: std::io::Error,
    },
    #[error("invalid sandbox configuration: {0}")]
    InvalidConfig(String),
}

impl SandboxError {
    /// A stable code for callers that switch on the kind of failure.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Bind { .. } => "sandbox.bind",
            Self::InvalidConfig(_) => "sandbox.invalid_config",
        }
    }
}
