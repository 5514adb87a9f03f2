//! `thanksctl status | refresh | token | logout`

use std::io::Write;

use thanks_core::{Engine, Result};

use crate::output::{print_json, print_status};

pub async fn status(engine: &Engine, profile: &str, json: bool) -> Result<()> {
    let v = engine.status(profile).await?;
    if json {
        print_json(&v)
    } else {
        print_status(&v)
    }
    Ok(())
}

pub async fn refresh(engine: &Engine, profile: &str) -> Result<()> {
    let v = engine.refresh(profile).await?;
    print_status(&v);
    Ok(())
}

/// The one command whose job is to print a secret: on request, to stdout only.
pub async fn token(engine: &Engine, profile: &str) -> Result<()> {
    let token = engine
        .hand_out_token(profile, thanks_core::TokenDestination::Stdout)
        .await?;
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{}", token.expose());
    Ok(())
}

pub async fn logout(engine: &Engine, profile: &str) -> Result<()> {
    engine.logout(profile).await?;
    eprintln!("Profile \"{profile}\" disconnected; its tokens were removed from the keyring.");
    Ok(())
}
