#!/usr/bin/env python3
"""What a web page's main thread and both cores did during one long task, from record.sh's trace.

    bench/trace/stall.py DIR FROM TO [TID]

FROM and TO are wall-clock times in ms since the epoch, as the benchmark figures report them:
the 10 MB figure's longest gap starts at `heartbeatGapWallMs` and lasts `heartbeatGapMs`; the
soak's latest tick ends at `latest.endedAtMs` and began `latest.ms` + 10 ms before. TID is the
web process's main thread; by default the busiest thread named WebKitWebProcess (its main
thread has tid = pid) in the window.

Prints the main thread's time on a core, runnable but waiting for one, and asleep (with who
woke it), what ran on the cores meanwhile, by thread, and the main thread's CPU samples by
library and symbol. WebKitGTK's own symbols are not in Debian's binary package, so its frames
show as [unknown]; the library still says whose work it is (WebKit, JavaScriptCore, fontconfig,
the kernel's page faults, libc's allocator).
"""
import collections
import re
import subprocess
import sys

LINE = re.compile(r'^\s*(.+?)\s+(\d+)/(\d+)\s+\[(\d+)\]\s+([\d.]+):\s+(\S+?):?\s+(.*)$')
FIELDS = re.compile(r'(\w+)=(\S+)')


def perf_script(path, fields, lo, hi):
    out = subprocess.run(['perf', 'script', '-i', path, '-F', fields, '--time', f'{lo:.6f},{hi:.6f}'],
                         capture_output=True, text=True, check=True)
    return out.stdout.splitlines()


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    d = sys.argv[1]
    offset = float(open(f'{d}/offset').read())
    a = float(sys.argv[2]) / 1000 - offset
    b = float(sys.argv[3]) / 1000 - offset
    tid = int(sys.argv[4]) if len(sys.argv) > 4 else None

    # Events from a little before the window, so each core's running thread is known at its start.
    events, names = [], {}
    for line in perf_script(f'{d}/sched.data', 'comm,pid,tid,cpu,time,event,trace', a - 0.5, b):
        m = LINE.match(line)
        if not m:
            continue
        comm, pid, t, cpu, ts, event, trace = m.groups()
        names[int(t)] = f'{comm}[{pid}]'
        events.append((float(ts), int(cpu), event, int(t), dict(FIELDS.findall(trace))))
    if tid is None:
        busy = collections.Counter(t for ts, _, e, t, _ in events if a <= ts <= b and names.get(t, '').startswith('WebKitWebProces'))
        mains = [t for t, _ in busy.most_common() if names[t].endswith(f'[{t}]')]
        if not mains:
            sys.exit('no WebKitWebProcess main thread in the window; pass its TID')
        tid = mains[0]

    def clip(s, e):
        return max(0.0, min(e, b) - max(s, a))

    on_core = {}  # cpu -> (tid, since)
    per_thread = collections.Counter()
    state, since, waker = None, a - 0.5, None
    spent = collections.Counter()
    sleeps, waits = [], []

    def move(to, ts):
        nonlocal state, since, waker
        if state is not None:
            c = clip(since, ts)
            spent[state] += c
            at = round((max(since, a) - a) * 1000, 1)
            if state == 'asleep' and c >= 0.0005:
                sleeps.append((at, round(c * 1000, 1), waker))
            if state == 'waiting' and c >= 0.0005:
                waits.append((at, round(c * 1000, 1)))
        state, since, waker = to, ts, None

    for ts, cpu, event, t, f in events:
        if event == 'sched:sched_switch':
            prev, nxt = int(f['prev_pid']), int(f['next_pid'])
            if cpu in on_core:
                held, start = on_core[cpu]
                per_thread[names.get(held, 'idle') if held else 'idle'] += clip(start, ts)
            on_core[cpu] = (nxt, ts)
            if prev == tid:
                move('waiting' if f['prev_state'].startswith('R') else 'asleep', ts)
            if nxt == tid:
                move('running', ts)
        elif event == 'sched:sched_waking' and int(f['pid']) == tid and state == 'asleep':
            # The waker is the thread this event was recorded on; the sleep closes with its name.
            waker = names.get(t, str(t))
            move('waiting', ts)
    for cpu, (held, start) in on_core.items():
        per_thread[names.get(held, 'idle') if held else 'idle'] += clip(start, b)
    move(None, b)

    ms = (b - a) * 1000
    print(f'{ms:.0f} ms; main thread {names.get(tid, tid)}: on a core {spent["running"] * 1000:.1f} ms, '
          f'runnable but waiting for one {spent["waiting"] * 1000:.1f} ms, asleep {spent["asleep"] * 1000:.1f} ms')
    print('  asleep (at ms, for ms, woken by):', sleeps[:20])
    print('  waiting for a core (at ms, for ms):', waits[:20])
    print('both cores, by thread (ms):')
    for name, s in per_thread.most_common(12):
        print(f'  {s * 1000:7.1f}  {name}')

    libs, syms, n = collections.Counter(), collections.Counter(), 0
    for line in perf_script(f'{d}/cpu.data', 'tid,ip,sym,dso', a, b):
        parts = line.split()
        if not parts or not parts[0].isdigit() or int(parts[0]) != tid:
            continue
        n += 1
        lib = re.search(r'\(([^)]*)\)\s*$', line)
        lib = lib.group(1).rsplit('/', 1)[-1] if lib else '?'
        libs[lib] += 1
        syms[(lib, re.sub(r'\+0x[0-9a-f]+$', '', ' '.join(parts[2:-1])) or '?')] += 1
    print(f'main thread CPU samples: {n}, by library:', ', '.join(f'{k} {v}' for k, v in libs.most_common(8)))
    for (lib, sym), v in syms.most_common(10):
        print(f'  {v:4d}  {lib}  {sym[:90]}')


if __name__ == '__main__':
    main()
