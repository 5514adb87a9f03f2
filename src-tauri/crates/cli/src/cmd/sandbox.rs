//! `thanksctl sandbox`: the local thanks.io stand-in in the foreground, and `sandbox consent`,
//! which plays the user on its consent page (the demo's and the tests' "browser").

use std::process::ExitCode;
use std::time::Duration;

use thanks_sandbox::{AuthFailures, Sandbox, SandboxConfig};

use crate::args::{SandboxAction, SandboxArgs};
use crate::output;

pub async fn run(a: SandboxArgs) -> ExitCode {
    if let Some(SandboxAction::Consent {
        authorize_url,
        deny,
    }) = a.action
    {
        return match consent(&authorize_url, deny).await {
            Ok(callback) => {
                println!("{callback}");
                ExitCode::SUCCESS
            }
            Err(m) => output::fail(&m, "sandbox.consent"),
        };
    }
    let mut config = SandboxConfig {
        port: a.port,
        access_token_ttl: Duration::from_secs(a.access_token_ttl),
        rate_limit_per_minute: a.rate_limit,
        strict_registration: a.strict_registration,
        auth_failures: if a.always_401 {
            AuthFailures::Always401
        } else {
            AuthFailures::Documented
        },
        ..SandboxConfig::default()
    };
    if let Some(id) = a.client_id {
        config.client_id = id;
    }
    if let Some(file) = a.client_secret_file {
        match std::fs::read_to_string(&file) {
            Ok(s) if !s.trim().is_empty() => config.client_secret = s.trim().to_string(),
            _ => {
                return output::fail(
                    &format!("couldn't read a client secret from {}", file.display()),
                    "sandbox.config",
                );
            }
        }
    }
    if a.strict_registration {
        // Only what is registered, as on thanks.io; the lenient defaults don't apply.
        config.redirect_uris = a.redirect_uris;
    } else {
        config.redirect_uris.extend(a.redirect_uris);
    }
    let sandbox = match Sandbox::start(config).await {
        Ok(s) => s,
        Err(e) => {
            return output::fail(&format!("the sandbox couldn't start: {e}"), "sandbox.start");
        }
    };
    if a.json {
        let v = serde_json::json!({
            "base_url": sandbox.base_url(),
            "authorize_url": sandbox.authorize_url(),
            "token_url": sandbox.token_url(),
            "api_base": sandbox.api_base(),
            "client_id": sandbox.client_id(),
            "client_secret": sandbox.client_secret(),
            "redirect_uris": sandbox.redirect_uris(),
            "strict_registration": a.strict_registration,
        });
        println!("{v}");
    } else {
        println!("thanks.io sandbox running at {}", sandbox.base_url());
        println!("  authorize URL  {}", sandbox.authorize_url());
        println!("  token URL      {}", sandbox.token_url());
        println!("  API base       {}", sandbox.api_base());
        println!("  client id      {}", sandbox.client_id());
        println!("  client secret  {}", sandbox.client_secret());
        println!("  redirect URIs  {}", sandbox.redirect_uris().join(", "));
        if a.strict_registration {
            println!(
                "Strict registration: register redirect URIs with POST {}/__sandbox/clients",
                sandbox.base_url()
            );
        }
        println!("Press Ctrl-C to stop.");
    }
    let _ = tokio::signal::ctrl_c().await;
    sandbox.shutdown().await;
    ExitCode::SUCCESS
}

/// Opens the consent page, submits Approve or Deny, and returns the redirect it answers with.
async fn consent(authorize_url: &str, deny: bool) -> Result<String, String> {
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(15))
        .build()
        .map_err(|e| e.to_string())?;
    let url = url::Url::parse(authorize_url).map_err(|_| "that is not a URL".to_string())?;
    let page = http
        .get(url.clone())
        .send()
        .await
        .map_err(|e| format!("couldn't open the consent page: {}", e.without_url()))?;
    if let Some(loc) = page.headers().get(reqwest::header::LOCATION) {
        // The server refused before showing the page (e.g. invalid_scope) and redirected back.
        return loc
            .to_str()
            .map(str::to_string)
            .map_err(|_| "bad redirect".into());
    }
    let status = page.status();
    let html = page.text().await.map_err(|e| e.without_url().to_string())?;
    let request = extract_hidden(&html, "auth_request")
        .ok_or_else(|| format!("the sandbox showed no consent form (HTTP {status})"))?;
    let mut action = url.clone();
    action.set_query(None);
    let form = [
        ("auth_request", request.as_str()),
        ("decision", if deny { "deny" } else { "approve" }),
    ];
    let resp = http
        .post(action)
        .form(&form)
        .send()
        .await
        .map_err(|e| format!("couldn't submit the consent form: {}", e.without_url()))?;
    resp.headers()
        .get(reqwest::header::LOCATION)
        .and_then(|l| l.to_str().ok())
        .map(str::to_string)
        .ok_or_else(|| format!("the consent form did not redirect (HTTP {})", resp.status()))
}

fn extract_hidden(html: &str, name: &str) -> Option<String> {
    let at = html.find(&format!("name=\"{name}\""))?;
    let tag_start = html[..at].rfind('<')?;
    let tag_end = at + html[at..].find('>')?;
    let tag = &html[tag_start..tag_end];
    let v = tag.find("value=\"")? + 7;
    Some(tag[v..v + tag[v..].find('"')?].to_string())
}

#[cfg(test)]
mod tests {
    #[test]
    fn finds_the_hidden_field_in_either_attribute_order() {
        let a = r#"<form><input type="hidden" name="auth_request" value="abc123"></form>"#;
        let b = r#"<input value="xyz" type="hidden" name="auth_request" />"#;
        assert_eq!(
            super::extract_hidden(a, "auth_request").as_deref(),
            Some("abc123")
        );
        assert_eq!(
            super::extract_hidden(b, "auth_request").as_deref(),
            Some("xyz")
        );
        assert_eq!(super::extract_hidden("<p>no</p>", "auth_request"), None);
    }
}
