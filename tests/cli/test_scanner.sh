# heapwalk's own scanner (scanner/heapwalk_scanner.py): its unit tests, then
# real processes dumped with it and read back by heapwalk.
. tests/cli/lib.sh

if out=$(cd scanner && python3 -m unittest discover -s . 2>&1); then
    ok "scanner: unit tests ($(printf '%s\n' "$out" | sed -n 's/^Ran \([0-9]*\) tests.*/\1/p') tests)"
else
    not_ok "scanner: unit tests" "$(printf '%s\n' "$out" | tail -15)"
fi

# A service with a leak: a module-level list that keeps growing.
cat > "$T/leaky.py" <<'PY'
import sys, json, collections, re, gc
sys.path.insert(0, sys.argv[2])
import heapwalk_scanner

class Record:
    def __init__(self, n):
        self.ident = n
        self.label = "record-%d" % n
        self.tags = ["t%d" % (n % 7)]

LEAK = []
for n in range(3000):
    LEAK.append(Record(n))
CACHE = {("k", n): n * n for n in range(500)}
counts = collections.Counter(type(o).__name__ for o in gc.get_objects())
print(json.dumps({"Record": counts["Record"]}))
heapwalk_scanner.dump_all_objects(sys.argv[1])
PY
python3 "$T/leaky.py" "$T/leaky.json.gz" "$PWD/scanner" > "$T/leaky.counts" 2> "$T/leaky.err" \
    && ok "scanner: dumped a leaking process" || not_ok "scanner: dumped a leaking process" "$(tail -5 "$T/leaky.err")"
want=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['Record'])" "$T/leaky.counts")

check_status "heapwalk reads the scanner's dump with --strict" 0 "" "$HW" summary --strict --top 0 "$T/leaky.json.gz"
cp "$T/out" "$T/leaky.summary"
if grep -q "refs point to" "$T/err"; then not_ok "scanner dump: no dangling refs" "$(cat "$T/err")"; else ok "scanner dump: no dangling refs"; fi
got=$(awk '$NF == "Record" {print $2}' "$T/leaky.summary")
[ "$got" = "$want" ] && ok "scanner dump: Record count $got = gc's count in the process" \
    || not_ok "scanner dump: Record count" "heapwalk $got, gc $want"

# Refs as dict shows the real attribute names of a Python 3 instance.
addr=$(zcat "$T/leaky.json.gz" | grep -m1 '"type": "Record"' | sed 's/{"address": \([0-9]*\).*/\1/')
"$HW" show -q "$addr" "$T/leaky.json.gz" > "$T/rec.txt"
check_grep "scanner dump: instance attributes by name" "^  'label': 'record-[0-9]+'$" "$T/rec.txt"
check_grep "scanner dump: instance attribute ident" "^  'ident': [0-9]+$" "$T/rec.txt"
# A dict with non-str keys keeps its keys too.
cache=$(zcat "$T/leaky.json.gz" | grep '"type": "dict"' | grep '"len": 500,' | head -1 | sed 's/{"address": \([0-9]*\).*/\1/')
"$HW" show -q --limit 3 "$cache" "$T/leaky.json.gz" > "$T/cache.txt"
check_grep "scanner dump: tuple keys of a dict" "^  tuple\\(.*\\): [0-9]+$" "$T/cache.txt"

# The path to a leaked record reads like Python.
"$HW" path -q "$addr" "$T/leaky.json.gz" > "$T/path.txt"
check_grep "scanner dump: path names the module attribute and the index" "sys\\.modules\\['__main__'\\]\\.LEAK\\[[0-9]+\\]" "$T/path.txt"

# The binary carries the scanner: what it prints is the file, byte for byte.
"$HW" scanner --print > "$T/printed.py"
cmp -s "$T/printed.py" scanner/heapwalk_scanner.py && ok "heapwalk scanner --print writes the scanner" \
    || not_ok "heapwalk scanner --print writes the scanner"
check_status "heapwalk scanner without --print: usage, exit 2" 2 "usage: heapwalk scanner --print" "$HW" scanner
