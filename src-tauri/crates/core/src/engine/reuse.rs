//! The access token this process last used, kept in memory while the stored tokens are unchanged.
//!
//! Reading a token from the Secret Service is a D-Bus round trip to the keyring daemon, which
//! under load takes milliseconds: more than the console's whole overhead budget, and, in a
//! refresh storm, once per waiting call, one after another. So the token read or refreshed last
//! is kept with the stamp of the metadata file it belongs to (see [`MetaStamp`]) and the
//! metadata's generation, and used again while both are still the same. Every change of the tokens, by this process or
//! another (a refresh, a login, a personal token, a disconnect), writes the keyring first and
//! then replaces or removes the metadata file, so a changed stamp means: read the keyring again.

use std::collections::HashMap;
use std::sync::Mutex;

use crate::secret::Secret;
use crate::tokens::MetaStamp;

#[derive(Debug, Default)]
pub(crate) struct TokenMemo {
    by_uid: Mutex<HashMap<String, Kept>>,
}

#[derive(Debug)]
struct Kept {
    stamp: MetaStamp,
    generation: u64,
    token: Secret,
}

impl TokenMemo {
    /// The kept token for `uid`, if it belongs to the metadata as it is now.
    pub(crate) fn get(&self, uid: &str, stamp: &MetaStamp, generation: u64) -> Option<Secret> {
        let map = self.by_uid.lock().expect("poisoned");
        map.get(uid)
            .filter(|k| &k.stamp == stamp && k.generation == generation)
            .map(|k| k.token.clone())
    }

    pub(crate) fn put(&self, uid: &str, stamp: MetaStamp, generation: u64, token: Secret) {
        let kept = Kept {
            stamp,
            generation,
            token,
        };
        self.by_uid
            .lock()
            .expect("poisoned")
            .insert(uid.to_string(), kept);
    }

    /// Drops the kept token (a disconnect: no token stays in memory after it).
    pub(crate) fn forget(&self, uid: &str) {
        self.by_uid.lock().expect("poisoned").remove(uid);
    }
}
