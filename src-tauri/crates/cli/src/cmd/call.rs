//! `thanksctl call METHOD PATH …`: one API request, body to stdout.
//!
//! A request the cost guard flags (a send that isn't a preview, a replay, a radius purchase,
//! gift-card invalidation, email-only recipients) is priced with thanks.io's estimate first and
//! the estimate and test mode are told on stderr. If it needs confirmation, the user is asked on
//! the terminal; with no terminal the call is refused unless `--yes` is given.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use thanks_core::costguard::{CostCheck, dollars};
use thanks_core::{Engine, Error, RequestSpec};

use crate::args::CallArgs;
use crate::output;

pub async fn run(engine: &Engine, profile: &str, a: CallArgs) -> ExitCode {
    let spec = match build(a.method, a.path, a.data, a.headers, a.query) {
        Ok(s) => s,
        Err(e) => return output::error(&e),
    };
    let confirmation = match confirm(engine, profile, &spec, a.yes).await {
        Ok(c) => c,
        Err(code) => return code,
    };
    let view = match engine
        .call_confirmed(profile, &spec, confirmation.as_deref())
        .await
    {
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

/// Tells what the request costs and, when needed, gets the user's go-ahead: `Ok` carries the
/// confirmation the send needs (the engine sends a guarded request only with it), `Err` the exit
/// code when nothing is to be sent. The guard judges the URL the request resolves to, so
/// `./send/postcard` or `x/../send/postcard` is asked about like `send/postcard`.
async fn confirm(
    engine: &Engine,
    profile: &str,
    spec: &RequestSpec,
    yes: bool,
) -> Result<Option<String>, ExitCode> {
    let check = engine
        .cost_check(profile, spec)
        .await
        .map_err(|e| output::error(&e))?;
    if !check.guarded {
        return Ok(None);
    }
    for line in describe(&check) {
        eprintln!("thanksctl: {line}");
    }
    if !check.needs_confirmation {
        return Ok(None);
    }
    if yes {
        eprintln!("thanksctl: --yes given, so not asking.");
        return Ok(check.confirmation);
    }
    if !std::io::stdin().is_terminal() {
        return Err(output::fail(
            "this request needs confirmation and stdin is not a terminal, so nothing was sent; \
             add --yes to send it without asking",
            "call.needs_confirmation",
        ));
    }
    eprint!("{} [y/N] ", question(&check));
    let _ = std::io::stderr().flush();
    let answer = tokio::task::spawn_blocking(|| {
        let mut line = String::new();
        std::io::stdin().read_line(&mut line).map(|_| line)
    })
    .await
    .ok()
    .and_then(Result::ok)
    .unwrap_or_default();
    if matches!(answer.trim().to_ascii_lowercase().as_str(), "y" | "yes") {
        Ok(check.confirmation)
    } else {
        Err(output::fail(
            "declined, so nothing was sent",
            "call.declined",
        ))
    }
}

/// The lines told on stderr about a guarded request: what it does, the estimate, test mode.
fn describe(check: &CostCheck) -> Vec<String> {
    let mut lines = Vec::new();
    if let Some(reason) = &check.reason {
        lines.push(format!("this request {reason}."));
    }
    if let Some(e) = &check.estimate {
        let mut line = format!("estimate: {}", e.total_cost);
        if let Some(n) = e.total_recipients {
            line.push_str(&format!(
                " for {n} recipient{}",
                if n == 1 { "" } else { "s" }
            ));
        }
        if let Some(balance) = e.current_balance_in_cents {
            line.push_str(&format!("; balance {}", dollars(balance)));
            match e.covered_by_balance {
                Some(true) => line.push_str(" (covers it)"),
                Some(false) => line.push_str(" (does not cover it)"),
                None => {}
            }
        }
        lines.push(format!("{line}."));
    }
    if let Some(error) = &check.estimate_error {
        lines.push(format!("{error}."));
    }
    if check.send_would_be_refused {
        lines.push(
            "thanks.io refuses a send exactly where it refuses its estimate, so this goes out \
             without asking, to show thanks.io's answer."
                .into(),
        );
        return lines;
    }
    lines.push(match check.test_mode {
        Some(true) if check.even_in_test_mode => {
            "test mode is on, but it doesn't make this free or reversible.".into()
        }
        Some(true) => "test mode is on: thanks.io accepts the order and cancels it; nothing is \
                       mailed or charged."
            .into(),
        Some(false) => "test mode is off: this is a real order.".into(),
        None if check.estimate_path.is_some() => "test mode: unknown (no estimate).".into(),
        None => "there is no estimate for this, and test mode doesn't make it free or \
                 reversible."
            .into(),
    });
    if check.local_server {
        lines.push(
            "the API is on this machine (a local sandbox): nothing actually gets mailed.".into(),
        );
    }
    lines
}

fn question(check: &CostCheck) -> String {
    if check.estimate_path.is_some() {
        let money = |cents: Option<i64>| cents.map_or("unknown".to_string(), dollars);
        let estimate = check.estimate.as_ref();
        format!(
            "This will print and mail: estimated {}, balance {}. Send it?",
            estimate.map_or("unknown".to_string(), |e| e.total_cost.clone()),
            money(estimate.and_then(|e| e.current_balance_in_cents)),
        )
    } else {
        format!(
            "This {}. Go ahead?",
            check.reason.as_deref().unwrap_or("may cost money")
        )
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
    use thanks_core::costguard::EstimateView;

    fn check(test_mode: Option<bool>, estimate: bool) -> CostCheck {
        CostCheck {
            guarded: true,
            reason: Some("sends a 4x6 postcard: it is printed and mailed".into()),
            estimate_path: Some("/estimate/postcard".into()),
            estimate: estimate.then(|| EstimateView {
                total_cost_in_cents: 99,
                total_cost: "$0.99".into(),
                current_balance_in_cents: Some(5000),
                covered_by_balance: Some(true),
                test_mode,
                total_recipients: Some(1),
                pending_email_lookups: Some(0),
            }),
            estimate_error: (!estimate).then(|| "the estimate failed with HTTP 502".into()),
            estimate_status: Some(if estimate { 200 } else { 502 }),
            send_would_be_refused: false,
            test_mode,
            even_in_test_mode: false,
            local_server: false,
            needs_confirmation: test_mode != Some(true),
            confirmation: None,
        }
    }

    #[test]
    fn tells_the_estimate_and_test_mode() {
        let on = describe(&check(Some(true), true));
        assert_eq!(
            on,
            [
                "this request sends a 4x6 postcard: it is printed and mailed.",
                "estimate: $0.99 for 1 recipient; balance $50.00 (covers it).",
                "test mode is on: thanks.io accepts the order and cancels it; nothing is mailed or charged."
            ]
        );
        assert_eq!(
            question(&check(Some(false), true)),
            "This will print and mail: estimated $0.99, balance $50.00. Send it?"
        );
        let failed = check(None, false);
        assert!(describe(&failed).contains(&"the estimate failed with HTTP 502.".to_string()));
        assert_eq!(
            question(&failed),
            "This will print and mail: estimated unknown, balance unknown. Send it?"
        );
        let mut replay = check(None, false);
        replay.estimate_path = None;
        replay.estimate_error = None;
        replay.reason = Some("replays order 7: it is printed and mailed again".into());
        assert_eq!(
            question(&replay),
            "This replays order 7: it is printed and mailed again. Go ahead?"
        );
    }

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
