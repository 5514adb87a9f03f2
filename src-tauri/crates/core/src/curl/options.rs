//! curl's command-line options, as far as the console can honour them.
//!
//! Every option lands in one of three groups: it shapes the request (method, URL, headers,
//! body, query), it only affects curl's own output or transport (accepted, no effect here), or
//! it is named in `unsupported`. Knowing which options take a value matters as much as knowing
//! what they do: an unknown option's value must not be mistaken for the URL.

use url::Url;

use super::{ParsedCurl, is_tchar};
use crate::error::{Error, Result};
use crate::redact::is_sensitive_header;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Opt {
    Request,
    Header,
    /// `-d`, `--data`, `--data-ascii`, `--data-binary`: `@file` reads a file.
    Data,
    DataRaw,
    DataUrlencode,
    Json,
    Get,
    Head,
    Url,
    UrlQuery,
    UserAgent,
    Referer,
    /// Credentials given another way than a header; the profile's token is sent instead.
    Credentials,
    /// Output or transport only: accepted, nothing to do.
    Ignore,
    IgnoreWithValue,
    UnsupportedWithValue,
}

impl Opt {
    fn takes_value(self) -> bool {
        !matches!(self, Opt::Get | Opt::Head | Opt::Ignore | Opt::Credentials)
    }
}

/// Credentials given another way than a header: not imported, the profile's token is sent.
const CREDENTIALS: &str = "\
    user oauth2-bearer cookie proxy-user netrc netrc-optional netrc-file basic digest ntlm \
    negotiate anyauth";

/// Output or transport switches: accepted, nothing to do here.
const IGNORED: &str = "\
    compressed silent show-error location include verbose insecure fail fail-with-body \
    progress-bar no-progress-meter no-buffer globoff http1.1 http2 http2-prior-knowledge http3 \
    location-trusted remote-name remote-header-name no-keepalive tcp-nodelay styled-output \
    no-styled-output no-compressed no-silent no-location no-include no-verbose no-insecure \
    show-headers create-dirs ipv4 ipv6";

/// Output or transport options with a value: accepted, value skipped.
const IGNORED_WITH_VALUE: &str = "\
    output write-out dump-header max-time connect-timeout retry retry-delay retry-max-time \
    max-redirs stderr trace trace-ascii limit-rate output-dir keepalive-time speed-limit \
    speed-time";

/// Options that would change the request in ways the console can't: named, value skipped.
const UNSUPPORTED_WITH_VALUE: &str = "\
    form form-string upload-file cookie-jar cacert capath cert cert-type key key-type pass \
    proxy range resolve connect-to time-cond interface config continue-at aws-sigv4 \
    proxy-header noproxy unix-socket abstract-unix-socket preproxy socks4 socks4a socks5 \
    socks5-hostname variable request-target local-port dns-servers pinnedpubkey quote ciphers \
    telnet-option ftp-port mail-from mail-rcpt hostpubmd5 hostpubsha256 service-name \
    sasl-authzid expand-url expand-data expand-header";

fn is_in(list: &str, name: &str) -> bool {
    list.split_whitespace().any(|n| n == name)
}

/// `--name` → what it does.
fn long(name: &str) -> Option<Opt> {
    use Opt::*;
    Some(match name {
        "request" => Request,
        "header" => Header,
        "data" | "data-ascii" | "data-binary" => Data,
        "data-raw" => DataRaw,
        "data-urlencode" => DataUrlencode,
        "json" => Json,
        "get" => Get,
        "head" => Head,
        "url" => Url,
        "url-query" => UrlQuery,
        "user-agent" => UserAgent,
        "referer" => Referer,
        _ if is_in(CREDENTIALS, name) => Credentials,
        _ if is_in(IGNORED, name) => Ignore,
        _ if is_in(IGNORED_WITH_VALUE, name) => IgnoreWithValue,
        _ if is_in(UNSUPPORTED_WITH_VALUE, name) => UnsupportedWithValue,
        _ => return None,
    })
}

fn short(c: char) -> Option<Opt> {
    use Opt::*;
    Some(match c {
        'X' => Request,
        'H' => Header,
        'd' => Data,
        'G' => Get,
        'I' => Head,
        'A' => UserAgent,
        'e' => Referer,
        'u' | 'b' | 'U' | 'n' => Credentials,
        's' | 'S' | 'L' | 'i' | 'v' | 'k' | 'f' | '#' | 'N' | 'g' | 'O' | 'J' | '4' | '6' => Ignore,
        'o' | 'w' | 'D' | 'm' | 'Y' | 'y' => IgnoreWithValue,
        'F' | 'T' | 'c' | 'E' | 'x' | 'r' | 'z' | 'K' | 'C' | 'Q' | 't' | 'P' => {
            UnsupportedWithValue
        }
        _ => return None,
    })
}

/// Whether the option consumes the next word (or the rest of its cluster) as its value.
fn takes_value(opt: Opt, flag: &str) -> bool {
    // Credentials options differ: `-u user:pw`, `-b cookies`, `--netrc-file f` versus `--netrc`.
    opt.takes_value()
        || opt == Opt::Credentials
            && matches!(
                flag,
                "-u" | "--user"
                    | "--oauth2-bearer"
                    | "-b"
                    | "--cookie"
                    | "-U"
                    | "--proxy-user"
                    | "--netrc-file"
            )
}

#[derive(Default)]
struct Reader {
    method: Option<String>,
    head: bool,
    get: bool,
    urls: Vec<String>,
    url_queries: Vec<String>,
    headers: Vec<(String, String)>,
    data: Option<String>,
    json: bool,
    unsupported: Vec<String>,
    ignored: Vec<String>,
}

/// Reads the words after `curl`.
pub(super) fn read(mut words: impl Iterator<Item = String>) -> Result<ParsedCurl> {
    let mut r = Reader::default();
    while let Some(word) = words.next() {
        if word == "--" {
            r.urls.extend(words.by_ref());
            break;
        }
        if let Some(name) = word.strip_prefix("--") {
            let Some(opt) = long(name) else {
                r.unsupported.push(unknown_option(&word));
                continue;
            };
            let value = if takes_value(opt, &word) {
                Some(
                    words
                        .next()
                        .ok_or_else(|| Error::CurlInvalid(format!("{word} needs a value")))?,
                )
            } else {
                None
            };
            r.apply(opt, &word, value)?;
        } else if word.len() > 1 && word.starts_with('-') {
            // A cluster of short options: `-sSL`, `-XPOST`, `-H'A: b'`.
            let flags: String = word[1..]
                .chars()
                .take_while(|&c| short(c).is_none_or(|o| !takes_value(o, &format!("-{c}"))))
                .collect();
            if flags.chars().any(|c| short(c).is_none()) && word.len() > 4 {
                r.unsupported.push(unknown_option(&word));
                continue;
            }
            let mut rest = word[1..].chars();
            while let Some(c) = rest.next() {
                let flag = format!("-{c}");
                let Some(opt) = short(c) else {
                    r.unsupported.push(unknown_option(&flag));
                    continue;
                };
                if takes_value(opt, &flag) {
                    let attached: String = rest.by_ref().collect();
                    let value = if attached.is_empty() {
                        words
                            .next()
                            .ok_or_else(|| Error::CurlInvalid(format!("{flag} needs a value")))?
                    } else {
                        attached
                    };
                    r.apply(opt, &flag, Some(value))?;
                    break;
                }
                r.apply(opt, &flag, None)?;
            }
        } else {
            r.urls.push(word);
        }
    }
    r.finish()
}

/// Names an unknown option without echoing what may be a value in disguise (a token pasted
/// after `-` or `--header=`): only short, option-shaped names are quoted.
fn unknown_option(word: &str) -> String {
    let name = word.trim_start_matches('-');
    let long_name = (1..=30).contains(&name.len())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '.');
    let short_name = word.len() == 2
        && word
            .chars()
            .nth(1)
            .is_some_and(|c| c.is_ascii_alphanumeric());
    let option_shaped = long_name || short_name;
    if option_shaped {
        format!("{word} (not supported)")
    } else {
        "an option that curl doesn't have (not supported)".into()
    }
}

impl Reader {
    fn apply(&mut self, opt: Opt, flag: &str, value: Option<String>) -> Result<()> {
        let value = value.unwrap_or_default();
        match opt {
            Opt::Request if value.is_empty() || !value.chars().all(is_tchar) => {
                return Err(Error::CurlInvalid(format!("{flag} needs an HTTP method")));
            }
            Opt::Request => self.method = Some(value.to_ascii_uppercase()),
            Opt::Header => self.header(flag, &value),
            Opt::Data if value.starts_with('@') => self
                .unsupported
                .push(format!("{flag} @file (reading the body from a file)")),
            Opt::Data | Opt::DataRaw => self.add_data(value, false),
            Opt::DataUrlencode => match urlencoded_part(&value) {
                Some(part) => self.add_data(part, false),
                None => self
                    .unsupported
                    .push(format!("{flag} with a file (reading the body from a file)")),
            },
            Opt::Json if value.starts_with('@') => self
                .unsupported
                .push(format!("{flag} @file (reading the body from a file)")),
            Opt::Json => {
                self.add_data(value, true);
                self.json = true;
            }
            Opt::Get => self.get = true,
            Opt::Head => self.head = true,
            Opt::Url => self.urls.push(value),
            Opt::UrlQuery => match value.strip_prefix('+') {
                Some(raw) => self.url_queries.push(raw.to_string()),
                None => match urlencoded_part(&value) {
                    Some(part) => self.url_queries.push(part),
                    None => self
                        .unsupported
                        .push(format!("{flag} with a file (reading a file)")),
                },
            },
            Opt::UserAgent => self.headers.push(("User-Agent".into(), value)),
            Opt::Referer => self.headers.push(("Referer".into(), value)),
            Opt::Credentials => self.unsupported.push(format!(
                "{flag} (credentials are not imported; the profile's token is sent instead)"
            )),
            // Named, so nobody wonders where their `--retry` went.
            Opt::Ignore | Opt::IgnoreWithValue => {
                if !self.ignored.iter().any(|f| f == flag) {
                    self.ignored.push(flag.to_string());
                }
            }
            Opt::UnsupportedWithValue => self.unsupported.push(format!("{flag} (not supported)")),
        }
        Ok(())
    }

    fn header(&mut self, flag: &str, value: &str) {
        if value.starts_with('@') {
            self.unsupported
                .push(format!("{flag} @file (reading headers from a file)"));
            return;
        }
        let (name, value) = match value.split_once(':') {
            Some((name, value)) => (name.trim(), Some(value.trim_matches([' ', '\t']))),
            // `Name;` sends the header with an empty value.
            None => match value.trim().strip_suffix(';') {
                Some(name) => (name.trim(), None),
                None => {
                    self.unsupported
                        .push(format!("a {flag} value that is not \"Name: value\""));
                    return;
                }
            },
        };
        if name.is_empty() || !name.chars().all(is_tchar) {
            self.unsupported
                .push(format!("a {flag} value with an invalid header name"));
            return;
        }
        if is_sensitive_header(name) {
            let placeholder = value.is_some_and(|v| {
                let v = v.trim();
                v == format!("Bearer ${}", super::TOKEN_VARIABLE)
                    || v == format!("Bearer ${{{}}}", super::TOKEN_VARIABLE)
            });
            // The placeholder means "the profile's token", which is what is sent anyway.
            if !(placeholder && name.eq_ignore_ascii_case("authorization")) {
                self.unsupported.push(format!(
                    "the {name} header (credentials are not imported; the profile's token is sent instead)"
                ));
            }
            return;
        }
        match value {
            Some("") => self.unsupported.push(format!(
                "{flag} \"{name}:\" (removing a header curl adds by itself)"
            )),
            Some(v) => self.headers.push((name.to_string(), v.to_string())),
            None => self.headers.push((name.to_string(), String::new())),
        }
    }

    fn add_data(&mut self, part: String, json: bool) {
        match &mut self.data {
            None => self.data = Some(part),
            // curl joins data pieces with `&`, and JSON pieces with nothing.
            Some(data) => {
                if !(json && self.json) {
                    data.push('&');
                }
                data.push_str(&part);
            }
        }
    }

    fn finish(mut self) -> Result<ParsedCurl> {
        let mut urls = std::mem::take(&mut self.urls).into_iter();
        let raw = urls
            .next()
            .ok_or_else(|| Error::CurlInvalid("there is no URL in it".into()))?;
        if urls.next().is_some() {
            self.unsupported
                .push("more than one URL (only the first request is imported)".into());
        }
        // curl assumes http:// when the scheme is missing.
        let with_scheme = if raw.contains("://") {
            raw
        } else {
            format!("http://{raw}")
        };
        let mut url = Url::parse(&with_scheme)
            .map_err(|_| Error::CurlInvalid("its URL is not valid".into()))?;
        if !url.username().is_empty() || url.password().is_some() {
            let _ = url.set_username("");
            let _ = url.set_password(None);
            self.unsupported.push(
                "credentials in the URL (not imported; the profile's token is sent instead)".into(),
            );
        }
        url.set_fragment(None);
        let mut extra_query = self.url_queries.clone();
        let mut body = self.data.take();
        if self.get {
            extra_query.extend(body.take());
        }
        if !extra_query.is_empty() {
            let joined = extra_query.join("&");
            let query = match url.query() {
                Some(q) if !q.is_empty() => format!("{q}&{joined}"),
                _ => joined,
            };
            url.set_query(Some(&query));
        }
        let method = match self.method.take() {
            Some(m) => m,
            None if self.head => "HEAD".into(),
            None if body.is_some() => "POST".into(),
            None => "GET".into(),
        };
        if self.json {
            for (name, value) in [
                ("Content-Type", "application/json"),
                ("Accept", "application/json"),
            ] {
                if !self
                    .headers
                    .iter()
                    .any(|(k, _)| k.eq_ignore_ascii_case(name))
                {
                    self.headers.push((name.into(), value.into()));
                }
            }
        }
        Ok(ParsedCurl {
            method,
            url: url.to_string(),
            headers: self.headers,
            body,
            unsupported: self.unsupported,
            ignored: self.ignored,
        })
    }
}

/// `--data-urlencode` syntax: `content`, `=content`, `name=content`; `None` for the file forms
/// (`@file`, `name@file`). Encoded as curl does: everything but unreserved characters.
fn urlencoded_part(value: &str) -> Option<String> {
    if let Some((name, content)) = value.split_once('=') {
        return Some(if name.is_empty() {
            percent_encode(content)
        } else {
            format!("{name}={}", percent_encode(content))
        });
    }
    if value.contains('@') {
        return None;
    }
    Some(percent_encode(value))
}

fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
