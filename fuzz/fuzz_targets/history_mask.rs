//! The history masker: everything `History::record` stores for a request (URL, request and
//! response headers, bodies cut to the size limit, the error message and the search text).
//!
//! A secret is planted in each place the history promises to mask, surrounded by fuzzed text
//! and cut at a fuzzed size: a credential query parameter of the URL, a credential header, a
//! credential JSON field or form parameter of either body, a `name=value` in the error message.
//! Property: no stored text holds any piece of it (case-insensitively, plain or
//! percent-encoded), unless the fuzzed text itself spells that piece.

#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use thanks_fuzz::{Pieces, secret};
use thanks_history::{Failure, NewEntry, stored_texts};

/// Names the history masks in queries, forms and messages …
const PARAMS: [&str; 9] = [
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
/// … and in JSON (not `code`: thanks.io's bodies use it for things that aren't secret).
const FIELDS: [&str; 7] = [
    "access_token",
    "refresh_token",
    "id_token",
    "client_secret",
    "client_assertion",
    "code_verifier",
    "password",
];
const HEADERS: [&str; 7] = [
    "Authorization",
    "Proxy-Authorization",
    "Cookie",
    "Set-Cookie",
    "X-Api-Key",
    "X-Auth-Token",
    "X-CSRF-Token",
];

#[derive(Debug, Arbitrary)]
struct Input<'a> {
    seed: &'a [u8],
    names: [u8; 6],
    upper: u8,
    path: &'a str,
    around: [(&'a str, &'a str); 6],
    scheme: &'a str,
    header_form: u8,
    request_json: bool,
    response: &'a [u8],
    response_json: bool,
    max_body: u16,
}

fn pick<'a>(list: &[&'a str], i: u8, upper: bool) -> String {
    let n = list[usize::from(i) % list.len()];
    if upper {
        n.to_ascii_uppercase()
    } else {
        n.to_string()
    }
}

/// `pre NAME=SECRET post` or `pre "NAME": "SECRET" post`.
fn plant(json: bool, name: &str, value: &str, (pre, post): (&str, &str)) -> String {
    if json {
        format!("{pre}\"{name}\": \"{value}\"{post}")
    } else {
        format!("{pre}&{name}={value}&{post}")
    }
}

fn entry(i: &Input<'_>, value: &str) -> NewEntry {
    let up = |bit: u8| i.upper & (1 << bit) != 0;
    let param = |k: usize| pick(&PARAMS, i.names[k], up(k as u8));
    let field = |k: usize| pick(&FIELDS, i.names[k], up(k as u8));
    let header = pick(&HEADERS, i.names[1], false);
    let header_value = match i.header_form % 3 {
        0 => value.to_string(),
        1 => format!("{} {value}", i.scheme),
        _ => format!("{value}{}", i.scheme),
    };
    let request_body = if i.request_json {
        plant(true, &field(2), value, i.around[2])
    } else {
        plant(false, &param(2), value, i.around[2])
    };
    let (pre, post) = i.around[3];
    let response_body = if i.response_json {
        plant(true, &field(3), value, ("", "")).into_bytes()
    } else {
        plant(false, &param(3), value, ("", "")).into_bytes()
    };
    let response = [pre.as_bytes(), i.response, &response_body, post.as_bytes()].concat();
    NewEntry {
        profile: "p".into(),
        method: "POST".into(),
        url: format!(
            "https://api.thanks.io/api/v2/{}?{}",
            i.path,
            plant(false, &param(0), value, i.around[0])
        ),
        request_headers: vec![(header.clone(), header_value)],
        request_body: Some(request_body),
        status: Some(200),
        reason: "OK".into(),
        response_headers: vec![(header, format!("{value}; Path=/"))],
        response_body: Some(response),
        size: 0,
        ttfb_ms: None,
        total_ms: None,
        error: Some(Failure {
            code: "net.unreachable".into(),
            message: plant(false, &param(4), value, i.around[4]),
        }),
        at: 0,
    }
}

fn text(e: &NewEntry) -> String {
    let mut out = format!("{}\n{}\n", e.url, e.reason);
    for (k, v) in e.request_headers.iter().chain(&e.response_headers) {
        out.push_str(&format!("{k}: {v}\n"));
    }
    out.push_str(e.request_body.as_deref().unwrap_or(""));
    out.push('\n');
    out.push_str(&String::from_utf8_lossy(
        e.response_body.as_deref().unwrap_or(b""),
    ));
    out.push('\n');
    out.push_str(
        &e.error
            .as_ref()
            .map_or(String::new(), |f| f.message.clone()),
    );
    out
}

/// Whether the fuzzed text itself spells a piece of the secret: the entry with the secret
/// replaced by a space, as written and as stored (URL parsing drops tabs and line breaks,
/// which can join text).
fn fuzzer_wrote_it(input: &Input<'_>, pieces: &Pieces, max_body: usize) -> bool {
    let background = entry(input, " ");
    let stored = stored_texts(&background, max_body)
        .iter()
        .map(|b| String::from_utf8_lossy(b).into_owned())
        .collect::<Vec<_>>()
        .join("\n");
    pieces.leaked(&text(&background), true).is_some() || pieces.leaked(&stored, true).is_some()
}

fuzz_target!(|input: Input<'_>| {
    let secret = secret(input.seed);
    let pieces = Pieces::of(&[&secret]);
    let max_body = usize::from(input.max_body) + 1;
    let e = entry(&input, &secret);
    for stored in stored_texts(&e, max_body) {
        let stored = String::from_utf8_lossy(&stored);
        if let Some(piece) = pieces.leaked(&stored, true) {
            if fuzzer_wrote_it(&input, &pieces, max_body) {
                return;
            }
            panic!("the history kept {piece:?} of a secret in {stored:?}");
        }
    }
});
