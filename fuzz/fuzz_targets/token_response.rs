//! The token response parser, `parse_token_response`, on answers a token endpoint (or a proxy
//! in front of it) could send: JSON objects made of the fields it reads and any others, with
//! values of every type, and raw bytes.
//!
//! Properties, beyond "never panics":
//! - accepted ⇒ a 2xx status, a non-empty access token, a bearer token type;
//! - refused ⇒ the message holds no piece of any secret sent in the request (code, verifier,
//!   client secret, refresh token), echoed anywhere in the answer, plain, percent-encoded or
//!   with control characters in between, however long the surrounding text is.

#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use thanks_core::oauth::token::parse_token_response;
use thanks_fuzz::{Pieces, encoded, secret};

#[derive(Debug, Arbitrary)]
struct Input<'a> {
    status: u16,
    seeds: [&'a [u8]; 3],
    body: Body<'a>,
}

#[derive(Debug, Arbitrary)]
enum Body<'a> {
    Raw(&'a [u8]),
    Object(Vec<(Name<'a>, Value<'a>)>),
}

#[derive(Debug, Arbitrary)]
enum Name<'a> {
    AccessToken,
    TokenType,
    ExpiresIn,
    RefreshToken,
    Scope,
    Error,
    ErrorDescription,
    Message,
    Other(&'a str),
}

#[derive(Debug, Arbitrary)]
enum Value<'a> {
    Text(Vec<Piece<'a>>),
    Int(i64),
    Float(f64),
    Bool(bool),
    Null,
    /// Raw JSON text, valid or not.
    Json(&'a str),
}

#[derive(Debug, Arbitrary)]
enum Piece<'a> {
    Text(&'a str),
    /// Repeated, so text long enough to be cut surrounds the echoes.
    Filler(u8, u16),
    Secret(u8),
    Encoded(u8),
    /// The secret with a control character inserted (which the cleaning removes).
    Split(u8, u8),
}

/// The body as sent, and the same body with every echo replaced by a space (to tell the
/// fuzzer's own text apart from the planted secrets).
fn render(body: &Body<'_>, secrets: &[String; 3]) -> (Vec<u8>, Vec<u8>) {
    let fields = match body {
        Body::Raw(b) => return (b.to_vec(), b.to_vec()),
        Body::Object(fields) => fields,
    };
    let (mut real, mut plain) = (String::from("{"), String::from("{"));
    for (i, (name, value)) in fields.iter().enumerate() {
        let name = match name {
            Name::AccessToken => "access_token",
            Name::TokenType => "token_type",
            Name::ExpiresIn => "expires_in",
            Name::RefreshToken => "refresh_token",
            Name::Scope => "scope",
            Name::Error => "error",
            Name::ErrorDescription => "error_description",
            Name::Message => "message",
            Name::Other(n) => n,
        };
        let sep = if i == 0 { "" } else { "," };
        let key = format!("{sep}{}:", serde_json::to_string(name).unwrap());
        real.push_str(&key);
        plain.push_str(&key);
        let (r, p) = match value {
            Value::Text(pieces) => {
                let (mut r, mut p) = (String::new(), String::new());
                for piece in pieces {
                    let which = |i: &u8| &secrets[usize::from(*i) % 3];
                    match piece {
                        Piece::Text(t) => {
                            r.push_str(t);
                            p.push_str(t);
                        }
                        Piece::Filler(c, n) => {
                            let t = char::from(b' ' + c % 95)
                                .to_string()
                                .repeat(usize::from(*n % 400));
                            r.push_str(&t);
                            p.push_str(&t);
                        }
                        Piece::Secret(i) => {
                            r.push_str(which(i));
                            p.push(' ');
                        }
                        Piece::Encoded(i) => {
                            r.push_str(&encoded(which(i)));
                            p.push(' ');
                        }
                        Piece::Split(i, at) => {
                            let s = which(i);
                            let at = usize::from(*at) % s.len();
                            r.push_str(&s[..at]);
                            r.push('\u{7}');
                            r.push_str(&s[at..]);
                            p.push(' ');
                        }
                    }
                }
                (
                    serde_json::to_string(&r).unwrap(),
                    serde_json::to_string(&p).unwrap(),
                )
            }
            Value::Int(n) => (n.to_string(), n.to_string()),
            Value::Float(f) => (f.to_string(), f.to_string()),
            Value::Bool(b) => (b.to_string(), b.to_string()),
            Value::Null => ("null".into(), "null".into()),
            Value::Json(j) => (j.to_string(), j.to_string()),
        };
        real.push_str(&r);
        plain.push_str(&p);
    }
    real.push('}');
    plain.push('}');
    (real.into_bytes(), plain.into_bytes())
}

/// Every string in a JSON document (keys and values, decoded, control characters removed),
/// or the text itself when it isn't JSON. One string per line: the line breaks are the only
/// control characters kept, so text from two strings never joins into a piece. Inside a
/// string every control character goes, line breaks too, as the error message's cleaning
/// does (the long run found the oracle keeping a string's own `\n`, so `abc\ndef` in the
/// fuzzer's text didn't count as spelling `abcdef`, which the message then showed).
fn strings(body: &[u8]) -> String {
    fn walk(v: &serde_json::Value, out: &mut String) {
        match v {
            serde_json::Value::String(s) => out.extend(s.chars().filter(|c| !c.is_control())),
            serde_json::Value::Array(a) => a.iter().for_each(|v| walk(v, out)),
            serde_json::Value::Object(o) => o.iter().for_each(|(k, v)| {
                out.push_str(k);
                out.push('\n');
                walk(v, out);
            }),
            other => out.push_str(&other.to_string()),
        }
        out.push('\n');
    }
    let mut out = String::new();
    match serde_json::from_slice::<serde_json::Value>(body) {
        Ok(v) => walk(&v, &mut out),
        Err(_) => out.push_str(&String::from_utf8_lossy(body)),
    }
    out.chars()
        .filter(|c| !c.is_control() || *c == '\n')
        .collect()
}

fuzz_target!(|input: Input<'_>| {
    let secrets = input.seeds.map(secret);
    let (body, background) = render(&input.body, &secrets);
    let refs: Vec<&str> = secrets.iter().map(String::as_str).collect();
    match parse_token_response(input.status, &body, &refs) {
        Ok(t) => {
            assert!(
                (200..300).contains(&input.status),
                "tokens accepted from a non-2xx answer"
            );
            assert!(!t.access_token.is_empty());
            assert!(t.token_type.eq_ignore_ascii_case("bearer"));
        }
        Err(e) => {
            let pieces = Pieces::of(&secrets);
            let text = e.to_string();
            if let Some(piece) = pieces.leaked(&text, false) {
                // Unless the fuzzer's own text spells a piece of a secret.
                if pieces.leaked(&strings(&background), true).is_none() {
                    panic!("a secret leaked into the error message: {piece:?} in {text:?}");
                }
            }
        }
    }
});
