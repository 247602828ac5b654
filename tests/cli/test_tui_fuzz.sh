#!/usr/bin/env bash
# A key fuzzer for the explorer: a long random sequence of keys (every
# action's keys, letters and digits for the prompts, Esc, resizes to sizes
# down to too small) on several dumps: a Python 2.7 one, a 3.10 one, a
# comparison of two, and the hostile dump of test_hostile.sh.  It must
# never crash (the ASan pass runs it too), never take longer than KEY_MS_MAX
# over one key (HEAPWALK_KEYTIMES logs each key), and end cleanly on q with
# the terminal given back.  It runs in a directory of its own: E writes the
# file its prompt names there.  The seed is printed; HW_FUZZ_SEED=N replays one.
. "$(dirname "$0")/lib.sh"
: "${VTDRIVE:?}"
seed=${HW_FUZZ_SEED:-$(date +%s)}
if [ "${HW_SANITIZED:-0}" = 1 ]; then KEYS=400; KEY_MS_MAX=3000; else KEYS=1200; KEY_MS_MAX=1000; fi
echo "# test_tui_fuzz: seed $seed (HW_FUZZ_SEED=$seed replays it), $KEYS keys a dump"
python3 tests/cli/hostile_dump.py "$T/hostile.json"

# fuzz_script SEED: the random keys, then Esc Esc q.  No q, ^C, ^Z or ^\ in
# the middle: they would end or stop the program.
fuzz_script() {
    awk -v seed="$1" -v n="$KEYS" 'BEGIN {
        srand(seed)
        k = split("k j Up Down C-p C-n PgUp PgDn C-b C-f Space Home End < > G Tab BackTab Enter Right l Backspace Left h f g d D - H s c x t a L r p v R o / n N m \x27 M + C : % ^ = E B * S U w W y ] [ X e u F T P O K ! ? F1 b C-l Esc Esc Enter Enter", keys, " ")
        split("80 24 100 30 40 8 39 7 60 15 200 50", sizes, " ")
        print "wait heapwalk"
        for (i = 0; i < n; i++) {
            r = rand()
            if (r < 0.02) { s = 1 + 2 * int(rand() * 6); print "resize " sizes[s] " " sizes[s + 1]; continue }
            if (r < 0.12) { c = substr("abcdefghijklmnoprstuvwxyz0123456789_.", 1 + int(rand() * 37), 1); print "key " c; continue }
            print "key " keys[1 + int(rand() * k)]
            if (rand() < 0.1) print "sleep-quiet"
        }
        print "sleep-quiet\nkey Esc\nsleep-quiet\nkey Esc\nsleep-quiet\nkey q\nexit 0\nexpect-not heapwalk ›"
    }'
}

hw=$(realpath "$HW") vt=$(realpath "$VTDRIVE") data=$(realpath "$DATA")
mkdir -p "$T/cwd"

# fuzz NAME ARGS...: drive heapwalk ARGS (absolute paths) with the keys of this seed.
fuzz() {
    local name=$1; shift
    fuzz_script "$seed" > "$T/fuzz.vt"
    rm -f "$T/keys.log"
    if ! out=$(cd "$T/cwd" && "$vt" -s 80x24 -e LANG=C.UTF-8 -e LC_ALL=C.UTF-8 -e HEAPWALK_KEYTIMES="$T/keys.log" -T 30000 \
        "$T/fuzz.vt" -- "$hw" --no-cache "$@" 2>&1); then
        not_ok "fuzz $name: $KEYS random keys, then q exits 0 with the terminal given back (seed $seed)" "$(printf '%s\n' "$out" | grep -v "^ *[0-9]*|" | head -20)"
        return
    fi
    ok "fuzz $name: $KEYS random keys, then q exits 0 with the terminal given back (seed $seed)"
    local slow
    slow=$(awk -v max="$KEY_MS_MAX" '$6 + $8 > max { print; n++ } END { exit n > 0 }' "$T/keys.log")
    if [ $? -eq 0 ] && [ "$(wc -l < "$T/keys.log")" -gt $((KEYS / 4)) ]; then
        ok "fuzz $name: every key answered within $KEY_MS_MAX ms ($(wc -l < "$T/keys.log") keys logged)"
    else
        not_ok "fuzz $name: every key answered within $KEY_MS_MAX ms" "$(wc -l < "$T/keys.log") keys logged" "$slow"
    fi
}

fuzz py27 "$data/small-py27.json.gz"
fuzz py310 "$data/small-py310.json.gz"
fuzz compare "$data/leak-before-py310.json.gz" "$data/leak-after-py310.json.gz"
fuzz hostile --force "$T/hostile.json"
