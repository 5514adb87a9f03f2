//! The history against real SQLite files in a temporary folder: round trip, masking (with a
//! canary searched in the raw files), bounds, search, deletion, reopening, damaged files and
//! concurrent writers. No keyring, no network.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use thanks_core::api::{RequestSpec, ResponseView, Timings};
use thanks_history::{Entry, Failure, History, Limits, NewEntry, Query};
use url::Url;

const CANARY: &str = "sbx_canary_8d1f0c7b2e";

fn db(dir: &tempfile::TempDir) -> PathBuf {
    dir.path().join("home").join(thanks_history::FILE_NAME)
}

fn open(path: &Path) -> History {
    let opened = History::open(path).unwrap();
    assert!(opened.recovered.is_none(), "{:?}", opened.recovered);
    opened.history
}

fn entry(n: usize) -> NewEntry {
    NewEntry {
        profile: "default".into(),
        method: "GET".into(),
        url: format!("https://api.thanks.io/api/v2/orders/list?page={n}"),
        request_headers: vec![("Accept".into(), "application/json".into())],
        status: Some(200),
        reason: "OK".into(),
        response_headers: vec![("content-type".into(), "application/json".into())],
        response_body: Some(format!("{{\"page\":{n}}}").into_bytes()),
        size: 10,
        ttfb_ms: Some(1.5),
        total_ms: Some(2.5),
        at: 1_700_000_000 + n as i64,
        ..NewEntry::default()
    }
}

fn all(h: &History) -> Vec<i64> {
    h.list(&Query {
        limit: 1000,
        ..Query::default()
    })
    .unwrap()
    .into_iter()
    .map(|s| s.id)
    .collect()
}

/// Every byte of every file in `dir` (the database, its log, its index, anything moved aside).
fn raw_bytes(dir: &Path) -> Vec<u8> {
    let mut out = Vec::new();
    for e in fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_file() {
            out.extend(fs::read(p).unwrap());
        }
    }
    out
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

#[test]
fn history_is_send_and_sync() {
    fn check<T: Send + Sync>() {}
    check::<History>();
}

#[test]
fn round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let h = open(&db(&dir));
    let mut e = entry(1);
    e.method = "POST".into();
    e.request_body = Some("{\"message\":\"héllo\"}".into());
    e.response_body = Some(vec![b'o', b'k', 0xff]);
    let id = h.record(&e).unwrap();
    let got = h.get(id).unwrap().unwrap();
    assert_eq!(
        got,
        Entry {
            id,
            at: e.at,
            profile: "default".into(),
            method: "POST".into(),
            url: e.url.clone(),
            request_headers: e.request_headers.clone(),
            request_body: e.request_body.clone(),
            request_body_truncated: false,
            status: Some(200),
            reason: "OK".into(),
            response_headers: e.response_headers.clone(),
            response_body: Some("ok\u{fffd}".into()),
            response_body_truncated: false,
            size: 10,
            ttfb_ms: Some(1.5),
            total_ms: Some(2.5),
            error: None,
        }
    );
    assert_eq!(h.get(id + 100).unwrap(), None);
    let list = h.list(&Query::default()).unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(
        (list[0].id, list[0].status, list[0].size),
        (id, Some(200), 10)
    );

    // The IPC shape: snake_case, bodies as text, headers as pairs.
    let json = serde_json::to_value(&got).unwrap();
    assert_eq!(json["response_body"], "ok\u{fffd}");
    assert_eq!(json["request_body_truncated"], false);
    assert_eq!(json["request_headers"][0][0], "Accept");
    assert_eq!(json["error"], serde_json::Value::Null);
    let json = serde_json::to_value(&list[0]).unwrap();
    let mut keys: Vec<_> = json.as_object().unwrap().keys().cloned().collect();
    keys.sort();
    assert_eq!(
        keys,
        [
            "at", "error", "id", "method", "order_id", "preview", "profile", "reason", "size",
            "status", "total_ms", "url"
        ]
    );
}

#[test]
fn failures_are_recorded_too() {
    let dir = tempfile::tempdir().unwrap();
    let h = open(&db(&dir));
    let base = Url::parse("https://api.thanks.io/api/v2").unwrap();
    let spec = RequestSpec {
        method: "get".into(),
        path: "/ping".into(),
        ..RequestSpec::default()
    };
    let err = thanks_core::Error::Timeout {
        what: "the thanks.io API",
    };
    let id = h
        .record(&NewEntry::from_failure("default", &spec, &base, &err, 5))
        .unwrap();
    let got = h.get(id).unwrap().unwrap();
    assert_eq!(got.url, "https://api.thanks.io/api/v2/ping");
    assert_eq!(got.method, "GET");
    assert_eq!(got.status, None);
    assert_eq!(
        got.error,
        Some(Failure {
            code: "net.timeout".into(),
            message: err.to_string()
        })
    );
    // A path that didn't resolve is kept as typed, minus any query.
    let spec = RequestSpec {
        method: "GET".into(),
        path: format!("https://evil.example/x?access_token={CANARY}"),
        ..RequestSpec::default()
    };
    let err = thanks_core::Error::ForeignOrigin {
        url_origin: "https://evil.example".into(),
        api_origin: "https://api.thanks.io".into(),
    };
    let id = h
        .record(&NewEntry::from_failure("default", &spec, &base, &err, 6))
        .unwrap();
    let got = h.get(id).unwrap().unwrap();
    assert_eq!(got.url, "https://evil.example/x?access_token=••••••");
    assert_eq!(
        h.list(&Query::default()).unwrap()[0]
            .error
            .as_ref()
            .unwrap()
            .code,
        "api.foreign_origin"
    );
}

#[test]
fn from_response_keeps_what_the_console_saw() {
    let view = ResponseView {
        method: "POST".into(),
        url: "https://api.thanks.io/api/v2/send/postcard".into(),
        request_headers: vec![("Authorization".into(), format!("Bearer {CANARY}"))],
        status: 201,
        reason: "Created".into(),
        headers: vec![("Set-Cookie".into(), format!("s={CANARY}"))],
        body: b"{\"id\":1}".to_vec(),
        size: 8,
        timings: Timings {
            ttfb_ms: 3.0,
            total_ms: 4.0,
        },
        refreshed: false,
    };
    let e = NewEntry::from_response("p", Some("{}"), &view, 9);
    let dir = tempfile::tempdir().unwrap();
    let h = open(&db(&dir));
    let got = h.get(h.record(&e).unwrap()).unwrap().unwrap();
    assert_eq!(got.status, Some(201));
    assert_eq!(got.request_body.as_deref(), Some("{}"));
    assert_eq!(got.response_body.as_deref(), Some("{\"id\":1}"));
    assert_eq!(
        (got.ttfb_ms, got.total_ms, got.size),
        (Some(3.0), Some(4.0), 8)
    );
    assert_eq!(
        got.request_headers,
        [("Authorization".into(), "Bearer ••••••".into())]
    );
    assert_eq!(
        got.response_headers,
        [("Set-Cookie".into(), "••••••".into())]
    );
}

#[test]
fn a_canary_token_is_never_stored() {
    let dir = tempfile::tempdir().unwrap();
    let path = db(&dir);
    let h = open(&path);
    let mut e = entry(1);
    e.url = format!(
        "https://user:{CANARY}@api.thanks.io/api/v2/orders/list?access_token={CANARY}&page=2#access_token={CANARY}"
    );
    e.request_headers = vec![
        ("Authorization".into(), format!("Bearer {CANARY}")),
        ("x-api-key".into(), CANARY.into()),
        ("Cookie".into(), format!("session={CANARY}")),
    ];
    e.request_body = Some(format!("grant_type=refresh_token&refresh_token={CANARY}"));
    e.response_headers = vec![("Set-Cookie".into(), format!("session={CANARY}; HttpOnly"))];
    e.response_body = Some(
        format!("{{\"access_token\": \"{CANARY}\", \"next\": \"https://x/?code={CANARY}\"}}")
            .into_bytes(),
    );
    e.error = Some(Failure {
        code: "net.unreachable".into(),
        message: format!("couldn't reach https://x/?client_secret={CANARY}"),
    });
    let id = h.record(&e).unwrap();

    let got = h.get(id).unwrap().unwrap();
    let shown = format!("{got:?} {}", serde_json::to_string(&got).unwrap());
    assert!(!shown.contains(CANARY), "{shown}");
    assert_eq!(
        got.url,
        "https://api.thanks.io/api/v2/orders/list?access_token=••••••&page=2"
    );
    assert_eq!(got.request_headers[0].1, "Bearer ••••••");
    let list = format!("{:?}", h.list(&Query::default()).unwrap());
    assert!(!list.contains(CANARY));
    // Searching for it finds nothing: it isn't in the search text either.
    let q = Query {
        text: Some(CANARY.into()),
        ..Query::default()
    };
    assert!(h.list(&q).unwrap().is_empty());

    // The raw bytes on disk: the database, its write-ahead log, its index.
    assert!(!contains(&raw_bytes(path.parent().unwrap()), CANARY));
    drop(h);
    assert!(!contains(&raw_bytes(path.parent().unwrap()), CANARY));
}

#[test]
fn bounded_by_count_oldest_dropped() {
    let dir = tempfile::tempdir().unwrap();
    let limits = Limits {
        max_entries: 5,
        ..Limits::default()
    };
    let h = History::open_with(&db(&dir), limits).unwrap().history;
    let ids: Vec<i64> = (0..12).map(|n| h.record(&entry(n)).unwrap()).collect();
    assert_eq!(all(&h), ids[7..].iter().rev().copied().collect::<Vec<_>>());
    assert_eq!(h.stats().unwrap().entries, 5);
    assert_eq!(h.get(ids[6]).unwrap(), None);
}

#[test]
fn bounded_by_bytes_oldest_dropped() {
    let dir = tempfile::tempdir().unwrap();
    let limits = Limits {
        max_bytes: 100_000,
        ..Limits::default()
    };
    let h = History::open_with(&db(&dir), limits).unwrap().history;
    let mut ids = Vec::new();
    for n in 0..10 {
        let mut e = entry(n);
        e.response_body = Some(vec![b'x'; 25_000]);
        ids.push(h.record(&e).unwrap());
        assert!(h.stats().unwrap().bytes <= 100_000);
    }
    // Three 25 KB entries fit in 100 KB (with their headers and 4 KB of search text), four don't.
    assert_eq!(all(&h), ids[7..].iter().rev().copied().collect::<Vec<_>>());
    // A single entry past the limit stays: the newest is never dropped.
    let mut big = entry(99);
    big.response_body = Some(vec![b'y'; 150_000]);
    let id = h.record(&big).unwrap();
    assert_eq!(all(&h), [id]);
}

#[test]
fn default_limits_and_body_cap() {
    assert_eq!(
        Limits::default(),
        Limits {
            max_entries: 1_000,
            max_bytes: 50 * 1024 * 1024,
            max_body_bytes: 5 * 1024 * 1024,
        }
    );
    let dir = tempfile::tempdir().unwrap();
    let limits = Limits {
        max_body_bytes: 1_000,
        ..Limits::default()
    };
    let h = History::open_with(&db(&dir), limits).unwrap().history;
    let mut e = entry(1);
    e.request_body = Some("é".repeat(600)); // 1,200 bytes: cut on a character boundary
    e.response_body = Some(vec![b'z'; 5_000]);
    e.size = 5_000;
    let got = h.get(h.record(&e).unwrap()).unwrap().unwrap();
    assert_eq!(got.request_body.unwrap(), "é".repeat(500));
    assert!(got.request_body_truncated);
    assert_eq!(got.response_body.unwrap().len(), 1_000);
    assert!(got.response_body_truncated);
    assert_eq!(got.size, 5_000, "the size is the real one");
    let base = Url::parse("https://api.thanks.io/api/v2").unwrap();
    let e = got_entry(&h, 1).to_spec(&base).unwrap_err();
    assert_eq!(e.code(), "history.not_rerunnable");
}

#[test]
fn a_secret_cut_by_the_body_cap_is_still_masked() {
    let dir = tempfile::tempdir().unwrap();
    let limits = Limits {
        max_body_bytes: 1_000,
        ..Limits::default()
    };
    let h = History::open_with(&db(&dir), limits).unwrap().history;
    let mut e = entry(1);
    let lead = "x".repeat(980);
    // The secret values start a few bytes before the cut.
    e.request_body = Some(format!(
        "{{\"a\":\"{}\",\"password\":\"{CANARY}\"}}",
        &lead[5..]
    ));
    e.response_body = Some(format!("{lead}&access_token={CANARY}").into_bytes());
    let got = h.get(h.record(&e).unwrap()).unwrap().unwrap();
    let shown = format!("{got:?}");
    assert!(!shown.contains(&CANARY[..4]), "{shown}");
    assert!(got.request_body_truncated && got.response_body_truncated);
}

#[test]
fn the_default_cap_keeps_five_megabytes_of_a_large_body() {
    let dir = tempfile::tempdir().unwrap();
    let h = open(&db(&dir));
    let mut e = entry(1);
    e.response_body = Some(vec![b'{'; 12 * 1024 * 1024]);
    let started = std::time::Instant::now();
    let id = h.record(&e).unwrap();
    let took = started.elapsed();
    let got = h.get(id).unwrap().unwrap();
    assert_eq!(got.response_body.unwrap().len(), 5 * 1024 * 1024);
    assert!(got.response_body_truncated);
    assert!(took.as_secs() < 5, "recording took {took:?}");
}

fn got_entry(h: &History, nth_newest: usize) -> Entry {
    let id = all(h)[nth_newest - 1];
    h.get(id).unwrap().unwrap()
}

#[test]
fn search_and_filters() {
    let dir = tempfile::tempdir().unwrap();
    let h = open(&db(&dir));
    let mut a = entry(1);
    a.method = "POST".into();
    a.url = "https://api.thanks.io/api/v2/send/postcard".into();
    a.request_body = Some("{\"message\":\"Happy Birthday\"}".into());
    a.status = Some(422);
    a.reason = "Unprocessable Entity".into();
    let a = h.record(&a).unwrap();
    let mut b = entry(2);
    b.profile = "sandbox".into();
    b.response_body = Some(b"{\"orders\":[{\"name\":\"50%_off\"}]}".to_vec());
    let b = h.record(&b).unwrap();
    let c = h.record(&entry(3)).unwrap();

    let find = |text: &str| -> Vec<i64> {
        h.list(&Query {
            text: Some(text.into()),
            ..Query::default()
        })
        .unwrap()
        .into_iter()
        .map(|s| s.id)
        .collect()
    };
    assert_eq!(find("post"), [a], "method, any case");
    assert_eq!(find("send/postcard"), [a], "url");
    assert_eq!(find("422"), [a], "status");
    assert_eq!(find("unprocessable"), [a], "reason");
    assert_eq!(find("BIRTHDAY"), [a], "request body");
    assert_eq!(find("50%_off"), [b], "response body; % and _ are literal");
    assert_eq!(find("%"), [b]);
    assert_eq!(find("orders/list"), [c, b]);
    assert_eq!(find("  "), [c, b, a], "blank text matches everything");
    assert!(find("nowhere").is_empty());

    let q = Query {
        profile: Some("sandbox".into()),
        ..Query::default()
    };
    assert_eq!(
        h.list(&q).unwrap().iter().map(|s| s.id).collect::<Vec<_>>(),
        [b]
    );
    let q = Query {
        limit: 1,
        offset: 1,
        ..Query::default()
    };
    assert_eq!(
        h.list(&q).unwrap().iter().map(|s| s.id).collect::<Vec<_>>(),
        [b]
    );
}

#[test]
fn delete_one_and_all() {
    let dir = tempfile::tempdir().unwrap();
    let h = open(&db(&dir));
    let ids: Vec<i64> = (0..3).map(|n| h.record(&entry(n)).unwrap()).collect();
    assert!(h.delete(ids[1]).unwrap());
    assert!(!h.delete(ids[1]).unwrap());
    assert_eq!(all(&h), [ids[2], ids[0]]);

    let mut big = entry(9);
    big.response_body = Some(vec![b'q'; 2_000_000]);
    h.record(&big).unwrap();
    let before = h.stats().unwrap();
    assert_eq!(h.clear().unwrap(), 3);
    let after = h.stats().unwrap();
    assert_eq!((after.entries, after.bytes), (0, 0));
    assert!(
        after.file_bytes < before.file_bytes / 4,
        "space given back: {before:?} → {after:?}"
    );
    // Ids are never reused, so a stale id can't hit a newer entry.
    assert!(h.record(&entry(10)).unwrap() > ids[2]);
}

#[test]
fn survives_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let path = db(&dir);
    let h = open(&path);
    let ids: Vec<i64> = (0..3).map(|n| h.record(&entry(n)).unwrap()).collect();
    drop(h);
    let h = open(&path);
    assert_eq!(all(&h), ids.iter().rev().copied().collect::<Vec<_>>());
    assert_eq!(h.get(ids[0]).unwrap().unwrap().url, entry(0).url);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "the history is nobody else's business");
        // A history an older version left readable to others is narrowed when opened.
        drop(h);
        fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
        let h = open(&path);
        let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "an old history stayed readable to others");
        drop(h);
    }
}

#[test]
fn an_entry_can_be_sent_again() {
    let dir = tempfile::tempdir().unwrap();
    let h = open(&db(&dir));
    let mut e = entry(1);
    e.method = "POST".into();
    e.url = format!("https://api.thanks.io/api/v2/send/postcard?access_token={CANARY}&dry=1");
    e.request_headers = vec![
        ("Accept".into(), "application/json".into()),
        ("Authorization".into(), format!("Bearer {CANARY}")),
        ("Content-Type".into(), "application/json".into()),
        ("X-Trace".into(), "abc".into()),
    ];
    e.request_body = Some("{\"a\":1}".into());
    let got = h.get(h.record(&e).unwrap()).unwrap().unwrap();
    let base = Url::parse("https://api.thanks.io/api/v2").unwrap();
    let spec = got.to_spec(&base).unwrap();
    assert_eq!(spec.method, "POST");
    assert_eq!(spec.path, "/send/postcard");
    assert_eq!(spec.query, [("dry".to_string(), "1".to_string())]);
    assert_eq!(spec.headers, [("X-Trace".to_string(), "abc".to_string())]);
    assert_eq!(spec.body.as_deref(), Some("{\"a\":1}"));
}

// --- damaged files ---

fn assert_recovers(path: &Path, original: &[u8], reason_has: &str) {
    let opened = History::open(path).unwrap();
    let rec = opened.recovered.expect("the damaged file is reported");
    assert!(rec.reason.contains(reason_has), "{}", rec.reason);
    assert!(
        rec.moved_to
            .file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with("history.db.damaged-")
    );
    assert_eq!(
        fs::read(&rec.moved_to).unwrap(),
        original,
        "moved, not changed"
    );
    let h = opened.history;
    assert!(all(&h).is_empty());
    let id = h.record(&entry(1)).unwrap();
    assert_eq!(all(&h), [id]);
    drop(h);
    // And the fresh file is fine next time.
    assert_eq!(all(&open(path)), [id]);
}

#[test]
fn random_bytes_are_moved_aside() {
    let dir = tempfile::tempdir().unwrap();
    let path = db(&dir);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    let junk: Vec<u8> = (0..10_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    fs::write(&path, &junk).unwrap();
    assert_recovers(&path, &junk, "not a SQLite database");
}

#[test]
fn a_truncated_database_is_moved_aside() {
    let dir = tempfile::tempdir().unwrap();
    let path = db(&dir);
    let h = open(&path);
    for n in 0..200 {
        let mut e = entry(n);
        e.response_body =
            Some(format!("{{\"n\":{n},\"pad\":\"{}\"}}", "p".repeat(2_000)).into_bytes());
        h.record(&e).unwrap();
    }
    drop(h); // the last close folds the log into the file
    let whole = fs::read(&path).unwrap();
    assert!(whole.len() > 200_000, "{}", whole.len());
    let cut = &whole[..whole.len() / 2];
    fs::write(&path, cut).unwrap();
    let opened = History::open(&path).unwrap();
    assert!(opened.recovered.is_some());
    drop(opened);
    // Same again with a check of the report and of the fresh file.
    fs::write(&path, cut).unwrap();
    assert_recovers(&path, cut, "");
}

#[test]
fn a_database_of_another_schema_is_moved_aside() {
    let dir = tempfile::tempdir().unwrap();
    let path = db(&dir);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    let cases = [
        ("CREATE TABLE notes (body TEXT);", "didn't create"),
        ("PRAGMA user_version = 42;", "schema 42"),
        (
            "CREATE TABLE entries (id INTEGER PRIMARY KEY); PRAGMA user_version = 1;",
            "expects",
        ),
    ];
    for (sql, reason) in cases {
        let _ = fs::remove_file(&path);
        {
            let c = rusqlite_conn(&path);
            c.execute_batch(sql).unwrap();
        }
        let original = fs::read(&path).unwrap();
        assert_recovers(&path, &original, reason);
    }
    // Three files moved aside, each with its own name.
    let damaged = fs::read_dir(path.parent().unwrap())
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .contains(".damaged-")
        })
        .count();
    assert_eq!(damaged, 3);
}

/// A plain SQLite connection, as another program would make one.
fn rusqlite_conn(path: &Path) -> rusqlite::Connection {
    rusqlite::Connection::open(path).unwrap()
}

#[test]
fn an_empty_file_is_a_new_history() {
    let dir = tempfile::tempdir().unwrap();
    let path = db(&dir);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(&path, b"").unwrap();
    let h = open(&path);
    h.record(&entry(1)).unwrap();
}

#[test]
fn damage_found_while_in_use_is_moved_aside() {
    let dir = tempfile::tempdir().unwrap();
    let path = db(&dir);
    let h = open(&path);
    // Twice SQLite's default page cache (2 MB), so reading it all back must touch the file.
    let ids: Vec<i64> = (0..40)
        .map(|n| {
            let mut e = entry(n);
            e.response_body = Some(vec![b'r'; 100_000]);
            h.record(&e).unwrap()
        })
        .collect();
    drop(h);
    let h = open(&path);
    // Another program scribbles over the file while the app has it open.
    let junk = vec![0x5a_u8; fs::metadata(&path).unwrap().len() as usize];
    fs::write(&path, &junk).unwrap();
    let err = ids
        .iter()
        .find_map(|&id| h.get(id).err())
        .expect("SQLite noticed the damage");
    assert_eq!(err.code(), "history.damaged", "{err}");
    assert!(err.to_string().contains("moved to"), "{err}");
    // The fresh history works at once.
    let id = h.record(&entry(200)).unwrap();
    assert_eq!(all(&h), [id]);
}

#[test]
fn a_path_that_cannot_be_created_is_an_io_error() {
    let dir = tempfile::tempdir().unwrap();
    let blocker = dir.path().join("home");
    fs::write(&blocker, b"a file where the folder should be").unwrap();
    let err = History::open(&db(&dir)).unwrap_err();
    assert_eq!(err.code(), "history.io");
    assert_eq!(
        fs::read(&blocker).unwrap(),
        b"a file where the folder should be"
    );
}

// --- concurrency ---

#[test]
fn concurrent_writers() {
    let dir = tempfile::tempdir().unwrap();
    let path = db(&dir);
    let shared = Arc::new(open(&path));
    // A second handle on the same file stands in for `thanksctl` next to the app.
    let other = Arc::new(open(&path));
    let threads: Vec<_> = (0..8)
        .map(|t| {
            let h = if t % 2 == 0 {
                Arc::clone(&shared)
            } else {
                Arc::clone(&other)
            };
            std::thread::spawn(move || {
                (0..40)
                    .map(|n| {
                        let id = h.record(&entry(t * 100 + n)).unwrap();
                        if n % 10 == 0 {
                            h.list(&Query::default()).unwrap();
                        }
                        id
                    })
                    .collect::<Vec<i64>>()
            })
        })
        .collect();
    let mut ids: Vec<i64> = threads
        .into_iter()
        .flat_map(|t| t.join().unwrap())
        .collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 320, "every insert got its own id");
    assert_eq!(shared.stats().unwrap().entries, 320);
    assert_eq!(other.stats().unwrap().entries, 320);
}

#[test]
fn the_list_says_which_requests_were_previews_and_which_order_a_send_made() {
    let dir = tempfile::tempdir().unwrap();
    let h = open(&db(&dir));
    let send = |body: &str, response: &str| {
        let mut e = entry(1);
        e.method = "POST".into();
        e.url = "https://api.thanks.io/api/v2/send/postcard".into();
        e.request_body = Some(body.into());
        e.response_body = Some(response.as_bytes().to_vec());
        h.record(&e).unwrap()
    };
    let preview = send(
        r#"{"preview": true, "message": "hi"}"#,
        r#"{"data": {"previews": ["https://x/p.png"]}}"#,
    );
    let sent = send(
        r#"{"message": "hi"}"#,
        r#"{"id": 48213, "status": "Reviewing"}"#,
    );
    let wrapped = send(r#"{"message": "hi"}"#, r#"{"data": {"id": "ord_9"}}"#);
    let not_json = send("message=hi", "<html>oops</html>");
    let object_id = send("{}", r#"{"id": {"nested": 1}}"#);
    let list = h.list(&Query::default()).unwrap();
    let find = |id| list.iter().find(|s| s.id == id).unwrap();
    assert!(find(preview).preview);
    assert_eq!(find(preview).order_id, None);
    assert!(!find(sent).preview);
    assert_eq!(find(sent).order_id.as_deref(), Some("48213"));
    assert_eq!(find(wrapped).order_id.as_deref(), Some("ord_9"));
    assert!(!find(not_json).preview);
    assert_eq!(find(not_json).order_id, None);
    assert_eq!(find(object_id).order_id, None);
}
