//! Masking of what the history stores. It runs inside `History::record` on every entry, whatever
//! the caller already did: credential headers keep only their scheme, credential query
//! parameters and body fields keep only their name, user info and fragments leave URLs.

use std::borrow::Cow;

use thanks_core::redact::mask_header;
use thanks_core::secret::MASK;
use url::Url;
use url::form_urlencoded;

/// Query and form parameters whose values are credentials.
const SECRET_PARAMS: [&str; 9] = [
    "access_token",
    "refresh_token",
    "id_token",
    "client_secret",
    "client_assertion",
    "code",
    "code_verifier",
    "password",
    "api_key",
];

/// JSON fields whose string values are credentials. Not `code`: thanks.io's own bodies use it
/// for things that are not secret.
const SECRET_FIELDS: [&str; 7] = [
    "access_token",
    "refresh_token",
    "id_token",
    "client_secret",
    "client_assertion",
    "code_verifier",
    "password",
];

fn is_secret_param(name: &str) -> bool {
    SECRET_PARAMS.iter().any(|p| p.eq_ignore_ascii_case(name))
}

pub(crate) fn headers(headers: &[(String, String)]) -> Vec<(String, String)> {
    headers
        .iter()
        .map(|(k, v)| (k.clone(), mask_header(k, v)))
        .collect()
}

/// The URL without user info, fragment, or credential parameter values. Text that isn't a URL
/// (a path that failed to resolve) keeps only what comes before any `?` or `#`.
pub(crate) fn url(text: &str) -> String {
    let Ok(mut url) = Url::parse(text.trim()) else {
        let end = text.find(['?', '#']).unwrap_or(text.len());
        return text[..end].to_string();
    };
    let _ = url.set_username("");
    let _ = url.set_password(None);
    url.set_fragment(None);
    let query = url.query().map(|q| query(q).into_owned());
    url.set_query(None);
    // Appended by hand so the mask stays readable instead of percent-encoded.
    match query {
        Some(q) => format!("{url}?{q}"),
        None => url.to_string(),
    }
}

/// `a=1&access_token=xyz` → `a=1&access_token=••••••`; other pairs untouched, byte for byte.
pub(crate) fn query(q: &str) -> Cow<'_, str> {
    let secret = |piece: &str| {
        form_urlencoded::parse(piece.as_bytes())
            .next()
            .is_some_and(|(k, _)| is_secret_param(&k))
    };
    if !q.split('&').any(secret) {
        return Cow::Borrowed(q);
    }
    let masked: Vec<String> = q
        .split('&')
        .map(|piece| {
            if secret(piece) {
                let name = piece.split_once('=').map_or(piece, |(k, _)| k);
                format!("{name}={MASK}")
            } else {
                piece.to_string()
            }
        })
        .collect();
    Cow::Owned(masked.join("&"))
}

/// Masks credential values in a body or a message: JSON string fields by name, and
/// `name=value` parameters wherever they appear (a form body, a URL inside JSON or HTML, an
/// error message). Works on cut text too, so truncation can't defeat it.
pub(crate) fn body(text: &str) -> Cow<'_, str> {
    match json_fields(text) {
        Cow::Borrowed(t) => params_anywhere(t),
        Cow::Owned(t) => Cow::Owned(params_anywhere(&t).into_owned()),
    }
}

/// `…access_token=xyz&…` → `…access_token=••••••&…` anywhere in free text, for every name in
/// [`SECRET_PARAMS`], case-insensitively. The value ends at `&`, whitespace, a quote, `#`, `<`,
/// `>`, `,`, `;`, `)` or the end.
fn params_anywhere(text: &str) -> Cow<'_, str> {
    let lower = text.to_ascii_lowercase();
    let mut ranges = Vec::new();
    for name in SECRET_PARAMS {
        let needle = format!("{name}=");
        for (at, _) in lower.match_indices(&needle) {
            let starts_name = lower[..at]
                .chars()
                .next_back()
                .is_none_or(|c| !(c.is_alphanumeric() || matches!(c, '_' | '-' | '.')));
            if !starts_name {
                continue;
            }
            let start = at + needle.len();
            let len = text[start..]
                .find(|c: char| {
                    c.is_whitespace()
                        || matches!(c, '&' | '"' | '\'' | '#' | '<' | '>' | ',' | ';' | ')')
                })
                .unwrap_or(text.len() - start);
            if len > 0 && &text[start..start + len] != MASK {
                ranges.push((start, start + len));
            }
        }
    }
    replace_ranges(text, ranges)
}
/// `"access_token": "…"` → `"access_token": "••••••"` for every field in [`SECRET_FIELDS`],
/// case-insensitively, leaving the rest of the text exactly as it was.
fn json_fields(text: &str) -> Cow<'_, str> {
    // ASCII lower-casing keeps byte offsets, so positions found in `lower` apply to `text`.
    let lower = text.to_ascii_lowercase();
    let bytes = text.as_bytes();
    let mut ranges: Vec<(usize, usize)> = Vec::new();
    for field in SECRET_FIELDS {
        let needle = format!("\"{field}\"");
        let mut from = 0;
        while let Some(found) = lower[from..].find(&needle) {
            let mut i = from + found + needle.len();
            // The next name may open with this one's closing quote (`"f"f": "v"`).
            from = i - 1;
            let skip_ws = |i: &mut usize| {
                while *i < bytes.len() && bytes[*i].is_ascii_whitespace() {
                    *i += 1;
                }
            };
            skip_ws(&mut i);
            if bytes.get(i) != Some(&b':') {
                continue;
            }
            i += 1;
            skip_ws(&mut i);
            if bytes.get(i) != Some(&b'"') {
                continue;
            }
            let start = i + 1;
            let mut end = text.len();
            let mut escaped = false;
            for (at, c) in text[start..].char_indices() {
                match c {
                    _ if escaped => escaped = false,
                    '\\' => escaped = true,
                    '"' => {
                        end = start + at;
                        break;
                    }
                    _ => {}
                }
            }
            ranges.push((start, end));
            from = end;
        }
    }
    replace_ranges(text, ranges)
}

/// `text` with each byte range replaced by [`MASK`] (overlapping ranges count once).
fn replace_ranges(text: &str, mut ranges: Vec<(usize, usize)>) -> Cow<'_, str> {
    if ranges.is_empty() {
        return Cow::Borrowed(text);
    }
    ranges.sort_unstable();
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for (start, end) in ranges {
        if start < last {
            continue;
        }
        out.push_str(&text[last..start]);
        out.push_str(MASK);
        last = end;
    }
    out.push_str(&text[last..]);
    Cow::Owned(out)
}

/// `s` cut to at most `max` bytes on a character boundary.
pub(crate) fn cut_str(s: &str, max: usize) -> (&str, bool) {
    if s.len() <= max {
        return (s, false);
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    (&s[..end], true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn masks_credential_parameters_only() {
        assert_eq!(
            url("https://api.thanks.io/api/v2/x?a=1&access_token=t0k&Code=c0de&b=%20+#frag"),
            "https://api.thanks.io/api/v2/x?a=1&access_token=••••••&Code=••••••&b=%20+"
        );
        assert_eq!(
            url("https://u:p4ss@api.thanks.io/x?client_secret=s&refresh%5Ftoken=r"),
            "https://api.thanks.io/x?client_secret=••••••&refresh%5Ftoken=••••••"
        );
        assert_eq!(url("https://api.thanks.io/x"), "https://api.thanks.io/x");
        assert_eq!(url("not a url?access_token=t0k"), "not a url");
        assert_eq!(url("/relative#access_token=t0k"), "/relative");
    }

    #[test]
    fn masks_body_fields() {
        let j = r#"{"Access_Token" : "t0k\"en", "n": 1, "refresh_token":"r", "code":"x"}"#;
        assert_eq!(
            body(j),
            r#"{"Access_Token" : "••••••", "n": 1, "refresh_token":"••••••", "code":"x"}"#
        );
        assert_eq!(body(r#"{"password":"\é\""}"#), r#"{"password":"••••••"}"#);
        // Cut in the middle of a value.
        assert_eq!(body(r#"{"password": "hunt"#), r#"{"password": "••••••"#);
        assert_eq!(
            body("grant_type=refresh_token&refresh_token=r&client_secret=s"),
            "grant_type=refresh_token&refresh_token=••••••&client_secret=••••••"
        );
        assert_eq!(
            body(r#"{"next": "https://x/?page=2&access_token=t0k", "n": "my_code=1"}"#),
            r#"{"next": "https://x/?page=2&access_token=••••••", "n": "my_code=1"}"#
        );
        assert_eq!(
            body("couldn't reach https://x/?Code=abc (timed out)"),
            "couldn't reach https://x/?Code=•••••• (timed out)"
        );
        assert!(matches!(body("plain text, code = 3"), Cow::Borrowed(_)));
    }

    /// Found by the `history_mask` fuzz target: a field name right after text that ends with
    /// the same quoted name shares its opening quote with that text, and the search for the
    /// next field began after the shared quote, so the value stayed in the history.
    #[test]
    fn a_field_sharing_its_quote_with_the_text_before_is_masked() {
        assert_eq!(
            body(r#"x "access_token"access_token": "t0k" y"#),
            r#"x "access_token"access_token": "••••••" y"#
        );
        assert_eq!(
            body(r#""password""password": "hunter2""#),
            r#""password""password": "••••••""#
        );
    }

    #[test]
    fn cuts_on_char_boundaries() {
        assert_eq!(cut_str("héllo", 2), ("h", true));
        assert_eq!(cut_str("héllo", 3), ("hé", true));
        assert_eq!(cut_str("abc", 3), ("abc", false));
    }

    proptest! {
        #[test]
        fn a_token_in_any_url_position_is_masked(
            token in "[A-Za-z0-9._~-]{12,40}",
            name in prop::sample::select(SECRET_PARAMS.to_vec()),
            before in "[a-z0-9=&]{0,12}",
            after in "[a-z0-9=&]{0,12}",
            upper in any::<bool>(),
        ) {
            let name = if upper { name.to_ascii_uppercase() } else { name.to_string() };
            let u = format!("https://api.thanks.io/x?{before}&{name}={token}&{after}");
            prop_assert!(!url(&u).contains(&token));
            let b = format!("{{\"{name}\": \"{token}\"}}");
            // `code` and `api_key` are parameters, not JSON fields worth masking.
            if SECRET_FIELDS.iter().any(|f| f.eq_ignore_ascii_case(&name)) {
                prop_assert!(!body(&b).contains(&token));
            }
            let form = format!("{before}&{name}={token}&{after}");
            prop_assert!(!body(&form).contains(&token));
        }
    }
}
