"""A service for tests/cli/test_dump.sh to dump from outside (heapwalk dump PID).

    python3 dump_target.py MODE READY

Writes READY (its port, or "ready") once set up, then runs until killed:
  idle  a server whose threads all block with no timeout: the main thread in
        epoll (selectors) accepting connections (each gets b"pong\\n"), and a
        thread 'worker-1' whose handle() holds a 500-item list in its local
        `batch` while it waits on an Event.
  busy  the main thread computes in pure Python forever; a thread 'heartbeat'
        adds one to READY.beat every 20 ms.
  gil   writes READY, then a thread calls libc sleep(SECONDS) through
        ctypes.PyDLL, which holds the GIL all along (argv[3]: seconds); then
        like idle (the port goes to READY.port once the GIL is back).
  big   like idle, with about 1.5 million more objects.
"""
import os
import selectors
import socket
import sys
import threading
import time


class Item(object):
    def __init__(self, n):
        self.n = n
        self.name = 'item-%d' % n


def handle(ready):
    batch = [Item(n) for n in range(500)]
    ready.set()
    threading.Event().wait()
    return batch


def serve(ready_path):
    sel = selectors.DefaultSelector()
    srv = socket.socket()
    srv.bind(('127.0.0.1', 0))
    srv.listen(8)
    sel.register(srv, selectors.EVENT_READ)
    with open(ready_path + '.tmp', 'w') as f:
        f.write(str(srv.getsockname()[1]))
    os.rename(ready_path + '.tmp', ready_path)
    while True:
        for _key, _ev in sel.select():
            conn, _addr = srv.accept()
            conn.sendall(b'pong\n')
            conn.close()


def heartbeat(path):
    n = 0
    while True:
        n += 1
        with open(path + '.tmp', 'w') as f:
            f.write(str(n))
        os.rename(path + '.tmp', path)
        time.sleep(0.02)


def main():
    mode, ready_path = sys.argv[1], sys.argv[2]
    started = threading.Event()
    threading.Thread(target=handle, args=(started,), name='worker-1', daemon=True).start()
    started.wait()
    keep = []
    if mode == 'big':
        keep = [(n, str(n)) for n in range(500000)]
    if mode == 'gil':
        import ctypes
        seconds = int(sys.argv[3])
        libc = ctypes.PyDLL(None)
        with open(ready_path, 'w') as f:
            f.write('ready')
        threading.Thread(target=lambda: libc.sleep(seconds), name='stuck', daemon=True).start()
        ready_path += '.port'
    if mode == 'busy':
        threading.Thread(target=heartbeat, args=(ready_path + '.beat',), name='heartbeat', daemon=True).start()
        with open(ready_path, 'w') as f:
            f.write('ready')
        x = 0
        while True:
            x = (x + 1) % 1000003
    serve(ready_path)
    return keep


if __name__ == '__main__':
    main()
