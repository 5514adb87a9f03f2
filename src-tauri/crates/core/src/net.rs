//! HTTP clients that never hand loopback traffic to a proxy.
//!
//! reqwest honours `HTTP_PROXY`/`HTTPS_PROXY`/`ALL_PROXY` (and the system settings on macOS and
//! Windows) and, unless `NO_PROXY` says otherwise, would send requests for
//! `http://127.0.0.1:…` — the sandbox, a local gateway — through the proxy, in clear, with the
//! bearer token, the code, the verifier and the client secret. Each [`HttpClient`] is two
//! reqwest clients built alike: one that goes direct, used for loopback hosts, and one that
//! keeps the proxy settings for everything else.

use url::{Host, Url};

#[derive(Debug, Clone)]
pub struct HttpClient {
    proxied: reqwest::Client,
    direct: reqwest::Client,
}

impl HttpClient {
    /// Builds both clients with the same settings (`configure` is applied to each builder).
    pub fn build(configure: impl Fn(reqwest::ClientBuilder) -> reqwest::ClientBuilder) -> Self {
        let build = |b| configure(b).build().expect("the HTTP client can be built");
        Self {
            proxied: build(reqwest::Client::builder()),
            direct: build(reqwest::Client::builder().no_proxy()),
        }
    }

    /// The client for a request to `url`.
    pub fn for_url(&self, url: &Url) -> &reqwest::Client {
        if is_loopback(url) {
            &self.direct
        } else {
            &self.proxied
        }
    }
}

/// 127.0.0.0/8, [::1] and `localhost`: this machine.
pub fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(Host::Ipv4(ip)) => ip.is_loopback(),
        Some(Host::Ipv6(ip)) => ip.is_loopback(),
        Some(Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_hosts() {
        for u in [
            "http://127.0.0.1:8/x",
            "http://127.9.9.9/",
            "http://[::1]:9/",
            "https://LOCALHOST/",
        ] {
            assert!(is_loopback(&Url::parse(u).unwrap()), "{u}");
        }
        for u in [
            "https://api.thanks.io/",
            "http://10.0.0.1/",
            "http://[::2]/",
            "http://localhost.evil.example/",
        ] {
            assert!(!is_loopback(&Url::parse(u).unwrap()), "{u}");
        }
    }
}
