//! The setup's client secret, encrypted with a passphrase: age's scrypt recipient, ASCII-armored
//! (a well-kept library and format, readable with the `age`/`rage` tools too). Nothing
//! home-made: this module only picks the work factor and turns age's errors into ours.
//!
//! scrypt is deliberately slow (about a second): callers run these functions on a blocking
//! thread.

use age::secrecy::SecretString;

use crate::error::{Error, Result};
use crate::secret::Secret;

/// scrypt work factor for new setups: N = 2^18 (256 MiB, about a second on a laptop).
pub const WORK_FACTOR: u8 = 18;
/// The most work a setup file may ask of the computer opening it (N = 2^20, 1 GiB): a crafted
/// file can't make the app compute for minutes or exhaust memory.
pub const MAX_WORK_FACTOR: u8 = 20;
/// Passphrases shorter than this are refused when exporting.
pub const MIN_PASSPHRASE_CHARS: usize = 8;

const ARMOR_BEGIN: &str = "-----BEGIN AGE ENCRYPTED FILE-----";
const ARMOR_END: &str = "-----END AGE ENCRYPTED FILE-----";
/// A client secret is at most a few hundred bytes; its armored form stays well under this.
const MAX_ARMOR_CHARS: usize = 8 * 1024;

/// Encrypts `secret` for the setup file with `passphrase` at work factor `log_n`.
pub fn encrypt(secret: &Secret, passphrase: &Secret, log_n: u8) -> Result<String> {
    check_passphrase(passphrase)?;
    let mut recipient =
        age::scrypt::Recipient::new(SecretString::from(passphrase.expose().to_string()));
    recipient.set_work_factor(log_n);
    age::encrypt_and_armor(&recipient, secret.expose().as_bytes())
        .map_err(|_| Error::SetupDamaged("the client secret could not be encrypted".into()))
}

/// Decrypts the setup's client secret. A wrong passphrase is told apart from a damaged file.
pub fn decrypt(armored: &str, passphrase: &Secret) -> Result<Secret> {
    let mut identity =
        age::scrypt::Identity::new(SecretString::from(passphrase.expose().to_string()));
    identity.set_max_work_factor(MAX_WORK_FACTOR);
    let plain = age::decrypt(&identity, armored.as_bytes()).map_err(|e| match e {
        age::DecryptError::DecryptionFailed
        | age::DecryptError::KeyDecryptionFailed
        | age::DecryptError::NoMatchingKeys => Error::SetupWrongPassphrase,
        age::DecryptError::ExcessiveWork { .. } => Error::SetupDamaged(
            "its encrypted client secret asks for more work than a setup may".into(),
        ),
        _ => Error::SetupDamaged("its encrypted client secret is damaged".into()),
    })?;
    let text = String::from_utf8(plain)
        .ok()
        .filter(|t| !t.is_empty() && !t.chars().any(char::is_control))
        .ok_or_else(|| {
            Error::SetupDamaged("its encrypted client secret is not a client secret".into())
        })?;
    Ok(Secret::new(text))
}

/// The passphrase rule for new setups.
pub fn check_passphrase(passphrase: &Secret) -> Result<()> {
    if passphrase.expose().chars().count() < MIN_PASSPHRASE_CHARS {
        return Err(Error::InvalidInput {
            field: "passphrase".into(),
            problem: format!("use at least {MIN_PASSPHRASE_CHARS} characters"),
        });
    }
    Ok(())
}

/// A cheap look at the armored text before it is kept: the age armor lines, a sane size.
pub(crate) fn check_armor(armored: String) -> Result<String> {
    let t = armored.trim();
    if t.len() > MAX_ARMOR_CHARS || !t.starts_with(ARMOR_BEGIN) || !t.ends_with(ARMOR_END) {
        return Err(Error::SetupDamaged(
            "its encrypted client secret is not age-armored text".into(),
        ));
    }
    Ok(armored)
}

#[cfg(test)]
mod tests {
    use super::*;

    // Low work factors keep the unit tests fast; the product uses WORK_FACTOR.
    const FAST: u8 = 10;

    #[test]
    fn round_trip_and_wrong_passphrase() {
        let pass = Secret::new("correct horse battery");
        let armored = encrypt(&Secret::new("CANARY-s3cret"), &pass, FAST).unwrap();
        assert!(armored.starts_with(ARMOR_BEGIN), "{armored}");
        assert!(!armored.contains("CANARY"));
        assert_eq!(decrypt(&armored, &pass).unwrap().expose(), "CANARY-s3cret");
        let e = decrypt(&armored, &Secret::new("wrong passphrase")).unwrap_err();
        assert_eq!(e.code(), "setup.wrong_passphrase");
    }

    #[test]
    fn damaged_armor_and_excessive_work_are_refused() {
        let pass = Secret::new("correct horse battery");
        let armored = encrypt(&Secret::new("s"), &pass, FAST).unwrap();
        let cut = armored.replacen("A", "B", 3);
        let e = decrypt(&cut, &pass).unwrap_err();
        assert!(
            matches!(e.code(), "setup.damaged" | "setup.wrong_passphrase"),
            "{e}"
        );
        // A crafted file whose header asks for N = 2^21: refused before any scrypt runs.
        let e = decrypt(&with_work_factor(&armored, MAX_WORK_FACTOR + 1), &pass).unwrap_err();
        assert_eq!(e.code(), "setup.damaged");
        assert!(e.to_string().contains("more work"), "{e}");
    }

    /// The same age file with another work factor in its scrypt stanza, re-armored.
    fn with_work_factor(armored: &str, log_n: u8) -> String {
        use base64::Engine as _;
        use base64::engine::general_purpose::STANDARD;
        let body: String = armored
            .lines()
            .filter(|l| !l.starts_with("-----"))
            .collect();
        let bytes = STANDARD.decode(body).unwrap();
        let at = bytes.windows(9).position(|w| w == b"-> scrypt").unwrap();
        let line_end = at + bytes[at..].iter().position(|b| *b == b'\n').unwrap();
        let space = at
            + bytes[at..line_end]
                .iter()
                .rposition(|b| *b == b' ')
                .unwrap();
        let mut edited = bytes[..=space].to_vec();
        edited.extend_from_slice(log_n.to_string().as_bytes());
        edited.extend_from_slice(&bytes[line_end..]);
        let b64 = STANDARD.encode(edited);
        let lines: Vec<&str> = b64
            .as_bytes()
            .chunks(64)
            .map(|c| std::str::from_utf8(c).unwrap())
            .collect();
        format!("{ARMOR_BEGIN}\n{}\n{ARMOR_END}\n", lines.join("\n"))
    }

    #[test]
    fn short_passphrases_are_refused() {
        let e = encrypt(&Secret::new("s"), &Secret::new("short"), FAST).unwrap_err();
        assert_eq!(e.code(), "input.invalid");
        assert!(check_armor("not armor".into()).is_err());
    }
}
