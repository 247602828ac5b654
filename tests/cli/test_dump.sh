#!/usr/bin/env bash
# heapwalk dump PID: real CPython processes (every 3.8..3.13 under pyenv; a
# missing one FAILS), dumped from outside with gdb, must keep serving; and each
# error the command can give. Needs root (ptrace any process, unshare -m).
cd "$(dirname "$0")/../.."
. tests/cli/lib.sh
PYENV=${PYENV_ROOT:-/root/.pyenv}/versions
TARGET=tests/cli/dump_target.py
VERSIONS="${DUMP_VERSIONS:-3.8.18 3.9.18 3.10.13 3.11.7 3.12.1 3.13.0}"
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done' EXIT

# wait_file PATH [SECONDS]: until PATH exists (default 20 s); 1 on timeout.
wait_file() {
    local end=$((SECONDS + ${2:-20}))
    while [ ! -s "$1" ]; do
        [ $SECONDS -ge $end ] && return 1
        sleep 0.05
    done
}

# ping PORT: the server answers "pong".
ping() {
    python3 -c 'import socket,sys; s=socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=5); sys.exit(0 if s.recv(10) == b"pong\n" else 1)' "$1"
}

# start PY MODE READY [ARGS...]: a target in the background; its pid in $pid.
start() {
    local py=$1; shift
    "$py" "$TARGET" "$@" 2> "$2.stderr" &
    pid=$!
    pids+=("$pid")
}

# state PID: its state letter (R, S, T for stopped, ...).
state() { sed 's/.*) \(.\).*/\1/' "/proc/$1/stat"; }

# check_threads VERSION DUMP: the worker thread's local `batch` (500 Items)
# is reached through that thread, and `heapwalk threads` shows it; every line
# is JSON with meliae's keys first, in meliae's order.
check_threads() {
    local v=$1 dump=$2 item
    item=$(zcat "$dump" | grep -m1 '"type": "Item"' | sed 's/^{"address": \([0-9]*\),.*/\1/')
    if "$HW" path -q "$item" "$dump" > "$T/path" 2> "$T/err" &&
        grep -Eq "^  thread 'worker-1' > handle\(\):[0-9]+ > batch\[[0-9]+\]$" "$T/path" &&
        grep -q 'from a thread root' "$T/path"; then
        ok "threads: Python $v: an Item in worker-1's local batch has the path thread 'worker-1' > handle():N > batch[i]"
    else
        not_ok "threads: Python $v: path through the thread" "$(cat "$T/path" "$T/err" | tail -4)"
    fi
    if "$HW" threads -q --json "$dump" > "$T/threads.json" && python3 - "$T/threads.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
w = [t for t in d["threads"] if t["name"] == "worker-1"]
assert len(w) == 1, d
fr = [f for f in w[0]["frames"] if f["function"] == "handle"]
assert len(fr) == 1, w
src = open("tests/cli/dump_target.py").read().splitlines()
assert "threading.Event().wait()" in src[fr[0]["line"] - 1], fr[0]["line"]
loc = {l["name"]: l for l in fr[0]["locals"]}
assert loc["batch"]["type"] == "list", loc
# the list, its 500 Items (and their names): at least 500 * 48 bytes
assert loc["batch"]["retained"] > 500 * 48, loc
assert w[0]["retained"] >= loc["batch"]["retained"], w
assert "MainThread" in [t["name"] for t in d["threads"]], d
PY
    then
        ok "threads: Python $v: heapwalk threads --json: worker-1 > handle() holds batch, retained sizes"
    else
        not_ok "threads: Python $v: heapwalk threads --json" "$(head -c 300 "$T/threads.json")"
    fi
    # worker-1 and MainThread; the thread that wrote the dump is left out.
    check_grep "threads: Python $v: roots counts the two threads" \
        "^[0-9]+ anchor roots \\(2 threads, [0-9]+ modules, 0 frames\\)" <("$HW" roots -q "$dump")
    if zcat "$dump" | python3 -c '
import json, sys
order = ["address", "type", "size", "name", "len", "value", "refs"]
for n, line in enumerate(sys.stdin, 1):
    keys = list(json.loads(line))
    std = [k for k in keys if k in order]
    assert std == [k for k in order if k in std] and keys[:len(std)] == std, (n, keys)
    assert set(keys) - set(order) <= {"file", "line"}, (n, keys)
'; then
        ok "threads: Python $v: every line is JSON, meliae's keys first in meliae's order, then file/line"
    else
        not_ok "threads: Python $v: line format"
    fi
}

# --- every CPython: an idle server and a busy one ---
for v in $VERSIONS; do
    py=$PYENV/$v/bin/python3
    if [ ! -x "$py" ]; then
        not_ok "dump: Python $v" "$py is missing (pyenv install $v)"
        continue
    fi
    r=$T/idle-$v
    start "$py" idle "$r"
    if ! wait_file "$r"; then not_ok "dump: idle $v: target did not start" "$(cat "$r.stderr")"; continue; fi
    out=$T/idle-$v.json.gz
    if "$HW" dump -q -o "$out" "$pid" > "$T/out" 2> "$T/err" && [ "$(cat "$T/out")" = "$out" ] &&
        gzip -t "$out" && "$HW" summary -q --top 0 "$out" > "$T/sum" && grep -q ' Item$' "$T/sum"; then
        ok "dump: Python $v, idle server (all threads blocked with no timeout): a complete dump"
    else
        not_ok "dump: Python $v, idle server" "$(head -5 "$T/err")" "$(cat "$T/out")"
    fi
    check_threads "$v" "$out"
    if ping "$(cat "$r")" && [ "$(state "$pid")" != T ] && [ ! -s "$r.stderr" ] &&
        ! ls /tmp/.heapwalk-"$pid"-* > /dev/null 2>&1; then
        ok "dump: Python $v, idle server still serves, not stopped, nothing on its stderr, no files left"
    else
        not_ok "dump: Python $v, idle server after the dump" "state $(state "$pid")" "$(head -5 "$r.stderr")" \
            "$(ls /tmp/.heapwalk-"$pid"-* 2>&1)"
    fi
    kill "$pid"

    r=$T/busy-$v
    start "$py" busy "$r"
    if ! wait_file "$r" || ! wait_file "$r.beat"; then not_ok "dump: busy $v: target did not start"; continue; fi
    before=$(cat "$r.beat")
    out=$T/busy-$v.json.gz
    if "$HW" dump -q -o "$out" "$pid" > "$T/out" 2> "$T/err" && gzip -t "$out"; then
        during=$(cat "$r.beat")
        end=$((SECONDS + 10))
        while [ "$(cat "$r.beat")" -le "$during" ] && [ $SECONDS -lt $end ]; do sleep 0.05; done
        after=$(cat "$r.beat")
        if [ "$during" -gt "$before" ] && [ "$after" -gt "$during" ]; then
            ok "dump: Python $v, busy process: dumped, heartbeat went on ($before, $during, $after)"
        else
            not_ok "dump: Python $v, busy process: heartbeat stopped" "$before $during $after"
        fi
    else
        not_ok "dump: Python $v, busy process" "$(head -5 "$T/err")"
    fi
    kill "$pid"
done

py=$PYENV/3.11.7/bin/python3

# --- the default path, and progress-free output: the path on stdout ---
r=$T/default
start "$py" idle "$r"
wait_file "$r"
if "$HW" dump "$pid" > "$T/out" 2> "$T/err" && grep -Eq "^/tmp/heapwalk-$pid-[0-9]+\.json\.gz$" "$T/out" &&
    gzip -t "$(cat "$T/out")" && grep -q 'objects' "$T/err"; then
    ok "dump: default output /tmp/heapwalk-PID-TIME.json.gz, printed"
else
    not_ok "dump: default output" "$(cat "$T/out")" "$(head -5 "$T/err")"
fi
rm -f "$(cat "$T/out")"

# --open: the explorer on the new dump, in a terminal (vtdrive).
printf 'wait "Total "\nwait "Kind"\nkey q\nexit 0\n' > "$T/open.vt"
if out=$("${VTDRIVE:?}" -s 100x24 -t vt100 -e LANG=C -e LC_ALL=C -T 30000 "$T/open.vt" -- \
    "$HW" dump --open -o "$T/open.json.gz" "$pid" 2>&1) && gzip -t "$T/open.json.gz"; then
    ok "dump --open: the explorer opens on the new dump"
else
    not_ok "dump --open" "$(printf '%s\n' "$out" | head -8)"
fi
kill "$pid"

# --- a service in its own mount namespace with a private /tmp ---
# The target script goes in on fd 9, opened before the mount: a checkout
# under /tmp (a clone in /tmp, as CI may make) is hidden by the new tmpfs.
r=$T/ns
unshare -m sh -c 'mount -t tmpfs tmpfs /tmp && exec "$0" "$@"' "$py" /dev/fd/9 idle /tmp/ready 9< "$TARGET" 2> "$r.stderr" &
pid=$!; pids+=("$pid")
wait_file "/proc/$pid/root/tmp/ready"
if [ -e /tmp/ready ]; then not_ok "dump: namespace: /tmp/ready is visible outside"; fi
out=$T/ns.json.gz
if "$HW" dump -q -o "$out" "$pid" > "$T/out" 2> "$T/err" && gzip -t "$out" &&
    ! ls "/proc/$pid/root/tmp/".heapwalk-* > /dev/null 2>&1 && ping "$(cat "/proc/$pid/root/tmp/ready")"; then
    ok "dump: a process in its own mount namespace (private /tmp), through /proc/PID/root"
else
    not_ok "dump: mount namespace" "$(head -5 "$T/err")" "$(ls -a "/proc/$pid/root/tmp/")"
fi

# Disk full on heapwalk's side (the copy out of the container's /tmp); a
# device is written in place, never replaced.
check_status "dump: writing the output to a full device says so" 1 'writing the dump to /dev/full: No space left' \
    "$HW" dump -q -o /dev/full "$pid"
if [ -c /dev/full ]; then ok "dump: /dev/full is still a device"; else not_ok "dump: /dev/full was replaced"; fi
"$HW" dump -q -o /dev/stdout "$pid" > "$T/stdout.json.gz" 2> "$T/err"
if gzip -t "$T/stdout.json.gz" && [ -L /dev/stdout ]; then ok "dump: -o /dev/stdout writes the dump to stdout (the link stays)"; else not_ok "dump: -o /dev/stdout" "$(head -3 "$T/err")"; fi

# --- disk full: the target's /tmp is a tiny tmpfs ---
r=$T/full
unshare -m sh -c 'mount -t tmpfs -o size=160k tmpfs /tmp && exec "$0" "$@"' "$py" /dev/fd/9 idle /tmp/ready \
    9< "$TARGET" 2> "$r.stderr" &
pid=$!; pids+=("$pid")
wait_file "/proc/$pid/root/tmp/ready"
check_status "dump: disk full in the target says so" 1 'dump failed in process [0-9]+: .*No space left on device' \
    "$HW" dump -q -o "$T/full.json.gz" "$pid"
if [ ! -e "$T/full.json.gz" ] && ! ls "/proc/$pid/root/tmp/".heapwalk-* > /dev/null 2>&1 &&
    ping "$(cat "/proc/$pid/root/tmp/ready")"; then
    ok "dump: disk full: no output, no partial file left, the process still serves"
else
    not_ok "dump: disk full: leftovers" "$(ls -a "/proc/$pid/root/tmp/")"
fi

# --- errors ---
sleep 30 & nonpy=$!; pids+=("$nonpy")
check_status "dump: not a CPython process" 1 "process $nonpy is not a CPython process" "$HW" dump -q "$nonpy"
kill "$nonpy"
if [ "$(state "$nonpy" 2>/dev/null)" != T ]; then ok "dump: a non-Python process is not left stopped"; else not_ok "dump: non-Python stopped"; fi

( exit 0 ) & gone=$!; wait "$gone"
check_status "dump: no such process" 1 "no process with id $gone" "$HW" dump -q "$gone"
check_status "dump: a PID that is not a number" 2 "'12x' is not a process id" "$HW" dump 12x

old=$PYENV/3.7.16/bin/python3
if [ -x "$old" ]; then
    r=$T/old
    start "$old" idle "$r"
    wait_file "$r"
    check_status "dump: Python 3.7 is not supported, said so" 1 \
        "process $pid runs Python 3\.7\.16: the scanner supports CPython 3\.8 to 3\.13" "$HW" dump -q -o "$T/old.json.gz" "$pid"
    if ping "$(cat "$r")" && [ ! -e "$T/old.json.gz" ]; then ok "dump: Python 3.7 target still serves"; else not_ok "dump: 3.7 target"; fi
    kill "$pid"
else
    not_ok "dump: Python 3.7.16 is missing ($old): it is the unsupported version the test needs"
fi

r=$T/perm
start "$py" idle "$r"
wait_file "$r"
check_status "dump: ptrace not permitted names ptrace_scope and CAP_SYS_PTRACE" 1 \
    "not permitted to trace process $pid .*CAP_SYS_PTRACE" \
    setpriv --reuid=nobody --regid=nogroup --clear-groups "$HW" dump -q -o /dev/null "$pid"
grep -q 'kernel.yama.ptrace_scope' /proc/sys/kernel/yama/ptrace_scope 2>/dev/null
kill "$pid"

check_status "dump: a missing gdb is one line naming the Debian package" 1 \
    '^heapwalk dump: gdb not found: install the Debian package gdb' env PATH=/nonexistent "$HW" dump -q "$$"

# --- the GIL never released: a thread sleeps in C holding it ---
r=$T/gil
start "$py" gil "$r" 8
wait_file "$r"
t0=$SECONDS
check_status "dump: the GIL never released: no safe point, said so at the timeout" 1 \
    "no safe point in process $pid within 3 s: no thread released the GIL" "$HW" dump -q --timeout 3 -o "$T/gil.json.gz" "$pid"
if [ "$(state "$pid")" != T ] && [ $((SECONDS - t0)) -lt 8 ]; then ok "dump: GIL held: gave up in time, process not stopped"; else not_ok "dump: GIL held: process stopped or late"; fi
# Once the GIL comes back the process carries on: it serves, and the queued
# entry does nothing (no traceback on its stderr, no dump).
if wait_file "$r.port" 20 && ping "$(cat "$r.port")" && [ ! -s "$r.stderr" ] && ! ls /tmp/.heapwalk-"$pid"-* > /dev/null 2>&1; then
    ok "dump: GIL held: after the C call the process serves, nothing ran"
else
    not_ok "dump: GIL held: after" "$(head -5 "$r.stderr")"
fi
kill "$pid"

# --- a timeout while the target writes: it is told to stop, and keeps serving ---
r=$T/big
start "$py" big "$r"
wait_file "$r" 60
check_status "dump: timeout while writing says how far it got" 1 \
    "timed out after 3 s: process $pid had written [0-9]+ bytes of the dump; it was told to stop \(it stopped\)" \
    "$HW" dump -q --timeout 3 -o "$T/big.json.gz" "$pid"
if [ ! -e "$T/big.json.gz" ] && ping "$(cat "$r")" && ! ls /tmp/.heapwalk-"$pid"-* > /dev/null 2>&1; then
    ok "dump: after a timeout, no output, no files left, still serving"
else
    not_ok "dump: after a timeout" "$(ls /tmp/.heapwalk-"$pid"-* 2>&1)"
fi
kill "$pid"

# --- meliae's dumps (frames are objects): stacks with the thread unknown ---
if "$HW" threads -q tests/data/edge-py310.json.gz > "$T/t" && grep -q '^thread unknown$' "$T/t" &&
    grep -Eq '^  #0 keep_frame\(\)  frame [0-9]+  retains [0-9]+ bytes$' "$T/t" && grep -q '^  #1 main()' "$T/t"; then
    ok "threads: a meliae 3.10 dump: frame roots as stacks down f_back, thread unknown"
else
    not_ok "threads: meliae dump" "$(head -5 "$T/t")"
fi
