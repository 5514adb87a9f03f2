//! `KeyringStore` against the real Secret Service.
//!
//! The round-trip tests need the keyring that `scripts/with-keyring.sh` starts: a private D-Bus
//! session with gnome-keyring unlocked in a throwaway HOME, announced by
//! `THANKS_TEST_KEYRING=1`. Without it they fail (never pass silently), because a green run
//! that never touched a keyring would prove nothing. Each run files its entries under its own
//! service name, so it can't touch the product's entries even on a developer's desktop.
//!
//! The failure tests need no keyring: each starts this test binary again in a child process
//! (`keyring` sets its store up once per process, so every situation needs a fresh one) inside
//! a deliberately broken environment, and checks the plain message the user would see.

#![cfg(all(unix, not(target_os = "macos")))]

use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use thanks_core::secret::Secret;
use thanks_core::vault::{SecretKey, SecretKind, SecretStore, StoreError};
use thanks_keyring::KeyringStore;

const HARNESS_ENV: &str = "THANKS_TEST_KEYRING";
/// Selects the scenario when this binary runs as a child of a failure test.
const CHILD_ENV: &str = "THANKS_KEYRING_TEST_CHILD";
/// Planted in every value the failure tests try to store; no output may contain it.
const CANARY: &str = "canary-4d1f0b7e9a";
const CHILD_TIMEOUT: Duration = Duration::from_secs(60);

fn unique(tag: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock after 1970")
        .as_nanos();
    format!("{tag}-{}-{nanos}", std::process::id())
}

/// This run's store; fails the test unless the harness's keyring is there.
fn real_store() -> KeyringStore {
    let store = KeyringStore::with_service(format!("thanks-connect-test-{}", std::process::id()));
    if std::env::var(HARNESS_ENV).as_deref() != Ok("1") {
        // Say what the keyring here would answer. Reading an entry that never exists touches
        // nothing and prompts for nothing, even on a developer's desktop.
        let here = match store.get(&key("never-written", SecretKind::AccessToken)) {
            Err(e) => format!("The keyring here says: {e}"),
            Ok(_) => "A Secret Service answers here, but it isn't the harness's throwaway one, \
                      so these tests won't write to it."
                .to_owned(),
        };
        panic!(
            "This test needs the real Secret Service that scripts/with-keyring.sh provides (a \
             private D-Bus session with an unlocked gnome-keyring), and {HARNESS_ENV} is not 1. \
             Run it through `scripts/test.sh`, or `scripts/with-keyring.sh cargo test -p \
             thanks-keyring`.\n{here}"
        );
    }
    store
}

fn key(owner: &str, kind: SecretKind) -> SecretKey {
    SecretKey::new(owner, kind)
}

fn value(store: &KeyringStore, key: &SecretKey) -> Option<String> {
    store.get(key).expect("get").map(|s| s.expose().to_owned())
}

#[test]
fn set_get_overwrite_delete_round_trip() {
    let store = real_store();
    let k = key(&unique("p"), SecretKind::AccessToken);

    store.set(&k, &Secret::new("first")).expect("set");
    assert_eq!(value(&store, &k).as_deref(), Some("first"));

    store.set(&k, &Secret::new("second")).expect("overwrite");
    assert_eq!(value(&store, &k).as_deref(), Some("second"));

    store.delete(&k).expect("delete");
    assert_eq!(value(&store, &k), None);
}

#[test]
fn values_are_stored_as_their_exact_bytes() {
    let store = real_store();
    let owner = unique("p");
    let samples = [
        "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl".to_owned(),
        "nul\0inside, tab\t, newline\n, CR\r, and trailing space ".to_owned(),
        "ünïcödé ✓ 🔑 混合".to_owned(),
        "=+/ base64 padding and % url %2F escapes &amp;".to_owned(),
        "x".repeat(8 * 1024),
    ];
    for (i, sample) in samples.iter().enumerate() {
        let k = key(&format!("{owner}-{i}"), SecretKind::RefreshToken);
        store.set(&k, &Secret::new(sample.clone())).expect("set");
        assert_eq!(value(&store, &k).as_ref(), Some(sample), "sample {i}");

        // The entry holds the UTF-8 bytes themselves (no UTF-16, no base64), so other tools
        // and other platforms read the same thing.
        let raw = keyring::Entry::new(store.service(), &k.account()).expect("entry");
        assert_eq!(
            raw.get_secret().expect("raw get"),
            sample.as_bytes(),
            "sample {i}"
        );
        store.delete(&k).expect("delete");
    }
}

#[test]
fn owners_kinds_and_services_do_not_collide() {
    let store = real_store();
    let other_service = KeyringStore::with_service(format!("{}-other", store.service()));
    let (a, b) = (unique("a"), unique("b"));
    let entries = [
        (&store, key(&a, SecretKind::AccessToken), "a-access"),
        (&store, key(&a, SecretKind::RefreshToken), "a-refresh"),
        (&store, key(&b, SecretKind::AccessToken), "b-access"),
        (
            &other_service,
            key(&a, SecretKind::AccessToken),
            "other-a-access",
        ),
    ];
    for (s, k, v) in &entries {
        s.set(k, &Secret::new(*v)).expect("set");
    }
    for (s, k, v) in &entries {
        assert_eq!(value(s, k).as_deref(), Some(*v), "{}", k.account());
    }

    store
        .delete(&key(&a, SecretKind::AccessToken))
        .expect("delete");
    assert_eq!(value(&store, &key(&a, SecretKind::AccessToken)), None);
    assert_eq!(
        value(&store, &key(&a, SecretKind::RefreshToken)).as_deref(),
        Some("a-refresh")
    );
    assert_eq!(
        value(&store, &key(&b, SecretKind::AccessToken)).as_deref(),
        Some("b-access")
    );
    assert_eq!(
        value(&other_service, &key(&a, SecretKind::AccessToken)).as_deref(),
        Some("other-a-access")
    );
    for (s, k, _) in &entries {
        s.delete(k).expect("cleanup");
    }
}

#[test]
fn missing_entries_read_as_none_and_delete_as_ok() {
    let store = real_store();
    let k = key(&unique("never-written"), SecretKind::PersonalToken);
    assert_eq!(value(&store, &k), None);
    store.delete(&k).expect("delete of a missing entry");
    store.delete(&k).expect("second delete");
}

#[test]
fn check_passes_and_leaves_no_entry_behind() {
    let store = real_store();
    store.check().expect("check");
    store.check().expect("check again");

    // `check` writes a probe; nothing of it may stay in the user's keyring.
    let out = Command::new("secret-tool")
        .args(["search", "--all", "service", store.service()])
        .output()
        .expect("secret-tool is installed by scripts/test.sh (libsecret-tools)");
    let listing = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        !listing.contains("keyring-check"),
        "probe left behind:\n{listing}"
    );
}

#[test]
fn an_entry_that_is_not_text_fails_plainly_without_its_bytes() {
    let store = real_store();
    let k = key(&unique("p"), SecretKind::ClientSecret);
    let mut bytes = vec![0xff, 0xfe, 0x00];
    bytes.extend_from_slice(CANARY.as_bytes());
    let raw = keyring::Entry::new(store.service(), &k.account()).expect("entry");
    raw.set_secret(&bytes).expect("raw set");

    let err = store
        .get(&k)
        .expect_err("non-UTF-8 data is not a secret of ours");
    assert!(
        matches!(&err, StoreError::Failed(m) if m.contains("doesn't hold text")),
        "{err:?}"
    );
    assert!(!err.to_string().contains(CANARY));
    store.delete(&k).expect("delete");
}

#[test]
fn names() {
    assert_eq!(KeyringStore::new().service(), "thanks-connect");
    assert_eq!(KeyringStore::default().service(), "thanks-connect");
    assert_eq!(KeyringStore::new().backend_name(), "Secret Service");
}

// ---------------------------------------------------------------------------------------------
// Failure situations, each in a child process.

/// One store call as the child saw it: `op`, then `ok` or the error code, then the message.
#[derive(Debug)]
struct Outcome {
    op: String,
    code: String,
    message: String,
}

/// Runs in the child; `#[ignore]`d so a normal run lists it but doesn't run it.
#[test]
#[ignore = "helper: the failure tests run it in a child process"]
fn child_scenario() {
    if std::env::var_os(CHILD_ENV).is_none() {
        return;
    }
    let store = KeyringStore::with_service(format!("thanks-connect-test-{}", std::process::id()));
    let k = key(&unique("child"), SecretKind::AccessToken);
    let report = |op: &str, result: Result<(), StoreError>| match result {
        Ok(()) => println!("@@ {op} ok -"),
        Err(e) => println!("@@ {op} {} {e}", e.code()),
    };
    report("check", store.check());
    report("set", store.set(&k, &Secret::new(CANARY)));
    report("get", store.get(&k).map(|_| ()));
    report("delete", store.delete(&k));
}

struct TempDir(PathBuf);

impl TempDir {
    fn new(tag: &str) -> Self {
        use std::os::unix::fs::PermissionsExt;
        let path = std::env::temp_dir().join(unique(&format!("thanks-keyring-{tag}")));
        fs::create_dir(&path).expect("create temp dir");
        // XDG_RUNTIME_DIR must be private, or D-Bus and gnome-keyring refuse it.
        fs::set_permissions(&path, fs::Permissions::from_mode(0o700)).expect("chmod 700");
        Self(path)
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// A session bus with no service directories: nothing can be D-Bus-activated, so no keyring
/// daemon appears on its own (the stock session.conf would start gnome-keyring on demand).
const BARE_SESSION_CONF: &str = r#"<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:tmpdir=/tmp</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"#;

/// Starts this test binary's `child_scenario` through `wrapper` (e.g. `dbus-run-session --`)
/// in a scrubbed environment and returns what it reported.
fn run_child(
    scenario: &str,
    wrapper: &[&str],
    runtime_dir: &Path,
    home: Option<&Path>,
) -> Vec<Outcome> {
    let exe = std::env::current_exe().expect("test binary path");
    let logs = TempDir::new("child-logs");
    let (out_path, err_path) = (logs.path().join("stdout"), logs.path().join("stderr"));

    let mut cmd = match wrapper.split_first() {
        Some((program, args)) => {
            let mut c = Command::new(program);
            c.args(args).arg(&exe);
            c
        }
        None => Command::new(&exe),
    };
    cmd.args([
        "--exact",
        "child_scenario",
        "--ignored",
        "--nocapture",
        "--test-threads=1",
    ])
    .env(CHILD_ENV, scenario)
    .env("XDG_RUNTIME_DIR", runtime_dir)
    // Nothing of the harness's (or the developer's) session may leak in: no bus, no
    // running keyring daemon, no display for an unlock prompt, no data directories.
    .env_remove("DBUS_SESSION_BUS_ADDRESS")
    .env_remove("GNOME_KEYRING_CONTROL")
    .env_remove("DISPLAY")
    .env_remove("WAYLAND_DISPLAY")
    .env_remove("XDG_DATA_HOME")
    .env_remove("XDG_CONFIG_HOME")
    .env_remove("XDG_CACHE_HOME")
    .stdin(Stdio::null())
    .stdout(File::create(&out_path).expect("stdout file"))
    .stderr(File::create(&err_path).expect("stderr file"));
    if let Some(home) = home {
        cmd.env("HOME", home);
    }

    let mut child = match cmd.spawn() {
        Ok(child) => child,
        Err(e) => panic!(
            "couldn't start {:?} ({e}); run the tests through `scripts/test.sh`, which installs \
             dbus and gnome-keyring",
            wrapper.first().map_or(exe.as_os_str(), |p| p.as_ref())
        ),
    };
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for child") {
            break status;
        }
        if started.elapsed() > CHILD_TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            panic!("scenario {scenario} hung for {CHILD_TIMEOUT:?} (an unlock prompt waiting?)");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let stdout = fs::read_to_string(&out_path).unwrap_or_default();
    let stderr = fs::read_to_string(&err_path).unwrap_or_default();
    assert!(
        status.success(),
        "scenario {scenario} failed ({status}):\n{stdout}\n{stderr}"
    );
    assert!(
        !stdout.contains(CANARY) && !stderr.contains(CANARY),
        "the secret leaked:\n{stdout}\n{stderr}"
    );

    let outcomes: Vec<Outcome> = stdout
        .lines()
        // libtest may print "test child_scenario ... " on the same line first.
        .filter_map(|line| line.find("@@ ").map(|at| &line[at + 3..]))
        .map(|line| {
            let mut parts = line.splitn(3, ' ');
            let mut next = || parts.next().unwrap_or_default().to_owned();
            Outcome {
                op: next(),
                code: next(),
                message: next(),
            }
        })
        .collect();
    assert_eq!(
        outcomes.len(),
        4,
        "scenario {scenario} reported:\n{stdout}\n{stderr}"
    );
    for o in &outcomes {
        println!("{scenario}: {} -> {}: {}", o.op, o.code, o.message);
    }
    outcomes
}

fn outcome<'a>(outcomes: &'a [Outcome], op: &str) -> &'a Outcome {
    outcomes.iter().find(|o| o.op == op).expect("op reported")
}

#[test]
fn without_a_session_bus_every_call_is_unavailable_and_says_how_to_fix_it() {
    let runtime = TempDir::new("runtime");
    // No DBUS_SESSION_BUS_ADDRESS and an empty XDG_RUNTIME_DIR: there is no bus to find.
    let outcomes = run_child("no-bus", &[], runtime.path(), None);
    for o in &outcomes {
        assert_eq!(o.code, "vault.unavailable", "{o:?}");
        assert!(o.message.contains("No D-Bus session is running"), "{o:?}");
        assert!(o.message.contains("dbus-run-session"), "{o:?}");
    }
}

#[test]
fn without_a_secret_service_every_call_is_unavailable_and_says_how_to_fix_it() {
    let runtime = TempDir::new("runtime");
    let conf = runtime.path().join("bare-session.conf");
    fs::write(&conf, BARE_SESSION_CONF).expect("write bus config");
    let conf_arg = format!("--config-file={}", conf.display());
    let outcomes = run_child(
        "no-secret-service",
        &["dbus-run-session", &conf_arg, "--"],
        runtime.path(),
        None,
    );
    for o in &outcomes {
        assert_eq!(o.code, "vault.unavailable", "{o:?}");
        assert!(o.message.contains("No Secret Service"), "{o:?}");
        assert!(o.message.contains("gnome-keyring"), "{o:?}");
    }
}

#[test]
fn with_a_keyring_that_is_not_unlocked_check_and_set_say_locked() {
    // The stock session bus starts gnome-keyring on demand, as a desktop would, but with no
    // password: in a fresh HOME the login keyring can't be created or unlocked, and with no
    // display its prompt fails at once.
    let runtime = TempDir::new("runtime");
    let home = TempDir::new("home");
    let outcomes = run_child(
        "locked",
        &["dbus-run-session", "--"],
        runtime.path(),
        Some(home.path()),
    );
    for op in ["check", "set"] {
        let o = outcome(&outcomes, op);
        assert_eq!(o.code, "vault.locked", "{o:?}");
        assert!(o.message.contains("login keyring is locked"), "{o:?}");
    }
    // Reading a missing entry needs no unlock: the Secret Service just finds nothing. That is
    // why `check` writes.
    assert_eq!(outcome(&outcomes, "get").code, "ok");
}
