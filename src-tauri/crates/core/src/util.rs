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

/// The byte a `%XX` escape stands for (either hex case).
pub fn hex_byte(hi: u8, lo: u8) -> Option<u8> {
    let digit = |c: u8| (c as char).to_digit(16).map(|d| d as u8);
    Some(digit(hi)? * 16 + digit(lo)?)
}

/// Decodes `%XX` escapes (leaving malformed ones as they are); invalid UTF-8 becomes U+FFFD.
pub fn percent_decode_lossy(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match (b[i] == b'%' && i + 2 < b.len())
            .then(|| hex_byte(b[i + 1], b[i + 2]))
            .flatten()
        {
            Some(byte) => {
                out.push(byte);
                i += 3;
            }
            None => {
                out.push(b[i]);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
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
    create_private_dir_all(dir)?;
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

/// Creates `dir` and any missing parents with mode 0700 on Unix. Directories that already exist
/// are left as they are: `write_atomic` also writes where the user chose (a saved response).
pub fn create_private_dir_all(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
    }
    #[cfg(not(unix))]
    fs::create_dir_all(dir)
}

/// Makes an existing directory of ours private (0700 on Unix), e.g. one an older version made
/// with the umask. Best effort: a directory that can't be changed is left as it is.
pub fn make_dir_private(dir: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if fs::symlink_metadata(dir)
            .is_ok_and(|m| m.is_dir() && m.permissions().mode() & 0o077 != 0)
        {
            let _ = fs::set_permissions(dir, fs::Permissions::from_mode(0o700));
        }
    }
    #[cfg(not(unix))]
    let _ = dir;
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

/// How long [`FileLock::acquire`] waits for another holder. The longest legitimate hold is a
/// token refresh (one request to thanks.io, itself bounded by the HTTP client's timeout); a
/// lock held for longer is stuck, and saying so beats waiting forever.
const LOCK_WAIT: std::time::Duration = std::time::Duration::from_secs(120);

impl FileLock {
    pub fn acquire(path: &Path) -> std::io::Result<Self> {
        Self::acquire_within(path, LOCK_WAIT)
    }

    /// Takes the lock by trying and pausing rather than by one blocking wait, so that a holder
    /// that never lets go (a hung process, a lock on a network share that never answers) ends
    /// in a plain error after `wait` instead of a process that hangs with no word.
    pub fn acquire_within(path: &Path, wait: std::time::Duration) -> std::io::Result<Self> {
        if let Some(dir) = path.parent() {
            create_private_dir_all(dir)?;
        }
        let mut opts = OpenOptions::new();
        opts.create(true).truncate(false).write(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            opts.mode(0o600);
        }
        let f = opts.open(path)?;
        #[cfg(unix)]
        {
            // A lock file an older version made with the umask.
            use std::os::unix::fs::PermissionsExt;
            if f.metadata()?.permissions().mode() & 0o077 != 0 {
                f.set_permissions(fs::Permissions::from_mode(0o600))?;
            }
        }
        tracing::trace!(path = %path.display(), "taking a file lock");
        let deadline = std::time::Instant::now() + wait;
        let mut pause = std::time::Duration::from_millis(1);
        loop {
            match f.try_lock() {
                Ok(()) => {
                    tracing::trace!(path = %path.display(), "file lock taken");
                    return Ok(Self(f));
                }
                Err(std::fs::TryLockError::Error(e)) => return Err(e),
                Err(std::fs::TryLockError::WouldBlock) => {}
            }
            if std::time::Instant::now() >= deadline {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::TimedOut,
                    format!(
                        "another Thanks Connect process has held this lock for over {} s; \
                         if none is running, restart the computer or delete the file",
                        wait.as_secs()
                    ),
                ));
            }
            std::thread::sleep(pause);
            pause = (pause * 2).min(std::time::Duration::from_millis(20));
        }
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

    #[test]
    fn a_lock_waits_for_its_holder_and_then_is_taken() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("locks/a.lock");
        let held = FileLock::acquire(&path).unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        let p = path.clone();
        let waiter = std::thread::spawn(move || {
            let lock = FileLock::acquire(&p);
            tx.send(()).unwrap();
            lock
        });
        assert!(
            rx.recv_timeout(std::time::Duration::from_millis(300))
                .is_err(),
            "the second holder got the lock while the first still had it"
        );
        drop(held);
        rx.recv_timeout(std::time::Duration::from_secs(10))
            .expect("the lock was taken once it was released");
        waiter.join().unwrap().expect("lock taken");
    }

    #[test]
    fn a_lock_held_past_the_wait_is_a_plain_error_not_a_hang() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("b.lock");
        let _held = FileLock::acquire(&path).unwrap();
        let err = FileLock::acquire_within(&path, std::time::Duration::from_millis(200))
            .expect_err("still held");
        assert_eq!(err.kind(), std::io::ErrorKind::TimedOut);
        assert!(err.to_string().contains("another Thanks Connect process"));
    }

    #[cfg(unix)]
    #[test]
    fn lock_files_and_our_directories_become_private() {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
        let dir = tempfile::tempdir().unwrap();
        let locks = dir.path().join("a/locks");
        FileLock::acquire(&locks.join("x.lock")).unwrap();
        assert_eq!(mode(&locks.join("x.lock")), 0o600);
        assert_eq!((mode(&locks), mode(&dir.path().join("a"))), (0o700, 0o700));
        // Left by an older version with the umask.
        fs::set_permissions(&locks, fs::Permissions::from_mode(0o755)).unwrap();
        fs::set_permissions(locks.join("x.lock"), fs::Permissions::from_mode(0o644)).unwrap();
        drop(FileLock::acquire(&locks.join("x.lock")).unwrap());
        assert_eq!(mode(&locks.join("x.lock")), 0o600);
        make_dir_private(&locks);
        assert_eq!(mode(&locks), 0o700);
        // An existing directory someone chose is not changed by writing into it.
        let shared = dir.path().join("shared");
        fs::create_dir(&shared).unwrap();
        fs::set_permissions(&shared, fs::Permissions::from_mode(0o755)).unwrap();
        write_atomic(&shared.join("f"), b"x").unwrap();
        assert_eq!(mode(&shared), 0o755);
    }

    #[test]
    fn percent_decoding_is_lenient() {
        assert_eq!(percent_decode_lossy("a%2Fb%2fc%zz%4"), "a/b/c%zz%4");
        assert_eq!(percent_decode_lossy("%C3%A9%FF"), "é\u{FFFD}");
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
