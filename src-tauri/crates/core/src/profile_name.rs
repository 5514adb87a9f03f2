//! What a profile may be called. People name accounts the way they speak of them ("Acme
//! Marketing", "Bob's Bakery (EU)"), so a name is letters and digits of any script, spaces and a
//! little punctuation. Nothing on disk or in the keyring is named after it: token files, locks
//! and keyring entries use each profile's random `uid`, and config.toml quotes the key when it
//! needs to. The old rule (ASCII letters, digits, `-`, `_`) is a subset, so every existing
//! profile keeps its name.

use crate::error::{Error, Result};

/// Longest name, in characters.
pub const MAX_CHARS: usize = 64;

/// Punctuation allowed besides letters, digits and single spaces.
pub const PUNCTUATION: &str = "-_.&'()+,";

/// Why `name` can't be a profile name, in words for the person typing it; `None` when it can.
/// The window checks the same rules as the person types (`ui/src/panels/profile.ts`).
pub fn problem(name: &str) -> Option<&'static str> {
    if name.trim().is_empty() {
        return Some("give the profile a name");
    }
    if name.chars().count() > MAX_CHARS {
        return Some("a profile name is at most 64 characters");
    }
    if name.trim() != name {
        return Some("a profile name can't start or end with a space");
    }
    if name.contains("  ") {
        return Some("a profile name can't have two spaces in a row");
    }
    let allowed = |c: char| c.is_alphanumeric() || c == ' ' || PUNCTUATION.contains(c);
    if !name.chars().all(allowed) {
        return Some("use letters, digits, spaces and - _ . & ' ( ) + , only");
    }
    None
}

/// [`problem`] as the crate's error.
pub fn check(name: &str) -> Result<()> {
    match problem(name) {
        None => Ok(()),
        Some(problem) => Err(Error::InvalidInput {
            field: "profile name".into(),
            problem: problem.into(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_are_welcome() {
        for name in [
            "Acme Marketing",
            "Bob's Bakery (EU)",
            "Café Zürich",
            "Client 7 & Partners, Inc.",
            "default",
            "sandbox-2",
            "a_b",
            &"x".repeat(MAX_CHARS),
        ] {
            assert_eq!(problem(name), None, "{name:?}");
        }
    }

    #[test]
    fn the_old_rule_is_a_subset() {
        // Every name the old rule took (ASCII letters, digits, '-', '_') is still fine.
        for name in ["-", "_", "A-z_09", "--x"] {
            assert_eq!(problem(name), None, "{name:?}");
        }
    }

    #[test]
    fn refusals_say_what_to_change() {
        let cases = [
            ("", "give the profile a name"),
            ("   ", "give the profile a name"),
            (" Acme", "can't start or end with a space"),
            ("Acme ", "can't start or end with a space"),
            ("Acme  Marketing", "two spaces"),
            ("Acme/Marketing", "letters, digits, spaces"),
            ("Acme\tMarketing", "letters, digits, spaces"),
            ("Acme\nMarketing", "letters, digits, spaces"),
            ("Acme \u{202e}", "letters, digits, spaces"),
            ("a\"b", "letters, digits, spaces"),
        ];
        for (name, expected) in cases {
            let got = problem(name).unwrap_or_else(|| panic!("{name:?} was accepted"));
            assert!(got.contains(expected), "{name:?}: {got}");
        }
        assert!(problem(&"é".repeat(MAX_CHARS + 1)).unwrap().contains("64"));
        assert!(matches!(check("a/b"), Err(Error::InvalidInput { .. })));
    }
}
