//! Secrets longer than one keyring entry may hold, kept as several entries.
//!
//! Windows Credential Manager refuses a credential blob over 2,560 bytes, and a thanks.io
//! access token (a Passport JWT) can be longer. Such a secret is split into parts, each an
//! entry of its own named `<account>/part/<generation>/<index>`, and the secret's own entry
//! (`<account>`) gets a manifest naming the generation, the number of parts, the length and a
//! SHA-256 of the whole value.
//!
//! Why it can't mix old and new parts: every write puts its parts under a fresh random
//! generation, and writes the manifest last. Replacing one entry is atomic in every keyring,
//! so until the manifest is written a reader still sees the old manifest (whose parts are
//! untouched) or the old single value; after it, the new parts, which are all there already.
//! The old generation's parts are deleted only after the switch. A read checks the count, the
//! length and the digest, and gives the whole value or an error, never a partial one; if a
//! writer replaced the manifest while it read, it starts again from the new manifest.
//!
//! A crash between the parts and the manifest leaves parts nobody points at. Deleting the
//! secret (disconnect) removes them too: besides the manifest's own parts it lists the entries
//! under `<account>/part/` (on Windows, the only platform that splits) and deletes them.
//!
//! What fits in one entry stays one entry, exactly as before, so entries written by earlier
//! versions read as they are; and where there is no per-entry limit (the Secret Service, the
//! Keychain) every call is the one plain entry call it always was. The manifest starts with a
//! NUL byte, which no token or client secret does, so a value beginning with one is refused
//! rather than stored ambiguously. Past [`MAX_SECRET_BYTES`] a secret is refused on every
//! platform.

use sha2::{Digest, Sha256};
use thanks_core::util::random_b64url;
use thanks_core::vault::StoreError;

/// The largest secret accepted, on every platform: far above any real token, small enough
/// that a secret never needs more than a few dozen Credential Manager entries.
pub const MAX_SECRET_BYTES: usize = 64 * 1024;

/// How the manifest begins. The NUL byte keeps it apart from any text secret.
const MAGIC: &str = "\0thanks-connect chunked v1";

/// How often a read starts over because the manifest changed under it before giving up.
const READ_ATTEMPTS: usize = 3;

/// Plain single-entry operations on the keyring, by account name.
pub(crate) trait Entries {
    fn read(&self, account: &str) -> Result<Option<Vec<u8>>, StoreError>;
    fn write(&self, account: &str, bytes: &[u8]) -> Result<(), StoreError>;
    /// Removes the entry; one already gone is not an error.
    fn remove(&self, account: &str) -> Result<(), StoreError>;
    /// The accounts of every entry whose name starts with `prefix`, where the store can list
    /// entries; an empty list where it can't.
    fn accounts_with_prefix(&self, prefix: &str) -> Result<Vec<String>, StoreError>;
}

/// The manifest kept in the secret's own entry when its value is split.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Manifest {
    generation: String,
    parts: usize,
    bytes: usize,
    sha256: String,
}

impl Manifest {
    fn describe(value: &[u8], per_part: usize) -> Self {
        Self {
            generation: random_b64url(8),
            parts: value.len().div_ceil(per_part),
            bytes: value.len(),
            sha256: digest(value),
        }
    }

    fn encode(&self) -> String {
        format!(
            "{MAGIC} generation={} parts={} bytes={} sha256={}",
            self.generation, self.parts, self.bytes, self.sha256
        )
    }

    /// `None` when `head` is a plain value; `Some(Err)` when it claims to be a manifest but
    /// isn't a well-formed one.
    fn parse(head: &[u8]) -> Option<Result<Self, ()>> {
        let rest = head.strip_prefix(MAGIC.as_bytes())?;
        Some(Self::fields(rest).ok_or(()))
    }

    fn fields(rest: &[u8]) -> Option<Self> {
        let text = std::str::from_utf8(rest).ok()?;
        let mut words = text.strip_prefix(' ')?.split(' ');
        let mut field = |name: &str| {
            words
                .next()?
                .strip_prefix(name)?
                .strip_prefix('=')
                .map(str::to_owned)
        };
        let manifest = Self {
            generation: field("generation")?,
            parts: field("parts")?.parse().ok()?,
            bytes: field("bytes")?.parse().ok()?,
            sha256: field("sha256")?,
        };
        let sane = words.next().is_none()
            && !manifest.generation.is_empty()
            && manifest
                .generation
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
            && manifest.bytes <= MAX_SECRET_BYTES
            && (1..=manifest.bytes).contains(&manifest.parts);
        sane.then_some(manifest)
    }

    fn part(&self, account: &str, index: usize) -> String {
        format!("{}{}/{index}", parts_prefix(account), self.generation)
    }

    fn part_names<'a>(&'a self, account: &'a str) -> impl Iterator<Item = String> + 'a {
        (0..self.parts).map(move |i| self.part(account, i))
    }
}

/// Every part entry of `account`, whatever its generation, is named with this prefix.
fn parts_prefix(account: &str) -> String {
    format!("{account}/part/")
}

fn digest(value: &[u8]) -> String {
    Sha256::digest(value)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Stores `value` under `account`: one entry when it fits in `per_entry` bytes (`None`: no
/// limit, always one entry), otherwise parts and a manifest. Parts of the value it replaces are deleted after
/// the switch; failing to delete them doesn't fail the write (they are only unreferenced).
pub(crate) fn write(
    entries: &impl Entries,
    per_entry: Option<usize>,
    account: &str,
    value: &[u8],
) -> Result<(), StoreError> {
    if value.len() > MAX_SECRET_BYTES {
        return Err(too_large(value.len()));
    }
    if value.first() == Some(&0) {
        return Err(begins_with_nul());
    }
    let Some(per_part) = per_entry else {
        return entries.write(account, value);
    };
    let previous = entries
        .read(account)?
        .and_then(|head| Manifest::parse(&head)?.ok());
    if value.len() <= per_part {
        entries.write(account, value)?;
    } else {
        let manifest = Manifest::describe(value, per_part);
        write_parts(entries, account, &manifest, value, per_part)?;
        entries.write(account, manifest.encode().as_bytes())?;
    }
    if let Some(previous) = previous {
        for part in previous.part_names(account) {
            if let Err(e) = entries.remove(&part) {
                tracing::warn!(
                    account,
                    code = e.code(),
                    "couldn't delete a replaced part of a long secret; it is deleted with the secret"
                );
            }
        }
    }
    Ok(())
}

/// Writes every part, or (best effort) none: on a failure the parts written so far are
/// deleted again. Either way the current value is untouched.
fn write_parts(
    entries: &impl Entries,
    account: &str,
    manifest: &Manifest,
    value: &[u8],
    per_part: usize,
) -> Result<(), StoreError> {
    for (index, chunk) in value.chunks(per_part).enumerate() {
        if let Err(e) = entries.write(&manifest.part(account, index), chunk) {
            for written in manifest.part_names(account).take(index) {
                let _ = entries.remove(&written);
            }
            return Err(e);
        }
    }
    Ok(())
}

/// The whole value of `account`, `None` when there is none, or an error: never part of it.
pub(crate) fn read(entries: &impl Entries, account: &str) -> Result<Option<Vec<u8>>, StoreError> {
    let Some(mut head) = entries.read(account)? else {
        return Ok(None);
    };
    for _ in 0..READ_ATTEMPTS {
        let manifest = match Manifest::parse(&head) {
            None => return Ok(Some(head)),
            Some(Err(())) => return Err(damaged(account)),
            Some(Ok(manifest)) => manifest,
        };
        if let Some(value) = assemble(entries, account, &manifest)? {
            return Ok(Some(value));
        }
        // A part is missing or doesn't add up. If the manifest is still the same, that's
        // damage; if a writer replaced it meanwhile, read the new one.
        match entries.read(account)? {
            None => return Ok(None),
            Some(now) if now == head => return Err(damaged(account)),
            Some(now) => head = now,
        }
    }
    Err(damaged(account))
}

/// The parts joined, if they are all there and add up to what the manifest says.
fn assemble(
    entries: &impl Entries,
    account: &str,
    manifest: &Manifest,
) -> Result<Option<Vec<u8>>, StoreError> {
    let mut value = Vec::with_capacity(manifest.bytes);
    for part in manifest.part_names(account) {
        match entries.read(&part)? {
            Some(bytes) if value.len() + bytes.len() <= manifest.bytes => value.extend(bytes),
            _ => return Ok(None),
        }
    }
    Ok((value.len() == manifest.bytes && digest(&value) == manifest.sha256).then_some(value))
}

/// Deletes the secret: its own entry first (so no reader ever finds a manifest whose parts are
/// going), then its parts, and any parts a crashed write left behind. Without a per-entry
/// limit nothing is ever split, so that is the one entry.
pub(crate) fn delete(
    entries: &impl Entries,
    per_entry: Option<usize>,
    account: &str,
) -> Result<(), StoreError> {
    if per_entry.is_none() {
        return entries.remove(account);
    }
    let head = entries.read(account)?;
    entries.remove(account)?;
    if let Some(Ok(manifest)) = head.as_deref().and_then(Manifest::parse) {
        for part in manifest.part_names(account) {
            entries.remove(&part)?;
        }
    }
    // The sweep is housekeeping: the secret is gone once its own entry is, so a listing that
    // fails (Wine's, when another process changes credentials meanwhile) is no reason to
    // report the delete as failed. Whatever it missed, the next delete finds.
    match entries.accounts_with_prefix(&parts_prefix(account)) {
        Ok(leftovers) => {
            for leftover in leftovers {
                entries.remove(&leftover)?;
            }
        }
        Err(e) => tracing::warn!(
            account,
            code = e.code(),
            "couldn't list leftover parts of a long secret"
        ),
    }
    Ok(())
}

fn too_large(bytes: usize) -> StoreError {
    StoreError::TooLarge(format!(
        "This secret is too large ({bytes} bytes): Thanks Connect keeps secrets of at most \
         {MAX_SECRET_BYTES} bytes in the keyring. A thanks.io token or client secret is far \
         shorter; check what was pasted, and report it to the Thanks Connect developers if \
         it was a real token."
    ))
}

fn begins_with_nul() -> StoreError {
    StoreError::Failed(
        "This secret begins with a NUL character, which no thanks.io token or client secret \
         does, so it wasn't saved. Check what was pasted and try again."
            .into(),
    )
}

fn damaged(account: &str) -> StoreError {
    StoreError::Failed(format!(
        "The keyring entry `{account}` is stored in parts, and they don't add up (a save was \
         interrupted, or another tool changed them). Nothing of it was used. Disconnect the \
         profile (it removes every part), then sign in again."
    ))
}

#[cfg(test)]
#[path = "chunked_tests.rs"]
mod tests;
