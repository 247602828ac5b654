#!/usr/bin/env python3
"""Check `heapwalk sql` and `heapwalk path --from/--to` against the raw dump.

usage: check_sql.py HEAPWALK DUMP [OLD]

The expected answers come from the dump's own lines (gzip and json modules),
read here: the first occurrence of an address wins, refs are kept as written
(repeats and refs to addresses not in the dump included: memsee's ref table).
heapwalk runs with --raw (memsee's uncollapsed view), so no collapse rules are
needed. Checked: per-type counts and sums of sizes and lens, names and values,
the ref table's rows for sampled parents and children (answered from the
indexes), memsee's ADDR&, ADDR^ and ADDR&& against the graph, a join of ref
and obj, a correlated subquery ("dicts held by exactly one ref, from a list"),
--by-type, CSV and JSON output, and shortest paths between two sets (forwards
and --reverse) against a multi-source search written here. With OLD: the
column new (--old OLD), per type, against the (address, type) pairs of DUMP
that OLD does not have.
Prints "ok - ..." / "not ok - ..." lines (tests/run.sh counts them).
"""
import collections
import csv
import gzip
import io
import json
import os
import random
import subprocess
import sys

HW = sys.argv[1]
DUMP = sys.argv[2]
OLD = sys.argv[3] if len(sys.argv) > 3 else None
NAME = os.path.basename(DUMP).split(".")[0]
FAILED = []


def report(ok, name, *evidence):
    name = "sql %s: %s" % (NAME, name)
    if ok:
        print("ok - " + name)
    else:
        FAILED.append(name)
        print("not ok - " + name)
        for e in evidence:
            print("    " + str(e)[:400])


def load(path=None):
    path = path or DUMP
    objs = {}
    order = []
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8", errors="surrogateescape") as f:
        for line in f:
            line = line.strip().rstrip(",")
            if not line.startswith("{"):
                continue
            o = json.loads(line)
            if o["address"] in objs:
                continue
            objs[o["address"]] = o
            order.append(o["address"])
    return objs, order


def hw(*args):
    r = subprocess.run([HW] + list(args), capture_output=True)
    if r.returncode != 0:
        raise RuntimeError("heapwalk %s: exit %d: %s" % (" ".join(args), r.returncode, r.stderr[:300]))
    return r.stdout.decode("utf-8", "surrogateescape")


def sql_csv(query, *opts):
    out = hw("sql", "-q", "--raw", "--csv", *opts, query, DUMP)
    rows = list(csv.reader(io.StringIO(out)))
    return rows[0], rows[1:]


def ints(rows):
    return sorted(int(r[0]) for r in rows)


def main():
    objs, order = load()
    children = {a: o.get("refs", []) for a, o in objs.items()}
    parents = collections.defaultdict(list)  # child address -> parents, one per ref
    for a in order:
        for c in children[a]:
            parents[c].append(a)
    rnd = random.Random(sum(NAME.encode()))

    # per-type counts, sizes, lens
    want = collections.defaultdict(lambda: [0, 0, 0])
    for o in objs.values():
        w = want[o["type"]]
        w[0] += 1
        w[1] += o["size"]
        w[2] += o.get("len", 0) or 0
    _, rows = sql_csv("select type, count(*), sum(size), total(len) from obj group by type")
    got = {r[0]: [int(r[1]), int(r[2]), int(float(r[3]))] for r in rows}
    report(got == {k: v for k, v in want.items()}, "count, sum(size), total(len) by type",
           sorted(set(got.items()) ^ set((k, tuple(v)) for k, v in want.items()))[:3] if got != want else "")

    # names and str values
    want_names = sorted(o["name"] for o in objs.values() if "name" in o)
    _, rows = sql_csv("select name from obj where name is not null order by name")
    got_names = sorted(r[0] for r in rows)
    esc = [n for n in want_names if any(ord(ch) < 0x20 or ch == "\\" or 0x7f <= ord(ch) < 0xa0 for ch in n)]
    if not esc:
        report(got_names == want_names, "names", len(got_names), len(want_names))
    _, rows = sql_csv("select count(*) from obj where type = 'str' and value is not null")
    strs = [o["value"] for o in objs.values() if o["type"] == "str" and isinstance(o.get("value"), str)]
    report(int(rows[0][0]) == len(strs), "str values: count", rows[0][0], len(strs))

    # the ref table, from the indexes: sampled parents and children
    sample = rnd.sample(order, min(60, len(order)))
    for a in sample[:30]:
        _, rows = sql_csv("select child from ref where parent = %d" % a)
        if [int(r[0]) for r in rows] != children[a]:
            report(False, "ref where parent = %d" % a, [r[0] for r in rows][:5], children[a][:5])
            break
    else:
        report(True, "ref where parent = ADDR: every ref, in order, repeats included")
    for a in sample[30:]:
        _, rows = sql_csv("select parent from ref where child = %d" % a)
        if ints(rows) != sorted(parents[a]):
            report(False, "ref where child = %d" % a, ints(rows)[:5], sorted(parents[a])[:5])
            break
    else:
        report(True, "ref where child = ADDR: one row per ref")
    _, rows = sql_csv("select count(*) from ref")
    report(int(rows[0][0]) == sum(len(c) for c in children.values()), "count(*) from ref", rows[0][0])
    missing = [c for c in parents if c not in objs]
    if missing:
        m = missing[0]
        _, rows = sql_csv("select parent from ref where child = %d" % m)
        report(ints(rows) == sorted(parents[m]), "ref where child = a missing address")

    # memsee's shorthands
    busy = [a for a in sample if children[a]][:5] + [a for a in sample if parents.get(a)][:5]
    for a in busy:
        kids = sorted({c for c in children[a] if c in objs})
        grand = sorted({g for c in children[a] for g in children.get(c, []) if g in objs})
        pars = sorted(set(parents.get(a, [])))
        ok = (ints(sql_csv("select address from obj where address in %d&" % a)[1]) == kids and
              ints(sql_csv("select address from obj where address in 0x%x&&" % a)[1]) == grand and
              ints(sql_csv("select address from obj where address in %d^" % a)[1]) == pars)
        if not ok:
            report(False, "ADDR&, ADDR&&, ADDR^ of %d" % a)
            break
    else:
        report(True, "ADDR&, 0xADDR&&, ADDR^ against the graph")

    # a join: the types of what modules refer to
    want = collections.Counter(objs[c]["type"] for a, o in objs.items() if o["type"] == "module"
                               for c in children[a] if c in objs)
    _, rows = sql_csv("select o.type, count(*) from ref r join obj o on o.address = r.child "
                      "where r.parent in (select address from obj where type = 'module') group by o.type")
    report({r[0]: int(r[1]) for r in rows} == dict(want), "join: types of modules' refs")

    # a correlated subquery: dicts referred to exactly once, and by a list
    want = sorted(a for a, o in objs.items() if o["type"] == "dict" and len(parents.get(a, [])) == 1
                  and objs.get(parents[a][0], {}).get("type") == "list")
    _, rows = sql_csv("select d.address from obj d where d.type = 'dict' and "
                      "(select count(*) from ref where child = d.address) = 1 and "
                      "(select p.type from ref r join obj p on p.address = r.parent where r.child = d.address) = 'list'")
    report(ints(rows) == want, "dicts held by exactly one ref, from a list", len(rows), len(want))

    # --by-type of a set, JSON rows
    t = collections.Counter(objs[c]["type"] for a in busy for c in children[a] if c in objs)
    q = "select child from ref where parent in (%s)" % ",".join(str(a) for a in busy)
    got = json.loads(hw("sql", "-q", "--raw", "--json", "--by-type", q, DUMP))
    uniq = {c for a in busy for c in children[a] if c in objs}
    want = collections.Counter(objs[c]["type"] for c in uniq)
    report({r["type"]: int(r["count"]) for r in got["types"]} == dict(want) and int(got["objects"]) == len(uniq),
           "--by-type of a set", got["types"][:3], want.most_common(3))
    lines = hw("sql", "-q", "--raw", "--json", "select address, type, size from obj where type = 'tuple'", DUMP).split("\n")
    rows = [json.loads(x) for x in lines if x]
    want = sorted((a, o["size"]) for a, o in objs.items() if o["type"] == "tuple")
    report(sorted((r["address"], r["size"]) for r in rows) == want, "--json: one object per row")

    # --holders of a set: who refers to its members from outside it
    members = set(uniq)
    want = collections.Counter()
    for m in members:
        for p in set(parents.get(m, [])):
            if p not in members and p in objs:
                want[p] += 1
    got = json.loads(hw("sql", "-q", "--raw", "--json", "--holders", "--limit", "0", q, DUMP))
    report({int(r["address"]): int(r["members"]) for r in got["by_object"]} == dict(want),
           "--holders of a set, by object", len(got["by_object"]), len(want))

    # --retained of one object: the dominator tree's retained column agrees
    a = max(busy, key=lambda x: len(children[x]))
    got = json.loads(hw("sql", "-q", "--raw", "--json", "--retained", "address = %d" % a, DUMP))
    _, rows = sql_csv("select retained from obj where address = %d" % a)
    report(int(got["freed_bytes"]) == int(rows[0][0]), "--retained of one object = its retained column",
           got["freed_bytes"], rows[0][0])

    # collapsed (the default): the same objects `heapwalk export` lists
    exp = collections.Counter(json.loads(x)["type"] for x in hw("export", "-q", DUMP).split("\n") if x)
    out = hw("sql", "-q", "--csv", "select type, count(*) from obj group by type", DUMP)
    got = {r[0]: int(r[1]) for r in list(csv.reader(io.StringIO(out)))[1:]}
    report(got == dict(exp), "collapsed: the objects of heapwalk export")

    # paths between sets
    for reverse in (False, True):
        for _ in range(3):
            src = rnd.sample(order, 3)
            dst = set(rnd.sample(order, 40))
            want = shortest(src, dst, parents if reverse else children, objs)
            fq = "address in (%s)" % ",".join(map(str, src))
            tq = "select address from obj where address in (%s)" % ",".join(map(str, sorted(dst)))
            args = ["path", "-q", "--raw", "--json", "--from", fq, "--to", tq, DUMP]
            if reverse:
                args.insert(3, "--reverse")
            r = subprocess.run([HW] + args, capture_output=True)
            name = "path --from --to%s" % (" --reverse" if reverse else "")
            if want is None:
                ok = r.returncode == 1 and b"no path" in r.stderr
                report(ok, name + ": none when there is none", r.returncode)
                continue
            if r.returncode != 0:
                report(False, name, r.stderr[:200])
                continue
            hops = [int(h["address"]) for h in json.loads(r.stdout)["hops"]]
            edges = parents if reverse else children
            ok = (len(hops) - 1 == want and hops[0] in src and hops[-1] in dst and
                  all(hops[k + 1] in edges.get(hops[k], []) for k in range(len(hops) - 1)))
            report(ok, name + ": shortest, real edges", hops, want)
    if OLD:
        check_new(objs)
    if FAILED:
        print("# %s: %d failed" % (NAME, len(FAILED)))
    else:
        print("# %s: all passed" % NAME)


def check_new(objs):
    old, _ = load(OLD)
    want = collections.Counter(o["type"] for a, o in objs.items()
                               if a not in old or old[a]["type"] != o["type"])
    _, rows = sql_csv("select type, count(*) from obj where new = 1 group by type", "--old", OLD)
    got = {r[0]: int(r[1]) for r in rows}
    report(got == dict(want), "--old: new objects per type", sorted(want.items())[:5], sorted(got.items())[:5])
    _, rows = sql_csv("select count(*) from obj where new = 0", "--old", OLD)
    report(int(rows[0][0]) == len(objs) - sum(want.values()), "--old: the others are new = 0", rows)
    _, rows = sql_csv("select count(new) from obj")
    report(rows == [["0"]], "without --old, new is NULL", rows)


def shortest(src, dst, edges, objs):
    dist = {s: 0 for s in src}
    queue = collections.deque(src)
    while queue:
        v = queue.popleft()
        if v in dst:
            return dist[v]
        for w in edges.get(v, []):
            if w in objs and w not in dist:
                dist[w] = dist[v] + 1
                queue.append(w)
    return None


main()
