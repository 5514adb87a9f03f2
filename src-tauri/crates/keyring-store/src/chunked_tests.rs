//! The split layout against an in-memory keyring that can "crash" (refuse every call) after
//! any number of changes, enforces a per-entry limit like Credential Manager's, and can let
//! another writer in while a read is under way. The real Credential Manager run is
//! `tests/credential_manager.rs`, under Wine.

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;

use super::*;

/// Credential Manager's limit, which the fake enforces like the real one.
const LIMIT: usize = 2560;
const ACCOUNT: &str = "p-1/access-token";

type Hook = Box<dyn FnOnce(&Fake)>;

#[derive(Default)]
struct Fake {
    entries: RefCell<BTreeMap<String, Vec<u8>>>,
    /// Changes (writes and removes) left before the "crash"; `None`: never.
    changes_left: Cell<Option<usize>>,
    crashed: Cell<bool>,
    reads: Cell<usize>,
    /// Like the Secret Service: no per-entry limit.
    unlimited: Cell<bool>,
    /// Runs once, at the first read of a part entry.
    on_part_read: RefCell<Option<Hook>>,
}

impl Fake {
    fn crash_after(&self, changes: usize) {
        self.changes_left.set(Some(changes));
    }

    /// The process "starts again": calls work.
    fn restart(&self) {
        self.changes_left.set(None);
        self.crashed.set(false);
    }

    fn alive(&self) -> Result<(), StoreError> {
        if self.crashed.get() {
            return Err(StoreError::Failed("crashed".into()));
        }
        Ok(())
    }

    fn change(&self) -> Result<(), StoreError> {
        self.alive()?;
        match self.changes_left.get() {
            Some(0) => {
                self.crashed.set(true);
                Err(StoreError::Failed("crashed".into()))
            }
            Some(n) => {
                self.changes_left.set(Some(n - 1));
                Ok(())
            }
            None => Ok(()),
        }
    }

    fn names(&self) -> Vec<String> {
        self.entries.borrow().keys().cloned().collect()
    }
}

impl Entries for Fake {
    fn read(&self, account: &str) -> Result<Option<Vec<u8>>, StoreError> {
        self.alive()?;
        self.reads.set(self.reads.get() + 1);
        if account.contains("/part/")
            && let Some(hook) = self.on_part_read.borrow_mut().take()
        {
            hook(self);
        }
        Ok(self.entries.borrow().get(account).cloned())
    }

    fn write(&self, account: &str, bytes: &[u8]) -> Result<(), StoreError> {
        assert!(
            self.unlimited.get() || bytes.len() <= LIMIT,
            "{account}: {} bytes",
            bytes.len()
        );
        self.change()?;
        self.entries
            .borrow_mut()
            .insert(account.to_owned(), bytes.to_vec());
        Ok(())
    }

    fn remove(&self, account: &str) -> Result<(), StoreError> {
        self.change()?;
        self.entries.borrow_mut().remove(account);
        Ok(())
    }

    fn accounts_with_prefix(&self, prefix: &str) -> Result<Vec<String>, StoreError> {
        self.alive()?;
        Ok(self
            .names()
            .into_iter()
            .filter(|n| n.starts_with(prefix))
            .collect())
    }
}

/// A token-like value of `len` bytes, different for each `seed`.
fn token(seed: u8, len: usize) -> Vec<u8> {
    (0..len)
        .map(|i| {
            b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
                [(i * 7 + seed as usize) % 64]
        })
        .collect()
}

fn put(fake: &Fake, value: &[u8]) {
    write(fake, Some(LIMIT), ACCOUNT, value).expect("write");
}

fn get(fake: &Fake) -> Option<Vec<u8>> {
    read(fake, ACCOUNT).expect("read")
}

#[test]
fn what_fits_stays_one_plain_entry() {
    for limit in [Some(LIMIT), None] {
        let fake = Fake::default();
        let value = token(1, LIMIT);
        write(&fake, limit, ACCOUNT, &value).unwrap();
        assert_eq!(fake.names(), [ACCOUNT]);
        assert_eq!(fake.entries.borrow()[ACCOUNT], value, "stored as it is");
        assert_eq!(get(&fake), Some(value));
    }
}

#[test]
fn long_secrets_are_split_and_read_back_whole() {
    for (chars, parts) in [(2561, 2), (3000, 2), (10_000, 4), (MAX_SECRET_BYTES, 26)] {
        let fake = Fake::default();
        let value = token(2, chars);
        put(&fake, &value);
        assert_eq!(fake.names().len(), parts + 1, "{chars}: {:?}", fake.names());
        assert!(fake.entries.borrow()[ACCOUNT].starts_with(b"\0thanks-connect chunked v1 "));
        assert_eq!(get(&fake), Some(value), "{chars}");
    }
}

#[test]
fn multibyte_text_split_mid_character_reads_back_whole() {
    let fake = Fake::default();
    let value = "é€".repeat(1000).into_bytes();
    put(&fake, &value);
    assert_eq!(
        String::from_utf8(get(&fake).unwrap()).unwrap(),
        "é€".repeat(1000)
    );
}

#[test]
fn past_the_maximum_is_refused_and_the_old_value_kept() {
    let fake = Fake::default();
    put(&fake, b"old");
    let err = write(&fake, Some(LIMIT), ACCOUNT, &token(3, MAX_SECRET_BYTES + 1)).unwrap_err();
    assert_eq!(err.code(), "vault.too_large");
    assert!(err.to_string().contains("65536 bytes"), "{err}");
    assert!(err.to_string().contains("65537 bytes"), "{err}");
    assert_eq!(get(&fake).as_deref(), Some(&b"old"[..]));
    // The maximum is the same without a per-entry limit (Secret Service, Keychain).
    let err = write(&fake, None, ACCOUNT, &token(3, MAX_SECRET_BYTES + 1)).unwrap_err();
    assert_eq!(err.code(), "vault.too_large");
}

#[test]
fn replacing_a_split_secret_deletes_the_old_parts() {
    let fake = Fake::default();
    put(&fake, &token(4, 10_000));
    put(&fake, &token(5, 3000));
    assert_eq!(fake.names().len(), 3, "{:?}", fake.names());
    assert_eq!(get(&fake), Some(token(5, 3000)));
    put(&fake, b"short");
    assert_eq!(fake.names(), [ACCOUNT]);
    assert_eq!(get(&fake).as_deref(), Some(&b"short"[..]));
}

#[test]
fn delete_removes_the_entry_and_every_part() {
    let fake = Fake::default();
    put(&fake, &token(6, 10_000));
    delete(&fake, Some(LIMIT), ACCOUNT).unwrap();
    assert!(fake.names().is_empty(), "{:?}", fake.names());
    assert_eq!(get(&fake), None);
    // Deleting what isn't there is fine.
    delete(&fake, Some(LIMIT), ACCOUNT).unwrap();
}

/// The property the layout exists for: whatever step a write dies at, the secret reads back
/// as the old value or the new one, whole, and a later delete leaves nothing behind.
#[test]
fn a_crash_at_any_step_of_a_write_leaves_the_old_or_the_new_value() {
    let values = [
        None,
        Some(b"short-old".to_vec()),
        Some(token(7, 3000)),
        Some(token(8, 10_000)),
    ];
    let new_values = [b"short-new".to_vec(), token(9, 3000), token(10, 10_000)];
    for old in &values {
        for new in &new_values {
            let mut completed = false;
            for crash_after in 0.. {
                let fake = Fake::default();
                if let Some(old) = old {
                    put(&fake, old);
                }
                fake.crash_after(crash_after);
                let result = write(&fake, Some(LIMIT), ACCOUNT, new);
                let crashed = fake.crashed.get();
                fake.restart();
                let now = get(&fake);
                assert!(
                    now.as_ref() == old.as_ref() || now.as_ref() == Some(new),
                    "crash after {crash_after} changes: neither old nor new ({} bytes)",
                    now.map_or(0, |v| v.len())
                );
                if result.is_ok() {
                    assert_eq!(
                        now.as_ref(),
                        Some(new),
                        "a write that succeeded is read back"
                    );
                }
                delete(&fake, Some(LIMIT), ACCOUNT).unwrap();
                assert!(fake.names().is_empty(), "leftovers: {:?}", fake.names());
                if !crashed {
                    completed = true;
                    break;
                }
            }
            assert!(completed);
        }
    }
}

#[test]
fn a_missing_or_altered_part_is_an_error_never_a_partial_value() {
    let fake = Fake::default();
    put(&fake, &token(11, 10_000));
    let part = fake
        .names()
        .into_iter()
        .find(|n| n.ends_with("/2"))
        .unwrap();

    fake.entries.borrow_mut().get_mut(&part).unwrap()[0] ^= 1;
    let err = read(&fake, ACCOUNT).unwrap_err();
    assert_eq!(err.code(), "vault.failed");
    assert!(err.to_string().contains("Disconnect the profile"), "{err}");

    fake.entries.borrow_mut().remove(&part);
    assert_eq!(read(&fake, ACCOUNT).unwrap_err().code(), "vault.failed");

    // A manifest that is cut short is damage too, not a value.
    let head = fake.entries.borrow()[ACCOUNT].clone();
    fake.entries
        .borrow_mut()
        .insert(ACCOUNT.into(), head[..head.len() - 70].to_vec());
    assert_eq!(read(&fake, ACCOUNT).unwrap_err().code(), "vault.failed");
    // Disconnecting still cleans up everything.
    delete(&fake, Some(LIMIT), ACCOUNT).unwrap();
    assert!(fake.names().is_empty(), "{:?}", fake.names());
}

#[test]
fn a_write_that_lands_during_a_read_is_followed_to_the_new_value() {
    let fake = Fake::default();
    put(&fake, &token(12, 10_000));
    *fake.on_part_read.borrow_mut() = Some(Box::new(|fake: &Fake| put(fake, &token(13, 3000))));
    assert_eq!(get(&fake), Some(token(13, 3000)));
}

#[test]
fn a_value_beginning_with_nul_is_refused_on_every_platform() {
    for limit in [Some(LIMIT), None] {
        let fake = Fake::default();
        let value = format!("{MAGIC} generation=x parts=1 bytes=1 sha256=00").into_bytes();
        let err = write(&fake, limit, ACCOUNT, &value).unwrap_err();
        assert!(err.to_string().contains("NUL"), "{err}");
        assert!(fake.names().is_empty());
    }
}

#[test]
fn without_a_per_entry_limit_every_call_is_one_plain_entry_call() {
    let fake = Fake::default();
    fake.unlimited.set(true);
    let value = token(15, 10_000);
    write(&fake, None, ACCOUNT, &value).unwrap();
    delete(&fake, None, ACCOUNT).unwrap();
    write(&fake, None, ACCOUNT, &value).unwrap();
    assert_eq!(fake.reads.get(), 0, "no read before a write or a delete");
    assert_eq!(fake.names(), [ACCOUNT]);
    assert_eq!(get(&fake), Some(value));
    assert_eq!(fake.reads.get(), 1);
}

#[test]
fn manifests_are_parsed_strictly() {
    let good = Manifest::describe(&token(14, 3000), LIMIT);
    assert_eq!(good.parts, 2);
    assert_eq!(
        Manifest::parse(good.encode().as_bytes()),
        Some(Ok(good.clone()))
    );
    assert_eq!(Manifest::parse(b"plain token"), None);
    let bad = [
        format!("{} extra=1", good.encode()),
        good.encode().replace("parts=2", "parts=x"),
        good.encode().replace("parts=2", "parts=0"),
        good.encode().replace("parts=2", "parts=3001"),
        good.encode().replace("bytes=3000", "bytes=70000"),
        good.encode().replace(&good.generation, "../x"),
        good.encode().replace(" sha256", "  sha256"),
        MAGIC.to_string(),
    ];
    for text in bad {
        assert_eq!(Manifest::parse(text.as_bytes()), Some(Err(())), "{text:?}");
    }
}
