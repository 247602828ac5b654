#!/usr/bin/env python3
"""Check `heapwalk diff` against an independent reading of the two raw dumps.

usage: check_diff.py HEAPWALK OLD NEW

From the raw lines (gzip), with meliae's collapse rules written out again here
(a candidate type absorbs its __dict__; a dict shared by owners is absorbed by
each; first occurrence of an address wins), this computes each dump's objects
and per-type counts and sizes. Then:
  - every type row's counts and sizes are the two summaries' (and the deltas
    their differences);
  - the new objects are exactly the (address, type) pairs of NEW not in OLD,
    per type; gone likewise;
  - the holders table accounts for every new object;
  - --by-holder accounts for every new object, per type, each holder's total
    the sum of its rows, largest holder first;
  - --gone lists exactly the gone objects, each type's together.
Prints "ok - ..." / "not ok - ..." lines.
"""
import gzip
import json
import subprocess
import sys
from collections import defaultdict

SKIP = set("str dict tuple list type function wrapper_descriptor code classobj int weakref".split())


def read_objects(path):
    """The objects of a raw dump (gzip JSON lines, or the array form), in
    order, the first occurrence of an address only."""
    seen = set()
    with gzip.open(path, "rt", encoding="utf-8", errors="surrogatepass") as f:
        for line in f:
            line = line.strip()
            if line in ("[", "]", ""):
                continue
            if line.endswith(","):
                line = line[:-1]
            try:
                o = json.loads(line)
            except ValueError:
                continue  # heapwalk skips bad lines too (the test dumps have one, in edge)
            if o["address"] in seen:
                continue
            seen.add(o["address"])
            yield o


def absorbed_dict(objs, o):
    """meliae's collapse rule: the dict that o absorbs (None if it absorbs
    none) and o's type afterwards (a Python 2 instance takes its class's name)."""
    refs = o.get("refs") or []
    if o["type"] in SKIP:
        return None, o["type"]
    d, t = None, o["type"]
    if o["type"] == "module" and len(refs) == 1:
        c = objs.get(refs[0])
        d = c if c and c["type"] == "dict" else None
    elif len(refs) == 2:
        c0, c1 = objs.get(refs[0]), objs.get(refs[1])
        if c0 and c1 and c0["type"] == "dict" and c1["type"] == "type":
            d = c0
        elif c0 and c1 and o["type"] == "instance" and c0["type"] == "classobj" and c1["type"] == "dict":
            d, t = c1, c0.get("name")
    return (None, o["type"]) if d is None or d is o else (d, t)


def load(path):
    objs, order = {}, []
    for o in read_objects(path):
        a = o["address"]
        objs[a] = {"type": o["type"], "size": o.get("size", 0), "refs": o.get("refs") or [],
                   "name": o.get("name")}
        order.append(a)
    removed = set()
    for a in order:
        o = objs[a]
        d, o["type"] = absorbed_dict(objs, o)
        if d is None:
            continue
        o["size"] += d["size"]
        removed.add(id(d))
    return {a: o for a, o in objs.items() if id(o) not in removed}


def main():
    hw, old_path, new_path = sys.argv[1:4]
    old, new = load(old_path), load(new_path)
    out = subprocess.run([hw, "diff", "-q", "--json", "--top", "0", "--by-holder", "--gone", old_path, new_path],
                         capture_output=True, text=True)
    if out.returncode != 0:
        print("not ok - diff --json ran: exit %d %s" % (out.returncode, out.stderr.strip()[:200]))
        return
    doc = json.loads(out.stdout)
    rows = {r["type"]: r for r in doc["types"]}

    def per_type(objs):
        t = defaultdict(lambda: [0, 0])
        for o in objs.values():
            t[o["type"]][0] += 1
            t[o["type"]][1] += o["size"]
        return t
    to, tn = per_type(old), per_type(new)
    bad = []
    for name in set(to) | set(tn):
        r = rows.get(name)
        want = (to[name][0], to[name][1], tn[name][0], tn[name][1])
        got = r and (r["old_count"], r["old_size"], r["new_count"], r["new_size"])
        if got != want:
            bad.append("%s: heapwalk %s, raw %s" % (name, got, want))
    if set(rows) - (set(to) | set(tn)):
        bad.append("extra types: %s" % sorted(set(rows) - (set(to) | set(tn)))[:5])
    print(("ok" if not bad else "not ok") + " - diff %s: every type's counts and sizes are the two dumps'"
          " (%d types)" % (new_path.split("/")[-1], len(rows)))
    for b in bad[:5]:
        print("    " + b)

    new_keys = {(a, o["type"]) for a, o in new.items()}
    old_keys = {(a, o["type"]) for a, o in old.items()}
    added, gone = new_keys - old_keys, old_keys - new_keys
    added_by_type = defaultdict(int)
    for _, t in added:
        added_by_type[t] += 1
    gone_by_type = defaultdict(int)
    for _, t in gone:
        gone_by_type[t] += 1
    bad = []
    if doc["new"] != len(added) or doc["gone"] != len(gone):
        bad.append("new %d gone %d, raw address sets: new %d gone %d" % (doc["new"], doc["gone"], len(added), len(gone)))
    if doc["new_bytes"] != sum(new[a]["size"] for a, _ in added):
        bad.append("new_bytes %d, raw %d" % (doc["new_bytes"], sum(new[a]["size"] for a, _ in added)))
    for name, r in rows.items():
        if r["new_objects"] != added_by_type.get(name, 0) or r["gone"] != gone_by_type.get(name, 0):
            bad.append("%s: new %d gone %d, raw %d %d" % (name, r["new_objects"], r["gone"],
                                                         added_by_type.get(name, 0), gone_by_type.get(name, 0)))
    print(("ok" if not bad else "not ok") + " - diff: the new and gone objects are the address-set differences"
          " (%d new, %d gone)" % (len(added), len(gone)))
    for b in bad[:5]:
        print("    " + b)

    held = sum(h["objects"] for h in doc["holders"])
    held_bytes = sum(h["bytes"] for h in doc["holders"])
    ok = held == doc["new"] and held_bytes == doc["new_bytes"]
    print(("ok" if ok else "not ok") + " - diff: the holders account for every new object (%d of %d)" % (held, doc["new"]))

    bad = []
    by_type = defaultdict(int)
    totals = []
    for h in doc["by_holder"]:
        if sum(t["objects"] for t in h["types"]) != h["objects"] or sum(t["bytes"] for t in h["types"]) != h["bytes"]:
            bad.append("holder %s: its total is not the sum of its rows" % h["holder"])
        for t in h["types"]:
            by_type[t["type"]] += t["objects"]
        totals.append(h["bytes"])
    if dict(by_type) != dict(added_by_type):
        bad.append("new objects per type by holder differ from the raw ones")
    if totals != sorted(totals, reverse=True):
        bad.append("holders not largest first")
    print(("ok" if not bad else "not ok") + " - diff --by-holder: every new object, per type, under one holder"
          " (%d holders)" % len(doc["by_holder"]))
    for b in bad[:5]:
        print("    " + b)

    listed = [(g["address"], g["type"]) for g in doc["gone_objects"]]
    types_seen, grouped = [], True
    for _, t in listed:
        if types_seen and types_seen[-1] != t and t in types_seen:
            grouped = False
        if not types_seen or types_seen[-1] != t:
            types_seen.append(t)
    ok = set(listed) == gone and len(listed) == len(gone) and grouped
    print(("ok" if ok else "not ok") + " - diff --gone: exactly the gone objects, by type (%d)" % len(listed))


if __name__ == "__main__":
    main()
