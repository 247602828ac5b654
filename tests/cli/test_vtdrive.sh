# The terminal driver's own self-test (tests/tui/selftest.sh): the TUI tests
# are only as good as the harness that reads the screen.
if out=$(bash tests/tui/selftest.sh -n 1 2>&1); then
    echo "ok - vtdrive self-test: every command, both TERMs"
else
    echo "not ok - vtdrive self-test"
    printf '%s\n' "$out" | tail -20 | sed 's/^/    /'
fi
