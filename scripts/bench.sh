#!/usr/bin/env bash
# bench.sh [--smoke] [--runs N] [--only FIGURES]: the benchmark suite, one command.
#
# Installs what is missing, builds what it measures, runs every figure side by side with its
# reference (the app against the floor app in bench/hello, thanksctl against curl, the engine
# against a bare reqwest call, WebKitGTK against Chromium) and rewrites docs/BENCHMARKS.md.
#
#   scripts/bench.sh            release builds (built with nice -n 19 and cached under
#                               CARGO_TARGET_DIR; ~11 min each cold on 2 cores), 7 runs per
#                               side, the 15-minute soak; writes docs/BENCHMARKS.md
#   scripts/bench.sh --smoke    debug builds (the ones scripts/test.sh makes), 1 run per side,
#                               a few soak iterations; seconds, and writes nothing into docs/.
#                               scripts/test.sh runs this so the suite can't rot.
#   --runs N                    runs per side (default 7)
#   --only startup,memory,...   some figures only (never writes docs/BENCHMARKS.md)
#
# Needs no display and no terminal: the window runs under Xvfb with a private keyring
# (scripts/with-keyring.sh). Benchmarks are never pass/fail; the exit status is non-zero only
# when a figure could not be measured at all.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=scripts/lib.sh
source scripts/lib.sh

smoke=0
only=0
suite_args=()
while [[ $# -gt 0 ]]; do
    case $1 in
        --smoke) smoke=1 ;;
        --runs | --only)
            [[ $# -ge 2 ]] || die "$1 needs a value"
            [[ $1 == --only ]] && only=1
            suite_args+=("$1" "$2")
            shift
            ;;
        *) die "unknown option $1 (see the top of scripts/bench.sh)" ;;
    esac
    shift
done

# The window and test stack, plus hyperfine (whole processes: thanksctl against curl) and, for
# the full suite only, Chromium (the 10 MB viewer beside WebKitGTK).
packages=("${THANKS_BUILD_PACKAGES[@]}" "${THANKS_TEST_PACKAGES[@]}" hyperfine)
((smoke)) || packages+=(chromium)
install_system_packages "${packages[@]}"
ensure_rust
ensure_node
cache_dirs
ensure_ui_deps
ensure_tauri_driver

tauri=$PWD/ui/node_modules/.bin/tauri
ci=()
[[ ${CI:-} == true ]] && ci=(--ci)
locked=()
[[ -f Cargo.lock ]] && locked=(--locked)

# NAME=PATH for each benchmark executable in cargo's JSON build messages (stdin).
bench_exes() {
    node -e '
      let text = "";
      process.stdin.on("data", (d) => (text += d)).on("end", () => {
        for (const line of text.split("\n")) {
          if (!line.startsWith("{")) continue;
          const m = JSON.parse(line);
          if (m.reason === "compiler-artifact" && m.executable && m.target.kind.includes("bench")) console.log(`${m.target.name}=${m.executable}`);
        }
      });'
}

if ((smoke)); then
    profile=debug
    # scripts/test.sh has built the app and the test binaries (thanksctl among them) already;
    # the same cargo invocations here are no-ops then, and build them otherwise. The bench
    # targets are built as tests are, so they share that build.
    if [[ -z ${THANKS_APP_BIN:-} || ! -x ${THANKS_APP_BIN:-} ]]; then
        build_ui
        build_app
    fi
    app=$THANKS_APP_BIN
    thanksctl=${THANKSCTL_BIN:-$CARGO_TARGET_DIR/debug/thanksctl}
    [[ -x $thanksctl ]] || cargo test --workspace "${locked[@]}" --no-run
    exes=$(cargo test --workspace "${locked[@]}" --benches --no-run --message-format=json-render-diagnostics | bench_exes)
    redirect=dev.thanksconnect.app.debug://oauth/callback
    log "Building the floor app (debug)"
    (cd bench/hello && "$tauri" build --debug --no-bundle "${ci[@]}")
else
    profile=release
    # The app embeds the UI; Chromium's viewer figure serves it too.
    build_ui
    # Release builds are heavy and the machine may be shared: lowest priority.
    log "Building the app's release .deb (release identity)"
    nice -n 19 "$tauri" build --bundles deb --config src-tauri/tauri.release.conf.json "${ci[@]}"
    app=$CARGO_TARGET_DIR/release/thanks-connect
    log "Building the floor app's release .deb (same profile)"
    (cd bench/hello && nice -n 19 "$tauri" build --bundles deb "${ci[@]}")
    log "Building thanksctl and the benchmark targets (release)"
    nice -n 19 cargo build "${locked[@]}" --release -p thanksctl
    thanksctl=$CARGO_TARGET_DIR/release/thanksctl
    exes=$(nice -n 19 cargo bench --workspace "${locked[@]}" --no-run --message-format=json-render-diagnostics | bench_exes)
    redirect=dev.thanksconnect.app://oauth/callback
    export THANKS_BENCH_APP_DEB THANKS_BENCH_HELLO_DEB
    THANKS_BENCH_APP_DEB=$(ls -t "$CARGO_TARGET_DIR"/release/bundle/deb/Thanks\ Connect_*.deb | head -1)
    THANKS_BENCH_HELLO_DEB=$(ls -t "$CARGO_TARGET_DIR"/release/bundle/deb/Thanks\ Hello_*.deb | head -1)
    ((only)) || suite_args+=(--write docs/BENCHMARKS.md)
fi
exe() { sed -n "s/^$1=//p" <<<"$exes" | tail -1; }
engine=$(exe engine)
[[ -n $engine && -x $engine ]] || die "couldn't find the engine benchmark's executable"
export THANKS_BENCH_MICRO
THANKS_BENCH_MICRO="$(exe micro):$(exe history)"

export THANKS_BENCH_BUILD=$profile THANKS_BENCH_APP=$app THANKS_BENCH_ENGINE=$engine
export THANKS_BENCH_HELLO=$CARGO_TARGET_DIR/$profile/thanks-hello
export THANKS_BENCH_THANKSCTL=$thanksctl
export THANKS_BENCH_REDIRECT_URI=$redirect

((smoke)) && suite_args+=(--smoke)
log "Running the benchmark suite ($profile builds)"
xvfb-run -a -s "-screen 0 1280x800x24 -nolisten tcp" \
    scripts/with-keyring.sh node bench/suite/run.mjs "${suite_args[@]}"
