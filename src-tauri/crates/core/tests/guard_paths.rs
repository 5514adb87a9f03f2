//! The cost guard judges the request that is actually sent (issue 8, finding 2): any spelling
//! of a path that resolves to a guarded endpoint — dot segments, `./`, `x/../`, duplicate
//! slashes, percent-encoded dots and letters, another case, a full URL — fires the guard.

use proptest::prelude::*;
use serde_json::json;
use thanks_core::RequestSpec;
use thanks_core::costguard::assess;

/// (method, segments, body) of requests the guard must catch.
fn guarded_endpoints() -> Vec<(&'static str, Vec<&'static str>, serde_json::Value)> {
    vec![
        ("POST", vec!["send", "postcard"], json!({"message": "hi"})),
        ("POST", vec!["send", "letter"], json!({})),
        ("POST", vec!["orders", "48210", "replay"], json!({})),
        (
            "PUT",
            vec!["order-items", "7", "invalidate-giftcard"],
            json!({}),
        ),
        (
            "POST",
            vec!["mailing-lists-utils", "buy-radius-search"],
            json!({"record_count": 5}),
        ),
        (
            "POST",
            vec!["recipients"],
            json!({"mailing_list_id": 1, "email": "a@b.c"}),
        ),
    ]
}

/// One way of writing a segment that the server reads as the same segment.
fn spell_segment(seg: &str, encode: &[bool], upper: &[bool]) -> String {
    seg.chars()
        .enumerate()
        .map(|(i, c)| {
            let c = if upper[i % upper.len()] {
                c.to_ascii_uppercase()
            } else {
                c
            };
            if encode[i % encode.len()] && c.is_ascii_alphabetic() {
                format!("%{:02X}", c as u8)
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// Detours that resolve to nothing: `.`, `%2e`, `x/..`, `x/%2E%2e`, `x/.%2e`, an empty segment.
const DETOURS: [&str; 7] = ["./", "%2e/", "%2E/", "x/../", "abc/%2E%2e/", "y/.%2e/", "/"];

fn spelled(
    segments: &[&str],
    detours: &[usize],
    encode: &[bool],
    upper: &[bool],
    prefix: usize,
) -> String {
    let mut path = String::from(["", "/", "./", "https://api.thanks.io/api/v2/", "/x/../"][prefix]);
    for (i, seg) in segments.iter().enumerate() {
        if let Some(d) = detours.get(i).copied().filter(|d| *d < DETOURS.len()) {
            path.push_str(DETOURS[d]);
        }
        path.push_str(&spell_segment(seg, encode, upper));
        if i + 1 < segments.len() {
            path.push('/');
        }
    }
    path
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]
    #[test]
    fn any_spelling_of_a_guarded_path_fires_the_guard(
        which in 0usize..6,
        detours in proptest::collection::vec(0usize..10, 3),
        encode in proptest::collection::vec(proptest::bool::weighted(0.2), 1..6),
        upper in proptest::collection::vec(proptest::bool::weighted(0.2), 1..6),
        prefix in 0usize..5,
        trailing in proptest::bool::ANY,
        lower_method in proptest::bool::ANY,
    ) {
        let (method, segments, body) = guarded_endpoints().swap_remove(which);
        let mut path = spelled(&segments, &detours, &encode, &upper, prefix);
        if trailing {
            path.push('/');
        }
        let method = if lower_method { method.to_ascii_lowercase() } else { method.to_string() };
        let spec = RequestSpec { method, path: path.clone(), body: Some(body.to_string()), ..Default::default() };
        prop_assert!(assess(&spec).guarded, "{} {} was not guarded", spec.method, path);
    }
}

#[test]
fn the_paths_from_the_review_are_guarded() {
    for path in [
        "./send/postcard",
        "x/../send/postcard",
        "send//postcard",
        "send/%70ostcard",
        "%2e/send/postcard",
        "SEND/postcard",
    ] {
        let spec = RequestSpec {
            method: "POST".into(),
            path: path.into(),
            body: Some("{}".into()),
            ..Default::default()
        };
        assert!(assess(&spec).guarded, "{path}");
    }
}
