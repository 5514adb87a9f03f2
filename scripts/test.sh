#!/usr/bin/env bash
# test.sh [TEST-HARNESS ARGS...]: the whole test suite, from a bare Debian/Ubuntu machine to a
# verdict.
#
# Installs what is missing (system packages, Rust, Node, the UI's npm packages, tauri-driver),
# builds the UI, every test binary and the app once, then runs the Rust tests inside
# scripts/with-keyring.sh (so they meet the real Secret Service rather than a mock), a short
# run of every fuzz target (scripts/fuzz.sh smoke) and the window tests in the real app under
# Xvfb, driven over WebDriver; then the Windows build and its tests under Wine, and the macOS
# check (scripts/windows.sh, scripts/macos.sh). Safe to run again and again; needs no terminal,
# no display and no input (CI runs it as .ci/run). Extra arguments go to the Linux test
# binaries, e.g. `scripts/test.sh secret_service` or `scripts/test.sh --nocapture`.
set -euo pipefail

started=$SECONDS
stage="setup"
stopped=""
# One summary line however the run ends, naming the stage that failed. A run stopped from
# outside (CI's time limit, Ctrl-C) says so: without these traps bash ran the summary with the
# status of the last command that had finished, and a killed run could claim it had passed.
summary() {
    local status=$? elapsed=$((SECONDS - started))
    local took="$((elapsed / 60))m $((elapsed % 60))s"
    if [[ -n $stopped ]]; then
        echo "test.sh: STOPPED by $stopped during $stage after $took" >&2
    elif ((status == 0)); then
        echo "test.sh: all tests passed in $took"
    else
        echo "test.sh: FAILED during $stage (exit status $status) after $took" >&2
    fi
}
trap summary EXIT
trap 'stopped=SIGTERM; exit 143' TERM
trap 'stopped=SIGINT; exit 130' INT

cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=scripts/lib.sh
source scripts/lib.sh

# shellcheck disable=SC2119 # no arguments: the default build + test package lists
install_system_packages
ensure_rust
ensure_node
cache_dirs
ensure_ui_deps
ensure_tauri_driver

# Build with the committed lock file, exactly; without one (early in a branch) let cargo
# resolve.
cargo_flags=(--workspace)
if [[ -f Cargo.lock ]]; then
    cargo_flags+=(--locked)
fi
# The app with its UI embedded, as `tauri build` makes it (tauri's custom-protocol feature):
# without it a debug build loads tauri.conf.json's devUrl, the dev server of `tauri dev`, and
# cargo test, which runs after `tauri build` here, leaves its own build of the app in
# target/debug where the window tests start it.
cargo_flags+=(--features tauri/custom-protocol)

# Formatting and lints are part of the verdict, not advice: a red `cargo fmt` or clippy fails
# the run like a failing test. Formatting first (it needs no build); clippy after the UI is
# built, because the app crate embeds ui/dist at compile time.
stage="the formatting check"
log "Checking formatting (cargo fmt --check; the fuzz targets too, a workspace of their own)"
cargo fmt --all --check
cargo fmt --all --check --manifest-path fuzz/Cargo.toml

stage="the security table"
log "Checking that every test docs/SECURITY.md names exists"
scripts/check-security-doc.sh

stage="the build"
log "Building the UI, the test binaries and the app (CARGO_TARGET_DIR=$CARGO_TARGET_DIR)"
# Building first, outside the keyring session, keeps compile errors apart from test failures
# and keeps the private daemon's lifetime down to the test run itself.
build_ui
cargo test "${cargo_flags[@]}" --no-run
build_app
export THANKSCTL_BIN="$CARGO_TARGET_DIR/debug/thanksctl"

stage="the lints"
log "Checking lints (cargo clippy --all-targets -D warnings)"
cargo clippy "${cargo_flags[@]}" --all-targets -- -D warnings

stage="the workflow lint"
log "Checking the CI and release workflows (actionlint)"
ensure_actionlint
"$ACTIONLINT" -no-color

stage="the UI unit tests"
log "Running the UI's unit tests (JSON viewer, JSON path, summaries)"
npm --prefix ui test

# Runs CMD, which runs its tests under scripts/with-keyring.sh. When they failed because
# gnome-keyring-daemon itself crashed (status 75, an upstream bug: see with-keyring.sh), CMD
# runs once more on a fresh daemon, and the log says so. Any other failure is final.
once_more_if_the_keyring_died() {
    local status=0
    "$@" || status=$?
    if ((status == 75)); then
        log "WARNING: gnome-keyring-daemon crashed under $stage (an upstream bug, its output is above); running them once more on a fresh daemon"
        "$@"
        return
    fi
    return "$status"
}

stage="the tests"
log "Running the tests against a private Secret Service"
once_more_if_the_keyring_died scripts/with-keyring.sh cargo test "${cargo_flags[@]}" -- "$@"

stage="the fuzz smoke run"
log "Fuzzing the parsers of untrusted input, ${FUZZ_SECONDS:-30} s per target (scripts/fuzz.sh)"
# Each cargo-fuzz target from the committed corpus, two at a time; the nightly toolchain and
# cargo-fuzz are installed when missing. Cold, this stage adds about 6 minutes on 2 cores
# (most of it the unoptimized ASan build).
scripts/fuzz.sh smoke callback config curl history_mask token_response

stage="the window tests"
log "Running the window tests: the real app under Xvfb, driven over WebDriver"
# Xvfb for the window (1920x1080: the layout tests resize the window up to that), then a
# private bus and keyring for the app, tauri-driver and thanksctl.
once_more_if_the_keyring_died xvfb-run -a -s "-screen 0 1920x1080x24 -nolisten tcp" \
    scripts/with-keyring.sh node --test --test-concurrency=1 tests/e2e/

stage="the benchmark smoke run"
log "Running the benchmark suite once, briefly, on the debug builds (numbers are not checked)"
# So the suite (scripts/bench.sh) can't rot: every figure must still be measurable. It reuses
# the app built above and writes nothing into docs/.
scripts/bench.sh --smoke

# The other systems last, so a Linux failure is reported first. Windows: the cross-build, its
# lints and its tests under Wine; macOS: the check of the crates that compile without Apple's
# SDK. Both reuse this run's cache (cargo keeps each target's build apart).
stage="the Windows tests"
log "Windows: cross-build, lints and tests under Wine (scripts/windows.sh)"
scripts/windows.sh

stage="the macOS check"
log "macOS: check and lints of the SDK-free crates (scripts/macos.sh)"
scripts/macos.sh
