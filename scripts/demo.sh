#!/usr/bin/env bash
# demo.sh: from a bare Debian/Ubuntu machine to a working Thanks Connect demo on the sandbox.
#
# Installs what is missing (system packages, Rust), builds, starts the local thanks.io sandbox,
# connects a "sandbox" profile through the real OAuth flow (consent page, callback, code
# exchange, tokens into the OS keyring), then shows token state and makes API calls.
# Idempotent; needs no thanks.io account and no network beyond the package registries.
#
# Where no desktop keyring is reachable (a server, a container, CI) it runs inside
# scripts/with-keyring.sh: a private, throwaway Secret Service, said so on screen.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=scripts/lib.sh
source scripts/lib.sh

if [[ ${_THANKS_DEMO_STAGE:-} != run ]]; then
    # shellcheck disable=SC2119 # no arguments: the default package lists
    install_system_packages
    ensure_rust
    cache_dirs
    cargo_flags=()
    [[ -f Cargo.lock ]] && cargo_flags+=(--locked)
    log "Building thanksctl"
    cargo build "${cargo_flags[@]}" -p thanksctl
    export THANKSCTL="$CARGO_TARGET_DIR/debug/thanksctl" _THANKS_DEMO_STAGE=run
    # Use the desktop's keyring when there is one; otherwise a private one for this run.
    if [[ -n ${DBUS_SESSION_BUS_ADDRESS:-} ]] && THANKS_CONNECT_HOME=$(mktemp -d) "$THANKSCTL" status --json 2>/dev/null | grep -q '"ok": true'; then
        exec "$0" "$@"
    fi
    log "No desktop keyring is reachable: using a private, throwaway Secret Service for this demo"
    exec scripts/with-keyring.sh "$0" "$@"
fi

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
thanksctl() { "$THANKSCTL" --profile sandbox "$@"; }

home=$(mktemp -d "${TMPDIR:-/tmp}/thanks-connect-demo.XXXXXX")
export THANKS_CONNECT_HOME=$home
sandbox_out="$home/sandbox.json"
sandbox_pid=
cleanup() {
    [[ -n $sandbox_pid ]] && kill "$sandbox_pid" 2>/dev/null && wait "$sandbox_pid" 2>/dev/null
    # Leave nothing in the keyring: the demo's tokens go with the demo.
    "$THANKSCTL" --profile sandbox profile remove >/dev/null 2>&1 || true
    rm -rf "$home"
}
trap cleanup EXIT

step "Starting the thanks.io sandbox on 127.0.0.1"
"$THANKSCTL" sandbox --port 0 --access-token-ttl 120 --json >"$sandbox_out" &
sandbox_pid=$!
for _ in $(seq 100); do [[ -s $sandbox_out ]] && break; sleep 0.1; done
[[ -s $sandbox_out ]] || die "the sandbox did not start"
field() { sed -E "s/.*\"$1\":\"([^\"]*)\".*/\1/" "$sandbox_out"; }
echo "sandbox at $(field base_url), OAuth client $(field client_id)"

step "Creating the \"sandbox\" profile (client secret goes to the keyring)"
field client_secret | thanksctl profile set --authorize-url "$(field authorize_url)" \
    --token-url "$(field token_url)" --api-base "$(field api_base)" --client-id "$(field client_id)" \
    --redirect-uri dev.thanksconnect.app:/oauth/callback --client-secret-stdin
thanksctl profile show

step "Connecting: authorize URL → consent page (approved by scripts/sandbox-browser.sh) → callback → tokens"
BROWSER="$PWD/scripts/sandbox-browser.sh" thanksctl login --timeout 60 </dev/null

step "Token state"
thanksctl status

step "GET /orders/list?items_per_page=2"
thanksctl call GET orders/list -q items_per_page=2
echo
step "POST /estimate/postcard (prices a mailer; nothing is sent)"
thanksctl call POST estimate/postcard -d '{"recipients":[{"name":"Ada Lovelace","address":"1 Main St","city":"Springfield","province":"IL","postal_code":"62701","country":"US"}],"message":"Thanks for being a customer!","front_image_url":"https://example.com/front.png"}'
echo
step "Refreshing the token (the sandbox rotates refresh tokens)"
thanksctl refresh

step "Done. The demo's tokens are removed from the keyring on exit."
