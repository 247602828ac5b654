#!/bin/bash
# Hostile input (issue 13): a dump whose strings hold terminal control
# sequences, bidi overrides, zero-width and C1 characters and bad UTF-8 in
# every kind of field (type names, module names, attribute names, dict keys,
# values, bool and frame names), huge values, a hostile file name and hostile
# arguments; then deep chains and inputs that never end a line.
#
# Every batch subcommand runs on it (text and --json), and tests/cli/check_safe.py
# checks that nothing unsafe reaches stdout or stderr. The particular outputs
# (an escaped type name in the summary, a cut value in show) are checked too.
# Environment: HEAPWALK, HW_TMP (tests/run.sh); HW_SANITIZED=1 makes the
# chains smaller and skips the tests that need ulimit -v.
. tests/cli/lib.sh

SANITIZED=${HW_SANITIZED:-0}

# check NAME STATUS [EVIDENCE...]: ok when STATUS is 0.
check() {
    local name=$1 st=$2; shift 2
    if [ "$st" -eq 0 ]; then ok "$name"; else not_ok "$name" "$@"; fi
}

# --- the dump ---
D=$T/hostile.json
python3 tests/cli/hostile_dump.py "$D"
cp "$D" "$T/hostile2.json"

# Every subcommand, text and JSON: nothing unsafe on stdout or stderr.
runs=0
while read -r args; do
    runs=$((runs + 1))
    # shellcheck disable=SC2086
    "$HW" $args "$D" > "$T/o.$runs" 2> "$T/e.$runs"
    st=$?
    if [ "$st" -ne 0 ]; then
        not_ok "hostile: heapwalk $args exits 0" "exit $st" "$(head -c 300 "$T/e.$runs")"
        continue
    fi
    python3 tests/cli/check_safe.py "$T/o.$runs" "$T/e.$runs" > "$T/safe" 2>&1
    check "hostile: heapwalk $args: stdout and stderr are safe" $? "$(head -5 "$T/safe")"
done <<'ARGS'
summary
summary --json
summary --raw
show 1 3 4 5 6 7 8 9 10 11 12 13 14
show --json 1 3 4 5 6 7 8 9 10 11 12 13 14
show --full 3
show --raw 2
path 7
path --json 7
path --all 3 7
path --all 3 --json 7
path 8
roots --limit 0
roots --json --limit 0
dot 3
dot --parents 7
dot --json 3
export
retained --top 0
retained --by-type --top 0
retained --json --top 0
retained --by-type --json --top 0
ARGS
"$HW" diff "$D" "$T/hostile2.json" > "$T/o.diff" 2> "$T/e.diff"
check "hostile: diff exits 0" $? "$(head -3 "$T/e.diff")"
"$HW" diff --json "$D" "$T/hostile2.json" >> "$T/o.diff" 2>> "$T/e.diff"
python3 tests/cli/check_safe.py "$T/o.diff" "$T/e.diff" > "$T/safe" 2>&1
check "hostile: diff (text and JSON): stdout and stderr are safe" $? "$(head -5 "$T/safe")"

# What it reads as: the type name escaped in one row (no forged row), the
# module's name in the path expression, the attribute name as a label.
"$HW" summary -q "$D" > "$T/sum"
check_grep "hostile: summary row shows the type name escaped" \
    '^ +[0-9].* Evil\\x1b\[2J\\nforged row 1 2 3$' "$T/sum"
rows=$(wc -l < "$T/sum")
# module, Evil..., str, int, type, bytes, bool, frame, weird... (the dict is collapsed into the module)
check "hostile: summary has no forged row (2 header lines + 9 types)" $([ "$rows" -eq 11 ]; echo $?) "$rows lines"
"$HW" path -q 7 "$D" > "$T/path"
check_grep "hostile: path expression quotes the module name escaped" \
    "sys\.modules\['app\\\\x1b\]52;c;aGk=\\\\x07\\\\x1b\]2;owned\\\\x07\\\\x1b\[2J'\]" "$T/path"
check_grep "hostile: the attribute name is a label, escaped" "\\.__dict__\\['attr\\\\x1b\\[31m\\\\u200b\\\\u2028'\\]" "$T/path"
"$HW" show -q 11 12 "$D" > "$T/show"
check_grep "hostile: a bool's value is escaped" "^bool\(11 28B True\\\\x1b\[H\)$" "$T/show"
check_grep "hostile: a frame's name is escaped" "^frame\(12 400B .*'f\\\\u2028\\\\u202ex'\)$" "$T/show"
"$HW" show --json -q 4 "$D" > "$T/j"
python3 - "$T/j" <<'PY' > "$T/jv" 2>&1
import json, sys
o = json.loads(open(sys.argv[1]).read())
assert o["value"] == "k\u0085\u202e\u2066", o["value"]
print("ok")
PY
check "hostile: JSON escapes C1 and format characters and reads back to the value" $? "$(cat "$T/jv")"
grep -q '\\u0085\\u202e\\u2066' "$T/j"
check "hostile: JSON writes them as \\u escapes" $? "$(head -c 300 "$T/j")"

# show cuts long child values; --full gives them whole.
"$HW" show -q 3 "$D" > "$T/cut"
longest=$(awk '{ if (length($0) > m) m = length($0) } END { print m }' "$T/cut")
check "hostile: show cuts a 2 MB child value (longest line $longest)" $([ "$longest" -lt 1200 ]; echo $?)
grep -q "'AAAA.*'\.\.\." "$T/cut"
check "hostile: the cut value ends with ..." $? "$(cut -c1-200 "$T/cut")"
"$HW" show -q --full 3 "$D" > "$T/full"
longest=$(awk '{ if (length($0) > m) m = length($0) } END { print m }' "$T/full")
check "hostile: show --full gives it whole (longest line $longest)" $([ "$longest" -gt 2000000 ]; echo $?)

# Messages: a hostile file name, hostile arguments, a bad line with escapes in it.
BADNAME=$T/$'no\x1b]2;owned\x07such\n.json'
check_status "hostile: a missing file with a hostile name" 1 'no\\x1b\]2;owned\\x07such\\n\.json: No such file' \
    "$HW" summary "$BADNAME"
python3 tests/cli/check_safe.py "$T/err" > "$T/safe" 2>&1
check "hostile: that message is safe" $? "$(cat "$T/safe")"
for args in "show $'\x1b[2J' X" "show --limit $'\x1b]2;t\x07' 1 X" "path --all $'\xc2\x9b' 1 X" \
            "summary $'--\x1b[2J' X" "path --root $'\u202e1' 1 X" "path --exclude $'\x1b' 1 X" \
            "summary --threads 100 X" "diff - -" "path --all -5 1 X" "dot --depth $'\x07' 1 X"; do
    eval "set -- $args"
    "$HW" "$@" > "$T/out" 2> "$T/err" < /dev/null
    st=$?
    lines=$(wc -l < "$T/err")
    python3 tests/cli/check_safe.py "$T/err" > "$T/safe" 2>&1
    safe=$?
    first=$(head -1 "$T/err")
    if [ "$st" -eq 2 ] && [ "$safe" -eq 0 ] && [ -n "$first" ] && ! grep -q '^usage' <<< "$first"; then
        ok "hostile: heapwalk $args: exit 2, one safe message first ($first)"
    else
        not_ok "hostile: heapwalk $args: exit 2, one safe message first" "exit $st, $lines lines" "$(head -3 "$T/err")" "$(cat "$T/safe")"
    fi
done
"$HW" path --all -5 1 X > /dev/null 2> "$T/err"
check "hostile: path --all -5 says one thing" $([ "$(wc -l < "$T/err")" -eq 1 ]; echo $?) "$(cat "$T/err")"
check_status "hostile: diff - - says stdin is read once" 2 'standard input \(-\) can be read only once' \
    "$HW" diff - -
check_status "hostile: --threads 100 says why" 2 '--threads takes 0 \(one per core\) to 64, not 100' \
    "$HW" summary --threads 100 "$D"
"$HW" summary --strict "$D" > "$T/out" 2> "$T/err"
check "hostile: --strict stops at the bad line (exit 1)" $([ $? -eq 1 ]; echo $?)
python3 tests/cli/check_safe.py "$T/err" > "$T/safe" 2>&1
check "hostile: the bad line's message is safe" $? "$(cat "$T/err")" "$(cat "$T/safe")"

# --- inputs that never end a line ---
if [ "$SANITIZED" = 1 ]; then LIM=""; else LIM="ulimit -v 1000000;"; fi
check_status "bomb: /dev/zero is refused at the line limit" 1 '/dev/zero: line 1: longer than 64 MB' \
    bash -c "$LIM exec \"\$0\" summary /dev/zero" "$HW"
check_status "bomb: /dev/zero on stdin too" 1 '<stdin>: line 1: longer than 64 MB' \
    bash -c "$LIM exec \"\$0\" summary - < /dev/zero" "$HW"
# 4 GB of zeros through gzip into a pipe: refused after 64 MB of it.
check_status "bomb: gzip of 4 GB of zeros on a pipe is refused at the line limit" 1 \
    '<stdin>: line 1: longer than 64 MB' \
    bash -c "set -o pipefail; head -c 4G /dev/zero | gzip -1 | ($LIM exec \"\$0\" summary -)" "$HW"
check_status "bomb: HEAPWALK_MAX_LINE_MB=100 raises the limit" 1 'line 1: longer than 100 MB' \
    env HEAPWALK_MAX_LINE_MB=100 "$HW" summary /dev/zero
# A file of 300 MB of zeros: its size is known, so a line may be as long as
# the file, but not longer than a quarter of the memory available (under
# ulimit -v 1 GB: about 240 MB): refused there, not at the end of memory.
if [ "$SANITIZED" = 1 ]; then
    ok "bomb: a 300 MB file with no line end is refused at a quarter of the memory # SKIP AddressSanitizer cannot run under ulimit -v"
else
    head -c 300M /dev/zero > "$T/zeros"
    check_status "bomb: a 300 MB file with no line end is refused at a quarter of the memory" 1 \
        'zeros: line 1: longer than (1[0-9][0-9]|2[0-9][0-9]) MB' \
        bash -c 'ulimit -v 1000000; exec "$0" summary --no-cache "$1"' "$HW" "$T/zeros"
    rm -f "$T/zeros"
fi
# A file of 8 GB of valid lines in 130 gzip members of 64 MB: the trailer says
# 64 MB; the inflate ratio of the start says 8 GB.
yes '{"address": 1, "type": "str", "size": 50, "len": 3, "value": "abc", "refs": []}' | head -c 64M | gzip -1 > "$T/m.gz"
for i in $(seq 130); do cat "$T/m.gz"; done > "$T/lines-bomb.gz"
if [ "$SANITIZED" = 1 ]; then
    ok "bomb: 8 GB of lines in a 60 MB gzip file is refused at once # SKIP AddressSanitizer cannot run under ulimit -v"
else
    check_status "bomb: 8 GB of lines in a 60 MB gzip file is refused at once" 1 \
        'needs about [0-9]+ MB to load \((7|8|9)[0-9]{3} MB of JSON\), only [0-9]+ MB available' \
        bash -c 'ulimit -v 3000000; exec "$0" summary "$1"' "$HW" "$T/lines-bomb.gz"
fi
rm -f "$T/m.gz" "$T/lines-bomb.gz"

# --- deep chains: k paths stay fast (a chain of 2M, a ladder of 2 x 500k) ---
if [ "$SANITIZED" = 1 ]; then N=200000; else N=2000000; fi
awk -v n=$N 'BEGIN { printf "{\"address\": 1, \"type\": \"module\", \"size\": 56, \"name\": \"m\", \"refs\": [10]}\n";
    for (i = 0; i < n; i++) printf "{\"address\": %d, \"type\": \"list\", \"size\": 64, \"refs\": [%s]}\n", 10 + i, (i + 1 < n) ? 11 + i : "" }' \
    > "$T/chain.json"
"$HW" path -q --all 5 $((10 + N - 1)) "$T/chain.json" > "$T/out" 2> "$T/err"
check "chain of $N: path --all 5 exits 0" $? "$(head -3 "$T/err")"
check_grep "chain of $N: one path, $N hops" "^path 1 of 1: $N hops from a module root$" "$T/out"
rm -f "$T/chain.json"
L=$((N / 4))
gen_ladder "$L" "$T/ladder.json"
"$HW" path -q --all 4 --json $((10 + 2 * (L - 1))) "$T/ladder.json" > "$T/out" 2> "$T/err"
check "ladder of 2 x $L: path --all 4 exits 0" $? "$(head -3 "$T/err")"
python3 - "$T/out" "$L" <<'PY' > "$T/lad" 2>&1
import json, sys
paths = json.load(open(sys.argv[1]))["paths"]
n = int(sys.argv[2])
assert len(paths) == 4, len(paths)
seen = set()
for p in paths:
    hops = [h["address"] for h in p["hops"]]
    assert p["length"] == n and len(hops) == n + 1, p["length"]
    assert len(set(hops)) == len(hops), "not simple"
    assert tuple(hops) not in seen, "repeated"
    seen.add(tuple(hops))
print("ok")
PY
check "ladder of 2 x $L: 4 distinct simple paths of $L hops" $? "$(tail -3 "$T/lad")"
rm -f "$T/ladder.json"
