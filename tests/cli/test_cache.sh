#!/usr/bin/env bash
# The index cache: written after the first load, opened on the next with the
# same answers, set aside with a note when stale, corrupt or truncated (and
# the dump parsed again), never written with --no-cache, HEAPWALK_NO_CACHE or
# past its bound; the bound drops the least recently used file.
. tests/cli/lib.sh
export LC_ALL=C

C=$T/cache_test
export XDG_CACHE_HOME=$C/xdg
unset HEAPWALK_NO_CACHE HEAPWALK_CACHE_MAX_MB
mkdir -p "$C/dumps"
D=$C/dumps/small.json.gz
cp "$DATA/small-py310.json.gz" "$D"
ADDR=$("$HW" summary -q --json --no-cache "$D" | sed -n 's/.*"max_address":\([0-9]*\).*/\1/p' | head -1)

cache_files() { find "$XDG_CACHE_HOME/heapwalk" -name '*.hwc' 2>/dev/null | sort; }
n_cache_files() { cache_files | wc -l; }
# from_cache: 0 when the last run's timings say the store came from the cache.
from_cache() { grep -q 'opened from the index cache' "$C/err"; }
run() { HEAPWALK_TIMINGS=1 "$HW" "$@" > "$C/out" 2> "$C/err"; }

# The reference answers, parsed with no cache at all.
for cmd in "summary" "summary --raw" "summary --json" "show $ADDR" "retained -q --top 5" "path $ADDR"; do
    key=${cmd// /_}
    # shellcheck disable=SC2086
    "$HW" $cmd --no-cache "$D" > "$C/ref.$key" 2> /dev/null
done
[ "$(n_cache_files)" -eq 0 ] && ok "cache: --no-cache writes nothing" ||
    not_ok "cache: --no-cache writes nothing" "$(cache_files)"
HEAPWALK_NO_CACHE=1 "$HW" summary -q "$D" > /dev/null
[ "$(n_cache_files)" -eq 0 ] && ok "cache: HEAPWALK_NO_CACHE=1 writes nothing" ||
    not_ok "cache: HEAPWALK_NO_CACHE=1 writes nothing" "$(cache_files)"

run summary "$D"
if ! from_cache && [ "$(n_cache_files)" -eq 1 ] && cmp -s "$C/out" "$C/ref.summary"; then
    ok "cache: the first load parses and writes one file"
else
    not_ok "cache: the first load parses and writes one file" "$(cache_files)" "$(head -3 "$C/err")"
fi
FILE=$(cache_files | head -1)

for cmd in "summary" "summary --json" "show $ADDR" "retained -q --top 5" "path $ADDR"; do
    key=${cmd// /_}
    # shellcheck disable=SC2086
    run $cmd "$D"
    if from_cache && cmp -s "$C/out" "$C/ref.$key"; then
        ok "cache: '$cmd' from the cache answers as the parsed dump"
    else
        not_ok "cache: '$cmd' from the cache answers as the parsed dump" "$(head -3 "$C/err")" \
            "$(diff "$C/ref.$key" "$C/out" | head -5)"
    fi
done

# --raw is another store: its own file, its own answers.
run summary --raw "$D"
run summary --raw "$D"
if from_cache && [ "$(n_cache_files)" -eq 2 ] && cmp -s "$C/out" "$C/ref.summary_--raw"; then
    ok "cache: --raw has a file of its own"
else
    not_ok "cache: --raw has a file of its own" "$(cache_files)" "$(head -3 "$C/err")"
fi

# A damaged file: a note, the dump parsed again with the right answer, and a
# good file written in its place. damage NAME PATTERN COMMAND...
damage() {
    local name=$1 pattern=$2; shift 2
    "$@"
    run summary "$D"
    if ! from_cache && grep -Eq "ignored the cache file .*: $pattern" "$C/err" && cmp -s "$C/out" "$C/ref.summary"; then
        run summary "$D"
        if from_cache && cmp -s "$C/out" "$C/ref.summary"; then
            ok "cache: $name: set aside with a note, parsed, rewritten"
        else
            not_ok "cache: $name: rewritten" "$(head -3 "$C/err")"
        fi
    else
        not_ok "cache: $name: set aside with a note and parsed" "$(head -3 "$C/err")" \
            "$(diff "$C/ref.summary" "$C/out" | head -5)"
    fi
}
size=$(wc -c < "$FILE")
flip() { # OFFSET: invert one byte of the cache file in place
    local b
    b=$(od -An -tu1 -j "$1" -N1 "$FILE" | tr -d ' ')
    printf "$(printf '\\%03o' $((255 - b)))" | dd of="$FILE" bs=1 seek="$1" conv=notrunc status=none
}
damage "a byte changed in the data" "corrupt \(section [0-9]+'s checksum" flip $((size / 2))
damage "a byte changed in the section table" "corrupt \(the header's checksum" flip 300
damage "the magic changed" "not a heapwalk cache file" flip 0
damage "the version changed" "written by another version" flip 8
damage "truncated to half" "truncated" truncate -s $((size / 2)) "$FILE"
damage "truncated to 100 bytes" "truncated" truncate -s 100 "$FILE"
damage "extended by a byte" "truncated or extended" sh -c "printf x >> '$FILE'"
damage "empty" "empty" truncate -s 0 "$FILE"
damage "random bytes" "not a heapwalk cache file" sh -c "head -c $size /dev/urandom > '$FILE'"

# The dump changes (same path, new modification time): the old file is stale.
sleep 0.01
touch "$D"
damage "the dump touched" "stale" true

# Quiet: no note.
flip $((size / 2))
"$HW" summary -q "$D" > "$C/out" 2> "$C/err"
if [ ! -s "$C/err" ] && cmp -s "$C/out" "$C/ref.summary"; then ok "cache: -q: no note"; else
    not_ok "cache: -q: no note" "$(head -3 "$C/err")"; fi

# stdin is never cached.
before=$(n_cache_files)
gzip -dc "$D" | "$HW" summary -q - > /dev/null
[ "$(n_cache_files)" -eq "$before" ] && ok "cache: stdin is not cached" || not_ok "cache: stdin is not cached"

# The bound: a file bigger than the bound is not written, with a note.
rm -rf "$XDG_CACHE_HOME"
HEAPWALK_CACHE_MAX_MB=1 "$HW" summary "$D" > /dev/null 2> "$C/err"
if [ "$(n_cache_files)" -eq 0 ] && grep -q "not caching the index .*over the cache's bound" "$C/err"; then
    ok "cache: over the bound: not written, with a note"
else
    not_ok "cache: over the bound: not written, with a note" "$(cache_files)" "$(head -3 "$C/err")"
fi
# Room for one file: the second dump's file drops the first (least recently used).
"$HW" summary -q "$D" > /dev/null
one=$(wc -c < "$(cache_files | head -1)")
D2=$C/dumps/small2.json.gz
cp "$D" "$D2"
HEAPWALK_CACHE_MAX_MB=$(( (one * 2 - 1) >> 20 )) "$HW" summary -q "$D2" > /dev/null
run summary "$D2"
from_cache; second=$?
run summary "$D"
from_cache; first=$?
if [ "$second" -eq 0 ] && [ "$first" -ne 0 ]; then
    ok "cache: the bound drops the least recently used file"
else
    not_ok "cache: the bound drops the least recently used file" "second from cache: $second, first: $first"
fi
echo "exit-status 0"
