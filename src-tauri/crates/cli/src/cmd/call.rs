//! `thanksctl call METHOD PATH …`: one API request, body to stdout.

use std::io::Write;
use std::process::ExitCode;

use thanks_core::{Engine, Error, RequestSpec};

use crate::args::CallArgs;
use crate::output;

pub async fn run(engine: &Engine, profile: &str, a: CallArgs) -> ExitCode {
    let spec = match build(a.method, a.path, a.data, a.headers, a.query) {
        Ok(s) => s,
        Err(e) => return output::error(&e),
    };
    let view = match engine.call(profile, &spec).await {
        Ok(v) => v,
        Err(e) => return output::error(&e),
    };
    let mut out = std::io::stdout().lock();
    if a.include {
        let _ = writeln!(out, "HTTP/1.1 {} {}", view.status, view.reason);
        for (k, v) in &view.headers {
            let _ = writeln!(out, "{k}: {v}");
        }
        let _ = writeln!(out);
    }
    let _ = out.write_all(&view.body);
    if !view.body.ends_with(b"\n") && std::io::IsTerminal::is_terminal(&std::io::stdout()) {
        let _ = writeln!(out);
    }
    let _ = out.flush();
    tracing::info!(
        status = view.status,
        ms = view.timings.total_ms,
        ttfb_ms = view.timings.ttfb_ms,
        bytes = view.size,
        "done"
    );
    if (200..300).contains(&view.status) {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn build(
    method: String,
    path: String,
    data: Option<String>,
    headers: Vec<String>,
    query: Vec<String>,
) -> Result<RequestSpec, Error> {
    let bad = |m: String| Error::BadRequest(m);
    let headers = headers
        .into_iter()
        .map(|h| {
            h.split_once(':')
                .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
                .filter(|(k, _)| !k.is_empty())
                .ok_or_else(|| bad(format!("-H wants 'Name: value', got \"{h}\"")))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let query = query
        .into_iter()
        .map(|q| {
            q.split_once('=')
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .ok_or_else(|| bad(format!("-q wants key=value, got \"{q}\"")))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let body = match data {
        Some(d) if d.starts_with('@') => {
            let file = &d[1..];
            Some(
                std::fs::read_to_string(file)
                    .map_err(|e| bad(format!("couldn't read {file}: {e}")))?,
            )
        }
        other => other,
    };
    let declares_other_type = headers.iter().any(|(k, v)| {
        k.eq_ignore_ascii_case("content-type") && !v.to_ascii_lowercase().contains("json")
    });
    if let Some(b) = &body
        && !declares_other_type
        && let Err(e) = serde_json::from_str::<serde_json::Value>(b)
    {
        return Err(bad(format!(
            "the body is not valid JSON (line {}, column {}: {e}); nothing was sent",
            e.line(),
            e.column()
        )));
    }
    Ok(RequestSpec {
        method,
        path,
        query,
        headers,
        body,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_and_validates() {
        let s = build(
            "post".into(),
            "send/postcard".into(),
            Some("{\"a\":1}".into()),
            vec!["X-Test: 1".into()],
            vec!["page=2".into()],
        )
        .unwrap();
        assert_eq!(s.headers, vec![("X-Test".to_string(), "1".to_string())]);
        assert_eq!(s.query, vec![("page".to_string(), "2".to_string())]);
        let e = build(
            "post".into(),
            "x".into(),
            Some("{nope".into()),
            vec![],
            vec![],
        )
        .unwrap_err();
        assert!(
            e.to_string().contains("not valid JSON") && e.to_string().contains("nothing was sent")
        );
        assert!(
            build(
                "get".into(),
                "x".into(),
                None,
                vec!["novalue".into()],
                vec![]
            )
            .is_err()
        );
        assert!(
            build(
                "get".into(),
                "x".into(),
                None,
                vec![],
                vec!["noequals".into()]
            )
            .is_err()
        );
        build(
            "post".into(),
            "x".into(),
            Some("a=b".into()),
            vec!["Content-Type: text/plain".into()],
            vec![],
        )
        .unwrap();
    }
}
