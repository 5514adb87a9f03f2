#!/usr/bin/env bash
# Records what both cores do while CMD runs, for locating a long task afterwards (stall.py):
# every context switch and wake-up (scheduler tracepoints) and CPU samples at 499 Hz, all
# processes, timestamped with CLOCK_MONOTONIC; plus the wall-to-monotonic offset, since the
# benchmark figures stamp their longest tasks with the wall clock.
#
#   bench/trace/record.sh DIR CMD...      e.g. (release builds, as scripts/bench.sh sets them up)
#   bench/trace/record.sh /tmp/soak node bench/suite/run.mjs --only soak
#
# Needs perf (Debian: linux-perf) and root or kernel.perf_event_paranoid <= -1. A 15-minute soak
# writes ~0.5 GB. Not part of the test or benchmark commands: the recording costs CPU itself.
set -euo pipefail
dir=$1
shift
mkdir -p "$dir"
perf record -a -k CLOCK_MONOTONIC -e sched:sched_switch -e sched:sched_waking -o "$dir/sched.data" >"$dir/perf-sched.log" 2>&1 &
sched=$!
perf record -a -k CLOCK_MONOTONIC -F 499 -e cpu-clock -o "$dir/cpu.data" >"$dir/perf-cpu.log" 2>&1 &
cpu=$!
python3 -c 'import time; print(time.time() - time.monotonic())' >"$dir/offset"
sleep 1 # perf is recording
rc=0
"$@" || rc=$?
kill -INT "$sched" "$cpu"
wait "$sched" "$cpu" || true
echo "recorded in $dir (command exit status $rc)"
exit "$rc"
