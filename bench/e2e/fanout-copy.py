#!/usr/bin/env python3
"""fanout-copy.py SRC DEST [DEST2]

The floor a dual-target copy is measured against: the same plain program copying every regular file of SRC into
one destination, or reading each block once and writing it to two (as duplex's dual mode does), with 4 MiB
blocks, no hashing, no temp files, no flushes, nothing kept but the bytes (no times, no modes). Run with one and
with two destinations on the same machine, its time ratio is what a second destination costs there whatever the
tool (compare.sh phase `dual`, dual-target.sh). A reference for the benchmarks, not a tool.
"""
import os
import sys

BLOCK = 4 * 1024 * 1024


def main(argv):
    if len(argv) not in (3, 4):
        print("usage: fanout-copy.py SRC DEST [DEST2]", file=sys.stderr)
        return 2
    src, dests = argv[1], argv[2:]
    for top, dirs, files in os.walk(src):
        rel = os.path.relpath(top, src)
        for d in dests:
            os.makedirs(os.path.join(d, rel), exist_ok=True)
        for name in files:
            path = os.path.join(top, name)
            if os.path.islink(path) or not os.path.isfile(path):
                continue
            fin = os.open(path, os.O_RDONLY)
            outs = [os.open(os.path.join(d, rel, name), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644) for d in dests]
            try:
                while True:
                    block = os.read(fin, BLOCK)
                    if not block:
                        break
                    for fd in outs:
                        view = memoryview(block)
                        while view:
                            view = view[os.write(fd, view):]
            finally:
                os.close(fin)
                for fd in outs:
                    os.close(fd)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
