# Reliability: every entry of the bad-input corpus (tests/data/bad/expected.tsv)
# and the cases made at test time (a 10 MB line, 100k refs on one line, a chain
# 10 million long, a directory, a FIFO, an unreadable file, stdin, SIGPIPE,
# signals, a memory limit). Each gives a correct answer or a clear message:
# exit status, message (file and line) and, when it loads, the summary line.
# A check marked "# BUG:" shows a known bug in src/ and fails until it is
# fixed (none is open now; the fixed ones say "was a bug").
#
# Environment: HEAPWALK, HW_TMP (tests/run.sh); HW_SANITIZED=1 (the ASan+UBSan
# pass of make test) makes the big generated cases smaller and skips the
# memory-limit test (ASan cannot run under ulimit -v).
. tests/cli/lib.sh
export LC_ALL=C

BAD=$DATA/bad
MANIFEST=$BAD/expected.tsv
SANITIZED=${HW_SANITIZED:-0}
[ "$SANITIZED" = 0 ] || [ "$SANITIZED" = 1 ] || SANITIZED=1

# check NAME CONDITION-STATUS [EVIDENCE...]: ok when the status is 0.
check() {
    local name=$1 status=$2; shift 2
    if [ "$status" -eq 0 ]; then ok "$name"; else not_ok "$name" "$@"; fi
}

# The first line of a file (empty if none).
first_line() { head -n 1 "$1" 2>/dev/null; }

# ---------------------------------------------------------------------------
# 1. The corpus: every row of the manifest.
# ---------------------------------------------------------------------------
[ -f "$MANIFEST" ] || { not_ok "corpus: $MANIFEST exists"; exit 0; }

declare -A listed=() strict_row=() line_row=() loadable=() summary_of=()
last_key=""
while IFS=$'\t' read -r file args want rx summ bug; do
    case "$file" in ''|'#'*) continue ;; esac
    listed[$file]=1
    path=$BAD/$file
    name="corpus: $file: heapwalk $args"
    [ -n "$bug" ] && name="$name # $bug"
    case "$file" in
    no-such-*) [ ! -e "$path" ] || { not_ok "$name" "$path exists: a missing-file case must name no file"; continue; } ;;
    *) [ -e "$path" ] || { not_ok "$name" "$path is listed in expected.tsv but does not exist"; continue; } ;;
    esac
    # Rows with the same file and arguments share one run.
    key="$file|$args"
    if [ "$key" != "$last_key" ]; then
        # shellcheck disable=SC2086
        "$HW" $args "$path" > "$T/c.out" 2> "$T/c.err"
        got=$?
        last_key=$key
    fi
    problems=()
    [ "$got" -eq "$want" ] || problems+=("exit $got, wanted $want")
    if [ "$got" -ge 128 ] || grep -Eq 'Sanitizer|runtime error|Segmentation|Aborted|core dumped' "$T/c.err"; then
        problems+=("crashed or a sanitizer spoke")
    fi
    case "$rx" in
    EMPTY) [ ! -s "$T/c.err" ] || problems+=("stderr is not empty") ;;
    -|'') ;;
    *) grep -Eq -- "$rx" "$T/c.err" || problems+=("stderr does not match /$rx/") ;;
    esac
    if [ "$summ" != "-" ] && [ -n "$summ" ]; then
        line=$(first_line "$T/c.out")
        [ "$line" = "$summ" ] || problems+=("summary line: got '$line'" "            wanted '$summ'")
        summary_of[$file]=$summ
    fi
    case "$args" in *--strict*) strict_row[$file]=1 ;; esac
    [[ "$rx" =~ :[0-9]+:\  && "$args" != *--strict* ]] && line_row[$file]=1
    [ "$want" -eq 0 ] && loadable[$file]=1
    if [ ${#problems[@]} -eq 0 ]; then
        ok "$name"
    else
        not_ok "$name" "${problems[@]}" "stderr:" "$(head -c 400 "$T/c.err" | tr -c '[:print:]\n' '?' | sed 's/^/  /')"
    fi
done < "$MANIFEST"

# The manifest covers the corpus: every file has a row, every bad-line case a
# --strict row, every loadable file its summary line.
missing=()
for f in "$BAD"/*; do
    b=$(basename "$f")
    case "$b" in expected.tsv|README*) continue ;; esac
    [ -n "${listed[$b]:-}" ] || missing+=("$b")
done
check "corpus: every file in tests/data/bad has a row in expected.tsv" ${#missing[@]} "no row for: ${missing[*]}"
nostrict=()
for f in "${!line_row[@]}"; do [ -n "${strict_row[$f]:-}" ] || nostrict+=("$f"); done
check "corpus: every bad-line case is also run with --strict" ${#nostrict[@]} "no --strict row for: ${nostrict[*]}"
nosumm=()
for f in "${!loadable[@]}"; do [ -n "${summary_of[$f]:-}" ] || nosumm+=("$f"); done
check "corpus: every loadable file has its summary line asserted" ${#nosumm[@]} "no summary line for: ${nosumm[*]}"

# ---------------------------------------------------------------------------
# 2. What the corpus files read as, object by object (show --json, path, roots).
# ---------------------------------------------------------------------------
# pycheck NAME FILE PYTHON: run PYTHON with the lines of FILE (each a JSON
# document) in `docs`; it raises (assert) on failure.
pycheck() {
    local name=$1 file=$2 code=$3
    if out=$(python3 - "$file" 2>&1 <<PY
import json, sys
raw = open(sys.argv[1], 'rb').read()
raw.decode('utf-8')                      # the output is UTF-8
docs = [json.loads(l) for l in raw.decode('utf-8').splitlines() if l.strip()]
$code
PY
    ); then ok "$name"; else not_ok "$name" "$(printf '%s\n' "$out" | tail -n 3)"; fi
}

# hw_ok NAME CMD...: exit 0, nothing from a sanitizer; stdout in $T/o, stderr in $T/e.
hw_ok() {
    local name=$1; shift
    "$@" > "$T/o" 2> "$T/e"
    local got=$?
    if [ $got -eq 0 ] && ! grep -Eq 'Sanitizer|runtime error' "$T/e"; then ok "$name"
    else not_ok "$name" "exit $got" "$(head -c 300 "$T/e")"; fi
}

hw_ok "py2 \\u1f600: show --json" "$HW" show -q --json 1 2 $BAD/py2-escape.json
pycheck "py2 \\u1f600 reads as U+1F60 then '0' (valid JSON, 5 hex digits are not an escape)" "$T/o" "
assert docs[0]['value'] == '\u1f60' + '0', ascii(docs[0]['value'])
assert docs[1]['value'] == 'ok \u1f4a' + '9!', ascii(docs[1]['value'])
assert len(docs[0]['value']) == 2"

hw_ok "lone surrogates: show --json" "$HW" show -q --json 1 2 3 4 5 6 7 $BAD/lone-surrogate.json
pycheck "lone surrogates read as U+FFFD, a valid pair as one character, on both paths" "$T/o" "
want = {1: '\ufffd', 2: '\ufffd', 3: 'a\ufffd\ufffdb', 4: '\U0001F600', 5: 'x\ufffd', 7: '\ufffd\n'}
for d in docs:
    if d['address'] in want:
        assert d['value'] == want[d['address']], (d['address'], ascii(d['value']))
assert [d['type'] for d in docs if d['address'] == 6] == ['\ufffdT'], 'type of 6'"

hw_ok "non-UTF-8 bytes: show --json" "$HW" show -q --json 1 2 3 4 5 6 7 $BAD/non-utf8.json
pycheck "non-UTF-8 bytes: show --json is valid UTF-8 JSON, each bad byte one U+FFFD" "$T/o" "
F = '\ufffd'
want = {1: 'a' + F + 'b' + F, 3: F * 3, 4: F * 4, 5: F * 2, 7: 'h\u00e9llo \u20ac'}
for d in docs:
    if d['address'] in want:
        assert d['value'] == want[d['address']], (d['address'], ascii(d['value']))
by = {d['address']: d for d in docs}
assert by[2]['type'] == 'caf' + F, ascii(by[2]['type'])
assert by[6]['name'] == 'm' + F + 'dule', ascii(by[6]['name'])"
hw_ok "non-UTF-8 bytes: export" "$HW" export -q $BAD/non-utf8.json
pycheck "non-UTF-8 bytes: export is valid UTF-8 JSON lines" "$T/o" "assert len(docs) == 7"
hw_ok "non-UTF-8 bytes: summary --json" "$HW" summary -q --json $BAD/non-utf8.json
pycheck "non-UTF-8 bytes: summary --json is valid UTF-8 JSON" "$T/o" "assert docs[0]['objects'] == 7"
hw_ok "non-UTF-8 bytes: summary" "$HW" summary -q $BAD/non-utf8.json
python3 -c "import sys; open(sys.argv[1], 'rb').read().decode('utf-8')" "$T/o" 2>/dev/null
check "non-UTF-8 bytes: the summary table is valid UTF-8" $?

hw_ok "escapes: show --json" "$HW" show -q --json 8 $BAD/invalid-escape.json
pycheck "escapes: \\t and \\n in \"C:\\temp\\new\" are escapes, not a path" "$T/o" "
assert docs[0]['value'] == 'C:\temp\new', ascii(docs[0]['value'])"

hw_ok "CRLF: show --json" "$HW" show -q --json 2 7 $BAD/crlf.json
pycheck "CRLF: no carriage return is left in values; the last line (CR, no LF) loads" "$T/o" "
assert docs[0]['value'] == 'a', ascii(docs[0]['value'])
assert docs[1]['type'] == 'float' and docs[1]['size'] == 24"

hw_ok "huge values: show --json" "$HW" show -q --json 1 2 3 4 $BAD/huge-values.json
pycheck "sizes and lens of 2^32 and more, ints beyond 64 bits: every digit kept" "$T/o" "
by = {d['address']: d for d in docs}
assert by[1]['size'] == 4294967329 and by[1]['len'] == 4294967296, by[1]
assert by[2]['value'] == 123456789012345678901234567890, by[2]['value']
assert by[3]['value'] == -9223372036854775808, by[3]['value']
assert by[4]['size'] == 9007199254740991 and by[4]['retained'] == 9007203549708400, by[4]"

hw_ok "address 2^53-1: show --json" "$HW" show -q --json 9007199254740991 $BAD/addr-2p53.json
pycheck "address 2^53-1 is read exactly" "$T/o" "assert docs[0]['address'] == 9007199254740991 and docs[0]['type'] == 'tuple'"

hw_ok "address 0 (meliae's <ex-reference>): show" "$HW" show -q 0 $BAD/addr-zero.json
check_grep "address 0 is an object, with its two parents" "^<ex-reference>\\(0 0B 2par\\)$" "$T/o"
hw_ok "address 0: path" "$HW" path -q 0 $BAD/addr-zero.json
check_grep "address 0: one hop from the module" "^path 1 of 1: 1 hop from a module root$" "$T/o"

hw_ok "repeated addresses: show --json" "$HW" show -q --json 16 32 $BAD/dup-address.json
pycheck "repeated addresses: the first occurrence wins, the later ones add no edges" "$T/o" "
a, b = docs
assert (a['type'], a['size'], a['num_parents'], a['num_children']) == ('list', 72, 1, 1), a
assert (b['type'], b['size'], b['value'], b['num_parents']) == ('str', 50, 'a', 2), b"

hw_ok "dangling refs: show" "$HW" show -q 100 $BAD/dangling.json
n=$(grep -c '^  <missing 999>$' "$T/o")
check "dangling refs: both refs to 999 listed" $(( n == 2 ? 0 : 1 )) "got $n" "$(cat "$T/o")"
check_grep "dangling refs: a missing address 0 is listed too" '^  <missing 0>$' "$T/o"
hw_ok "dangling refs: export" "$HW" export -q $BAD/dangling.json
check_grep "dangling refs: export keeps every ref, missing ones included" '^\{"address": 100, .*"refs": \[999, 999, 0, 200\]' "$T/o"

hw_ok "self-references: show --json" "$HW" show -q --json 10 20 $BAD/self-ref.json
pycheck "self-references: an object is its own child and parent, counted once" "$T/o" "
a, b = docs
assert a['num_children'] == 1 and a['num_parents'] == 2 and a['retained'] == 64, a
assert b['num_children'] == 2 and b['num_parents'] == 1 and b['retained'] == 232 and b['idom'] is None, b"
hw_ok "self-references: roots" "$HW" roots -q $BAD/self-ref.json
check_grep "self-references: two structural roots, one orphan" "^0 anchor roots \\(0 modules, 0 frames\\), 2 structural roots, 1 orphan candidates$" "$T/o"
hw_ok "self-references: path" "$HW" path -q 10 $BAD/self-ref.json
check_grep "self-references: a path to the list held by itself" "^path 1 of 1: 1 hop from a structural root$" "$T/o"

A1=140062659657680
hw_ok "one object: path" "$HW" path -q $A1 $BAD/one-object.json
check_grep "one object: it is its own root" "^path 1 of 1: 0 hops from a structural root$" "$T/o"
hw_ok "one object: retained" "$HW" retained -q $BAD/one-object.json
check_grep "one object: retains its size" "^Total 28 bytes retained by the roots$" "$T/o"
hw_ok "one object: roots" "$HW" roots -q $BAD/one-object.json
check_grep "one object: one structural root, one orphan" "^0 anchor roots \\(0 modules, 0 frames\\), 1 structural roots, 1 orphan candidates$" "$T/o"

# One cycle of six: the first object in dump order is the one structural root;
# object k is k hops from it and retains the rest of the cycle.
hw_ok "one cycle: roots" "$HW" roots -q $BAD/one-cycle.json
check_grep "one cycle: one structural root, no orphan" "^0 anchor roots \\(0 modules, 0 frames\\), 1 structural roots, 0 orphan candidates$" "$T/o"
k=0
for a in 4096 4112 4128 4144 4160 4176; do
    want="path 1 of 1: $k hop$([ $k -eq 1 ] || echo s) from a structural root"
    "$HW" path -q $a $BAD/one-cycle.json > "$T/o" 2> "$T/e"
    got=$?
    line=$(first_line "$T/o")
    [ $got -eq 0 ] && [ "$line" = "$want" ]
    check "one cycle: a path to object $k ($a)" $? "exit $got: '$line', wanted '$want'" "$(head -3 "$T/e")"
    k=$((k + 1))
done
hw_ok "one cycle: show --json" "$HW" show -q --json 4096 4112 4128 4144 4160 4176 $BAD/one-cycle.json
pycheck "one cycle: retained sizes along the cycle (dominators)" "$T/o" "
assert [d['retained'] for d in docs] == [536, 464, 400, 360, 272, 56], [d['retained'] for d in docs]
assert [d['idom'] for d in docs] == [None, 4096, 4112, 4128, 4144, 4160], [d['idom'] for d in docs]"
hw_ok "one cycle: retained" "$HW" retained -q $BAD/one-cycle.json
check_grep "one cycle: the root retains everything" "^Total 536 bytes retained by the roots$" "$T/o"

# ---------------------------------------------------------------------------
# 3. Every batch subcommand on every loadable corpus file: no crash, no
#    sanitizer report; export reads back to the same summary (nothing lost).
# ---------------------------------------------------------------------------
sweep_fail=()
roundtrip_fail=()
diff_fail=()
for f in $(printf '%s\n' "${!loadable[@]}" | sort); do
    p=$BAD/$f
    "$HW" export -q "$p" > "$T/x.jsonl" 2> "$T/e" || { sweep_fail+=("$f: export: exit $?"); continue; }
    a=$(sed -n '1s/^{"address": \([0-9]*\),.*/\1/p' "$T/x.jsonl")
    [ -n "$a" ] || { sweep_fail+=("$f: export: no address on its first line"); continue; }
    for cmd in "summary --raw" "summary --by-count --top 0" "summary --json" "roots --limit 0" "roots --json" \
               "retained" "retained --by-type" "retained --json" "show $a" "show --json $a" "path $a" \
               "path --all 3 --json $a" "dot $a" "dot --children $a" "export --raw"; do
        # shellcheck disable=SC2086
        "$HW" $cmd -q "$p" > "$T/o" 2> "$T/e"
        got=$?
        if [ $got -ne 0 ] || [ -s "$T/e" ]; then
            sweep_fail+=("$f: $cmd: exit $got $(head -c 200 "$T/e" | tr -c '[:print:]' ' ')")
        fi
    done
    "$HW" diff -q "$p" "$p" > "$T/o" 2> "$T/e" || diff_fail+=("$f: exit $? $(grep -m1 'runtime error' "$T/e")")
    want=$("$HW" summary -q "$p" | head -n 1)
    got=$("$HW" summary -q - < "$T/x.jsonl" 2>&1 | head -n 1)
    [ "$got" = "$want" ] || roundtrip_fail+=("$f: '$got' != '$want'")
done
check "every subcommand runs clean on every loadable corpus file (${#loadable[@]} files)" ${#sweep_fail[@]} "${sweep_fail[@]}"
check "export reads back to the same summary line on every loadable corpus file" ${#roundtrip_fail[@]} "${roundtrip_fail[@]}"
# A dump compared with itself: no new object, no holder (was a bug: qsort on
# an empty, NULL array, which UBSan stops on).
check "diff of every loadable corpus file with itself" \
    ${#diff_fail[@]} "${diff_fail[@]}"

# ---------------------------------------------------------------------------
# 4. Made at test time: long lines, many refs, a very deep chain.
# ---------------------------------------------------------------------------
mib() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1024 / 1024 }'; }
total_line() { echo "Total $1 objects, $2 types, Total size = $(mib "$3")MiB ($3 bytes)"; }

# A 10 MB line (a str of 10,000,000 characters, escapes in it) after 200,000
# small lines, so that it straddles the loader's 8 MB read block (a line longer than it), then a bad
# line whose number must still be right, then a good one.
K=200000
python3 - "$K" > "$T/long.json" <<'PY'
import sys
k = int(sys.argv[1])
out = sys.stdout
out.write(''.join('{"address": %d, "type": "int", "size": 28, "value": %d, "refs": []}\n' % (1000 + i, i) for i in range(k)))
value = ('x' * 99 + '\\u00e9') * 100000          # 10,000,000 characters, 10.5 MB
out.write('{"address": 1, "type": "str", "size": 10000049, "len": 10000000, "value": "%s", "refs": []}\n' % value)
out.write('not json\n')
out.write('{"address": 2, "type": "list", "size": 72, "len": 1, "refs": [1]}\n')
PY
check_status "a 10 MB line across a read block: loads, the bad line after it is skipped" 0 \
    "long\\.json: skipped 1 bad line" "$HW" summary "$T/long.json"
check_grep "a 10 MB line: the bad line after it has its right number" "long\\.json:$((K + 2)): not a JSON object \\(starts with 'n'\\)$" "$T/err"
want=$(total_line $((K + 2)) 3 $((28 * K + 10000049 + 72)))
[ "$(first_line "$T/out")" = "$want" ]
check "a 10 MB line: the summary counts every object" $? "got  '$(first_line "$T/out")'" "want '$want'"
check_status "a 10 MB line: --strict stops at the line after it" 1 "long\\.json:$((K + 2)): not a JSON object" "$HW" summary --strict "$T/long.json"
hw_ok "a 10 MB line: show --json" "$HW" show -q --json 1 "$T/long.json"
pycheck "a 10 MB line: the whole value is kept, escapes decoded" "$T/o" "
v = docs[0]['value']
assert len(v) == 10000000 and v.count('\u00e9') == 100000 and v[:99] == 'x' * 99, len(v)"

# A line longer than the read block (20 MB): the buffer must grow.
python3 -c "
import sys
sys.stdout.write('{\"address\": 1, \"type\": \"bytes\", \"size\": 20000033, \"len\": 20000000, \"value\": \"%s\", \"refs\": []}\n' % ('y' * 20000000))
sys.stdout.write('{\"address\": 2, \"type\": \"list\", \"size\": 64, \"len\": 1, \"refs\": [1]}\n')" > "$T/longer.json"
check_status "a 20 MB line (longer than the 8 MB read block) loads" 0 "" "$HW" summary -q "$T/longer.json"
want=$(total_line 2 2 $((20000033 + 64)))
[ "$(first_line "$T/out")" = "$want" ]
check "a 20 MB line: summary" $? "got  '$(first_line "$T/out")'" "want '$want'"

# A list of 4.5 million items: a line of 79 MB, longer than the 64 MB a stream
# of unknown size may have on a line. From a file (its size known) it loads
# whole; from a pipe it is refused at 64 MB with the hint; with the hint
# followed, the pipe loads it too.
awk 'BEGIN { n = 4500000; printf "{\"address\": 1, \"type\": \"list\", \"size\": %d, \"len\": %d, \"refs\": [", 56 + 8 * n, n;
    for (i = 0; i < n; i++) printf "%s%d", (i ? ", " : ""), 140000000000000 + 32 * i; printf "]}\n";
    printf "{\"address\": 2, \"type\": \"module\", \"size\": 72, \"name\": \"m\", \"refs\": [1]}\n" }' > "$T/biglist.json"
[ "$(wc -c < "$T/biglist.json")" -gt $((70 << 20)) ]
check "a 4.5M-item list: its line is over 70 MB" $?
check_status "a 79 MB line in a file loads" 0 "" "$HW" summary --no-cache -q "$T/biglist.json"
want=$(total_line 2 2 $((56 + 8 * 4500000 + 72)))
[ "$(first_line "$T/out")" = "$want" ]
check "a 79 MB line: summary" $? "got  '$(first_line "$T/out")'" "want '$want'"
"$HW" show -q --json 1 "$T/biglist.json" > "$T/o" 2> "$T/err"
check "a 79 MB line: show --json" $? "$(head -3 "$T/err")"
pycheck "a 79 MB line: 4.5M refs, none in the dump" "$T/o" "
d = docs[0]
assert d['len'] == 4500000 and d['num_children'] == 4500000, (d['len'], d.get('num_children'))"
check_status "a 79 MB line on a pipe: refused at 64 MB, with the hint" 1 \
    '<stdin>: line 1: longer than 64 MB \(not a dump\? HEAPWALK_MAX_LINE_MB=N raises the limit\)' \
    bash -c 'cat "$1" | exec "$0" summary --no-cache -' "$HW" "$T/biglist.json"
check_status "a 79 MB line on stdin from the file itself (its size known) loads" 0 "" \
    bash -c 'exec "$0" summary -q - < "$1"' "$HW" "$T/biglist.json"
check_status "a 79 MB line on a pipe with HEAPWALK_MAX_LINE_MB=100 loads" 0 "" \
    bash -c 'cat "$1" | HEAPWALK_MAX_LINE_MB=100 exec "$0" summary -q -' "$HW" "$T/biglist.json"
rm -f "$T/biglist.json"

# 100,000 refs on one line, twice: a list in meliae's layout (the fast path)
# and a tuple with its keys in another order (cJSON). Each of 50,000 ints is
# referred to twice by each; then a line whose last ref is a string.
python3 > "$T/refs.json" <<'PY'
import sys
refs = ', '.join(str(1000 + i % 50000) for i in range(100000))
out = sys.stdout
out.write('{"address": 1, "type": "list", "size": 800056, "len": 100000, "refs": [%s]}\n' % refs)
out.write('{"refs":[%s],"len":100000,"size":800040,"type":"tuple","address":2}\n' % refs.replace(' ', ''))
out.write('{"address": 3, "type": "list", "size": 800056, "len": 100000, "refs": [%s, "x"]}\n' % refs[:refs.rindex(',')])
out.write(''.join('{"address": %d, "type": "int", "size": 28, "value": %d, "refs": []}\n' % (1000 + i, i) for i in range(50000)))
PY
check_status "100k refs on one line: loads" 0 'refs\.json:3: "refs" is a string, not a number \(item 99999\)$' "$HW" summary "$T/refs.json"
want=$(total_line 50002 3 $((800056 + 800040 + 28 * 50000)))
[ "$(first_line "$T/out")" = "$want" ]
check "100k refs on one line: summary" $? "got  '$(first_line "$T/out")'" "want '$want'"
hw_ok "100k refs on one line: show --json" "$HW" show -q --json --limit 3 1 2 1000 "$T/refs.json"
pycheck "100k refs on one line: every ref kept, parents counted once" "$T/o" "
a, b, c = docs
assert a['num_children'] == 100000 and b['num_children'] == 100000, (a['num_children'], b['num_children'])
assert c['num_parents'] == 2, c['num_parents']"

# A chain 10 million long (1 million under the sanitizers): object i refers to
# i+1. Made once, read through a pipe by summary (tee keeps a copy for path,
# which reads its dump once more).
if [ "$SANITIZED" = 1 ]; then N=1000000; else N=10000000; fi
echo "# deep chain: $N objects$([ "$SANITIZED" = 1 ] && echo ' (HW_SANITIZED=1: 1 million instead of 10)')"
CHAIN=$T/chain.json
python3 - "$N" <<'PY' | tee "$CHAIN" | "$HW" summary -q - > "$T/out" 2> "$T/err"
import sys
n = int(sys.argv[1])
fmt = '{"address": %d, "type": "list", "size": 64, "len": 1, "refs": [%d]}\n'
for s in range(1, n, 500000):
    sys.stdout.write(''.join([fmt % (i, i + 1) for i in range(s, min(s + 500000, n))]))
sys.stdout.write('{"address": %d, "type": "list", "size": 64, "len": 0, "refs": []}\n' % n)
PY
st=("${PIPESTATUS[@]}")
want=$(total_line $N 1 $((64 * N)))
[ "${st[2]}" -eq 0 ] && [ "$(first_line "$T/out")" = "$want" ]
check "a chain of $N: summary from stdin" $? "exit ${st[2]}: got '$(first_line "$T/out")', want '$want'" "$(head -c 300 "$T/err")"
"$HW" path -q $N "$CHAIN" 2> "$T/err" | awk -v f="$T/path1" 'NR == 1 { print > f } { prev = last; last = substr($0, 1, 200) } END { print NR; print prev }' > "$T/pathsum"
st=("${PIPESTATUS[@]}")
[ "${st[0]}" -eq 0 ] && [ "$(cat "$T/path1")" = "path 1 of 1: $((N - 1)) hops from a structural root" ] &&
    [ "$(sed -n 1p "$T/pathsum")" = "$((N + 2))" ] && [ "$(sed -n 2p "$T/pathsum")" = "$(printf '%4d  list(%d 64B 1par)' $((N - 1)) $N)" ]
check "a chain of $N: the path to its far end has $((N - 1)) hops" $? "exit ${st[0]}: $(cat "$T/path1" "$T/pathsum" 2>/dev/null | head -3)" "$(head -c 300 "$T/err")"
hw_ok "a chain of $N: show --json (dominators $N deep)" "$HW" show -q --json 1 $N "$CHAIN"
pycheck "a chain of $N: the head retains it all, the tail itself" "$T/o" "
a, b = docs
n = $N
assert a['retained'] == 64 * n and a['idom'] is None, (a['retained'], a['idom'])
assert b['retained'] == 64 and b['idom'] == n - 1, (b['retained'], b['idom'])"

# ---------------------------------------------------------------------------
# 5. Where the bytes come from: a directory, a FIFO, stdin, no permission.
# ---------------------------------------------------------------------------
ONE=$BAD/one-cycle.json
ONE_SUMMARY="Total 6 objects, 4 types, Total size = 0.0MiB (536 bytes)"

mkdir -p "$T/dump-dir.json"
check_status "a directory named like a dump: show" 1 "dump-dir\\.json: is a directory, not a dump$" "$HW" show 1 "$T/dump-dir.json"
check_status "a directory as the second dump of diff" 1 "dump-dir\\.json: is a directory, not a dump$" "$HW" diff -q "$ONE" "$T/dump-dir.json"
check_status "a directory on stdin" 1 "<stdin>: is a directory, not a dump$" \
    python3 -c 'import os, sys; os.dup2(os.open(sys.argv[1], os.O_RDONLY), 0); os.execv(sys.argv[2], sys.argv[2:])' \
    "$T/dump-dir.json" "$HW" summary -

# A FIFO: the writer sends a line in two pieces with a pause between them.
mkfifo "$T/fifo.json"
# (Writers run under timeout: if heapwalk never opened the FIFO, they must not block forever.)
timeout 20 bash -c '{ head -c 100 "$1"; sleep 0.3; tail -c +101 "$1"; } > "$2"' _ "$ONE" "$T/fifo.json" &
check_status "a FIFO fed in pieces: loads" 0 "" timeout 20 "$HW" summary "$T/fifo.json"
[ "$(first_line "$T/out")" = "$ONE_SUMMARY" ]
check "a FIFO fed in pieces: summary" $? "got '$(first_line "$T/out")'"
wait
gzip -c "$ONE" > "$T/one.json.gz"
timeout 20 bash -c 'cat "$1" > "$2"' _ "$T/one.json.gz" "$T/fifo.json" &
check_status "a FIFO carrying gzip: loads" 0 "" timeout 20 "$HW" summary -q "$T/fifo.json"
[ "$(first_line "$T/out")" = "$ONE_SUMMARY" ]
check "a FIFO carrying gzip: summary" $? "got '$(first_line "$T/out")'"
wait
# The writer dies in the middle of the last line.
timeout 20 bash -c '{ cat "$1"; printf "%s" "{\"address\": 9, \"type\": \"li"; } > "$2"' _ "$ONE" "$T/fifo.json" &
check_status "a FIFO whose writer stops mid-line: the cut line is reported" 0 \
    "fifo\\.json:7: invalid JSON at byte 27: the line ends inside a string \\(cut short\\?\\)$" timeout 20 "$HW" summary "$T/fifo.json"
wait

# Standard input.
check_status "stdin: /dev/null is an empty dump" 1 "^heapwalk: <stdin>: empty file$" "$HW" summary - < /dev/null
check_status "stdin: a truncated gzip" 1 "^heapwalk: <stdin>: gzip data is truncated \(the file ends inside the stream\)$" \
    "$HW" summary - < $BAD/truncated.json.gz
check_status "stdin: bad lines are named <stdin>:LINE" 0 "^  <stdin>:3: invalid JSON at byte 51: the line ends where a value should be" \
    "$HW" summary - < $BAD/cut-middle.json
check_status "stdin: --strict" 1 "^heapwalk: <stdin>:3: invalid JSON at byte 51" "$HW" summary --strict - < $BAD/cut-middle.json

# No read permission. The tests run as root, where chmod 000 stops nothing:
# heapwalk runs as nobody instead.
as_nobody=()
if command -v setpriv > /dev/null; then
    as_nobody=(setpriv --reuid=65534 --regid=65534 --clear-groups)
elif command -v runuser > /dev/null && [ "$(id -u)" = 0 ]; then
    as_nobody=(runuser -u nobody --)
fi
if [ ${#as_nobody[@]} -eq 0 ]; then
    ok "no read permission # SKIP neither setpriv nor runuser (util-linux) is installed"
elif [ "$(id -u)" != 0 ] && [ "${as_nobody[0]}" = setpriv ] && ! setpriv --reuid=65534 true 2>/dev/null; then
    ok "no read permission # SKIP not root: cannot become nobody"
else
    # A place nobody can reach to run heapwalk from (the build tree may not be).
    PUB=$(mktemp -d /tmp/hw-reliability.XXXXXX)
    chmod 755 "$PUB"
    HWPUB=$HW
    "${as_nobody[@]}" "$HW" --version > /dev/null 2>&1 || { cp "$HW" "$PUB/heapwalk"; chmod 755 "$PUB/heapwalk"; HWPUB=$PUB/heapwalk; }
    # 1. In a directory nobody can enter.
    mkdir -m 700 "$T/private"
    cp "$ONE" "$T/private/dump.json"
    check_status "no read permission: a dump in a directory nobody can enter" 1 "^heapwalk: $T/private/dump\\.json: Permission denied$" \
        "${as_nobody[@]}" "$HWPUB" summary "$T/private/dump.json"
    # 2. A file nobody may read, in a directory anyone can enter.
    cp "$ONE" "$PUB/dump.json"
    chmod 600 "$PUB/dump.json"
    check_status "no read permission: a file only root may read" 1 "^heapwalk: $PUB/dump\\.json: Permission denied$" \
        "${as_nobody[@]}" "$HWPUB" summary "$PUB/dump.json"
    chmod 644 "$PUB/dump.json"
    check_status "no read permission: the same file readable loads as nobody" 0 "" "${as_nobody[@]}" "$HWPUB" summary -q "$PUB/dump.json"
    rm -rf "$PUB"
fi

# ---------------------------------------------------------------------------
# 6. Output closed early, output that cannot be written, signals.
# ---------------------------------------------------------------------------
BIG=$DATA/small-py310.json.gz   # 60k objects: megabytes of export, more than a pipe holds
# `heapwalk export | head -1`: SIGPIPE ends heapwalk quietly (status 141, or 0
# if it was done), no hang; the line head got is whole.
timeout 60 "$HW" export -q "$BIG" 2> "$T/err" | head -n 1 > "$T/out"
st=("${PIPESTATUS[@]}")
{ [ "${st[0]}" -eq 141 ] || [ "${st[0]}" -eq 0 ]; } && [ ! -s "$T/err" ]
check "export | head -1: ends by SIGPIPE, quietly, without hanging" $? "exit ${st[0]} (124: timeout)" "$(head -c 300 "$T/err")"
pycheck "export | head -1: the line is whole JSON" "$T/out" "assert len(docs) == 1 and 'address' in docs[0]"
pipe_fail=()
for cmd in "summary --top 0" "summary --json" "show --limit 0 140062659657680" "roots --limit 0" "retained --top 0" \
           "path --all 100 140062659657680" "dot --depth 6 140062659657680" "diff $DATA/leak-before-py310.json.gz"; do
    # shellcheck disable=SC2086
    timeout 60 "$HW" $cmd -q "$BIG" 2> "$T/err" | head -c 10 > /dev/null
    st=("${PIPESTATUS[@]}")
    { [ "${st[0]}" -eq 141 ] || [ "${st[0]}" -eq 0 ]; } && [ ! -s "$T/err" ] || pipe_fail+=("$cmd: exit ${st[0]} $(head -c 200 "$T/err")")
done
check "every batch command piped into head -c 10: SIGPIPE or done, quietly, no hang" ${#pipe_fail[@]} "${pipe_fail[@]}"
# With SIGPIPE ignored (as under some service managers), writes fail with
# EPIPE: export must stop at once with one line and exit 1, not loop.
(trap '' PIPE; timeout 60 "$HW" export -q "$BIG" 2> "$T/err" | head -n 1 > /dev/null; echo "${PIPESTATUS[0]}" > "$T/st")
[ "$(cat "$T/st")" -eq 1 ] && [ "$(wc -l < "$T/err")" -eq 1 ] && grep -q "^heapwalk: writing the output failed: Broken pipe" "$T/err"
check "export with SIGPIPE ignored: EPIPE ends it with one line, exit 1" $? "exit $(cat "$T/st") (124: timeout)" "$(head -c 300 "$T/err")"

# Output that cannot be written (a full disk): the user must not get exit 0
# and an empty file.
to_full() { "$@" > /dev/full; }
check_status "export > /dev/full: exit 1 and says so" 1 "^heapwalk: writing the output failed: No space left on device" to_full "$HW" export -q "$BIG"
full_fail=()
for cmd in "summary" "summary --json" "show 140062659657680" "path 140062659657680" "roots" "retained" \
           "dot 140062659657680" "diff $DATA/leak-before-py310.json.gz"; do
    # shellcheck disable=SC2086
    "$HW" $cmd -q "$BIG" > /dev/full 2> "$T/err"
    got=$?
    [ $got -eq 1 ] && [ -s "$T/err" ] || full_fail+=("$cmd: exit $got, stderr: '$(head -c 100 "$T/err")'")
done
# Every batch command checks its output was written (was a bug: all but
# export exited 0 with nothing said on a full disk).
check "output to a full disk (/dev/full): exit 1 with a message, every command" \
    ${#full_fail[@]} "${full_fail[@]}"

# Signals: a batch command waiting on a FIFO that never ends ends at once on
# SIGTERM, SIGHUP (ssh dropped) and SIGINT, killed by the signal (no handler
# to hang in). env --default-signal undoes the SIGINT ignoring of & jobs, and
# the SIGHUP ignoring of a test run started under nohup (which heapwalk, like
# any program, keeps: that is what nohup asks for).
for sig in TERM HUP INT; do
    rm -f "$T/sig.fifo"
    mkfifo "$T/sig.fifo"
    timeout 20 bash -c 'exec 3> "$2"; head -c 200 "$1" >&3; exec sleep 30' _ "$ONE" "$T/sig.fifo" &
    writer=$!
    if env --default-signal=INT,HUP,TERM true 2>/dev/null; then
        env --default-signal=INT,HUP,TERM "$HW" summary "$T/sig.fifo" > /dev/null 2> "$T/err" &
    else
        python3 -c 'import os, signal, sys
for s in (signal.SIGINT, signal.SIGHUP, signal.SIGTERM): signal.signal(s, signal.SIG_DFL)
os.execv(sys.argv[1], sys.argv[1:])' \
            "$HW" summary "$T/sig.fifo" > /dev/null 2> "$T/err" &
    fi
    pid=$!
    # Wait until heapwalk itself runs (env has exec'd it), then a little more.
    for _ in $(seq 50); do [ "$(readlink /proc/$pid/exe 2>/dev/null)" = "$(readlink -f "$HW")" ] && break; sleep 0.1; done
    sleep 0.3
    kill -s $sig $pid
    for _ in $(seq 50); do kill -0 $pid 2>/dev/null || break; sleep 0.1; done
    if kill -0 $pid 2>/dev/null; then
        kill -KILL $pid; wait $pid 2>/dev/null
        not_ok "SIG$sig while reading: heapwalk ends" "still running 5 s after SIG$sig"
    else
        { wait $pid; } 2> /dev/null   # no "Hangup" notice from bash
        got=$?
        want=$((128 + $(kill -l $sig)))
        check "SIG$sig while reading: heapwalk ends at once, by the signal" $(( got == want ? 0 : 1 )) "exit $got, wanted $want" "$(head -c 200 "$T/err")"
    fi
    kill $writer 2>/dev/null; wait $writer 2>/dev/null
done

# ---------------------------------------------------------------------------
# 7. Numbers that do not fit, memory that runs out.
# ---------------------------------------------------------------------------
# 4096 objects of the largest size a line may hold (2^53 - 1): the total is
# 2^65 - 4096, more than 64 bits.
python3 -c "
for i in range(4096):
    print('{\"address\": %d, \"type\": \"bytes\", \"size\": 9007199254740991, \"refs\": []}' % (16 * (i + 1)))" > "$T/sizes.json"
"$HW" summary -q "$T/sizes.json" > "$T/out" 2> "$T/err"
got=$?
exact="Total 4096 objects, 1 types, Total size = 35184372088832.0MiB (36893488147419099136 bytes)"
{ [ $got -eq 0 ] && [ "$(first_line "$T/out")" = "$exact" ]; } || { [ $got -eq 1 ] && [ -s "$T/err" ]; }
# Was a bug: the total wrapped around 2^64 without a word; now the load stops
# with a message (sizes adding up to 2^62 or more are no real heap).
check "sizes adding up past 2^64: the exact total, or a clear error" $? \
    "exit $got: '$(first_line "$T/out")'" "wanted '$exact' (or exit 1 with a message)"

# Out of memory: under a memory limit too small for the dump, the allocation
# wrappers end with one clear line and exit 1, not a crash. ASan cannot run
# under ulimit -v: skipped in the sanitized pass.
if [ "$SANITIZED" = 1 ]; then
    ok "out of memory under ulimit -v # SKIP AddressSanitizer reserves terabytes of address space"
else
    # Too big for the memory there is: said before reading, from the file's size.
    (ulimit -v 200000; exec "$HW" summary "$CHAIN") > "$T/out" 2> "$T/err"
    got=$?
    [ $got -eq 1 ] && [ "$(wc -l < "$T/err")" -eq 1 ] &&
        grep -Eq "^heapwalk: $CHAIN: needs about [0-9]+ MB to load \([0-9]+ MB of JSON\), only [0-9]+ MB available \(--force to try anyway\)$" "$T/err"
    check "a dump too big for the memory limit: said at once, one line, exit 1" $? "exit $got" "$(head -c 300 "$T/err")"
    # With --force it is tried, and the allocation that fails says what it was for.
    (ulimit -v 200000; exec "$HW" summary --force "$CHAIN") > "$T/out" 2> "$T/err"
    got=$?
    [ $got -eq 1 ] && [ "$(wc -l < "$T/err")" -eq 1 ] &&
        grep -Eq "^heapwalk: out of memory while loading .*: could not allocate [0-9]+ bytes for [a-z]" "$T/err"
    check "out of memory (--force, ulimit -v 200 MB, a dump needing 500): one clear line, exit 1" $? "exit $got" "$(head -c 300 "$T/err")"
    check_grep "out of memory: the message names the dump" \
        "out of memory while loading $CHAIN" "$T/err"
fi
rm -f "$CHAIN"
