#!/usr/bin/env bash
# Loading grows linearly: generate dumps of 1M, 4M and 20M objects
# (tests/bench/gen_dump.awk) and time `heapwalk summary` on each, whole
# process, best of 2. usage: tests/bench/scaling.sh [HEAPWALK] [SIZES...]
set -euo pipefail
cd "$(dirname "$0")/../.."
hw=${1:-./heapwalk}
shift || true
sizes=${*:-1000000 4000000 20000000}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "| objects | JSON | wall | peak RSS | bytes of RSS per object |"
echo "|---|---|---|---|---|"
for n in $sizes; do
    awk -v n="$n" -f tests/bench/gen_dump.awk > "$tmp/d.json"
    cat "$tmp/d.json" > /dev/null
    best=""
    for _ in 1 2; do
        /usr/bin/time -f '%e %M' -o "$tmp/t" "$hw" summary -q "$tmp/d.json" > /dev/null
        read -r wall rss < "$tmp/t"
        if [ -z "$best" ] || awk "BEGIN{exit !($wall < $bwall)}"; then best=1; bwall=$wall; brss=$rss; fi
    done
    printf '| %s | %d MB | %s s | %d MB | %d |\n' "$n" $(($(wc -c < "$tmp/d.json") / 1000000)) "$bwall" \
        $((brss / 1024)) $((brss * 1024 / n))
    rm -f "$tmp/d.json"
done
