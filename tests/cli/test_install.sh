# Installing on a host: --version from src/version.h; make install/uninstall
# with DESTDIR and PREFIX; the bash completion; make deb (contents, Depends
# computed from the binary, a real apt install, run and purge when heapwalk is
# not installed already); make dist, run from an empty directory inside a
# mount namespace where the build's libraries and the host's terminfo are out
# of reach (needs root for unshare -m).
. tests/cli/lib.sh
: "${VTDRIVE:?}"

BUILD=$(dirname "$HW")
HW_ABS=$(readlink -f "$HW")
COMPLETION=$PWD/packaging/heapwalk.bash-completion
DUMP=$PWD/$DATA/small-py310.json.gz
VERSION=$(sed -n 's/^#define HW_VERSION "\(.*\)"/\1/p' src/version.h)
# make's command-line variables (EXTRA_CFLAGS, CFLAGS) reach us in MAKEFLAGS.
hw_make() { make --no-print-directory -s BUILD="$BUILD" PKG_OUT="$T/pkg" "$@" > "$T/make.log" 2>&1; }

# --version, and the man page's title line, say what src/version.h says.
if [[ $VERSION =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] && [ "$("$HW" --version)" = "heapwalk $VERSION" ]; then
    ok "heapwalk --version prints heapwalk $VERSION (src/version.h)"
else
    not_ok "heapwalk --version prints heapwalk VERSION" "version.h: '$VERSION', binary: '$("$HW" --version)'"
fi
check_grep "heapwalk.1 is the page of heapwalk $VERSION" "^\.TH HEAPWALK 1 .*\"heapwalk $VERSION\"" docs/heapwalk.1
check_grep "heapwalk.1 documents --version" '^\.BR .*\\-\\-version' docs/heapwalk.1

# make install / uninstall under DESTDIR and PREFIX.
D=$T/dest
if hw_make install DESTDIR="$D" PREFIX=/opt/hw &&
    [ -x "$D/opt/hw/bin/heapwalk" ] && "$D/opt/hw/bin/heapwalk" --version | grep -qx "heapwalk $VERSION" &&
    cmp -s docs/heapwalk.1 "$D/opt/hw/share/man/man1/heapwalk.1" &&
    cmp -s packaging/heapwalk.bash-completion "$D/opt/hw/share/bash-completion/completions/heapwalk"; then
    ok "make install DESTDIR PREFIX: binary, man page, bash completion"
else
    not_ok "make install DESTDIR PREFIX" "$(tail -5 "$T/make.log")" "$(find "$D" -type f)"
fi
if hw_make uninstall DESTDIR="$D" PREFIX=/opt/hw && [ -z "$(find "$D" -type f)" ]; then
    ok "make uninstall removes what make install put there"
else
    not_ok "make uninstall" "left: $(find "$D" -type f)"
fi

# The completion, as bash calls it: COMP_WORDS/COMP_CWORD in, COMPREPLY out.
complete_words() { # WORD... (the last is the one being completed); run in an empty directory
    mkdir -p "$T/cwd"
    (cd "$T/cwd" && bash -c '. "$0"
             COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _heapwalk
             printf "%s\n" "${COMPREPLY[@]}" | sort' "$COMPLETION" "$@")
}
dispatched=$(grep -o '{"[a-z]*", cli_[a-z]*}' src/main.c | sed 's/{"\([a-z]*\)".*/\1/' | sort)
completed=$(complete_words "$HW_ABS" "")
if [ "$(echo $dispatched | wc -w)" -ge 9 ] && [ "$dispatched" = "$completed" ]; then
    ok "completion offers every subcommand main.c dispatches ($(echo $completed))"
else
    not_ok "completion offers every subcommand main.c dispatches" "main.c: $(echo $dispatched)" "completion: $(echo $completed)"
fi
check_grep "completion: heapwalk su -> summary" '^summary$' <(complete_words "$HW_ABS" su)
check_grep "completion: heapwalk summary --to -> --top" '^--top$' <(complete_words "$HW_ABS" summary --to)
check_grep "completion: heapwalk path --a -> --avoid (path's own --help)" '^--avoid$' <(complete_words "$HW_ABS" path --a)
check_grep "completion: heapwalk --col -> --color=" '^--color=$' <(complete_words "$HW_ABS" --col)
mkdir -p "$T/c/dir"
touch "$T/c/a.json" "$T/c/b.json.gz" "$T/c/c.txt"
complete_words "$HW_ABS" summary --raw "$T/c/" > "$T/compl"
if [ "$(sed "s|^$T/c/||" "$T/compl" | tr '\n' ' ')" = "a.json b.json.gz dir " ]; then
    ok "completion: dumps (*.json, *.json.gz) and directories, not other files"
else
    not_ok "completion: dumps and directories" "got: $(tr '\n' ' ' < "$T/compl")"
fi

# make deb: the package's files and a Depends that names the package of
# every library the binary links directly (dpkg-shlibdeps's job).
deb=$T/pkg/heapwalk_${VERSION}_$(dpkg --print-architecture).deb
if hw_make deb && [ -f "$deb" ]; then
    ok "make deb builds $(basename "$deb")"
else
    not_ok "make deb" "$(tail -10 "$T/make.log")"
fi
dpkg-deb --contents "$deb" > "$T/deb.contents" 2>&1
for f in usr/bin/heapwalk usr/share/man/man1/heapwalk.1.gz usr/share/bash-completion/completions/heapwalk; do
    check_grep "deb holds /$f" " \./$f\$" "$T/deb.contents"
done
depends=$(dpkg-deb --field "$deb" Depends 2>&1)
missing=""
ldd "$HW" > "$T/ldd"
for soname in $(readelf -d "$HW" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
    lib=$(awk -v n="$soname" '$1 == n && $2 == "=>" {print $3}' "$T/ldd")
    pkg=$(dpkg -S "$(readlink -f "$lib")" 2>/dev/null | head -n1 | cut -d: -f1)
    [ -z "$pkg" ] && pkg=$(dpkg -S "$lib" 2>/dev/null | head -n1 | cut -d: -f1)
    case ", $depends" in *", $pkg "*|*", $pkg,"*|*", $pkg") ;; *) missing="$missing $lib($pkg)" ;; esac
done
if [ -n "$depends" ] && [ -z "$missing" ]; then
    ok "deb Depends names the package of every linked library: $depends"
else
    not_ok "deb Depends names the package of every linked library" "Depends: $depends" "missing:$missing"
fi

# A real install, when this host can take one and give it back as it was.
if [ "$(id -u)" != 0 ]; then
    not_ok "apt install ./heapwalk_*.deb" "needs root"
elif dpkg-query -W -f='${Status}' heapwalk 2>/dev/null | grep -q installed; then
    not_ok "apt install ./heapwalk_*.deb" "heapwalk is installed on this host already; not touching it"
else
    apt_q() { DEBIAN_FRONTEND=noninteractive apt-get -y -q -o DPkg::Lock::Timeout=300 "$@" > "$T/apt.log" 2>&1; }
    if apt_q install --no-install-recommends "$deb" && [ "$(/usr/bin/heapwalk --version)" = "heapwalk $VERSION" ] &&
        (cd / && /usr/bin/heapwalk summary -q "$DUMP") > "$T/installed.txt" &&
        "$HW" summary -q "$DUMP" | cmp -s - "$T/installed.txt"; then
        ok "apt install ./heapwalk_*.deb, then /usr/bin/heapwalk summary runs"
    else
        not_ok "apt install ./heapwalk_*.deb and run" "$(tail -5 "$T/apt.log")"
    fi
    if apt_q purge heapwalk && [ ! -e /usr/bin/heapwalk ] && ! dpkg-query -W heapwalk > /dev/null 2>&1 ; then
        ok "apt purge heapwalk leaves the host as it was"
    else
        not_ok "apt purge heapwalk" "$(tail -5 "$T/apt.log")"
    fi
fi

# make dist: the archive, unpacked where the build is not.
name=heapwalk-$VERSION-linux-$(cc -dumpmachine | cut -d- -f1)
if hw_make dist && tar -C "$T" -xzf "$T/pkg/$name.tar.gz" && [ -x "$T/$name/bin/heapwalk" ]; then
    ok "make dist builds $name.tar.gz"
else
    not_ok "make dist" "$(tail -10 "$T/make.log")"
fi
DIST=$T/$name
readelf -d "$DIST/bin/heapwalk" > "$T/dynamic" 2>&1
check_grep "dist binary looks for its libraries in \$ORIGIN/../lib" 'R(UN)?PATH.*\[\$ORIGIN/\.\./lib\]' "$T/dynamic"
if ! grep -E 'NEEDED.*(ncurses|tinfo|libz\.)' "$T/dynamic" > "$T/needed"; then
    ok "dist binary has ncursesw, tinfo and zlib linked in"
else
    not_ok "dist binary has ncursesw, tinfo and zlib linked in" "$(cat "$T/needed")"
fi
terms=$(grep -v '^#' packaging/terminfo.list)
absent=""
for t in $terms; do [ -f "$DIST/share/terminfo/${t:0:1}/$t" ] || absent="$absent $t"; done
if [ "$(echo $terms | wc -w)" -ge 10 ] && [ -z "$absent" ]; then
    ok "dist ships the terminfo entries of packaging/terminfo.list"
else
    not_ok "dist ships the terminfo entries" "absent:$absent"
fi

# The host without the -dev packages: inside a mount namespace, the library
# directory the build linked from holds only libc's own files, and the host's
# terminfo directories are empty. After the bind mount only shell builtins run.
libdir=$(dirname "$(readlink -f "$(ldd "$HW" | awk '$1 ~ /^libcjson/ {print $3}')")")
mkdir -p "$T/libc" "$T/empty" "$T/home"
ldd "$DIST/bin/heapwalk" | awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\// {print $1}' | grep -v "^$DIST/" |
    while read -r lib; do cp -L "$lib" "$T/libc/$(basename "$(readlink -f "$lib")")"; cp -L "$lib" "$T/libc/"; done
cat > "$T/nodev.sh" <<EOF
for d in \$(readlink -f /etc/terminfo /lib/terminfo /usr/share/terminfo | sort -u); do
    if [ -d "\$d" ]; then mount -t tmpfs none "\$d" || exit 99; fi
done
mount --bind "$T/libc" "$libdir" || exit 99
cd "$T/empty" || exit 99
exec "\$@"
EOF
nodev() { env -u TERMINFO -u TERMINFO_DIRS HOME="$T/home" unshare -m sh "$T/nodev.sh" "$@"; }
# nodev_explorer TERM SCRIPT.vt BINARY: the explorer on the sample dump in a terminal.
nodev_explorer() {
    "$VTDRIVE" -s 100x30 -t "$1" -e LANG=C.UTF-8 -e LC_ALL=C.UTF-8 -T 20000 "$2" -- \
        env -u TERMINFO -u TERMINFO_DIRS HOME="$T/home" unshare -m sh "$T/nodev.sh" "$3" "$DUMP" 2>&1
}

check_status "out of reach: the build's own binary cannot start" 127 "error while loading shared libraries" nodev "$HW_ABS" --version
if [ "$(nodev "$DIST/bin/heapwalk" --version 2>&1)" = "heapwalk $VERSION" ]; then
    ok "out of reach: dist heapwalk --version"
else
    not_ok "out of reach: dist heapwalk --version" "$(nodev "$DIST/bin/heapwalk" --version 2>&1 | head -3)"
fi
"$HW" summary -q "$DUMP" > "$T/summary.want"
check_output "out of reach: dist heapwalk summary on a sample dump" "$T/summary.want" nodev "$DIST/bin/heapwalk" summary -q "$DUMP"

# The explorer under a TERM the host (in the namespace) has no entry for:
# without the shipped entries it says so; with them it starts.
cp -r "$DIST" "$T/noterminfo" && rm -rf "$T/noterminfo/share/terminfo"
printf '%s\n' 'wait unknown terminal type TERM=xterm-256color' 'exit 1' > "$T/noterminfo.vt"
if out=$(nodev_explorer xterm-256color "$T/noterminfo.vt" "$T/noterminfo/bin/heapwalk"); then
    ok "out of reach: without the shipped terminfo, TERM=xterm-256color is unknown"
else
    not_ok "out of reach: without the shipped terminfo, TERM=xterm-256color is unknown" "$(printf '%s\n' "$out" | head -12)"
fi
{
    echo "wait \"$(head -n1 "$T/summary.want")\""
    echo "expect-row 1 \"$(head -n1 "$T/summary.want")\""
    echo "key q"
    echo "exit 0"
} > "$T/explorer.vt"
for term in xterm-256color tmux-256color vt220; do
    if out=$(nodev_explorer $term "$T/explorer.vt" "$DIST/bin/heapwalk"); then
        ok "out of reach: the dist explorer starts under TERM=$term from the shipped terminfo"
    else
        not_ok "out of reach: the dist explorer under TERM=$term" "$(printf '%s\n' "$out" | head -12)"
    fi
done
