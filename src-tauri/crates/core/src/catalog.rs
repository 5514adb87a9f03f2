//! The catalog of thanks.io endpoints, kept as data (`data/endpoints.json`) so the console,
//! `thanksctl` and the sandbox's tests share one list. Parsed once, on first use.
//!
//! Each entry says what a call does, whether it can cost money, its path, query and body
//! parameters, a body that is valid for it, and for sends the free estimate that takes the same
//! body. [`find`] maps a concrete request (`PUT /orders/48210/cancel`, a full URL) to its entry.
//! The catalog describes; it validates nothing at send time — thanks.io does that.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The JSON type of a parameter's value.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum ParamType {
    String,
    Integer,
    Boolean,
    Array,
    Object,
    Number,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Param {
    pub name: String,
    pub required: bool,
    #[serde(rename = "type")]
    pub kind: ParamType,
    /// Every accepted value, when the set is closed (for an array: every accepted item).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allowed: Option<Vec<String>>,
    /// The pre-2026 name of a renamed parameter (THANKSIO_API.md §5).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub older_name: Option<String>,
    /// Not in thanks.io's spec (seen in older docs or other clients); it may be ignored.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub unverified: bool,
    pub description: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
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
    /// Why a current entry isn't checked against the spec facts fixture (tests/spec_facts.rs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unverified: Option<String>,
    /// How a success answer comes: `flat` (the object itself) or `data` (a list in `data`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response: Option<String>,
    #[serde(default)]
    pub path_params: Vec<Param>,
    #[serde(default)]
    pub query_params: Vec<Param>,
    /// For an array body ([`Endpoint::body_is_array`]), the fields of each item.
    #[serde(default)]
    pub body_params: Vec<Param>,
    /// At least one name of each group must be sent (e.g. `recipients` / `mailing_list_ids` /
    /// `radius_search`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub required_one_of: Vec<Vec<String>>,
    /// The body is a JSON array of objects rather than one object.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub body_is_array: bool,
    /// The free estimate that takes the same body (sends only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub estimate_path: Option<String>,
    /// A valid body, with the current spec's parameter names.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body_template: Option<Value>,
}

impl Endpoint {
    pub fn is_legacy(&self) -> bool {
        self.status == "legacy"
    }

    /// Matches a concrete path (see [`relative_path`] for what is tolerated) against this
    /// entry's template and returns the path parameters' values. A parameter with `allowed`
    /// values only matches one of them, so `/estimate/telegram` is not `/estimate/{type}`.
    pub fn match_path(&self, path: &str) -> Option<Vec<(String, String)>> {
        let concrete = relative_path(path);
        let concrete: Vec<&str> = segments(&concrete).collect();
        let template: Vec<&str> = segments(&self.path).collect();
        if concrete.len() != template.len() {
            return None;
        }
        let mut values = Vec::new();
        for (t, c) in template.iter().zip(&concrete) {
            match t.strip_prefix('{').and_then(|t| t.strip_suffix('}')) {
                Some(name) => {
                    let allowed = self
                        .path_params
                        .iter()
                        .find(|p| p.name == name)
                        .and_then(|p| p.allowed.as_ref());
                    if allowed.is_some_and(|a| !a.iter().any(|v| v == c)) {
                        return None;
                    }
                    values.push((name.to_string(), (*c).to_string()));
                }
                None if t == c => {}
                None => return None,
            }
        }
        Some(values)
    }

    /// How many segments are literal: the more, the more specific the entry.
    fn literal_segments(&self) -> usize {
        segments(&self.path).filter(|s| !s.starts_with('{')).count()
    }
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

/// The catalog entry for a request: `find("put", "/orders/48210/cancel")`,
/// `find("GET", "https://api.thanks.io/api/v2/mailing-lists")`. The method is case-insensitive;
/// when several entries match, the one with the most literal segments wins.
pub fn find(method: &str, path: &str) -> Option<&'static Endpoint> {
    let method = method.trim();
    endpoints()
        .iter()
        .filter(|e| e.method.eq_ignore_ascii_case(method))
        .filter(|e| e.match_path(path).is_some())
        .max_by_key(|e| e.literal_segments())
}

/// A path as the catalog writes it: the origin, a leading `/api/v2`, the query and the
/// fragment removed, one leading slash, and no trailing or doubled slashes.
/// `https://api.thanks.io/api/v2/mailing-lists/?page=2` → `/mailing-lists`.
pub fn relative_path(path: &str) -> String {
    let mut p = path.trim();
    let lower = p.to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") {
        let after_scheme = &p[p.find("://").map_or(0, |i| i + 3)..];
        p = after_scheme.find('/').map_or("", |i| &after_scheme[i..]);
    }
    let p = p.split(['?', '#']).next().unwrap_or_default();
    let mut parts: Vec<&str> = segments(p).collect();
    if parts.len() >= 2 && parts[0] == "api" && parts[1] == "v2" {
        parts.drain(..2);
    }
    format!("/{}", parts.join("/"))
}

fn segments(path: &str) -> impl Iterator<Item = &str> {
    path.split('/').filter(|s| !s.is_empty())
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;
    use serde_json::json;

    fn top_level_names(e: &Endpoint) -> Vec<HashSet<String>> {
        let t = e.body_template.as_ref().unwrap();
        let objects: Vec<&Value> = match t {
            Value::Array(items) => items.iter().collect(),
            other => vec![other],
        };
        objects
            .iter()
            .map(|o| {
                o.as_object()
                    .unwrap_or_else(|| {
                        panic!("{} {}: template items are objects", e.method, e.path)
                    })
                    .keys()
                    .cloned()
                    .collect()
            })
            .collect()
    }

    #[test]
    fn rows_are_unique_and_well_formed() {
        let all = endpoints();
        assert!(all.len() >= 60, "{}", all.len());
        let mut seen = HashSet::new();
        for e in all {
            let id = format!("{} {}", e.method, e.path);
            assert!(
                ["GET", "POST", "PUT", "PATCH", "DELETE"].contains(&e.method.as_str()),
                "{id}"
            );
            assert!(e.path.starts_with('/') && !e.path.contains("//"), "{id}");
            assert!(
                ["current", "legacy", "undocumented"].contains(&e.status.as_str()),
                "{id}"
            );
            assert!(
                !e.purpose.trim().is_empty() && !e.purpose.contains('\n'),
                "{id}"
            );
            // One row per method and path, trailing slash or not.
            assert!(
                seen.insert((e.method.clone(), relative_path(&e.path))),
                "duplicate {id}"
            );
            for list in [&e.path_params, &e.query_params, &e.body_params] {
                let mut names = HashSet::new();
                for p in list.iter() {
                    assert!(names.insert(&p.name), "{id}: {} twice", p.name);
                    assert!(!p.description.trim().is_empty(), "{id}: {}", p.name);
                }
            }
        }
    }

    #[test]
    fn path_params_match_the_path() {
        for e in endpoints() {
            let in_path: Vec<&str> = segments(&e.path)
                .filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
                .collect();
            let declared: Vec<&str> = e.path_params.iter().map(|p| p.name.as_str()).collect();
            assert_eq!(in_path, declared, "{} {}", e.method, e.path);
            assert!(e.path_params.iter().all(|p| p.required), "{}", e.path);
        }
    }

    #[test]
    fn allowed_values_are_sane() {
        for e in endpoints() {
            for p in e
                .path_params
                .iter()
                .chain(&e.query_params)
                .chain(&e.body_params)
            {
                let Some(allowed) = &p.allowed else { continue };
                let at = format!("{} {} {}", e.method, e.path, p.name);
                assert!(!allowed.is_empty(), "{at}");
                assert!(
                    matches!(p.kind, ParamType::String | ParamType::Array),
                    "{at}: allowed values are strings"
                );
                let unique: HashSet<&String> = allowed.iter().collect();
                assert_eq!(unique.len(), allowed.len(), "{at}: duplicates");
                assert!(
                    allowed
                        .iter()
                        .all(|v| !v.is_empty() && v.trim() == v && !v.contains(',')),
                    "{at}"
                );
            }
        }
        let estimate = find("POST", "/estimate/postcard").unwrap();
        let types = estimate.path_params[0].allowed.as_ref().unwrap();
        for t in types {
            let send = find("POST", &format!("/send/{t}")).unwrap();
            assert_eq!(
                send.estimate_path.as_deref(),
                Some(&*format!("/estimate/{t}"))
            );
        }
    }

    #[test]
    fn templates_are_valid_bodies() {
        for e in endpoints() {
            let at = format!("{} {}", e.method, e.path);
            let Some(template) = &e.body_template else {
                assert!(
                    e.body_params.iter().all(|p| !p.required) && e.required_one_of.is_empty(),
                    "{at}: required body parameters but no template"
                );
                continue;
            };
            assert_eq!(template.is_array(), e.body_is_array, "{at}");
            assert!(
                e.method != "GET" && e.method != "DELETE",
                "{at}: no body on GET/DELETE"
            );
            let known: HashSet<&str> = e.body_params.iter().map(|p| p.name.as_str()).collect();
            for names in top_level_names(e) {
                for n in &names {
                    assert!(
                        known.contains(n.as_str()),
                        "{at}: {n} is not a body parameter"
                    );
                }
                for p in e.body_params.iter().filter(|p| p.required) {
                    assert!(names.contains(&p.name), "{at}: template lacks {}", p.name);
                }
                for group in &e.required_one_of {
                    assert!(
                        group.iter().any(|g| names.contains(g)),
                        "{at}: none of {group:?}"
                    );
                    for g in group {
                        assert!(known.contains(g.as_str()), "{at}: {g} in required_one_of");
                    }
                }
            }
            let items: Vec<&Value> = match template {
                Value::Array(items) => items.iter().collect(),
                other => vec![other],
            };
            for item in items {
                for p in &e.body_params {
                    let Some(v) = item.get(&p.name) else { continue };
                    let ok = match p.kind {
                        ParamType::String => v.is_string(),
                        ParamType::Integer => v.is_i64() || v.is_u64(),
                        ParamType::Number => v.is_number(),
                        ParamType::Boolean => v.is_boolean(),
                        ParamType::Array => v.is_array(),
                        ParamType::Object => v.is_object(),
                    };
                    assert!(ok, "{at}: {} is not a {:?}", p.name, p.kind);
                    if let Some(allowed) = &p.allowed {
                        let values: Vec<&Value> = match v {
                            Value::Array(a) => a.iter().collect(),
                            other => vec![other],
                        };
                        for v in values {
                            assert!(
                                v.as_str().is_some_and(|s| allowed.iter().any(|a| a == s)),
                                "{at}: {} = {v} is not allowed",
                                p.name
                            );
                        }
                    }
                }
            }
            if !e.is_legacy() {
                let spelling = crate::mailers::spelling(template);
                assert!(spelling.legacy_fields.is_empty(), "{at}: {spelling:?}");
            }
        }
    }

    #[test]
    fn sends_that_cost_money_have_an_estimate() {
        let sends: Vec<&Endpoint> = endpoints()
            .iter()
            .filter(|e| e.path.starts_with("/send/"))
            .collect();
        assert_eq!(
            sends.len(),
            7,
            "six current sends and the legacy /send/letter"
        );
        for e in sends {
            assert!(e.costs_money, "{}", e.path);
            let estimate = e
                .estimate_path
                .as_deref()
                .unwrap_or_else(|| panic!("{}", e.path));
            let target = find("POST", estimate).unwrap_or_else(|| panic!("{estimate}"));
            assert!(!target.costs_money && !target.is_legacy());
            assert_eq!(e.body_template.as_ref().unwrap()["preview"], json!(true));
        }
        for e in endpoints().iter().filter(|e| e.estimate_path.is_some()) {
            assert!(e.costs_money && e.path.starts_with("/send/"), "{}", e.path);
        }
    }

    #[test]
    fn the_documented_facts_hold() {
        let free = [
            "/handwriting-styles",
            "/giftcard-brands",
            "/giftcard-brands-list",
        ];
        for e in endpoints() {
            let public =
                free.contains(&e.path.as_str()) || e.path.starts_with("/stored_send/{type}/");
            assert_eq!(e.needs_auth, !public, "{}", e.path);
        }
        for (method, path) in [
            ("POST", "/orders/{orderId}/replay"),
            ("PUT", "/order-items/{orderItemId}/invalidate-giftcard"),
            ("POST", "/mailing-lists-utils/buy-radius-search"),
        ] {
            assert!(find(method, path).unwrap().costs_money, "{path}");
        }
        assert!(!find("POST", "/estimate/giftcard").unwrap().costs_money);
        assert!(find("POST", "/send/letter").unwrap().is_legacy());
        assert!(find("GET", "/orders/stats").unwrap().is_legacy());
    }

    #[test]
    fn concrete_paths_find_their_template() {
        let at = |m: &str, p: &str| find(m, p).map(|e| format!("{} {}", e.method, e.path));
        assert_eq!(
            at("put", "/orders/48210/cancel").as_deref(),
            Some("PUT /orders/{orderId}/cancel")
        );
        assert_eq!(
            at("PUT", "orders/48210/cancel/").as_deref(),
            Some("PUT /orders/{orderId}/cancel")
        );
        assert_eq!(
            at("GET", "https://api.thanks.io/api/v2/orders/48210/track?x=1").as_deref(),
            Some("GET /orders/{orderId}/track")
        );
        assert_eq!(
            at("GET", "/api/v2/mailing-lists").as_deref(),
            Some("GET /mailing-lists/")
        );
        assert_eq!(
            at("GET", "http://127.0.0.1:8765/api/v2/sub-accounts/").as_deref(),
            Some("GET /sub-accounts/")
        );
        assert_eq!(
            at("POST", "/estimate/postcard").as_deref(),
            Some("POST /estimate/{type}")
        );
        assert_eq!(at("POST", "/estimate/telegram"), None);
        assert_eq!(
            at("POST", "/send/letter").as_deref(),
            Some("POST /send/letter")
        );
        // A literal segment beats a parameter.
        assert_eq!(
            at("GET", "/orders/stats").as_deref(),
            Some("GET /orders/stats")
        );
        assert_eq!(
            at("POST", "/recipients/lookup").as_deref(),
            Some("POST /recipients/lookup")
        );
        assert_eq!(
            at("GET", "/recipients/297101").as_deref(),
            Some("GET /recipients/{recipientId}")
        );
        assert_eq!(at("DELETE", "/orders/list"), None);
        assert_eq!(at("GET", "/orders/48210"), None);
        let e = find("GET", "/stored_send/postcard/abc123").unwrap();
        assert_eq!(
            e.match_path("/stored_send/postcard/abc123").unwrap(),
            vec![
                ("type".to_string(), "postcard".to_string()),
                ("storedSendId".to_string(), "abc123".to_string())
            ]
        );
    }

    #[test]
    fn relative_paths() {
        assert_eq!(relative_path("orders/list"), "/orders/list");
        assert_eq!(relative_path(" /mailing-lists/ "), "/mailing-lists");
        assert_eq!(
            relative_path("HTTPS://api.thanks.io/api/v2/ping#x"),
            "/ping"
        );
        assert_eq!(relative_path("https://api.thanks.io"), "/");
        assert_eq!(relative_path("//send//postcard"), "/send/postcard");
    }

    #[test]
    fn serializes_back_to_the_same_data() {
        let file: Value = serde_json::from_str(include_str!("../data/endpoints.json")).unwrap();
        assert_eq!(
            serde_json::to_value(endpoints()).unwrap(),
            file["endpoints"]
        );
    }
}
