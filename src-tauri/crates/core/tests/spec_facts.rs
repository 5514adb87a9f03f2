//! The endpoint catalog and the ready-made mailers, checked against facts extracted from
//! thanks.io's published OpenAPI spec (`tests/fixtures/thanksio-spec-facts.json`, written by
//! `scripts/spec-facts.py`; its `source` names the docs commit). Drift shows up here: a missing
//! endpoint or method, a required parameter the spec doesn't require (or the reverse), enum
//! values the spec doesn't list, a body that is an array on one side only, a single object
//! recorded as wrapped in `data`. Catalog entries the fixture doesn't cover must say so
//! (`status` legacy/undocumented, or an `unverified` reason); renamed parameters match through
//! their `older_name`.

use std::collections::{BTreeSet, HashMap};

use serde_json::{Value, json};

const CATALOG: &str = include_str!("../data/endpoints.json");
const MAILERS: &str = include_str!("../data/mailers.json");
const FACTS: &str = include_str!("fixtures/thanksio-spec-facts.json");

fn load(text: &str) -> Value {
    serde_json::from_str(text).expect("valid JSON")
}

fn s(v: &Value) -> &str {
    v.as_str().unwrap_or("")
}

/// A catalog parameter by its name or its older name.
fn find_param<'a>(params: &'a [Value], name: &str) -> Option<&'a Value> {
    params
        .iter()
        .find(|p| p["name"] == name || p["older_name"] == name)
}

fn strings(v: &Value) -> BTreeSet<String> {
    v.as_array()
        .map(|a| a.iter().map(|x| s(x).to_owned()).collect())
        .unwrap_or_default()
}

/// Everything in `catalog` that disagrees with `facts`, one line each.
fn check(catalog: &Value, facts: &Value) -> Vec<String> {
    let mut problems = Vec::new();
    let entries = catalog["endpoints"].as_array().expect("endpoints");
    let by_key: HashMap<(String, String), &Value> = entries
        .iter()
        .map(|e| ((s(&e["method"]).to_owned(), s(&e["path"]).to_owned()), e))
        .collect();
    let spec = facts["endpoints"].as_array().expect("facts endpoints");
    let mut covered = BTreeSet::new();
    for f in spec {
        let key = (s(&f["method"]).to_owned(), s(&f["path"]).to_owned());
        let at = format!("{} {}", key.0, key.1);
        covered.insert(key.clone());
        let Some(e) = by_key.get(&key) else {
            problems.push(format!("{at}: in the spec, missing from the catalog"));
            continue;
        };
        if e["needs_auth"] != f["auth"] {
            problems.push(format!(
                "{at}: needs_auth is {}, the spec says {}",
                e["needs_auth"], f["auth"]
            ));
        }
        let ours: BTreeSet<String> = e["path_params"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| s(&p["name"]).to_owned())
            .collect();
        if ours != strings(&f["path_params"]) {
            problems.push(format!(
                "{at}: path parameters {ours:?}, the spec has {}",
                f["path_params"]
            ));
        }
        let query = e["query_params"].as_array().unwrap();
        for (name, fact) in f["query_params"].as_object().unwrap() {
            match find_param(query, name) {
                None => problems.push(format!("{at}: query parameter {name} is missing")),
                Some(p) => compare_param(&mut problems, &at, name, p, fact),
            }
        }
        for p in query.iter().filter(|p| p["unverified"] == true) {
            if f["query_params"].get(s(&p["name"])).is_some() {
                problems.push(format!(
                    "{at}: query parameter {} is marked unverified but the spec lists it",
                    p["name"]
                ));
            }
        }
        check_body(&mut problems, &at, e, f);
        if let Some(shape) = e.get("response").and_then(Value::as_str) {
            let spec_shape = f["responses"]
                .as_object()
                .unwrap()
                .iter()
                .find(|(code, _)| code.starts_with('2'))
                .map(|(_, v)| s(v));
            if spec_shape.is_some_and(|spec_shape| spec_shape != shape) {
                problems.push(format!(
                    "{at}: the catalog says the answer is {shape}, the spec says {}",
                    spec_shape.unwrap_or("")
                ));
            }
        }
    }
    for e in entries {
        let key = (s(&e["method"]).to_owned(), s(&e["path"]).to_owned());
        let marked =
            e["status"] != "current" || e.get("unverified").is_some_and(|r| !s(r).is_empty());
        if !covered.contains(&key) && !marked {
            problems.push(format!(
                "{} {}: not in the spec; mark it legacy or give an unverified reason",
                key.0, key.1
            ));
        }
        if covered.contains(&key) && e.get("unverified").is_some() {
            problems.push(format!(
                "{} {}: marked unverified, but the spec covers it",
                key.0, key.1
            ));
        }
    }
    problems
}

fn check_body(problems: &mut Vec<String>, at: &str, e: &Value, f: &Value) {
    let body = e["body_params"].as_array().unwrap();
    let Some(spec_body) = f.get("body") else {
        if body.iter().any(|p| p["required"] == true) {
            problems.push(format!(
                "{at}: the catalog requires body parameters the spec doesn't have"
            ));
        }
        return;
    };
    if e.get("body_is_array").is_some_and(|a| a == true) != (spec_body["array"] == true) {
        problems.push(format!("{at}: array body on one side only"));
    }
    let params = spec_body["params"].as_object().unwrap();
    for (name, fact) in params {
        if let Some((parent, child)) = name.split_once('.') {
            // Nested enums (e.g. radius_search.record_types) are described in the parent.
            if let (Some(p), Some(values)) = (find_param(body, parent), fact["enum"].as_array()) {
                for v in values.iter().map(s) {
                    if !s(&p["description"]).contains(v) {
                        problems.push(format!("{at}: {parent}.{child} value {v} is not described"));
                    }
                }
            }
            continue;
        }
        match find_param(body, name) {
            None => problems.push(format!("{at}: body parameter {name} is missing")),
            Some(p) => compare_param(problems, at, name, p, fact),
        }
    }
    for p in body {
        let known = params.contains_key(s(&p["name"])) || params.contains_key(s(&p["older_name"]));
        if p["required"] == true && !known {
            problems.push(format!(
                "{at}: {} is required here but not in the spec",
                p["name"]
            ));
        }
        if p["unverified"] == true && known {
            problems.push(format!(
                "{at}: {} is marked unverified but the spec lists it",
                p["name"]
            ));
        }
    }
    for alternative in spec_body["one_of"].as_array().into_iter().flatten() {
        for name in alternative.as_array().unwrap().iter().map(s) {
            if find_param(body, name).is_none() {
                problems.push(format!(
                    "{at}: {name} (one of the spec's alternatives) is missing"
                ));
            }
        }
    }
}

fn compare_param(problems: &mut Vec<String>, at: &str, name: &str, p: &Value, fact: &Value) {
    if p["required"] != fact["required"] {
        problems.push(format!(
            "{at}: {name} is {} in the catalog, {} in the spec",
            if p["required"] == true {
                "required"
            } else {
                "optional"
            },
            if fact["required"] == true {
                "required"
            } else {
                "optional"
            },
        ));
    }
    let Some(values) = fact["enum"].as_array() else {
        return;
    };
    let spec: BTreeSet<String> = values.iter().map(|v| s(v).to_owned()).collect();
    match p.get("allowed") {
        Some(allowed) if strings(allowed) != spec => problems.push(format!(
            "{at}: {name} allows {:?}, the spec's enum is {spec:?}",
            strings(allowed)
        )),
        Some(_) => {}
        // An open set (e.g. named colours or any hex colour): each value must be described.
        None => {
            for v in &spec {
                if !s(&p["description"]).contains(v.as_str()) {
                    problems.push(format!(
                        "{at}: {name} value {v} is neither allowed nor described"
                    ));
                }
            }
        }
    }
}

/// Each mailer's body uses only the parameters of its send entry, with allowed values.
fn check_mailers(catalog: &Value, mailers: &Value) -> Vec<String> {
    let mut problems = Vec::new();
    for m in mailers["mailers"].as_array().unwrap() {
        let send = s(&m["send_path"]);
        let Some(entry) = catalog["endpoints"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["method"] == "POST" && e["path"] == send)
        else {
            problems.push(format!("mailer {}: no catalog entry for {send}", m["id"]));
            continue;
        };
        let params = entry["body_params"].as_array().unwrap();
        for (key, value) in m["body"].as_object().unwrap() {
            match params.iter().find(|p| p["name"] == key.as_str()) {
                None => problems.push(format!(
                    "mailer {}: {key} is not a parameter of {send}",
                    m["id"]
                )),
                Some(p) => {
                    if let (Some(allowed), Some(v)) = (p.get("allowed"), value.as_str())
                        && !strings(allowed).contains(v)
                    {
                        problems.push(format!("mailer {}: {key} = {v} is not allowed", m["id"]));
                    }
                }
            }
        }
    }
    problems
}

#[test]
fn the_catalog_agrees_with_the_published_spec() {
    let facts = load(FACTS);
    assert_eq!(
        facts["source"]["repository"],
        "thanks-io/thanks.io-api-docs"
    );
    assert_eq!(
        s(&facts["source"]["commit"]).len(),
        40,
        "the fixture records its spec commit"
    );
    let problems = check(&load(CATALOG), &facts);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_mailers_use_the_catalogs_parameters() {
    let problems = check_mailers(&load(CATALOG), &load(MAILERS));
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The checker is only worth something if it notices a change: mutate a copy of the catalog
/// in each way drift happens and see it reported.
#[test]
fn a_changed_entry_is_reported() {
    let facts = load(FACTS);
    let entry = |c: &mut Value, method: &str, path: &str| -> usize {
        c["endpoints"]
            .as_array()
            .unwrap()
            .iter()
            .position(|e| e["method"] == method && e["path"] == path)
            .unwrap_or_else(|| panic!("{method} {path} in the catalog"))
    };
    let param = |c: &mut Value, i: usize, group: &str, name: &str| -> usize {
        c["endpoints"][i][group]
            .as_array()
            .unwrap()
            .iter()
            .position(|p| p["name"] == name)
            .unwrap()
    };
    type Mutation = fn(&mut Value, usize, usize);
    let cases: Vec<(&str, &str, &str, &str, Mutation, &str)> = vec![
        (
            "POST",
            "/send/postcard",
            "body_params",
            "size",
            |c, i, p| {
                c["endpoints"][i]["body_params"][p]["allowed"] = json!(["4x6", "6x9"]);
            },
            "size allows",
        ),
        (
            "POST",
            "/mailing-lists/",
            "body_params",
            "description",
            |c, i, p| {
                c["endpoints"][i]["body_params"][p]["required"] = json!(false);
            },
            "description is optional in the catalog, required in the spec",
        ),
        (
            "POST",
            "/mailing-lists/buy-radius-search",
            "body_params",
            "record_types",
            |c, i, p| {
                c["endpoints"][i]["body_params"][p]["allowed"]
                    .as_array_mut()
                    .unwrap()
                    .push(json!("apartmentcomplex"));
            },
            "record_types allows",
        ),
        (
            "POST",
            "/mailing-lists/",
            "body_params",
            "qrcode_url",
            |c, i, p| {
                c["endpoints"][i]["body_params"][p]["required"] = json!(true);
            },
            "required in the catalog, optional in the spec",
        ),
        (
            "GET",
            "/mailing-lists/{mailingListId}",
            "path_params",
            "mailingListId",
            |c, i, _| {
                c["endpoints"][i]["method"] = json!("PATCH");
            },
            "GET /mailing-lists/{mailingListId}: in the spec, missing from the catalog",
        ),
        (
            "GET",
            "/mailing-lists/{mailingListId}",
            "path_params",
            "mailingListId",
            |c, i, _| {
                c["endpoints"][i]["response"] = json!("data");
            },
            "the catalog says the answer is data, the spec says flat",
        ),
        (
            "POST",
            "/recipients-utils/delete-by-address",
            "body_params",
            "postal_code",
            |c, i, p| {
                c["endpoints"][i]["body_params"]
                    .as_array_mut()
                    .unwrap()
                    .remove(p);
            },
            "postal_code",
        ),
        (
            "POST",
            "/webhooks",
            "body_params",
            "url",
            |c, i, _| {
                c["endpoints"][i]
                    .as_object_mut()
                    .unwrap()
                    .remove("unverified");
            },
            "POST /webhooks: not in the spec",
        ),
        (
            "POST",
            "/recipients-utils/create-multiple",
            "body_params",
            "mailing_list_id",
            |c, i, _| {
                c["endpoints"][i]["body_is_array"] = json!(false);
            },
            "array body on one side only",
        ),
        (
            "GET",
            "/mailing-lists/",
            "query_params",
            "sub_account",
            |c, i, p| {
                c["endpoints"][i]["query_params"][p]["name"] = json!("items_per_page");
                c["endpoints"][i]["query_params"][p]["older_name"] = json!(null);
            },
            "marked unverified but the spec lists it",
        ),
    ];
    for (method, path, group, name, mutate, expected) in cases {
        let mut copy = load(CATALOG);
        let i = entry(&mut copy, method, path);
        let p = param(&mut copy, i, group, name);
        mutate(&mut copy, i, p);
        let problems = check(&copy, &facts);
        assert!(
            problems.iter().any(|line| line.contains(expected)),
            "{method} {path} {name}: expected a problem containing {expected:?}, got {problems:?}"
        );
    }
    let mut mailers = load(MAILERS);
    mailers["mailers"][0]["body"]["size"] = json!("5x7");
    assert!(!check_mailers(&load(CATALOG), &mailers).is_empty());
}
