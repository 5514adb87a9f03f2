//! Laravel's two pagination shapes (§3.2), with absolute URLs built from the sandbox's base URL.
//!
//! Unlike Laravel's default, the page links keep the client's page-size and filter parameters,
//! so following `links.next` / `next_page_url` walks the same listing to its end.

use serde_json::{Value, json};

use super::reply::{ApiError, Params};
use super::validate::Bag;

/// A validated page request.
#[derive(Debug, Clone)]
pub(crate) struct Page {
    pub number: u64,
    pub size: u64,
    /// Query parameters to repeat in every page link (size parameter and filters).
    pub keep: Vec<(String, String)>,
}

/// How a page-size parameter is named and bounded on one endpoint.
pub(crate) struct SizeRule {
    /// Accepted names, current first (e.g. `items_per_page`, then the old `limit`).
    pub names: &'static [&'static str],
    pub default: u64,
    pub max: u64,
}

/// Reads `page` and the page size. Laravel treats a bad `page` as 1; a bad size is a 422 whose
/// `errors` key is the parameter name the client used.
pub(crate) fn read(
    params: &Params,
    rule: &SizeRule,
    filters: &[&str],
) -> Result<Page, (String, String)> {
    let number = params
        .get("page")
        .and_then(|p| p.trim().parse::<u64>().ok())
        .filter(|n| *n >= 1)
        .unwrap_or(1);
    let mut keep = Vec::new();
    let mut size = rule.default;
    if let Some((name, raw)) = rule
        .names
        .iter()
        .find_map(|n| params.get(n).map(|v| (*n, v)))
    {
        match raw.trim().parse::<u64>() {
            Ok(n) if (1..=rule.max).contains(&n) => size = n,
            _ => {
                let message = format!(
                    "The {} must be an integer between 1 and {}.",
                    name.replace('_', " "),
                    rule.max
                );
                return Err((name.to_owned(), message));
            }
        }
        keep.push((name.to_owned(), size.to_string()));
    }
    for filter in filters {
        if let Some(v) = params.get(filter) {
            keep.push(((*filter).to_owned(), v.to_owned()));
        }
    }
    Ok(Page { number, size, keep })
}

/// [`read`] with the standard Laravel 422 body.
pub(crate) fn read_or_422(
    params: &Params,
    rule: &SizeRule,
    filters: &[&str],
) -> Result<Page, ApiError> {
    read(params, rule, filters).map_err(|(field, message)| {
        let mut bag = Bag::default();
        bag.add(field, message);
        ApiError::Invalid(bag)
    })
}

struct Window {
    total: u64,
    last_page: u64,
    from: Option<u64>,
    to: Option<u64>,
}

fn window(page: &Page, total: usize) -> (Window, std::ops::Range<usize>) {
    let total = total as u64;
    let last_page = total.div_ceil(page.size).max(1);
    let start = (page.number - 1).saturating_mul(page.size).min(total);
    let end = (start + page.size).min(total);
    let w = Window {
        total,
        last_page,
        from: (start < end).then_some(start + 1),
        to: (start < end).then_some(end),
    };
    (w, start as usize..end as usize)
}

fn link(path: &str, page: &Page, number: u64) -> String {
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in &page.keep {
        query.append_pair(k, v);
    }
    query.append_pair("page", &number.to_string());
    format!("{path}?{}", query.finish())
}

/// `{data, links{first,last,prev,next}, meta{current_page,from,last_page,path,per_page,to,total}}`
pub(crate) fn resource(items: Vec<Value>, page: &Page, path: &str) -> Value {
    let (w, range) = window(page, items.len());
    let data: Vec<Value> = items
        .into_iter()
        .skip(range.start)
        .take(range.len())
        .collect();
    let n = page.number;
    json!({
        "data": data,
        "links": {
            "first": link(path, page, 1),
            "last": link(path, page, w.last_page),
            "prev": (n > 1).then(|| link(path, page, (n - 1).min(w.last_page))),
            "next": (n < w.last_page).then(|| link(path, page, n + 1)),
        },
        "meta": {
            "current_page": n,
            "from": w.from,
            "last_page": w.last_page,
            "path": path,
            "per_page": page.size,
            "to": w.to,
            "total": w.total,
        },
    })
}

/// `{current_page, data, first_page_url, from, last_page, last_page_url, next_page_url, path,
/// per_page, prev_page_url, to, total}`
pub(crate) fn plain(items: Vec<Value>, page: &Page, path: &str) -> Value {
    let (w, range) = window(page, items.len());
    let data: Vec<Value> = items
        .into_iter()
        .skip(range.start)
        .take(range.len())
        .collect();
    let n = page.number;
    json!({
        "current_page": n,
        "data": data,
        "first_page_url": link(path, page, 1),
        "from": w.from,
        "last_page": w.last_page,
        "last_page_url": link(path, page, w.last_page),
        "next_page_url": (n < w.last_page).then(|| link(path, page, n + 1)),
        "path": path,
        "per_page": page.size,
        "prev_page_url": (n > 1).then(|| link(path, page, (n - 1).min(w.last_page))),
        "to": w.to,
        "total": w.total,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const RULE: SizeRule = SizeRule {
        names: &["items_per_page", "limit"],
        default: 25,
        max: 100,
    };

    fn params(pairs: &[(&str, &str)]) -> Params {
        Params(
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
        )
    }

    #[test]
    fn walks_pages_and_keeps_parameters() {
        let page = read(
            &params(&[("limit", "10"), ("page", "2"), ("sub_account_id", "7")]),
            &RULE,
            &["sub_account_id"],
        )
        .unwrap();
        let items: Vec<Value> = (0..25).map(|i| json!(i)).collect();
        let v = resource(items, &page, "http://h/api/v2/orders/list");
        assert_eq!(v["data"][0], 10);
        assert_eq!(v["meta"]["from"], 11);
        assert_eq!(v["meta"]["last_page"], 3);
        assert_eq!(
            v["links"]["next"],
            "http://h/api/v2/orders/list?limit=10&sub_account_id=7&page=3"
        );
        assert_eq!(
            v["links"]["prev"],
            "http://h/api/v2/orders/list?limit=10&sub_account_id=7&page=1"
        );
    }

    #[test]
    fn empty_and_out_of_range() {
        let page = read(&params(&[("page", "9")]), &RULE, &[]).unwrap();
        let v = plain(vec![], &page, "http://h/x");
        assert_eq!(v["last_page"], 1);
        assert_eq!(v["from"], Value::Null);
        assert_eq!(v["next_page_url"], Value::Null);
        assert!(read(&params(&[("items_per_page", "0")]), &RULE, &[]).is_err());
        assert!(read(&params(&[("items_per_page", "101")]), &RULE, &[]).is_err());
        assert_eq!(
            read(&params(&[("page", "abc")]), &RULE, &[])
                .unwrap()
                .number,
            1
        );
    }
}
