//! Criterion micro-benchmarks of the core's hot small steps (scripts/bench.sh runs them and
//! reports criterion's estimates): validating a callback address, parsing a token response,
//! and masking the headers of a request and its response, as every console call does.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use thanks_core::oauth::callback::Callback;
use thanks_core::oauth::token::parse_token_response;
use thanks_core::redact::mask_header;
use url::Url;

/// A callback as thanks.io sends it back: a 40-character code and a 43-character state.
const CALLBACK: &str = "dev.thanksconnect.app://oauth/callback?code=def50200a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6&state=Q2hhbmdlIGlzIHRoZSBvbmx5IGNvbnN0YW50LiBBbmQ";

/// A token response shaped like Laravel Passport's (thanks.io's): JWT access token, long refresh.
fn token_body() -> Vec<u8> {
    let jwt = format!(
        "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.{}.{}",
        "a".repeat(600),
        "b".repeat(342)
    );
    serde_json::json!({
        "token_type": "Bearer",
        "expires_in": 31_536_000,
        "access_token": jwt,
        "refresh_token": format!("def50200{}", "c".repeat(700)),
    })
    .to_string()
    .into_bytes()
}

/// The headers one console call shows: the request's and a typical API response's.
fn headers() -> Vec<(String, String)> {
    [
        ("Accept", "application/json"),
        (
            "Authorization",
            "Bearer eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.payload.signature",
        ),
        ("Content-Type", "application/json"),
        ("User-Agent", "ThanksConnect/0.1.0"),
        ("server", "nginx"),
        ("content-type", "application/json"),
        ("cache-control", "no-cache, private"),
        ("date", "Tue, 02 Dec 2025 10:00:00 GMT"),
        ("x-ratelimit-limit", "60"),
        ("x-ratelimit-remaining", "59"),
        ("set-cookie", "laravel_session=abc123; path=/; httponly"),
        ("access-control-allow-origin", "*"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}

fn benches(c: &mut Criterion) {
    let redirect = Url::parse("dev.thanksconnect.app://oauth/callback").expect("a URL");
    c.bench_function("callback validation", |b| {
        b.iter(|| {
            let cb = Callback::parse(black_box(CALLBACK)).expect("a valid callback");
            cb.check_matches(&redirect).expect("the redirect URI");
            cb
        })
    });
    let body = token_body();
    c.bench_function("token response parsing", |b| {
        b.iter(|| parse_token_response(200, black_box(&body), &[]).expect("tokens"))
    });
    let headers = headers();
    c.bench_function("redaction of a call's headers", |b| {
        b.iter(|| {
            black_box(&headers)
                .iter()
                .map(|(k, v)| mask_header(k, v))
                .collect::<Vec<_>>()
        })
    });
}

criterion_group!(micro, benches);
criterion_main!(micro);
