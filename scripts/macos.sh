#!/usr/bin/env bash
# macos.sh: the macOS stage of scripts/test.sh, runnable on its own.
#
# Checks and lints (clippy -D warnings, every target: clippy is `cargo check` plus the lints)
# the crates that can be compiled for macOS (aarch64-apple-darwin) on Linux, without Apple's
# SDK: thanks-core, thanks-keyring (its Keychain code), thanks-sandbox and thanksctl. Nothing
# is linked or run: that needs a Mac (the CI's macos-latest job does it).
#
# Not checked here, because a build script compiles C that needs the SDK's headers: the
# desktop app (objc2-exception-helper) and thanks-history (rusqlite's bundled SQLite). The
# README's platform table says so.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=scripts/lib.sh
source scripts/lib.sh

readonly MACOS_TARGET=aarch64-apple-darwin

main() {
    ensure_rust
    cache_dirs
    if ! rustup target list --installed 2>/dev/null | grep -qx "$MACOS_TARGET"; then
        command -v rustup >/dev/null 2>&1 ||
            die "the Rust target $MACOS_TARGET is missing and rustup isn't installed to add it."
        log "Adding the Rust target $MACOS_TARGET"
        rustup target add "$MACOS_TARGET"
    fi
    local flags=(--target "$MACOS_TARGET")
    [[ -f Cargo.lock ]] && flags+=(--locked)
    log "macOS: checking the SDK-free crates, all targets (clippy -D warnings, $MACOS_TARGET)"
    cargo clippy "${flags[@]}" -p thanks-core -p thanks-keyring -p thanks-sandbox -p thanksctl \
        --all-targets -- -D warnings
}

main "$@"
