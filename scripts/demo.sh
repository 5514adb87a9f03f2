#!/usr/bin/env bash
# demo.sh: from a bare Debian/Ubuntu machine to the Thanks Connect desktop app running on the
# local thanks.io sandbox.
#
# Installs what is missing (system packages, Rust, Node, the UI's npm packages), builds the UI
# and the app (the same debug build the tests use), then starts the app with its sandbox
# running and the "Sandbox (local)" profile selected: click Connect, approve in your browser, and the
# deep link brings you back connected. Needs no thanks.io account.
#
# With no display (a server, CI, SSH) it runs the same app on a virtual display (Xvfb) and
# tours it automatically over WebDriver: connect through the consent page, token state, a
# console request, with screenshots saved and their paths printed.
# Where no desktop keyring is reachable, a private, throwaway Secret Service is used (said so).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=scripts/lib.sh
source scripts/lib.sh

# shellcheck disable=SC2119 # no arguments: the default package lists
install_system_packages
ensure_rust
ensure_node
cache_dirs
ensure_ui_deps
build_ui
build_app
cargo_flags=()
[[ -f Cargo.lock ]] && cargo_flags+=(--locked)
cargo build "${cargo_flags[@]}" -p thanksctl
export THANKSCTL_BIN="$CARGO_TARGET_DIR/debug/thanksctl"

keyring_reachable() {
    [[ -n ${DBUS_SESSION_BUS_ADDRESS:-} ]] &&
        THANKS_CONNECT_HOME=$(mktemp -d) "$THANKSCTL_BIN" status --json 2>/dev/null | grep -q '"ok": true'
}

if [[ -n ${DISPLAY:-}${WAYLAND_DISPLAY:-} ]]; then
    log "Starting Thanks Connect on the sandbox: click Connect and approve in your browser"
    if keyring_reachable; then
        THANKS_CONNECT_DEMO=1 exec "$THANKS_APP_BIN"
    fi
    log "No desktop keyring is reachable: using a private, throwaway Secret Service for this demo"
    THANKS_CONNECT_DEMO=1 exec scripts/with-keyring.sh "$THANKS_APP_BIN"
fi

ensure_tauri_driver
out="${THANKS_DEMO_OUT:-$PWD/.tmp/demo}"
mkdir -p "$out"
log "No display: touring the app on a virtual display (Xvfb) over WebDriver; screenshots go to $out"
THANKS_E2E_SCREENSHOT_DIR="$out" xvfb-run -a -s "-screen 0 1280x800x24 -nolisten tcp" \
    scripts/with-keyring.sh node tests/e2e/tour.mjs
