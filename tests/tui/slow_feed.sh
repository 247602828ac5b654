#!/bin/sh
# slow_feed.sh HEAPWALK DUMP.gz: feed the dump to `heapwalk summary -` in
# three parts with pauses between them, so that the load shows its progress
# line long enough to be read (tests/tui/progress.vt).
hw=$1
dump=$2
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
zcat "$dump" > "$tmp"
{ head -c 4000000 "$tmp"; sleep 1; head -c 5000000 "$tmp" | tail -c +4000001; sleep 2; tail -c +5000001 "$tmp"; } |
    "$hw" summary -
