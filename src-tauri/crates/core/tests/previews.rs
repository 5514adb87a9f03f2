//! Preview images fetched for the console's thumbnails, over real loopback HTTP: the sandbox's
//! own preview PNG comes back as a data URL; a little server of the test's own checks that no
//! credential goes with the request and that non-images, errors and oversized answers are
//! refused in plain words.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};

use thanks_core::previews::{MAX_IMAGE_BYTES, fetch_image, preview_urls};
use thanks_sandbox::{Sandbox, SandboxConfig};
use url::Url;

/// Serves `(content type, body, status)` once per connection, keeping each request's head.
fn serve(answers: Vec<(&'static str, Vec<u8>, u16)>) -> (Url, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = Url::parse(&format!("http://{}/", listener.local_addr().unwrap())).unwrap();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let heads = seen.clone();
    std::thread::spawn(move || {
        for (kind, body, status) in answers {
            let Ok((mut stream, _)) = listener.accept() else {
                return;
            };
            let mut head = Vec::new();
            let mut byte = [0u8; 1];
            while !head.ends_with(b"\r\n\r\n") && stream.read(&mut byte).unwrap_or(0) == 1 {
                head.push(byte[0]);
            }
            heads
                .lock()
                .unwrap()
                .push(String::from_utf8_lossy(&head).into_owned());
            let _ = write!(
                stream,
                "HTTP/1.1 {status} X\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = stream.write_all(&body);
        }
    });
    (base, seen)
}

#[tokio::test]
async fn the_sandboxs_preview_comes_back_as_a_png_data_url() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let body = format!(
        r#"{{"success":true,"data":{{"previews":["{}/previews/order-7-front.png"]}}}}"#,
        sandbox.base_url()
    );
    let urls = preview_urls(body.as_bytes());
    assert_eq!(urls.len(), 1);
    let data = fetch_image(&urls[0]).await.unwrap();
    assert!(
        data.starts_with("data:image/png;base64,iVBORw0KGgo"),
        "{}",
        &data[..40.min(data.len())]
    );
}

#[tokio::test]
async fn no_credential_goes_along_and_only_real_images_come_back() {
    let png = b"\x89PNG\r\n\x1a\nrest-of-a-png".to_vec();
    let (base, seen) = serve(vec![
        ("image/png", png.clone(), 200),
        (
            "image/png",
            br#"{"message":"Unauthenticated."}"#.to_vec(),
            200,
        ),
        ("image/svg+xml", b"<svg onload='x()'/>".to_vec(), 200),
        ("text/html", b"<h1>Not found</h1>".to_vec(), 404),
        ("image/png", vec![0u8; MAX_IMAGE_BYTES + 1], 200),
    ]);
    let url = base.join("p.png").unwrap();
    assert!(
        fetch_image(&url)
            .await
            .unwrap()
            .starts_with("data:image/png;base64,")
    );
    let err = |e: thanks_core::Error| (e.code(), e.to_string());
    let (code, text) = err(fetch_image(&url).await.unwrap_err());
    assert_eq!(code, "preview.image");
    assert!(
        text.contains("not a PNG, JPEG, GIF or WebP image"),
        "{text}"
    );
    let (_, text) = err(fetch_image(&url).await.unwrap_err());
    assert!(text.contains("not a PNG"), "an SVG came through: {text}");
    let (_, text) = err(fetch_image(&url).await.unwrap_err());
    assert!(text.contains("answered 404"), "{text}");
    let (_, text) = err(fetch_image(&url).await.unwrap_err());
    assert!(text.contains("larger than 8 MB"), "{text}");
    for head in seen.lock().unwrap().iter() {
        let lower = head.to_ascii_lowercase();
        assert!(!lower.contains("authorization"), "{head}");
        assert!(!lower.contains("cookie"), "{head}");
    }
}
