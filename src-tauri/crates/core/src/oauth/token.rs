//! The token endpoint: code exchange, refresh and (optional) revocation, and the parsing of
//! its answers.
//!
//! Requests are form-encoded POSTs with `client_id` and `client_secret` in the body, as thanks.io
//! documents. The HTTP client follows no redirects (a redirected POST would silently become a
//! GET, and credentials must not follow it elsewhere) and has connect and total timeouts. A
//! code is sent once: nothing here retries.

use std::time::Duration;

use serde_json::Value;

use crate::config::Profile;
use crate::error::{Error, Result, clean_server_text};
use crate::net::HttpClient;
use crate::secret::Secret;

/// What the token endpoint handed back.
#[derive(Debug, Clone)]
pub struct TokenSet {
    pub access_token: Secret,
    pub refresh_token: Option<Secret>,
    /// As sent, e.g. "Bearer"; checked to be bearer, case-insensitively.
    pub token_type: String,
    /// Seconds, if the server said.
    pub expires_in: Option<u64>,
    pub scope: Option<String>,
}

/// Token answers are small; anything bigger is not one.
const MAX_TOKEN_BODY: usize = 64 * 1024;

#[derive(Debug, Clone)]
pub struct TokenClient {
    http: HttpClient,
}

impl TokenClient {
    pub fn new(timeout: Duration) -> Self {
        let http = HttpClient::build(move |b| {
            b.redirect(reqwest::redirect::Policy::none())
                .connect_timeout(timeout.min(Duration::from_secs(10)))
                .timeout(timeout)
                .user_agent(concat!("ThanksConnect/", env!("CARGO_PKG_VERSION")))
        });
        Self { http }
    }

    pub async fn exchange_code(
        &self,
        profile: &Profile,
        client_secret: Option<&Secret>,
        code: &Secret,
        verifier: &Secret,
    ) -> Result<TokenSet> {
        let mut form = vec![
            ("grant_type", "authorization_code"),
            ("code", code.expose()),
            ("redirect_uri", profile.redirect_uri.as_str()),
            ("code_verifier", verifier.expose()),
        ];
        let secrets = [
            code.expose(),
            verifier.expose(),
            client_secret.map_or("", Secret::expose),
        ];
        form.push(("client_id", &profile.client_id));
        if let Some(s) = client_secret {
            form.push(("client_secret", s.expose()));
        }
        self.post(profile, &form, &secrets).await
    }

    pub async fn refresh(
        &self,
        profile: &Profile,
        client_secret: Option<&Secret>,
        refresh_token: &Secret,
    ) -> Result<TokenSet> {
        let mut form = vec![
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh_token.expose()),
            ("client_id", profile.client_id.as_str()),
        ];
        if let Some(s) = client_secret {
            form.push(("client_secret", s.expose()));
        }
        let secrets = [
            refresh_token.expose(),
            client_secret.map_or("", Secret::expose),
        ];
        self.post(profile, &form, &secrets).await
    }

    /// RFC 7009 revocation, best effort: used only when a profile configures an endpoint.
    pub async fn revoke(
        &self,
        profile: &Profile,
        client_secret: Option<&Secret>,
        token: &Secret,
        hint: &str,
    ) -> Result<()> {
        let Some(url) = &profile.revocation_url else {
            return Ok(());
        };
        let mut form = vec![
            ("token", token.expose()),
            ("token_type_hint", hint),
            ("client_id", profile.client_id.as_str()),
        ];
        if let Some(s) = client_secret {
            form.push(("client_secret", s.expose()));
        }
        let resp = self
            .http
            .for_url(url)
            .post(url.clone())
            .form(&form)
            .send()
            .await
            .map_err(|e| net_error(e, "the revocation endpoint"))?;
        if resp.status().is_success() {
            Ok(())
        } else {
            Err(Error::TokenHttp {
                status: resp.status().as_u16(),
            })
        }
    }

    async fn post(
        &self,
        profile: &Profile,
        form: &[(&str, &str)],
        secrets: &[&str],
    ) -> Result<TokenSet> {
        tracing::debug!(endpoint = %profile.token_url.path(), grant = form[0].1, "token request");
        let resp = self
            .http
            .for_url(&profile.token_url)
            .post(profile.token_url.clone())
            .header(reqwest::header::ACCEPT, "application/json")
            .form(form)
            .send()
            .await
            .map_err(|e| net_error(e, "thanks.io's token endpoint"))?;
        crate::crashpoint::reached(match form[0].1 {
            "authorization_code" => "login.code_sent",
            _ => "refresh.request_sent",
        })
        .await;
        let status = resp.status().as_u16();
        let body = read_capped(resp, MAX_TOKEN_BODY).await?;
        let result = parse_token_response(status, &body, secrets);
        match &result {
            Ok(_) => tracing::debug!(status, "token response accepted"),
            Err(e) => tracing::warn!(status, code = e.code(), "token request failed"),
        }
        result
    }
}

async fn read_capped(mut resp: reqwest::Response, cap: usize) -> Result<Vec<u8>> {
    let mut body = Vec::new();
    while let Some(chunk) = resp
        .chunk()
        .await
        .map_err(|e| net_error(e, "thanks.io's token endpoint"))?
    {
        if body.len() + chunk.len() > cap {
            return Err(Error::TokenMalformed(
                "the answer is far larger than a token answer",
            ));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// Maps a transport error to plain words, without the URL (it may carry a query).
pub(crate) fn net_error(e: reqwest::Error, what: &'static str) -> Error {
    if e.is_timeout() {
        return Error::Timeout { what };
    }
    let detail = if e.is_connect() {
        "the connection was refused or could not be made".to_string()
    } else {
        let root = {
            let mut cause: &dyn std::error::Error = &e;
            while let Some(next) = cause.source() {
                cause = next;
            }
            cause.to_string()
        };
        let text = e.without_url().to_string();
        if root == text {
            text
        } else {
            format!("{text} ({root})")
        }
    };
    Error::Network { what, detail }
}

/// Turns a token-endpoint answer into tokens or a typed error.
///
/// - Any JSON object with an `error` field is an error, whatever the status (a 200 carrying an
///   error is still an error).
/// - A non-JSON answer (an HTML error page from a proxy) is "thanks.io answered HTTP N".
/// - `expires_in` may be a number, a numeric string, or absent; unknown fields are ignored.
pub fn parse_token_response(status: u16, body: &[u8], secrets: &[&str]) -> Result<TokenSet> {
    let json: Option<serde_json::Map<String, Value>> = serde_json::from_slice(body).ok();
    let ok = (200..300).contains(&status);
    let Some(obj) = json else {
        return Err(if ok {
            Error::TokenMalformed("the answer was not JSON")
        } else {
            Error::TokenHttp { status }
        });
    };
    if let Some(code) = obj.get("error") {
        // A code is repeated in the message: one that carries a secret we sent is not a code.
        let code = code
            .as_str()
            .map(crate::error::clean_error_code)
            .filter(|c| !secrets.iter().any(|s| s.len() >= 4 && c.contains(s)))
            .unwrap_or_else(|| "unrecognised_error".into());
        let description = obj
            .get("error_description")
            .or_else(|| obj.get("message"))
            .and_then(Value::as_str)
            .and_then(|d| clean_server_text(d, secrets));
        return Err(Error::TokenRejected { code, description });
    }
    if !ok {
        return Err(Error::TokenHttp { status });
    }
    let access_token = match obj.get("access_token") {
        Some(Value::String(s)) if !s.is_empty() => Secret::new(s.clone()),
        _ => return Err(Error::TokenMalformed("it has no access_token")),
    };
    let token_type = match obj.get("token_type") {
        Some(Value::String(t)) if t.eq_ignore_ascii_case("bearer") => t.clone(),
        // RFC 6749 makes it required, but a missing one can only mean bearer here.
        None | Some(Value::Null) => "Bearer".into(),
        Some(_) => return Err(Error::TokenMalformed("its token_type is not Bearer")),
    };
    let expires_in = match obj.get("expires_in") {
        None | Some(Value::Null) => None,
        Some(Value::Number(n)) => Some(
            n.as_u64()
                .or_else(|| n.as_f64().filter(|f| *f >= 0.0).map(|f| f as u64))
                .ok_or(Error::TokenMalformed(
                    "its expires_in is not a positive number",
                ))?,
        ),
        Some(Value::String(s)) => Some(
            s.trim()
                .parse::<u64>()
                .map_err(|_| Error::TokenMalformed("its expires_in is not a number"))?,
        ),
        Some(_) => return Err(Error::TokenMalformed("its expires_in is not a number")),
    };
    let refresh_token = match obj.get("refresh_token") {
        Some(Value::String(s)) if !s.is_empty() => Some(Secret::new(s.clone())),
        _ => None,
    };
    let scope = obj
        .get("scope")
        .and_then(Value::as_str)
        .map(str::to_string)
        .filter(|s| !s.is_empty());
    Ok(TokenSet {
        access_token,
        refresh_token,
        token_type,
        expires_in,
        scope,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(body: &str) -> TokenSet {
        parse_token_response(200, body.as_bytes(), &[]).unwrap()
    }
    fn err(status: u16, body: &str) -> Error {
        parse_token_response(status, body.as_bytes(), &["s3cret"]).unwrap_err()
    }

    #[test]
    fn parses_passport_style_answers() {
        let t = ok(
            r#"{"token_type":"Bearer","expires_in":31536000,"access_token":"a","refresh_token":"r"}"#,
        );
        assert_eq!(t.access_token.expose(), "a");
        assert_eq!(t.refresh_token.unwrap().expose(), "r");
        assert_eq!(t.expires_in, Some(31_536_000));
        assert_eq!(t.token_type, "Bearer");
    }

    #[test]
    fn lenient_where_servers_differ() {
        let t = ok(
            r#"{"token_type":"bearer","expires_in":"3600","access_token":"a","id_token":"x.y.z","scope":"read"}"#,
        );
        assert_eq!(t.expires_in, Some(3600));
        assert_eq!(t.scope.as_deref(), Some("read"));
        assert!(t.refresh_token.is_none());
        let t = ok(r#"{"access_token":"a"}"#);
        assert_eq!((t.expires_in, t.token_type.as_str()), (None, "Bearer"));
        assert_eq!(
            ok(r#"{"access_token":"a","expires_in":59.9}"#).expires_in,
            Some(59)
        );
    }

    #[test]
    fn errors_are_typed() {
        let e = err(
            400,
            r#"{"error":"invalid_grant","error_description":"The refresh token is invalid.","hint":"Token has been revoked"}"#,
        );
        assert_eq!(e.code(), "token.invalid_grant");
        assert!(e.to_string().contains("The refresh token is invalid."));
        assert_eq!(
            err(
                401,
                r#"{"error":"invalid_client","message":"Client authentication failed"}"#
            )
            .code(),
            "token.invalid_client"
        );
        assert_eq!(
            err(200, r#"{"error":"server_error"}"#).code(),
            "token.rejected",
            "a 200 with an error body is an error"
        );
        assert_eq!(
            err(502, "<!doctype html><h1>Bad gateway</h1>").to_string(),
            "thanks.io answered HTTP 502 instead of tokens; try again in a moment"
        );
        assert_eq!(
            err(500, r#"{"message":"Server Error"}"#).code(),
            "token.http_status"
        );
        assert_eq!(err(200, "<html>").code(), "token.malformed");
        assert_eq!(err(200, r#"{"data": ["#).code(), "token.malformed");
        assert_eq!(
            err(200, r#"{"token_type":"mac","access_token":"a"}"#).code(),
            "token.malformed"
        );
        assert_eq!(
            err(200, r#"{"access_token":"a","expires_in":"soon"}"#).code(),
            "token.malformed"
        );
        assert_eq!(err(200, r#"{"expires_in":3600}"#).code(), "token.malformed");
    }

    #[test]
    fn secrets_echoed_by_the_server_are_masked() {
        let e = err(
            400,
            r#"{"error":"invalid_client","error_description":"bad secret s3cret"}"#,
        );
        assert!(!e.to_string().contains("s3cret"));
        let e = err(400, r#"{"error":"<b>x</b>"}"#);
        assert!(e.to_string().contains("unrecognised_error"));
    }

    /// Found by the token_response fuzz target: a secret echoed as the `error` code itself
    /// passed the code check (it is a short ASCII token) and reached the message.
    #[test]
    fn a_secret_echoed_as_the_error_code_is_not_repeated() {
        for body in [
            r#"{"error":"s3cret"}"#,
            r#"{"error":"bad_s3cret_here","error_description":"x"}"#,
        ] {
            let e = err(400, body);
            assert!(!e.to_string().contains("s3cret"), "{e}");
            assert_eq!(e.code(), "token.rejected");
        }
    }
}
