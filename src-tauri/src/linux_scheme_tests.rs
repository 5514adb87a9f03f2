//! The pure parts of the Linux registration: reading desktop entries, writing `Exec`, finding
//! a packaged entry. The whole path through `xdg-open` (generic and GNOME) is in the window
//! tests, `tests/e2e/xdg-open.test.mjs`.

use std::ffi::OsStr;

use super::*;

const MIME: &str = "x-scheme-handler/dev.thanksconnect.app.debug";

/// The `.deb`'s entry, as the bundler fills in `src-tauri/linux/thanks-connect.desktop`.
const DEB_ENTRY: &str = "[Desktop Entry]\nCategories=Development;\nComment=Connect thanks.io accounts\n\
    Exec=thanks-connect %u\nStartupWMClass=thanks-connect\nIcon=thanks-connect\n\
    Name=Thanks Connect Debug\nTerminal=false\nType=Application\n\
    MimeType=x-scheme-handler/dev.thanksconnect.app.debug\n";

fn program_of(exec: &str) -> Option<String> {
    DesktopEntry::parse(&format!("[Desktop Entry]\nExec={exec}\n")).program()
}

#[test]
fn exec_is_bare_when_the_path_allows_so_generic_xdg_open_can_run_it() {
    let field = exec_field(Path::new("/usr/bin/thanks-connect"));
    assert_eq!(field, "/usr/bin/thanks-connect");
    let text = handler_entry("Thanks Connect", &field, MIME);
    assert!(
        text.contains("\nExec=/usr/bin/thanks-connect %u\n"),
        "{text}"
    );
    assert!(text.contains(&format!("\nMimeType={MIME};\n")), "{text}");
    assert!(text.contains("\nNoDisplay=true\n"), "{text}");
    // What the plugin wrote, and xdg-utils can't run: a quoted path.
    assert!(!text.contains('"'));
}

#[test]
fn exec_quotes_and_escapes_paths_that_need_it_and_reads_back_the_same_path() {
    for path in [
        "/home/me/My Apps/thanks-connect",
        "/opt/a\"quote/x",
        "/opt/dollar$HOME/x",
        "/opt/back\\slash/x",
        "/opt/100%/x",
        "/opt/tick`/x",
    ] {
        let field = exec_field(Path::new(path));
        assert!(field.starts_with('"') && field.ends_with('"'), "{field}");
        assert_eq!(
            program_of(&format!("{field} %u")).as_deref(),
            Some(path),
            "{field}"
        );
    }
}

#[test]
fn entries_are_read_from_their_main_group_only() {
    let entry = DesktopEntry::parse(
        "# comment\n[Desktop Action new]\nExec=other\nMimeType=x-scheme-handler/a;\n\
         [Desktop Entry]\nExec=thanks-connect %u\nMimeType=text/plain; x-scheme-handler/b ;\n",
    );
    assert_eq!(entry.program().as_deref(), Some("thanks-connect"));
    assert!(entry.handles("x-scheme-handler/b"));
    assert!(!entry.handles("x-scheme-handler/a"));
    let hidden = DesktopEntry::parse(&format!("{DEB_ENTRY}Hidden=true\n"));
    assert!(!hidden.handles(MIME), "a hidden entry counts as deleted");
    assert_eq!(
        program_of("\"/usr/bin/thanks-connect\" %u").as_deref(),
        Some("/usr/bin/thanks-connect")
    );
    assert_eq!(program_of("\"unterminated %u"), None);
    assert_eq!(DesktopEntry::parse("[Desktop Entry]\n").program(), None);
}

/// A directory tree with an installed `thanks-connect` on a PATH and application folders.
struct Tree {
    dir: tempfile::TempDir,
}

impl Tree {
    fn new() -> Self {
        let tree = Self {
            dir: tempfile::tempdir().unwrap(),
        };
        for sub in ["bin", "build", "share/applications", "home/applications"] {
            fs::create_dir_all(tree.path(sub)).unwrap();
        }
        for exe in ["bin/thanks-connect", "build/thanks-connect"] {
            fs::write(tree.path(exe), "").unwrap();
        }
        tree
    }

    fn path(&self, sub: &str) -> PathBuf {
        self.dir.path().join(sub)
    }

    fn search_path(&self) -> std::ffi::OsString {
        self.path("bin").into_os_string()
    }

    fn find(&self, exe: &str) -> Option<PathBuf> {
        let dirs = [
            self.path("home/applications"),
            self.path("share/applications"),
        ];
        packaged_entry(
            &dirs,
            "thanks-connect-handler.desktop",
            MIME,
            &self.path(exe),
            &self.search_path(),
        )
    }
}

#[test]
fn the_installed_package_entry_is_found_for_the_installed_binary() {
    let tree = Tree::new();
    let deb = tree.path("share/applications/thanks-connect.desktop");
    fs::write(&deb, DEB_ENTRY).unwrap();
    assert_eq!(tree.find("bin/thanks-connect"), Some(deb.clone()));
    // A build run from elsewhere isn't what the package's entry starts: it needs its own.
    assert_eq!(tree.find("build/thanks-connect"), None);
    // Nor is an entry for another scheme, or our own handler entry, a packaged one.
    fs::write(&deb, DEB_ENTRY.replace(".debug", "")).unwrap();
    assert_eq!(tree.find("bin/thanks-connect"), None);
    let own = tree.path("home/applications/thanks-connect-handler.desktop");
    let exe = tree.path("bin/thanks-connect");
    fs::write(&own, handler_entry("T", &exec_field(&exe), MIME)).unwrap();
    assert_eq!(tree.find("bin/thanks-connect"), None);
}

#[test]
fn an_entry_with_an_absolute_exec_or_a_symlinked_binary_is_found_too() {
    let tree = Tree::new();
    let exe = tree.path("build/thanks-connect");
    let entry = tree.path("share/applications/vendor-thanks.desktop");
    fs::write(
        &entry,
        DEB_ENTRY.replace("Exec=thanks-connect", &format!("Exec={}", exec_field(&exe))),
    )
    .unwrap();
    assert_eq!(tree.find("build/thanks-connect"), Some(entry.clone()));
    fs::remove_file(tree.path("bin/thanks-connect")).unwrap();
    std::os::unix::fs::symlink(&exe, tree.path("bin/thanks-connect")).unwrap();
    fs::write(&entry, DEB_ENTRY).unwrap();
    assert_eq!(tree.find("build/thanks-connect"), Some(entry));
    assert_eq!(resolve("thanks-connect", OsStr::new("")), None);
}
