#!/bin/bash
# Self-test of vtdrive: build it and a tiny curses program (fixture_curses.c)
# in a temporary directory, then drive the program through every command of
# the script language, under each TERM, RUNS times (to catch flaky timing).
#
# usage: tests/tui/selftest.sh [-n RUNS] [-t "TERM..."]
# Exit status: 0 when every run of every scenario behaved as expected.
set -u

here=$(cd "$(dirname "$0")" && pwd)
runs=1
term_list="xterm-256color vt100"
while getopts n:t: opt; do
	case $opt in
	n) runs=$OPTARG ;;
	t) term_list=$OPTARG ;;
	*) echo "usage: $0 [-n RUNS] [-t \"TERM...\"]" >&2; exit 2 ;;
	esac
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vtdrive-selftest.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT

CC=${CC:-gcc}
cflags=(-std=c11 -D_GNU_SOURCE -Wall -Wextra -Wshadow -Wstrict-prototypes
	-Wmissing-prototypes -Wformat=2 -Werror)
"$CC" "${cflags[@]}" -o "$tmp/vtdrive" "$here/vtdrive.c" -lvterm -lutil -lncursesw || exit 2
"$CC" "${cflags[@]}" -o "$tmp/fixture" "$here/fixture_curses.c" -lncursesw || exit 2
vt=$tmp/vtdrive
cd "$tmp" || exit 2	# messages then name scripts as "NAME.vt:LINE:"

# --- scenarios -------------------------------------------------------------
# scenario NAME STATUS TERMS OPTIONS STDERR-ERE < script
#   STATUS: vtdrive's expected exit status; TERMS: "all" or a list;
#   OPTIONS: extra vtdrive options; STDERR-ERE: must match stderr ("" = any).
#   If $tmp/NAME.expect exists, stdout must equal it.
names=() statuses=() terms=() options=() errs=()
scenario() {
	names+=("$1") statuses+=("$2") terms+=("$3") options+=("$4") errs+=("$5")
	cat >"$tmp/$1.vt"
}

scenario keys 0 all "" "" <<'EOF'
# Keys spelled by terminfo for the TERM, read back through keyname().
wait hello
expect-row 2 size 80x24
key Down
wait key KEY_DOWN
expect-row 1 key KEY_DOWN
key Up
wait key KEY_UP
key Left
wait key KEY_LEFT
key Right
wait key KEY_RIGHT
key F1
wait key KEY_F(1)
key F10
wait key KEY_F(10)
key Backspace
wait key KEY_BACKSPACE
key Enter
wait key ^J
key Tab
wait key ^I
key C-a
wait key ^A
key Esc
wait key ^[
key Space
wait "key  "
key q
exit 0
EOF

# vt100 lacks these capabilities; vtdrive sends xterm's spelling, which a
# curses program under vt100 does not decode.
scenario keys-xterm 0 "xterm-256color" "" "" <<'EOF'
wait hello
key Home
wait key KEY_HOME
key End
wait key KEY_END
key PgUp
wait key KEY_PPAGE
key PgDn
wait key KEY_NPAGE
key Insert
wait key KEY_IC
key Delete
wait key KEY_DC
key BackTab
wait key KEY_BTAB
key F12
wait key KEY_F(12)
EOF

scenario type-attrs 0 all "" "" <<'EOF'
wait hello
type abc def
wait typed [abc def]
expect-row-re 3 ^typed \[abc def\]$
type "\x67 "
key h 3
wait typed [abc defg hhh]
expect-reverse selected
expect-bold strong
expect-not KEY_
expect "plain selected "
key C-t
wait-gone hello
expect-not hello
key C-t
wait hello
expect-row 0 hello
EOF

cat >"$tmp/resize.expect" <<'EOF'
hello
key KEY_RESIZE
size 30x6
typed []
plain selected strong

EOF
scenario resize 0 all "" "" <<EOF
wait hello
resize 100 30
wait size 100x30
expect-row 2 size 100x30
expect-row-re 29 ^$
resize 30 6
wait size 30x6
screen
screen $tmp/resize.file
key q
exit
EOF

scenario small 0 all "-s 40x5" "" <<'EOF'
wait size 40x5
expect-reverse selected
EOF

scenario exit-3 0 all "" "" <<'EOF'
wait hello
key x
exit 3
EOF

scenario signal-hup 0 all "" "" <<'EOF'
wait hello
signal HUP
exit HUP
EOF

scenario signal-kill 0 all "" "" <<'EOF'
wait hello
signal SIGKILL
exit KILL
EOF

# The script ends with the program running: vtdrive kills it, exits 0.
scenario no-exit 0 all "" "" <<'EOF'
wait hello
EOF

scenario missing-program 0 all "" "" <<'EOF'
wait cannot run
exit 127
EOF

scenario fail-expect 1 all "" \
	'^fail-expect.vt:3: .nothere. is not on the screen.* 0\|hello' <<'EOF'
wait hello
# the screen dump follows the message
expect nothere
EOF

scenario fail-expect-not 1 all "" '^fail-expect-not.vt:2: .hello. is on the screen' <<'EOF'
wait hello
expect-not hello
EOF

scenario fail-reverse 1 all "" \
	'^fail-reverse.vt:2: .hello. at row 0 col 0: the cell at col 0 is not reverse' <<'EOF'
wait hello
expect-reverse hello
EOF

scenario fail-bold 1 all "" '^fail-bold.vt:2: .selected. at row 4 col 6: .* not bold' <<'EOF'
wait hello
expect-bold selected
EOF

scenario fail-row 1 all "" '^fail-row.vt:2: row 1 does not contain .hello.' <<'EOF'
wait hello
expect-row 1 hello
EOF

scenario fail-row-re 1 all "" '^fail-row-re.vt:2: row 0 does not match /\^hellx/' <<'EOF'
wait hello
expect-row-re 0 ^hellx
EOF

scenario fail-wait 1 all "-T 300" '^fail-wait.vt:2: .never. not on the screen after [0-9]+ ms' <<'EOF'
wait hello
wait never
EOF

scenario fail-wait-gone 1 all "-T 300" '^fail-wait-gone.vt:2: .hello. still on the screen' <<'EOF'
wait hello
wait-gone hello
EOF

scenario fail-exit 1 all "" \
	'^fail-exit.vt:3: the program exited with status 3; expected exit status 0' <<'EOF'
wait hello
key x
exit 0
EOF

scenario fail-exit-signal 1 all "" \
	'^fail-exit-signal.vt:3: the program was killed by signal 1 .*expected exit status 0' <<'EOF'
wait hello
signal HUP
exit
EOF

scenario fail-key-after-exit 1 all "" \
	'^fail-key-after-exit.vt:4: cannot send input: the program closed the terminal' <<'EOF'
wait hello
key q
exit
key q
EOF

scenario syntax 2 all "" '^syntax.vt:3: unknown command .frob.' <<'EOF'
wait hello

frob
EOF

scenario bad-key 2 all "" '^bad-key.vt:1: unknown key name: .NoSuchKey.' <<'EOF'
key NoSuchKey
EOF

scenario bad-escape 2 all "" '^bad-escape.vt:1: unknown escape' <<'EOF'
type a\qb
EOF

# --- running ---------------------------------------------------------------
failures=0
report() { # NAME TERM WHY
	failures=$((failures + 1))
	if [ "$failures" -le 10 ]; then
		echo "FAIL $1 (TERM=$2): $3"
		sed 's/^/    /' "$tmp/err" | head -40
	fi
}

# run_scenario INDEX TERM
run_scenario() {
	local i=$1 term=$2 name=${names[$1]} prog=$tmp/fixture rc
	[ "$name" = missing-program ] && prog=$tmp/no-such-program
	rm -f "$tmp/$name.file"
	# shellcheck disable=SC2086 # options are meant to split
	"$vt" ${options[$i]} -t "$term" -e LANG=C.UTF-8 -e LC_ALL=C.UTF-8 \
		"$name.vt" -- "$prog" </dev/null >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ "$rc" != "${statuses[$i]}" ]; then
		report "$name" "$term" "exit status $rc, expected ${statuses[$i]}"
	elif [ -n "${errs[$i]}" ] && ! tr '\n' ' ' <"$tmp/err" | grep -Eq -- "${errs[$i]}"; then
		report "$name" "$term" "stderr does not match /${errs[$i]}/"
	elif [ -z "${errs[$i]}" ] && [ -s "$tmp/err" ]; then
		report "$name" "$term" "unexpected stderr"
	elif [ -f "$tmp/$name.expect" ] && ! cmp -s "$tmp/out" "$tmp/$name.expect"; then
		report "$name" "$term" "stdout differs from the expected screen"
	elif [ -f "$tmp/$name.expect" ] && ! cmp -s "$tmp/$name.file" "$tmp/$name.expect"; then
		report "$name" "$term" "the screen file differs from the expected screen"
	fi
}

# Checks that need no repetition: usage errors, a script from stdin,
# closed standard fds, and no CPU burnt while waiting.
run_once() {
	local rc cpu
	"$vt" >/dev/null 2>&1; rc=$?
	[ "$rc" = 2 ] || { echo "FAIL usage: no arguments gave $rc"; failures=$((failures + 1)); }
	"$vt" "$tmp/keys.vt" "$tmp/fixture" >/dev/null 2>&1; rc=$?
	[ "$rc" = 2 ] || { echo "FAIL usage: missing -- gave $rc"; failures=$((failures + 1)); }
	"$vt" -s 80by24 "$tmp/keys.vt" -- "$tmp/fixture" >/dev/null 2>&1; rc=$?
	[ "$rc" = 2 ] || { echo "FAIL usage: bad -s gave $rc"; failures=$((failures + 1)); }

	printf 'wait hello\nkey q\nexit 0\n' | "$vt" - -- "$tmp/fixture" >/dev/null 2>&1; rc=$?
	[ "$rc" = 0 ] || { echo "FAIL script on stdin gave $rc"; failures=$((failures + 1)); }
	"$vt" "$tmp/type-attrs.vt" -- "$tmp/fixture" 0<&- 1>&- 2>/dev/null; rc=$?
	[ "$rc" = 0 ] || { echo "FAIL closed stdin and stdout gave $rc"; failures=$((failures + 1)); }

	# A 1 s wait must sleep in poll(), not spin.
	TIMEFORMAT='%U %S'
	cpu=$( { time "$vt" -T 1000 "$tmp/fail-wait.vt" -- "$tmp/fixture" \
		>/dev/null 2>&1; } 2>&1 )
	if ! awk -v t="$cpu" 'BEGIN { split(t, a, " "); exit !(a[1] + a[2] < 0.1) }'; then
		echo "FAIL a 1 s wait used $cpu s of CPU (user sys)"
		failures=$((failures + 1))
	fi
}

run_once
for term in $term_list; do
	before=$failures count=0 start=$EPOCHREALTIME
	for ((run = 0; run < runs; run++)); do
		for i in "${!names[@]}"; do
			[ "${terms[$i]}" = all ] || [[ " ${terms[$i]} " == *" $term "* ]] || continue
			run_scenario "$i" "$term"
			count=$((count + 1))
		done
	done
	ms=$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%d", (b - a) * 1000 }')
	echo "TERM=$term: $runs runs, $count vtdrive runs, $((failures - before)) failed," \
		"$((ms / (count > 0 ? count : 1))) ms a run"
done

# vtdrive must never leave the program behind.
if pgrep -f "$tmp/fixture" >/dev/null; then
	echo "FAIL fixture processes left running:"
	pgrep -af "$tmp/fixture"
	failures=$((failures + 1))
fi
[ "$failures" = 0 ] && echo "selftest: all passed" || echo "selftest: $failures failed"
[ "$failures" = 0 ]
