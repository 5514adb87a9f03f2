//! `KeyringStore` against the real Secret Service.
//!
//! The round-trip tests need the keyring that `scripts/with-keyring.sh` starts: a private D-Bus
//! session with gnome-keyring unlocked in a throwaway HOME, announced by
//! `THANKS_TEST_KEYRING=1`. Without it they fail (never pass silently), because a green run
//! that never touched a keyring would prove nothing. Each run files its entries under its own
//! service name, so it can't touch the product's entries even on a developer's desktop.
//!
//! The failure tests need no keyring: each starts this test binary again in a child process
//! inside a deliberately broken environment of its own (no bus, a bus without a Secret
//! Service, a locked keyring), and checks the plain message the user would see.
//!
//! The recovery tests do the same, then fix the cause under the running child: they start a
//! bus or a gnome-keyring-daemon later, or kill and restart it, and check that the child's one
//! `KeyringStore` works again without the process restarting.

#![cfg(all(unix, not(target_os = "macos")))]

use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use thanks_core::secret::Secret;
use thanks_core::vault::{SecretKey, SecretKind, SecretStore, StoreError};
use thanks_keyring::KeyringStore;

mod common;
use common::unique;

const HARNESS_ENV: &str = "THANKS_TEST_KEYRING";
/// Selects the scenario when this binary runs as a child of a failure test.
const CHILD_ENV: &str = "THANKS_KEYRING_TEST_CHILD";
/// Planted in every value the failure tests try to store; no output may contain it.
const CANARY: &str = "canary-4d1f0b7e9a";
const CHILD_TIMEOUT: Duration = Duration::from_secs(60);
/// How long a bus or keyring daemon a child starts may take to be ready (normally ~0.1 s).
const READY_TIMEOUT: Duration = Duration::from_secs(20);
/// The login keyring password of the daemons the recovery tests start.
const CHILD_KEYRING_PASSWORD: &str = "child-keyring-password";

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
    let Some(scenario) = std::env::var_os(CHILD_ENV) else {
        return;
    };
    // The store's logs go to stderr, where the parent checks them too (for the canary).
    let _ = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .try_init();
    // One store for the whole scenario, as the app has one for its whole run.
    let store = KeyringStore::with_service(format!("thanks-connect-test-{}", std::process::id()));
    let k = key(&unique("child"), SecretKind::AccessToken);
    match scenario.to_str().unwrap_or_default() {
        "keyring-appears" => keyring_appears(&store, &k),
        "bus-appears" => bus_appears(&store, &k),
        "keyring-restarts" => keyring_restarts(&store, &k),
        _ => {
            report("check", store.check());
            report("set", store.set(&k, &Secret::new(CANARY)));
            report("get", store.get(&k).map(|_| ()));
            report("delete", store.delete(&k));
        }
    }
}

/// Prints one step's outcome for the parent: `@@ op ok -` or `@@ op code message`.
fn report(op: &str, result: Result<(), StoreError>) {
    match result {
        Ok(()) => println!("@@ {op} ok -"),
        Err(e) => println!("@@ {op} {} {e}", e.code()),
    }
}

/// Reads `k` and reports `ok` only if it holds `expected` (never printing what it holds).
fn report_value(op: &str, store: &KeyringStore, k: &SecretKey, expected: Option<&str>) {
    match store.get(k) {
        Ok(found) if found.as_ref().map(|s| s.expose()) == expected => report(op, Ok(())),
        Ok(_) => println!("@@ {op} wrong-value -"),
        Err(e) => report(op, Err(e)),
    }
}

/// Child: a bus with no Secret Service at first; then gnome-keyring starts on it.
fn keyring_appears(store: &KeyringStore, k: &SecretKey) {
    report("before-check", store.check());
    report("before-set", store.set(k, &Secret::new(CANARY)));

    let _daemon = Started::keyring_daemon(None);
    report("after-check", store.check());
    report("after-set", store.set(k, &Secret::new(CANARY)));
    report_value("after-get", store, k, Some(CANARY));
    report("after-delete", store.delete(k));
    report_value("after-get-deleted", store, k, None);
}

/// Child: no session bus at all at first; then one starts where a desktop's would be
/// (`$XDG_RUNTIME_DIR/bus`), with gnome-keyring on it.
fn bus_appears(store: &KeyringStore, k: &SecretKey) {
    report("before-check", store.check());

    let runtime = PathBuf::from(std::env::var_os("XDG_RUNTIME_DIR").expect("XDG_RUNTIME_DIR"));
    let (_bus, address) = Started::session_bus(&runtime);
    let _daemon = Started::keyring_daemon(Some(&address));
    report("after-check", store.check());
    report("after-set", store.set(k, &Secret::new(CANARY)));
    report_value("after-get", store, k, Some(CANARY));
    report("after-delete", store.delete(k));
}

/// Child: gnome-keyring runs; then it is killed and restarted twice under the same store:
/// once between two calls, once with a call while it is gone.
fn keyring_restarts(store: &KeyringStore, k: &SecretKey) {
    let first = format!("{CANARY}-first");
    let second = format!("{CANARY}-second");

    let daemon = Started::keyring_daemon(None);
    report("first-set", store.set(k, &Secret::new(first.clone())));
    report_value("first-get", store, k, Some(&first));

    // The store's session belonged to the daemon that is gone: the new one answers
    // NoSession until the store reconnects.
    daemon.stop();
    let daemon = Started::keyring_daemon(None);
    report_value("restarted-get", store, k, Some(&first));
    report("restarted-set", store.set(k, &Secret::new(second.clone())));

    daemon.stop();
    report_value("stopped-get", store, k, Some(&second));

    let _daemon = Started::keyring_daemon(None);
    report_value("back-get", store, k, Some(&second));
    report("back-check", store.check());
    report("back-delete", store.delete(k));
}

/// A process a child scenario started (a session bus, a keyring daemon). Killed by its PID
/// when stopped or dropped, so nothing outlives the scenario even when it panics.
struct Started {
    what: &'static str,
    process: Child,
    /// The bus it is on (a bus: itself), asked whether it is ready.
    bus: String,
}

impl Started {
    /// `gnome-keyring-daemon --unlock` on the session bus (`bus`, or the child's own),
    /// with the child's XDG_RUNTIME_DIR and HOME. Returns once it owns
    /// `org.freedesktop.secrets`.
    fn keyring_daemon(bus: Option<&str>) -> Self {
        let runtime = PathBuf::from(std::env::var_os("XDG_RUNTIME_DIR").expect("XDG_RUNTIME_DIR"));
        let log = File::options()
            .create(true)
            .append(true)
            .open(runtime.join("gnome-keyring.log"))
            .expect("daemon log");
        let mut cmd = Command::new("gnome-keyring-daemon");
        // --foreground keeps it our child, so its PID is the daemon's.
        cmd.args(["--foreground", "--unlock", "--components=secrets"])
            .stdin(Stdio::piped())
            .stdout(log.try_clone().expect("daemon log"))
            .stderr(log);
        if let Some(address) = bus {
            cmd.env("DBUS_SESSION_BUS_ADDRESS", address);
        }
        let mut process = cmd
            .spawn()
            .expect("gnome-keyring-daemon is installed by scripts/test.sh");
        // The password, then EOF: in a fresh HOME this creates the login keyring with it.
        let written = process
            .stdin
            .take()
            .expect("daemon stdin")
            .write_all(CHILD_KEYRING_PASSWORD.as_bytes());
        let mut daemon = Self {
            what: "gnome-keyring-daemon",
            process,
            bus: bus.map_or_else(session_bus_address, str::to_owned),
        };
        written.expect("password to gnome-keyring-daemon");
        daemon.wait_until("own org.freedesktop.secrets", |bus| {
            name_has_owner(bus, SECRETS) == Some(true)
        });
        daemon
    }

    /// A bare session bus (nothing D-Bus-activatable) listening at `$runtime/bus`.
    fn session_bus(runtime: &Path) -> (Self, String) {
        let conf = runtime.join("bus-appears.conf");
        fs::write(&conf, BARE_SESSION_CONF).expect("write bus config");
        let address = format!("unix:path={}", runtime.join("bus").display());
        let process = Command::new("dbus-daemon")
            .arg(format!("--config-file={}", conf.display()))
            .arg(format!("--address={address}"))
            .args(["--nofork", "--nopidfile"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("dbus-daemon is installed by scripts/test.sh");
        let mut bus = Self {
            what: "dbus-daemon",
            process,
            bus: address.clone(),
        };
        bus.wait_until("answer", |bus| {
            name_has_owner(bus, "org.freedesktop.DBus").is_some()
        });
        (bus, address)
    }

    fn wait_until(&mut self, what: &str, ready: impl Fn(&str) -> bool) {
        let started = Instant::now();
        while !ready(&self.bus) {
            if let Ok(Some(status)) = self.process.try_wait() {
                panic!("{} exited ({status}) before it {what}", self.what);
            }
            assert!(
                started.elapsed() < READY_TIMEOUT,
                "{} didn't {what} within {READY_TIMEOUT:?}",
                self.what
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Kills a keyring daemon by PID (abruptly, as a crash would) and waits until the bus
    /// has seen it go.
    fn stop(mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
        let started = Instant::now();
        while name_has_owner(&self.bus, SECRETS) != Some(false) {
            assert!(
                started.elapsed() < READY_TIMEOUT,
                "the bus still names a Secret Service {READY_TIMEOUT:?} after its daemon died"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Started {
    fn drop(&mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

const SECRETS: &str = "org.freedesktop.secrets";

/// The session bus the child was given (dbus-run-session's).
fn session_bus_address() -> String {
    std::env::var("DBUS_SESSION_BUS_ADDRESS").expect("a session bus (dbus-run-session)")
}

/// Asks the bus whether `name` has an owner, with `NameHasOwner`, which never starts
/// anything. `None` when the bus doesn't answer.
fn name_has_owner(bus: &str, name: &str) -> Option<bool> {
    let out = Command::new("dbus-send")
        .args([
            "--session",
            "--print-reply=literal",
            "--dest=org.freedesktop.DBus",
            "/org/freedesktop/DBus",
            "org.freedesktop.DBus.NameHasOwner",
        ])
        .arg(format!("string:{name}"))
        .env("DBUS_SESSION_BUS_ADDRESS", bus)
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .expect("dbus-send is installed by scripts/test.sh");
    let reply = String::from_utf8_lossy(&out.stdout);
    if !out.status.success() {
        None
    } else {
        Some(reply.contains("true"))
    }
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

/// The steps of the failure scenarios.
const FOUR_CALLS: &[&str] = &["check", "set", "get", "delete"];

/// What a child scenario reported, and its log.
#[derive(Debug)]
struct ChildRun {
    outcomes: Vec<Outcome>,
    stderr: String,
}

/// Starts this test binary's `child_scenario` through `wrapper` (e.g. `dbus-run-session --`)
/// in a scrubbed environment and returns what it reported, after checking it reported exactly
/// the steps `ops`, in order.
fn run_child(
    scenario: &str,
    wrapper: &[&str],
    runtime_dir: &Path,
    home: Option<&Path>,
    ops: &[&str],
) -> ChildRun {
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
    let reported: Vec<&str> = outcomes.iter().map(|o| o.op.as_str()).collect();
    assert_eq!(
        reported, ops,
        "scenario {scenario} reported:\n{stdout}\n{stderr}"
    );
    for o in &outcomes {
        println!("{scenario}: {} -> {}: {}", o.op, o.code, o.message);
    }
    ChildRun { outcomes, stderr }
}

/// Writes [`BARE_SESSION_CONF`] into `dir`; returns dbus-run-session's argument for it.
fn bare_bus_config(dir: &TempDir) -> String {
    let conf = dir.path().join("bare-session.conf");
    fs::write(&conf, BARE_SESSION_CONF).expect("write bus config");
    format!("--config-file={}", conf.display())
}

fn outcome<'a>(outcomes: &'a [Outcome], op: &str) -> &'a Outcome {
    outcomes.iter().find(|o| o.op == op).expect("op reported")
}

#[test]
fn without_a_session_bus_every_call_is_unavailable_and_says_how_to_fix_it() {
    let runtime = TempDir::new("runtime");
    // No DBUS_SESSION_BUS_ADDRESS and an empty XDG_RUNTIME_DIR: there is no bus to find.
    let outcomes = run_child("no-bus", &[], runtime.path(), None, FOUR_CALLS).outcomes;
    for o in &outcomes {
        assert_eq!(o.code, "vault.unavailable", "{o:?}");
        assert!(o.message.contains("No D-Bus session is running"), "{o:?}");
        assert!(o.message.contains("dbus-run-session"), "{o:?}");
    }
}

#[test]
fn without_a_secret_service_every_call_is_unavailable_and_says_how_to_fix_it() {
    let runtime = TempDir::new("runtime");
    let conf_arg = bare_bus_config(&runtime);
    let outcomes = run_child(
        "no-secret-service",
        &["dbus-run-session", &conf_arg, "--"],
        runtime.path(),
        None,
        FOUR_CALLS,
    )
    .outcomes;
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
        FOUR_CALLS,
    )
    .outcomes;
    for op in ["check", "set"] {
        let o = outcome(&outcomes, op);
        assert_eq!(o.code, "vault.locked", "{o:?}");
        assert!(o.message.contains("login keyring is locked"), "{o:?}");
    }
    // Reading a missing entry needs no unlock: the Secret Service just finds nothing. That is
    // why `check` writes.
    assert_eq!(outcome(&outcomes, "get").code, "ok");
}

// ---------------------------------------------------------------------------------------------
// Recovery in the same process, once the cause is fixed.

/// Asserts `op` succeeded.
fn assert_ok(run: &ChildRun, op: &str) {
    let o = outcome(&run.outcomes, op);
    assert_eq!(o.code, "ok", "{op}: {o:?}\n{}", run.stderr);
}

#[test]
fn a_secret_service_started_later_is_used_without_restarting_the_app() {
    let runtime = TempDir::new("runtime");
    let home = TempDir::new("home");
    let conf_arg = bare_bus_config(&runtime);
    let run = run_child(
        "keyring-appears",
        &["dbus-run-session", &conf_arg, "--"],
        runtime.path(),
        Some(home.path()),
        &[
            "before-check",
            "before-set",
            "after-check",
            "after-set",
            "after-get",
            "after-delete",
            "after-get-deleted",
        ],
    );
    for op in ["before-check", "before-set"] {
        let o = outcome(&run.outcomes, op);
        assert_eq!(o.code, "vault.unavailable", "{o:?}");
        assert!(o.message.contains("No Secret Service"), "{o:?}");
        assert!(!o.message.contains("restart Thanks Connect"), "{o:?}");
    }
    for op in [
        "after-check",
        "after-set",
        "after-get",
        "after-delete",
        "after-get-deleted",
    ] {
        assert_ok(&run, op);
    }
}

#[test]
fn a_session_bus_started_later_is_used_without_restarting_the_app() {
    let runtime = TempDir::new("runtime");
    let home = TempDir::new("home");
    // No bus yet: the child's own starts at $XDG_RUNTIME_DIR/bus, where a desktop's would be.
    let run = run_child(
        "bus-appears",
        &[],
        runtime.path(),
        Some(home.path()),
        &[
            "before-check",
            "after-check",
            "after-set",
            "after-get",
            "after-delete",
        ],
    );
    let o = outcome(&run.outcomes, "before-check");
    assert_eq!(o.code, "vault.unavailable", "{o:?}");
    assert!(o.message.contains("No D-Bus session is running"), "{o:?}");
    for op in ["after-check", "after-set", "after-get", "after-delete"] {
        assert_ok(&run, op);
    }
}

#[test]
fn a_restarted_secret_service_is_used_again_without_restarting_the_app() {
    let runtime = TempDir::new("runtime");
    let home = TempDir::new("home");
    let conf_arg = bare_bus_config(&runtime);
    let run = run_child(
        "keyring-restarts",
        &["dbus-run-session", &conf_arg, "--"],
        runtime.path(),
        Some(home.path()),
        &[
            "first-set",
            "first-get",
            "restarted-get",
            "restarted-set",
            "stopped-get",
            "back-get",
            "back-check",
            "back-delete",
        ],
    );
    for op in [
        "first-set",
        "first-get",
        "restarted-get",
        "restarted-set",
        "back-get",
        "back-check",
        "back-delete",
    ] {
        assert_ok(&run, op);
    }
    // While no daemon runs, the call says so plainly; it recovers once one is back.
    let o = outcome(&run.outcomes, "stopped-get");
    assert_eq!(o.code, "vault.unavailable", "{o:?}");
    assert!(o.message.contains("No Secret Service"), "{o:?}");
    // The first call after the restart met the dead session and reconnected (it didn't just
    // happen to work).
    assert!(
        run.stderr.contains("retrying once on a new one"),
        "no reconnect logged:\n{}",
        run.stderr
    );
}
