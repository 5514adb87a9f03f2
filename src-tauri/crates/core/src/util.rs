//! Small helpers shared by the modules: randomness, hashing, time, atomic files, file locks.

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::Path;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};

/// `n` bytes from the OS CSPRNG, base64url without padding.
pub fn random_b64url(n: usize) -> String {
    let mut buf = vec![0u8; n];
    // The OS RNG failing is not something a program can recover from.
    getrandom::fill(&mut buf).expect("the operating system's random number generator failed");
    URL_SAFE_NO_PAD.encode(buf)
}

/// base64url(SHA-256(input)) without padding: the PKCE S256 transform and our key derivation.
pub fn sha256_b64url(input: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(input.as_bytes()))
}

/// Seconds since the Unix epoch.
pub type UnixTime = i64;

/// RFC 3339 rendering of a Unix time, for status views.
pub fn rfc3339(t: UnixTime) -> String {
    time::OffsetDateTime::from_unix_timestamp(t)
        .ok()
        .and_then(|d| {
            d.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_else(|| t.to_string())
}

/// A short human duration: `45s`, `3m 5s`, `2h 10m`, `3d 4h` (the sign is the caller's).
pub fn human_duration(secs: i64) -> String {
    let s = secs.unsigned_abs();
    let (d, h, m, s) = (s / 86_400, s / 3600 % 24, s / 60 % 60, s % 60);
    match (d, h, m) {
        (0, 0, 0) => format!("{s}s"),
        (0, 0, _) => format!("{m}m {s}s"),
        (0, _, _) => format!("{h}h {m}m"),
        _ => format!("{d}d {h}h"),
    }
}

/// Writes `bytes` to `path` atomically (temp file in the same directory, fsync, rename), with
/// mode 0600 on Unix: config and metadata are not secret, but they are nobody else's business.
///
/// On Windows a file can't be replaced while another program holds it open without allowing
/// deletion (an editor, a virus scanner, a backup tool): the rename is retried for a moment,
/// then fails with a message saying so, and the file keeps its old contents.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir)?;
    let tmp = dir.join(format!(
        ".{}.{}.tmp",
        path.file_name().and_then(|n| n.to_str()).unwrap_or("file"),
        random_b64url(6)
    ));
    let result = (|| {
        let mut f = open_private(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        drop(f);
        rename_replacing(&tmp, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

#[cfg(not(windows))]
fn rename_replacing(from: &Path, to: &Path) -> std::io::Result<()> {
    fs::rename(from, to)
}

/// How long a replace waits for another program to let go of the file, in total.
#[cfg(windows)]
const REPLACE_PATIENCE: std::time::Duration = std::time::Duration::from_secs(2);

#[cfg(windows)]
fn rename_replacing(from: &Path, to: &Path) -> std::io::Result<()> {
    // ERROR_ACCESS_DENIED and ERROR_SHARING_VIOLATION: what replacing a file that is open
    // without FILE_SHARE_DELETE fails with.
    const HELD_OPEN: [i32; 2] = [5, 32];
    let deadline = std::time::Instant::now() + REPLACE_PATIENCE;
    let mut pause = std::time::Duration::from_millis(10);
    loop {
        match fs::rename(from, to) {
            Err(e) if e.raw_os_error().is_some_and(|c| HELD_OPEN.contains(&c)) => {
                if std::time::Instant::now() >= deadline {
                    return Err(std::io::Error::new(
                        e.kind(),
                        format!(
                            "another program has the file open and won't let it be replaced \
                             (or it is read-only); close that program and try again ({e})"
                        ),
                    ));
                }
                std::thread::sleep(pause);
                pause = (pause * 2).min(std::time::Duration::from_millis(200));
            }
            result => return result,
        }
    }
}

fn open_private(path: &Path) -> std::io::Result<File> {
    let mut opts = OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    opts.open(path)
}

/// An exclusive advisory lock on a file, released on drop. Blocking: call it off the runtime.
#[derive(Debug)]
pub struct FileLock(File);

impl FileLock {
    pub fn acquire(path: &Path) -> std::io::Result<Self> {
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir)?;
        }
        let f = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(path)?;
        f.lock()?;
        Ok(Self(f))
    }
}

impl Drop for FileLock {
    fn drop(&mut self) {
        let _ = self.0.unlock();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pkce_s256_matches_an_independent_implementation() {
        // Expected value computed with Python's hashlib + base64.urlsafe_b64encode.
        assert_eq!(
            sha256_b64url("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW-gFWQxdL4I"),
            "lqzoMI0ze2W2rZZAyVfGlmZ0Kx-OSBn0YlF65j_WgHo"
        );
    }

    #[test]
    fn atomic_write_replaces_and_is_private() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.toml");
        write_atomic(&p, b"one").unwrap();
        write_atomic(&p, b"two").unwrap();
        assert_eq!(fs::read_to_string(&p).unwrap(), "two");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(
                fs::metadata(&p).unwrap().permissions().mode() & 0o777,
                0o600
            );
        }
        assert_eq!(
            fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no temp files left"
        );
    }

    /// Selects the file holder when this test binary runs as a child of the test below.
    #[cfg(windows)]
    const HOLD_ENV: &str = "THANKS_TEST_HOLD_OPEN";

    /// Runs in the child: opens the file with the given share mode, says so, and holds it.
    #[cfg(windows)]
    #[test]
    #[ignore = "helper: the Windows replace test runs it in a child process"]
    fn hold_open_helper() {
        use std::os::windows::fs::OpenOptionsExt;
        let Ok(spec) = std::env::var(HOLD_ENV) else {
            return;
        };
        let mut fields = spec.splitn(3, '|');
        let share: u32 = fields.next().unwrap().parse().unwrap();
        let millis: u64 = fields.next().unwrap().parse().unwrap();
        let path = fields.next().unwrap();
        let file = OpenOptions::new()
            .read(true)
            .share_mode(share)
            .open(path)
            .expect("open");
        println!("@@ holding");
        std::thread::sleep(std::time::Duration::from_millis(millis));
        drop(file);
    }

    /// Another process that has `path` open with `share` for `millis`, once it has opened it.
    #[cfg(windows)]
    fn held_open(path: &Path, share: u32, millis: u64) -> std::process::Child {
        use std::io::{BufRead, BufReader};
        let mut child = std::process::Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "util::tests::hold_open_helper",
                "--ignored",
                "--nocapture",
            ])
            .env(HOLD_ENV, format!("{share}|{millis}|{}", path.display()))
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("start the holder");
        let mut lines = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        while !line.contains("@@ holding") {
            line.clear();
            assert_ne!(lines.read_line(&mut line).unwrap(), 0, "the holder exited");
        }
        // Read the rest, so the holder's test harness can write its summary when it's done.
        std::thread::spawn(move || std::io::copy(&mut lines, &mut std::io::sink()));
        child
    }

    #[cfg(windows)]
    #[test]
    fn atomic_write_replaces_a_file_another_process_holds_open() {
        const SHARE_READ_WRITE: u32 = 0x1 | 0x2;
        const SHARE_ALL: u32 = SHARE_READ_WRITE | 0x4;
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("config.toml");
        write_atomic(&p, b"one").unwrap();
        let only_target_left = || {
            let names: Vec<_> = fs::read_dir(dir.path())
                .unwrap()
                .flatten()
                .map(|e| e.file_name())
                .collect();
            assert_eq!(names, ["config.toml"], "no temp files left");
        };

        // A reader that allows deletion (as Rust and most tools open files). Windows 10+
        // replaces the file under it at once (POSIX rename semantics); Wine, which lacks
        // those, only once it closes: either way within the wait.
        let mut reader = held_open(&p, SHARE_ALL, 400);
        write_atomic(&p, b"two").expect("replaced under a reader that shares delete");
        reader.wait().unwrap();
        assert_eq!(fs::read_to_string(&p).unwrap(), "two");

        // One that doesn't (an editor, a scanner) for a moment: the replace waits it out.
        let mut brief = held_open(&p, SHARE_READ_WRITE, 400);
        write_atomic(&p, b"three").expect("replaced once the holder let go");
        brief.wait().unwrap();
        assert_eq!(fs::read_to_string(&p).unwrap(), "three");
        only_target_left();

        // One that never lets go: a plain error, the old contents kept, no temp file left.
        let mut stubborn = held_open(&p, SHARE_READ_WRITE, 30_000);
        let started = std::time::Instant::now();
        let err = write_atomic(&p, b"four").expect_err("the holder never lets go");
        assert!(
            started.elapsed() >= REPLACE_PATIENCE,
            "{:?}",
            started.elapsed()
        );
        assert!(
            err.to_string()
                .contains("another program has the file open"),
            "{err}"
        );
        stubborn.kill().unwrap();
        stubborn.wait().unwrap();
        assert_eq!(fs::read_to_string(&p).unwrap(), "three");
        only_target_left();
    }
}
