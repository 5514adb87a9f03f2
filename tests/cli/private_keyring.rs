//! A Secret Service of a test's own, to break on purpose: a bare session bus (nothing can be
//! D-Bus-activated on it) and, when asked, a gnome-keyring-daemon unlocked with a known
//! password, in a throwaway HOME and runtime directory. A test can lock its collection, kill
//! the daemon and start it again over the same keyring files: things the shared keyring of
//! `scripts/with-keyring.sh`, which every other test uses at the same time, must never go
//! through. `thanksctl` reaches it through `DBUS_SESSION_BUS_ADDRESS` ([`Self::env`]).
//!
//! Every process started here is killed by its PID when the value is dropped.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const PASSWORD: &str = "private-keyring-password";
const READY_TIMEOUT: Duration = Duration::from_secs(20);

/// A session bus with no service directories: no keyring daemon appears on its own (the stock
/// session.conf would start a locked gnome-keyring on demand).
const BARE_SESSION_CONF: &str = r#"<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <!-- Required; the address given on the command line replaces it. -->
  <listen>unix:tmpdir=/tmp</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"#;

#[derive(Debug)]
pub struct PrivateKeyring {
    dir: tempfile::TempDir,
    address: String,
    bus: Child,
    daemon: Option<Child>,
}

impl PrivateKeyring {
    /// The bus alone: no Secret Service on it until [`Self::start_daemon`].
    pub fn bus_only() -> Self {
        let dir = tempfile::Builder::new()
            .prefix("thanks-private-keyring-")
            .tempdir()
            .unwrap();
        for sub in ["home", "runtime"] {
            std::fs::create_dir(dir.path().join(sub)).unwrap();
        }
        // gnome-keyring and D-Bus refuse a runtime directory others can read.
        {
            use std::os::unix::fs::PermissionsExt;
            let private = std::fs::Permissions::from_mode(0o700);
            std::fs::set_permissions(dir.path().join("runtime"), private).unwrap();
        }
        let conf = dir.path().join("bus.conf");
        std::fs::write(&conf, BARE_SESSION_CONF).unwrap();
        let address = format!("unix:path={}", dir.path().join("bus").display());
        let bus = Command::new("dbus-daemon")
            .arg(format!("--config-file={}", conf.display()))
            .arg(format!("--address={address}"))
            .args(["--nofork", "--nopidfile"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("dbus-daemon is installed by scripts/test.sh");
        let keyring = Self {
            dir,
            address,
            bus,
            daemon: None,
        };
        keyring.wait_until("the private bus answers", |k| {
            k.name_has_owner("org.freedesktop.DBus").is_some()
        });
        keyring
    }

    /// The bus and an unlocked gnome-keyring on it.
    pub fn start() -> Self {
        let mut keyring = Self::bus_only();
        keyring.start_daemon();
        keyring
    }

    /// What `thanksctl` needs to use this keyring.
    pub fn env(&self) -> (String, String) {
        ("DBUS_SESSION_BUS_ADDRESS".into(), self.address.clone())
    }

    fn home(&self) -> PathBuf {
        self.dir.path().join("home")
    }

    /// Starts gnome-keyring-daemon (again) over this keyring's files and unlocks the login
    /// keyring with its password, as logging in to the desktop does. Returns once it answers
    /// a write.
    pub fn start_daemon(&mut self) {
        assert!(self.daemon.is_none(), "the daemon is already running");
        let home = self.home();
        let mut daemon = Command::new("gnome-keyring-daemon")
            .args(["--foreground", "--unlock", "--components=secrets"])
            .env("DBUS_SESSION_BUS_ADDRESS", &self.address)
            .env("HOME", &home)
            .env("XDG_DATA_HOME", home.join(".local/share"))
            .env("XDG_CONFIG_HOME", home.join(".config"))
            .env("XDG_RUNTIME_DIR", self.dir.path().join("runtime"))
            .env_remove("GNOME_KEYRING_CONTROL")
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("gnome-keyring-daemon is installed by scripts/test.sh");
        // The password, then EOF: the first time it creates the login keyring with it.
        daemon
            .stdin
            .take()
            .unwrap()
            .write_all(PASSWORD.as_bytes())
            .unwrap();
        self.daemon = Some(daemon);
        self.wait_until("gnome-keyring takes a write", |k| {
            k.secret_tool(
                &["store", "--label=probe", "private-keyring-probe", "ready"],
                "ready",
            )
            .is_some()
                && k.secret_tool(&["lookup", "private-keyring-probe", "ready"], "")
                    .as_deref()
                    == Some("ready")
        });
        self.secret_tool(&["clear", "private-keyring-probe", "ready"], "");
    }

    /// Kills the daemon abruptly (as a crash would) and waits until the bus has seen it go.
    pub fn kill_daemon(&mut self) {
        let mut daemon = self.daemon.take().expect("a running daemon");
        let _ = daemon.kill();
        let _ = daemon.wait();
        self.wait_until("the bus sees the Secret Service gone", |k| {
            k.name_has_owner("org.freedesktop.secrets") == Some(false)
        });
    }

    /// Locks the login collection through the Secret Service's own `Lock` method, as the
    /// desktop's "lock keyring" action or a screen lock policy does.
    pub fn lock(&self) {
        let out = Command::new("dbus-send")
            .args([
                "--session",
                "--print-reply",
                "--dest=org.freedesktop.secrets",
                "/org/freedesktop/secrets",
                "org.freedesktop.Secret.Service.Lock",
                "array:objpath:/org/freedesktop/secrets/collection/login",
            ])
            .env("DBUS_SESSION_BUS_ADDRESS", &self.address)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "Lock failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// The bus address, for the harness's `secret-tool` helpers.
    pub fn address(&self) -> &str {
        &self.address
    }

    fn secret_tool(&self, args: &[&str], stdin: &str) -> Option<String> {
        crate::harness::secret_tool(Some(&self.address), args, stdin)
    }

    /// `NameHasOwner`, which never starts anything; `None` when the bus doesn't answer.
    fn name_has_owner(&self, name: &str) -> Option<bool> {
        let out = Command::new("dbus-send")
            .args([
                "--session",
                "--print-reply=literal",
                "--dest=org.freedesktop.DBus",
                "/org/freedesktop/DBus",
                "org.freedesktop.DBus.NameHasOwner",
            ])
            .arg(format!("string:{name}"))
            .env("DBUS_SESSION_BUS_ADDRESS", &self.address)
            .stderr(Stdio::null())
            .output()
            .unwrap();
        out.status
            .success()
            .then(|| String::from_utf8_lossy(&out.stdout).contains("true"))
    }

    fn wait_until(&self, what: &str, ready: impl Fn(&Self) -> bool) {
        let started = Instant::now();
        while !ready(self) {
            assert!(
                started.elapsed() < READY_TIMEOUT,
                "{what}: not within {READY_TIMEOUT:?}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for PrivateKeyring {
    fn drop(&mut self) {
        if let Some(mut daemon) = self.daemon.take() {
            let _ = daemon.kill();
            let _ = daemon.wait();
        }
        let _ = self.bus.kill();
        let _ = self.bus.wait();
    }
}
