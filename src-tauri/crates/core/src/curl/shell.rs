//! Just enough of the POSIX shell language for cURL commands: quoting words for export, and
//! splitting a pasted command into words.
//!
//! The splitter reads what our export, browsers' "Copy as cURL (bash)" and API docs produce:
//! single and double quotes, `$'…'`, backslash escapes, backslash-newline continuations and
//! comments. It expands nothing: `$VAR` and `` `cmd` `` stay literal text, which is what lets the
//! importer recognise the `$THANKS_TOKEN` placeholder. It stops at the first control operator
//! (`|`, `;`, `&`, `<`, `>`, `(`, `)`) and says so, rather than guess what a pipeline means.

use std::iter::Peekable;
use std::str::Chars;

/// `s` as one shell word: bare when it is a plain word (a method), otherwise in single quotes,
/// inside which nothing is special, so `$`, `"`, `\`, newlines and any Unicode pass through
/// untouched. URLs are always quoted: `?`, `&` and `[` mean something to a shell.
pub fn quote(s: &str) -> String {
    let bare = !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "_-.".contains(c));
    if bare {
        return s.to_string();
    }
    // A single quote can't appear inside single quotes: close, add an escaped one, reopen.
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// A command line split into words.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Words {
    pub words: Vec<String>,
    /// The control operator the command was cut at, if any (the rest is another command).
    pub cut_at: Option<char>,
}

/// Splits `input` into shell words. Errors are fixed phrases: they never quote the input.
pub fn split(input: &str) -> Result<Words, &'static str> {
    let mut out = Words::default();
    let mut word = String::new();
    let mut in_word = false;
    let mut chars = input.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            ' ' | '\t' | '\r' | '\n' => {
                if in_word {
                    out.words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            '\\' => match chars.next() {
                Some('\n') => {}
                Some('\r') if chars.peek() == Some(&'\n') => {
                    chars.next();
                }
                Some(next) => {
                    word.push(next);
                    in_word = true;
                }
                None => {
                    word.push('\\');
                    in_word = true;
                }
            },
            '\'' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(ch) => word.push(ch),
                        None => return Err("a single quote is not closed"),
                    }
                }
            }
            '"' => {
                in_word = true;
                double_quoted(&mut chars, &mut word)?;
            }
            '$' if chars.peek() == Some(&'\'') => {
                chars.next();
                in_word = true;
                ansi_c_quoted(&mut chars, &mut word)?;
            }
            '$' if chars.peek() == Some(&'"') => {
                // Bash's locale-translated string: the same as a plain double-quoted one here.
                chars.next();
                in_word = true;
                double_quoted(&mut chars, &mut word)?;
            }
            '#' if !in_word => {
                for ch in chars.by_ref() {
                    if ch == '\n' {
                        break;
                    }
                }
            }
            '|' | ';' | '&' | '<' | '>' | '(' | ')' => {
                out.cut_at = Some(c);
                break;
            }
            _ => {
                word.push(c);
                in_word = true;
            }
        }
    }
    if in_word {
        out.words.push(word);
    }
    Ok(out)
}

/// The inside of `"…"`: a backslash escapes only `$`, `` ` ``, `"`, `\` and a newline.
fn double_quoted(chars: &mut Peekable<Chars<'_>>, word: &mut String) -> Result<(), &'static str> {
    loop {
        match chars.next() {
            Some('"') => return Ok(()),
            Some('\\') => match chars.next() {
                Some('\n') => {}
                Some(c @ ('$' | '`' | '"' | '\\')) => word.push(c),
                Some(c) => {
                    word.push('\\');
                    word.push(c);
                }
                None => break,
            },
            Some(c) => word.push(c),
            None => break,
        }
    }
    Err("a double quote is not closed")
}

/// The inside of `$'…'` (ANSI-C quoting). Escapes can produce raw bytes (`\xc3\xa9`), so the
/// segment is collected as bytes and decoded as UTF-8 at the end, as a terminal would show it.
fn ansi_c_quoted(chars: &mut Peekable<Chars<'_>>, word: &mut String) -> Result<(), &'static str> {
    let mut bytes = Vec::new();
    // Bash ends the string at an escaped NUL; what follows up to the quote is dropped.
    let mut ended = false;
    loop {
        let c = match chars.next() {
            Some('\'') => break,
            Some(c) => c,
            None => return Err("a $'…' quote is not closed"),
        };
        if c != '\\' {
            if !ended {
                push_char(&mut bytes, c);
            }
            continue;
        }
        let Some(e) = chars.next() else {
            return Err("a $'…' quote is not closed");
        };
        let value: Option<u32> = match e {
            'a' => Some(0x07),
            'b' => Some(0x08),
            'e' | 'E' => Some(0x1b),
            'f' => Some(0x0c),
            'n' => Some(u32::from('\n')),
            'r' => Some(u32::from('\r')),
            't' => Some(u32::from('\t')),
            'v' => Some(0x0b),
            '\\' | '\'' | '"' | '?' => Some(u32::from(e)),
            '0'..='7' => {
                let mut n = e.to_digit(8).unwrap_or(0);
                for _ in 0..2 {
                    match chars.peek().and_then(|d| d.to_digit(8)) {
                        Some(d) => {
                            n = n * 8 + d;
                            chars.next();
                        }
                        None => break,
                    }
                }
                // A byte, not a code point.
                if n == 0 {
                    ended = true;
                } else if !ended {
                    bytes.push((n & 0xff) as u8);
                }
                None
            }
            'x' => {
                let n = hex_digits(chars, 2);
                match n {
                    Some(0) => ended = true,
                    Some(n) if !ended => bytes.push(n as u8),
                    Some(_) => {}
                    None if !ended => bytes.extend_from_slice(b"\\x"),
                    None => {}
                }
                None
            }
            'u' | 'U' => {
                let max = if e == 'u' { 4 } else { 8 };
                match hex_digits(chars, max) {
                    Some(n) => Some(n),
                    None => {
                        if !ended {
                            bytes.push(b'\\');
                            push_char(&mut bytes, e);
                        }
                        None
                    }
                }
            }
            'c' => chars.next().map(|x| u32::from(x) & 0x1f),
            other => {
                if !ended {
                    bytes.push(b'\\');
                    push_char(&mut bytes, other);
                }
                None
            }
        };
        if let Some(v) = value {
            if v == 0 {
                ended = true;
            } else if !ended {
                push_char(&mut bytes, char::from_u32(v).unwrap_or('\u{fffd}'));
            }
        }
    }
    word.push_str(&String::from_utf8_lossy(&bytes));
    Ok(())
}

fn push_char(bytes: &mut Vec<u8>, c: char) {
    let mut buf = [0u8; 4];
    bytes.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
}

fn hex_digits(chars: &mut Peekable<Chars<'_>>, max: usize) -> Option<u32> {
    let mut n: Option<u32> = None;
    for _ in 0..max {
        match chars.peek().and_then(|d| d.to_digit(16)) {
            Some(d) => {
                n = Some(n.unwrap_or(0) * 16 + d);
                chars.next();
            }
            None => break,
        }
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        split(s).unwrap().words
    }

    #[test]
    fn quotes_only_when_needed() {
        assert_eq!(quote("GET"), "GET");
        assert_eq!(quote("a_b-c.d"), "a_b-c.d");
        assert_eq!(
            quote("https://a.example/x?y=1"),
            "'https://a.example/x?y=1'"
        );
        assert_eq!(quote(""), "''");
        assert_eq!(quote("it's"), r"'it'\''s'");
        assert_eq!(quote("$HOME"), "'$HOME'");
        assert_eq!(quote("a\nb"), "'a\nb'");
        assert_eq!(quote("café"), "'café'");
    }

    #[test]
    fn quoted_words_split_back_to_the_original() {
        for s in [
            "",
            "it's",
            "'''",
            "a\nb\r\nc",
            "$HOME $(rm -rf /) `x`",
            "back\\slash\\",
            "\"dq\"",
            "日本語 🚀",
            "# not a comment",
            "a|b;c&d>e<f",
        ] {
            assert_eq!(words(&format!("x {} y", quote(s))), ["x", s, "y"], "{s:?}");
        }
    }

    #[test]
    fn splits_like_a_shell() {
        assert_eq!(words("a  b\tc"), ["a", "b", "c"]);
        assert_eq!(words("a'b c'd"), ["ab cd"]);
        assert_eq!(words(r#"a "b \" \$ \\ \n c""#), ["a", r#"b " $ \ \n c"#]);
        assert_eq!(words("a \\\n  b"), ["a", "b"]);
        assert_eq!(words("a \\\r\n  b"), ["a", "b"]);
        assert_eq!(words(r"a\ b \'c"), ["a b", "'c"]);
        assert_eq!(words("a \"x\\\ny\""), ["a", "xy"]);
        assert_eq!(words("'' \"\""), ["", ""]);
        assert_eq!(words("a $VAR \"$VAR\""), ["a", "$VAR", "$VAR"]);
        assert_eq!(words("a # comment\nb"), ["a", "b"]);
        assert_eq!(words("a#b"), ["a#b"]);
    }

    #[test]
    fn ansi_c_quotes() {
        assert_eq!(
            words(r#"$'a\nb\t\x41\101\u00e9\U0001F680\\\'\"'"#),
            ["a\nb\tAAé🚀\\'\""]
        );
        assert_eq!(words(r"$'\xc3\xa9'"), ["é"]);
        assert_eq!(words(r"$'a\0bc'd"), ["ad"]);
        assert_eq!(words(r"$'\cA\q'"), ["\u{1}\\q"]);
        assert_eq!(words(r#"$"x y""#), ["x y"]);
    }

    #[test]
    fn stops_at_control_operators() {
        let w = split("curl x | jq .").unwrap();
        assert_eq!(w.words, ["curl", "x"]);
        assert_eq!(w.cut_at, Some('|'));
        assert_eq!(split("a > out").unwrap().cut_at, Some('>'));
        assert_eq!(split("a '|' \"&\"").unwrap().cut_at, None);
    }

    #[test]
    fn unclosed_quotes_are_errors() {
        assert!(split("a 'b").is_err());
        assert!(split("a \"b").is_err());
        assert!(split("a $'b").is_err());
        assert!(split("a \"b\\").is_err());
    }
}
