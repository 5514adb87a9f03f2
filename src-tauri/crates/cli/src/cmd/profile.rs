//! `thanksctl profile …`

use thanks_core::config::ProfileUpdate;
use thanks_core::{Engine, Result};

use crate::args::ProfileCmd;
use crate::output::print_json;

pub async fn run(engine: &Engine, profile: &str, cmd: ProfileCmd) -> Result<()> {
    match cmd {
        ProfileCmd::Set(a) => {
            let secret = if a.client_secret_stdin {
                Some(super::read_stdin_line("client secret")?)
            } else {
                None
            };
            let update = ProfileUpdate {
                authorize_url: a.authorize_url,
                token_url: a.token_url,
                api_base: a.api_base,
                client_id: a.client_id,
                redirect_uri: a.redirect_uri,
                scope: a.scope,
                revocation_url: a.revocation_url,
            };
            let view = engine.profile_set(profile, update, secret).await?;
            eprintln!(
                "Profile \"{}\" saved in {}.",
                view.name,
                engine.home().config_file().display()
            );
            Ok(())
        }
        ProfileCmd::Show { json } => {
            let v = engine.profile_view(profile).await?;
            if json {
                print_json(&v);
            } else {
                println!(
                    "Profile        {}{}",
                    v.name,
                    if v.saved {
                        ""
                    } else {
                        " (not saved yet: built-in defaults)"
                    }
                );
                println!("Authorize URL  {}", v.authorize_url);
                println!("Token URL      {}", v.token_url);
                println!("API base       {}", v.api_base);
                println!(
                    "Client id      {}",
                    if v.client_id.is_empty() {
                        "— (not set)"
                    } else {
                        &v.client_id
                    }
                );
                println!(
                    "Client secret  {}",
                    if v.has_client_secret {
                        "set (in the keyring)"
                    } else {
                        "not set"
                    }
                );
                println!(
                    "Redirect URI   {}{}",
                    v.redirect_uri,
                    if v.redirect_uri_custom {
                        ""
                    } else {
                        " (the default)"
                    }
                );
                // What to register in thanks.io, and a warning for forms it refuses.
                println!("               {}", v.redirect_form.advice());
                println!("Scope          {}", v.scope.as_deref().unwrap_or("—"));
                if let Some(r) = &v.revocation_url {
                    println!("Revocation URL {r}");
                }
            }
            Ok(())
        }
        ProfileCmd::List => {
            for name in engine.config()?.names() {
                println!("{name}");
            }
            Ok(())
        }
        ProfileCmd::Export(a) => super::setup::export(engine, profile, a).await,
        ProfileCmd::Import(a) => super::setup::import(engine, a).await,
        ProfileCmd::Remove => {
            engine.profile_remove(profile).await?;
            eprintln!("Profile \"{profile}\" removed.");
            Ok(())
        }
    }
}
