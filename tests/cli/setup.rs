//! Setup files and links on the command line: export and import round trips (with and without
//! the encrypted client secret, and as a link), and damaged files that change nothing.

use std::path::Path;

use crate::harness::{Env, keyring_lookup};

const PASSPHRASE: &str = "our team passphrase";

fn config_exists(env: &Env) -> bool {
    env.home.path().join("config.toml").exists()
}

#[tokio::test(flavor = "multi_thread")]
async fn export_with_secret_import_elsewhere_and_connect() {
    let admin = Env::start().await;
    admin.setup_profile().await;
    let file = admin.home.path().join("team.thanksconnect");
    let path = file.to_str().unwrap();
    let out = admin
        .run(
            &[
                "profile",
                "export",
                "--with-secret",
                "--passphrase-stdin",
                "-o",
                path,
            ],
            &format!("{PASSPHRASE}\n"),
        )
        .await;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(
        !text.contains(admin.sandbox.client_secret()),
        "secret in clear:\n{text}"
    );
    assert!(
        text.contains("\"format\": \"thanks-connect-setup\""),
        "{text}"
    );
    assert!(
        text.contains("-----BEGIN AGE ENCRYPTED FILE-----"),
        "{text}"
    );

    // A marketer's computer: another config home.
    let marketer = Env::start().await;
    let (code, err) = marketer.fails(&["profile", "import", path], "").await;
    assert_eq!(code, 2);
    assert!(
        err.contains("[setup.needs_passphrase]") && err.contains("--passphrase-stdin"),
        "{err}"
    );
    let (_, err) = marketer
        .fails(
            &["profile", "import", path, "--passphrase-stdin"],
            "not it at all\n",
        )
        .await;
    assert!(
        err.contains("[setup.wrong_passphrase]") && err.contains("Nothing was changed"),
        "{err}"
    );
    assert!(
        !config_exists(&marketer),
        "a refused import wrote the config"
    );

    let out = marketer
        .run(
            &["profile", "import", path, "--passphrase-stdin"],
            &format!("{PASSPHRASE}\n"),
        )
        .await;
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("Profile \"default\" created") && err.contains("a local sandbox"),
        "{err}"
    );
    let uid = marketer.profile_uid();
    assert_eq!(
        keyring_lookup(&uid, "client-secret").as_deref(),
        Some(admin.sandbox.client_secret())
    );
    marketer.login_with_profile_as_set("default").await;
    assert_eq!(marketer.status().await["state"], "connected");
    assert_eq!(admin.sandbox.stats().authorization_code_grants, 1);

    // Importing again asks first; --force replaces (same connection: still connected).
    let (_, err) = marketer
        .fails(
            &["profile", "import", path, "--passphrase-stdin"],
            &format!("{PASSPHRASE}\n"),
        )
        .await;
    assert!(
        err.contains("[setup.profile_exists]") && err.contains("--force"),
        "{err}"
    );
    let out = marketer
        .run(
            &["profile", "import", path, "--passphrase-stdin", "--force"],
            &format!("{PASSPHRASE}\n"),
        )
        .await;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(marketer.status().await["state"], "connected");
}

#[tokio::test(flavor = "multi_thread")]
async fn export_without_secret_and_as_a_link() {
    let admin = Env::start().await;
    admin.setup_profile().await;
    let file = admin.home.path().join("plain.thanksconnect");
    let path = file.to_str().unwrap();
    admin.ok(&["profile", "export", "-o", path]).await;
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(
        text.contains("\"needs_client_secret\": true") && !text.contains("AGE"),
        "{text}"
    );

    let link = admin
        .ok(&[
            "profile",
            "export",
            "--link",
            "--scheme",
            "dev.thanksconnect.app.debug",
        ])
        .await;
    let link = link.trim();
    assert!(
        link.starts_with("dev.thanksconnect.app.debug://setup?v=1&name=default&"),
        "{link}"
    );
    assert!(link.contains("secret=required") && !link.contains(admin.sandbox.client_secret()));

    for source in [path, link] {
        let marketer = Env::start().await;
        let (_, err) = marketer.fails(&["profile", "import", source], "").await;
        assert!(
            err.contains("[setup.needs_client_secret]") && err.contains("--client-secret-stdin"),
            "{err}"
        );
        assert!(!config_exists(&marketer));
        let out = marketer
            .run(
                &["profile", "import", source, "--client-secret-stdin"],
                &format!("{}\n", admin.sandbox.client_secret()),
            )
            .await;
        assert!(
            out.status.success(),
            "{source}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let shown = marketer.ok(&["profile", "show", "--json"]).await;
        let v: serde_json::Value = serde_json::from_str(&shown).unwrap();
        assert_eq!(v["token_url"], admin.sandbox.token_url());
        assert_eq!(v["has_client_secret"], true);
        marketer.login_with_profile_as_set("default").await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn damaged_foreign_future_and_huge_files_change_nothing() {
    let admin = Env::start().await;
    admin.setup_profile().await;
    let good = admin.home.path().join("good.thanksconnect");
    admin
        .ok(&["profile", "export", "-o", good.to_str().unwrap()])
        .await;
    let text = std::fs::read_to_string(&good).unwrap();

    let marketer = Env::start().await;
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, bytes: &[u8]| {
        let p = dir.path().join(name);
        std::fs::write(&p, bytes).unwrap();
        p
    };
    let huge = dir.path().join("huge.thanksconnect");
    std::fs::File::create(&huge)
        .unwrap()
        .set_len(10 * 1024 * 1024)
        .unwrap();
    let cases = [
        (
            write(
                "truncated.thanksconnect",
                &text.as_bytes()[..text.len() * 2 / 3],
            ),
            "setup.damaged",
        ),
        (
            write(
                "future.thanksconnect",
                text.replace("\"version\": 1", "\"version\": 2").as_bytes(),
            ),
            "setup.newer_version",
        ),
        (
            write(
                "package.json",
                br#"{"name": "left-pad", "version": "1.3.0"}"#,
            ),
            "setup.not_a_setup",
        ),
        (
            write(
                "other-shape.thanksconnect",
                br#"{"format": "thanks-connect-setup", "version": 1, "profiles": []}"#,
            ),
            "setup.damaged",
        ),
        (huge, "setup.too_large"),
    ];
    for (path, code) in &cases {
        let (exit, err) = marketer
            .fails(&["profile", "import", path.to_str().unwrap()], "")
            .await;
        assert_eq!(exit, 2);
        assert!(
            err.contains(&format!("[{code}]")),
            "{}: {err}",
            path.display()
        );
        assert_eq!(err.lines().count(), 1, "one line of reason: {err}");
        assert!(
            !config_exists(&marketer),
            "{} wrote the config",
            path.display()
        );
    }
    let (_, err) = marketer
        .fails(&["profile", "import", "/nonexistent/x.thanksconnect"], "")
        .await;
    assert!(err.contains("[config.io]"), "{err}");
    assert!(!Path::new(&marketer.home.path().join("config.toml")).exists());
}
