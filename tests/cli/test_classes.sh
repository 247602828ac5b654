# Classes that share a name (issue 12): a dump with a class Record in module a
# and another in module b, written by hand so every figure below follows from
# its lines.  path names each hop's class with its module (a.Record), summary
# stays meliae's one row per name, and summary --by-class splits it: a row per
# class object, and one for the Record instance whose class the dump does not
# link (no type ref).  After collapse: a.Record = 30 and 31 (48 + 104 each),
# b.Record = 130 (48 + 200) and 300 (48 + 104), the unlinked one = 200 (48).
. tests/cli/lib.sh

D="$T/classes.json"
cat > "$D" <<'JSON'
{"address": 1, "type": "module", "size": 56, "name": "a", "refs": [2]}
{"address": 2, "type": "dict", "size": 100, "len": 2, "refs": [10, 20]}
{"address": 10, "type": "type", "size": 1000, "name": "Record", "refs": []}
{"address": 20, "type": "list", "size": 72, "len": 2, "refs": [31, 30]}
{"address": 30, "type": "Record", "size": 48, "refs": [40, 10]}
{"address": 31, "type": "Record", "size": 48, "refs": [41, 10]}
{"address": 40, "type": "dict", "size": 104, "len": 0, "refs": []}
{"address": 41, "type": "dict", "size": 104, "len": 0, "refs": []}
{"address": 101, "type": "module", "size": 56, "name": "b", "refs": [102]}
{"address": 102, "type": "dict", "size": 100, "len": 2, "refs": [110, 130]}
{"address": 110, "type": "type", "size": 1000, "name": "Record", "refs": []}
{"address": 130, "type": "Record", "size": 48, "refs": [140, 110]}
{"address": 140, "type": "dict", "size": 200, "len": 0, "refs": []}
{"address": 200, "type": "Record", "size": 48, "refs": [201]}
{"address": 201, "type": "str", "size": 50, "len": 1, "value": "x", "refs": []}
{"address": 300, "type": "Record", "size": 48, "refs": [301, 110]}
{"address": 301, "type": "dict", "size": 104, "len": 1, "refs": [302]}
{"address": 302, "type": "str", "size": 60, "len": 4, "value": "held", "refs": []}
JSON

# path: the hops and the root label name the class with its module.
"$HW" path -q 30 "$D" > "$T/p30.txt"
check_grep "path: a hop of a shared name reads a.Record" '^   2  a\.Record\(30 152B 1refs 1par\)$' "$T/p30.txt"
check_grep "path: the list hop is labelled by its position" '^   1  list\(20 72B 2refs 1par\)  -> \[0\]$' "$T/p30.txt"
"$HW" path -q 302 "$D" > "$T/p302.txt"
check_grep "path: a structural root of a shared name reads <b.Record at 0x12c>" \
    '^  <b\.Record at 0x12c>\.<#0>$' "$T/p302.txt"
check_grep "path: the root hop reads b.Record" '^   0  b\.Record\(300 152B 2refs\)  -> \.<#0>$' "$T/p302.txt"
"$HW" path -q --json 302 "$D" > "$T/p302.json"
python3 - "$T/p302.json" > "$T/p302.check" <<'PY'
import json, sys
p = json.load(open(sys.argv[1]))["paths"][0]
hop = p["hops"][0]
assert p["expression"] == "<b.Record at 0x12c>.<#0>", p["expression"]
assert hop["type"] == "Record" and hop["class"] == "b.Record", hop
assert hop["repr"].startswith("b.Record(300 "), hop["repr"]
assert "class" not in p["hops"][1], p["hops"][1]
print("same")
PY
[ "$(cat "$T/p302.check" 2>/dev/null)" = same ] && ok "path --json: type, class and repr of a shared name's hop" \
    || not_ok "path --json: type, class and repr of a shared name's hop" "$(cat "$T/p302.json")"

# summary: meliae's one row; --by-class: a row per class, the Total line unchanged.
"$HW" summary -q --top 0 "$D" > "$T/s.txt"
check_grep "summary: one Record row (5 objects, 752 bytes)" '^     1       5  41       752  23  84     248 Record$' "$T/s.txt"
"$HW" summary -q --top 0 --by-class "$D" > "$T/sc.txt"
check_grep "summary --by-class: b.Record 2 objects, 400 bytes" '^ +[0-9]+ +2 +16 +400 +12 +[0-9]+ +248 b\.Record$' "$T/sc.txt"
check_grep "summary --by-class: a.Record 2 objects, 304 bytes" '^ +[0-9]+ +2 +16 +304 +9 +[0-9]+ +152 a\.Record$' "$T/sc.txt"
check_grep "summary --by-class: the unlinked instance keeps the name" '^ +[0-9]+ +1 +8 +48 +1 +100 +48 Record$' "$T/sc.txt"
[ "$(head -n1 "$T/s.txt")" = "$(head -n1 "$T/sc.txt")" ] && ok "summary --by-class: the Total line is meliae's" \
    || not_ok "summary --by-class: the Total line is meliae's" "$(head -n1 "$T/sc.txt")"
[ "$(wc -l < "$T/sc.txt")" -eq $(($(wc -l < "$T/s.txt") + 2)) ] && ok "summary --by-class: two rows more (3 for Record)" \
    || not_ok "summary --by-class: two rows more" "$(cat "$T/sc.txt")"
"$HW" summary -q --by-class --json "$D" > "$T/sc.json"
"$HW" summary -q --json "$D" > "$T/s.json"
python3 - "$T/s.json" "$T/sc.json" > "$T/sc.check" <<'PY'
import json, sys
plain, split = (json.load(open(f)) for f in sys.argv[1:])
assert split["by_class"] is True and plain["by_class"] is False
assert split["types"] == plain["types"] == 5, (split["types"], plain["types"])
rec = [r for r in split["rows"] if r["type"] == "Record"]
got = sorted((r["class"] or "-", r.get("class_address"), r["count"], r["size"]) for r in rec)
assert got == [("-", None, 1, 48), ("a.Record", 10, 2, 304), ("b.Record", 110, 2, 400)], got
assert sum(r["count"] for r in rec) == [r for r in plain["rows"] if r["type"] == "Record"][0]["count"]
assert all("class" not in r for r in plain["rows"])
print("same")
PY
[ "$(cat "$T/sc.check" 2>/dev/null)" = same ] && ok "summary --by-class --json: class, class_address, counts; plain summary has none" \
    || not_ok "summary --by-class --json" "$(cat "$T/sc.json")"
"$HW" summary -q --by-class --by-count --top 2 "$D" > "$T/scc.txt"
check_grep "summary --by-class --by-count: the top row" '^     0       2  16      2000  61  61    1000 type$' "$T/scc.txt"
[ "$(wc -l < "$T/scc.txt")" -eq 4 ] && ok "summary --by-class --top 2: two rows" || not_ok "summary --by-class --top 2" "$(cat "$T/scc.txt")"

# export --labels: what each ref is to its object, as path prints a hop; the
# list holds 31 then 30 (CPython traverses lists from the end): [1], [0].
"$HW" export -q --labels "$D" > "$T/e.jsonl"
check_grep "export --labels: a list's refs are labelled by position" \
    '^\{"address": 20, "type": "list", "size": 72, "len": 2, "refs": \[31, 30\], "labels": \["\[1\]", "\[0\]"\],' "$T/e.jsonl"
check_grep "export --labels: an instance's class" '^\{"address": 30, .*"refs": \[10\], "labels": \["\.__class__"\],' "$T/e.jsonl"
check_grep "export --labels: a module's entries whose keys the dump lacks" \
    '^\{"address": 1, .*"refs": \[10, 20\], "labels": \["\.<#0>", "\.<#1>"\],' "$T/e.jsonl"
"$HW" dot -q --children --depth 1 20 "$D" > "$T/d.dot"
check_grep "dot: edges carry the same labels" '^  o[0-9]+ -> o[0-9]+ \[label="\[1\]"\];$' "$T/d.dot"
check_grep "dot: a node of a shared name reads a.Record" '^  o[0-9]+ \[label="a\.Record\\n0x1e\\n152B' "$T/d.dot"
"$HW" sql -q --dot "address = 130" "$D" > "$T/s.dot"
check_grep "sql --dot: a member of a shared name reads b.Record" '^  o[0-9]+ \[label="b\.Record\\n0x82\\n248B' "$T/s.dot"

# A class no module holds (made inside a function): named by its address.
cat > "$T/nomod.json" <<'JSON'
{"address": 1, "type": "module", "size": 56, "name": "a", "refs": [10, 20]}
{"address": 10, "type": "type", "size": 1000, "name": "Record", "refs": []}
{"address": 20, "type": "function", "size": 136, "name": "make", "refs": [500, 30]}
{"address": 30, "type": "Record", "size": 48, "refs": [10]}
{"address": 500, "type": "type", "size": 1000, "name": "Record", "refs": []}
{"address": 501, "type": "Record", "size": 48, "refs": [500]}
{"address": 600, "type": "list", "size": 64, "len": 1, "refs": [501]}
JSON
"$HW" summary -q --by-class "$T/nomod.json" > "$T/nm.txt"
check_grep "summary --by-class: a class no module holds reads Record@0x1f4" ' Record@0x1f4$' "$T/nm.txt"
check_grep "summary --by-class: the other reads a.Record" ' a\.Record$' "$T/nm.txt"
"$HW" show -q 501 "$T/nomod.json" > "$T/nm.show"
check_grep "show: an instance of a class no module holds" '^  class Record@0x1f4: 2 classes are named Record$' "$T/nm.show"
