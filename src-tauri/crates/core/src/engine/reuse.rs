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
use crate::tokens::{AuthKind, MetaStamp};

#[derive(Debug, Default)]
pub(crate) struct TokenMemo {
    by_uid: Mutex<HashMap<String, Kept>>,
}

#[derive(Debug)]
struct Kept {
    stamp: MetaStamp,
    generation: u64,
    auth: AuthKind,
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

    /// The kept token for `uid` and its generation, if it belongs to the metadata as it is now
    /// and is newer than `observed`: the tokens changed since the caller read them, and this
    /// is what they are now. The refresh storm's waiting calls take it without reading the
    /// metadata again.
    pub(crate) fn newer(
        &self,
        uid: &str,
        stamp: &MetaStamp,
        observed: u64,
    ) -> Option<(Secret, u64, AuthKind)> {
        let map = self.by_uid.lock().expect("poisoned");
        map.get(uid)
            .filter(|k| &k.stamp == stamp && k.generation > observed)
            .map(|k| (k.token.clone(), k.generation, k.auth))
    }

    pub(crate) fn put(
        &self,
        uid: &str,
        stamp: MetaStamp,
        generation: u64,
        auth: AuthKind,
        token: Secret,
    ) {
        let kept = Kept {
            stamp,
            generation,
            auth,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_newer_token_is_given_only_for_the_metadata_it_was_kept_with() {
        let memo = TokenMemo::default();
        memo.put(
            "u",
            MetaStamp::test(1),
            3,
            AuthKind::Oauth,
            Secret::new("t3"),
        );
        let (token, generation, auth) = memo.newer("u", &MetaStamp::test(1), 2).unwrap();
        assert_eq!(
            (token.expose(), generation, auth),
            ("t3", 3, AuthKind::Oauth)
        );
        // The metadata was replaced since (another process refreshed, logged in or out).
        assert!(memo.newer("u", &MetaStamp::test(2), 2).is_none());
        // Nothing changed since the caller looked, or it looked later.
        assert!(memo.newer("u", &MetaStamp::test(1), 3).is_none());
        assert!(memo.newer("u", &MetaStamp::test(1), 4).is_none());
        assert!(memo.newer("other", &MetaStamp::test(1), 2).is_none());
        memo.forget("u");
        assert!(memo.newer("u", &MetaStamp::test(1), 2).is_none());
    }
}
