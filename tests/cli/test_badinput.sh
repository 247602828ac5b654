# Bad input: a clear one-line error (file, line, reason) and a non-zero exit,
# or, for bad lines without --strict, a count and the first few reasons.
. tests/cli/lib.sh

good='{"address": 1, "type": "list", "size": 72, "len": 2, "refs": [2, 3]}
{"address": 2, "type": "str", "size": 50, "len": 1, "value": "a", "refs": []}
{"address": 3, "type": "int", "size": 28, "value": 7, "refs": []}'

: > "$T/empty.json"
check_status "empty file: exit 1, says empty" 1 "empty.json: empty file$" "$HW" summary "$T/empty.json"
printf ' \n\n  \n' > "$T/blank.json"
check_status "only white space: exit 1, no objects" 1 "blank.json: no objects in the dump$" "$HW" summary "$T/blank.json"
check_status "missing file: exit 1" 1 "nope.json: No such file or directory$" "$HW" summary "$T/nope.json"
mkdir -p "$T/dir"
check_status "a directory: exit 1" 1 "dir: is a directory, not a dump$" "$HW" summary "$T/dir"
head -c 100000 $DATA/edge-py310.json.gz > "$T/trunc.json.gz"
check_status "truncated gzip: exit 1" 1 "trunc.json.gz: gzip data is truncated \\(the file ends inside the stream\\)$" "$HW" summary "$T/trunc.json.gz"
{ printf '\037\213\010\000\000\000\000\000\000\003'; head -c 2000 /dev/urandom; } > "$T/garbage.gz"
check_status "gzip of garbage: exit 1" 1 "garbage.gz: gzip data is (corrupt|truncated or corrupt)" "$HW" summary "$T/garbage.gz"
: | gzip -c > "$T/emptygz.json.gz"
check_status "empty gzip stream: exit 1" 1 "empty file" "$HW" summary "$T/emptygz.json.gz"

# Bad lines: skipped and counted by default, with FILE:LINE: reason.
{ echo "$good"; echo 'not json'; echo '{"address": "12", "type": "x", "size": 1, "refs": []}'
  echo '{"type": "x", "size": 1, "refs": []}'; echo '{"address": 9, "size": 1, "refs": []}'
  echo '{"address": 9007199254740993, "type": "x", "size": 1, "refs": []}'
  echo '{"address": 10, "type": "x", "size": -1, "refs": []}'
  echo '{"address": 11, "type": "x", "size": 1.5, "refs": []}'
  echo '{"address": 12, "type": "x", "size": 1, "refs": 5}'
  echo '{"address": 13, "type": "x", "size": 1, "refs": ["a"]}'
  echo '{"address": 14, "type": "x", "size": 1, "refs": [1, 2'
} > "$T/bad.json"
check_status "bad lines skipped: exit 0" 0 "skipped 10 bad lines" "$HW" summary "$T/bad.json"
check_grep "bad line: not JSON, with file and line" "bad.json:4: not a JSON object" "$T/err"
check_grep "bad line: address as a string" "bad.json:5: \"address\" is a string, not a number" "$T/err"
check_grep "bad line: no address" "bad.json:6: no \"address\"" "$T/err"
check_grep "bad line: no type" "bad.json:7: no \"type\"" "$T/err"
check_grep "bad line: address above 2^53" "bad.json:8: \"address\" is 2\\^53 or more" "$T/err"
check_grep "only the first five reasons are shown" "^  .*bad.json:8:" "$T/err"
check_grep "bad lines leave the good objects" "^Total 3 objects, 3 types" "$T/out"
check_status "--strict stops at the first bad line" 1 "bad.json:4: not a JSON object" "$HW" summary --strict "$T/bad.json"
{ echo "$good"; echo '{"address": 10, "type": "x", "size": -1, "refs": []}'; } > "$T/neg.json"
check_status "--strict: negative size" 1 "neg.json:4: \"size\" is negative" "$HW" summary --strict "$T/neg.json"
{ echo "$good"; echo '{"address": 10, "type": "x", "size": 1, "refs": [1, "a"]}'; } > "$T/refstr.json"
check_status "--strict: a ref that is a string" 1 "refstr.json:4: \"refs\" is a string, not a number \\(item 1\\)" "$HW" summary --strict "$T/refstr.json"
{ echo "$good"; printf '{"address": 14, "type": "x", "size": 1, "refs": [1, 2'; } > "$T/cut.json"
check_status "--strict: last line cut short" 1 "cut.json:4: invalid JSON at byte [0-9]+: the line ends inside an array" "$HW" summary --strict "$T/cut.json"
printf 'garbage\nmore garbage\n' > "$T/allbad.json"
check_status "every line bad: exit 1" 1 "no objects could be read \\(2 bad lines" "$HW" summary "$T/allbad.json"

# Dangling refs and repeated addresses: counted and reported, never a crash.
{ echo "$good"; echo '{"address": 20, "type": "list", "size": 72, "refs": [99, 99, 98, 20]}'
  echo '{"address": 2, "type": "bytes", "size": 999, "refs": []}'; } > "$T/dangle.json"
check_status "dangling refs reported" 0 "3 refs point to 2 addresses that are not in the dump" "$HW" summary "$T/dangle.json"
check_grep "repeated addresses reported" "1 repeated addresses ignored \\(the first occurrence wins; 1 with another type\\)" "$T/err"
check_grep "the first occurrence wins" "^Total 4 objects, 3 types, Total size = 0.0MiB \\(222 bytes\\)" "$T/out"
"$HW" show -q 20 "$T/dangle.json" > "$T/show20.txt"
check_grep "show lists a missing child" "^  <missing 99>$" "$T/show20.txt"
check_grep "show lists a self-reference" "^  list\\(20 72B 4refs 1par\\)$" "$T/show20.txt"
check_status "-q silences the notes" 0 "" "$HW" summary -q "$T/dangle.json"
[ ! -s "$T/err" ] && ok "-q: stderr is empty" || not_ok "-q: stderr is empty" "$(cat "$T/err")"

# A multi-MB line: one list of 400k refs.
python3 -c "
import sys
n = 400000
sys.stdout.write('{\"address\": 1, \"type\": \"list\", \"size\": %d, \"len\": %d, \"refs\": [%s]}\n' % (8*n+56, n, ', '.join(str(10+i) for i in range(n))))
for i in range(n):
    sys.stdout.write('{\"address\": %d, \"type\": \"int\", \"size\": 28, \"value\": %d, \"refs\": []}\n' % (10+i, i))
" > "$T/long.json"
check_status "a 6 MB line loads" 0 "" "$HW" summary "$T/long.json"
check_grep "a 6 MB line: every object counted" "^Total 400001 objects, 2 types" "$T/out"

# Progress goes to a terminal only: nothing on stderr when it is a file.
"$HW" summary $DATA/small-py310.json.gz > /dev/null 2> "$T/progress"
[ ! -s "$T/progress" ] && ok "no progress when stderr is not a terminal" || not_ok "no progress when stderr is not a terminal" "$(head -c 200 "$T/progress")"
