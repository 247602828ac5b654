"""Measure heapwalk_scanner on a heap of about 1M objects.

    python3 scanner/bench_scanner.py [OUT_DIR] [--tracemalloc]

Builds ~1M objects (instances with attributes, their strs and ints, dicts,
tuples, lists), then times dump_all_objects() to a plain .json file and to a
.json.gz file, each in a fresh process, and reports the CPU and wall time and
the peak-RSS growth during the dump (resource.getrusage ru_maxrss).  With
--tracemalloc it also reports the peak of Python allocations made during one
plain dump (tracemalloc hooks every allocation: that run is ~30x slower).
"""

import gc
import os
import resource
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import heapwalk_scanner  # noqa: E402


class Item(object):
    def __init__(self, n):
        self.n = n * 1000003          # an int object of its own
        self.label = 'item-%d' % n    # a str of its own
        self.tags = (n, 'x')          # a tuple
        self.extra = {'k%d' % (n % 50): n} if n % 3 == 0 else None


def build(target=1000000):
    # ~5.85 objects per Item: Item, int, str, tuple, 2/3 of a dict + key str ...
    keep = []
    n = 0
    while True:
        keep.append([Item(n + j) for j in range(1000)])
        n += 1000
        if n * 5.85 >= target:
            break
    return keep


def maxrss_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def one(path, use_tm):
    heap = build()
    gc.collect()
    if use_tm:
        import tracemalloc
        tracemalloc.start()
        base = tracemalloc.get_traced_memory()[0]
        t0 = time.time()
        n = heapwalk_scanner.dump_all_objects(path)
        dt = time.time() - t0
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        print('  tracemalloc   %d objects: peak Python allocations during the dump '
              '%.1f MiB (%.0f bytes/object) [%.0f s under tracemalloc]'
              % (n, (peak - base) / 2.0 ** 20, (peak - base) / float(n), dt))
    else:
        rss0 = maxrss_mib()
        t0 = time.time()
        c0 = time.process_time()
        n = heapwalk_scanner.dump_all_objects(path)
        dt = time.time() - t0
        cpu = time.process_time() - c0
        rss = maxrss_mib()
        print('  %-13s %d objects: %.2f s CPU (%.2f us/object), %.2f s wall, '
              '%.0f MiB written, peak RSS %.0f -> %.0f MiB (+%.0f MiB, %.0f bytes/object)'
              % (os.path.basename(path), n, cpu, cpu * 1e6 / n, dt,
                 os.path.getsize(path) / 2.0 ** 20, rss0, rss, rss - rss0,
                 (rss - rss0) * 2.0 ** 20 / n))
    os.unlink(path)
    del heap


def main():
    args = [a for a in sys.argv[1:] if not a.startswith('--')]
    out_dir = args[0] if args else '/tmp'
    if '--one' in sys.argv:
        one(args[1], '--tracemalloc' in sys.argv)
        return
    print('python %s, %s' % (sys.version.split()[0], heapwalk_scanner.capabilities()))
    runs = [('bench.json', []), ('bench.json.gz', [])]
    if '--tracemalloc' in sys.argv:
        runs.append(('bench-tm.json', ['--tracemalloc']))
    for name, extra in runs:
        # A fresh process per measurement: ru_maxrss is a lifetime peak.
        subprocess.check_call([sys.executable, os.path.abspath(__file__), '--one',
                               out_dir, os.path.join(out_dir, name)] + extra)


if __name__ == '__main__':
    main()
