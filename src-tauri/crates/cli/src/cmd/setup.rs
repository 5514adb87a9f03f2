//! `thanksctl profile export` and `thanksctl profile import`: setups for a team (the format is
//! `thanks_core::setup`). Secrets come in on stdin only, never as arguments (which other users
//! of the computer can read in the process list).

use std::path::Path;

use thanks_core::setup::{Endpoints, Setup, SetupPreview};
use thanks_core::util::write_atomic;
use thanks_core::{Engine, Error, Result, SetupAnswers};

use crate::args::{ProfileExportArgs, ProfileImportArgs};

pub async fn export(engine: &Engine, profile: &str, a: ProfileExportArgs) -> Result<()> {
    let passphrase = if a.with_secret {
        Some(super::read_stdin_line("passphrase")?)
    } else {
        None
    };
    let setup = engine.setup_export(profile, passphrase).await?;
    if a.link {
        println!("{}", setup.to_link(&a.scheme));
        return Ok(());
    }
    let path = a.output.expect("clap requires --output without --link");
    write_atomic(&path, setup.to_file_json().as_bytes()).map_err(|e| Error::ConfigIo {
        action: "write",
        path: path.display().to_string(),
        source: e,
    })?;
    let what = if a.with_secret {
        "with its client secret, encrypted with your passphrase (send the passphrase another way)"
    } else {
        "without a client secret"
    };
    eprintln!(
        "Setup of profile \"{profile}\" written to {} {what}.",
        path.display()
    );
    Ok(())
}

pub async fn import(engine: &Engine, a: ProfileImportArgs) -> Result<()> {
    let setup = if a.source.contains("://") {
        Setup::parse_link(&a.source)?
    } else {
        Setup::read_file(Path::new(&a.source))?
    };
    let mut answers = SetupAnswers {
        replace: a.force,
        ..Default::default()
    };
    if a.passphrase_stdin {
        answers.passphrase = Some(super::read_stdin_line("passphrase")?);
    }
    if a.client_secret_stdin {
        answers.client_secret = Some(super::read_stdin_line("client secret")?);
    }
    let preview = engine.setup_preview(&setup)?;
    let result = engine.setup_import(&setup, answers).await;
    if let Err(e) = &result {
        // Say how to give what was missing on the command line.
        let hint = match e.code() {
            "setup.needs_passphrase" => Some("pass --passphrase-stdin and type it"),
            "setup.needs_client_secret" => Some("pass --client-secret-stdin and type it"),
            _ => None,
        };
        if let Some(h) = hint {
            eprintln!("thanksctl: {h}");
        }
    }
    let view = result?;
    describe(&preview);
    eprintln!(
        "Profile \"{}\" {} from the setup. Connect it: thanksctl --profile {} login",
        view.name,
        if preview.exists {
            "replaced"
        } else {
            "created"
        },
        view.name
    );
    Ok(())
}

fn describe(p: &SetupPreview) {
    let kind = match p.endpoints {
        Endpoints::ThanksIo => "thanks.io",
        Endpoints::LocalSandbox => "a local sandbox",
        Endpoints::Other => "NOT thanks.io",
    };
    eprintln!("Endpoints      {kind}: {} (API)", p.api_base);
    if let Some(note) = &p.endpoints_note {
        eprintln!("               {note}");
    }
    eprintln!("Client id      {}", p.client_id);
    eprintln!("Redirect URI   {}", p.redirect_uri);
}
