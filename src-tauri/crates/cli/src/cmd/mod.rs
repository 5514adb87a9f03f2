//! One module per command family; each is a thin adapter over the engine.

pub mod call;
pub mod doctor;
pub mod endpoints;
pub mod login;
pub mod profile;
pub mod sandbox;
pub mod setup;
pub mod status;
pub mod support;

/// Reads one line from stdin (a secret or token typed or piped in), without the newline.
pub fn read_stdin_line(what: &str) -> thanks_core::Result<thanks_core::Secret> {
    let mut line = String::new();
    std::io::stdin()
        .read_line(&mut line)
        .map_err(|e| thanks_core::Error::InvalidInput {
            field: what.to_string(),
            problem: format!("couldn't read it from stdin ({e})"),
        })?;
    let value = line.trim_end_matches(['\r', '\n']).trim().to_string();
    if value.is_empty() {
        return Err(thanks_core::Error::InvalidInput {
            field: what.to_string(),
            problem: "stdin was empty".into(),
        });
    }
    Ok(thanks_core::Secret::new(value))
}
