#!/usr/bin/env bash
# Sets in the explorer against `heapwalk sql` on the same query: the set
# screen's count and bytes (:), its types (%), its holders (^), what freeing
# it frees (=) and what E writes (--export, --dot), on each reference dump;
# and the children pane of an object as a set (% = ADDR&).
. "$(dirname "$0")/lib.sh"
: "${VTDRIVE:?}"

# sql_num TEXT_LINE_REGEX: the first line of $T/sql matching, its numbers.
run_vt() { # NAME SCRIPT DUMP
    if out=$("$VTDRIVE" -s 220x30 -e LANG=C.UTF-8 -e LC_ALL=C.UTF-8 -T 20000 "$2" -- "$HW" "$3" 2>&1); then
        ok "$1"
    else
        not_ok "$1" "$(printf '%s\n' "$out" | head -40)"
    fi
}

# A query on a dump: the explorer's numbers are heapwalk sql's.
check_query() { # DUMP QUERY
    local dump=$1 q=$2 name
    name="$(basename "$dump" .json.gz): $q"
    "$HW" sql -q --by-type "$q" "$dump" > "$T/bytype" || { not_ok "$name: heapwalk sql --by-type" "$(cat "$T/bytype")"; return; }
    "$HW" sql -q --holders --limit 0 "$q" "$dump" > "$T/holders" || { not_ok "$name: heapwalk sql --holders"; return; }
    "$HW" sql -q --retained "$q" "$dump" > "$T/retained" || { not_ok "$name: heapwalk sql --retained"; return; }
    "$HW" sql -q --export "$q" "$dump" > "$T/export.want" || { not_ok "$name: heapwalk sql --export"; return; }
    "$HW" sql -q --dot "$q" "$dump" > "$T/dot.want" || { not_ok "$name: heapwalk sql --dot"; return; }
    # "22 objects, 407488 bytes, 1 types"
    read -r n bytes ntypes < <(sed -n '1s/^\([0-9]*\) objects, \([0-9]*\) bytes, \([0-9]*\) types$/\1 \2 \3/p' "$T/bytype")
    # "22 objects: held from outside the set by 18 objects of 3 types; 0 held only from inside, 3 with no parent"
    holders=$(sed -n '1s/^[0-9]* objects: held from outside the set by \([0-9]*\) objects of \([0-9]*\) types; \([0-9]*\) held only from inside, \([0-9]*\) with no parent$/\1 holders of \2 types, \3 held only from inside, \4 with no parent/p' "$T/holders")
    # "... freeing them all frees 8127 objects, 928113 bytes"
    frees=$(sed -n '1s/.*freeing them all frees \([0-9]*\) objects, \([0-9]*\) bytes$/frees \1 objects, \2 bytes/p' "$T/retained")
    top=$(sed -n '3s/^ *[0-9]* *[0-9]*  //p' "$T/bytype")
    if [ -z "$n" ] || [ -z "$holders" ] || [ -z "$frees" ]; then
        not_ok "$name: heapwalk sql's numbers read" "$(head -3 "$T/bytype" "$T/holders" "$T/retained")"
        return
    fi
    rm -f "$T/export.got" "$T/dot.got.dot"
    {
        printf 'wait Total\ntype :\ntype %s\nkey Enter\n' "$q"
        printf 'wait "Set %s: %s, %s bytes, in query order"\n' "$q" "$n" "$bytes"
        printf 'expect "set 1/%s "\n' "$n"
        printf 'type %%\nwait "Types of %s objects, %s bytes, %s types: %s"\n' "$n" "$bytes" "$ntypes" "$q"
        [ -n "$top" ] && printf 'expect-row 2 "%s"\n' "$top"
        printf 'key Backspace\ntype ^\nwait "Holders of %s (%s objects) by holder: %s"\n' "$q" "$n" "$holders"
        printf 'key Backspace\nwait Enter:open %%:types\ntype =\nwait "%s"\n' "$frees"
        printf 'type E\ntype %s\nkey Enter\nwait "wrote %s: %s objects as JSON lines"\n' "$T/export.got" "$T/export.got" "$n"
        printf 'type E\ntype %s\nkey Enter\nwait "wrote %s: a graph"\n' "$T/dot.got.dot" "$T/dot.got.dot"
        printf 'key q\nexit 0\n'
    } > "$T/query.vt"
    run_vt "$name: the set, its types, holders and retained size as heapwalk sql counts them" "$T/query.vt" "$dump"
    if cmp -s "$T/export.want" "$T/export.got"; then ok "$name: E writes heapwalk sql --export's lines"
    else not_ok "$name: E writes heapwalk sql --export's lines" "$(diff "$T/export.want" "$T/export.got" 2>&1 | head -5)"; fi
    if cmp -s "$T/dot.want" "$T/dot.got.dot"; then ok "$name: E FILE.dot writes heapwalk sql --dot's graph"
    else not_ok "$name: E FILE.dot writes heapwalk sql --dot's graph" "$(diff "$T/dot.want" "$T/dot.got.dot" 2>&1 | head -5)"; fi
}

check_query "$DATA/small-py310.json.gz" "type = 'dict' and len > 100"
check_query "$DATA/small-py310.json.gz" "select address from obj where type = 'module' and name like 'enc%'"
check_query "$DATA/small-py27.json.gz" "type = 'str' and len > 50"
check_query "$DATA/small-py310.json.gz" "140062677902224&"

# The shorthand alone names those objects (it was a condition true of every object).
"$HW" sql -q --by-type "140062677757568&" "$DATA/small-py310.json.gz" > "$T/a"
"$HW" sql -q --by-type "address in (select child from ref where parent = 140062677757568)" "$DATA/small-py310.json.gz" > "$T/b"
if cmp -s "$T/a" "$T/b" && grep -q '^11 objects' "$T/a"; then ok "ADDR& alone: the objects ADDR refers to"
else not_ok "ADDR& alone: the objects ADDR refers to" "$(head -2 "$T/a" "$T/b")"; fi

# % on an object's children pane: the same set as ADDR&.
"$HW" sql -q --by-type "140062677757568&" "$DATA/small-py310.json.gz" > "$T/bytype"
read -r n bytes ntypes < <(sed -n '1s/^\([0-9]*\) objects, \([0-9]*\) bytes, \([0-9]*\) types$/\1 \2 \3/p' "$T/bytype")
printf 'wait Total\nkey g\ntype 140062677757568\nkey Enter\nwait Object list\ntype %%\nwait "Types of %s objects, %s bytes, %s types"\nkey q\nexit 0\n' \
    "$n" "$bytes" "$ntypes" > "$T/children.vt"
run_vt "% on an object's children: heapwalk sql's ADDR& by type" "$T/children.vt" "$DATA/small-py310.json.gz"
