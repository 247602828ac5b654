#!/usr/bin/env bash
# tests/bench/tui_keys.sh [DUMP]: how long the explorer takes to answer keys
# on a big dump. Drives it with vtdrive through tests/bench/tui_keys.vt with
# HEAPWALK_KEYTIMES set, then prints each key's handling and drawing time and
# the slowest. The default dump is the 4.2M-object one in ../shared/dumps;
# TUI_KEYS_SCRIPT names another key script (tests/bench/tui_why.vt: the
# why-alive pane, the path screen, pins and skipped refs).
# Needs the build: make heapwalk build/tests/vtdrive.
set -euo pipefail
cd "$(dirname "$0")/../.."
dump=${1:-../shared/dumps/large-py310.json.gz}
[ -f "$dump" ] || { echo "tui_keys: no dump at $dump" >&2; exit 2; }
vtdrive=${VTDRIVE:-build/tests/vtdrive}
log=$(mktemp)
trap 'rm -f "$log"' EXIT
"$vtdrive" -T 60000 -e LANG=C.UTF-8 -e LC_ALL=C.UTF-8 -e HEAPWALK_KEYTIMES="$log" \
    "${TUI_KEYS_SCRIPT:-tests/bench/tui_keys.vt}" -- ./heapwalk -q "$dump"
awk '{ ms = $6 + $8; printf "%-10s key %-4s %8.1f ms (handle %.1f, draw %.1f)\n", $4, $2, ms, $6, $8
       if (ms > max) { max = ms; which = $4 " key " $2 } n++ }
     END { printf "%d keys; slowest %.1f ms (%s)\n", n, max, which }' "$log"
