# `heapwalk show` against meliae's reprs, children and refs_as_dict.
. tests/cli/lib.sh

for dump in $DATA/*.json.gz; do
    name=$(basename "$dump" .json.gz)
    python3 tests/cli/check_reprs.py "$HW" "$dump" "$DATA/ref/$name.ref_queries.txt"
done

D=$DATA/small-py310.json.gz
# Decimal and hex name the same object.
"$HW" show -q 140062659657680 $D > "$T/dec.txt"
"$HW" show -q 0x7f62e1133fd0 $D > "$T/hex.txt"
cmp -s "$T/dec.txt" "$T/hex.txt" && ok "show: hex and decimal addresses agree" || not_ok "show: hex and decimal addresses agree"
check_grep "show: collapsed instance says so" "its __dict__ is collapsed into it" "$T/dec.txt"
check_grep "show: values listed by position for a Python 3 str-keyed dict" "^  \\[<#1>\\]: 431000$" "$T/dec.txt"
check_grep "show: the class of an instance" "^  \\(class: type\\(93962887597952 " "$T/dec.txt"
check_grep "show: the note about Python 3 keys" "the dump holds only the values" "$T/dec.txt"

# --raw keeps the dict: the instance has its two refs, the dict is an object of its own.
"$HW" show -q --raw 140062659657680 $D > "$T/raw.txt"
check_grep "show --raw: the instance's own refs" "^Config\\(140062659657680 [0-9]+B 2refs" "$T/raw.txt"

# A Python 2 dict reads as key: value pairs.
"$HW" show -q 140473461317776 $DATA/small-py27.json.gz > "$T/py2.txt"
check_grep "show: Python 2 instance dict as key: value" "^  'name': 'cfg-" "$T/py2.txt"

# Refs to an absorbed __dict__ now point at the owner: a function's globals is its module.
"$HW" show -q --json 140062678024976 $D > "$T/fn.json"
if python3 - "$T/fn.json" "$HW" $D <<'PY'
import json, subprocess, sys
fn = json.loads(open(sys.argv[1]).read())
assert fn["type"] == "function" and fn["name"] == "main", fn
glob = fn["children"][1]
assert glob["type"] == "module" and "'__main__'" in glob["repr"], glob
PY
then ok "show: a function's __globals__ is redirected to its module"; else not_ok "show: a function's __globals__ is redirected to its module"; fi

# --json: one object per address, one per line, exact integers.
"$HW" show -q --json 140062659657680 140062677597088 $D > "$T/two.json"
if python3 - "$T/two.json" <<'PY'
import json, sys
docs = [json.loads(l) for l in open(sys.argv[1])]
assert [d["address"] for d in docs] == [140062659657680, 140062677597088]
c = docs[0]
assert c["type"] == "Config" and c["size"] == 152 and c["collapsed"] is True
assert len(c["children"]) == c["num_children"] == 5 and c["num_parents"] == 2
assert c["dict"]["layout"] == "values-only" and c["dict"]["items"][1]["value"] == "431000"
assert docs[1]["name"] == "__main__"
PY
then ok "show --json: JSON lines with the object's facts"; else not_ok "show --json: JSON lines with the object's facts"; fi

# Big ints keep every digit (cJSON numbers are doubles; heapwalk keeps the text).
"$HW" show -q --json 140013427564896 $DATA/edge-py310.json.gz > "$T/big.json"
check_grep "show --json: 2^63-1 exact" '"value":9223372036854775807' "$T/big.json"

# --limit
"$HW" show -q --limit 3 140062677597088 $D > "$T/lim.txt"
check_grep "show --limit: says how many more" "^  \\.\\.\\. 49 more \\(--limit\\)$" "$T/lim.txt"

# Errors.
check_status "show: unknown address exits 1" 1 "no object at address 16 " "$HW" show -q 16 $D
check_status "show: not an address exits 2" 2 "'zz' is not an address" "$HW" show -q zz $D
check_status "show: no dump exits 2" 2 "one or more addresses and a dump" "$HW" show 123
