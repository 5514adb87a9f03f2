//! The config loader (`Config::parse`, what every start reads from `config.toml`, a file
//! people edit by hand) and profile edits (`Config::apply`, what `profile set` and the window's
//! settings send).
//!
//! Properties, beyond "never panics":
//! - a refused file is a `config.invalid` error;
//! - a loaded config, and any config an edit produced, is saved as text that loads back to the
//!   same profiles;
//! - every endpoint of a loaded profile is https, or http on 127.0.0.1 / [::1] only, with no
//!   user name, password or fragment: the bearer token and client secret go nowhere else.

#![no_main]

use std::path::Path;

use arbitrary::{Arbitrary, Unstructured};
use libfuzzer_sys::fuzz_target;
use thanks_core::config::{Config, Profile, ProfileUpdate, default_redirect_uri};
use url::Url;

/// The release and debug builds' schemes: each build's default redirect URI.
const SCHEMES: [&str; 2] = ["dev.thanksconnect.app", "dev.thanksconnect.app.debug"];

#[derive(Debug, Arbitrary)]
struct Edit {
    name: String,
    authorize_url: Option<String>,
    token_url: Option<String>,
    api_base: Option<String>,
    client_id: Option<String>,
    redirect_uri: Option<String>,
    scope: Option<String>,
    revocation_url: Option<String>,
}

fn safe_endpoint(u: &Url) -> bool {
    let loopback = match u.host() {
        Some(url::Host::Ipv4(ip)) => ip.octets() == [127, 0, 0, 1],
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        _ => false,
    };
    (u.scheme() == "https" || u.scheme() == "http" && loopback)
        && u.username().is_empty()
        && u.password().is_none()
        && u.fragment().is_none()
}

fn check(config: &Config) {
    let text = config.to_toml().expect("a valid config can be written");
    let again = Config::parse(&text, Path::new("config.toml"), config.default_redirect())
        .unwrap_or_else(|e| panic!("a written config doesn't load back: {e}"));
    let names: Vec<&str> = config.names().collect();
    assert_eq!(names, again.names().collect::<Vec<_>>());
    for name in names {
        let p: &Profile = config.get(name).unwrap();
        assert_eq!(
            Some(p),
            again.get(name),
            "profile {name:?} changed on the way back"
        );
        for u in [&p.authorize_url, &p.token_url, &p.api_base]
            .into_iter()
            .chain(p.revocation_url.as_ref())
        {
            assert!(safe_endpoint(u), "an unsafe endpoint was accepted: {u}");
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    if mode % 2 == 0 {
        let Ok(text) = std::str::from_utf8(rest) else {
            return;
        };
        let default =
            Url::parse(&default_redirect_uri(SCHEMES[usize::from(mode / 2) % 2])).unwrap();
        match Config::parse(text, Path::new("config.toml"), &default) {
            Ok(config) => check(&config),
            Err(e) => assert_eq!(e.code(), "config.invalid"),
        }
    } else {
        let Ok(edits) = Vec::<Edit>::arbitrary_take_rest(Unstructured::new(rest)) else {
            return;
        };
        let mut config = Config::default();
        for edit in edits {
            let update = ProfileUpdate {
                authorize_url: edit.authorize_url,
                token_url: edit.token_url,
                api_base: edit.api_base,
                client_id: edit.client_id,
                redirect_uri: edit.redirect_uri,
                scope: edit.scope,
                revocation_url: edit.revocation_url,
            };
            if config.apply(&edit.name, update).is_err() {
                continue;
            }
            check(&config);
        }
    }
});
