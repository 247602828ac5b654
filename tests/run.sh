#!/usr/bin/env bash
# Run every test: the cmocka unit binaries given as arguments, the batch
# (command-line) tests in tests/cli/test_*.sh, and the terminal tests in
# tests/tui/*.vt driven by vtdrive. Ends with "N passed, N failed".
#
# Environment: HEAPWALK (the binary under test), VTDRIVE (the terminal driver).
set -u
cd "$(dirname "$0")/.."
export LC_ALL=C
: "${HEAPWALK:?HEAPWALK must name the heapwalk binary}"
: "${VTDRIVE:?VTDRIVE must name the vtdrive binary}"
export HEAPWALK VTDRIVE
export HW_TMP=$(mktemp -d)
trap 'rm -rf "$HW_TMP"' EXIT
# The index cache goes to a directory of the run's own, never the user's home;
# every test that opens a dump twice also checks that a cached store answers alike.
export XDG_CACHE_HOME=$HW_TMP/cache
unset HEAPWALK_NO_CACHE HEAPWALK_CACHE_MAX_MB

passed=0
failed=0
failures=()

record() { # NAME STATUS
    if [ "$2" -eq 0 ]; then
        passed=$((passed + 1))
        echo "ok - $1"
    else
        failed=$((failed + 1))
        failures+=("$1")
        echo "not ok - $1"
    fi
}

# Unit tests: cmocka reports each test; one binary is one group here, and its
# own count of tests goes into the totals.
for bin in "$@"; do
    out=$("$bin" 2>&1)
    status=$?
    n_pass=$(printf '%s\n' "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' | tail -n1)
    n_fail=$(printf '%s\n' "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' | tail -n1)
    passed=$((passed + ${n_pass:-0}))
    failed=$((failed + ${n_fail:-0}))
    if [ $status -ne 0 ] || [ -z "$n_pass" ]; then
        printf '%s\n' "$out"
        failures+=("$(basename "$bin")")
        [ -z "$n_fail" ] && failed=$((failed + 1))
        echo "not ok - $(basename "$bin") (exit $status)"
    else
        echo "ok - $(basename "$bin"): ${n_pass} tests"
    fi
done

# Batch tests: each script prints "ok - name" / "not ok - name" lines.
for t in tests/cli/test_*.sh; do
    [ -e "$t" ] || continue
    while IFS= read -r line; do
        case "$line" in
        "ok - "*) passed=$((passed + 1)); echo "$line" ;;
        "not ok - "*) failed=$((failed + 1)); failures+=("${line#not ok - }"); echo "$line" ;;
        "exit-status 0") ;;
        "exit-status "*) failed=$((failed + 1)); failures+=("$t: ${line}"); echo "not ok - $t ended with ${line}" ;;
        *) echo "$line" ;;
        esac
    done < <(bash "$t" 2>&1; echo "exit-status $?")
done

# Terminal tests: a "# run: VTDRIVE-OPTIONS -- ARGS" line in each script says
# how to start heapwalk; $HEAPWALK and $HW_TMP in it are expanded.
for t in tests/tui/*.vt; do
    [ -e "$t" ] || continue
    run=$(sed -n 's/^# run: //p' "$t" | head -n1)
    if [ -z "$run" ]; then
        record "$t (no '# run:' line)" 1
        continue
    fi
    run=${run//\$HEAPWALK/$HEAPWALK}
    run=${run//\$HW_TMP/$HW_TMP}
    opts=${run%% -- *}
    args=${run#* -- }
    # shellcheck disable=SC2086
    out=$("$VTDRIVE" $opts "$t" -- $args 2>&1)
    status=$?
    [ $status -ne 0 ] && printf '%s\n' "$out"
    record "tui: $(basename "$t")" $status
done

echo
if [ $failed -ne 0 ]; then
    echo "failures:"
    printf '  %s\n' "${failures[@]}"
fi
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
