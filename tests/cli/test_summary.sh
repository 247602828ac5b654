# `heapwalk summary` against meliae's own output for every dump in tests/data.
. tests/cli/lib.sh

for dump in $DATA/*.json.gz; do
    name=$(basename "$dump" .json.gz)
    ref=$DATA/ref/$name
    check_output "summary $name = meliae summarize()" "$ref.summary.txt" "$HW" summary -q "$dump"
    check_output "summary --by-count $name = meliae by_count" "$ref.summary-bycount.txt" "$HW" summary -q --by-count "$dump"
    if [ -f "$ref.summary-raw.txt" ]; then
        check_output "summary --raw $name = meliae collapse=False" "$ref.summary-raw.txt" "$HW" summary -q --raw "$dump"
    fi
done

# Plain, gzip and stdin give the same answer; so do one thread and many.
zcat $DATA/small-py310.json.gz > "$T/plain.json"
check_output "summary of the unzipped dump" $DATA/ref/small-py310.summary.txt "$HW" summary -q "$T/plain.json"
check_output "summary from stdin (gzip)" $DATA/ref/small-py310.summary.txt sh -c "'$HW' summary -q - < $DATA/small-py310.json.gz"
check_output "summary from stdin (plain)" $DATA/ref/small-py310.summary.txt sh -c "'$HW' summary -q - < '$T/plain.json'"
check_output "summary with --threads 1" $DATA/ref/small-py310.summary.txt "$HW" summary -q --threads 1 "$T/plain.json"
check_output "summary with --threads 7" $DATA/ref/small-py310.summary.txt "$HW" summary -q --threads 7 "$T/plain.json"

# A file named .json holding gzip data is still read as gzip: the magic bytes decide.
cp $DATA/edge-py310.json.gz "$T/misnamed.json"
check_output "gzip detected by magic, not name" $DATA/ref/edge-py310.summary.txt "$HW" summary -q "$T/misnamed.json"

# The JSON array form and CRLF line ends.
{ echo "["; sed 's/$/,/' "$T/plain.json" | sed '$ s/,$//'; echo "]"; } > "$T/array.json"
check_output "the JSON array form" $DATA/ref/small-py310.summary.txt "$HW" summary -q "$T/array.json"
sed 's/$/\r/' "$T/plain.json" > "$T/crlf.json"
check_output "CRLF line ends" $DATA/ref/small-py310.summary.txt "$HW" summary -q "$T/crlf.json"

# --top N: the first N rows of the full table.
"$HW" summary -q --top 0 $DATA/small-py310.json.gz > "$T/all.txt"
rows=$(($(wc -l < "$T/all.txt") - 2))
types=$(sed -n 's/^Total [0-9]* objects, \([0-9]*\) types.*/\1/p' "$T/all.txt")
[ "$rows" = "$types" ] && ok "--top 0 prints every type ($types)" || not_ok "--top 0 prints every type" "rows $rows, types $types"
head -7 "$T/all.txt" > "$T/top5.expected"
check_output "--top 5" "$T/top5.expected" "$HW" summary -q --top 5 $DATA/small-py310.json.gz

# --json: one document whose totals and rows agree with the text.
"$HW" summary -q --json $DATA/small-py27.json.gz > "$T/s.json"
if python3 - "$T/s.json" "$T/all27.txt" "$HW" $DATA/small-py27.json.gz <<'PY'
import json, subprocess, sys
doc = json.load(open(sys.argv[1]))
text = subprocess.run([sys.argv[3], "summary", "-q", "--top", "0", sys.argv[4]], capture_output=True, text=True).stdout.split("\n")
assert text[0] == "Total %d objects, %d types, Total size = %.1fMiB (%d bytes)" % (
    doc["objects"], doc["types"], doc["bytes"] / 1024 / 1024, doc["bytes"]), text[0]
assert len(doc["rows"]) == doc["types"]
assert sum(r["count"] for r in doc["rows"]) == doc["objects"]
assert sum(r["size"] for r in doc["rows"]) == doc["bytes"]
for r, line in zip(doc["rows"], text[2:]):
    f = line.split()
    assert [int(f[0]), int(f[1]), int(f[3]), int(f[6]), f[7]] == [r["index"], r["count"], r["size"], r["max_size"], r["type"]], (r, line)
    assert r["max_address"] > 0
PY
then ok "--json agrees with the text table"; else not_ok "--json agrees with the text table"; fi

# The largest object of a type is where --json says, and its size is the Max column.
addr=$(python3 -c "import json,sys; r=[r for r in json.load(open(sys.argv[1]))['rows'] if r['type']=='dict'][0]; print(r['max_address'], r['max_size'])" "$T/s.json")
set -- $addr
"$HW" show -q "$1" $DATA/small-py27.json.gz > "$T/max.txt"
check_grep "max_address is a dict of max_size bytes" "^dict\\($1 $2B" "$T/max.txt"

# Usage.
check_status "no arguments: usage, exit 2" 2 "usage: heapwalk" "$HW"
check_status "summary without a dump: exit 2" 2 "wants one dump \\(a file, or - for stdin\\)" "$HW" summary
check_status "summary with two dumps: exit 2" 2 "wants one dump" "$HW" summary a b
check_status "unknown option: exit 2" 2 "^heapwalk summary: unknown option '--bogus'$" "$HW" summary --bogus x
check_grep "unknown option: one line, then where the help is" "^Try 'heapwalk summary --help'\.$" "$T/err"
[ "$(wc -l < "$T/err")" -eq 2 ] && ok "unknown option: no usage dump" || not_ok "unknown option: no usage dump" "$(cat "$T/err")"
check_status "a misspelled subcommand: the nearest one" 2 \
    "^heapwalk: 'sumary' is not a subcommand \(nor a file\); did you mean 'heapwalk summary'\?$" "$HW" sumary x
check_status "a misspelled subcommand: transposed letters" 2 "did you mean 'heapwalk suspects'" "$HW" supsects x
check_status "a word far from every subcommand goes to the explorer as a dump" 1 "the explorer needs a terminal" "$HW" no-such-dump
check_status "--top wants a number: exit 2" 2 "--top wants a whole number" "$HW" summary --top x $DATA/edge-py310.json.gz
check_status "--help: exit 0" 0 "" "$HW" --help
check_grep "--help lists summary" "heapwalk summary" "$T/out"
check_status "summary --help: exit 0" 0 "" "$HW" summary --help
check_grep "summary --help describes --by-count" "--by-count" "$T/out"
check_status "--version: exit 0" 0 "" "$HW" --version
check_grep "--version prints the version" "^heapwalk [0-9]+\\.[0-9]+\\.[0-9]+$" "$T/out"
