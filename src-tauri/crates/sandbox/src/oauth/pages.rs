//! The two HTML pages people see in the demo: the consent screen and the error page.
//!
//! Every inserted value is HTML-escaped; the pages carry a strict CSP (inline style only, no
//! scripts) and `no-store`, since the consent form holds a one-time id.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};

/// The registered client's display name (the sandbox has exactly one client).
pub(crate) const CLIENT_NAME: &str = "Thanks Connect";

const STYLE: &str = "\
body{margin:0;min-height:100vh;display:flex;align-items:center;justify-content:center;\
background:#f4f1ec;font:16px/1.5 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:#1f2430}\
main{background:#fff;max-width:26rem;width:100%;margin:1rem;padding:2rem;border-radius:14px;\
box-shadow:0 8px 30px rgba(0,0,0,.08)}\
.badge{display:inline-block;font-size:.75rem;letter-spacing:.04em;text-transform:uppercase;\
background:#fff3cd;color:#7a5b00;border-radius:999px;padding:.15rem .6rem}\
h1{font-size:1.35rem;margin:.8rem 0 .4rem}p{margin:.4rem 0}.muted{color:#69707d;font-size:.9rem}\
code{background:#f2f2f2;border-radius:4px;padding:0 .25rem;word-break:break-all}\
.actions{display:flex;gap:.75rem;margin-top:1.5rem}\
button{flex:1;font:inherit;font-weight:600;padding:.7rem 1rem;border-radius:10px;cursor:pointer;border:1px solid #c9ccd3}\
#approve{background:#2f6fed;border-color:#2f6fed;color:#fff}#deny{background:#fff;color:#1f2430}\
.error h1{color:#b42318}";

pub(crate) struct Consent<'a> {
    pub account_name: &'a str,
    pub client_id: &'a str,
    pub redirect_uri: &'a str,
    pub auth_request: &'a str,
}

pub(crate) fn consent(c: &Consent<'_>) -> Response {
    let body = format!(
        "<span class=\"badge\">thanks.io sandbox</span>\
         <h1>Authorize {client}?</h1>\
         <p><strong>{client}</strong> is requesting access to the thanks.io account \
         <strong>{account}</strong>: it will be able to send mail, read orders and manage \
         mailing lists on its behalf.</p>\
         <p class=\"muted\">Client <code>{client_id}</code> · you will return to <code>{redirect}</code></p>\
         <form method=\"post\" action=\"/oauth/authorize\">\
         <input type=\"hidden\" name=\"auth_request\" value=\"{auth_request}\">\
         <div class=\"actions\">\
         <button type=\"submit\" name=\"decision\" value=\"deny\" id=\"deny\">Deny</button>\
         <button type=\"submit\" name=\"decision\" value=\"approve\" id=\"approve\">Approve</button>\
         </div></form>",
        client = escape(CLIENT_NAME),
        account = escape(c.account_name),
        client_id = escape(c.client_id),
        redirect = escape(c.redirect_uri),
        auth_request = escape(c.auth_request),
    );
    page(StatusCode::OK, "Authorization request", "", &body)
}

/// A 400 page for requests that can't safely be redirected back (unknown client, unregistered
/// redirect URI, stale consent form).
pub(crate) fn error(title: &str, detail: &str) -> Response {
    let body = format!(
        "<span class=\"badge\">thanks.io sandbox</span><h1>{}</h1><p>{}</p>\
         <p class=\"muted\">Start the connection again from the app.</p>",
        escape(title),
        escape(detail)
    );
    page(StatusCode::BAD_REQUEST, title, " class=\"error\"", &body)
}

fn page(status: StatusCode, title: &str, main_attrs: &str, body: &str) -> Response {
    let html = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\
         <title>{} · thanks.io sandbox</title><style>{STYLE}</style></head>\
         <body><main{main_attrs}>{body}</main></body></html>",
        escape(title)
    );
    let mut response = (status, Html(html)).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
        ),
    );
    response
}

pub(crate) fn escape(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for ch in raw.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(ch),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_markup() {
        assert_eq!(
            super::escape("<a href=\"x\">'&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
    }
}
