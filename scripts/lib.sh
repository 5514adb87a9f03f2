#!/usr/bin/env bash
# Shared steps of scripts/demo.sh and scripts/test.sh: install what is missing, find the cache.
#
# Sourced by the other scripts. Also runnable on its own to do a single step, e.g. in a
# Dockerfile:  scripts/lib.sh install_system_packages
#
# Everything here is idempotent: a second run on a ready machine changes nothing and takes
# well under a second, so the entry scripts can call every step unconditionally.

# Sourcing turns strict mode on for the caller too; every script here wants it anyway.
set -euo pipefail

# System packages, Debian names. Building: a C toolchain, and the WebKitGTK stack Tauri's Linux
# window is made of (libwebkit2gtk-4.1-dev pulls gtk-3, soup-3 and javascriptcoregtk).
THANKS_BUILD_PACKAGES=(build-essential pkg-config libssl-dev libdbus-1-dev file curl ca-certificates
    libwebkit2gtk-4.1-dev librsvg2-dev)
# Running and testing: a session bus (dbus, dbus-x11 for dbus-launch), a Secret Service
# (gnome-keyring) and its CLI client (libsecret-tools: the harness's readiness probe and the
# e2e tests' look into the keyring), a headless X server (xvfb, xauth), WebKit's WebDriver
# (webkit2gtk-driver), the accessibility bus WebKit expects (at-spi2-core), and what the
# deep-link plugin's register_all() calls at run time (xdg-utils, desktop-file-utils), and what
# the window tests reach outside the page with: the clipboard (xclip) and the app's GTK file
# dialogs, answered with the keyboard (xdotool).
THANKS_TEST_PACKAGES=(dbus dbus-x11 gnome-keyring libsecret-tools xvfb xauth webkit2gtk-driver
    at-spi2-core xdg-utils desktop-file-utils xclip xdotool)

log() { printf '==> %s\n' "$*" >&2; }
die() {
    printf 'error: %s\n' "$*" >&2
    exit 1
}

# Sets SUDO to the command prefix that gives root: nothing when we are root, `sudo`
# otherwise. Without a terminal (CI), `sudo -n` fails at once instead of waiting for a
# password nobody can type.
need_root_or_sudo() {
    if [[ $EUID -eq 0 ]]; then
        SUDO=()
    elif command -v sudo >/dev/null 2>&1; then
        if [[ -t 0 ]]; then SUDO=(sudo); else SUDO=(sudo -n); fi
    else
        die "installing system packages needs root, and sudo is not installed. Run this script as root, or install sudo."
    fi
}

# install_system_packages [PACKAGE...]
# Installs the packages (default: build + test lists) that aren't installed yet; does nothing,
# not even `apt-get update`, when all are there. THANKS_SKIP_SYSTEM_PACKAGES=1 skips the step
# on machines whose packages are managed otherwise (other distributions, locked-down CI).
install_system_packages() {
    local wanted=("$@") missing=() pkg
    if [[ ${#wanted[@]} -eq 0 ]]; then
        wanted=("${THANKS_BUILD_PACKAGES[@]}" "${THANKS_TEST_PACKAGES[@]}")
    fi
    if [[ ${THANKS_SKIP_SYSTEM_PACKAGES:-0} == 1 ]]; then
        log "THANKS_SKIP_SYSTEM_PACKAGES=1: not checking system packages"
        return 0
    fi
    if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
        die "this script installs system packages with apt, which this system doesn't have (it expects Debian or Ubuntu). Install the equivalents of: ${wanted[*]}; then run it again with THANKS_SKIP_SYSTEM_PACKAGES=1."
    fi
    for pkg in "${wanted[@]}"; do
        # Unknown packages make dpkg-query fail; that counts as missing too.
        if [[ $(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true) != installed ]]; then
            missing+=("$pkg")
        fi
    done
    if [[ ${#missing[@]} -eq 0 ]]; then
        return 0
    fi
    need_root_or_sudo
    log "Installing system packages: ${missing[*]}"
    # `env` carries DEBIAN_FRONTEND through sudo, which resets the environment. The lock
    # timeout waits for an apt run already in progress (image setup, unattended-upgrades)
    # instead of failing on the lock.
    local apt=("${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -q -o DPkg::Lock::Timeout=600)
    "${apt[@]}" update
    "${apt[@]}" install -y --no-install-recommends "${missing[@]}"
}

# Makes `cargo` (with rustfmt and clippy) available: nothing to do when it is on PATH or in
# ~/.cargo; otherwise installs rustup's stable toolchain.
ensure_rust() {
    local cargo_home="${CARGO_HOME:-$HOME/.cargo}"
    if ! command -v cargo >/dev/null 2>&1 && [[ -f $cargo_home/env ]]; then
        # shellcheck source=/dev/null
        source "$cargo_home/env"
    fi
    if ! command -v cargo >/dev/null 2>&1; then
        install_rustup
    fi
    ensure_rust_components
}

# rustup's stable toolchain, minimal profile, installed without asking anything.
install_rustup() {
    local cargo_home="${CARGO_HOME:-$HOME/.cargo}"
    command -v curl >/dev/null 2>&1 || die "curl is needed to install Rust; run install_system_packages first."
    log "Installing Rust (rustup, stable, minimal profile)"
    curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs |
        sh -s -- -y --no-modify-path --profile minimal --default-toolchain stable
    # shellcheck source=/dev/null
    source "$cargo_home/env"
}

# rustfmt and clippy, which the test run enforces; rustup's minimal profile has neither.
ensure_rust_components() {
    local missing=()
    cargo fmt --version >/dev/null 2>&1 || missing+=(rustfmt)
    cargo clippy --version >/dev/null 2>&1 || missing+=(clippy)
    if [[ ${#missing[@]} -gt 0 ]]; then
        command -v rustup >/dev/null 2>&1 || die "cargo ${missing[*]} is missing and rustup isn't installed to add it; install ${missing[*]} for your Rust toolchain."
        log "Adding Rust components: ${missing[*]}"
        rustup component add "${missing[@]}"
    fi
}

# Makes `node` and `npm` available for the UI build and the Tauri CLI. A Node.js that is already
# installed (from the distribution, NodeSource or nvm) is kept; otherwise Debian's (>= 18).
ensure_node() {
    if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then
        return 0
    fi
    install_system_packages nodejs npm
}

# Installs the UI's npm packages (esbuild, TypeScript, the Tauri API and CLI) exactly as locked,
# when they are missing or older than the lock file.
ensure_ui_deps() {
    if [[ -d ui/node_modules && ui/node_modules/.package-lock.json -nt ui/package-lock.json ]]; then
        return 0
    fi
    log "Installing the UI's npm packages"
    (cd ui && npm ci --no-audit --no-fund)
}

# tauri-driver bridges WebDriver clients to WebKitWebDriver for the window tests.
ensure_tauri_driver() {
    if command -v tauri-driver >/dev/null 2>&1; then
        return 0
    fi
    log "Installing tauri-driver (cargo install, about a minute)"
    cargo install tauri-driver --locked --version '^2'
}

# Builds the web UI into ui/dist (the app embeds it at compile time).
build_ui() {
    npm --prefix ui run --silent build
}

# Builds the desktop app (debug, with the UI embedded) and its .deb. Debug builds have their own
# identity (tauri.conf.json: identifier and deep-link scheme dev.thanksconnect.app.debug), so a
# debug build never takes a release build's links; release bundles add
# src-tauri/tauri.release.conf.json. The base config is the debug one on purpose: `cargo test`
# and this build then compile the app with the same configuration and share the build. The demo
# and the tests use this one build.
build_app() {
    local flags=(--debug --bundles deb)
    [[ ${CI:-} == true ]] && flags+=(--ci)
    log "Building the desktop app and its .deb (debug)"
    ui/node_modules/.bin/tauri build "${flags[@]}"
    THANKS_APP_BIN="$CARGO_TARGET_DIR/debug/thanks-connect"
    export THANKS_APP_BIN
}

# Keeps build output outside the checkout, so a fresh CI clone (or a second worktree) reuses
# the compiled dependencies instead of rebuilding everything. An explicit CARGO_TARGET_DIR wins.
cache_dirs() {
    export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/thanks-connect/target}"
    mkdir -p "$CARGO_TARGET_DIR"
}

# Run directly: `scripts/lib.sh FUNCTION [ARGS...]` runs one step.
if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
    if [[ $# -eq 0 ]] || ! declare -F "$1" >/dev/null; then
        die "usage: scripts/lib.sh {install_system_packages [PKG...]|ensure_rust|ensure_node|ensure_ui_deps|ensure_tauri_driver|cache_dirs|build_ui|build_app}"
    fi
    "$@"
fi
