//! Helpers shared by the integration tests: starting a sandbox, scripting the consent page,
//! exchanging codes and calling the API.

use reqwest::{Client, Method, StatusCode, header::HeaderMap};
use serde_json::Value;
use thanks_sandbox::{Sandbox, SandboxConfig};

/// A loopback redirect on an arbitrary port; registered as `http://127.0.0.1/callback`.
pub const REDIRECT: &str = "http://127.0.0.1:53682/callback";
/// The RFC 7636 Appendix B pair.
pub const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
pub const CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

pub async fn sandbox() -> Sandbox {
    Sandbox::start(SandboxConfig::default())
        .await
        .expect("sandbox starts")
}

/// No redirects followed (tests read `Location`), no proxies (loopback only).
pub fn client() -> Client {
    Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .build()
        .expect("client")
}

#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub text: String,
}

impl Reply {
    pub async fn from_response(response: reqwest::Response) -> Self {
        Self::from(response).await
    }

    async fn from(response: reqwest::Response) -> Self {
        let status = response.status();
        let headers = response.headers().clone();
        let text = response.text().await.expect("body");
        Self {
            status,
            headers,
            text,
        }
    }

    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text))
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    pub fn location(&self) -> Option<&str> {
        self.header("location")
    }
}

/// `GET /oauth/authorize` with the sandbox's client id plus `params`.
pub async fn authorize_page(http: &Client, sb: &Sandbox, params: &[(&str, &str)]) -> Reply {
    let mut query = vec![("response_type", "code"), ("client_id", sb.client_id())];
    query.extend_from_slice(params);
    Reply::from(
        http.get(sb.authorize_url())
            .query(&query)
            .send()
            .await
            .unwrap(),
    )
    .await
}

/// The hidden `auth_request` value in a consent page.
pub fn auth_request_id(html: &str) -> String {
    let marker = "name=\"auth_request\" value=\"";
    let start = html.find(marker).expect("consent page has auth_request") + marker.len();
    let end = html[start..].find('"').unwrap() + start;
    html[start..end].to_owned()
}

pub async fn decide(http: &Client, sb: &Sandbox, auth_request: &str, decision: &str) -> Reply {
    let form = [("auth_request", auth_request), ("decision", decision)];
    Reply::from(
        http.post(sb.authorize_url())
            .form(&form)
            .send()
            .await
            .unwrap(),
    )
    .await
}

/// Shows the consent page with `params`, answers it, and returns the redirect `Location`.
pub async fn consent(
    http: &Client,
    sb: &Sandbox,
    params: &[(&str, &str)],
    decision: &str,
) -> String {
    let page = authorize_page(http, sb, params).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text);
    let reply = decide(http, sb, &auth_request_id(&page.text), decision).await;
    assert_eq!(reply.status, StatusCode::FOUND);
    reply.location().expect("Location").to_owned()
}

/// A query parameter of a redirect location (any scheme).
pub fn param(location: &str, name: &str) -> Option<String> {
    let query = location.split_once('?')?.1;
    url::form_urlencoded::parse(query.as_bytes())
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

/// Approves a consent for [`REDIRECT`] with PKCE and returns the code.
pub async fn code(http: &Client, sb: &Sandbox) -> String {
    let params = [
        ("redirect_uri", REDIRECT),
        ("state", "st-123"),
        ("code_challenge", CHALLENGE),
        ("code_challenge_method", "S256"),
    ];
    let location = consent(http, sb, &params, "approve").await;
    param(&location, "code").expect("code")
}

pub async fn token(http: &Client, sb: &Sandbox, form: &[(&str, &str)]) -> Reply {
    Reply::from(http.post(sb.token_url()).form(form).send().await.unwrap()).await
}

pub async fn exchange(http: &Client, sb: &Sandbox, code: &str) -> Reply {
    let form = [
        ("grant_type", "authorization_code"),
        ("client_id", sb.client_id()),
        ("client_secret", sb.client_secret()),
        ("code", code),
        ("redirect_uri", REDIRECT),
        ("code_verifier", VERIFIER),
    ];
    token(http, sb, &form).await
}

pub async fn refresh(http: &Client, sb: &Sandbox, refresh_token: &str) -> Reply {
    let form = [
        ("grant_type", "refresh_token"),
        ("client_id", sb.client_id()),
        ("client_secret", sb.client_secret()),
        ("refresh_token", refresh_token),
    ];
    token(http, sb, &form).await
}

pub struct Tokens {
    pub access: String,
    pub refresh: String,
}

/// The whole flow: consent, code, exchange.
pub async fn connect(http: &Client, sb: &Sandbox) -> Tokens {
    let code = code(http, sb).await;
    let reply = exchange(http, sb, &code).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    let body = reply.json();
    Tokens {
        access: body["access_token"].as_str().unwrap().to_owned(),
        refresh: body["refresh_token"].as_str().unwrap().to_owned(),
    }
}

/// An API call; `path` is relative to `/api/v2` unless it is already absolute.
pub async fn call(
    http: &Client,
    sb: &Sandbox,
    method: Method,
    path: &str,
    token: Option<&str>,
    body: Option<&Value>,
) -> Reply {
    let url = if path.starts_with("http") {
        path.to_owned()
    } else {
        format!("{}{path}", sb.api_base())
    };
    let mut request = http
        .request(method, url)
        .header("accept", "application/json");
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    if let Some(body) = body {
        request = request
            .header("content-type", "application/json")
            .body(serde_json::to_vec(body).unwrap());
    }
    Reply::from(request.send().await.unwrap()).await
}

pub async fn get(http: &Client, sb: &Sandbox, path: &str, token: &str) -> Reply {
    call(http, sb, Method::GET, path, Some(token), None).await
}

pub async fn post(http: &Client, sb: &Sandbox, path: &str, token: &str, body: &Value) -> Reply {
    call(http, sb, Method::POST, path, Some(token), Some(body)).await
}

/// A sandbox, a client and a connected token: the starting point of most API tests.
pub async fn connected() -> (Sandbox, Client, String) {
    let sb = sandbox().await;
    let http = client();
    let tokens = connect(&http, &sb).await;
    (sb, http, tokens.access)
}

/// `PUT`/`POST` a JSON body to a control route.
pub async fn control(
    http: &Client,
    sb: &Sandbox,
    method: Method,
    route: &str,
    body: Option<&Value>,
) -> Reply {
    let mut request = http.request(method, format!("{}/__sandbox/{route}", sb.base_url()));
    if let Some(body) = body {
        request = request
            .header("content-type", "application/json")
            .body(serde_json::to_vec(body).unwrap());
    }
    Reply::from(request.send().await.unwrap()).await
}
