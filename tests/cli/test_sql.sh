# `heapwalk sql` and `heapwalk path --from/--to`: answers against an
# independent reading of the raw dumps (tests/cli/check_sql.py), then the
# output formats, escaping, errors and usage.
. tests/cli/lib.sh

for name in edge-py310 small-py27 small-py310; do
    python3 tests/cli/check_sql.py "$HW" "$DATA/$name.json.gz" > "$T/check_sql.out" 2>&1
    cat "$T/check_sql.out"
    grep -q "^# $name: " "$T/check_sql.out" || not_ok "sql $name: check_sql.py ran to the end" "$(tail -5 "$T/check_sql.out")"
done
# Compare mode: the column new, against the two dumps read here.
python3 tests/cli/check_sql.py "$HW" "$DATA/leak-after-py310.json.gz" "$DATA/leak-before-py310.json.gz" > "$T/check_sql.out" 2>&1
cat "$T/check_sql.out"
grep -q "^# leak-after-py310: " "$T/check_sql.out" ||
    not_ok "sql leak-after-py310: check_sql.py ran to the end" "$(tail -5 "$T/check_sql.out")"

D=$DATA/edge-py310.json.gz
S=94211299915280   # a str of that dump holding every byte from 0 to 255

# Output: the table (header, aligned columns), CSV, JSON; dump text escaped.
"$HW" sql -q "select type, count(*) as n from obj where type in ('str', 'dict') group by type order by type" $D > "$T/t.txt"
printf 'type     n\ndict  %4s\nstr   %4s\n' \
    "$("$HW" sql -q --csv "select count(*) from obj where type = 'dict'" $D | tail -1)" \
    "$("$HW" sql -q --csv "select count(*) from obj where type = 'str'" $D | tail -1)" > "$T/t.want"
diff -u "$T/t.want" "$T/t.txt" > "$T/t.diff" && ok "sql: an aligned table, numbers right-aligned" ||
    not_ok "sql: an aligned table, numbers right-aligned" "$(cat "$T/t.diff")"
for fmt in "" --csv --json; do
    "$HW" sql -q $fmt "select value, repr from obj where address = $S" $D > "$T/esc.txt"
    if LC_ALL=C grep -q "$(printf '[\001-\011\013-\037\177]')" "$T/esc.txt" || [ "$(wc -l < "$T/esc.txt")" -gt 2 ]; then
        not_ok "sql ${fmt:-table}: control bytes of dump strings are escaped" "$(od -c "$T/esc.txt" | head -3)"
    else
        ok "sql ${fmt:-table}: control bytes of dump strings are escaped"
    fi
done
check_grep "sql --json: NUL and ESC as \\u escapes" '^\{"value": "\\u0000\\u0001.*\\u001b' "$T/esc.txt"
"$HW" sql -q --json "select value from obj where address = $S" $D | python3 -c '
import json, sys
v = json.loads(sys.stdin.read())["value"]
sys.exit(0 if v.startswith("".join(map(chr, range(32)))) else 1)' &&
    ok "sql --json: a JSON reader gets the dump's bytes back" || not_ok "sql --json: a JSON reader gets the dump's bytes back"
"$HW" sql -q --csv "select 'a,b' as x, 'say \"hi\"' as y" $D > "$T/c.txt"
printf 'x,y\n"a,b","say ""hi"""\n' | cmp -s - "$T/c.txt" && ok "sql --csv: quoting" || not_ok "sql --csv: quoting" "$(cat "$T/c.txt")"

# A condition alone is a query over obj; select * is memsee's eight columns.
"$HW" sql -q --csv "type = 'module' and name = 'sys'" $D > "$T/w.txt"
check_grep "sql: a condition alone selects memsee's columns of obj" \
    '^address,type,name,value,size,len,mark,repr$' "$T/w.txt"
[ "$(wc -l < "$T/w.txt")" = 2 ] && ok "sql: a condition alone: one module sys" || not_ok "sql: a condition alone: one module sys" "$(cat "$T/w.txt")"

# Errors: SQLite's message, the query, a hint; exit 1.
check_status "sql: an unknown column exits 1 with the query and a hint" 1 \
    "no such column: bogus" "$HW" sql -q "select bogus from obj" $D
check_grep "sql: the error shows the query" '^  query: select bogus from obj$' "$T/err"
check_grep "sql: the error gives a hint" '^  hint: obj has address' "$T/err"
check_status "sql: a syntax error exits 1" 1 "syntax error" "$HW" sql -q "select from where" $D
check_status "sql: two statements exit 1" 1 "one statement at a time" "$HW" sql -q "select 1; select 2" $D
check_status "sql: the tables are read-only" 1 "may not be modified|read-only|cannot modify" "$HW" sql -q "delete from obj" $D
check_status "sql: no database can be attached" 1 "not authorized" "$HW" sql -q "attach '$T/x.db' as x" $D
[ ! -e "$T/x.db" ] && ok "sql: attach wrote no file" || not_ok "sql: attach wrote no file"
check_status "sql: vacuum into is refused" 1 "authorization denied" "$HW" sql -q "vacuum into '$T/v.db'" $D
check_grep "sql: a refused statement gets the read-only hint" '^  hint: queries only read the dump' "$T/err"
[ ! -e "$T/v.db" ] && ok "sql: vacuum into wrote no file" || not_ok "sql: vacuum into wrote no file"
check_status "sql: a pragma is not set" 1 "not authorized" "$HW" sql -q "pragma writable_schema = 1" $D
check_status "sql: no table is created" 1 "not authorized" "$HW" sql -q "create temp table t as select * from obj" $D
check_status "sql: a runtime error exits 1" 1 "integer overflow" \
    "$HW" sql -q "select abs(-9223372036854775807 - 1) from obj" $D
check_status "sql --help exits 0" 0 "" "$HW" sql --help
check_grep "sql --help prints the usage" "^usage: heapwalk sql " "$T/out"
check_status "sql: no dump exits 2" 2 "wants a query and a dump" "$HW" sql -q "select 1"
check_status "sql: a bad option exits 2" 2 "" "$HW" sql -q --bogus "select 1" $D
check_status "sql: a missing dump exits 1" 1 "" "$HW" sql -q "select 1" "$T/none.json"

# path between sets: usage and errors.
check_status "path --from without --to exits 2" 2 "--from QUERY --to QUERY" "$HW" path -q --from "type = 'module'" $D
check_status "path --from with an address exits 2" 2 "--from QUERY --to QUERY" \
    "$HW" path -q --from "type = 'module'" --to "type = 'str'" 1 $D
check_status "path --from: a bad query exits 1" 1 "no such column: bogus" \
    "$HW" path -q --from "bogus = 1" --to "type = 'str'" $D
"$HW" path -q --from "type = 'module' and name = 'sys'" --to "type = 'module' and name = 'sys'" $D > "$T/p0.txt"
check_grep "path --from --to: an object in both sets is a path of 0 hops" '^0 hops' "$T/p0.txt"

# --export: the set's lines are heapwalk export's lines for those objects
"$HW" sql -q --export "type = 'module'" $D > "$T/se.jsonl"
"$HW" export -q $D | grep '"type": "module"' | sed 's/, "distance": [^,}]*//; s/, "pred": [0-9]*//' > "$T/e.jsonl"
n=$(wc -l < "$T/se.jsonl")
if [ "$n" -gt 10 ] && [ "$n" = "$("$HW" sql -q --csv "select count(*) from obj where type = 'module'" $D | tail -1)" ] &&
   diff -q <(sort "$T/se.jsonl") <(sort "$T/e.jsonl") > /dev/null; then
    ok "sql --export: the set's objects as heapwalk export writes them"
else
    not_ok "sql --export: the set's objects as heapwalk export writes them" "$(diff <(sort "$T/se.jsonl") <(sort "$T/e.jsonl") | head -4)"
fi
# --dot: --limit members highlighted, every edge a real ref of the dump
"$HW" sql -q --dot --limit 5 "type = 'module'" $D > "$T/s.dot"
members=$(grep -c 'style="filled,bold"' "$T/s.dot")
check_grep "sql --dot: the rest of the set as one node" "^  more \[label=\"$((n - 5)) more objects\"" "$T/s.dot"
bad=0
while read -r p c; do
    pa=$(sed -n "s/^  $p \[label=\"[^\\\\]*\\\\n0x\([0-9a-f]*\)\\\\n.*/\1/p" "$T/s.dot")
    ca=$(sed -n "s/^  $c \[label=\"[^\\\\]*\\\\n0x\([0-9a-f]*\)\\\\n.*/\1/p" "$T/s.dot")
    [ "$("$HW" sql -q --csv "select count(*) from ref where parent = 0x$pa and child = 0x$ca" $D | tail -1)" -ge 1 ] || bad=$((bad + 1))
done < <(sed -n 's/^  \(o[0-9]*\) -> \(o[0-9]*\) .*/\1 \2/p' "$T/s.dot" | head -8)
[ "$members" = 5 ] && [ $bad = 0 ] && ok "sql --dot: 5 members, edges are refs of the dump" ||
    not_ok "sql --dot: 5 members, edges are refs of the dump" "members $members, bad edges $bad"
