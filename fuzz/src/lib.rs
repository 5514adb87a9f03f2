//! What the fuzz targets share: planted secrets and the check that none of them survived.
//!
//! A planted secret is made from the fuzzer's input, so the fuzzer explores its shape (length,
//! characters that need percent-encoding) while the targets decide where it is planted. The
//! check looks for the whole secret and for every run of [`WINDOW`] characters of it, plain and
//! percent-encoded: a masker that leaves a prefix of a secret behind fails too.

/// The shortest piece of a secret that counts as a leak.
pub const WINDOW: usize = 12;

/// Characters real secrets are made of (base64, base64url, Passport's alphanumerics), with
/// `+`, `/` and `=` so that percent-encoded echoes are exercised.
const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~+/=";

/// A secret of 24–63 characters drawn from `seed`. A fixed prefix keeps it from ever being a
/// word the code under test prints on its own.
pub fn secret(seed: &[u8]) -> String {
    let mut s = String::from("Zq");
    let len = 24 + seed.first().map_or(0, |b| usize::from(*b) % 40);
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    for (i, b) in seed.iter().enumerate() {
        state ^= u64::from(*b) << ((i % 8) * 8);
        state = state.rotate_left(13).wrapping_mul(0xff51_afd7_ed55_8ccd);
    }
    while s.len() < len {
        state ^= state >> 33;
        state = state.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
        s.push(ALPHABET[(state % ALPHABET.len() as u64) as usize] as char);
    }
    s
}

/// `s` percent-encoded as a form or query value would carry it.
pub fn encoded(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// Every run of [`WINDOW`] characters of some secrets, plain and percent-encoded, ready to
/// be looked for in a text in one pass (each window of the text is one set lookup).
#[derive(Debug, Default)]
pub struct Pieces {
    exact: Windows,
    folded: Windows,
}

/// Windows packed into integers, hashed with one multiplication: the check runs once per
/// byte of every text a target produces, so SipHash would cost more than the code under test.
type Windows = std::collections::HashSet<u128, std::hash::BuildHasherDefault<FoldHasher>>;

#[derive(Debug, Default)]
struct FoldHasher(u64);

impl std::hash::Hasher for FoldHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(*b)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        }
    }
    fn write_u128(&mut self, v: u128) {
        self.0 =
            ((v as u64) ^ ((v >> 64) as u64).rotate_left(29)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
}

fn pack(w: &[u8]) -> u128 {
    let mut bytes = [0u8; 16];
    bytes[..WINDOW].copy_from_slice(w);
    u128::from_le_bytes(bytes)
}

impl Pieces {
    pub fn of<S: AsRef<str>>(secrets: &[S]) -> Self {
        let mut pieces = Self::default();
        for secret in secrets {
            let secret = secret.as_ref();
            for form in [secret.to_string(), encoded(secret)] {
                assert!(form.len() >= WINDOW, "secrets are longer than a window");
                for w in form.as_bytes().windows(WINDOW) {
                    pieces.exact.insert(pack(w));
                    pieces.folded.insert(pack(&w.to_ascii_lowercase()));
                }
            }
        }
        pieces
    }

    /// The first piece of a secret found in `text` (ASCII case-insensitively when `fold`).
    pub fn leaked(&self, text: &str, fold: bool) -> Option<String> {
        let folded;
        let (set, bytes) = if fold {
            folded = text.as_bytes().to_ascii_lowercase();
            (&self.folded, folded.as_slice())
        } else {
            (&self.exact, text.as_bytes())
        };
        bytes
            .windows(WINDOW)
            .find(|w| set.contains(&pack(w)))
            .map(|w| String::from_utf8_lossy(w).into_owned())
    }
}
