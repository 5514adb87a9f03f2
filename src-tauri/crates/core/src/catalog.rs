//! The catalog of thanks.io endpoints, kept as data (`data/endpoints.json`) so the console,
//! `thanksctl` and the sandbox's tests share one list. Parsed once, on first use.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Endpoint {
    pub method: String,
    /// Relative to the API base; `{name}` marks a path parameter.
    pub path: String,
    pub purpose: String,
    /// The call can print, mail or charge money.
    pub costs_money: bool,
    pub needs_auth: bool,
    /// `current`, `legacy` or `undocumented`.
    pub status: String,
}

#[derive(Deserialize)]
struct CatalogFile {
    endpoints: Vec<Endpoint>,
}

pub fn endpoints() -> &'static [Endpoint] {
    static CATALOG: OnceLock<Vec<Endpoint>> = OnceLock::new();
    CATALOG.get_or_init(|| {
        let file: CatalogFile = serde_json::from_str(include_str!("../data/endpoints.json"))
            .expect("data/endpoints.json is valid");
        file.endpoints
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalog_is_well_formed() {
        let all = endpoints();
        assert!(all.len() >= 45);
        let mut seen = std::collections::HashSet::new();
        for e in all {
            assert!(
                ["GET", "POST", "PUT", "PATCH", "DELETE"].contains(&e.method.as_str()),
                "{e:?}"
            );
            assert!(e.path.starts_with('/'), "{e:?}");
            assert!(
                ["current", "legacy", "undocumented"].contains(&e.status.as_str()),
                "{e:?}"
            );
            assert!(
                seen.insert((e.method.clone(), e.path.clone())),
                "duplicate {e:?}"
            );
        }
        assert!(
            all.iter()
                .any(|e| e.path == "/send/postcard" && e.costs_money)
        );
        assert!(
            all.iter()
                .any(|e| e.path == "/handwriting-styles" && !e.needs_auth)
        );
    }
}
