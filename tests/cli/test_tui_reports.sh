# The explorer's report screens against their batch twins: the Suspects
# screen (S) shows what `heapwalk suspects` prints, figure for figure, on
# every dump in tests/data and in compare mode (`heapwalk OLD NEW` against
# `heapwalk suspects NEW OLD`).  Each script is made here from the batch
# command's output, so the figures come from it, not from this file.
. tests/cli/lib.sh
: "${VTDRIVE:?}"

vt_escape() { sed 's/\\/\\\\/g; s/"/\\"/g'; }
PAD='                  ' # the screen indents a suspect's details under its name

# suspects_script BATCH_TEXT: the vtdrive script checking the Suspects screen,
# row by row (row 0 the title, 1 the header, then the rows), from the batch
# text: each suspect's row (retained, share, name), its accumulation point,
# path, what it holds, and the table by type.
suspects_script() {
    local row=2 first=1 line name retained pct acc
    echo "wait Total"
    echo "key S"
    echo "wait Leak suspects: $(grep -c '^Suspect ' "$1");"
    while IFS= read -r line; do
        case $line in
        "Suspect "*)
            [ $first -eq 1 ] || row=$((row + 1)) # the blank row between suspects
            first=0
            retained=$(printf '%s\n' "$line" | sed -E 's/.* retains? ([0-9]+) bytes \(([0-9]+)% of the heap\)$/\1/')
            pct=$(printf '%s\n' "$line" | sed -E 's/.* retains? ([0-9]+) bytes \(([0-9]+)% of the heap\)$/\2/')
            name=$(printf '%s\n' "$line" | sed -E 's/^Suspect [0-9]+: //; s/ retains? [0-9]+ bytes \([0-9]+% of the heap\)$//')
            printf 'expect-row %d "%s"\n' $row \
                "$(printf '%10s %3s%%  %s: %s' "$retained" "$pct" "${line%%:*}" "$name" | vt_escape)"
            row=$((row + 1))
            case $name in
            *" objects with no holder but the roots")
                printf 'expect-row %d "%saccumulation point: the roots"\n' $row "$PAD"; row=$((row + 1)) ;;
            *" objects held by "*)
                acc=${name#* objects held by }
                printf 'expect-row %d "%s"\n' $row "$(printf '%saccumulation point: %s retains ' "$PAD" "$acc" | vt_escape)"
                row=$((row + 1)) ;;
            esac ;;
        "  accumulation point: "*|"  path: "*|"  holds "*)
            printf 'expect-row %d "%s"\n' $row "$(printf '%s%s' "$PAD" "${line#  }" | vt_escape)"
            row=$((row + 1)) ;;
        "    Objects "*) ;;
        "  "*)
            printf 'expect-row %d "%s"\n' $row "$(printf '%s%s' "$PAD" "${line#  }" | vt_escape)"
            row=$((row + 1)) ;;
        esac
    done < "$1"
    echo "key q"
    echo "exit 0"
}

# check_suspects NAME EXPLORER_ARGS -- BATCH_ARGS
check_suspects() {
    local name=$1; shift
    local args=() batch=()
    while [ "$1" != -- ]; do args+=("$1"); shift; done
    shift
    batch=("$@")
    if ! "$HW" suspects -q "${batch[@]}" > "$T/suspects.txt" 2> "$T/err"; then
        not_ok "$name" "heapwalk suspects failed: $(head -3 "$T/err")"
        return
    fi
    suspects_script "$T/suspects.txt" > "$T/suspects.vt"
    if out=$("$VTDRIVE" -s 200x60 -t vt100 -e LANG=C -e LC_ALL=C -T 30000 "$T/suspects.vt" -- "$HW" "${args[@]}" 2>&1)
    then
        ok "$name"
    else
        not_ok "$name" "$(printf '%s\n' "$out" | head -40)"
    fi
}

for dump in $DATA/*.json.gz; do
    n=$(basename "$dump" .json.gz)
    check_suspects "explorer suspects screen $n = heapwalk suspects" "$dump" -- "$dump"
done
check_suspects "explorer suspects screen in compare mode = heapwalk suspects NEW OLD" \
    "$DATA/leak-before-py310.json.gz" "$DATA/leak-after-py310.json.gz" -- \
    "$DATA/leak-after-py310.json.gz" "$DATA/leak-before-py310.json.gz"

# The Waste screen (U) shows `heapwalk waste`'s report after its first two
# lines, row for row; Enter on the first duplicated value lists as many
# copies as the report counts, on the dict row its empty and over-allocated
# dicts (at least as many as either count, at most both: a dict can be both),
# on the first class its instances.
waste_script() { # BATCH_TEXT
    local row=1 line dup_row dup_copies dict_row class_row class_n
    echo "wait Total"
    echo "key U"
    echo "wait Duplicate values:"
    while IFS= read -r line; do
        if [ -z "$line" ]; then
            printf 'expect-row-re %d ^$\n' $row
        else
            printf 'expect-row %d "%s"\n' $row "$(printf '%s' "$line" | vt_escape)"
        fi
        row=$((row + 1))
    done < <(tail -n +3 "$1")
    # Enter on the first value: its copies. The cursor starts there (the
    # first row Enter opens); the moves below count from the top.
    dup_row=$(tail -n +3 "$1" | grep -n '^  Copies     Saving Kind' | cut -d: -f1)
    [ -n "$dup_row" ] && printf 'wait "waste %d/"\n' $((dup_row + 1))
    echo "key Home"
    # Down steps over titles, headers and blank lines: from the top (row 0),
    # the presses to row R are the rows of figures among rows 1..R.
    downs() { tail -n +3 "$1" | sed -n "2,$(($2 + 1))p" | grep -c '^ *[0-9]'; }
    if [ -n "$dup_row" ]; then
        dup_copies=$(tail -n +3 "$1" | sed -n "$((dup_row + 1))p" | awk '{print $1}')
        printf 'key Down %d\nwait "waste %d/"\nkey Enter\nwait "Copies of "\nexpect-row 0 ": %s, "\nkey Backspace\nkey Home\n' \
            "$(downs "$1" "$dup_row")" $((dup_row + 1)) "$dup_copies"
    fi
    dict_row=$(tail -n +3 "$1" | grep -n ' dict$' | head -n1 | cut -d: -f1)
    if [ -n "$dict_row" ]; then
        printf 'key Down %d\nwait "waste %d/"\nkey Enter\nwait "Empty or over-allocated dict: "\nscreen %s\nkey Backspace\nkey Home\n' \
            "$(downs "$1" $((dict_row - 1)))" "$dict_row" "$T/dicts.txt"
    fi
    class_row=$(tail -n +3 "$1" | grep -n '^ Instances  DictBytes' | cut -d: -f1)
    class_n=$(tail -n +3 "$1" | sed -n "$((class_row + 1))p" | awk '{print $1}')
    if [ -n "$class_n" ]; then
        printf 'key Down %d\nwait "waste %d/"\nkey Enter\nwait "with a __dict__: %s, "\nkey Backspace\n' \
            "$(downs "$1" "$class_row")" $((class_row + 1)) "$class_n"
    fi
    echo "key q"
    echo "exit 0"
}

check_waste() { # NAME DUMP [EXPLORER OPTIONS]
    local name=$1 dump=$2; shift 2
    if ! "$HW" waste -q "$dump" > "$T/waste.txt" 2> "$T/err"; then
        not_ok "$name" "heapwalk waste failed: $(head -3 "$T/err")"
        return
    fi
    waste_script "$T/waste.txt" > "$T/waste.vt"
    if out=$("$VTDRIVE" -s 200x120 -t vt100 -e LANG=C -e LC_ALL=C -T 30000 "$T/waste.vt" -- "$HW" "$@" "$dump" 2>&1)
    then
        ok "$name"
    else
        not_ok "$name" "$(printf '%s\n' "$out" | head -40)"
        return
    fi
    # The dicts Enter listed: between the larger of Empty and Over and their sum.
    local listed empty over
    listed=$(sed -n '1s/.*Empty or over-allocated dict: \([0-9]*\), .*/\1/p' "$T/dicts.txt")
    read -r empty over < <(awk '$NF == "dict" && NF == 8 {print $3, $5}' "$T/waste.txt")
    if [ -n "$listed" ] && [ "$listed" -ge "$empty" ] && [ "$listed" -ge "$over" ] &&
        [ "$listed" -le $((empty + over)) ]; then
        ok "$name: Enter on dict lists its $listed empty or over-allocated dicts"
    else
        not_ok "$name: Enter on dict lists its empty or over-allocated dicts" \
            "listed '$listed', empty $empty, over $over" "$(head -3 "$T/dicts.txt")"
    fi
}

for dump in $DATA/*.json.gz; do
    n=$(basename "$dump" .json.gz)
    check_waste "explorer waste screen $n = heapwalk waste" "$dump"
done
check_waste "explorer --raw: waste screen = heapwalk waste" "$DATA/small-py310.json.gz" --raw

# heapwalk D1 D2 ... OLD NEW: the types screen's Trend column draws, for every
# type, the sparkline `heapwalk trend --top 0` draws for it (ASCII under
# LANG=C), and the screen's compare columns are those of OLD -> NEW.
check_trend() { # NAME DUMP...
    local name=$1; shift
    if ! LC_ALL=C "$HW" trend -q --top 0 "$@" > "$T/trend.txt" 2> "$T/err"; then
        not_ok "$name" "heapwalk trend failed: $(head -3 "$T/err")"
        return
    fi
    printf 'wait Total\nwait " New Trend "\nscreen %s\nkey q\nexit 0\n' "$T/trend_screen.txt" > "$T/trend.vt"
    if ! out=$("$VTDRIVE" -s 250x400 -t vt100 -e LANG=C -e LC_ALL=C -T 30000 "$T/trend.vt" -- "$HW" "$@" 2>&1); then
        not_ok "$name" "$(printf '%s\n' "$out" | head -20)"
        return
    fi
    # trend rows: "score count +/-count size +/-size SPARK KIND"; screen rows: "... SPARK ... KIND"
    # (no other cell is as many characters of the sparkline's alone); all the types must match.
    local report
    report=$(awk -v n=$# '
        FNR == NR { if ($0 ~ /^ +-?[0-9]+ +[0-9]+ +[-+][0-9]+ +[0-9]+ +[-+][0-9]+ [^ ]+ [^ ]+$/) spark[$NF] = $(NF - 1); next }
        FNR > 3 && NF > 2 {
            kind = $NF; got = ""
            for (i = 1; i < NF; i++) if (length($i) == n && $i ~ /^[_.,=+*#-]+$/) got = $i
            if (got == "") { } # the status line
            else if (!(kind in spark)) { print "no trend row for " kind; bad++ }
            else if (got != spark[kind]) { print kind ": screen " got ", trend " spark[kind]; bad++ }
            else rows++
        }
        END { printf "%d rows match, %d do not\n", rows, bad }' "$T/trend.txt" "$T/trend_screen.txt")
    types=$(sed -n '2s/.*objects, \([0-9]*\) types,.*/\1/p' "$T/trend_screen.txt")
    if printf '%s\n' "$report" | tail -n1 | grep -qx "$types rows match, 0 do not"; then
        ok "$name ($types types)"
    else
        not_ok "$name" "$types types on the screen" "$(printf '%s\n' "$report" | tail -8)"
    fi
}

check_trend "explorer D1 D2 D3: every type's Trend = heapwalk trend" \
    "$DATA/leak-after-py310.json.gz" "$DATA/leak-before-py310.json.gz" "$DATA/leak-after-py310.json.gz"
check_trend "explorer D1 ... D4: every type's Trend = heapwalk trend" "$DATA/leak-before-py310.json.gz" \
    "$DATA/small-py310.json.gz" "$DATA/leak-before-py310.json.gz" "$DATA/leak-after-py310.json.gz"

# The waste screen's second load runs in the background and Esc stops it: a
# dump of 3.2M lines (leak-after eight times over: a multi-member gzip file,
# the repeats ignored) whose collapsed store the index cache already holds,
# so the explorer opens at once while the raw reload, on one parser thread,
# takes seconds; the keys work meanwhile.
big=$T/big.json.gz
for i in 1 2 3 4 5 6 7 8; do cat "$DATA/leak-after-py310.json.gz"; done > "$big"
"$HW" summary -q "$big" > /dev/null # fills the index cache (collapsed)
cat > "$T/cancel.vt" <<'VT'
wait Total 403733 objects
key U
wait reading the dump again with its instance dicts... (Esc stops)
key ?
wait Help: Backspace goes back
key Backspace
wait (Esc stops)
key Esc
wait stopped: Enter starts again
expect-not (Esc stops)
key q
exit 0
VT
if out=$("$VTDRIVE" -s 100x24 -t vt100 -e LANG=C -e LC_ALL=C -T 30000 "$T/cancel.vt" -- "$HW" --threads 1 "$big" 2>&1)
then
    ok "explorer waste screen: Esc stops the second load"
else
    not_ok "explorer waste screen: Esc stops the second load" "$(printf '%s\n' "$out" | head -30)"
fi
# A dump that is not a regular file cannot be read twice: the screen says so.
mkfifo "$T/pipe.json"
(zcat "$DATA/edge-py310.json.gz" > "$T/pipe.json" &)
printf 'wait Total 14936 objects\nkey U\nwait not a regular file\nkey q\nexit 0\n' > "$T/pipe.vt"
if out=$("$VTDRIVE" -s 200x24 -t vt100 -e LANG=C -e LC_ALL=C -T 30000 "$T/pipe.vt" -- "$HW" "$T/pipe.json" 2>&1)
then
    ok "explorer waste screen on a named pipe: says to use --raw"
else
    not_ok "explorer waste screen on a named pipe: says to use --raw" "$(printf '%s\n' "$out" | head -30)"
fi
rm -f "$big" "$T/pipe.json"
