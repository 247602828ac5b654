# The explorer from the outside: without a terminal it says so and stops at
# once (never spins); usage errors; and, for every dump in tests/data, the
# summary screen shows exactly the rows `heapwalk summary` prints.
. tests/cli/lib.sh
: "${VTDRIVE:?}"

DUMP=$DATA/small-py310.json.gz
NOTERM='the explorer needs a terminal; for scripts use: heapwalk summary\|show'

# `timeout` turns a spinning explorer into a failure instead of a hang.
check_status "explorer with stdin not a terminal" 1 "$NOTERM" timeout 10 "$HW" "$DUMP" < /dev/null
check_status "explorer with stdout not a terminal" 1 "$NOTERM" sh -c "timeout 10 '$HW' '$DUMP' > '$T/stdout'"
check_status "explorer with neither a terminal" 1 "$NOTERM" sh -c "echo q | timeout 10 '$HW' '$DUMP' > '$T/stdout'"
check_status "explorer: --color wants never or auto" 2 "--color wants never or auto, not 'blue'" \
    "$HW" --color=blue "$DUMP"
check_status "explorer: one dump" 2 "which dump" "$HW" --raw
check_status "explorer: three dumps are taken (a trend, compare mode for the last two)" 1 "needs a terminal" \
    "$HW" "$DUMP" "$DUMP" "$DUMP"
check_status "explorer: an unknown option" 2 "^heapwalk: unknown option '--frobnicate'$" "$HW" --frobnicate "$DUMP"
check_grep "explorer: an unknown option points to --help" "^Try 'heapwalk --help'\.$" "$T/err"
check_status "explorer: --force is taken (its own refusal names it)" 1 "needs a terminal" "$HW" --force "$DUMP"
check_grep "explorer --help names --color" "--color=WHEN" <("$HW" --raw --help)

# The summary screen against the batch command, row by row: a script of
# expect-row lines made from `heapwalk summary`, run in an ASCII terminal
# (the sorted column's header then reads "*Size").
vt_escape() { sed 's/\\/\\\\/g; s/"/\\"/g'; }
for dump in $DATA/*.json.gz; do
    name=$(basename "$dump" .json.gz)
    "$HW" summary -q "$dump" > "$T/summary.txt"
    {
        echo "wait $(head -n1 "$T/summary.txt" | vt_escape)"
        row=1
        while IFS= read -r line; do
            [ $row -eq 2 ] && line=${line/      Size/     *Size}
            printf 'expect-row %d "%s"\n' $row "$(printf '%s' "$line" | vt_escape)"
            row=$((row + 1))
        done < "$T/summary.txt"
        echo "key q"
        echo "exit 0"
    } > "$T/summary.vt"
    if out=$("$VTDRIVE" -s 100x24 -t vt100 -e LANG=C -e LC_ALL=C -T 20000 "$T/summary.vt" -- "$HW" "$dump" 2>&1); then
        ok "explorer summary screen $name = heapwalk summary"
    else
        not_ok "explorer summary screen $name = heapwalk summary" "$(printf '%s\n' "$out" | head -30)"
    fi
done
