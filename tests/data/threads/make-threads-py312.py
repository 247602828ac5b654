"""Writes tests/data/threads/threads-py312.json.gz (run with pyenv's 3.12, from the
top of the tree):

    /root/.pyenv/versions/3.12.1/bin/python3 tests/data/threads/make-threads-py312.py tests/data/threads/threads-py312.json.gz

A thread 'worker-1' stopped in handle(), whose locals hold a batch of 5 Items
and a label; two classes named Record, one in module a and one in module b.
The explorer's tests (tests/tui/threads.vt, classes.vt) read it.  It lives
in its own directory: tests/cli/test_paths.sh checks every tests/data/*.json.gz
against an independent model that does not know thread roots yet."""
import os
import sys
import threading
import types

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "scanner"))
import heapwalk_scanner  # noqa: E402


def make_module(name):
    m = types.ModuleType(name)
    exec("class Record:\n    def __init__(self, n):\n        self.n = n\n", m.__dict__)
    sys.modules[name] = m
    return m


a = make_module("a")
b = make_module("b")
records = [a.Record(1), a.Record(2), b.Record(3)]
ready = threading.Event()
done = threading.Event()


class Item:
    def __init__(self, i):
        self.i = i


def handle(n):
    batch = [Item(i) for i in range(n)]
    label = "batch-of-%d" % n
    ready.set()
    done.wait()
    return batch, label


def worker():
    handle(5)


t = threading.Thread(target=worker, name="worker-1")
t.start()
ready.wait()
heapwalk_scanner.dump_all_objects(sys.argv[1])
done.set()
t.join()
