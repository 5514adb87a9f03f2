#!/usr/bin/env bash
# fuzz.sh smoke|long|list [TARGET...]: the fuzz targets in fuzz/ (cargo fuzz: nightly Rust,
# libFuzzer, AddressSanitizer). Without TARGETs, every target.
#
#   smoke  each target for FUZZ_SECONDS (default 30) from the committed corpus; new inputs go
#          to a scratch directory, so the checkout is left as it was. scripts/test.sh runs it.
#   long   one target after another, each for FUZZ_RUNS executions (default 10,000,000) at the
#          lowest CPU priority, or until FUZZ_MAX_SECONDS have passed if that is set first (a
#          shared machine may not give a target the hours it needs); the inputs it finds go
#          into fuzz/corpus/TARGET, which is then minimized (cargo fuzz cmin). Prints each run's
#          count, time and rate for fuzz/RESULTS.md. Hours on a 2-core machine.
#   list   the targets.
#
# A crash, panic, failed property or hang (FUZZ_TIMEOUT seconds, default 10, on one input)
# stops the run with the reproducer in fuzz/artifacts/TARGET/ and a non-zero status.
# Installs what is missing: the nightly toolchain (rustup) and cargo-fuzz (cargo install
# --locked). Builds go to $CARGO_TARGET_DIR/fuzz.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=scripts/lib.sh
source scripts/lib.sh

usage() { die "usage: scripts/fuzz.sh smoke|long|list [TARGET...]"; }
[[ $# -ge 1 ]] || usage
mode=$1
shift

targets() {
    sed -n 's/^name = "\(.*\)"$/\1/p' fuzz/Cargo.toml | grep -v '^thanks-fuzz$'
}

if [[ $mode == list ]]; then
    targets
    exit 0
fi
[[ $mode == smoke || $mode == long ]] || usage

ensure_rust
cache_dirs
if ! cargo +nightly --version >/dev/null 2>&1; then
    command -v rustup >/dev/null 2>&1 || die "fuzzing needs the nightly toolchain, and rustup isn't installed to add it."
    log "Installing the nightly toolchain (minimal profile)"
    rustup toolchain install nightly --profile minimal
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
    log "Installing cargo-fuzz (cargo install --locked)"
    cargo install cargo-fuzz --locked
fi

if [[ $# -gt 0 ]]; then
    selected=("$@")
else
    mapfile -t selected < <(targets)
fi
fuzz_dir="$CARGO_TARGET_DIR/fuzz"
fuzz=(cargo +nightly fuzz)
build_flags=(--fuzz-dir fuzz --target-dir "$fuzz_dir")
libfuzzer_flags=(-timeout="${FUZZ_TIMEOUT:-10}" -rss_limit_mb=2048 -print_final_stats=1)

log "Building the fuzz targets (nightly, AddressSanitizer)"
"${fuzz[@]}" build "${build_flags[@]}"

for target in "${selected[@]}"; do
    corpus="fuzz/corpus/$target"
    mkdir -p "$corpus"
    if [[ $mode == smoke ]]; then
        scratch="$(mktemp -d "${TMPDIR:-/tmp}/thanks-fuzz-$target.XXXXXX")"
        log "Fuzzing $target for ${FUZZ_SECONDS:-30} s"
        status=0
        "${fuzz[@]}" run "${build_flags[@]}" "$target" "$scratch" "$corpus" -- \
            "${libfuzzer_flags[@]}" -max_total_time="${FUZZ_SECONDS:-30}" \
            >"$scratch.log" 2>&1 || status=$?
        grep -E '^(stat::number_of_executed_units|stat::average_exec_per_sec)' "$scratch.log" |
            sed "s/^/    $target /" >&2 || true
        if ((status != 0)); then
            tail -n 60 "$scratch.log" >&2
            rm -rf "$scratch" "$scratch.log"
            die "fuzz target $target failed (reproducer in fuzz/artifacts/$target/)"
        fi
        rm -rf "$scratch" "$scratch.log"
    else
        runs="${FUZZ_RUNS:-10000000}"
        logfile="$fuzz_dir/$target.long.log"
        log "Fuzzing $target for $runs executions (log: $logfile)"
        started=$SECONDS
        nice -n 19 "${fuzz[@]}" run "${build_flags[@]}" "$target" "$corpus" -- \
            "${libfuzzer_flags[@]}" -runs="$runs" -max_total_time="${FUZZ_MAX_SECONDS:-0}" \
            >"$logfile" 2>&1 ||
            {
                tail -n 60 "$logfile" >&2
                die "fuzz target $target failed (reproducer in fuzz/artifacts/$target/)"
            }
        elapsed=$((SECONDS - started))
        executed=$(sed -n 's/^stat::number_of_executed_units: *//p' "$logfile" | tail -n 1)
        rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$logfile" | tail -n 1)
        log "Minimizing fuzz/corpus/$target"
        "${fuzz[@]}" cmin "${build_flags[@]}" "$target" "$corpus" >"$logfile.cmin" 2>&1
        files=$(find "$corpus" -type f | wc -l)
        stopped="the count reached"
        ((executed >= runs)) || stopped="stopped by FUZZ_MAX_SECONDS before $runs"
        printf '%s: %s executions in %s s (%s exec/s, %s), no crash; corpus %s files\n' \
            "$target" "$executed" "$elapsed" "$rate" "$stopped" "$files"
    fi
done
