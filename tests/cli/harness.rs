//! What every test needs: a sandbox, a config home, and `thanksctl` runs whose output is kept
//! so the canary test can search all of it.

use std::path::PathBuf;
use std::process::{Output, Stdio};
use std::sync::Mutex;
use std::time::Duration;

use serde_json::Value;
use thanks_sandbox::{Sandbox, SandboxConfig};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::process::{Child, Command};

pub const REDIRECT: &str = "dev.thanksconnect.app://oauth/callback";

pub fn require_keyring() {
    assert_eq!(
        std::env::var("THANKS_TEST_KEYRING").as_deref(),
        Ok("1"),
        "these tests need a real Secret Service: run them through scripts/test.sh \
         (it starts a private D-Bus session with an unlocked gnome-keyring)"
    );
}

pub struct Env {
    pub sandbox: Sandbox,
    pub home: tempfile::TempDir,
    /// Every stdout/stderr of every run, for the canary search.
    pub transcript: Mutex<Vec<(String, String)>>,
    pub extra_env: Vec<(String, String)>,
    /// The last callback URL `login()` pasted (it holds a code and a state).
    pub last_callback: Mutex<Option<String>>,
}

impl Env {
    pub async fn start() -> Self {
        Self::with(SandboxConfig::default()).await
    }

    pub async fn with(mut config: SandboxConfig) -> Self {
        require_keyring();
        config.port = 0;
        let sandbox = Sandbox::start(config).await.expect("sandbox starts");
        Self {
            sandbox,
            home: tempfile::tempdir().unwrap(),
            transcript: Mutex::new(Vec::new()),
            extra_env: Vec::new(),
            last_callback: Mutex::new(None),
        }
    }

    pub fn command(&self, args: &[&str]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_thanksctl"));
        c.args(args)
            .env("THANKS_CONNECT_HOME", self.home.path())
            .env_remove("THANKS_CONNECT_PROFILE")
            .env_remove("BROWSER")
            .env("RUST_LOG", "trace")
            .kill_on_drop(true);
        for (k, v) in &self.extra_env {
            c.env(k, v);
        }
        c
    }

    fn record(&self, args: &[&str], out: &Output) {
        let mut t = self.transcript.lock().unwrap();
        t.push((
            format!("{} [stdout]", args.join(" ")),
            String::from_utf8_lossy(&out.stdout).into_owned(),
        ));
        t.push((
            format!("{} [stderr]", args.join(" ")),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        ));
    }

    /// Runs thanksctl to the end with `stdin` as its input.
    pub async fn run(&self, args: &[&str], stdin: &str) -> Output {
        let spawn = || {
            self.command(args)
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
        };
        // Under Wine, starting a process now and then fails with ERROR_INTERNAL_ERROR (1359)
        // while the wineserver is busy; the same start a moment later works. Windows itself
        // doesn't do this, so only that error, only on Windows, gets one more try.
        let mut child = match spawn() {
            Err(e) if cfg!(windows) && e.raw_os_error() == Some(1359) => {
                tokio::time::sleep(Duration::from_millis(200)).await;
                spawn().unwrap()
            }
            other => other.unwrap(),
        };
        let mut input = child.stdin.take().unwrap();
        input.write_all(stdin.as_bytes()).await.unwrap();
        drop(input);
        let out = tokio::time::timeout(Duration::from_secs(60), child.wait_with_output())
            .await
            .expect("thanksctl finished")
            .unwrap();
        self.record(args, &out);
        out
    }

    pub async fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args, "").await;
        assert!(
            out.status.success(),
            "thanksctl {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    /// Runs a command that must fail; returns (exit code, stderr).
    pub async fn fails(&self, args: &[&str], stdin: &str) -> (i32, String) {
        let out = self.run(args, stdin).await;
        assert!(
            !out.status.success(),
            "thanksctl {args:?} should have failed"
        );
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }

    pub async fn status(&self) -> Value {
        serde_json::from_str(&self.ok(&["status", "--json"]).await).unwrap()
    }

    pub async fn setup_profile(&self) {
        self.setup_profile_as("default").await
    }

    pub async fn setup_profile_as(&self, profile: &str) {
        let s = &self.sandbox;
        self.setup_client(profile, s.client_id(), s.client_secret(), Some(REDIRECT))
            .await;
    }

    /// Points `profile` at the sandbox with this OAuth client; `redirect: None` keeps the
    /// profile's default redirect URI.
    pub async fn setup_client(
        &self,
        profile: &str,
        client_id: &str,
        client_secret: &str,
        redirect: Option<&str>,
    ) {
        let s = &self.sandbox;
        let (authorize, token, api) = (s.authorize_url(), s.token_url(), s.api_base());
        let mut args = vec![
            "--profile",
            profile,
            "profile",
            "set",
            "--authorize-url",
            &authorize,
            "--token-url",
            &token,
            "--api-base",
            &api,
            "--client-id",
            client_id,
            "--client-secret-stdin",
        ];
        if let Some(r) = redirect {
            args.extend(["--redirect-uri", r]);
        }
        let out = self.run(&args, &format!("{client_secret}\n")).await;
        assert!(
            out.status.success(),
            "profile set: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// Plays the user on the consent page; returns the callback URL.
    pub async fn consent(&self, authorize_url: &str, deny: bool) -> String {
        let mut args = vec!["sandbox", "consent", authorize_url];
        if deny {
            args.push("--deny");
        }
        self.ok(&args).await.trim().to_string()
    }

    /// Starts `thanksctl login --no-browser` and returns it with the authorize URL it printed.
    pub async fn start_login(&self) -> (Child, String) {
        self.start_login_as("default").await
    }

    pub async fn start_login_as(&self, profile: &str) -> (Child, String) {
        let mut child = self
            .command(&[
                "--profile",
                profile,
                "login",
                "--no-browser",
                "--timeout",
                "30",
            ])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let url = tokio::time::timeout(Duration::from_secs(20), lines.next_line())
            .await
            .expect("URL printed")
            .unwrap()
            .unwrap();
        (child, url)
    }

    /// Waits for a login started by `start_login` to end. If it doesn't within the deadline,
    /// it is killed and the test fails with what it printed so far: a login that hangs must
    /// say where it hung (under Wine, a bare "timed out" told us nothing).
    pub async fn finish(&self, mut child: Child) -> Output {
        async fn drain(pipe: Option<impl tokio::io::AsyncRead + Unpin>) -> Vec<u8> {
            let mut buf = Vec::new();
            if let Some(mut p) = pipe {
                let _ = tokio::io::AsyncReadExt::read_to_end(&mut p, &mut buf).await;
            }
            buf
        }
        let stdout = tokio::spawn(drain(child.stdout.take()));
        let stderr = tokio::spawn(drain(child.stderr.take()));
        let status = tokio::time::timeout(Duration::from_secs(40), child.wait()).await;
        let status = match status {
            Ok(s) => s.unwrap(),
            Err(_) => {
                let _ = child.kill().await;
                let err = stderr.await.unwrap_or_default();
                let text = String::from_utf8_lossy(&err);
                let tail: Vec<&str> = text.lines().rev().take(40).collect();
                let tail: Vec<&str> = tail.into_iter().rev().collect();
                panic!(
                    "login didn't finish within 40 s; the last lines it printed:\n{}",
                    tail.join("\n")
                );
            }
        };
        let out = Output {
            status,
            stdout: stdout.await.unwrap_or_default(),
            stderr: stderr.await.unwrap_or_default(),
        };
        self.record(&["login"], &out);
        out
    }

    /// The whole login: login, approve, paste the callback on stdin.
    pub async fn login(&self) {
        self.login_as("default").await
    }

    pub async fn login_as(&self, profile: &str) {
        self.setup_profile_as(profile).await;
        self.login_with_profile_as_set(profile).await;
    }

    /// Login, approve, paste the callback on stdin, with the profile as it is set up now.
    pub async fn login_with_profile_as_set(&self, profile: &str) {
        let (mut child, url) = self.start_login_as(profile).await;
        let callback = self.consent(&url, false).await;
        *self.last_callback.lock().unwrap() = Some(callback.clone());
        let mut stdin = child.stdin.take().unwrap();
        stdin
            .write_all(format!("{callback}\n").as_bytes())
            .await
            .unwrap();
        let out = self.finish(child).await;
        assert!(
            out.status.success(),
            "login failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    pub fn profile_uid(&self) -> String {
        let text = std::fs::read_to_string(self.home.path().join("config.toml")).unwrap();
        let line = text
            .lines()
            .find(|l| l.starts_with("uid"))
            .expect("uid line");
        line.split('"').nth(1).unwrap().to_string()
    }

    /// No secret, in any form [`encodings`] knows, is in anything a command printed or in any
    /// file under the config home.
    #[cfg(target_os = "linux")]
    pub fn assert_no_secret_anywhere(&self, secrets: &[String]) {
        let forms: Vec<String> = secrets.iter().flat_map(|s| encodings(s)).collect();
        let files = self
            .files()
            .into_iter()
            .map(|(p, t)| (p.display().to_string(), t));
        let transcript = self.transcript.lock().unwrap().clone();
        for (what, text) in transcript.into_iter().chain(files) {
            for form in &forms {
                assert!(!text.contains(form.as_str()), "a secret appeared in {what}");
            }
        }
    }

    /// Every file under the config home, with its contents.
    pub fn files(&self) -> Vec<(PathBuf, String)> {
        fn walk(dir: &std::path::Path, out: &mut Vec<(PathBuf, String)>) {
            for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
                let p = e.path();
                if p.is_dir() {
                    walk(&p, out);
                } else {
                    out.push((
                        p.clone(),
                        String::from_utf8_lossy(&std::fs::read(&p).unwrap_or_default())
                            .into_owned(),
                    ));
                }
            }
        }
        let mut out = Vec::new();
        walk(self.home.path(), &mut out);
        out
    }
}

/// A secret as it may leak: as is, and as the decimal byte lists and hex that libraries trace
/// raw bytes as.
pub fn encodings(secret: &str) -> [String; 3] {
    let bytes = secret.as_bytes();
    let decimal = bytes
        .iter()
        .map(u8::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    [secret.to_string(), decimal, hex]
}

/// Reads a secret straight from the Secret Service with `secret-tool`, as an admin would.
#[cfg(not(any(windows, target_os = "macos")))]
pub fn keyring_lookup(uid: &str, kind: &str) -> Option<String> {
    keyring_lookup_on(None, uid, kind)
}

/// [`keyring_lookup`] on another session bus than the harness's (`None`: the harness's).
#[cfg(target_os = "linux")]
pub fn keyring_lookup_on(bus: Option<&str>, uid: &str, kind: &str) -> Option<String> {
    let account = format!("{uid}/{kind}");
    let args = ["lookup", "service", "thanks-connect", "username", &account];
    secret_tool(bus, &args, "").filter(|v| !v.is_empty())
}

/// Deletes a secret behind Thanks Connect's back, as an admin (or a keyring cleaner) would.
#[cfg(target_os = "linux")]
pub fn keyring_clear_on(bus: Option<&str>, uid: &str, kind: &str) {
    let account = format!("{uid}/{kind}");
    let args = ["clear", "service", "thanks-connect", "username", &account];
    secret_tool(bus, &args, "").expect("secret-tool clear");
}

/// Runs `secret-tool ARGS` with `stdin`; its trimmed stdout when it succeeds.
#[cfg(target_os = "linux")]
pub fn secret_tool(bus: Option<&str>, args: &[&str], stdin: &str) -> Option<String> {
    use std::io::Write;
    let mut cmd = std::process::Command::new("secret-tool");
    cmd.args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    if let Some(bus) = bus {
        cmd.env("DBUS_SESSION_BUS_ADDRESS", bus);
    }
    let mut child = cmd.spawn().expect("secret-tool is installed");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// Reads a secret from Credential Manager (or the Keychain) the way thanksctl's own store does
/// (a long token is kept in parts in Credential Manager, which only the store puts back
/// together).
#[cfg(any(windows, target_os = "macos"))]
pub fn keyring_lookup(uid: &str, kind: &str) -> Option<String> {
    use thanks_core::vault::{SecretKey, SecretKind, SecretStore};
    let kind = [
        SecretKind::AccessToken,
        SecretKind::RefreshToken,
        SecretKind::ClientSecret,
        SecretKind::PersonalToken,
        SecretKind::PkceVerifier,
    ]
    .into_iter()
    .find(|k| k.as_str() == kind)
    .expect("a secret kind");
    thanks_keyring::KeyringStore::new()
        .get(&SecretKey::new(uid, kind))
        .expect("Credential Manager answers")
        .map(|secret| secret.expose().to_owned())
}
