//! `thanksctl login` and `thanksctl complete`.
//!
//! `login` prints the authorize URL alone on one stdout line, opens the browser (unless
//! --no-browser), then finishes on the first of: a callback URL typed or piped on stdin; the
//! loopback callback when the redirect URI is http://127.0.0.1:PORT/PATH; the same login
//! completed by another process (the desktop app handling the deep link, or `thanksctl
//! complete`). A pasted address that isn't this login's callback is reported and the wait goes
//! on; an address that is, ends it, in success or failure.

use std::io::Write;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use thanks_core::oauth::loopback::LoopbackListener;
use thanks_core::{Engine, Error, LoginStart, Result, StatusView};
use tokio::io::AsyncBufReadExt;

use crate::args::LoginArgs;
use crate::output;

pub async fn complete(engine: &Engine, callback_url: &str) -> Result<()> {
    let status = engine.login_complete(callback_url).await?;
    connected_message(&status);
    Ok(())
}

fn connected_message(status: &StatusView) {
    let expiry = match status.expires_in_secs {
        Some(s) => format!(", token valid for {}", output::duration(s)),
        None => String::new(),
    };
    eprintln!(
        "Connected profile \"{}\" to thanks.io{expiry}.",
        status.profile
    );
}

/// Errors that mean "that wasn't this login's callback": keep waiting for the right one.
fn keep_waiting(e: &Error) -> bool {
    matches!(
        e,
        Error::StateUnknown
            | Error::StateMissing
            | Error::StateUsed
            | Error::CallbackMalformed(_)
            | Error::CallbackTooLong
            | Error::CallbackMismatch(_)
    )
}

enum Event {
    Done(Box<Result<StatusView>>),
    NotOurs(Error),
    /// A callback arrived but couldn't be finished yet (the keyring was locked); the login is
    /// still open.
    Notice(String),
}

pub async fn run(engine: Arc<Engine>, profile: &str, a: LoginArgs) -> ExitCode {
    if a.with_token {
        let result = async {
            let token = super::read_stdin_line("personal access token")?;
            engine.login_with_token(profile, token).await
        }
        .await;
        return match result {
            Ok(s) => {
                eprintln!(
                    "Profile \"{}\" now uses a personal access token.",
                    s.profile
                );
                ExitCode::SUCCESS
            }
            Err(e) => output::error(&e),
        };
    }

    let start = match engine.login_start(profile).await {
        Ok(s) => s,
        Err(e) => return output::error(&e),
    };
    let loopback = if start.redirect_uri.scheme() == "http" {
        match LoopbackListener::bind(&start.redirect_uri).await {
            Ok(l) => Some(l),
            Err(e) => {
                let _ = engine.login_cancel(&start.pending_id).await;
                return output::error(&e);
            }
        }
    } else {
        None
    };
    {
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "{}", start.authorize_url.expose());
        let _ = out.flush();
    }
    eprintln!(
        "Waiting for thanks.io: approve access in your browser, or paste the address it lands on here."
    );
    if !a.no_browser {
        let url = start.authorize_url.expose().to_string();
        tokio::spawn(async move {
            if let Err(reason) = crate::browser::open(&url).await {
                eprintln!("Couldn't open a browser: {reason}. Open the address above yourself.");
            }
        });
    }

    let outcome = tokio::time::timeout(
        Duration::from_secs(a.timeout),
        wait(&engine, &start, loopback),
    )
    .await;
    let result = match outcome {
        Ok(Ok(r)) => r,
        Ok(Err(interrupted)) => {
            let _ = engine.login_cancel(&start.pending_id).await;
            eprintln!("thanksctl: {interrupted}");
            return ExitCode::from(130);
        }
        Err(_) => Err(Error::LoginTimeout(a.timeout)),
    };
    match result {
        Ok(status) => {
            connected_message(&status);
            ExitCode::SUCCESS
        }
        Err(e) => {
            let _ = engine.login_cancel(&start.pending_id).await;
            output::error(&e)
        }
    }
}

/// Waits on every way back at once. The outer `Err` is an interruption (Ctrl-C).
async fn wait(
    engine: &Arc<Engine>,
    start: &LoginStart,
    loopback: Option<LoopbackListener>,
) -> std::result::Result<Result<StatusView>, String> {
    let (tx, mut rx) = tokio::sync::mpsc::channel::<Event>(4);

    // 1. Lines on stdin.
    let (e1, t1) = (Arc::clone(engine), tx.clone());
    let stdin_task = tokio::spawn(async move {
        let mut lines = tokio::io::BufReader::new(tokio::io::stdin()).lines();
        while let Ok(Some(line)) = lines.next_line().await {
            let line = line.trim();
            if line.is_empty() {
                continue;
            }
            let event = match e1.login_complete(line).await {
                Err(e) if keep_waiting(&e) => Event::NotOurs(e),
                other => Event::Done(Box::new(other)),
            };
            if t1.send(event).await.is_err() {
                break;
            }
        }
    });

    // 2. The loopback listener, closed after the first callback that is this login's, or as
    //    soon as the login is taken another way (pasted, or by another process).
    let (e2, t2, id2) = (Arc::clone(engine), tx.clone(), start.pending_id.clone());
    let loopback_task = tokio::spawn(async move {
        let Some(mut listener) = loopback else { return };
        loop {
            let next = tokio::select! {
                next = listener.next_callback() => next,
                () = e2.login_closed(&id2) => return,
            };
            let Ok((url, reply)) = next else {
                return;
            };
            match e2.login_complete(&url).await {
                Err(e) if keep_waiting(&e) => {
                    reply.send(false, &e.to_string()).await;
                    let _ = t2.send(Event::NotOurs(e)).await;
                }
                Ok(s) => {
                    reply
                        .send(true, &format!("Profile \"{}\" is connected.", s.profile))
                        .await;
                    let _ = t2.send(Event::Done(Box::new(Ok(s)))).await;
                    return;
                }
                Err(e) => {
                    reply.send(false, &e.to_string()).await;
                    let _ = t2.send(Event::Done(Box::new(Err(e)))).await;
                    return;
                }
            }
        }
    });

    // 3. Another process finishing the same login.
    let (e3, t3, id, name) = (
        Arc::clone(engine),
        tx.clone(),
        start.pending_id.clone(),
        start.profile.clone(),
    );
    let poll_task = tokio::spawn(async move {
        let mut told = None;
        loop {
            tokio::time::sleep(Duration::from_millis(250)).await;
            let Some(p) = e3.pending_login(&id) else {
                continue;
            };
            if p.notice.is_some() && p.notice != told {
                told = p.notice.clone();
                let why = told
                    .as_ref()
                    .and_then(|n| n.message.clone())
                    .unwrap_or_default();
                let _ = t3.send(Event::Notice(why)).await;
            }
            let event = match (&p.outcome, p.cancelled) {
                (Some(o), _) if o.ok => Event::Done(Box::new(e3.status(&name).await)),
                (Some(o), _) => Event::Done(Box::new(Err(Error::LoginFailedElsewhere(
                    o.message
                        .clone()
                        .unwrap_or_else(|| "the login failed".into()),
                )))),
                (None, true) => Event::Done(Box::new(Err(Error::LoginCancelled))),
                (None, false) => continue,
            };
            let _ = t3.send(event).await;
            return;
        }
    });
    drop(tx);

    let result = loop {
        tokio::select! {
            event = rx.recv() => match event {
                Some(Event::Done(r)) => break Ok(*r),
                Some(Event::NotOurs(e)) => eprintln!("That address isn't this login's callback: {e}. Still waiting."),
                Some(Event::Notice(why)) => eprintln!("The callback arrived but couldn't be finished: {why}. Fix that and open the callback again; still waiting."),
                None => break Ok(Err(Error::LoginCancelled)),
            },
            _ = tokio::signal::ctrl_c() => break Err("interrupted; the login was cancelled".to_string()),
        }
    };
    stdin_task.abort();
    loopback_task.abort();
    poll_task.abort();
    result
}
