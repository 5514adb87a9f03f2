//! HTTP clients that never hand loopback traffic to a proxy.
//!
//! reqwest honours `HTTP_PROXY`/`HTTPS_PROXY`/`ALL_PROXY` (and the system settings on macOS and
//! Windows) and, unless `NO_PROXY` says otherwise, would send requests for
//! `http://127.0.0.1:…` — the sandbox, a local gateway — through the proxy, in clear, with the
//! bearer token, the code, the verifier and the client secret. Each [`HttpClient`] is two
//! reqwest clients built alike: one that goes direct, used for loopback hosts, and one that
//! keeps the proxy settings for everything else.
//!
//! Each of the two is built on its first request, not with the [`HttpClient`]: building a
//! reqwest client loads the system's trust store, which on Linux reads and parses every
//! certificate file under /etc/ssl/certs (about 8 ms a client, measured for issue 13). An
//! engine holds two `HttpClient`s (API and token endpoint), so a `thanksctl call` used to load
//! it four times and `thanksctl token` or `status`, which send nothing, twice; now a call
//! loads it once and those not at all.

use std::fmt;
use std::sync::{Arc, OnceLock};

use url::{Host, Url};

type Configure = dyn Fn(reqwest::ClientBuilder) -> reqwest::ClientBuilder + Send + Sync;

/// Clones share the clients (and their connection pools), built or not yet.
#[derive(Clone)]
pub struct HttpClient {
    inner: Arc<Clients>,
}

struct Clients {
    configure: Box<Configure>,
    proxied: OnceLock<reqwest::Client>,
    direct: OnceLock<reqwest::Client>,
}

impl fmt::Debug for HttpClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpClient")
            .field("proxied_built", &self.inner.proxied.get().is_some())
            .field("direct_built", &self.inner.direct.get().is_some())
            .finish()
    }
}

impl HttpClient {
    /// Both clients get the same settings (`configure` is applied to each builder), each when
    /// it is first needed.
    pub fn build(
        configure: impl Fn(reqwest::ClientBuilder) -> reqwest::ClientBuilder + Send + Sync + 'static,
    ) -> Self {
        Self {
            inner: Arc::new(Clients {
                configure: Box::new(configure),
                proxied: OnceLock::new(),
                direct: OnceLock::new(),
            }),
        }
    }

    /// The client for a request to `url`.
    pub fn for_url(&self, url: &Url) -> &reqwest::Client {
        let c = &self.inner;
        let build = |b| {
            (c.configure)(b)
                .build()
                .expect("the HTTP client can be built")
        };
        if is_loopback(url) {
            c.direct
                .get_or_init(|| build(reqwest::Client::builder().no_proxy()))
        } else {
            c.proxied.get_or_init(|| build(reqwest::Client::builder()))
        }
    }

    /// How many of the two clients have been built (for tests).
    #[cfg(test)]
    fn built(&self) -> usize {
        usize::from(self.inner.proxied.get().is_some())
            + usize::from(self.inner.direct.get().is_some())
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
    fn each_client_is_built_on_its_first_request_and_shared_by_clones() {
        let http = HttpClient::build(|b| b.user_agent("test"));
        assert_eq!(http.built(), 0, "nothing is built up front");
        let copy = http.clone();
        let direct = http.for_url(&Url::parse("http://127.0.0.1:9/").unwrap()) as *const _;
        assert_eq!(
            copy.built(),
            1,
            "a loopback request builds the direct client only"
        );
        let again = copy.for_url(&Url::parse("http://[::1]:9/").unwrap()) as *const _;
        assert_eq!(direct, again, "the clone uses the same client");
        copy.for_url(&Url::parse("https://api.thanks.io/").unwrap());
        assert_eq!(http.built(), 2);
    }

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
