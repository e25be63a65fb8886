#!/usr/bin/env python3
"""fanout-copy.py SRC DEST [DEST2]

The reference a dual-target copy is measured against: a plain copy of every regular file of SRC, built the way
duplex's pipeline is (one reader; per destination one writer thread behind a bounded queue of 4 blocks; each
4 MiB block read once and handed to every writer), but with nothing else: no hashing, no temp files, no flushes,
no times or modes kept. Run with one and with two destinations on the same machine, its time ratio shows what a
second destination costs there before any of duplex's own work (compare.sh phase `dual`, dual-target.sh).
A reference for the benchmarks, not a tool. Symlinks and special files are skipped; unreadable directories fail.
"""
import os
import queue
import sys
import threading

BLOCK = 4 * 1024 * 1024
QUEUE_BLOCKS = 4


def fail(error):
    raise error


class Writer(threading.Thread):
    """Writes the files of one destination from its queue: ("open", path), ("data", bytes), ("close", None)."""

    def __init__(self):
        super().__init__(daemon=True)
        self.queue = queue.Queue(QUEUE_BLOCKS)
        self.error = None

    def run(self):
        fd = None
        while True:
            item = self.queue.get()
            if item is None:
                return
            if self.error is not None:
                continue  # keep draining so the reader never blocks on a dead writer
            kind, arg = item
            try:
                if kind == "open":
                    fd = os.open(arg, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
                elif kind == "data":
                    view = memoryview(arg)
                    while view:
                        view = view[os.write(fd, view):]
                else:
                    os.close(fd)
                    fd = None
            except OSError as e:
                self.error = e


def main(argv):
    if len(argv) not in (3, 4):
        print("usage: fanout-copy.py SRC DEST [DEST2]", file=sys.stderr)
        return 2
    src, dests = argv[1], argv[2:]
    writers = [Writer() for _ in dests]
    for w in writers:
        w.start()

    def to_all(item):
        for w in writers:
            w.queue.put(item)

    try:
        for top, dirs, files in os.walk(src, onerror=fail):
            rel = os.path.relpath(top, src)
            for d in dests:
                os.makedirs(os.path.join(d, rel), exist_ok=True)
            for name in files:
                path = os.path.join(top, name)
                if os.path.islink(path) or not os.path.isfile(path):
                    continue
                for w, d in zip(writers, dests):
                    w.queue.put(("open", os.path.join(d, rel, name)))
                with open(path, "rb", buffering=0) as f:
                    while True:
                        block = f.read(BLOCK)
                        if not block:
                            break
                        to_all(("data", block))
                to_all(("close", None))
    finally:
        to_all(None)
        for w in writers:
            w.join()
    errors = [w.error for w in writers if w.error is not None]
    if errors:
        print(f"fanout-copy.py: {errors[0]}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
