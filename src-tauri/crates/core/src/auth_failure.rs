//! Which API answers mean "your token is no good" rather than "you may not do this".
//!
//! thanks.io's spec documents a bad or expired token as 403 `{"message":"Unauthorized"}` on most
//! endpoints, 401 on estimates, and 401 `{"status":"failed","errors":["Unauthorized"]}` on order
//! items and gift-card invalidation; Laravel Passport's own guard answers 401
//! `{"message":"Unauthenticated."}`. Every 401 and exactly those 403 bodies are an expired
//! token (refresh once, retry once). Any other 403 is a permission error: refreshing would spend
//! a rotating refresh token for nothing, so it is shown as it came.

use serde_json::Value;

/// Whether an API answer says the access token was not accepted.
pub fn means_expired_token(status: u16, body: &[u8]) -> bool {
    match status {
        401 => true,
        403 => serde_json::from_slice::<Value>(body).is_ok_and(|v| is_unauthenticated_body(&v)),
        _ => false,
    }
}

fn is_unauthenticated_body(v: &Value) -> bool {
    let Some(obj) = v.as_object() else {
        return false;
    };
    let message = obj.get("message").and_then(Value::as_str);
    let only_message =
        obj.len() == 1 && matches!(message, Some("Unauthorized" | "Unauthenticated."));
    let failed_unauthorized = obj.len() == 2
        && obj.get("status").and_then(Value::as_str) == Some("failed")
        && obj
            .get("errors")
            .and_then(Value::as_array)
            .is_some_and(|e| e.len() == 1 && e[0] == "Unauthorized");
    only_message || failed_unauthorized
}

#[cfg(test)]
mod tests {
    use super::means_expired_token;

    #[test]
    fn the_documented_shapes_and_any_401_mean_an_expired_token() {
        for (status, body) in [
            (403, r#"{"message":"Unauthorized"}"#),
            (401, r#"{"message":"Unauthorized"}"#),
            (401, r#"{"status":"failed","errors":["Unauthorized"]}"#),
            (403, r#"{"status":"failed","errors":["Unauthorized"]}"#),
            (401, r#"{"message":"Unauthenticated."}"#),
            (403, r#"{"message":"Unauthenticated."}"#),
            (401, "<html>401</html>"),
            (401, ""),
        ] {
            assert!(
                means_expired_token(status, body.as_bytes()),
                "{status} {body}"
            );
        }
    }

    #[test]
    fn other_403s_are_permission_errors() {
        for body in [
            r#"{"message":"This action is unauthorized."}"#,
            r#"{"message":"Webhooks require a paid subscription"}"#,
            r#"{"message":"Unauthorized","detail":"sub-account 7 is not yours"}"#,
            r#"{"status":"failed","errors":["Unauthorized","Forbidden"]}"#,
            r#"["Unauthorized"]"#,
            "<html>403 Forbidden</html>",
            "",
        ] {
            assert!(!means_expired_token(403, body.as_bytes()), "{body}");
        }
        assert!(!means_expired_token(200, br#"{"message":"Unauthorized"}"#));
        assert!(!means_expired_token(404, br#"{"message":"Unauthorized"}"#));
    }
}
