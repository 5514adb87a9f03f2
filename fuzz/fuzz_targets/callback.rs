//! The callback URL validator: `Callback::parse` and the redirect match, as `login_complete`
//! runs them on whatever a deep link, the loopback port or a paste hands over.
//!
//! Properties, beyond "never panics":
//! - accepted ⇒ the input fits the size cap, has exactly one of `code`/`error`, no duplicate
//!   OAuth parameter, and the callback's `state` is the one non-empty `state` of the query
//!   (read here independently of the parser);
//! - the address kept (and logged) has no query and no fragment, and reads back to itself
//!   (`file:` addresses aside: see below);
//! - matched ⇒ scheme, host, port and path are the redirect URI's;
//! - a sign-in code never shows in the callback's `Debug`.

#![no_main]

use libfuzzer_sys::fuzz_target;
use thanks_core::oauth::callback::{Callback, CallbackOutcome, MAX_CALLBACK_LEN};
use url::Url;

const REDIRECTS: [&str; 4] = [
    "dev.thanksconnect.app:/oauth/callback",
    "dev.thanksconnect.app.debug:/oauth/callback",
    "http://127.0.0.1:53682/callback",
    "http://[::1]:8123/cb",
];

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let redirect = Url::parse(REDIRECTS[usize::from(pick) % REDIRECTS.len()]).unwrap();
    // Half the inputs are the redirect URI plus a fuzzed query, so accepted callbacks are
    // common; the other half are anything at all.
    let raw = if pick & 0x80 != 0 {
        format!("{redirect}?{text}")
    } else {
        text.to_string()
    };
    let Ok(cb) = Callback::parse(&raw) else {
        return;
    };

    let trimmed = raw.trim();
    assert!(
        trimmed.len() <= MAX_CALLBACK_LEN,
        "accepted an oversized callback"
    );
    let url = Url::parse(trimmed).expect("accepted ⇒ it is a URL");
    let mut seen: [Vec<String>; 4] = Default::default();
    for piece in url.query().unwrap_or("").split('&') {
        let Some((name, value)) = url::form_urlencoded::parse(piece.as_bytes()).next() else {
            continue;
        };
        if let Some(i) = ["code", "state", "error", "error_description"]
            .iter()
            .position(|n| *n == name)
        {
            seen[i].push(value.into_owned());
        }
    }
    assert!(
        seen.iter().all(|v| v.len() <= 1),
        "accepted a duplicated parameter"
    );
    let [code, state, error, _] = &seen;
    assert!(
        code.len() + error.len() == 1,
        "accepted without exactly one of code and error"
    );
    match &cb.outcome {
        CallbackOutcome::Code(c) => {
            assert_eq!(Some(c.expose()), code.first().map(String::as_str));
            assert!(!c.is_empty(), "accepted an empty code");
            let debug = format!("{cb:?}");
            if c.expose().len() >= 6 && !cb.address.as_str().contains(c.expose()) {
                assert!(!debug.contains(c.expose()), "the code shows in Debug");
            }
        }
        CallbackOutcome::Error { code: e, .. } => {
            assert!(!error.is_empty());
            assert!(
                e.len() <= 64
                    && e.chars()
                        .all(|c| c.is_ascii_alphanumeric() || "_.".contains(c)),
                "an error code that isn't a short token reached a message"
            );
        }
    }
    let expected_state = state.first().filter(|s| !s.is_empty());
    assert_eq!(
        cb.state.as_ref().map(|s| s.expose()),
        expected_state.map(String::as_str),
        "the state handed on is not the query's state"
    );

    assert!(cb.address.query().is_none() && cb.address.fragment().is_none());
    let again = Url::parse(cb.address.as_str()).expect("the address reads back");
    // The url crate drops the host of a `file:` URL whose path starts with a drive letter when
    // it reads the URL back (`file://h//a:/k` → `file:///a:/k`, the WHATWG drive-letter rule):
    // its quirk, not ours, and harmless here, since no redirect URI is a `file:` URL, so such a
    // callback is always refused for its scheme (checked below).
    if cb.address.scheme() == "file" {
        assert!(
            cb.check_matches(&redirect).is_err(),
            "a file: callback matched"
        );
        return;
    }
    assert_eq!(
        again, cb.address,
        "the logged address doesn't read back to itself"
    );

    if cb.check_matches(&redirect).is_ok() {
        assert_eq!(again.scheme(), redirect.scheme());
        assert_eq!(
            again.host_str().unwrap_or(""),
            redirect.host_str().unwrap_or("")
        );
        assert_eq!(
            again.port_or_known_default(),
            redirect.port_or_known_default()
        );
        assert_eq!(again.path(), redirect.path());
    }
});
