#!/usr/bin/env python3
"""TCP relay that holds every byte DELAY_MS in each direction (project addition; no netem on this kernel).

usage: delayproxy.py DELAY_MS LISTEN_IP:PORT TARGET_IP:PORT [LISTEN_IP:PORT TARGET_IP:PORT ...]

The lab's kernel has no sch_netem (nor fq/etf for EDT delays), so `daemonlab.sh delay MS` emulates a longer
round trip with this relay, started in the server's namespace BEHIND the shaped link: the client connects to
LISTEN (e.g. 10.213.0.12:19031), every chunk read from either side is forwarded to the other side DELAY_MS after
it arrived (a FIFO delay line per direction), so each application-level request/response round trip grows by
2 x DELAY_MS. What it does not emulate: TCP's own window growth over a long path (the relay ACKs at once); at most
MAX_BUF bytes (4 MiB, > the 500 kB bandwidth-delay product of 200 Mbit/s x 20 ms) wait in a direction's line,
then reading from that side pauses (back pressure). TCP_NODELAY on both sides, so the relay adds no Nagle delay.
Stops on SIGTERM/SIGINT.
"""
import asyncio
import collections
import signal
import socket
import sys
import time

DELAY = float(sys.argv[1]) / 1000.0
PAIRS = [(sys.argv[i], sys.argv[i + 1]) for i in range(2, len(sys.argv) - 1, 2)]
MAX_BUF = 4 * 1024 * 1024
CHUNK = 256 * 1024


def hp(s):
    h, p = s.rsplit(":", 1)
    return h, int(p)


async def pipe(reader, writer):
    line = collections.deque()        # (due, bytes)
    state = {"buf": 0, "eof": False}
    more = asyncio.Event()
    room = asyncio.Event(); room.set()

    async def pump_in():
        try:
            while True:
                await room.wait()
                data = await reader.read(CHUNK)
                if not data:
                    break
                line.append((time.monotonic() + DELAY, data))
                state["buf"] += len(data)
                if state["buf"] >= MAX_BUF:
                    room.clear()
                more.set()
        except (ConnectionError, OSError):
            pass
        state["eof"] = True
        more.set()

    async def pump_out():
        try:
            while True:
                if not line:
                    if state["eof"]:
                        break
                    more.clear()
                    await more.wait()
                    continue
                due, data = line[0]
                d = due - time.monotonic()
                if d > 0:
                    await asyncio.sleep(d)
                line.popleft()
                writer.write(data)
                await writer.drain()
                state["buf"] -= len(data)
                if state["buf"] < MAX_BUF:
                    room.set()
            if writer.can_write_eof():
                writer.write_eof()
        except (ConnectionError, OSError):
            pass

    await asyncio.gather(pump_in(), pump_out())


def nodelay(w):
    s = w.get_extra_info("socket")
    if s is not None:
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


def handler(target):
    async def handle(cr, cw):
        try:
            sr, sw = await asyncio.open_connection(*hp(target))
        except OSError:
            cw.close()
            return
        nodelay(cw); nodelay(sw)
        try:
            await asyncio.gather(pipe(cr, sw), pipe(sr, cw))
        finally:
            for w in (cw, sw):
                try:
                    w.close()
                except Exception:
                    pass
    return handle


async def main():
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for s in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(s, stop.set)
    servers = []
    for listen, target in PAIRS:
        h, p = hp(listen)
        servers.append(await asyncio.start_server(handler(target), h, p, reuse_address=True))
        print(f"delayproxy: {listen} -> {target}, {DELAY * 1000:.1f} ms each way", flush=True)
    await stop.wait()
    for s in servers:
        s.close()


asyncio.run(main())
