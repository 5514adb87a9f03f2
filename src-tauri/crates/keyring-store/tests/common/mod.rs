//! What the keyring store's test files share.

/// A name no other run and no other test uses: the tag, this process and the time. Each test
/// files its entries under names like this, so runs never meet each other's entries.
pub fn unique(tag: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock after 1970")
        .as_nanos();
    format!("{tag}-{}-{nanos}", std::process::id())
}
