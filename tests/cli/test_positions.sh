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
