#!/usr/bin/env bash
# fuzz.sh smoke|long|list [TARGET...]: the fuzz targets in fuzz/ (cargo fuzz: nightly Rust,
# libFuzzer, AddressSanitizer). Without TARGETs, every target.
#
#   smoke  each target for FUZZ_SECONDS (default 30) from the committed corpus, FUZZ_JOBS
#          (default 2) at a time; new inputs go to a scratch directory, so the checkout is left
#          as it was. scripts/test.sh runs it. Built unoptimized (cargo fuzz --dev): for a
#          30-second run the build is most of the cost, and an optimized one takes twice the
#          CPU.
#   long   one target after another, each for FUZZ_RUNS executions (default 10,000,000) at the
#          lowest CPU priority, or until FUZZ_MAX_SECONDS have passed if that is set first (a
#          shared machine may not give a target the hours it needs); optimized build. The
#          inputs it finds go into fuzz/corpus/TARGET, which is then minimized to the inputs
#          that reach new code (cargo fuzz cmin, edges only, so the committed corpus stays
#          small). Prints each run's count, time and rate for fuzz/RESULTS.md. Hours on a
#          2-core machine.
#   list   the targets.
#
# FUZZ_SANITIZER (default address) is cargo fuzz's --sanitizer. `none` makes a long run several
# times faster (callback: about 4,000 exec/s with it, about 20,000 without, fuzz/RESULTS.md): the workspace forbids unsafe code, so what AddressSanitizer adds is a check
# of the dependencies' unsafe code, which every smoke run (always with AddressSanitizer) keeps.
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
sanitizer=${FUZZ_SANITIZER:-address}
[[ $mode == smoke ]] && sanitizer=address
build_flags=(--fuzz-dir fuzz --target-dir "$fuzz_dir" --sanitizer "$sanitizer")
libfuzzer_flags=(-timeout="${FUZZ_TIMEOUT:-10}" -rss_limit_mb=2048 -print_final_stats=1)

if [[ $mode == smoke ]]; then
    build_flags+=(--dev)
    log "Building the fuzz targets (nightly, AddressSanitizer, unoptimized)"
else
    log "Building the fuzz targets (nightly, sanitizer: $sanitizer, optimized)"
fi
"${fuzz[@]}" build "${build_flags[@]}"

# One smoke run; its output goes to $2.log next to its scratch corpus $2.
smoke_one() {
    local target=$1 scratch=$2
    "${fuzz[@]}" run "${build_flags[@]}" "$target" "$scratch" "fuzz/corpus/$target" -- \
        "${libfuzzer_flags[@]}" -max_total_time="${FUZZ_SECONDS:-30}" >"$scratch.log" 2>&1
}

if [[ $mode == smoke ]]; then
    jobs_at_once=${FUZZ_JOBS:-2}
    failed=()
    for ((i = 0; i < ${#selected[@]}; i += jobs_at_once)); do
        batch=("${selected[@]:i:jobs_at_once}")
        log "Fuzzing ${batch[*]} for ${FUZZ_SECONDS:-30} s"
        pids=()
        scratches=()
        for target in "${batch[@]}"; do
            mkdir -p "fuzz/corpus/$target"
            scratch="$(mktemp -d "${TMPDIR:-/tmp}/thanks-fuzz-$target.XXXXXX")"
            scratches+=("$scratch")
            smoke_one "$target" "$scratch" &
            pids+=($!)
        done
        for j in "${!batch[@]}"; do
            target=${batch[j]}
            scratch=${scratches[j]}
            status=0
            wait "${pids[j]}" || status=$?
            grep -E '^(stat::number_of_executed_units|stat::average_exec_per_sec)' "$scratch.log" |
                sed "s/^/    $target /" >&2 || true
            if ((status != 0)); then
                tail -n 60 "$scratch.log" >&2
                failed+=("$target")
            fi
            rm -rf "$scratch" "$scratch.log"
        done
    done
    ((${#failed[@]} == 0)) || die "fuzz target(s) ${failed[*]} failed (reproducers in fuzz/artifacts/)"
    exit 0
fi

for target in "${selected[@]}"; do
    corpus="fuzz/corpus/$target"
    mkdir -p "$corpus"
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
    # Named inputs (seed-*: the cases fuzz/RESULTS.md tells of) stay whatever cmin thinks of
    # their coverage: cmin renames what it keeps and dropped them all once.
    seeds="$(mktemp -d)"
    find "$corpus" -maxdepth 1 -type f -name 'seed-*' -exec cp {} "$seeds/" \;
    "${fuzz[@]}" cmin "${build_flags[@]}" "$target" "$corpus" -- -use_counters=0 \
        >"$logfile.cmin" 2>&1
    cp -r "$seeds"/. "$corpus/"
    rm -rf "$seeds"
    files=$(find "$corpus" -type f | wc -l)
    stopped="the count reached"
    ((executed >= runs)) || stopped="stopped by FUZZ_MAX_SECONDS before $runs"
    printf '%s: %s executions in %s s (%s exec/s, sanitizer %s, %s), no crash; corpus %s files\n' \
        "$target" "$executed" "$elapsed" "$rate" "$sanitizer" "$stopped" "$files"
done
