use super::*;

fn sandbox() -> Url {
    Url::parse("http://127.0.0.1:8080/api/v2").unwrap()
}

fn import(cmd: &str, base: &Url) -> CurlImport {
    parse_curl(cmd).unwrap().import(base)
}

#[test]
fn a_production_url_pasted_into_the_sandbox_profile_calls_the_sandbox_and_says_so() {
    let got = import(
        "curl --retry 3 --compressed -sS 'https://api.thanks.io/api/v2/orders/list?items_per_page=5'",
        &sandbox(),
    );
    assert_eq!(got.spec.path, "/orders/list");
    assert_eq!(
        got.spec.query,
        vec![("items_per_page".to_string(), "5".to_string())]
    );
    assert_eq!(
        got.notes,
        vec![
            "The command called https://api.thanks.io/api/v2; the request now goes to this \
             profile's API (http://127.0.0.1:8080/api/v2)."
                .to_string()
        ]
    );
    assert_eq!(got.ignored, ["--retry", "--compressed", "-s", "-S"]);
    assert!(got.unsupported.is_empty(), "{:?}", got.unsupported);
}

#[test]
fn a_sandbox_url_pasted_into_a_production_profile_calls_production() {
    let prod = Url::parse("https://api.thanks.io/api/v2").unwrap();
    let got = import(
        "curl -X POST http://127.0.0.1:41234/api/v2/send/postcard --data-raw '{}'",
        &prod,
    );
    assert_eq!(got.spec.path, "/send/postcard");
    assert_eq!(got.spec.method, "POST");
    assert!(
        got.notes[0].contains("http://127.0.0.1:41234/api/v2"),
        "{:?}",
        got.notes
    );
}

#[test]
fn a_url_under_the_profiles_api_needs_no_note_and_each_option_is_named_once() {
    let got = import(
        "curl -s -s --retry 1 --retry 2 http://127.0.0.1:8080/api/v2/ping",
        &sandbox(),
    );
    assert_eq!(got.spec.path, "/ping");
    assert!(got.notes.is_empty(), "{:?}", got.notes);
    assert_eq!(got.ignored, ["-s", "--retry"]);
}

#[test]
fn an_address_outside_any_api_path_is_kept_and_the_note_says_send_refuses_it() {
    let got = import("curl https://example.com/webhook", &sandbox());
    assert_eq!(got.spec.path, "https://example.com/webhook");
    assert!(
        got.notes[0].contains("not on this profile's API"),
        "{:?}",
        got.notes
    );
    // A profile at the root of its origin re-points nothing.
    let root = Url::parse("https://api.example.com/").unwrap();
    let got = import("curl https://api.thanks.io/api/v2/ping", &root);
    assert_eq!(got.spec.path, "https://api.thanks.io/api/v2/ping");
}

#[test]
fn a_look_alike_path_is_not_re_pointed() {
    // `/api/v2x/…` is not under `/api/v2`.
    let got = import("curl https://api.thanks.io/api/v2x/ping", &sandbox());
    assert!(!got.spec.path.starts_with('/'), "{}", got.spec.path);
}
