//! Preview thumbnails for the console. A send with `"preview": true` answers with image
//! addresses (`data.previews`); the window shows them as pictures without loosening its CSP
//! (`img-src 'self' data:`): Rust fetches each image and hands back a `data:` URL.
//!
//! Only addresses the answer itself returned are fetched (the caller passes the response body,
//! never a URL from the window), over http(s), without the bearer token or any other
//! credential (the images live on thanks.io's storage, not its API), at most
//! [`MAX_IMAGE_BYTES`] each, and only PNG, JPEG, GIF or WebP by their first bytes, whatever the
//! server calls them.

use std::time::Duration;

use base64::Engine as _;
use url::Url;

use crate::error::{Error, Result};

/// Images fetched from one answer.
pub const MAX_IMAGES: usize = 6;
/// Largest image fetched (thanks.io's renders are a few hundred KB).
pub const MAX_IMAGE_BYTES: usize = 8 * 1024 * 1024;
const TIMEOUT: Duration = Duration::from_secs(20);

/// The image addresses a preview answer returned (`data.previews`, or `previews` at the top),
/// http(s) without user info only, at most [`MAX_IMAGES`].
pub fn preview_urls(body: &[u8]) -> Vec<Url> {
    let Ok(json) = serde_json::from_slice::<serde_json::Value>(body) else {
        return Vec::new();
    };
    let list = json
        .pointer("/data/previews")
        .or_else(|| json.get("previews"))
        .and_then(|l| l.as_array());
    list.into_iter()
        .flatten()
        .filter_map(|u| u.as_str())
        .filter_map(|s| Url::parse(s).ok())
        .filter(|u| {
            matches!(u.scheme(), "http" | "https")
                && u.username().is_empty()
                && u.password().is_none()
        })
        .take(MAX_IMAGES)
        .collect()
}

/// What the first bytes say the image is; `None` for anything else (SVG included: it can
/// carry script).
pub fn sniff(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        Some("image/gif")
    } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some("image/webp")
    } else {
        None
    }
}

/// Fetches one image as a `data:` URL. Nothing but `Accept` goes with the request.
pub async fn fetch_image(url: &Url) -> Result<String> {
    let failed = |why: String| Error::PreviewImage(why);
    let mut builder = reqwest::Client::builder()
        .timeout(TIMEOUT)
        .redirect(reqwest::redirect::Policy::limited(3));
    // The sandbox serves its previews on loopback, which no proxy should see.
    if matches!(url.host_str(), Some("127.0.0.1" | "[::1]" | "localhost")) {
        builder = builder.no_proxy();
    }
    let client = builder
        .build()
        .map_err(|_| failed("the HTTP client could not start".into()))?;
    let mut response = client
        .get(url.clone())
        .header(
            reqwest::header::ACCEPT,
            "image/png, image/jpeg, image/gif, image/webp",
        )
        .send()
        .await
        .map_err(|e| {
            failed(if e.is_timeout() {
                "it took too long".into()
            } else {
                "it could not be reached".into()
            })
        })?;
    let status = response.status();
    if !status.is_success() {
        return Err(failed(format!("the server answered {}", status.as_u16())));
    }
    if response
        .content_length()
        .is_some_and(|n| n > MAX_IMAGE_BYTES as u64)
    {
        return Err(failed("it is larger than 8 MB".into()));
    }
    let mut bytes = Vec::new();
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|_| failed("the download broke off".into()))?
    {
        if bytes.len() + chunk.len() > MAX_IMAGE_BYTES {
            return Err(failed("it is larger than 8 MB".into()));
        }
        bytes.extend_from_slice(&chunk);
    }
    let mime =
        sniff(&bytes).ok_or_else(|| failed("it is not a PNG, JPEG, GIF or WebP image".into()))?;
    Ok(format!(
        "data:{mime};base64,{}",
        base64::engine::general_purpose::STANDARD.encode(&bytes)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_answers_own_http_addresses_are_taken() {
        let body = br#"{"data":{"previews":["https://cdn.example/a.png","javascript:alert(1)",
            "file:///etc/passwd","https://user:pw@cdn.example/b.png",42,"http://127.0.0.1:9/c.png"]}}"#;
        let got: Vec<String> = preview_urls(body).iter().map(Url::to_string).collect();
        assert_eq!(
            got,
            ["https://cdn.example/a.png", "http://127.0.0.1:9/c.png"]
        );
        assert_eq!(
            preview_urls(br#"{"previews":["https://x.test/p.png"]}"#).len(),
            1
        );
        assert!(preview_urls(b"not json").is_empty());
        assert!(preview_urls(br#"{"data":{"id":1}}"#).is_empty());
        let many = format!(
            r#"{{"data":{{"previews":[{}]}}}}"#,
            vec![r#""https://x.test/p.png""#; 20].join(",")
        );
        assert_eq!(preview_urls(many.as_bytes()).len(), MAX_IMAGES);
    }

    #[test]
    fn images_are_known_by_their_bytes() {
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n...."), Some("image/png"));
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0]), Some("image/jpeg"));
        assert_eq!(sniff(b"GIF89a..."), Some("image/gif"));
        assert_eq!(sniff(b"RIFF\0\0\0\0WEBPVP8 "), Some("image/webp"));
        assert_eq!(sniff(b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>"), None);
        assert_eq!(sniff(b"{\"message\":\"Unauthenticated.\"}"), None);
        assert_eq!(sniff(b""), None);
    }
}
