#!/usr/bin/env python3
"""Check that files hold only text safe for a terminal (issue 13).

usage: check_safe.py FILE...

Each file must be valid UTF-8, and every character in it printable as
Python's str.isprintable() says, or a newline (between lines) or a tab. So no
C0 control (ESC, BEL, CR, NUL...), DEL, C1 control (U+0080..U+009F), format
character (bidi overrides, zero-width spaces, U+FEFF), line or paragraph
separator, or non-ASCII space reaches stdout or stderr. Prints the first bad
character of each file that has one; exit 1 if any does."""
import sys

bad = 0
for path in sys.argv[1:]:
    data = open(path, 'rb').read()
    try:
        text = data.decode('utf-8')
    except UnicodeDecodeError as e:
        print('%s: not UTF-8 at byte %d: %r' % (path, e.start, data[max(0, e.start - 20):e.start + 5]))
        bad = 1
        continue
    for i, ch in enumerate(text):
        if ch in '\n\t' or ch.isprintable():
            continue
        print('%s: character %d is %r (U+%04X): %r' % (path, i, ch, ord(ch), text[max(0, i - 30):i + 10]))
        bad = 1
        break
sys.exit(bad)
