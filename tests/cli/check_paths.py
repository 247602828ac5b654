#!/usr/bin/env python3
"""Check heapwalk's roots, distances and paths against the raw dump.

usage: check_paths.py HEAPWALK DUMP

Everything expected here is computed from the dump's own lines (gzip and json
modules), by an implementation of its own:
  - the graph: the first occurrence of an address wins; meliae's
    collapse_instance_dicts as MELIAE-FORMAT.md and docs/design.md state it
    (candidates: any type but the skip list; a module with exactly one ref, a
    dict; another object with refs (dict, type); a Python 2 instance with refs
    (classobj, dict), renamed to its class); a dict shared by two owners is
    absorbed into both; refs to an absorbed dict go to its first owner in dump
    order; an owner's children are the dict's children, then its other refs;
    refs to missing addresses are no edges;
  - the roots: anchors = modules and frames that no frame refers to; then,
    over what the anchors do not reach, one root per source strongly connected
    component (an iterative Tarjan written here), its first object in dump
    order;
  - distances: a breadth-first search from the anchors, then one from the
    structural roots over what is left.
`heapwalk export` must agree object for object and every pred must be a real
edge; a sample of `heapwalk path` answers must be real, shortest, distinct and
simple paths that avoid what they were told to avoid; `heapwalk roots --json`
and `heapwalk dot` must agree with the same graph.

Each `heapwalk path` loads the dump again, so the number of sampled objects
(4 to 50) follows how long one query takes: about HW_PATHS_BUDGET seconds of
queries per dump (default 6, 3 when HW_SANITIZED is set: make test's sanitizer
pass, where heapwalk is ~3x slower); HW_PATH_SAMPLES=N forces N.
Prints "ok - ..." / "not ok - ..." lines (tests/run.sh counts them).
"""
import concurrent.futures
import gzip
import json
import os
import random
import re
import subprocess
import sys
import time

SKIP = {"str", "dict", "tuple", "list", "type", "function", "wrapper_descriptor",
        "code", "classobj", "int", "weakref"}
MAX_SAMPLES = 50
MIN_SAMPLES = 4
BUDGET = float(os.environ.get("HW_PATHS_BUDGET", "3" if os.environ.get("HW_SANITIZED") else "6"))

HW = sys.argv[1]
DUMP = sys.argv[2]
NAME = os.path.basename(DUMP).split(".")[0]
FAILED = []


def report(ok, name, *evidence):
    name = "paths %s: %s" % (NAME, name)
    if ok:
        print("ok - " + name)
    else:
        FAILED.append(name)
        print("not ok - " + name)
        for e in evidence[:10]:
            print("    " + str(e))
    sys.stdout.flush()


def run(args):
    return subprocess.run([HW] + args, capture_output=True, text=True)


def popen(args):
    return subprocess.Popen([HW] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def jsonl(text):
    """JSON lines; only "\\n" ends a line (str.splitlines also splits at U+2028...)."""
    out = []
    for line in text.split("\n"):
        if line:
            try:
                out.append(json.loads(line))
            except ValueError:
                out.append(None)
    return out


# The slow heapwalk runs start first and work while Python reads the dump.
t0 = time.time()
export_proc = popen(["export", "-q", DUMP])
roots_proc = popen(["roots", "--json", "--limit", "0", "-q", DUMP])

# --- the raw dump ---


def read_raw(path):
    with open(path, "rb") as f:
        magic = f.read(2)
    opener = gzip.open if magic == b"\x1f\x8b" else open
    addr, typ, name, refs = [], [], [], []
    index = {}
    with opener(path, "rt", encoding="utf-8", errors="surrogateescape") as f:
        for line in f:
            line = line.strip()
            if not line or line in ("[", "]"):
                continue
            if line.endswith(","):
                line = line[:-1]
            try:
                o = json.loads(line)
                a, t, r = o["address"], o["type"], o["refs"]
            except (ValueError, KeyError, TypeError):
                continue  # a bad line: heapwalk skips it too
            if a in index:
                continue  # the first occurrence wins
            index[a] = len(addr)
            addr.append(a)
            typ.append(t)
            name.append(o.get("name"))
            refs.append(r)
    return addr, typ, name, refs, index


raw_addr, raw_type, raw_name, raw_refs, raw_index = read_raw(DUMP)

# --- collapse_instance_dicts ---

absorbed = {}     # owner (raw number) -> (its dict, its other refs as addresses)
first_owner = {}  # dict (raw number) -> its first owner in dump order
new_type = list(raw_type)
for i, t in enumerate(raw_type):
    if t in SKIP:
        continue
    r = raw_refs[i]
    if t == "module" and len(r) == 1:
        d = raw_index.get(r[0])
        if d is None or raw_type[d] != "dict":
            continue
        others = []
    elif len(r) == 2:
        a, b = raw_index.get(r[0]), raw_index.get(r[1])
        if a is None or b is None:
            continue
        if raw_type[a] == "dict" and raw_type[b] == "type":
            d, others = a, [r[1]]
        elif t == "instance" and raw_type[a] == "classobj" and raw_type[b] == "dict":
            d, others = b, [r[0]]
            if raw_name[a] is not None:
                new_type[i] = raw_name[a]
        else:
            continue
    else:
        continue
    absorbed[i] = (d, others)
    first_owner.setdefault(d, i)

# The objects left, in dump order, and their children (None: a missing address).
keep = [i for i in range(len(raw_addr)) if i not in first_owner]
pos = {i: n for n, i in enumerate(keep)}
N = len(keep)
addr = [raw_addr[i] for i in keep]
typ = [new_type[i] for i in keep]
name = [raw_name[i] for i in keep]
children = []      # child object numbers in ref order, None for a missing address
child_addrs = []   # the same as addresses (a redirected ref: its owner's)
for i in keep:
    if i in absorbed:
        d, others = absorbed[i]
        rr = raw_refs[d] + others
    else:
        rr = raw_refs[i]
    cs, ca = [], []
    for a in rr:
        j = raw_index.get(a)
        if j is None:
            cs.append(None)
            ca.append(a)
            continue
        j = first_owner.get(j, j)
        cs.append(pos[j])
        ca.append(raw_addr[j])
    children.append(cs)
    child_addrs.append(ca)
obj_of = {a: n for n, a in enumerate(addr)}
child_set = [set(c for c in cs if c is not None) for cs in children]
parents = [[] for _ in range(N)]
for v in range(N):
    for c in child_set[v]:
        parents[c].append(v)


def globals_only(u, v):
    """Is every ref of u to v a function's __globals__ (its second ref)?"""
    if typ[u] != "function":
        return False
    ks = [k for k, c in enumerate(children[u]) if c == v]
    return bool(ks) and all(k == 1 for k in ks)


def type_ref(u, v):
    """A ref to a class (a type or a classobj)."""
    return typ[v] in ("type", "classobj")


# --- roots ---

anchor_kind = [None] * N
for v in range(N):
    if typ[v] == "module":
        anchor_kind[v] = "module"
    elif typ[v] == "frame" and not any(typ[p] == "frame" for p in parents[v]):
        anchor_kind[v] = "frame"
anchors = [v for v in range(N) if anchor_kind[v]]


def bfs(sources, dist, skip_edge=None, pred=None):
    """Multi-source BFS: fills dist (None = unreached), and pred if given, from the sources."""
    frontier = []
    for s in sources:
        if dist[s] is None:
            dist[s] = 0
            frontier.append(s)
    d = 0
    while frontier:
        d += 1
        nxt = []
        for v in frontier:
            for c in child_set[v]:
                if dist[c] is None and not (skip_edge and skip_edge(v, c)):
                    dist[c] = d
                    if pred is not None:
                        pred[c] = v
                    nxt.append(c)
        frontier = nxt
    return dist


reached = bfs(anchors, [None] * N)


def tarjan_unreached():
    """Iterative Tarjan over the objects the anchors do not reach."""
    index = [-1] * N
    low = [0] * N
    on = [False] * N
    comp = [-1] * N
    stack = []
    counter = ncomp = 0
    for s in range(N):
        if reached[s] is not None or index[s] >= 0:
            continue
        index[s] = low[s] = counter
        counter += 1
        stack.append(s)
        on[s] = True
        work = [(s, iter(child_set[s]))]
        while work:
            v, it = work[-1]
            descended = False
            for w in it:
                if index[w] < 0:
                    index[w] = low[w] = counter
                    counter += 1
                    stack.append(w)
                    on[w] = True
                    work.append((w, iter(child_set[w])))
                    descended = True
                    break
                if on[w] and index[w] < low[v]:
                    low[v] = index[w]
            if descended:
                continue
            work.pop()
            if work:
                u = work[-1][0]
                if low[v] < low[u]:
                    low[u] = low[v]
            if low[v] == index[v]:
                while True:
                    w = stack.pop()
                    on[w] = False
                    comp[w] = ncomp
                    if w == v:
                        break
                ncomp += 1
    return comp, ncomp


comp, ncomp = tarjan_unreached()
entered = [False] * ncomp
for v in range(N):
    if reached[v] is None and any(comp[p] != comp[v] for p in parents[v]):
        entered[comp[v]] = True
kind = list(anchor_kind)
structural = []
for v in range(N):
    if reached[v] is None and not entered[comp[v]]:
        entered[comp[v]] = True  # the first of its component in dump order
        kind[v] = "structural"
        structural.append(v)
orphans = [v for v in range(N) if not parents[v] and anchor_kind[v] is None]


def two_phase(skip_edge=None, pred=None):
    return bfs(structural, bfs(anchors, [None] * N, skip_edge, pred), skip_edge, pred)


my_pred = [None] * N
dist = two_phase(pred=my_pred)
analysis_s = time.time() - t0
small = N < 100000

# --- heapwalk path ---


def allowed_edge(u, v, excl_globals):
    return v in child_set[u] and not (excl_globals and globals_only(u, v))


def expected_len(target, avoid=(), excl_globals=False):
    """paths_find's answer by a backward search written here: the nearest
    anchor if an anchor gets there at all, else the nearest structural root.
    Returns (hops, root kind), (None, None) when no path exists."""
    if kind[target]:
        return 0, kind[target]
    seen = {target}
    frontier = [target]
    d = 0
    best_struct = None
    while frontier:
        d += 1
        nxt = []
        for v in frontier:
            for u in parents[v]:
                if u in seen or u in avoid or not allowed_edge(u, v, excl_globals):
                    continue
                seen.add(u)
                if anchor_kind[u]:
                    return d, anchor_kind[u]
                if kind[u] == "structural" and best_struct is None:
                    best_struct = d
                nxt.append(u)
        frontier = nxt
    return (best_struct, "structural") if best_struct is not None else (None, None)


def check_hops(p, target, avoid=(), excl_globals=False):
    """What is wrong with one path of `path --json` (a list of strings)."""
    probs = []
    hops = p.get("hops") or []
    if not hops:
        return ["no hops"]
    addrs = [h.get("address") for h in hops]
    objs = [obj_of.get(a) for a in addrs]
    if None in objs:
        return ["an address that is not in the dump: %s" % addrs]
    if objs[-1] != target:
        probs.append("ends at %s, not at the target" % addrs[-1])
    if p.get("length") != len(hops) - 1:
        probs.append("length %s for %d hops" % (p.get("length"), len(hops)))
    if len(set(addrs)) != len(addrs):
        probs.append("not simple: %s" % addrs)
    r0 = objs[0]
    if kind[r0] is None or p.get("root_kind") != kind[r0]:
        probs.append("starts at %s %d (root: %s), root_kind %s" % (typ[r0], addr[r0], kind[r0], p.get("root_kind")))
    if kind[r0] == "module" and not p.get("expression", "").startswith("sys.modules[%r]" % name[r0]):
        probs.append("expression %r does not start with sys.modules[%r]" % (p.get("expression"), name[r0]))
    for k, h in enumerate(hops):
        if h.get("distance") != k:
            probs.append("hop %d has distance %s" % (k, h.get("distance")))
        if h.get("type") != typ[objs[k]]:
            probs.append("hop %d: type %s, raw %s" % (k, h.get("type"), typ[objs[k]]))
        if 0 < k < len(hops) - 1 and objs[k] in avoid:
            probs.append("goes through the avoided %d" % addrs[k])
        if k + 1 == len(hops):
            continue
        u, v = objs[k], objs[k + 1]
        if v not in child_set[u]:
            probs.append("hop %d: %s %d does not refer to %s %d in the raw dump" % (k, typ[u], addr[u], typ[v], addr[v]))
            continue
        first = children[u].index(v)
        edge = h.get("edge")
        # list_traverse and tupletraverse store the last item first.
        index = len(children[u]) - 1 - first
        if typ[u] in ("list", "tuple") and edge != "[%d]" % index:
            probs.append("hop %d: %s edge %r, the item is at [%d] (ref %d of %d)"
                         % (k, typ[u], edge, index, first, len(children[u])))
        if typ[u] == "function" and first in (0, 1) and edge != (".__code__", ".__globals__")[first]:
            probs.append("hop %d: function edge %r for its ref %d" % (k, edge, first))
        if excl_globals and globals_only(u, v):
            probs.append("hop %d uses the __globals__ of function %d" % (k, addr[u]))
    return probs


def path_query(target, extra=()):
    t = time.time()
    res = run(["path", "--json", "-q"] + list(extra) + [str(addr[target]), DUMP])
    return res, time.time() - t


def first_path(res):
    try:
        return json.loads(res.stdout)["paths"][0]
    except (ValueError, KeyError, IndexError, TypeError):
        return None


# --- heapwalk dot (the small dumps) ---

NODE = re.compile(r'^  o(\d+) \[label="((?:[^"\\]|\\.)*)"'
                  r'(, style=(?:filled|"filled,bold"), fillcolor="#[0-9a-f]{6}")?\];$')
EDGE = re.compile(r'^  o(\d+) -> o(\d+) \[label="((?:[^"\\]|\\.)*)"\];$')
MORE = re.compile(r'^  more(\d+) \[label="(\d+) more", shape=plaintext\];$')
MORE_EDGE = re.compile(r'^  (?:o(\d+) -> more(\d+)|more(\d+) -> o(\d+));$')


def near(start, depth, direction):
    seen = {start}
    frontier = [start]
    for _ in range(depth):
        nxt = []
        for v in frontier:
            for w in (child_set[v] if direction == "children" else parents[v]):
                if w not in seen:
                    seen.add(w)
                    nxt.append(w)
        frontier = nxt
    return seen


def run_dot(start, depth, fanout, direction):
    return run(["dot", "-q", "--depth", str(depth), "--fanout", str(fanout), "--" + direction, str(addr[start]), DUMP])


def check_dot(res, start, depth, fanout, direction):
    if res.returncode != 0:
        return ["exit %d: %s" % (res.returncode, res.stderr.strip()[:200])], 0
    probs = []
    lines = res.stdout.split("\n")
    head = "digraph %s {" % ("refs" if direction == "children" else "backrefs")
    if lines[0] != head or lines[-1] != "" or lines[-2] != "}":
        probs.append("not a digraph { ... }: %r ... %r" % (lines[0], lines[-2:]))
    nodes, edges, mores, more_of = {}, [], {}, {}
    for line in lines[1:-2]:
        m = NODE.match(line)
        if m:
            label = m.group(2).split("\\n")
            if m.group(1) in nodes:
                probs.append("node o%s declared twice" % m.group(1))
            try:
                a = int(label[1], 16)
            except (IndexError, ValueError):
                probs.append("a node label without an address: %r" % line)
                continue
            nodes[m.group(1)] = (a, label, m.group(3) or "")
            continue
        m = EDGE.match(line)
        if m:
            edges.append((m.group(1), m.group(2)))
            continue
        m = MORE.match(line)
        if m:
            mores[m.group(1)] = int(m.group(2))
            continue
        m = MORE_EDGE.match(line)
        if m:
            more_of[m.group(1) or m.group(4)] = mores.get(m.group(2) or m.group(3))
            continue
        if line.startswith("  node [shape=box"):
            continue
        probs.append("unexpected line %r" % line)
    around = near(start, depth, direction)
    for oid, (a, label, style) in nodes.items():
        v = obj_of.get(a)
        if v is None:
            probs.append("node o%s: no object at 0x%x" % (oid, a))
            continue
        if label[0] != typ[v]:
            probs.append("node 0x%x: type %s, raw %s" % (a, label[0], typ[v]))
        if ("bold" in style) != (v == start):
            probs.append("node 0x%x: highlighted: %s" % (a, "bold" in style))
        mark = [x[1:-6] for x in label if x.startswith("(") and x.endswith(" root)")]
        if (mark[0] if mark else None) != kind[v]:
            probs.append("node 0x%x: root mark %s, root kind %s" % (a, mark, kind[v]))
        if bool(style) != (kind[v] is not None or v == start):
            probs.append("node 0x%x: filled: %s" % (a, bool(style)))
        if v not in around:
            probs.append("node 0x%x is more than %d levels from the start" % (a, depth))
    for a_, b_ in edges:
        if a_ not in nodes or b_ not in nodes:
            probs.append("edge o%s -> o%s to an undeclared node" % (a_, b_))
            continue
        u, v = obj_of.get(nodes[a_][0]), obj_of.get(nodes[b_][0])
        if u is None or v is None or v not in child_set[u]:
            probs.append("edge 0x%x -> 0x%x is not an edge of the raw dump" % (nodes[a_][0], nodes[b_][0]))
    if len(set(edges)) != len(edges):
        probs.append("an edge drawn twice")
    for oid, cnt in more_of.items():
        v = obj_of.get(nodes[oid][0]) if oid in nodes else None
        if v is None or cnt is None:
            probs.append("a 'more' node for o%s without a count" % oid)
            continue
        if direction == "parents" and cnt != len(parents[v]) - fanout:
            probs.append("0x%x: '%d more' parents; it has %d, fanout %d" % (addr[v], cnt, len(parents[v]), fanout))
        if direction == "children" and not 1 <= cnt <= len(children[v]) - fanout:
            probs.append("0x%x: '%d more' children; it has %d, fanout %d" % (addr[v], cnt, len(children[v]), fanout))
        shown = sum(1 for a_, b_ in edges if (a_ if direction == "children" else b_) == oid)
        if shown != fanout:
            probs.append("0x%x: %d edges beside its 'more' node, fanout %d" % (addr[v], shown, fanout))
    if parents[start] and direction == "parents" and not edges:
        probs.append("no edges")
    return probs, len(edges)


rng = random.Random(NAME)
nonroots = [v for v in range(N) if kind[v] is None]
deep = sorted(nonroots, key=lambda v: -(dist[v] or 0))[:3]
# Objects the anchors reach that a structural root reaches in fewer hops:
# their paths from an anchor come first, the others must still follow in
# order (two of them, the widest gaps first).
from_structural = bfs(structural, [None] * N)
mixed = sorted((v for v in nonroots if from_structural[v] is not None and reached[v] is not None
                and from_structural[v] < reached[v]), key=lambda v: (from_structural[v] - reached[v], v))[:2]
pool = [v for v in nonroots if (dist[v] or 0) >= 2]
samples = mixed + deep + rng.sample(pool, min(len(pool), 200)) + rng.sample(nonroots, min(len(nonroots), 50))
seen_s = set()
samples = [v for v in samples if not (v in seen_s or seen_s.add(v))]

# One query alone first, to see how long a query takes; then the others run,
# two at a time, while the export is checked.
first_res, one = path_query(samples[0], ["--all", "3"])
if os.environ.get("HW_PATH_SAMPLES"):
    nsamples = int(os.environ["HW_PATH_SAMPLES"])
else:
    nsamples = max(MIN_SAMPLES, min(MAX_SAMPLES, int(BUDGET / max(one, 0.01))))
samples = samples[:nsamples]


def my_path(v):
    """A shortest path by this script's own BFS."""
    path = [v]
    while my_pred[path[-1]] is not None:
        path.append(my_pred[path[-1]])
    return path[::-1]


# --avoid the middle of a shortest path; --exclude globals for objects whose
# shortest path goes through a function's __globals__ (when the dump has
# any); --root the object just before the target.
avoid_jobs = []
for v in samples:
    mp = my_path(v)
    if len(mp) >= 3 and len(avoid_jobs) < (4 if small else 2):
        avoid_jobs.append((v, mp[len(mp) // 2]))
uses_g = [False] * N
for v in sorted((v for v in range(N) if dist[v]), key=lambda v: dist[v]):
    u = my_pred[v]
    uses_g[v] = uses_g[u] or globals_only(u, v)
g_targets = [v for v in range(N) if uses_g[v] and kind[v] is None]
g_jobs = rng.sample(g_targets, min(2 if small else 1, len(g_targets))) + samples[:1 if small or not g_targets else 0]
pin_jobs = [(v, addr[my_pred[v]]) for v in samples[:1] if (dist[v] or 0) >= 2]

ex = concurrent.futures.ThreadPoolExecutor(max_workers=2)
f_samples = [(v, ex.submit(path_query, v, ["--all", "3"])) for v in samples[1:]]
fa = [(v, x, ex.submit(path_query, v, ["--avoid", str(addr[x])])) for v, x in avoid_jobs]
fg = [(v, ex.submit(path_query, v, ["--exclude", "globals"])) for v in g_jobs]
fp = [(v, pin, ex.submit(path_query, v, ["--root", str(pin)])) for v, pin in pin_jobs]
fr = ex.submit(path_query, anchors[0]) if anchors and small else None
if small:
    many = max(nonroots, key=lambda v: (len(parents[v]) > 12, -(dist[v] or 0)))
    dot_cases = [(samples[1 % len(samples)], 3, 10, "parents"), (many, 2, 4, "parents"),
                 (anchors[0] if anchors else samples[0], 2, 3, "children")]
    f_dot = [(c, ex.submit(run_dot, *c)) for c in dot_cases]
    f_excl = ex.submit(run, ["export", "-q", "--exclude", "globals,type", DUMP])

# --- heapwalk export ---

out, err = export_proc.communicate()
report(export_proc.returncode == 0, "export exits 0", err.strip()[:300])
exp = jsonl(out)
report(len(exp) == N and None not in exp, "export: one JSON object per object (%d)" % N,
       "export has %d lines, the raw dump after collapse %d objects" % (len(exp), N))
M = min(len(exp), N)
bad = [k for k in range(M) if exp[k] is None or exp[k].get("address") != addr[k] or exp[k].get("type") != typ[k]]
report(not bad, "export: the objects of the raw dump after collapse, in dump order",
       *["#%d: export %s, raw %s %s" % (k, exp[k] and (exp[k].get("address"), exp[k].get("type")), addr[k], typ[k])
         for k in bad[:5]])
rows = [k for k in range(M) if exp[k] is not None and exp[k].get("address") == addr[k]]
bad = [k for k in rows if exp[k].get("refs") != child_addrs[k]]
report(not bad, "export: refs equal the raw refs with collapse and redirection applied",
       *["%s %d: export %s, raw %s" % (typ[k], addr[k], exp[k].get("refs")[:8], child_addrs[k][:8]) for k in bad[:5]])

# (a) every object has a distance
bad = [k for k in rows if exp[k].get("distance") is None]
report(not bad and len(rows) == N, "export: every object has a distance (%d objects)" % N,
       *["%s %d has none" % (typ[k], addr[k]) for k in bad[:5]])

bad = [k for k in rows if exp[k].get("root") != kind[k]]
report(not bad, "export: root kinds (%d anchors, %d structural) equal the independent ones" %
       (len(anchors), len(structural)),
       *["%s %d: export root %r, expected %r" % (typ[k], addr[k], exp[k].get("root"), kind[k]) for k in bad[:5]])

# (b) distances
bad = [k for k in rows if exp[k].get("distance") != dist[k]]
maxd = max((d for d in dist if d is not None), default=0)
report(not bad, "export: distances equal an independent two-phase BFS (max %d)" % maxd,
       *["%s %d: export %r, BFS %r" % (typ[k], addr[k], exp[k].get("distance"), dist[k]) for k in bad[:5]])
report(all(d is not None for d in dist), "the independent BFS reaches every object too")

# (c) every pred is a real edge, one hop closer
bad = []
for k in rows:
    p, d = exp[k].get("pred"), exp[k].get("distance")
    if not d:
        if p is not None:
            bad.append("%s %d: a root (distance %s) with pred %s" % (typ[k], addr[k], d, p))
        continue
    u = obj_of.get(p)
    if u is None or k not in child_set[u]:
        bad.append("%s %d: pred %s does not refer to it in the raw dump" % (typ[k], addr[k], p))
    elif dist[u] is None or dist[u] + 1 != d:
        bad.append("%s %d at %s: pred %s at %s" % (typ[k], addr[k], d, p, dist[u]))
report(not bad, "export: every pred is a real edge of the raw dump, one hop closer", *bad[:5])

# --- heapwalk roots --json ---

r_out, r_err = roots_proc.communicate()
try:
    rj = json.loads(r_out)
except ValueError:
    rj = None
report(roots_proc.returncode == 0 and rj is not None, "roots --json: exit 0, JSON", r_err.strip()[:200])
if rj:
    al, sl, ol = rj.get("anchor_roots", []), rj.get("structural_roots", []), rj.get("orphan_candidates", [])
    nmod = sum(1 for x in al if x.get("kind") == "module")
    nfr = sum(1 for x in al if x.get("kind") == "frame")
    report(rj.get("modules") == nmod and rj.get("frames") == nfr and nmod + nfr == len(al) and
           rj.get("structural") == len(sl) and rj.get("orphans") == len(ol),
           "roots --json: counts agree with its lists",
           {k: rj.get(k) for k in ("modules", "frames", "structural", "orphans")},
           "lists: %d modules, %d frames of %d anchors, %d structural, %d orphans" % (nmod, nfr, len(al), len(sl), len(ol)))
    report([x.get("address") for x in al] == [addr[v] for v in anchors] and
           [x.get("kind") for x in al] == [kind[v] for v in anchors] and
           [x.get("address") for x in sl] == [addr[v] for v in structural] and
           all(x.get("kind") == "structural" for x in sl),
           "roots --json: anchors and structural roots equal the independent ones, in dump order",
           "anchors: heapwalk %d, expected %d; structural: heapwalk %d, expected %d" %
           (len(al), len(anchors), len(sl), len(structural)))
    report([x.get("address") for x in ol] == [addr[v] for v in orphans],
           "roots --json: orphan candidates are the parentless non-anchors (%d)" % len(orphans),
           "heapwalk %d, expected %d" % (len(ol), len(orphans)))

results = {samples[0]: first_res}
for v, f in f_samples:
    results[v] = f.result()[0]

bad_exit, bad_short, bad_hops, bad_multi = [], [], [], []
for v in samples:
    res = results[v]
    try:
        j = json.loads(res.stdout) if res.returncode == 0 else None
    except ValueError:
        j = None
    if not j or not j.get("paths") or j.get("target") != addr[v]:
        bad_exit.append("%s %d: exit %d %s" % (typ[v], addr[v], res.returncode, res.stderr.strip()[:200]))
        continue
    ps = j["paths"]
    for n_, p in enumerate(ps):
        bad_hops += ["%s %d path %d: %s" % (typ[v], addr[v], n_, q) for q in check_hops(p, v)]
    exp_d = exp[v].get("distance") if v < len(exp) and exp[v] else "?"
    if ps[0].get("length") != dist[v] or ps[0].get("length") != exp_d:
        bad_short.append("%s %d: first path %s hops, export %s, BFS %s" % (typ[v], addr[v], ps[0].get("length"), exp_d, dist[v]))
    lens = [p.get("length") for p in ps]
    keys = [tuple(h.get("address") for h in p.get("hops") or []) for p in ps]
    if len(set(keys)) != len(keys):
        bad_multi.append("%s %d: the same path twice" % (typ[v], addr[v]))
    # Anchor paths first (shortest first), then structural ones (shortest first).
    order = [(p.get("root_kind") == "structural", p.get("length")) for p in ps]
    if order != sorted(order):
        bad_multi.append("%s %d: lengths %s from %s roots" % (typ[v], addr[v], lens, [p.get("root_kind") for p in ps]))
    if len(ps) > 3:
        bad_multi.append("%s %d: %d paths for --all 3" % (typ[v], addr[v], len(ps)))

report(not bad_exit, "path --json --all 3: answers for %d sampled objects (one took %.2f s)" % (len(samples), one),
       *bad_exit)
report(not bad_hops, "path: every hop is a real edge of the raw dump, hop i at distance i, from a root", *bad_hops)
report(not bad_short, "path: the first path's length equals the export's distance and the BFS", *bad_short)
# paths_find_k gives the anchors' paths first, as the first path does, then
# the structural roots' (was a bug: a 1-hop path from a structural root came
# between two 5-hop paths from modules).
report(not bad_multi, "path --all 3: distinct simple paths, anchors' first, each group shortest first (%d objects a "
       "structural root reaches in fewer hops than an anchor)" % len(mixed), *bad_multi)

bad = []
for v, x, f in fa:
    res = f.result()[0]
    want, want_kind = expected_len(v, avoid={x})
    tag = "%s %d avoiding %s %d" % (typ[v], addr[v], typ[x], addr[x])
    if want is None:
        if res.returncode != 1 or "no path" not in res.stderr:
            bad.append("%s: no path avoids it, got exit %d" % (tag, res.returncode))
        continue
    p = first_path(res)
    if p is None:
        bad.append("%s: exit %d %s" % (tag, res.returncode, res.stderr.strip()[:200]))
        continue
    probs = check_hops(p, v, avoid={x})
    if p.get("length") != want or (want_kind == "structural") != (p.get("root_kind") == "structural"):
        probs.append("%s hops from a %s root; the shortest that avoids it: %s from a %s root" %
                     (p.get("length"), p.get("root_kind"), want, want_kind))
    bad += ["%s: %s" % (tag, q) for q in probs]
report(not bad and fa, "path --avoid (%d interior hops): avoids it, still shortest among the paths that do" % len(fa),
       *bad)

bad = []
for v, f in fg:
    res = f.result()[0]
    want, want_kind = expected_len(v, excl_globals=True)
    if want is None:
        if res.returncode != 1:
            bad.append("%d: no path without __globals__, got exit %d" % (addr[v], res.returncode))
        continue
    p = first_path(res)
    if p is None:
        bad.append("%d: exit %d %s" % (addr[v], res.returncode, res.stderr.strip()[:200]))
        continue
    probs = check_hops(p, v, excl_globals=True)
    if p.get("length") != want:
        probs.append("%s hops; the shortest without __globals__ edges: %s" % (p.get("length"), want))
    bad += ["%d: %s" % (addr[v], q) for q in probs]
report(not bad, "path --exclude globals (%d objects, %d of them reached through a __globals__): never a "
       "function's second ref, still shortest" % (len(fg), sum(1 for v in g_jobs if uses_g[v])), *bad)

bad = []
for v, pin, f in fp:
    res = f.result()[0]
    p = first_path(res)
    hops = [h.get("address") for h in p.get("hops") or []] if p else None
    if hops != [pin, addr[v]] or p.get("root_kind") != "pinned":
        bad.append("%d with --root %d: %s from %s; exit %d %s" %
                   (addr[v], pin, hops, p and p.get("root_kind"), res.returncode, res.stderr.strip()[:100]))
report(not bad, "path --root PRED: one hop from the pinned root", *bad)

if fr:
    res = fr.result()[0]
    p = first_path(res)
    report(p is not None and p.get("length") == 0 and [h.get("address") for h in p.get("hops") or []] == [addr[anchors[0]]],
           "path of a root: zero hops", res.stdout[:200], res.stderr[:200])

if small:
    bad, nedges = [], 0
    for (start, depth, fanout, direction), f in f_dot:
        probs, ne = check_dot(f.result(), start, depth, fanout, direction)
        nedges += ne
        bad += ["dot --%s --depth %d --fanout %d %d: %s" % (direction, depth, fanout, addr[start], q) for q in probs]
    report(not bad, "dot: a well-formed digraph of real edges near the start, roots marked (%d edges)" % nedges, *bad)

# --- export --exclude globals,type (the small dumps) ---

if small:
    res = f_excl.result()
    got = [o and o.get("distance") for o in jsonl(res.stdout)]
    want = two_phase(lambda u, v: globals_only(u, v) or type_ref(u, v))
    bad = ["%s %d: %s, expected %s" % (typ[k], addr[k], got[k], want[k]) for k in range(min(N, len(got))) if got[k] != want[k]]
    report(res.returncode == 0 and len(got) == N and not bad,
           "export --exclude globals,type: distances equal a BFS without those edges (%d unreached)" %
           sum(1 for d in want if d is None), *bad[:5])

ex.shutdown()
print("# %s: %d objects, %d anchors, %d structural roots, %d orphans; %d sampled paths; %.1f s (Python analysis %.1f s)"
      % (NAME, N, len(anchors), len(structural), len(orphans), len(samples), time.time() - t0, analysis_s))
sys.exit(1 if FAILED else 0)
