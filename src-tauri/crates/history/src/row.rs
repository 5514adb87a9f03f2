//! An entry as it goes into the database: masked, bodies capped, with the text that searches
//! look at and the byte count the size limit adds up.

use std::borrow::Cow;

use crate::NewEntry;
use crate::mask;

/// Search covers this much of each body (the start of it), to keep searches fast.
const SEARCH_BODY_CHARS: usize = 4 * 1024;

/// An entry as it is stored: masked, capped, with its search text and size.
pub(crate) struct StoredRow {
    pub(crate) profile: String,
    pub(crate) method: String,
    pub(crate) url: String,
    pub(crate) reason: String,
    pub(crate) request_headers: String,
    pub(crate) request_body: Option<String>,
    pub(crate) request_body_truncated: bool,
    pub(crate) response_headers: String,
    pub(crate) response_body: Option<Vec<u8>>,
    pub(crate) response_body_truncated: bool,
    pub(crate) error_code: Option<String>,
    pub(crate) error_message: Option<String>,
    pub(crate) search_text: String,
    pub(crate) bytes: i64,
}

impl StoredRow {
    pub(crate) fn new(e: &NewEntry, max_body: usize) -> Self {
        let url = mask::url(&e.url);
        let request_headers = serde_json::to_string(&mask::headers(&e.request_headers))
            .unwrap_or_else(|_| "[]".into());
        let response_headers = serde_json::to_string(&mask::headers(&e.response_headers))
            .unwrap_or_else(|_| "[]".into());
        // Cut, then masked: the masking copes with text cut anywhere (a value cut short is
        // masked to the end), and a 64 MB body isn't scanned for the 5 MB that are kept. Masks
        // are longer than short secrets, hence the second cut.
        let (request_body, request_body_truncated) = match &e.request_body {
            Some(b) => {
                let (kept, cut) = mask::cut_str(b, max_body);
                let masked = mask::body(kept);
                let (kept, cut_again) = mask::cut_str(&masked, max_body);
                (Some(kept.to_string()), cut || cut_again)
            }
            None => (None, false),
        };
        let (response_body, response_body_truncated) = match &e.response_body {
            Some(b) => {
                let mut cut = b.len() > max_body;
                let kept = &b[..b.len().min(max_body)];
                let text = String::from_utf8_lossy(kept);
                let stored = match mask::body(&text) {
                    // Binary bodies are kept byte for byte unless something had to be masked.
                    Cow::Borrowed(_) => kept.to_vec(),
                    Cow::Owned(masked) => {
                        let (masked, cut_again) = mask::cut_str(&masked, max_body);
                        cut |= cut_again;
                        masked.as_bytes().to_vec()
                    }
                };
                (Some(stored), cut)
            }
            None => (None, false),
        };
        let (error_code, error_message) = match &e.error {
            Some(f) => (
                Some(f.code.clone()),
                Some(mask::body(&f.message).into_owned()),
            ),
            None => (None, None),
        };
        let mut search_text = format!(
            "{} {} {} {} {}\n",
            e.method,
            url,
            e.status.map(|s| s.to_string()).unwrap_or_default(),
            e.reason,
            error_message.as_deref().unwrap_or(""),
        );
        if let Some(b) = &request_body {
            search_text.extend(b.chars().take(SEARCH_BODY_CHARS));
            search_text.push('\n');
        }
        if let Some(b) = &response_body {
            search_text.extend(String::from_utf8_lossy(b).chars().take(SEARCH_BODY_CHARS));
        }
        let search_text = search_text.to_lowercase();
        let bytes = [
            e.profile.len(),
            e.method.len(),
            url.len(),
            e.reason.len(),
            request_headers.len(),
            request_body.as_ref().map_or(0, String::len),
            response_headers.len(),
            response_body.as_ref().map_or(0, Vec::len),
            error_code.as_ref().map_or(0, String::len),
            error_message.as_ref().map_or(0, String::len),
            search_text.len(),
            // Integers, flags and SQLite's own bookkeeping, roughly.
            64,
        ]
        .iter()
        .sum::<usize>() as i64;
        Self {
            profile: e.profile.clone(),
            method: e.method.clone(),
            url,
            reason: e.reason.clone(),
            request_headers,
            request_body,
            request_body_truncated,
            response_headers,
            response_body,
            response_body_truncated,
            error_code,
            error_message,
            search_text,
            bytes,
        }
    }
}

/// Every text [`crate::History::record`] would store for `entry`, masked and cut to
/// `max_body`, without a database. Built only by `cargo fuzz` (`--cfg fuzzing`): its history
/// target plants secrets in each field and checks that none survives.
#[cfg(fuzzing)]
pub fn stored_texts(entry: &NewEntry, max_body: usize) -> Vec<Vec<u8>> {
    let r = StoredRow::new(entry, max_body);
    let mut out = vec![
        r.url.into_bytes(),
        r.request_headers.into_bytes(),
        r.response_headers.into_bytes(),
        r.search_text.into_bytes(),
    ];
    out.extend(r.request_body.map(String::into_bytes));
    out.extend(r.response_body);
    out.extend(r.error_message.map(String::into_bytes));
    out
}
