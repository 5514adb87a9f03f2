//! Turns `keyring` errors into [`StoreError`]s whose messages name the cause and the fix.
//!
//! `keyring` reports most platform trouble as `PlatformFailure` or `NoStorageAccess` wrapping
//! a platform error it doesn't export. The cause is therefore read from what is stable in
//! that error: D-Bus error names (protocol constants), an `std::io::Error` in the source chain
//! (the bus socket can't be reached), and macOS `OSStatus` codes. Anything unrecognised becomes
//! `Failed` with the platform's own wording, which never contains a secret: the variants that
//! carry secret bytes (`BadEncoding`, `BadDataFormat`) are never formatted.
//!
//! The same reading decides what a failure means for the connection it came through
//! ([`after_failure`]): kept, dropped, or dropped and the call retried once on a fresh one.
//!
//! The platform is a parameter (not only a `cfg`) so the macOS and Windows mappings are unit
//! tested on Linux too.

use std::error::Error as StdError;

use thanks_core::vault::StoreError;

/// What the caller was doing, for the messages that can only say "it failed while …".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Op {
    Read,
    Write,
    Delete,
}

impl Op {
    pub(crate) fn doing(self) -> &'static str {
        match self {
            Self::Read => "reading",
            Self::Write => "saving",
            Self::Delete => "deleting",
        }
    }
}

/// The keyring picked at compile time (the same choice as keyring 4's `v1` feature).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Platform {
    MacOs,
    Windows,
    SecretService,
}

impl Platform {
    pub(crate) const CURRENT: Self = if cfg!(target_os = "macos") {
        Self::MacOs
    } else if cfg!(windows) {
        Self::Windows
    } else {
        Self::SecretService
    };

    fn name(self) -> &'static str {
        match self {
            Self::MacOs => "macOS Keychain",
            Self::Windows => "Windows Credential Manager",
            Self::SecretService => "Secret Service",
        }
    }
}

pub(crate) fn backend_name() -> &'static str {
    Platform::CURRENT.name()
}

// Secret Service (Linux, BSD).
const NO_DBUS: &str = "No D-Bus session is running, so the Secret Service keyring can't be reached. \
    Start Thanks Connect from a desktop session, or run it under `dbus-run-session` \
    with a keyring daemon (gnome-keyring) started inside it.";
const NO_SECRET_SERVICE: &str = "No Secret Service (GNOME Keyring, KWallet) is running on the \
    session bus. Install and start gnome-keyring (on Debian/Ubuntu: `sudo apt install \
    gnome-keyring`, then log out and back in), or enable KWallet's Secret Service \
    integration; then try again.";
const SECRET_SERVICE_DID_NOT_START: &str = "The session bus tried to start the Secret Service \
    (gnome-keyring) for Thanks Connect, but it didn't come up. Log out and back in (or start it \
    with `gnome-keyring-daemon --start --components=secrets`), then try again.";
const SECRET_SERVICE_RESTARTED: &str = "The Secret Service keyring stopped or restarted while \
    Thanks Connect was using it. Make sure gnome-keyring (or KWallet) is running, then try \
    again.";
const LINUX_LOCKED: &str = "The login keyring is locked (or doesn't exist yet). Unlock it (log \
    in to the desktop, open \"Passwords and Keys\", or run `gnome-keyring-daemon --unlock`) \
    and try again.";
const LINUX_PROMPT_DISMISSED: &str = "The login keyring is locked and its unlock prompt was \
    dismissed or couldn't be shown. Try again and enter your login password when asked, or \
    unlock it first (log in to the desktop, or run `gnome-keyring-daemon --unlock`).";

// macOS Keychain.
const MAC_LOCKED: &str = "The macOS login keychain is locked, or access was refused at its \
    prompt. Unlock it in Keychain Access and choose \"Allow\" when macOS asks, then try again.";
const MAC_UNUSABLE: &str = "The macOS login keychain can't be used (it is missing, read-only or \
    damaged). Check it in Keychain Access, then try again.";
const MAC_NOT_OURS: &str = "The macOS Keychain won't let Thanks Connect change an entry that \
    another app (or a differently signed build) created. Delete the `thanks-connect` items in \
    Keychain Access, then sign in again.";

// Windows Credential Manager.
const WINDOWS_NO_SESSION: &str = "Windows Credential Manager isn't available in this logon \
    session (for example under a service account, or a remote session without a loaded user \
    profile). Run Thanks Connect from your normal Windows sign-in.";

const NO_PLATFORM: &str = "This operating system has no keyring Thanks Connect can use \
    (supported: macOS Keychain, Windows Credential Manager, Secret Service on Linux).";

/// Maps a `keyring` error met while doing `op` on the entry `account`.
pub(crate) fn store_error(err: &keyring_core::Error, op: Op, account: &str) -> StoreError {
    let mapped = map(Platform::CURRENT, err, op, account);
    // The detail is the platform's wording (never secret data); the user sees the plain
    // message, the log keeps what support needs.
    tracing::warn!(
        account,
        op = op.doing(),
        code = mapped.code(),
        detail = %detail(err),
        "keyring call failed"
    );
    mapped
}

pub(crate) fn map(
    platform: Platform,
    err: &keyring_core::Error,
    op: Op,
    account: &str,
) -> StoreError {
    use keyring_core::Error as K;
    let specific = match platform {
        Platform::SecretService => secret_service(err),
        Platform::MacOs => macos(err),
        Platform::Windows => windows(err),
    };
    if let Some(mapped) = specific {
        return mapped;
    }
    match err {
        K::TooLong(what, limit) if what == "secret" || what.starts_with("password") => {
            too_large_for(platform, None, *limit)
        }
        K::Invalid(what, _) if what == "platform" => StoreError::Unavailable(NO_PLATFORM.into()),
        K::BadEncoding(_) | K::BadDataFormat(..) => not_text(account),
        K::Ambiguous(entries) => StoreError::Failed(format!(
            "The {} holds {} entries named `{account}`, so Thanks Connect can't tell which one \
             is current. Disconnect the profile (it removes them all), then sign in again.",
            platform.name(),
            entries.len()
        )),
        _ => StoreError::Failed(format!(
            "The {} reported an error while {} `{account}`: {}. Try again; if it keeps \
             failing, check that the keyring itself works.",
            platform.name(),
            op.doing(),
            detail(err)
        )),
    }
}

/// What a Secret Service failure says, read from the D-Bus error names in its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cause {
    /// The session bus can't be reached.
    NoBus,
    /// The bus is there, but nothing owns (or can be started as) `org.freedesktop.secrets`.
    NoService,
    /// D-Bus activation of the Secret Service failed or timed out.
    DidNotStart,
    /// The Secret Service went away or restarted under an open connection (its session is
    /// gone, or the call got no reply).
    Restarted,
    Locked,
    PromptDismissed,
}

fn secret_service_cause(err: &keyring_core::Error) -> Option<Cause> {
    use keyring_core::Error as K;
    match err {
        K::NoStorageAccess(e) => {
            let text = chain_text(e.as_ref());
            // secret-service's `Prompt` ("prompt dismissed"); `Locked` / `NoResult` otherwise.
            Some(if text.contains("prompt dismissed") {
                Cause::PromptDismissed
            } else {
                Cause::Locked
            })
        }
        K::PlatformFailure(e) => {
            let text = chain_text(e.as_ref());
            if has_io_error(e.as_ref())
                || text.contains("no secret service provider or dbus session found")
            {
                Some(Cause::NoBus)
            } else if text.contains("org.freedesktop.DBus.Error.ServiceUnknown")
                || text.contains("org.freedesktop.DBus.Error.NameHasNoOwner")
            {
                Some(Cause::NoService)
            } else if text.contains("org.freedesktop.DBus.Error.Spawn")
                || (text.contains("org.freedesktop.DBus.Error.TimedOut")
                    && text.contains("org.freedesktop.secrets"))
            {
                // D-Bus activation failed: the daemon is installed but crashed or hung.
                Some(Cause::DidNotStart)
            } else if text.contains("org.freedesktop.Secret.Error.NoSession")
                || text.contains("org.freedesktop.DBus.Error.NoReply")
                || text.contains("org.freedesktop.DBus.Error.Disconnected")
            {
                Some(Cause::Restarted)
            } else if text.contains("org.freedesktop.Secret.Error.IsLocked") {
                Some(Cause::Locked)
            } else if text.contains("before prompt completed") {
                Some(Cause::PromptDismissed)
            } else {
                None
            }
        }
        _ => None,
    }
}

fn secret_service(err: &keyring_core::Error) -> Option<StoreError> {
    let message = match secret_service_cause(err)? {
        Cause::NoBus => NO_DBUS,
        Cause::NoService => NO_SECRET_SERVICE,
        Cause::DidNotStart => SECRET_SERVICE_DID_NOT_START,
        Cause::Restarted => SECRET_SERVICE_RESTARTED,
        Cause::Locked => return Some(StoreError::Locked(LINUX_LOCKED.into())),
        Cause::PromptDismissed => return Some(StoreError::Locked(LINUX_PROMPT_DISMISSED.into())),
    };
    Some(StoreError::Unavailable(message.into()))
}

/// What a failed call means for the platform store (the connection) it went through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AfterFailure {
    /// The connection is fine: the error is about the entry, the data, or the keyring's state
    /// (locked, prompt dismissed), which the user fixes without us reconnecting.
    Keep,
    /// Something unexpected: don't reuse the connection; the next call opens a fresh one.
    Discard,
    /// The connection can no longer reach the keyring (bus gone, Secret Service gone or
    /// restarted, session lost): open a fresh one, and retry the call once on it if the
    /// failed one was an older connection (a fresh one may well work at once).
    Reconnect,
}

pub(crate) fn after_failure(platform: Platform, err: &keyring_core::Error) -> AfterFailure {
    // The Keychain and Credential Manager stores hold no connection: every call goes to the
    // OS afresh, so there is nothing to reconnect.
    if platform != Platform::SecretService {
        return AfterFailure::Keep;
    }
    match secret_service_cause(err) {
        Some(Cause::NoBus | Cause::NoService | Cause::Restarted) => AfterFailure::Reconnect,
        // Activation may have waited for the bus's start timeout (up to minutes): don't do that
        // twice in one call. The next call starts on a fresh connection.
        Some(Cause::DidNotStart) => AfterFailure::Discard,
        Some(Cause::Locked | Cause::PromptDismissed) => AfterFailure::Keep,
        None if matches!(err, keyring_core::Error::PlatformFailure(_)) => AfterFailure::Discard,
        None => AfterFailure::Keep,
    }
}

fn macos(err: &keyring_core::Error) -> Option<StoreError> {
    use keyring_core::Error as K;
    let (K::NoStorageAccess(e) | K::PlatformFailure(e)) = err else {
        return None;
    };
    // errSecUserCanceled, errSecAuthFailed, errSecInteractionNotAllowed (locked, no UI);
    // wrPermErr, errSecInvalidOwnerEdit, errSecDuplicateItem (an item we may not change);
    // errSecNotAvailable, errSecReadOnly, errSecNoSuchKeychain, errSecInvalidKeychain.
    Some(match os_status(e.as_ref())? {
        -128 | -25293 | -25308 => StoreError::Locked(MAC_LOCKED.into()),
        -61 | -25244 | -25299 => StoreError::Failed(MAC_NOT_OURS.into()),
        -25291 | -25292 | -25294 | -25295 => StoreError::Unavailable(MAC_UNUSABLE.into()),
        _ => return None,
    })
}

fn windows(err: &keyring_core::Error) -> Option<StoreError> {
    match err {
        // The only error the Windows store reports as NoStorageAccess:
        // ERROR_NO_SUCH_LOGON_SESSION.
        keyring_core::Error::NoStorageAccess(_) => {
            Some(StoreError::Unavailable(WINDOWS_NO_SESSION.into()))
        }
        _ => None,
    }
}

/// A value larger than the platform accepts, found before calling it.
pub(crate) fn too_large(len: usize, limit: u32) -> StoreError {
    too_large_for(Platform::CURRENT, Some(len), limit)
}

fn too_large_for(platform: Platform, len: Option<usize>, limit: u32) -> StoreError {
    let size = len.map(|n| format!(" ({n} bytes)")).unwrap_or_default();
    StoreError::TooLarge(format!(
        "This secret is too large{size} for the {}, which stores at most {limit} bytes per \
         entry. Retrying won't help; please report it to the Thanks Connect developers.",
        platform.name()
    ))
}

pub(crate) fn not_text(account: &str) -> StoreError {
    StoreError::Failed(format!(
        "The keyring entry `{account}` doesn't hold text, so it wasn't written by Thanks \
         Connect. Disconnect the profile (it removes the entry), then sign in again."
    ))
}

pub(crate) fn check_mismatch() -> StoreError {
    StoreError::Failed(format!(
        "The {} returned different data than was just written to it, so it can't be trusted \
         with tokens. Try again; if it persists, check the keyring's health.",
        backend_name()
    ))
}

/// The platform store panicked (a bug below us). Its connection has been dropped, so trying
/// again starts afresh.
pub(crate) fn panicked(op: Op, account: &str) -> StoreError {
    tracing::error!(
        account,
        op = op.doing(),
        "the keyring library panicked; dropped its connection"
    );
    StoreError::Failed(format!(
        "The connection to the {} failed unexpectedly while {} `{account}`. Try again; if it \
         keeps failing, please report it to the Thanks Connect developers.",
        backend_name(),
        op.doing()
    ))
}

/// One line about what went wrong, for logs and `Failed` messages. The variants that hold the
/// stored bytes are described, never printed.
pub(crate) fn detail(err: &keyring_core::Error) -> String {
    use keyring_core::Error as K;
    match err {
        K::PlatformFailure(e) | K::NoStorageAccess(e) => chain_text(e.as_ref()),
        K::BadEncoding(_) | K::BadDataFormat(..) => {
            "the stored data has an unexpected format".into()
        }
        K::Ambiguous(entries) => format!("{} entries match", entries.len()),
        K::NoEntry
        | K::BadStoreFormat(_)
        | K::TooLong(..)
        | K::Invalid(..)
        | K::NoDefaultStore
        | K::NotSupportedByStore(_) => err.to_string(),
        // `keyring_core::Error` is non-exhaustive: a new variant might carry data, so print none.
        _ => "an error this version of Thanks Connect doesn't know".into(),
    }
}

/// The error's text and that of each source not already contained in it (zbus repeats its
/// sources in its own message).
fn chain_text(err: &(dyn StdError + 'static)) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(inner) = source {
        let line = inner.to_string();
        if !text.contains(&line) {
            text.push_str(": ");
            text.push_str(&line);
        }
        source = inner.source();
    }
    text
}

/// True when an I/O error is anywhere in the chain: with D-Bus, that means the bus socket
/// itself couldn't be reached. zbus shares its I/O errors as `Arc<io::Error>`.
fn has_io_error(err: &(dyn StdError + 'static)) -> bool {
    let mut current = Some(err);
    while let Some(e) = current {
        if e.is::<std::io::Error>() || e.is::<std::sync::Arc<std::io::Error>>() {
            return true;
        }
        current = e.source();
    }
    false
}

/// The `OSStatus` of a Security-framework error, read from its `Debug` form
/// (`Error { code: -25300, message: … }`), since `keyring` doesn't export the type.
fn os_status(err: &(dyn StdError + 'static)) -> Option<i32> {
    let debug = format!("{err:?}");
    let rest = &debug[debug.find("code: ")? + "code: ".len()..];
    let end = rest
        .find(|c: char| c != '-' && !c.is_ascii_digit())
        .unwrap_or(rest.len());
    rest[..end].parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Stands in for the platform errors `keyring` wraps, with their real wording.
    #[derive(Debug)]
    struct Platformish(String, Option<std::sync::Arc<std::io::Error>>);

    impl std::fmt::Display for Platformish {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str(&self.0)
        }
    }

    impl StdError for Platformish {
        fn source(&self) -> Option<&(dyn StdError + 'static)> {
            self.1.as_ref().map(|e| e as _)
        }
    }

    fn failure(text: &str) -> keyring_core::Error {
        keyring_core::Error::PlatformFailure(Box::new(Platformish(text.into(), None)))
    }

    fn no_access(text: &str) -> keyring_core::Error {
        keyring_core::Error::NoStorageAccess(Box::new(Platformish(text.into(), None)))
    }

    fn linux(err: &keyring_core::Error) -> StoreError {
        map(Platform::SecretService, err, Op::Write, "p-1/access-token")
    }

    #[test]
    fn unreachable_bus_is_unavailable_and_says_dbus_run_session() {
        let io = std::io::Error::new(std::io::ErrorKind::NotFound, "No such file or directory");
        let err = keyring_core::Error::PlatformFailure(Box::new(Platformish(
            "zbus error: Failed to connect to address `unix:path=/run/user/0/bus`".into(),
            Some(std::sync::Arc::new(io)),
        )));
        let mapped = linux(&err);
        assert!(
            matches!(&mapped, StoreError::Unavailable(m) if m.contains("No D-Bus session") && m.contains("dbus-run-session")),
            "{mapped:?}"
        );
        let err = failure("no secret service provider or dbus session found");
        assert_eq!(linux(&err).code(), "vault.unavailable");
    }

    #[test]
    fn missing_secret_service_is_unavailable_and_says_install_gnome_keyring() {
        let err = failure(
            "zbus error: org.freedesktop.DBus.Error.ServiceUnknown: The name org.freedesktop.secrets was not provided by any .service files",
        );
        let mapped = linux(&err);
        assert!(
            matches!(&mapped, StoreError::Unavailable(m) if m.contains("No Secret Service") && m.contains("gnome-keyring")),
            "{mapped:?}"
        );
    }

    #[test]
    fn failed_activation_is_unavailable() {
        let err = failure(
            "zbus error: org.freedesktop.DBus.Error.TimedOut: Failed to activate service 'org.freedesktop.secrets': timed out (service_start_timeout=120000ms)",
        );
        let mapped = linux(&err);
        assert!(
            matches!(&mapped, StoreError::Unavailable(m) if m.contains("didn't come up")),
            "{mapped:?}"
        );
        let err = failure(
            "zbus error: org.freedesktop.DBus.Error.Spawn.ChildExited: Process org.freedesktop.secrets exited with status 1",
        );
        assert_eq!(linux(&err).code(), "vault.unavailable");
    }

    #[test]
    fn restarted_daemon_is_unavailable_and_says_try_again() {
        // The store reconnects by itself; restarting the app is never the fix.
        let err = failure(
            "zbus error: org.freedesktop.Secret.Error.NoSession: The session wrapping the secret does not exist",
        );
        let mapped = linux(&err);
        assert!(
            matches!(&mapped, StoreError::Unavailable(m) if m.contains("restarted") && m.contains("try again")),
            "{mapped:?}"
        );
    }

    #[test]
    fn lost_connections_reconnect_and_keyring_states_keep_it() {
        let after = |err: &keyring_core::Error| after_failure(Platform::SecretService, err);
        let io = std::io::Error::new(std::io::ErrorKind::ConnectionReset, "reset");
        let bus_gone = keyring_core::Error::PlatformFailure(Box::new(Platformish(
            "zbus error: I/O error".into(),
            Some(std::sync::Arc::new(io)),
        )));
        for lost in [
            bus_gone,
            failure("zbus error: org.freedesktop.Secret.Error.NoSession: no session"),
            failure("zbus error: org.freedesktop.DBus.Error.ServiceUnknown: not provided"),
            failure("zbus error: org.freedesktop.DBus.Error.NoReply: no reply"),
            failure("zbus error: org.freedesktop.DBus.Error.Disconnected: gone"),
        ] {
            assert_eq!(after(&lost), AfterFailure::Reconnect, "{}", detail(&lost));
        }
        for kept in [
            no_access("SS error: result not returned from SS API"),
            no_access("SS error: prompt dismissed"),
            failure("zbus error: org.freedesktop.Secret.Error.IsLocked: locked"),
            keyring_core::Error::NoEntry,
            keyring_core::Error::BadEncoding(vec![0xff]),
            keyring_core::Error::TooLong("secret".into(), 1),
        ] {
            assert_eq!(after(&kept), AfterFailure::Keep, "{}", detail(&kept));
        }
        // A failed activation may have taken the bus's whole start timeout: no second try in
        // the same call, but no reuse either. Same for anything unrecognised.
        for discarded in [
            failure("zbus error: org.freedesktop.DBus.Error.Spawn.ChildExited: exited"),
            failure("zbus error: org.example.Weird: odd"),
        ] {
            assert_eq!(
                after(&discarded),
                AfterFailure::Discard,
                "{}",
                detail(&discarded)
            );
        }
        // The Keychain and Credential Manager stores hold no connection.
        let unknown = failure("zbus error: org.freedesktop.Secret.Error.NoSession: no session");
        assert_eq!(after_failure(Platform::MacOs, &unknown), AfterFailure::Keep);
        assert_eq!(
            after_failure(Platform::Windows, &unknown),
            AfterFailure::Keep
        );
    }

    #[test]
    fn no_message_tells_the_user_to_restart_the_app() {
        let errors = [
            failure("zbus error: org.freedesktop.DBus.Error.ServiceUnknown: not provided"),
            failure("zbus error: org.freedesktop.DBus.Error.TimedOut: org.freedesktop.secrets"),
            failure("zbus error: org.freedesktop.Secret.Error.NoSession: no session"),
            failure("zbus error: org.example.Weird: odd"),
            no_access("SS error: prompt dismissed"),
        ];
        let mut messages: Vec<String> = errors.iter().map(|e| linux(e).to_string()).collect();
        messages.push(check_mismatch().to_string());
        messages.push(panicked(Op::Read, "a").to_string());
        for message in messages {
            assert!(
                !message.to_lowercase().contains("restart thanks connect"),
                "{message}"
            );
        }
    }

    #[test]
    fn locked_and_dismissed_prompt_are_locked() {
        let locked = linux(&no_access("SS error: result not returned from SS API"));
        assert!(
            matches!(&locked, StoreError::Locked(m) if m.contains("gnome-keyring-daemon --unlock")),
            "{locked:?}"
        );
        let dismissed = linux(&no_access("SS error: prompt dismissed"));
        assert!(
            matches!(&dismissed, StoreError::Locked(m) if m.contains("prompt")),
            "{dismissed:?}"
        );
    }

    #[test]
    fn windows_size_limit_is_too_large() {
        let err = keyring_core::Error::TooLong("secret".into(), 2560);
        let mapped = map(Platform::Windows, &err, Op::Write, "p-1/access-token");
        assert!(
            matches!(&mapped, StoreError::TooLarge(m) if m.contains("2560") && m.contains("Windows Credential Manager")),
            "{mapped:?}"
        );
        assert!(
            matches!(too_large(4000, 2560), StoreError::TooLarge(m) if m.contains("4000 bytes"))
        );
    }

    #[test]
    fn windows_without_logon_session_is_unavailable() {
        let mapped = map(Platform::Windows, &no_access("1312"), Op::Read, "a");
        assert!(matches!(mapped, StoreError::Unavailable(m) if m.contains("logon session")));
    }

    /// Debug-formats like security-framework's error: `Error { code: -128, message: … }`.
    #[derive(Debug)]
    struct Error {
        #[allow(dead_code)]
        code: i32,
    }

    impl std::fmt::Display for Error {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("keychain error")
        }
    }

    impl StdError for Error {}

    #[test]
    fn macos_codes_map_to_locked_unusable_and_not_ours() {
        let mac = |code: i32| {
            let err = keyring_core::Error::PlatformFailure(Box::new(Error { code }));
            map(Platform::MacOs, &err, Op::Read, "a")
        };
        assert!(matches!(mac(-128), StoreError::Locked(m) if m.contains("Keychain Access")));
        assert!(matches!(mac(-25308), StoreError::Locked(_)));
        assert!(matches!(mac(-25294), StoreError::Unavailable(_)));
        assert!(matches!(mac(-25299), StoreError::Failed(m) if m.contains("differently signed")));
        assert_eq!(mac(-4).code(), "vault.failed");
        assert_eq!(os_status(&Platformish("no code here".into(), None)), None);
    }

    #[test]
    fn no_message_contains_stored_bytes() {
        let canary = "CANARY-7f3a9c";
        let errors = [
            keyring_core::Error::BadEncoding(canary.as_bytes().to_vec()),
            keyring_core::Error::BadDataFormat(
                canary.as_bytes().to_vec(),
                Box::new(Platformish("bad".into(), None)),
            ),
        ];
        for platform in [Platform::SecretService, Platform::MacOs, Platform::Windows] {
            for err in &errors {
                let mapped = map(platform, err, Op::Read, "p-1/refresh-token");
                assert!(!mapped.to_string().contains(canary), "{mapped}");
                assert!(!detail(err).contains(canary));
            }
        }
    }

    #[test]
    fn unknown_failures_name_the_operation_and_the_entry() {
        let mapped = linux(&failure("zbus error: org.example.Weird: odd"));
        let StoreError::Failed(message) = mapped else {
            panic!("{mapped:?}")
        };
        assert!(message.contains("saving `p-1/access-token`"), "{message}");
        assert!(message.contains("org.example.Weird"), "{message}");
    }

    #[test]
    fn unsupported_platform_is_unavailable() {
        let err = keyring_core::Error::Invalid("platform".into(), "must be macOS…".into());
        assert_eq!(linux(&err).code(), "vault.unavailable");
    }
}
