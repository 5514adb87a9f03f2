//! The app's log: a file per day in the platform log directory, seven kept. The same redaction
//! rules as everywhere: our code logs no secrets, and libraries that can print raw protocol
//! bytes are capped at `warn` whatever RUST_LOG says.
//!
//! The files are written by [`DailyFile`] rather than tracing-appender's rolling appender, which
//! creates them with the umask (0644): ours are 0600 in a 0700 directory on Unix. What the app
//! did, and when, is nobody else's business.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use tracing_appender::non_blocking::WorkerGuard;
use tracing_subscriber::filter::{FilterExt, LevelFilter, Targets};
use tracing_subscriber::prelude::*;
use tracing_subscriber::{EnvFilter, fmt};

const PREFIX: &str = "thanks-connect.";
const SUFFIX: &str = ".log";
/// Log files kept, the newest first.
const KEPT: usize = 7;

/// Starts logging to `dir`; keep the guard alive for as long as the app runs.
pub fn init(dir: &Path) -> Option<WorkerGuard> {
    let (writer, guard) = tracing_appender::non_blocking(DailyFile::open(dir).ok()?);
    let env = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let caps = Targets::new()
        .with_default(LevelFilter::TRACE)
        .with_targets(
            thanks_core::redact::CAPPED_LOG_TARGETS
                .iter()
                .map(|t| (*t, LevelFilter::WARN)),
        );
    let layer = fmt::layer()
        .with_writer(writer)
        .with_ansi(false)
        .with_filter(env.and(caps));
    tracing_subscriber::registry().with(layer).try_init().ok()?;
    Some(guard)
}

/// `thanks-connect.YYYY-MM-DD.log` (UTC), a new file each day, private, the newest kept.
pub struct DailyFile {
    dir: PathBuf,
    day: String,
    file: File,
}

impl DailyFile {
    pub fn open(dir: &Path) -> std::io::Result<Self> {
        thanks_core::util::create_private_dir_all(dir)?;
        // The app's own directory: one an older version made with the umask is tightened.
        thanks_core::util::make_dir_private(dir);
        let day = today();
        let file = open_private(&dir.join(format!("{PREFIX}{day}{SUFFIX}")))?;
        prune(dir);
        Ok(Self {
            dir: dir.to_path_buf(),
            day,
            file,
        })
    }
}

impl Write for DailyFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let day = today();
        if day != self.day {
            self.file = open_private(&self.dir.join(format!("{PREFIX}{day}{SUFFIX}")))?;
            self.day = day;
            prune(&self.dir);
        }
        self.file.write(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.file.flush()
    }
}

fn today() -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    thanks_core::util::rfc3339(now).chars().take(10).collect()
}

/// Opens for appending, created 0600; an existing file with wider permissions is narrowed.
fn open_private(path: &Path) -> std::io::Result<File> {
    let mut opts = OpenOptions::new();
    opts.create(true).append(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        opts.mode(0o600);
        let file = opts.open(path)?;
        if file.metadata()?.permissions().mode() & 0o077 != 0 {
            file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
        }
        Ok(file)
    }
    #[cfg(not(unix))]
    opts.open(path)
}

/// Removes all but the newest [`KEPT`] log files (their names sort by date).
fn prune(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut logs: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(PREFIX) && n.ends_with(SUFFIX))
        })
        .collect();
    logs.sort();
    let extra = logs.len().saturating_sub(KEPT);
    for old in &logs[..extra] {
        let _ = std::fs::remove_file(old);
    }
}

// Unix only: the test is about file modes, which Windows doesn't have.
#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn files_are_private_and_seven_are_kept() {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        let home = tempfile::tempdir().unwrap();
        let dir = home.path().join("logs");
        std::fs::create_dir(&dir).unwrap();
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
        for day in 1..=9 {
            std::fs::write(dir.join(format!("{PREFIX}2020-01-0{day}{SUFFIX}")), "old").unwrap();
        }
        let current = dir.join(format!("{PREFIX}{}{SUFFIX}", today()));
        std::fs::write(&current, "earlier today\n").unwrap();
        std::fs::set_permissions(&current, std::fs::Permissions::from_mode(0o644)).unwrap();

        let mut log = DailyFile::open(&dir).unwrap();
        log.write_all(b"a line\n").unwrap();
        log.flush().unwrap();
        assert_eq!(mode(&dir), 0o700);
        assert_eq!(mode(&current), 0o600);
        assert_eq!(
            std::fs::read_to_string(&current).unwrap(),
            "earlier today\na line\n"
        );
        let left = std::fs::read_dir(&dir).unwrap().count();
        assert_eq!(left, KEPT);
        assert!(!dir.join(format!("{PREFIX}2020-01-01{SUFFIX}")).exists());

        let fresh = home.path().join("new/logs");
        let mut log = DailyFile::open(&fresh).unwrap();
        log.write_all(b"x\n").unwrap();
        assert_eq!(
            (
                mode(&fresh),
                mode(&fresh.join(format!("{PREFIX}{}{SUFFIX}", today())))
            ),
            (0o700, 0o600)
        );
    }
}
