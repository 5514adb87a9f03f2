//! Profiles with display names ("Acme Marketing"): created, connected, listed and used like any
//! other, their tokens in the keyring under the profile's uid; a name that can't be one is
//! refused with what to change, and nothing is written.

use crate::harness::{Env, keyring_lookup};

const NAME: &str = "Acme Marketing";

#[tokio::test(flavor = "multi_thread")]
async fn a_display_name_works_end_to_end() {
    let env = Env::start().await;
    env.login_as(NAME).await;
    let status: serde_json::Value =
        serde_json::from_str(&env.ok(&["--profile", NAME, "status", "--json"]).await).unwrap();
    assert_eq!(status["state"], "connected", "{status}");
    // The keyring knows the profile by its uid, never by its name.
    let uid = env.profile_uid();
    assert!(keyring_lookup(&uid, "access-token").is_some());
    let list = env.ok(&["profile", "list"]).await;
    assert!(list.contains(NAME), "{list}");
    // A call with it goes through.
    env.ok(&["--profile", NAME, "call", "GET", "ping"]).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_name_that_cant_be_one_is_refused_and_nothing_is_written() {
    let env = Env::start().await;
    let (code, err) = env
        .fails(
            &[
                "--profile",
                "Acme/Marketing",
                "profile",
                "set",
                "--client-id",
                "x",
            ],
            "",
        )
        .await;
    assert_ne!(code, 0, "{err}");
    assert!(err.contains("letters, digits, spaces"), "{err}");
    let (_, err) = env
        .fails(
            &["--profile", " Acme", "profile", "set", "--client-id", "x"],
            "",
        )
        .await;
    assert!(err.contains("start or end with a space"), "{err}");
    assert!(
        !env.home.path().join("config.toml").exists(),
        "a refused name wrote the settings file"
    );
}
