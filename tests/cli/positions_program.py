# Builds one container of each kind in a real process, each holding a Marker
# at a known position, dumps the process with heapwalk's scanner, and prints
# {"ADDRESS": "EXPECTED PATH EXPRESSION"} for the markers (JSON, one line).
# Usage: python3 positions_program.py DUMP SCANNER_DIR
import collections
import json
import sys

sys.path.insert(0, sys.argv[2])
import heapwalk_scanner  # noqa: E402


class Marker:
    pass


class MyDict(dict):
    pass


class Slotted:
    __slots__ = ("p", "q")

    def __init__(self, q):
        self.p = "first slot"
        self.q = q


class Plain:
    def __init__(self, m):
        self.before = 1
        self.attr = m


def factory():
    return lambda: 0


lst = ["a", "b", Marker(), "c", "d", "e"]
tup = ("x", Marker(), "y", "z")
dq = collections.deque(["a", "b", "c", Marker()])
d = {"k1": 1, "key\x00nul": Marker()}
dint = {1: "a", 7: Marker()}
od = collections.OrderedDict([("a", 1), ("mid", Marker()), ("z", 2)])
odint = collections.OrderedDict([(1, "a"), (2, Marker())])
dd = collections.defaultdict(list, x=1, y=Marker())
dd2 = collections.defaultdict(factory())
ctr = collections.Counter({"a": Marker(), "b": 2})
sub = MyDict(a=1, b=Marker())
inst = Plain(Marker())
slotted = Slotted(Marker())
st = {Marker()}
nested = [["a"], ["b", Marker(), "c"]]

main = "sys.modules['__main__']"
want = {
    id(lst[2]): ".lst[2]",
    id(tup[1]): ".tup[1]",
    id(dq[3]): ".dq[3]",
    id(d["key\x00nul"]): ".d['key\\x00nul']",
    id(dint[7]): ".dint[7]",
    id(od["mid"]): ".od['mid']",
    id(odint[2]): ".odint[2]",
    id(dd["y"]): ".dd['y']",
    id(dd2.default_factory): ".dd2.default_factory",
    id(ctr["a"]): ".ctr['a']",
    id(sub["b"]): ".sub['b']",
    id(inst.attr): ".inst.attr",
    id(slotted.q): ".slotted.<ref #1>",
    id(next(iter(st))): ".st{?}",
    id(nested[1][1]): ".nested[1][1]",
}
heapwalk_scanner.dump_all_objects(sys.argv[1])
print(json.dumps({str(k): main + v for k, v in want.items()}))
