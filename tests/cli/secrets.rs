//! The canary test: known secret values are planted, every path is exercised with trace
//! logging, and no output, log line, file or error message may contain them — except the
//! stdout of `thanksctl token`, whose job is to print the access token.

use std::time::Duration;

use thanks_sandbox::{Failure, Faults, SandboxConfig};

use crate::harness::{Env, keyring_lookup};

#[tokio::test(flavor = "multi_thread")]
async fn canary_secrets_never_leak() {
    let client_secret = "CANARY-client-secret-7f3e9a";
    let env = Env::with(SandboxConfig {
        client_secret: client_secret.into(),
        access_token_ttl: Duration::from_secs(30),
        ..Default::default()
    })
    .await;
    env.login().await;
    let uid = env.profile_uid();
    // Tokens rotate as the test goes: collect every generation of them.
    let mut seen = Vec::new();
    let collect = |seen: &mut Vec<String>| {
        for kind in ["access-token", "refresh-token"] {
            seen.extend(keyring_lookup(&uid, kind));
        }
    };
    collect(&mut seen);

    // Exercise everything once more with the tokens in place.
    env.ok(&["status"]).await;
    env.ok(&["status", "--json"]).await;
    env.ok(&["profile", "show"]).await;
    env.ok(&["profile", "show", "--json"]).await;
    env.ok(&["-vv", "call", "GET", "orders/list", "-i"]).await;
    env.ok(&["-vv", "refresh"]).await;
    env.ok(&["-vv", "validate"]).await;
    collect(&mut seen);
    // A setup for the team: the client secret goes in only encrypted, the link carries none.
    let passphrase = "CANARY-passphrase-51c0";
    let setup_file = env.home.path().join("team.thanksconnect");
    let out = env
        .run(
            &[
                "-vv",
                "profile",
                "export",
                "--with-secret",
                "--passphrase-stdin",
                "-o",
                setup_file.to_str().unwrap(),
            ],
            &format!("{passphrase}\n"),
        )
        .await;
    assert!(
        out.status.success(),
        "export: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let setup_text = std::fs::read_to_string(&setup_file).unwrap();
    assert!(
        setup_text.contains("-----BEGIN AGE ENCRYPTED FILE-----"),
        "{setup_text}"
    );
    env.ok(&["-vv", "profile", "export", "--link"]).await;
    let token_stdout = env.ok(&["token"]).await;
    env.sandbox.expire_access_tokens();
    env.ok(&["-vv", "call", "GET", "ping", "-i", "-H", "X-Trace: 1"])
        .await;
    env.sandbox.set_faults(Faults {
        token_failure: Some(Failure::ErrorIn200),
        ..Default::default()
    });
    env.fails(&["-vv", "refresh"], "").await;
    env.sandbox.set_faults(Faults {
        invalid_grant_next_refresh: true,
        ..Default::default()
    });
    env.fails(&["-vv", "refresh"], "").await;
    env.fails(&["-vv", "call", "GET", "ping"], "").await;
    // The support desk's outputs: the table, the timeline and the report.
    env.ok(&["-vv", "status", "--all"]).await;
    env.ok(&["status", "--all", "--json"]).await;
    env.ok(&["-vv", "events"]).await;
    env.ok(&["events", "--json"]).await;
    env.fails(&["-vv", "validate"], "").await;
    env.ok(&["-vv", "report"]).await;

    let access = keyring_lookup(&uid, "access-token").expect("access token");
    let refresh = keyring_lookup(&uid, "refresh-token").expect("refresh token");
    let printed = token_stdout.trim().to_string();
    assert_eq!(
        printed.split('.').count(),
        3,
        "`token` printed an access token (a JWT, as Passport issues)"
    );

    // The authorization code and state of the login are secrets too.
    let callback = env.last_callback.lock().unwrap().clone().unwrap();
    let query = callback.split_once('?').unwrap().1.to_string();
    let param = |name: &str| {
        query
            .split('&')
            .find_map(|p| p.strip_prefix(name))
            .unwrap()
            .to_string()
    };
    let (code, state) = (param("code="), param("state="));

    collect(&mut seen);
    let mut canaries = vec![
        client_secret,
        passphrase,
        access.as_str(),
        refresh.as_str(),
        code.as_str(),
        state.as_str(),
    ];
    canaries.extend(seen.iter().map(String::as_str));
    canaries.push(printed.as_str());
    // A secret can also leak encoded: libraries trace raw bytes as decimal lists or hex.
    let encoded: Vec<(String, String)> = canaries
        .iter()
        .flat_map(|c| {
            let bytes = c.as_bytes();
            let decimal = bytes
                .iter()
                .map(u8::to_string)
                .collect::<Vec<_>>()
                .join(", ");
            let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
            [
                (c.to_string(), c.to_string()),
                (c.to_string(), decimal),
                (c.to_string(), hex),
            ]
        })
        .collect();
    for (args, text) in env.transcript.lock().unwrap().iter() {
        // `token` prints the token by design; `sandbox consent` plays the browser and prints
        // the callback it was redirected to; `login` prints the authorize URL (with state).
        if args == "token [stdout]"
            || args.starts_with("sandbox consent")
            || args == "login [stdout]"
        {
            continue;
        }
        for (_, form) in &encoded {
            assert!(
                !text.contains(form.as_str()),
                "a secret appeared in the output of `thanksctl {args}`"
            );
        }
    }
    for (path, text) in env.files() {
        for c in &canaries {
            assert!(!text.contains(c), "a secret appeared in {}", path.display());
        }
    }
}
