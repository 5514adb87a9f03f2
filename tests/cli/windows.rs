//! What only Windows has. The config home: with no `THANKS_CONNECT_HOME`, thanksctl keeps its
//! files in `%APPDATA%\thanks-connect`, where the README says they are.

use std::path::Path;

use crate::harness::Env;

#[tokio::test(flavor = "multi_thread")]
async fn the_config_home_is_thanks_connect_under_appdata() {
    let env = Env::start().await;
    let appdata = std::env::var_os("APPDATA").expect("Windows sets APPDATA");
    let home = Path::new(&appdata).join("thanks-connect");
    assert!(
        !home.exists(),
        "{} exists already; this test creates and removes it, so it won't run where someone's \
         real one is",
        home.display()
    );
    let out = env
        .command(&[
            "--profile",
            "appdata-test",
            "profile",
            "set",
            "--client-id",
            "appdata-client",
        ])
        .env_remove("THANKS_CONNECT_HOME")
        .output()
        .await
        .expect("thanksctl runs");
    let config = std::fs::read_to_string(home.join("config.toml"));
    std::fs::remove_dir_all(&home).ok();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let config = config.expect("config.toml in %APPDATA%\\thanks-connect");
    assert!(config.contains("appdata-client"), "{config}");
    assert!(
        env.files().is_empty(),
        "nothing went to THANKS_CONNECT_HOME: {:?}",
        env.files()
    );
}
