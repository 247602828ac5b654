# heapwalk trend, suspects and waste: each figure against an independent
# reading of the raw dumps (check_reports.py), waste's container sizes against
# real CPython interpreters, and the options, formats and escaping.
. tests/cli/lib.sh

B=$DATA/leak-before-py310.json.gz
A=$DATA/leak-after-py310.json.gz
PYENV=${PYENV_ROOT:-/root/.pyenv}/versions
py() { # the newest pyenv interpreter of a version: FAILS (not skips) when missing
    local p
    p=$(ls -d "$PYENV/$1".*/bin/python 2>/dev/null | tail -n1)
    [ -x "$p" ] && echo "$p" || echo "$PYENV/$1-missing/bin/python"
}

# --- trend ---
python3 tests/cli/check_reports.py trend "$HW" "$B" "$DATA/small-py310.json.gz" "$A"

# The x axis: file times when they increase in the order given, else the order.
cp "$B" "$T/t1.json.gz"; cp "$A" "$T/t2.json.gz"; cp "$A" "$T/t3.json.gz"
touch -d '2026-01-01 10:00:00 UTC' "$T/t1.json.gz"
touch -d '2026-01-01 10:05:00 UTC' "$T/t2.json.gz"
touch -d '2026-01-01 10:30:00 UTC' "$T/t3.json.gz"
"$HW" trend -q --json --top 1 "$T/t1.json.gz" "$T/t2.json.gz" "$T/t3.json.gz" > "$T/tr.json"
python3 -c "
import json, sys
d = json.load(open(sys.argv[1]))
assert d['x'] == 'time', d['x']
assert [x['time'] for x in d['dumps']] == [1767261600, 1767261900, 1767263400], d['dumps']
" "$T/tr.json" && ok "trend: x is the dumps' modification times when they increase" || not_ok "trend: times"
"$HW" trend -q --json --top 1 "$T/t2.json.gz" "$T/t1.json.gz" > "$T/tr.json"
grep -q '"x":"order"' "$T/tr.json" && ok "trend: x is the order when the times do not increase" \
    || not_ok "trend: order" "$(head -c 200 "$T/tr.json")"

# Sparklines: ASCII under LC_ALL=C (tests/run.sh), block characters under UTF-8.
"$HW" trend -q --top 0 "$B" "$A" "$B" > "$T/tr.txt"
check_grep "trend text: the dict row, ASCII sparkline under LC_ALL=C" \
    "^ +0 +26071 +\\+0 +6391728 +\\+0 _#_ dict$" "$T/tr.txt"
LC_ALL=C.UTF-8 "$HW" trend -q --top 1 "$B" "$A" > "$T/tr.txt"
check_grep "trend text: block characters under a UTF-8 locale" "▁█ dict$" "$T/tr.txt"

# --fail-if: exit 3 when a type grew by more than allowed; dict grew by 39999 (153.4%).
check_status "trend --fail-if dict:+39998 trips: exit 3" 3 "dict grew by 39999 objects" \
    "$HW" trend -q --fail-if 'dict:+39998' "$B" "$A"
check_status "trend --fail-if dict:+39999 holds: exit 0" 0 "" "$HW" trend -q --fail-if 'dict:+39999' "$B" "$A"
check_status "trend --fail-if dict:+153% trips" 3 "\\+153\\.4%" "$HW" trend -q --fail-if 'dict:+153%' "$B" "$A"
check_status "trend --fail-if dict:+154% holds" 0 "" "$HW" trend -q --fail-if 'dict:+154%' "$B" "$A"
check_status "trend --fail-if with a bad spec: usage, exit 2" 2 "wants TYPE:\\+N" "$HW" trend --fail-if dict "$B" "$A"
check_status "trend --fail-if for a type in no dump: said" 0 "no dump has objects of type Nope" \
    "$HW" trend -q --fail-if 'Nope:+1' "$B" "$A"
check_status "trend with one dump: usage, exit 2" 2 "wants two dumps" "$HW" trend "$A"

# --svg: well-formed, self-contained, one line per type shown.
"$HW" trend -q --svg "$T/t.svg" "$T/t1.json.gz" "$T/t2.json.gz" "$T/t3.json.gz" > /dev/null
python3 - "$T/t.svg" <<'PY' && ok "trend --svg: well-formed XML, 8 lines, times on x, nothing external" || not_ok "trend --svg"
import sys, xml.etree.ElementTree as ET
text = open(sys.argv[1]).read()
root = ET.fromstring(text)
ns = "{http://www.w3.org/2000/svg}"
assert root.tag == ns + "svg", root.tag
lines = root.findall(ns + "polyline")
assert len(lines) == 8, len(lines)
assert all(len(l.get("points").split()) == 3 for l in lines)
assert "href" not in text and "<script" not in text
assert "2026-01-01 10:30:00" in text
PY

# Streaming: six dumps need about the memory of two (one is freed before the next loads).
# Each dump is parsed (--no-cache: a load from the index cache costs another amount), and
# under AddressSanitizer freed memory is not held in its quarantine, so RSS says what the
# program keeps.
asan_now="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=0:thread_local_quarantine_size_kb=0"
ASAN_OPTIONS=$asan_now HEAPWALK_TIMINGS=1 "$HW" trend -q --no-cache "$A" "$A" > /dev/null 2> "$T/rss1"
ASAN_OPTIONS=$asan_now HEAPWALK_TIMINGS=1 "$HW" trend -q --no-cache "$A" "$A" "$A" "$A" "$A" "$A" > /dev/null 2> "$T/rss6"
r1=$(sed -n 's/.*peak RSS \([0-9]*\) kB/\1/p' "$T/rss1"); r6=$(sed -n 's/.*peak RSS \([0-9]*\) kB/\1/p' "$T/rss6")
if [ -n "$r1" ] && [ -n "$r6" ] && [ "$r6" -lt $((r1 * 5 / 4)) ]; then
    ok "trend: six dumps peak at $r6 kB, two at $r1 kB (one dump in memory at a time)"
else
    not_ok "trend: memory of six dumps ($r6 kB) against two ($r1 kB)"
fi

# --- suspects ---
python3 tests/cli/check_reports.py suspects "$HW" "$A" "$B"
"$HW" suspects -q "$A" > "$T/s.txt"
check_grep "suspects text: __main__ retains 91%" "^Suspect 1: module\\(140435321240560 1248B .*'__main__'\\) retains 31730817 bytes \\(91% of the heap\\)$" "$T/s.txt"
check_grep "suspects text: its accumulation point is the list" "^  accumulation point: list\\(140435319296448 " "$T/s.txt"
check_grep "suspects text: the path to it" "^  path: sys\\.modules\\['__main__'\\]" "$T/s.txt"
"$HW" suspects -q --md "$A" "$B" > "$T/s.md"
check_grep "suspects --md: a section per suspect" "^## Suspect 2$" "$T/s.md"
check_grep "suspects --md: a table with what grew" "^\\| dict \\| 60000 \\| 13920000 \\| 40000 \\| 9280000 \\|$" "$T/s.md"
"$HW" suspects -q --share 95 "$A" > "$T/s.txt"
check_grep "suspects --share 95: none" "^no suspects$" "$T/s.txt"
check_status "suspects --share 0: usage, exit 2" 2 "--share wants a percentage" "$HW" suspects --share 0 "$A"

# --- waste ---
python3 tests/cli/check_reports.py waste "$HW" "$A" "$(py 3.8)" "$(py 3.10)"
python3 tests/cli/check_reports.py waste "$HW" "$DATA/edge-py310.json.gz" "$(py 3.8)" "$(py 3.10)"
python3 tests/cli/check_reports.py waste "$HW" "$DATA/small-py27.json.gz" "$(py 2.7)"
"$HW" waste -q --top 3 "$A" > "$T/w.txt"
check_grep "waste text: Request's __dict__s and what __slots__ saves" "^ +5000 +520000 +15000 +400000 Request$" "$T/w.txt"

# --- hostile strings: escaped in every text format ---
printf '%s\n' \
  '{"address": 1, "type": "module", "size": 100, "name": "m", "refs": [2]}' \
  '{"address": 2, "type": "list", "size": 120, "len": 3, "refs": [3, 4, 5]}' \
  '{"address": 3, "type": "ev\u001b[31mil\nT|`", "size": 5000, "refs": [6]}' \
  '{"address": 4, "type": "ev\u001b[31mil\nT|`", "size": 5000, "refs": [7]}' \
  '{"address": 5, "type": "ev\u001b[31mil\nT|`", "size": 5000, "refs": []}' \
  '{"address": 6, "type": "str", "size": 60, "len": 7, "value": "a\u001b]0;x\u0007b", "refs": []}' \
  '{"address": 7, "type": "str", "size": 60, "len": 7, "value": "a\u001b]0;x\u0007b", "refs": []}' > "$T/evil.json"
"$HW" trend -q "$T/evil.json" "$T/evil.json" > "$T/e1" 2>&1
"$HW" trend -q --csv "$T/evil.json" "$T/evil.json" > "$T/e2" 2>&1
"$HW" trend -q --svg "$T/e3" "$T/evil.json" "$T/evil.json" > /dev/null 2>&1
"$HW" suspects -q "$T/evil.json" > "$T/e4" 2>&1
"$HW" suspects -q --md "$T/evil.json" > "$T/e5" 2>&1
"$HW" waste -q "$T/evil.json" > "$T/e6" 2>&1
if ! grep -q "$(printf '\033')" "$T"/e[1-6] && grep -q 'ev\\x1b\[31mil\\nT' "$T/e1" && grep -q "a\\\\x1b\]0;x\\\\x07b" "$T/e6" \
   && grep -q 'Suspect 2: 3 ev' "$T/e4"; then
    ok "escaping: no raw ESC in trend (text, CSV, SVG), suspects (text, Markdown) or waste; shown as \\x1b"
else
    not_ok "escaping" "$(grep -l "$(printf '\033')" "$T"/e[1-6])" "$(head -3 "$T/e4")"
fi
