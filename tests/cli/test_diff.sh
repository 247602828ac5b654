# `heapwalk diff` against an independent reading of the raw dumps, and the
# holder of the leak in the leak-before/leak-after pair.
. tests/cli/lib.sh

B=$DATA/leak-before-py310.json.gz
A=$DATA/leak-after-py310.json.gz
python3 tests/cli/check_diff.py "$HW" "$B" "$A"
python3 tests/cli/check_diff.py "$HW" "$DATA/small-py310.json.gz" "$DATA/edge-py310.json.gz"

# The leak: 40000 new dicts (one per request), all held by one list.
"$HW" diff -q --json "$B" "$A" > "$T/d.json"
if python3 - "$T/d.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
top = d["holders"][0]
assert top["type"] == "dict" and top["holder_type"] == "list", top
assert top["objects"] == 40000 and top["holders"] == 1, top
assert top["example_holder"] == 140435319296448, top
PY
then ok "diff: the leak's 40000 dicts are held by one list, 0x7fb9a55211c0"; else not_ok "diff: the leak's holder"; fi

# Text: the type table, sorted by size change, and the holders.
"$HW" diff -q --top 3 "$B" "$A" > "$T/d.txt"
check_grep "diff text: the dict row" "^ +66070 +\\+39999 +15671496 +\\+9279768 +40000 dict$" "$T/d.txt"
check_grep "diff text: the holders row" "^ +40000 +9280000 +1 dict <- list \\(e\\.g\\. 0x7fb9a55211c0\\)$" "$T/d.txt"
"$HW" diff -q --top 3 --by-holder --gone "$B" "$A" > "$T/h.txt"
check_grep "diff --by-holder: the list, its total and its name" \
    "^  240000   18791120 0x7fb9a55211c0 list of module '__main__'$" "$T/h.txt"
check_grep "diff --by-holder: the list's dicts" "^   40000    9280000   dict$" "$T/h.txt"
check_grep "diff --gone: the largest gone object first" "^      4264 0x7fb9a47592d0 _io.BufferedWriter\\(" "$T/h.txt"
"$HW" diff -q --by-count --top 1 "$B" "$A" > "$T/c.txt"
check_grep "diff --by-count: str first (+80000)" "^ +136093 +\\+80000 .* str$" "$T/c.txt"

# Three dumps: the new objects of the first pair that the third still has.
"$HW" diff -q --json "$B" "$A" "$A" > "$T/three.json"
python3 -c "
import json, sys
d = json.load(open(sys.argv[1]))
assert d['survivors'] == d['new'] and d['survivor_bytes'] == d['new_bytes'], d
" "$T/three.json" && ok "diff with a third dump: all new objects survive into an identical third" \
    || not_ok "diff with a third dump"
"$HW" diff -q --json "$B" "$A" "$B" > "$T/three.json"
python3 -c "
import json, sys
d = json.load(open(sys.argv[1]))
assert d['survivors'] == 0, d
" "$T/three.json" && ok "diff with a third dump: none survives into the older dump" || not_ok "diff: survivors into the older dump"

check_status "diff with one dump: usage, exit 2" 2 "wants two dumps" "$HW" diff "$A"
check_status "diff with a missing dump: exit 1" 1 "nope.json: No such file" "$HW" diff "$A" "$T/nope.json"
