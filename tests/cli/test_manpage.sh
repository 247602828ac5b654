# docs/heapwalk.1 renders without warnings and lists every action of the
# explorer with its keys and help text exactly as tui/actions.h has them.
. tests/cli/lib.sh

MAN=docs/heapwalk.1
if groff -man -ww -z "$MAN" > "$T/groff" 2>&1 && [ ! -s "$T/groff" ]; then
    ok "heapwalk.1 renders without warnings"
else
    not_ok "heapwalk.1 renders without warnings" "$(head -5 "$T/groff")"
fi

# X(NAME, GROUP, "KEYS", "HELP") -> KEYS<tab>HELP
sed -n 's/^ *X([A-Z_]*, GROUP_[A-Z]*, "\(.*\)", "\(.*\)").*/\1\t\2/p' tui/actions.h > "$T/actions"
n=$(wc -l < "$T/actions")
missing=0
while IFS=$'\t' read -r keys help; do
    # man spells ' as \(aq; the key list is a .B line and the help the next line.
    man_keys=${keys//\'/\\(aq}
    if ! grep -A1 -xF ".B $man_keys" "$MAN" | grep -qxF "$help"; then
        not_ok "heapwalk.1 lists '$keys'" "wanted a line '.B $man_keys' followed by '$help'"
        missing=$((missing + 1))
    fi
done < "$T/actions"
if [ "$n" -gt 25 ] && [ $missing -eq 0 ]; then
    ok "heapwalk.1 lists all $n actions of tui/actions.h"
elif [ "$n" -le 25 ]; then
    not_ok "heapwalk.1 key list: read only $n actions from tui/actions.h"
fi
