# Roots, distances and paths (`heapwalk export`, `path`, `roots`, `dot`)
# against an independent reading of every dump in tests/data
# (tests/cli/check_paths.py), then the usage and error cases.
. tests/cli/lib.sh

for dump in $DATA/*.json.gz; do
    name=$(basename "$dump" .json.gz)
    python3 tests/cli/check_paths.py "$HW" "$dump" > "$T/check_paths.out" 2>&1
    cat "$T/check_paths.out"
    # It ends with a "# NAME: ..." line unless it crashed.
    grep -q "^# $name: " "$T/check_paths.out" || not_ok "paths $name: check_paths.py ran to the end"
done

D=$DATA/edge-py310.json.gz
A=140013427879376   # a str of that dump, 3 hops from a root
"$HW" path -q $A $D > "$T/p.txt" 2> "$T/p.err"
if [ $? -eq 0 ] && grep -Eq '^path 1 of 1: 3 hops from a (module|frame|structural) root$' "$T/p.txt" &&
   grep -Eq "^   0  [a-z]+\(.*  -> " "$T/p.txt" && grep -Eq "^   3  str\($A " "$T/p.txt" &&
   [ "$(grep -c '^   [0-9]  ' "$T/p.txt")" = 4 ]; then
    ok "path: text output, hop 0 from a root to the object"
else
    not_ok "path: text output, hop 0 from a root to the object" "$(head -5 "$T/p.txt" "$T/p.err")"
fi
"$HW" path -q 0x$(printf '%x' $A) $D > "$T/phex.txt"
cmp -s "$T/p.txt" "$T/phex.txt" && ok "path: hex and decimal addresses agree" || not_ok "path: hex and decimal addresses agree"

# path: usage and errors.
check_status "path --help exits 0" 0 "" "$HW" path --help
check_grep "path --help prints the usage" "^usage: heapwalk path " "$T/out"
check_status "path: unknown address exits 1" 1 "no object at address 16 " "$HW" path -q 16 $D
check_status "path: not an address exits 2" 2 "'zz' is not an address" "$HW" path -q zz $D
check_status "path: bad option exits 2" 2 "" "$HW" path -q --bogus $A $D
check_status "path: no dump exits 2" 2 "wants an address and a dump" "$HW" path -q $A
check_status "path: no arguments exits 2" 2 "wants an address and a dump" "$HW" path
check_status "path: --all 0 exits 2" 2 "--all takes 1 to 100" "$HW" path -q --all 0 $A $D
check_status "path: --all 101 exits 2" 2 "--all takes 1 to 100" "$HW" path -q --all 101 $A $D
check_status "path: --all x exits 2" 2 "" "$HW" path -q --all x $A $D
check_status "path: --exclude of an unknown kind exits 2" 2 "--exclude takes globals, builtins or type, not 'globals,bogus'" \
    "$HW" path -q --exclude globals,bogus $A $D
check_status "path: --avoid of a non-address exits 2" 2 "--avoid wants an address" "$HW" path -q --avoid zz $A $D
check_status "path: --avoid of an unknown address exits 1" 1 "no object at address 16 " "$HW" path -q --avoid 16 $A $D
check_status "path: --root of an unknown address exits 1" 1 "no object at address 16 " "$HW" path -q --root 16 $A $D
check_status "path: missing dump exits 1" 1 "No such file or directory" "$HW" path -q $A "$T/nope.json"

# roots
check_status "roots --help exits 0" 0 "" "$HW" roots --help
check_grep "roots --help prints the usage" "^usage: heapwalk roots " "$T/out"
check_status "roots: bad option exits 2" 2 "" "$HW" roots -q --bogus $D
check_status "roots: no dump exits 2" 2 "wants one dump" "$HW" roots -q
check_status "roots: two dumps exit 2" 2 "wants one dump" "$HW" roots -q $D $D
check_status "roots: --limit x exits 2" 2 "" "$HW" roots -q --limit x $D
check_status "roots: missing dump exits 1" 1 "No such file or directory" "$HW" roots -q "$T/nope.json"
"$HW" roots -q --json --limit 2 $D > "$T/r2.json"
"$HW" roots -q --json --limit 0 $D > "$T/r0.json"
if python3 - "$T/r2.json" "$T/r0.json" <<'PY'
import json, sys
r2, r0 = (json.load(open(p)) for p in sys.argv[1:3])
for k in ("modules", "frames", "structural", "orphans"):
    assert r2[k] == r0[k], k
for k in ("anchor_roots", "structural_roots", "orphan_candidates"):
    assert r2[k] == r0[k][:2], k
assert len(r0["anchor_roots"]) == r0["modules"] + r0["frames"]
PY
then ok "roots --limit 2: the first two of each list, the same counts"; else not_ok "roots --limit 2: the first two of each list, the same counts"; fi
"$HW" roots -q --limit 3 $D > "$T/r.txt"
check_grep "roots: the text summary line" "^[0-9]+ anchor roots \\([0-9]+ modules, [0-9]+ frames\\), [0-9]+ structural roots, [0-9]+ orphan candidates$" "$T/r.txt"
check_grep "roots: says how many more (--limit)" "^  \\.\\.\\. [0-9]+ more \\(--limit\\)$" "$T/r.txt"

# dot
check_status "dot --help exits 0" 0 "" "$HW" dot --help
check_grep "dot --help prints the usage" "^usage: heapwalk dot " "$T/out"
check_status "dot: unknown address exits 1" 1 "no object at address 16 " "$HW" dot -q 16 $D
check_status "dot: bad option exits 2" 2 "" "$HW" dot -q --bogus $A $D
check_status "dot: not an address exits 2" 2 "'zz' is not an address" "$HW" dot -q zz $D
check_status "dot: no dump exits 2" 2 "wants an address" "$HW" dot -q $A
check_status "dot: --fanout 0 exits 2" 2 "--fanout takes 1 or more" "$HW" dot -q --fanout 0 $A $D
check_status "dot: --depth x exits 2" 2 "" "$HW" dot -q --depth x $A $D
check_status "dot: missing dump exits 1" 1 "No such file or directory" "$HW" dot -q $A "$T/nope.json"
"$HW" dot -q --depth 0 $A $D > "$T/d0.dot"
if [ "$(grep -c ' -> ' "$T/d0.dot")" = 0 ] && [ "$(grep -c '^  o[0-9]* \[label=' "$T/d0.dot")" = 1 ]; then
    ok "dot --depth 0: the object alone"
else
    not_ok "dot --depth 0: the object alone" "$(cat "$T/d0.dot")"
fi

# export
check_status "export --help exits 0" 0 "" "$HW" export --help
check_grep "export --help prints the usage" "^usage: heapwalk export " "$T/out"
check_status "export: bad option exits 2" 2 "" "$HW" export -q --bogus $D
check_status "export: no dump exits 2" 2 "wants one dump" "$HW" export -q
check_status "export: --exclude of an unknown kind exits 2" 2 "--exclude takes globals, builtins or type" \
    "$HW" export -q --exclude nope $D
check_status "export: missing dump exits 1" 1 "No such file or directory" "$HW" export -q "$T/nope.json"
if "$HW" export -q $D > /dev/full 2> "$T/full.err"; then
    not_ok "export to a full disk fails" "exit 0"
else
    [ $? -eq 1 ] && ok "export to a full disk exits 1" || not_ok "export to a full disk exits 1" "$(cat "$T/full.err")"
fi
# `heapwalk export --help` says heapwalk reads its own export back: the same
# objects, refs, roots and distances, with --raw and without it.
S=$DATA/small-py310.json.gz
"$HW" export -q $S > "$T/e1.jsonl"
"$HW" export -q --raw "$T/e1.jsonl" > "$T/e2.jsonl"
"$HW" export -q "$T/e1.jsonl" > "$T/e3.jsonl"
cat > "$T/same.py" <<'PY'
import json, sys
def load(p):
    return [json.loads(l) for l in open(p, encoding="utf-8").read().split("\n") if l]
a, b = load(sys.argv[1]), load(sys.argv[2])
if len(a) != len(b):
    sys.exit("%d objects, read back %d" % (len(a), len(b)))
for x, y in zip(a, b):
    for k in ("address", "type", "size", "refs", "distance", "pred", "root"):
        if x.get(k) != y.get(k):
            sys.exit("%s %s: %s %s, read back %s" % (x["type"], x["address"], k, x.get(k), y.get(k)))
PY
if python3 "$T/same.py" "$T/e1.jsonl" "$T/e2.jsonl" > "$T/same.out" 2>&1; then
    ok "export: read back with --raw, the same objects, refs, roots and distances"
else
    not_ok "export: read back with --raw, the same objects, refs, roots and distances" "$(cat "$T/same.out")"
fi
# Reading an export back does not collapse it a second time (was a bug: an
# exported instance whose one attribute is a dict has refs (dict, type) and
# absorbed that dict; small-py310 read back had 60354 objects, not 60355).
if python3 "$T/same.py" "$T/e1.jsonl" "$T/e3.jsonl" > "$T/same.out" 2>&1; then
    ok "export: read back (default load), the same objects, refs, roots and distances"
else
    not_ok "export: read back (default load), the same objects, refs, roots and distances" "$(cat "$T/same.out")"
fi
# export --labels: a label per ref, the one rule (positions.c) as `show --json`
# labels each child, on every flavour; without the flag, no labels (the lines
# stay as before), and an export with labels still reads back.
for dump in $S $DATA/small-py27.json.gz $DATA/threads/threads-py312.json.gz; do
    name=$(basename "$dump" .json.gz)
    "$HW" export -q --labels "$dump" > "$T/el.jsonl"
    python3 - "$T/el.jsonl" > "$T/el.addrs" <<'PY'
import json, sys
objs = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
bad = [o["address"] for o in objs if len(o["labels"]) != len(o["refs"])]
if bad:
    sys.exit("labels and refs differ in length: %s" % bad[:5])
# the objects with the most refs, and every 97th one
pick = sorted(objs, key=lambda o: -len(o["refs"]))[:40] + objs[::97]
print(" ".join(str(o["address"]) for o in pick if o["refs"]))
PY
    "$HW" show --json --limit 0 -q $(cat "$T/el.addrs") "$dump" > "$T/el.show" 2> "$T/el.err"
    if python3 - "$T/el.jsonl" "$T/el.show" > "$T/el.out" 2>&1 <<'PY'
import json, sys
labels = {}
for l in open(sys.argv[1], encoding="utf-8"):
    o = json.loads(l)
    labels[o["address"]] = o["labels"]
n = 0
for l in open(sys.argv[2], encoding="utf-8"):
    o = json.loads(l)
    want = [c["label"] for c in o["children"]]
    if labels[o["address"]] != want:
        sys.exit("%s %s: export %s, show %s" % (o["type"], o["address"], labels[o["address"]][:6], want[:6]))
    n += 1
assert n > 50, n
print(n)
PY
    then
        ok "export --labels $name: a label per ref, as show labels the children ($(cat "$T/el.out") objects)"
    else
        not_ok "export --labels $name: as show labels the children" "$(cat "$T/el.out" "$T/el.err" | head -5)"
    fi
done
"$HW" export -q --labels $S > "$T/el.jsonl"
"$HW" export -q --raw "$T/el.jsonl" > "$T/el2.jsonl"
if python3 "$T/same.py" "$T/e1.jsonl" "$T/el2.jsonl" > "$T/same.out" 2>&1; then
    ok "export --labels: read back, the same objects, refs, roots and distances"
else
    not_ok "export --labels: read back" "$(cat "$T/same.out")"
fi
grep -q '"labels"' "$T/e1.jsonl" && not_ok "export without --labels has no labels" || ok "export without --labels has no labels"
