"""hostile_dump.py FILE: a small dump whose strings hold terminal control
sequences, bidi overrides, zero-width and C1 characters and bad UTF-8 in
every kind of field, a 2 MB value, and lines too bad to read (issue 13).
Used by test_hostile.sh (batch) and test_tui_fuzz.sh (the explorer)."""
import json, sys
esc = "\x1b]52;c;aGk=\x07\x1b]2;owned\x07\x1b[2J"
objs = [
    # a module whose name is an attack; its dict (Python 3, non-str keys: value, key pairs)
    {"address": 1, "type": "module", "size": 56, "name": "app" + esc, "refs": [2]},
    {"address": 2, "type": "dict", "size": 232, "len": 2, "refs": [3, 4, 5, 6]},
    # an instance (3.11 inline attributes) of a type whose name forges a summary row
    {"address": 3, "type": "Evil\x1b[2J\nforged row 1 2 3", "size": 100, "len": 1, "refs": [7, 8, 9]},
    {"address": 4, "type": "str", "size": 60, "len": 4, "value": "k\u0085\u202e\u2066"},
    {"address": 5, "type": "int", "size": 28, "value": 42},
    {"address": 6, "type": "str", "size": 60, "len": 10, "value": "line\nbreak\u0000nul\u009b"},
    # a 2 MB value with an attack at its end
    {"address": 7, "type": "str", "size": 2000049, "len": 2000016, "value": "A" * 2000000 + esc},
    {"address": 8, "type": "str", "size": 60, "len": 9, "value": "attr\x1b[31m\u200b\u2028"},
    # its class (the same hostile name: positions read inline attributes only when the last
    # ref is the instance's own class)
    {"address": 9, "type": "type", "size": 900, "name": "Evil\x1b[2J\nforged row 1 2 3", "refs": []},
    {"address": 14, "type": "type", "size": 900, "name": "Other\x1b[2J\ufeff", "refs": []},
    {"address": 10, "type": "bytes", "size": 40, "len": 3, "value": "b\u007f\u009b"},
    {"address": 11, "type": "bool", "size": 28, "value": "True\x1b[H"},
    {"address": 12, "type": "frame", "size": 400, "value": "f\u2028\u202ex", "refs": [3, 999]},
    {"address": 13, "type": "weird\u200f\u00a0type", "size": 16, "refs": [7]},
]
with open(sys.argv[1], "w") as f:
    for o in objs:
        o.setdefault("refs", [])
        f.write(json.dumps(o) + "\n")
f = open(sys.argv[1], "ab")
# raw bytes that are not UTF-8, and lines too bad to read, with attacks in them
f.write(b'{"address": 14, "type": "str", "size": 50, "len": 3, "value": "\xff\xfe\xc2\x9b"}\n')
f.write(b'{"address": 15, "type": "str", "size": 50, "value": "x\x1b]2;t\x07\n')
f.write(b'{"address": 16, "\x1b[2J\xc2\x9b": 1}\n')
f.close()
