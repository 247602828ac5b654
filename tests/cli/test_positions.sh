# The index, key or name of each ref (src/positions.c, the table in
# docs/design.md), end to end: a real process on every Python 3.8..3.13 builds
# one container of each kind with an object at a known position, heapwalk's
# scanner dumps it, and `heapwalk path` must name that position exactly.
. tests/cli/lib.sh

for minor in 8 9 10 11 12 13; do
    py=$(ls -d /root/.pyenv/versions/3.$minor.*/bin/python3 2>/dev/null | head -n1)
    if [ -z "$py" ]; then
        not_ok "positions: Python 3.$minor is missing under /root/.pyenv/versions"
        continue
    fi
    dump="$T/pos-3$minor.json.gz"
    if ! "$py" tests/cli/positions_program.py "$dump" "$PWD/scanner" > "$T/want-3$minor.json" 2> "$T/err"; then
        not_ok "positions 3.$minor: the program ran" "$(tail -5 "$T/err")"
        continue
    fi
    python3 - "$HW" "$dump" "$T/want-3$minor.json" "3.$minor" <<'PY'
import json, subprocess, sys
hw, dump, wantf, ver = sys.argv[1:]
want = json.load(open(wantf))
got = {}
for addr in want:
    res = subprocess.run([hw, "path", "--json", "-q", addr, dump], capture_output=True, text=True)
    try:
        got[addr] = json.loads(res.stdout)["paths"][0]["expression"]
    except (ValueError, KeyError, IndexError):
        got[addr] = "exit %d: %s" % (res.returncode, res.stderr.strip()[:200])
for addr, exp in sorted(want.items(), key=lambda kv: kv[1]):
    if got.get(addr) == exp:
        print("ok - positions %s: %s" % (ver, exp))
    else:
        print("not ok - positions %s: %s" % (ver, exp))
        print("    heapwalk path says %r" % (got.get(addr),))
PY
done

# Two classes named Record in two modules: show tells them apart by their
# class object and names each module; the summary stays meliae's (one row).
py=$(ls -d /root/.pyenv/versions/3.12.*/bin/python3 2>/dev/null | head -n1)
cat > "$T/records.py" <<'PY'
import gc, sys, types
sys.path.insert(0, sys.argv[2])
import heapwalk_scanner
for name in ("alpha", "beta"):
    m = types.ModuleType(name)
    exec("class Record:\n    pass\nkeep = Record()\n", m.__dict__)
    sys.modules[name] = m
n = sum(1 for o in gc.get_objects() if isinstance(o, type) and o.__name__ == "Record")
print(id(sys.modules["alpha"].keep), id(sys.modules["beta"].keep), n)
heapwalk_scanner.dump_all_objects(sys.argv[1])
PY
if [ -z "$py" ]; then
    not_ok "same-named classes: Python 3.12 is missing under /root/.pyenv/versions"
elif "$py" "$T/records.py" "$T/records.json.gz" "$PWD/scanner" > "$T/records.ids"; then
    read -r a b n < "$T/records.ids"
    "$HW" show -q "$a" "$T/records.json.gz" > "$T/ra.txt"
    "$HW" show -q "$b" "$T/records.json.gz" > "$T/rb.txt"
    check_grep "same-named classes: show names alpha.Record" "^  class alpha\\.Record: $n classes are named Record$" "$T/ra.txt"
    check_grep "same-named classes: show names beta.Record" "^  class beta\\.Record: $n classes are named Record$" "$T/rb.txt"
    "$HW" show --json -q "$b" "$T/records.json.gz" > "$T/rb.json"
    check_grep "same-named classes: show --json has the class" '"class":"beta\.Record"' "$T/rb.json"
    "$HW" summary -q --top 0 "$T/records.json.gz" > "$T/rs.txt"
    rows=$(awk '$NF == "Record" {print $2}' "$T/rs.txt")
    [ "$rows" = 2 ] && ok "same-named classes: summary keeps meliae's one Record row (2)" \
        || not_ok "same-named classes: summary Record row" "$(grep Record "$T/rs.txt")"
    "$HW" summary -q --top 0 --by-class "$T/records.json.gz" > "$T/rsc.txt"
    split=$(awk '$NF == "alpha.Record" || $NF == "beta.Record" {print $NF "=" $2}' "$T/rsc.txt" | sort | tr '\n' ' ')
    [ "$split" = "alpha.Record=1 beta.Record=1 " ] && ok "same-named classes: summary --by-class, a row per class" \
        || not_ok "same-named classes: summary --by-class rows" "$(grep Record "$T/rsc.txt")"
    "$HW" path -q "$a" "$T/records.json.gz" > "$T/rpa.txt"
    check_grep "same-named classes: path names the hop alpha.Record" "^   1  alpha\\.Record\\($a " "$T/rpa.txt"
    check_grep "same-named classes: path expression" "^  sys\\.modules\\['alpha'\\]\\.keep$" "$T/rpa.txt"
else
    not_ok "same-named classes: the program ran"
fi
