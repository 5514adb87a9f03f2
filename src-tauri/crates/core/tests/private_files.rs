//! Everything the engine writes in the config home is private (issue 8, finding 5): files 0600,
//! directories 0700, whatever the umask — lock files included.
#![cfg(unix)]

mod support;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use support::{PROFILE, connected};

fn walk(dir: &Path, out: &mut Vec<(std::path::PathBuf, u32, bool)>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        let meta = std::fs::metadata(&p).unwrap();
        out.push((p.clone(), meta.permissions().mode() & 0o777, meta.is_dir()));
        if meta.is_dir() {
            walk(&p, out);
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn files_are_0600_and_directories_0700() {
    let c = connected().await;
    c.engine.refresh(PROFILE).await.unwrap();
    c.engine.login_start(PROFILE).await.unwrap();
    let mut entries = Vec::new();
    walk(c.home.path(), &mut entries);
    let names: Vec<String> = entries
        .iter()
        .map(|(p, _, _)| p.strip_prefix(c.home.path()).unwrap().display().to_string())
        .collect();
    for wanted in ["config.toml", "tokens", "pending", "locks"] {
        assert!(
            names.iter().any(|n| n == wanted),
            "{wanted} missing: {names:?}"
        );
    }
    assert!(names.iter().any(|n| n.ends_with(".lock")), "{names:?}");
    for (path, mode, dir) in &entries {
        let want = if *dir { 0o700 } else { 0o600 };
        assert_eq!(*mode, want, "{} is {mode:o}", path.display());
    }
}
