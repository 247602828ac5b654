#!/usr/bin/env python3
"""Check `heapwalk trend`, `suspects` and `waste` against an independent
reading of the raw dumps (gzip JSON lines), and waste's container sizes
against real CPython interpreters (pyenv).

usage: check_reports.py trend HEAPWALK DUMP...
       check_reports.py suspects HEAPWALK NEW OLD
       check_reports.py waste HEAPWALK DUMP PYTHON [PYTHON...]
           (the interpreters whose sys.getsizeof gives the natural sizes of
            containers; for a Python 3 dump, 3.8 and a later one: heapwalk
            takes the larger of their list growths)
Prints "ok - ..." / "not ok - ..." lines.
"""
import json
import math
import os
import subprocess
import sys
from collections import Counter, defaultdict

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from check_diff import absorbed_dict, load, read_objects, SKIP  # meliae's collapse, written out in Python


def report(ok, name, details=()):
    print(("ok" if ok else "not ok") + " - " + name)
    for d in list(details)[:5]:
        print("    " + str(d))


def run_json(args):
    out = subprocess.run(args, capture_output=True, text=True)
    if out.returncode != 0:
        report(False, "%s ran: exit %d %s" % (" ".join(args[1:3]), out.returncode, out.stderr.strip()[:200]))
        sys.exit(0)
    return json.loads(out.stdout)


def load_raw(path):
    """Every object, first occurrence of an address wins, no collapse."""
    objs, order = {}, []
    for o in read_objects(path):
        objs[o["address"]] = o
        order.append(o["address"])
    return objs, order


# --- trend ---

def check_trend(hw, dumps):
    per = []
    for p in dumps:
        t = defaultdict(lambda: [0, 0])
        for o in load(p).values():
            t[o["type"]][0] += 1
            t[o["type"]][1] += o["size"]
        per.append(t)
    doc = run_json([hw, "trend", "-q", "--json", "--top", "0"] + dumps)
    names = set().union(*per)
    rows = {r["type"]: r for r in doc["types"]}
    bad = []
    for name in names:
        counts = [t[name][0] if name in t else 0 for t in per]
        sizes = [t[name][1] if name in t else 0 for t in per]
        r = rows.get(name)
        if not r or r["counts"] != counts or r["sizes"] != sizes:
            bad.append("%s: heapwalk %s, raw %s %s" % (name, r and (r["counts"], r["sizes"]), counts, sizes))
    if set(rows) != names:
        bad.append("types: %d vs raw %d" % (len(rows), len(names)))
    report(not bad, "trend: every type's count and size in each of %d dumps are the raw dumps' (%d types)"
           % (len(dumps), len(names)), bad)

    steps = len(dumps) - 1
    def score(s):
        rises = sum(1 for a, b in zip(s, s[1:]) if b > a)
        falls = sum(1 for a, b in zip(s, s[1:]) if b < a)
        return (s[-1] - s[0]) * abs(rises - falls) / steps
    bad = [r["type"] for r in doc["types"] if abs(r["score"] - round(score(r["sizes"]))) > 0.5]
    keys = [(score(r["sizes"]), r["sizes"][-1] - r["sizes"][0]) for r in doc["types"]]
    ordered = all(a >= b for a, b in zip(keys, keys[1:]))
    report(not bad and ordered, "trend: score = growth x |rises - falls| / steps, and rows in score order", bad)

    csv = subprocess.run([hw, "trend", "-q", "--csv", "--top", "0"] + dumps, capture_output=True, text=True).stdout
    lines = csv.strip().split("\n")
    n = len(dumps)
    ok = lines[0] == "type,score," + ",".join("count_%d" % (k + 1) for k in range(n)) + "," + \
        ",".join("size_%d" % (k + 1) for k in range(n))
    for line, r in zip(lines[1:], doc["types"]):
        f = line.rsplit(",", 2 * n + 1)
        ok = ok and [int(x) for x in f[2:]] == r["counts"] + r["sizes"]
    report(ok and len(lines) - 1 == len(doc["types"]), "trend --csv: the same rows as --json")


# --- suspects ---

def load_graph(path):
    """The collapsed dump with its edges as heapwalk keeps them: an owner's
    children are its dict's children then its other refs (the type); refs to
    an absorbed dict go to its first owner."""
    objs, order = load_raw(path)
    owner, absorbed = {}, set()
    for a in order:
        o = objs[a]
        refs = o.get("refs") or []
        d, o["type"] = absorbed_dict(objs, o)
        if d is None:
            continue
        o["size"] += d["size"]
        o["refs"] = list(d.get("refs") or []) + [r for r in refs if r != d["address"]]
        absorbed.add(d["address"])
        owner.setdefault(d["address"], a)
    graph = {}
    for a in order:
        if a in absorbed:
            continue
        o = objs[a]
        graph[a] = {"type": o["type"], "size": o.get("size", 0),
                    "refs": [owner.get(r, r) for r in (o.get("refs") or [])]}
    return graph


def owned_closure(objs, parents, start):
    """Objects whose every parent is in the set, grown from start (a fixpoint)."""
    owned = set(start)
    work = list(start)
    while work:
        a = work.pop()
        for c in objs[a]["refs"]:
            if c in owned or c not in objs:
                continue
            if all(p in owned for p in parents[c]):
                owned.add(c)
                work.append(c)
    return owned


def check_suspects(hw, new_path, old_path):
    new, old = load_graph(new_path), load(old_path)
    total = sum(o["size"] for o in new.values())
    doc = run_json([hw, "suspects", "-q", "--json", "--top", "0", new_path, old_path])
    want = math.ceil(total * 0.10)
    report(doc["total_bytes"] == total and abs(doc["threshold_bytes"] - want) <= 1,
           "suspects: heap %d bytes, threshold 10%% = %d bytes (raw: %d, %d)"
           % (doc["total_bytes"], doc["threshold_bytes"], total, want))
    report(all(s["retained"] >= doc["threshold_bytes"] for s in doc["suspects"]) and len(doc["suspects"]) >= 2,
           "suspects: %d suspects, each retaining at least the threshold" % len(doc["suspects"]))

    parents = defaultdict(set)
    for a, o in new.items():
        for c in o["refs"]:
            parents[c].add(a)
    groups = [s for s in doc["suspects"] if s["kind"] == "group"]
    if not groups:
        report(False, "suspects: a group suspect")
        return
    g = groups[0]
    acc = g["accumulation_point"]["address"]
    # The group: the objects of its type whose only holder is the accumulation point.
    members = [a for a, o in new.items() if o["type"] == g["type"] and parents[a] == {acc}]
    owned = owned_closure(new, parents, members)
    by_type = Counter(new[a]["type"] for a in owned)
    size_by_type = Counter()
    for a in owned:
        size_by_type[new[a]["type"]] += new[a]["size"]
    held = {r["type"]: (r["objects"], r["bytes"]) for r in g["holds"]}
    bad = ["%s: heapwalk %s, raw %s" % (t, held.get(t), (by_type[t], size_by_type[t]))
           for t in set(by_type) | set(held) if held.get(t) != (by_type[t], size_by_type[t])]
    ok = g["objects"] == len(members) and g["held_objects"] == len(owned) and \
        g["held_bytes"] == sum(new[a]["size"] for a in owned) and g["retained"] == g["held_bytes"]
    report(ok and not bad, "suspects: the group of %d %s held by 0x%x holds %d objects, %d bytes, as the raw "
           "dump's owned set" % (len(members), g["type"], acc, len(owned), sum(new[a]["size"] for a in owned)),
           bad + ([] if ok else ["heapwalk %s objects %s held %s bytes" % (g["objects"], g["held_objects"],
                                                                          g["held_bytes"])]))
    old_keys = {(a, o["type"]) for a, o in old.items()}
    new_in = [a for a in owned if (a, new[a]["type"]) not in old_keys]
    report(g["new_objects"] == len(new_in) and g["new_bytes"] == sum(new[a]["size"] for a in new_in),
           "suspects: %d of them are new since the older dump (address and type not in it), %d bytes"
           % (len(new_in), sum(new[a]["size"] for a in new_in)))
    singles = [s for s in doc["suspects"] if s["kind"] == "object"]
    report(any(s["accumulation_point"] and s["accumulation_point"]["address"] == acc for s in singles),
           "suspects: a single object's accumulation point is the group's container 0x%x" % acc)


# --- waste ---

NATURAL = r'''
import sys, json
lens = json.loads(sys.stdin.read())
out = {}
for kind, ls in lens.items():
    res = {}
    for n in ls:
        if kind == "list":
            c = []
            for i in range(n): c.append(i)
        elif kind == "dict":
            c = {}
            for i in range(n): c[i] = i
        else:
            c = set()
            for i in range(n): c.add(i)
        res[str(n)] = sys.getsizeof(c)
    out[kind] = res
sys.stdout.write(json.dumps(out))
'''


def natural_sizes(pythons, lens):
    """{kind: {len: size}}: the largest getsizeof of a container built one item at a time."""
    best = defaultdict(dict)
    for py in pythons:
        out = subprocess.run([py, "-c", NATURAL], input=json.dumps(lens), capture_output=True, text=True)
        if out.returncode != 0:
            report(False, "waste: %s runs: %s" % (py, out.stderr.strip()[:200]))
            sys.exit(0)
        for kind, res in json.loads(out.stdout).items():
            for n, s in res.items():
                best[kind][int(n)] = max(best[kind].get(int(n), 0), s)
    return best


def check_waste(hw, path, pythons):
    objs, order = load_raw(path)
    doc = run_json([hw, "waste", "-q", "--json", "--top", "0", path])

    # Duplicates: values whose len is their length in characters (not cut), by (type, value).
    groups = defaultdict(list)
    per_type = defaultdict(lambda: [0, 0, 0, 0])
    for a in order:
        o = objs[a]
        if o["type"] not in ("str", "bytes", "unicode"):
            continue
        t = per_type[o["type"]]
        t[0] += 1
        t[1] += o["size"]
        v = o.get("value")
        if not isinstance(v, str) or "len" not in o or o["len"] > len(v):
            t[2] += 1
            t[3] += o["size"]
            continue
        groups[(o["type"], v)].append(o["size"])
    saving = defaultdict(int)
    values = defaultdict(int)
    for (t, v), sizes in groups.items():
        if len(sizes) > 1:
            saving[t] += sum(sizes) - min(sizes)
            values[t] += 1
    rows = {r["type"]: r for r in doc["duplicates"]["types"]}
    bad = []
    for t, (n, b, cut, cutb) in per_type.items():
        r = rows.get(t, {})
        got = (r.get("objects"), r.get("bytes"), r.get("cut"), r.get("cut_bytes"), r.get("values"), r.get("saving"))
        if got != (n, b, cut, cutb, values[t], saving[t]):
            bad.append("%s: heapwalk %s, raw %s" % (t, got, (n, b, cut, cutb, values[t], saving[t])))
    report(not bad and doc["duplicates"]["saving"] == sum(saving.values()),
           "waste %s: duplicate values and their saving (%d bytes), cut values not compared (%d)"
           % (os.path.basename(path), sum(saving.values()), sum(t[2] for t in per_type.values())), bad)
    top = doc["duplicates"]["values"][:20]
    bad = [v for v in top if len(groups.get((v["type"], v["value"]), ())) != v["copies"]]
    report(top and not bad, "waste: the top values' copies are the raw dump's", [b["value"][:40] for b in bad])

    # Containers: empty ones, and sizes above CPython's for a container built one item at a time.
    kinds = ("list", "dict", "set")
    lens = {k: sorted({o["len"] for o in objs.values() if o["type"] == k and "len" in o}) for k in kinds}
    nat = natural_sizes(pythons, lens)
    rows = {r["type"]: r for r in doc["containers"]}
    bad = []
    for k in kinds:
        cs = [o for o in objs.values() if o["type"] == k]
        if not cs:
            continue
        empty = [o for o in cs if o.get("len") == 0]
        assessed = any("len" in o and o["size"] == nat[k][o["len"]] for o in cs)
        over = [o for o in cs if assessed and "len" in o and o["size"] > nat[k][o["len"]]]
        want = (len(cs), sum(o["size"] for o in cs), len(empty), sum(o["size"] for o in empty), assessed,
                len(over), sum(o["size"] - nat[k][o["len"]] for o in over))
        r = rows.get(k, {})
        got = (r.get("objects"), r.get("bytes"), r.get("empty"), r.get("empty_bytes"), r.get("assessed"),
               r.get("over"), r.get("excess"))
        if got != want:
            bad.append("%s: heapwalk %s, raw %s" % (k, got, want))
    report(not bad, "waste: empty containers, and over-allocated ones against %s's sys.getsizeof"
           % "/".join(os.path.basename(os.path.dirname(os.path.dirname(p))) or p for p in pythons), bad)

    # __slots__: instances whose refs are exactly (dict, type); Python 2 instances (classobj, dict).
    classes = defaultdict(lambda: [0, 0, 0])
    owned = set()
    for a in order:
        o = objs[a]
        refs = o.get("refs") or []
        if o["type"] in SKIP or o["type"] == "module" or len(refs) != 2:
            continue
        c0, c1 = objs.get(refs[0]), objs.get(refs[1])
        if not c0 or not c1:
            continue
        if c0["type"] == "dict" and c1["type"] == "type":
            d, name = c0, o["type"]
        elif o["type"] == "instance" and c0["type"] == "classobj" and c1["type"] == "dict":
            d, name = c1, c0.get("name", "instance")
        else:
            continue
        if d["address"] in owned or d is o:
            continue
        owned.add(d["address"])
        c = classes[name]
        c[0] += 1
        c[1] += d["size"]
        c[2] += max(0, d["size"] - 8 * d.get("len", 0))
    rows = {r["class"]: r for r in doc["slots"]["classes"]}
    bad = ["%s: heapwalk %s, raw %s" % (n, rows.get(n) and (rows[n]["instances"], rows[n]["dict_bytes"],
                                                             rows[n]["saving"]), c)
           for n, c in classes.items() if not rows.get(n) or
           (rows[n]["instances"], rows[n]["dict_bytes"], rows[n]["saving"]) != tuple(c)]
    report(not bad and len(rows) == len(classes) and doc["slots"]["saving"] == sum(c[2] for c in classes.values()),
           "waste: __slots__ savings of %d classes (%d bytes)" % (len(classes), sum(c[2] for c in classes.values())),
           bad)


def main():
    mode, hw = sys.argv[1], sys.argv[2]
    if mode == "trend":
        check_trend(hw, sys.argv[3:])
    elif mode == "suspects":
        check_suspects(hw, sys.argv[3], sys.argv[4])
    elif mode == "waste":
        check_waste(hw, sys.argv[3], sys.argv[4:])


if __name__ == "__main__":
    main()
