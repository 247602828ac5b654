#!/usr/bin/env bash
# The explorer while it computes: on a ladder (two chains crossing at every
# rung, so paths abound) the path screen searches for more paths as ] is
# pressed; SIGTERM and a second ^C end heapwalk at once, the terminal given
# back (the alternate screen left).
. "$(dirname "$0")/lib.sh"
: "${VTDRIVE:?}"
if [ "${HW_SANITIZED:-0}" = 1 ]; then L=20000; else L=200000; fi
gen_ladder "$L" "$T/ladder.json"
last=$((10 + 2 * (L - 1)))

busy_script() { # SIGNALS...: open the last rung's paths, ask for more, then the signals
    printf 'wait Total\nkey g\ntype %s\nkey Enter\nwait Object list\nwait distance\nkey y\nwait path 1 of\n' "$last"
    printf 'type "]]]]]]]"\n'
    for s in "$@"; do printf 'signal %s\n' "$s"; done
}

busy_script TERM > "$T/term.vt"
printf 'exit TERM\nexpect-not path 1 of\nexpect-not Why is list\n' >> "$T/term.vt"
if out=$("$VTDRIVE" -s 100x30 -e LANG=C.UTF-8 -e LC_ALL=C.UTF-8 -T 60000 "$T/term.vt" -- "$HW" "$T/ladder.json" 2>&1); then
    ok "busy path screen: SIGTERM ends heapwalk by that signal, the screen given back"
else
    not_ok "busy path screen: SIGTERM ends heapwalk by that signal, the screen given back" "$out"
fi

# Two ^C in a row: the second exits at once (status 130) unless the loop had
# already answered the first (then heapwalk ends by SIGINT): either way it
# ends, and the screen is given back.
busy_script INT INT > "$T/int.vt"
printf 'exit INT\nexpect-not path 1 of\n' >> "$T/int.vt"
sed 's/^exit INT$/exit 130/' "$T/int.vt" > "$T/int130.vt"
if out=$("$VTDRIVE" -s 100x30 -e LANG=C.UTF-8 -e LC_ALL=C.UTF-8 -T 60000 "$T/int130.vt" -- "$HW" "$T/ladder.json" 2>&1) ||
   { case $out in *"killed by signal 2"*) out2=$(printf '%s\n' "$out" | grep -c '| *[^ ]'); [ "$out2" -eq 0 ] ;; *) false ;; esac; }; then
    ok "busy path screen: two ^C end heapwalk at once, the screen given back"
else
    not_ok "busy path screen: two ^C end heapwalk at once, the screen given back" "$out"
fi
rm -f "$T/ladder.json"

# A huge value on the object screen: only what the rows show is quoted and
# wrapped, so keys are answered at once (it was quoted and wrapped whole at
# every key: minutes for 64 MB).
if [ "${HW_SANITIZED:-0}" = 1 ]; then MB=4; else MB=32; fi
awk -v mb=$MB 'BEGIN { printf "{\"address\": 1, \"type\": \"module\", \"size\": 56, \"name\": \"m\", \"refs\": [2]}\n";
    printf "{\"address\": 2, \"type\": \"str\", \"size\": %d, \"len\": %d, \"value\": \"", mb * 1048576 + 49, mb * 1048576;
    for (i = 0; i < mb * 16384; i++) printf "%s", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    printf "\"}\n" }' > "$T/big.json"
printf 'wait Total 2 objects\nkey g\ntype 2\nkey Enter\nwait value: '"'"'AAAA\nkey j 30\nkey k 30\nkey q\nexit 0\n' > "$T/big.vt"
if out=$("$VTDRIVE" -s 80x24 -T 15000 "$T/big.vt" -- "$HW" --no-cache "$T/big.json" 2>&1); then
    ok "a $MB MB value on the object screen: 60 keys answered, q quits"
else
    not_ok "a $MB MB value on the object screen: 60 keys answered, q quits" "$out"
fi
rm -f "$T/big.json"

# Sorting a type's instances (more than 100000 of them) runs as a job: the
# title says "(sorting...)", the status line "sorting... (Esc stops)"; Esc
# keeps the order shown, and q, ^C (typed), SIGTERM and SIGHUP end heapwalk
# at once although the job would go on for a minute (HEAPWALK_JOB_DELAY_MS
# makes every job and search wait that long first, so that the test sees it
# running on a small dump).
N=110000
gen_wide "$N" "$T/wide.json"
sort_script() { # then the keys that end it
    printf 'wait Total\nkey Enter\nwait Instances of tuple\nwait (sorting...)\nwait sorting... (Esc stops)\n'
}
sort_script > "$T/sortq.vt"
printf 'key q\nexit 0\nexpect-not Instances of\n' >> "$T/sortq.vt"
sort_script > "$T/sortesc.vt"
printf 'key Esc\nwait in dump order (o sorts)\nkey s\nwait by size (sorting...)\nsignal TERM\nexit TERM\nexpect-not Instances of\n' >> "$T/sortesc.vt"
# ^C typed (the terminal sends SIGINT) and SIGHUP during a sort.
sort_script > "$T/sortctrlc.vt"
printf 'type \\x03\nexit INT\nexpect-not Instances of\n' >> "$T/sortctrlc.vt"
sort_script > "$T/sorthup.vt"
printf 'signal HUP\nexit HUP\nexpect-not Instances of\n' >> "$T/sorthup.vt"

# A search of a long list goes a slice at a time between keys ("searching...
# (Esc stops)"; the hook makes it wait first, then go 1000 rows a slice).
# The str instances in dump order: row 0 is the shared str, row i + 1 the
# str of tuple i, whose value is v(i * 7919 mod N).
search_script() { # NEEDLE: the str instances in dump order, then /NEEDLE
    printf 'wait Total\nkey j\nkey Enter\nwait Instances of str\nwait (sorting...)\nkey Esc\nwait in dump order (o sorts)\n'
    printf 'key /\ntype %s\nkey Enter\nwait searching... (Esc stops)\n' "$1"
}
i=$((N - 10)); want=$(awk -v n="$N" -v i="$i" 'BEGIN { printf "v%07d", (i * 7919) % n }')
search_script "$want" > "$T/searchfound.vt"
printf 'wait /%s\nexpect instances %d/%d\nexpect-not searching...\nkey N\nwait search went round the end\nexpect instances %d/%d\nkey Esc\nkey q\nexit 0\n' \
    "$want" $((i + 2)) $((N + 1)) $((i + 2)) $((N + 1)) >> "$T/searchfound.vt"
search_script zzzq > "$T/searchesc.vt"
printf 'key Esc\nwait search stopped: the cursor stays\nexpect instances 1/%d\nexpect-not searching...\nkey q\nexit 0\nexpect-not Instances of\n' $((N + 1)) >> "$T/searchesc.vt"
search_script zzzq > "$T/searchq.vt"
printf 'key q\nexit 0\nexpect-not Instances of\n' >> "$T/searchq.vt"
search_script zzzq > "$T/searchctrlc.vt"
printf 'type \\x03\nexit INT\nexpect-not Instances of\n' >> "$T/searchctrlc.vt"
search_script zzzq > "$T/searchhup.vt"
printf 'signal HUP\nexit HUP\nexpect-not Instances of\n' >> "$T/searchhup.vt"
search_script zzzq > "$T/searchterm.vt"
printf 'signal TERM\nexit TERM\nexpect-not Instances of\n' >> "$T/searchterm.vt"

for s in sortq sortesc sortctrlc sorthup searchfound searchesc searchq searchctrlc searchhup searchterm; do
    delay=60000 what="the status says what runs, and heapwalk ends long before the work would, the screen given back"
    if [ $s = searchfound ]; then
        delay=3000 what="a search a slice at a time selects the row of the one match, and N goes round the end to it"
    fi
    start=$(date +%s%N)
    if out=$("$VTDRIVE" -s 160x30 -e LANG=C.UTF-8 -e LC_ALL=C.UTF-8 -e HEAPWALK_JOB_DELAY_MS=$delay -T 20000 \
        "$T/$s.vt" -- "$HW" --no-cache "$T/wide.json" 2>&1); then
        ok "busy ($s): $what ($(( ($(date +%s%N) - start) / 1000000 )) ms in all)"
    else
        not_ok "busy ($s): $what" "$out"
    fi
done
# A set screen's query and a long sort share the one job slot: s while the
# query runs waits for its end (the title says so), then the 110000 rows are
# sorted as a job of their own, and the rows come sorted.
printf '%s\n' 'wait Total' 'type :' "type \"type = 'tuple'\"" 'key Enter' 'wait running the query... (Esc stops)' \
    'key s' 'wait by size (once the query ends)' 'wait by size (sorting...)' \
    'wait-gone (sorting...)' "expect Set type = 'tuple': 110000," 'expect-row-re 2 ^ +[0-9]+ +[0-9]+ +8048 ' \
    'key q' 'exit 0' > "$T/setsort.vt"
if out=$("$VTDRIVE" -s 160x30 -e LANG=C.UTF-8 -e LC_ALL=C.UTF-8 -e HEAPWALK_JOB_DELAY_MS=2500 -T 20000 \
    "$T/setsort.vt" -- "$HW" --no-cache "$T/wide.json" 2>&1); then
    ok "busy set screen: a sort asked while the query runs waits for it, then sorts 110000 rows as a job"
else
    not_ok "busy set screen: a sort asked while the query runs waits for it, then sorts 110000 rows as a job" "$out"
fi

# Compare mode's gone screen lists the gone objects as a job too.
gen_wide 100 "$T/narrow.json"
gone_script() {
    printf 'wait Total\nkey -\nwait Listing the gone objects\nwait listing gone objects... (Esc stops)\n'
}
gone_script > "$T/goneesc.vt"
printf 'key Esc\nwait Esc stopped the listing\nkey q\nexit 0\nexpect-not Gone objects\n' >> "$T/goneesc.vt"
gone_script > "$T/gonehup.vt"
printf 'signal HUP\nexit HUP\nexpect-not Gone objects\n' >> "$T/gonehup.vt"
for s in goneesc gonehup; do
    if out=$("$VTDRIVE" -s 160x30 -e LANG=C.UTF-8 -e LC_ALL=C.UTF-8 -e HEAPWALK_JOB_DELAY_MS=60000 -T 20000 \
        "$T/$s.vt" -- "$HW" --no-cache "$T/wide.json" "$T/narrow.json" 2>&1); then
        ok "busy ($s): the gone screen says it is listing, Esc or SIGHUP stop it at once, the screen given back"
    else
        not_ok "busy ($s): the gone screen says it is listing, Esc or SIGHUP stop it at once, the screen given back" "$out"
    fi
done
printf 'wait Total\nkey -\nwait Gone objects\nwait tuple(\nexpect-not Listing the gone\nexpect Gone objects (in the old dump, not the new): 219800,\nkey q\nexit 0\n' > "$T/gonelist.vt"
if out=$("$VTDRIVE" -s 160x30 -e LANG=C.UTF-8 -e LC_ALL=C.UTF-8 -T 20000 \
    "$T/gonelist.vt" -- "$HW" --no-cache "$T/wide.json" "$T/narrow.json" 2>&1); then
    ok "the gone screen lists the 219800 gone objects once its job ends"
else
    not_ok "the gone screen lists the 219800 gone objects once its job ends" "$out"
fi
rm -f "$T/wide.json" "$T/narrow.json"
