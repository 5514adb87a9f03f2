//! The cURL parser (`parse_curl`, the console's *Paste cURL*) and the export it must read
//! back (`to_curl`).
//!
//! Two modes, chosen by the first byte:
//! - import: any text, with credentials planted at a fuzzed place (an `Authorization` or
//!   `Cookie` header, `-u`, `--oauth2-bearer`, user info in the URL). Never panics; no
//!   credential header is imported; no error message and no "not imported" note quotes a
//!   credential.
//! - round trip: any request the console can send, exported (token as placeholder, omitted or
//!   included) and read back: same method, URL, headers and body, and the real token only in
//!   the export that asked for it.

#![no_main]

use arbitrary::{Arbitrary, Unstructured};
use libfuzzer_sys::fuzz_target;
use thanks_core::api::{RequestSpec, resolve_url};
use thanks_core::curl::{TokenInCurl, parse_curl, to_curl};
use thanks_core::redact::is_sensitive_header;
use thanks_core::secret::Secret;
use url::Url;

/// Not a header name, not a method, not option-shaped: it can only reach an output by being
/// echoed.
const CANARY: &str = "Cq:CANARY/tok-4e1b9";

const PLANTS: [&str; 6] = [
    " -H 'Authorization: Bearer Cq:CANARY/tok-4e1b9' ",
    " --header \"Cookie: session=Cq:CANARY/tok-4e1b9\" ",
    " -u 'user:Cq:CANARY/tok-4e1b9' ",
    " --oauth2-bearer Cq:CANARY/tok-4e1b9 ",
    " -HProxy-Authorization:Cq:CANARY/tok-4e1b9 ",
    " 'https://me:Cq:CANARY%2Ftok-4e1b9@api.thanks.io/api/v2/ping' ",
];

fn base() -> Url {
    Url::parse("https://api.thanks.io/api/v2").unwrap()
}

fn import(data: &[u8]) {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest);
    let at = usize::from(pick) * text.len() / 256;
    let at = (0..=at)
        .rev()
        .find(|i| text.is_char_boundary(*i))
        .unwrap_or(0);
    let plant = PLANTS[usize::from(pick) % PLANTS.len()];
    let cmd = format!("curl {}{plant}{}", &text[..at], &text[at..]);
    match parse_curl(&cmd) {
        Err(e) => assert!(
            !e.to_string().contains(CANARY),
            "an error quoted a credential"
        ),
        Ok(parsed) => {
            for note in &parsed.unsupported {
                assert!(!note.contains(CANARY), "a note quoted a credential: {note}");
            }
            for (name, _) in &parsed.headers {
                assert!(!is_sensitive_header(name), "imported a {name} header");
            }
            let url = Url::parse(&parsed.url).expect("the imported URL is a URL");
            assert!(url.username().is_empty() && url.password().is_none());
            for (name, _) in &parsed.to_spec(&base()).headers {
                assert!(!is_sensitive_header(name));
            }
        }
    }
}

#[derive(Debug, Arbitrary)]
struct Request {
    method: String,
    path: String,
    query: Vec<(String, String)>,
    headers: Vec<(String, String)>,
    body: Option<String>,
    token: u8,
}

fn round_trip(data: &[u8]) {
    let Ok(mut r) = Request::arbitrary_take_rest(Unstructured::new(data)) else {
        return;
    };
    // What the console's own request editor produces: distinct, non-credential extra headers
    // (Accept and Content-Type are the engine's), a path without query or fragment.
    let mut seen = std::collections::HashSet::new();
    r.headers.retain(|(k, _)| {
        !is_sensitive_header(k)
            && !k.eq_ignore_ascii_case("accept")
            && !k.eq_ignore_ascii_case("content-type")
            && seen.insert(k.to_ascii_lowercase())
    });
    if r.path.contains(['?', '#']) {
        return;
    }
    let spec = RequestSpec {
        method: r.method,
        path: r.path,
        query: r.query,
        headers: r.headers,
        body: r.body,
    };
    let b = base();
    let Ok(want) = resolve_url(&b, &spec.path, &spec.query) else {
        return;
    };
    let token = Secret::new(CANARY);
    let mode = match r.token % 3 {
        0 => TokenInCurl::Placeholder,
        1 => TokenInCurl::Omit,
        _ => TokenInCurl::Include(&token),
    };
    // Refusals (a method that isn't a token, a line break in a header, a NUL) are fine.
    let Ok(cmd) = to_curl(&spec, &b, mode) else {
        return;
    };
    assert_eq!(
        cmd.contains(CANARY),
        r.token % 3 == 2,
        "the token's presence"
    );
    let parsed = parse_curl(&cmd).expect("our own export reads back");
    for note in &parsed.unsupported {
        assert!(!note.contains(CANARY));
    }
    let back = parsed.to_spec(&b);
    assert_eq!(back.method, spec.method.trim().to_ascii_uppercase());
    let trimmed: Vec<(String, String)> = spec
        .headers
        .iter()
        .map(|(k, v)| (k.clone(), v.trim_matches([' ', '\t']).to_string()))
        .collect();
    assert_eq!(back.headers, trimmed);
    assert_eq!(back.body, spec.body);
    assert_eq!(
        resolve_url(&b, &back.path, &back.query).expect("the import resolves"),
        want,
        "the import is another URL"
    );
}

fuzz_target!(|data: &[u8]| {
    match data.split_first() {
        Some((m, rest)) if m % 2 == 0 => import(rest),
        Some((_, rest)) => round_trip(rest),
        None => {}
    }
});
