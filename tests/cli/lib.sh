# Helpers for the batch tests: each check prints "ok - NAME" or "not ok - NAME"
# with the evidence. Sourced by tests/cli/test_*.sh; HEAPWALK and HW_TMP come
# from tests/run.sh.
HW=${HEAPWALK:?}
T=${HW_TMP:?}
DATA=tests/data

ok() { echo "ok - $1"; }
not_ok() { echo "not ok - $1"; shift; [ $# -gt 0 ] && printf '    %s\n' "$@"; }

# check_output NAME EXPECTED_FILE CMD...: stdout of CMD equals the file, exit 0.
check_output() {
    local name=$1 expected=$2; shift 2
    if "$@" > "$T/out" 2> "$T/err"; then
        if diff -u "$expected" "$T/out" > "$T/diff"; then ok "$name"; else not_ok "$name" "$(head -20 "$T/diff")"; fi
    else
        not_ok "$name" "exit $?: $(head -5 "$T/err")"
    fi
}

# check_status NAME STATUS STDERR_PATTERN CMD...: exit status and an extended
# regex that stderr must match (empty: not checked).
check_status() {
    local name=$1 want=$2 pattern=$3; shift 3
    "$@" > "$T/out" 2> "$T/err"
    local got=$?
    if [ "$got" -ne "$want" ]; then
        not_ok "$name" "exit $got, wanted $want" "$(head -5 "$T/err")"
    elif [ -n "$pattern" ] && ! grep -Eq -- "$pattern" "$T/err"; then
        not_ok "$name" "stderr does not match /$pattern/:" "$(head -5 "$T/err")"
    else
        ok "$name"
    fi
}

# check_grep NAME PATTERN FILE: the file has a line matching the extended regex.
check_grep() {
    if grep -Eq -- "$2" "$3"; then ok "$1"; else not_ok "$1" "no line matches /$2/ in $3:" "$(head -10 "$3")"; fi
}

# gen_ladder RUNGS FILE: a module holding two chains that cross at every rung
# (addresses 10, 11, 12, ...): paths abound, so k-path searches work hard.
gen_ladder() {
    awk -v n="$1" 'BEGIN { printf "{\"address\": 1, \"type\": \"module\", \"size\": 56, \"name\": \"m\", \"refs\": [10, 11]}\n";
        for (i = 0; i < n; i++) { a = 10 + 2 * i; b = a + 1;
            if (i + 1 < n) { printf "{\"address\": %d, \"type\": \"list\", \"size\": 64, \"refs\": [%d, %d]}\n", a, a + 2, b + 2;
                             printf "{\"address\": %d, \"type\": \"list\", \"size\": 64, \"refs\": [%d, %d]}\n", b, b + 2, a + 2 }
            else printf "{\"address\": %d, \"type\": \"list\", \"size\": 64, \"refs\": []}\n{\"address\": %d, \"type\": \"list\", \"size\": 64, \"refs\": []}\n", a, b } }' \
        > "$2"
}

# gen_wide N FILE: a module holding a list of N tuples, each holding its own
# str (values and sizes scrambled, so sorts work) and one shared str: a type
# with N instances, an object with N children, one with N parents.
gen_wide() {
    awk -v n="$1" 'BEGIN { printf "{\"address\": 1, \"type\": \"module\", \"size\": 56, \"name\": \"m\", \"refs\": [2, 3]}\n";
        printf "{\"address\": 2, \"type\": \"list\", \"size\": %d, \"len\": %d, \"refs\": [", 56 + 8 * n, n;
        for (i = 0; i < n; i++) printf "%s%d", (i ? ", " : ""), 10 + 2 * i;
        printf "]}\n{\"address\": 3, \"type\": \"str\", \"size\": 55, \"len\": 6, \"value\": \"shared\", \"refs\": []}\n";
        for (i = 0; i < n; i++) { k = (i * 7919) % n; a = 10 + 2 * i;
            printf "{\"address\": %d, \"type\": \"tuple\", \"size\": %d, \"len\": 2, \"refs\": [%d, 3]}\n", a, 56 + 8 * (k % 1000), a + 1;
            printf "{\"address\": %d, \"type\": \"str\", \"size\": %d, \"len\": %d, \"value\": \"v%07d\", \"refs\": []}\n", a + 1, 57 + k % 50, 8, k } }' > "$2"
}
