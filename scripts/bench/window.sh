#!/usr/bin/env bash
# bench/window.sh [RUNS]: start-up time and idle memory of the desktop app (the debug build the
# tests use, or $THANKS_APP_BIN), measured in the real window under Xvfb with a private keyring.
#
# Start-up: from exec to the window's first IPC call (the page is loaded and asks for
# app_info; the app logs "window loaded ms=N"). Memory: after 10 s idle, the proportional set
# size (PSS, so shared libraries are counted once) of the app and its WebKit processes, from
# /proc/PID/smaps_rollup. Prints one line per run and a summary; needs no display.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
# shellcheck source=scripts/lib.sh
source scripts/lib.sh
cache_dirs
runs=${1:-5}
app=${THANKS_APP_BIN:-$CARGO_TARGET_DIR/debug/thanks-connect}
[[ -x $app ]] || die "no app binary at $app: run scripts/test.sh (or scripts/demo.sh) once to build it"

if [[ ${_THANKS_BENCH_STAGE:-} != inner ]]; then
    export _THANKS_BENCH_STAGE=inner THANKS_APP_BIN=$app
    exec xvfb-run -a -s "-screen 0 1280x800x24 -nolisten tcp" scripts/with-keyring.sh "$0" "$runs"
fi

pss_kb() { awk '/^Pss:/ {print $2}' "/proc/$1/smaps_rollup" 2>/dev/null || echo 0; }
tree() { local p=$1; echo "$p"; for c in $(pgrep -P "$p" || true); do tree "$c"; done; }

times=()
for i in $(seq "$runs"); do
    scratch=$(mktemp -d)
    export THANKS_CONNECT_HOME=$scratch/home XDG_DATA_HOME=$scratch/data XDG_CONFIG_HOME=$scratch/config
    "$app" >/dev/null 2>&1 &
    pid=$!
    log=
    for _ in $(seq 300); do
        log=$(find "$scratch/data" -name 'thanks-connect*.log' 2>/dev/null | head -1 || true)
        [[ -n $log ]] && grep -q 'window loaded' "$log" && break
        sleep 0.1
    done
    ms=$(grep -o 'window loaded ms=[0-9]*' "$log" 2>/dev/null | grep -o '[0-9]*$' || true)
    [[ -n $ms ]] || { kill "$pid"; die "run $i: the window did not load within 30 s"; }
    times+=("$ms")
    line="run $i: window loaded in $ms ms"
    if ((i == runs)); then
        sleep 10
        total=0
        for p in $(tree "$pid"); do
            kb=$(pss_kb "$p")
            total=$((total + kb))
            printf '  idle PSS %-22s %6d MB\n' "$(cat "/proc/$p/comm" 2>/dev/null)" $((kb / 1024))
        done
        line+="; idle after 10 s: total PSS $((total / 1024)) MB"
    fi
    echo "$line"
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    rm -rf "$scratch"
done
sorted=$(printf '%s\n' "${times[@]}" | sort -n)
echo "start-up over $runs runs: min $(head -1 <<<"$sorted") ms, median $(sed -n "$(((runs + 1) / 2))p" <<<"$sorted") ms, max $(tail -1 <<<"$sorted") ms"
