#!/usr/bin/env bash
# windows.sh: the Windows stage of scripts/test.sh, runnable on its own.
#
# Cross-builds the whole workspace for Windows (x86_64-pc-windows-gnu, linked with mingw) and
# lints its Windows code paths (clippy -D warnings, every target; clippy is `cargo check`
# plus the lints, so one pass proves both), then runs the Windows test binaries under Wine:
# the unit and integration tests of every Tauri-free crate, the keyring store against Wine's
# Credential Manager (which keeps Windows' 2,560-byte limit: long secrets split, a writer
# killed mid-write), and thanksctl's end-to-end suite with thanksctl.exe (two of them
# refreshing at once, the config home in %APPDATA%). What can't run under Wine is listed in
# the README's platform table.
#
# Installs what is missing (the Rust target, mingw, Wine). Every run gets a throwaway Wine
# prefix (its own registry, so its own Credential Manager), stopped and removed at the end.
# Needs no display: Wine runs console programs only here.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=scripts/lib.sh
source scripts/lib.sh

readonly WINDOWS_TARGET=x86_64-pc-windows-gnu
# Debian's /usr/bin/wine wrapper looks for the 32-bit loader and exits 53 without it; the
# 64-bit loader and server are all a 64-bit Rust program needs.
readonly WINE=/usr/lib/wine/wine64
readonly WINESERVER=/usr/lib/wine/wineserver64

ensure_windows_toolchain() {
    # mingw links the .exe files and compiles the C parts (SQLite, the TLS crypto, the shim).
    install_system_packages gcc-mingw-w64-x86-64 wine64
    if ! rustup target list --installed 2>/dev/null | grep -qx "$WINDOWS_TARGET"; then
        command -v rustup >/dev/null 2>&1 ||
            die "the Rust target $WINDOWS_TARGET is missing and rustup isn't installed to add it."
        log "Adding the Rust target $WINDOWS_TARGET"
        rustup target add "$WINDOWS_TARGET"
    fi
}

# A fresh Wine prefix in $WINEPREFIX, with the bcryptprimitives.dll shim every Rust .exe needs
# under Wine 8 (see scripts/wine/bcryptprimitives.c).
make_wine_prefix() {
    local system32="$WINEPREFIX/drive_c/windows/system32"
    # -i: initialise the prefix and wait until it's done. Mono and Gecko are switched off
    # (WINEDLLOVERRIDES below), so it doesn't offer to download them.
    "$WINE" wineboot -i >/dev/null 2>&1 || die "wineboot couldn't set up the Wine prefix $WINEPREFIX."
    [[ -d $system32 ]] || die "the Wine prefix $WINEPREFIX has no system32 after wineboot."
    x86_64-w64-mingw32-gcc -shared -O2 -s -Wall -Werror -o "$system32/bcryptprimitives.dll" \
        scripts/wine/bcryptprimitives.c -ladvapi32
}

stop_wine() {
    # Ends this prefix's wineserver and every Wine process of the prefix, nothing else.
    "$WINESERVER" -k >/dev/null 2>&1 || true
    "$WINESERVER" -w >/dev/null 2>&1 || true
    rm -rf "$WINEPREFIX"
}

main() {
    ensure_rust
    cache_dirs
    ensure_windows_toolchain
    # The app crate embeds the built UI at compile time (scripts/test.sh has built it already).
    if [[ ! -f ui/dist/index.html ]]; then
        ensure_node
        ensure_ui_deps
        build_ui
    fi

    local cargo_flags=(--target "$WINDOWS_TARGET")
    [[ -f Cargo.lock ]] && cargo_flags+=(--locked)

    log "Windows: cross-linting every crate, all targets (clippy -D warnings, $WINDOWS_TARGET)"
    cargo clippy "${cargo_flags[@]}" --workspace --all-targets -- -D warnings

    # Every crate's tests: thanksctl's end-to-end suite spawns thanksctl.exe; the app's run on
    # tauri's mock runtime, which needs no WebView2.
    local tested=(-p thanks-core -p thanks-history -p thanks-sandbox -p thanks-connect)
    log "Windows: building the test binaries"
    cargo test "${cargo_flags[@]}" "${tested[@]}" -p thanksctl -p thanks-keyring --no-run

    WINEPREFIX="$(mktemp -d "${TMPDIR:-/tmp}/thanks-wine.XXXXXX")"
    export WINEPREFIX WINEDEBUG=-all
    # No crash debugger (it would wait for a user), no Mono or Gecko installers.
    export WINEDLLOVERRIDES="winedbg.exe=d;mscoree=d;mshtml=d"
    # Console programs only: never a window on the developer's display.
    unset DISPLAY WAYLAND_DISPLAY
    trap stop_wine EXIT
    log "Windows: a fresh Wine prefix ($WINEPREFIX) with the bcryptprimitives shim"
    make_wine_prefix

    # cargo runs each test binary through Wine. The prefix's Credential Manager is the real
    # keyring here, which is what THANKS_TEST_KEYRING=1 tells the end-to-end tests.
    export CARGO_TARGET_X86_64_PC_WINDOWS_GNU_RUNNER="$WINE"
    export THANKS_TEST_KEYRING=1
    # The app's test binaries load WebView2Loader.dll (the build puts it next to the app).
    export WINEPATH="$CARGO_TARGET_DIR/$WINDOWS_TARGET/debug"
    log "Windows: running the tests under Wine"
    cargo test "${cargo_flags[@]}" "${tested[@]}"
    # One at a time: Wine's CredEnumerateW isn't safe against other threads or processes
    # changing credentials meanwhile (Windows' is): the keyring tests list credentials to check
    # parts, and every token delete lists them to sweep a long secret's parts. thanksctl's
    # tests in parallel left thanksctl.exe waiting forever in that listing (about two runs in
    # three); one at a time they pass, and faster (about 55 s against 80-110 s).
    # One test is left to real Windows (the CI workflow's windows-latest job runs it): the
    # writer killed at random moments can land inside Wine's own CredWriteW, which writes a
    # registry key and then its values, and the half-written entry makes every later
    # CredEnumerateW in the prefix fail with error 2 (seen once in four runs). Windows' CredWrite
    # is atomic, which is what the test is about.
    cargo test "${cargo_flags[@]}" -p thanksctl -p thanks-keyring -- --test-threads=1 \
        --skip a_writer_killed_at_any_moment_leaves_the_old_or_the_new_value_whole
}

main "$@"
