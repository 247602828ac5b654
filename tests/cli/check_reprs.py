#!/usr/bin/env python3
"""Check `heapwalk show` against meliae's own reprs for a dump.

usage: check_reprs.py HEAPWALK DUMP REF_QUERIES

REF_QUERIES is what meliae printed for the dump (get_all heads, the children of
__main__, refs_as_dict of sample instances). Each object repr meliae printed on
a line of its own must be heapwalk's repr of the same address, except where
heapwalk is right and meliae is not, and only there:
  - meliae prints names and bool values as b'...' on Python 3: heapwalk '...';
  - meliae on Python 2 prints non-ASCII str values as latin-1 escapes (\xe7):
    heapwalk prints the character;
  - meliae caps parents at 100: heapwalk counts them all (so >= 100);
  - meliae leaves refs to a collapsed __dict__ dangling: heapwalk points them at
    the owner, so a collapsed owner may have more parents than meliae says.
The children of __main__ must come in meliae's order. For Python 2 dumps,
refs_as_dict of the sample instances must give meliae's key: value pairs.
Prints "ok - ..." / "not ok - ..." lines (tests/run.sh counts them).
"""
import re
import subprocess
import sys

REPR = re.compile(r"^(?P<type>[^\s(]+)\((?P<addr>\d+) (?P<size>\d+)B(?: (?P<refs>\d+)refs)?"
                  r"(?: (?P<par>\d+)par)?(?: (?P<rest>.*))?\)$")


def parse_repr(text):
    m = REPR.match(text)
    if not m:
        raise ValueError("not a repr: %r" % text)
    d = m.groupdict()
    rest = d["rest"] or ""
    rest = re.sub(r"^b'", "'", rest)          # meliae's Python 3 bytes-repr of names
    rest = re.sub(r" ?[\d.]+[KMG]?tot$", "", rest)  # compute_total_size decoration
    # meliae on Python 2 prints str values as latin-1 bytes (\xe7); heapwalk prints the character.
    rest = re.sub(r"\\x([89a-f][0-9a-f])", lambda m: chr(int(m.group(1), 16)), rest)
    return (d["type"], int(d["addr"]), int(d["size"]), int(d["refs"] or 0), int(d["par"] or 0), rest)


def show(heapwalk, dump, addrs):
    out = subprocess.run([heapwalk, "show", "-q"] + [str(a) for a in addrs] + [dump],
                         capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit("not ok - heapwalk show failed: %s" % out.stderr.strip())
    objs = {}
    for block in out.stdout.split("\n\n"):
        lines = block.split("\n")
        head = parse_repr(lines[0])
        sections, cur = {}, None
        for line in lines[1:]:
            if line and not line.startswith(" "):
                cur = line.split(" (")[0]
                sections[cur] = []
            elif cur and line.startswith("  "):
                sections[cur].append(line[2:])
        objs[head[1]] = {"repr": head, "collapsed": "collapsed into it" in block, **sections}
    return objs


def same(meliae, ours, collapsed):
    mt, ma, ms, mr, mp, mv = meliae
    ot, oa, os_, orf, op, ov = ours
    if (mt, ma, ms, mr, mv) != (ot, oa, os_, orf, ov):
        return False
    if mp == 100:
        return op >= 100
    return op == mp or (collapsed and op > mp)


def main():
    heapwalk, dump, refq = sys.argv[1:4]
    text = open(refq, encoding="utf-8").read().split("\n")
    singles, main_children, dict_checks = [], [], []
    in_main_c = False
    for line in text:
        if line.startswith("# __main__.c"):
            in_main_c = True
            continue
        if line.startswith("#"):
            in_main_c = False
            m = re.match(r"# refs_as_dict\((.*?\)\)) = \{(.*)\}$", line)
            if m:
                dict_checks.append((parse_repr(m.group(1)), m.group(2)))
            continue
        if line.startswith("    ") and REPR.match(line.strip()):
            r = parse_repr(line.strip())
            singles.append(r)
            if in_main_c:
                main_children.append(r)
    mains = [l for l in text if l.startswith("# __main__ modules: [")]
    main_repr = parse_repr(mains[0][len("# __main__ modules: ["):-1]) if mains else None
    addrs = sorted({r[1] for r in singles} | ({main_repr[1]} if main_repr else set())
                   | {d[0][1] for d in dict_checks})
    objs = show(heapwalk, dump, addrs)
    name = dump.split("/")[-1]
    bad = [(r, objs[r[1]]["repr"]) for r in singles if not same(r, objs[r[1]]["repr"], objs[r[1]]["collapsed"])]
    if bad:
        print("not ok - %s: %d of %d reprs differ from meliae's" % (name, len(bad), len(singles)))
        for m, o in bad[:5]:
            print("    meliae %r\n    ours   %r" % (m, o))
    else:
        print("ok - %s: %d reprs match meliae's" % (name, len(singles)))
    if main_repr:
        ours = [parse_repr(c)[1] for c in objs[main_repr[1]].get("children", [])]
        want = [r[1] for r in main_children]
        if ours == want:
            print("ok - %s: __main__'s %d children in meliae's order" % (name, len(want)))
        else:
            print("not ok - %s: __main__'s children differ from meliae's" % name)
    flavour_py2 = "py27" in name
    for head, pairs in dict_checks:
        ours = objs[head[1]].get("as dict", [])
        if flavour_py2:
            # meliae's dict is printed in hash order: compare as sets of "key: value".
            want = set(re.findall(r"('[^']*'|\d+): ('[^']*'|True|False|None|-?\d+)(?=, |$)", pairs))
            have = set(tuple(l.split(": ", 1)) for l in ours)
            missing = want - have
            if want and not missing:
                print("ok - %s: refs as dict of %s has meliae's %d literal pairs" % (name, head[0], len(want)))
            else:
                print("not ok - %s: refs as dict of %s lacks %s" % (name, head[0], sorted(missing)))
        else:
            # Python 3: meliae pairs the values of a str-keyed dict wrongly; heapwalk lists them by
            # position, each the literal or repr of the child at that position.
            entry = objs[head[1]]
            children = entry.get("children", [])
            dict_vals = children[:-1] if entry["collapsed"] else children
            items = [l for l in ours if not l.startswith("(class: ")]
            want = ["[<#%d>]: " % i for i in range(len(dict_vals))]
            if items and len(items) == len(dict_vals) and all(l.startswith(w) for l, w in zip(items, want)):
                print("ok - %s: refs as dict of %s lists its %d values by position (no keys in a Python 3 dump)"
                      % (name, head[0], len(items)))
            else:
                print("not ok - %s: refs as dict of %s: %r" % (name, head[0], ours[:5]))

if __name__ == "__main__":
    main()
