#!/usr/bin/env bash
# make screenshots: drive the explorer through the scenes below in a real
# pseudo-terminal (vtdrive, 80x24, TERM=xterm-256color, UTF-8), keep each
# screen as text (screenshots/NAME.txt), and draw it as a PNG with
# ImageMagick (screenshots/NAME.png). The scenes follow docs/guide.md's leak
# chase on tests/data/leak-after-py310.json.gz.
#
# usage: tests/tui/screenshots.sh HEAPWALK VTDRIVE
set -euo pipefail
cd "$(dirname "$0")/../.."
hw=$1
vt=$2
out=screenshots
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$out"
LEAK=tests/data/leak-after-py310.json.gz
BEFORE=tests/data/leak-before-py310.json.gz

# scene NAME DUMP... < script: run the script, then save the screen.
scene() {
    local name=$1
    shift
    { cat; echo "screen $tmp/$name.txt"; } > "$tmp/$name.vt"
    "$vt" -s 80x24 -t xterm-256color -e LANG=C.UTF-8 -e LC_ALL=C.UTF-8 -e NO_COLOR=1 -T 20000 \
        "$tmp/$name.vt" -- "$hw" "$@"
    cp "$tmp/$name.txt" "$out/$name.txt"
    echo "screenshots/$name.txt"
}

scene 1-summary "$LEAK" <<'VT'
wait Total 403733 objects
VT

scene 2-instances "$LEAK" <<'VT'
wait Total 403733 objects
key Down 2
key Enter
wait Instances of list
# the Retained column, once the background analysis has it
wait 28236694
VT

scene 3-object "$LEAK" <<'VT'
wait Total 403733 objects
key Down 2
key Enter
wait Instances of list
key Enter
wait 499960B
VT

scene 4-dict "$LEAK" <<'VT'
wait Total 403733 objects
key Down 2
key Enter
wait Instances of list
key Enter
wait 499960B
key Enter
wait Object dict
VT

scene 5-help "$LEAK" <<'VT'
wait Total 403733 objects
key ?
wait the keys of the explorer
wait j/k:scroll
VT

# Extra scenes, when the explorer has the screens: each is skipped (with a
# note) if its first wait times out.
optional() {
    local name=$1
    shift
    if ! scene "$name" "$@" 2>/dev/null; then
        echo "screenshots: $name skipped (the screen is not there)" >&2
    fi
}
if [ -f tests/tui/screenshots.extra ]; then
    # shellcheck disable=SC1091
    . tests/tui/screenshots.extra
fi

if ! command -v convert >/dev/null || ! convert -version 2>/dev/null | grep -q ImageMagick; then
    echo "screenshots: ImageMagick's convert is not installed; the text captures are up to date" >&2
    exit 1
fi
font=$(fc-match -f '%{file}' 'DejaVu Sans Mono' 2>/dev/null || true)
# One -annotate per row (label:@file is refused by Debian's ImageMagick
# policy); % and \ are escapes to ImageMagick, so they are doubled; blanks
# become no-break spaces (the same width in a monospace font), which
# ImageMagick does not trim, so columns stay where the terminal has them.
for txt in "$out"/*.txt; do
    png=${txt%.txt}.png
    args=()
    y=20
    while IFS= read -r line; do
        args+=(-annotate "+12+$y" "$(printf '%s' "$line" | sed -e 's/\\/\\\\/g' -e 's/%/%%/g' -e 's/ /\xc2\xa0/g')")
        y=$((y + 18))
    done < "$txt"
    convert -size 744x$((y + 4)) xc:'#101418' ${font:+-font "$font"} -pointsize 15 -fill '#d8dee9' \
        "${args[@]}" -depth 8 "$png"
    echo "$png"
done
