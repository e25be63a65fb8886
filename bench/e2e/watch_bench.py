#!/usr/bin/env python3
"""watch_bench.py [latency] [burst] [steady] -- duplex bisync --watch measured (issue 16); run by watch.sh.

latency: 100 small-file edits (50 on each side, one at a time), time from the write to the file (with that
         content) on the other side; with the default --debounce 2s and with --debounce 500ms (also once with a
         1 GiB file written to LEFT first: few edits fall in its copy, see busy).
busy:    100 edits written 50 ms apart while a 1 GiB file (written to LEFT first) is being copied.
burst:   1,000 files of a 10k-file tree edited on LEFT at once; time until RIGHT has all 1,000: duplex watching,
         a one-shot `duplex bisync` started right after the burst, and `unison -repeat 1` (Debian's unison has no
         unison-fsmonitor, so `-repeat watch` cannot run here; -repeat 1 re-scans every second).
steady:  a 90k-file tree (bisync.sh's pristine-90k) watched with nothing changing: CPU seconds of the duplex
         process per hour (sampled over STEADY_SECONDS, default 600) and its resident memory.
Environment: BENCH_WORK, BENCH_RUN, DUPLEX_JAR, JVM_OPTS (from the launcher), STEADY_SECONDS.
"""
import os, random, re, shutil, statistics, subprocess, sys, threading, time, json, urllib.request

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.realpath(__file__)), "..", ".."))
WORK = os.environ.get("BENCH_WORK", "/var/tmp/duplex-watch-bench")
RUN = os.environ.get("BENCH_RUN", time.strftime("%Y%m%d-%H%M%S", time.gmtime()) + "-watch")
RES = os.path.join(ROOT, "bench", "results", RUN)
JAR = os.path.join(WORK, "duplex.jar")
JVM = os.environ.get("JVM_OPTS", "-XX:+UseSerialGC -Xms16m -Xmx1g").split()
os.makedirs(RES, exist_ok=True)
os.makedirs(WORK, exist_ok=True)
if not os.path.exists(JAR):
    shutil.copy(os.environ.get("DUPLEX_JAR", os.path.join(ROOT, "app/target/duplex.jar")), JAR)
TSV = open(os.path.join(RES, "watch.tsv"), "a")
LOG = open(os.path.join(RES, "log.txt"), "a")


def log(msg):
    line = "[watch %s] %s" % (time.strftime("%H:%M:%S", time.gmtime()), msg)
    print(line, file=sys.stderr, flush=True)
    print(line, file=LOG, flush=True)


def row(*cols):
    print("\t".join(str(c) for c in cols), file=TSV, flush=True)


def fresh(*dirs):
    for d in dirs:
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)


def wait_for(cond, timeout, step=0.002):
    deadline = time.monotonic() + timeout
    while not cond():
        if time.monotonic() > deadline:
            return False
        time.sleep(step)
    return True


def has(path, content):
    try:
        with open(path, "rb") as f:
            return f.read() == content
    except OSError:
        return False


class Watch:
    def __init__(self, left, right, state, *extra):
        os.makedirs(state, exist_ok=True)
        self.out = open(os.path.join(state, "out.txt"), "w")
        self.err = open(os.path.join(state, "err.txt"), "w")
        cmd = ["java", *JVM, "-jar", JAR, "bisync", "--watch", "--health-listen", "127.0.0.1:0", "-q",
               "--db", os.path.join(state, "job.db"), *extra, left, right]
        self.p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=self.err, text=True)
        self.url = None
        for line in self.p.stdout:
            self.out.write(line)
            m = re.search(r"health at (http://\S+/health)", line)
            if m:
                self.url = m.group(1)
                break
        threading.Thread(target=lambda: [self.out.write(l) for l in self.p.stdout], daemon=True).start()
        assert self.url, "no health line"
        assert wait_for(lambda: self.health().get("last_sync") is not None, 600, 0.05), "first pass"

    def health(self):
        try:
            with urllib.request.urlopen(self.url, timeout=5) as r:
                return json.loads(r.read())
        except Exception:
            return {}

    def cpu_seconds(self):
        f = open("/proc/%d/stat" % self.p.pid).read().rsplit(")", 1)[1].split()
        return (int(f[11]) + int(f[12])) / os.sysconf("SC_CLK_TCK")

    def rss_kib(self):
        for line in open("/proc/%d/status" % self.p.pid):
            if line.startswith("VmRSS"):
                return int(line.split()[1])

    def stop(self):
        self.p.terminate()
        rc = self.p.wait(120)
        self.out.close()
        self.err.close()
        return rc


def small_tree(root, n, seed):
    r = random.Random(seed)
    for i in range(n):
        d = os.path.join(root, "d%03d" % (i % 100))
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, "f%05d.txt" % i), "wb") as f:
            f.write(r.randbytes(r.randint(100, 8000)))


def latency():
    big = os.path.join(WORK, "big-1g.bin")
    if not os.path.exists(big):
        subprocess.run(["dd", "if=/dev/urandom", "of=" + big, "bs=1M", "count=1024", "status=none"], check=True)
    for debounce in ("2s", "500ms"):
        for busy in (False, True):
            L, R, S = (os.path.join(WORK, x) for x in ("lat-left", "lat-right", "lat-state"))
            fresh(L, R, S)
            small_tree(L, 1000, 16)
            w = Watch(L, R, S, "--debounce", debounce)
            if busy:
                shutil.copyfile(big, os.path.join(L, "big.bin"))
            lat, during = [], 0
            for i in range(100):
                src, dst = (L, R) if i % 2 == 0 else (R, L)
                content = ("edit %d %f\n" % (i, time.time())).encode()
                t0 = time.monotonic()
                with open(os.path.join(src, "e%03d.txt" % i), "wb") as f:
                    f.write(content)
                ok = wait_for(lambda: has(os.path.join(dst, "e%03d.txt" % i), content), 60)
                lat.append(time.monotonic() - t0 if ok else float("inf"))
                if busy and not os.path.exists(os.path.join(R, "big.bin")):
                    during += 1
            rc = w.stop()
            lat.sort()
            med, p95, mx = statistics.median(lat), lat[94], lat[-1]
            name = "latency debounce=%s%s" % (debounce, " during-1GiB-copy" if busy else "")
            row("latency", debounce, "busy" if busy else "idle", "%.3f" % med, "%.3f" % p95, "%.3f" % mx, during, rc)
            log("%s: median %.2f s, p95 %.2f s, max %.2f s%s; exit %s" % (name, med, p95, mx,
                (", %d of 100 edits while the 1 GiB file was still being copied" % during) if busy else "", rc))


def busy():
    """100 small-file edits written 50 ms apart (alternating sides) while a 1 GiB file, written to LEFT first, is
    being copied; each edit's latency is measured on its own (the edits overlap, as a busy share's would)."""
    big = os.path.join(WORK, "big-1g.bin")
    if not os.path.exists(big):
        subprocess.run(["dd", "if=/dev/urandom", "of=" + big, "bs=1M", "count=1024", "status=none"], check=True)
    limit = os.environ.get("BUSY_BWLIMIT")       # e.g. 100M: the 1 GiB copy then spans all the edits
    for debounce in ("2s", "500ms"):
        L, R, S = (os.path.join(WORK, x) for x in ("lat-left", "lat-right", "lat-state"))
        fresh(L, R, S)
        small_tree(L, 1000, 16)
        w = Watch(L, R, S, "--debounce", debounce, *(["--bwlimit", limit] if limit else []))
        shutil.copyfile(big, os.path.join(L, "big.bin"))
        start = time.monotonic()
        wrote, arrived, content = {}, {}, {}
        big_at = [None]
        for i in range(100):
            src = L if i % 2 == 0 else R
            content[i] = ("edit %d %f\n" % (i, time.time())).encode()
            with open(os.path.join(src, "e%03d.txt" % i), "wb") as f:
                f.write(content[i])
            wrote[i] = time.monotonic()
            deadline = start + (i + 1) * 0.05
            while time.monotonic() < deadline:
                poll_busy(L, R, content, wrote, arrived, big_at)
                time.sleep(0.01)
        wait_for(lambda: poll_busy(L, R, content, wrote, arrived, big_at) and big_at[0] is not None, 300, 0.01)
        rc = w.stop()
        lat = sorted(arrived[i] - wrote[i] for i in arrived)
        during = sum(1 for i in arrived if arrived[i] < big_at[0])
        med, p95, mx = statistics.median(lat), lat[94], lat[-1]
        row("latency", debounce, "busy-paced" + ("-bwlimit-" + limit if limit else ""), "%.3f" % med, "%.3f" % p95, "%.3f" % mx, during, rc)
        log("latency debounce=%s%s, 100 edits 50 ms apart while a 1 GiB file is copied: median %.2f s, p95 %.2f s, "
            "max %.2f s; %d of 100 arrived before the 1 GiB file (it arrived %.1f s after the edits began); exit %s"
            % (debounce, " --bwlimit " + limit if limit else "", med, p95, mx, during, big_at[0] - start, rc))


def poll_busy(L, R, content, wrote, arrived, big_at):
    now = time.monotonic()
    if big_at[0] is None and os.path.exists(os.path.join(R, "big.bin")):
        big_at[0] = now
    for i in wrote:
        if i not in arrived:
            dst = R if i % 2 == 0 else L
            if has(os.path.join(dst, "e%03d.txt" % i), content[i]):
                arrived[i] = now
    return len(arrived) == 100


def burst():
    pristine = os.path.join(WORK, "burst-pristine")
    if not os.path.exists(pristine):
        small_tree(pristine, 10000, 1000)
    files = sorted(os.path.relpath(os.path.join(d, n), pristine) for d, _, ns in os.walk(pristine) for n in ns)
    picks = random.Random(7).sample(files, 1000)

    def edit(root, tag):
        t = time.time()
        for k, rel in enumerate(picks):
            with open(os.path.join(root, rel), "ab") as f:
                f.write(b"%s %d\n" % (tag, k))
        return time.monotonic()

    def settled(L, R):
        return all(has(os.path.join(R, rel), open(os.path.join(L, rel), "rb").read()) for rel in picks)

    for tool in ("duplex-watch", "duplex-watch-500ms", "duplex-oneshot", "unison-repeat1"):
        L, R, S = (os.path.join(WORK, "burst-" + x) for x in ("left", "right", "state"))
        fresh(S)
        for d in (L, R):
            shutil.rmtree(d, ignore_errors=True)
            subprocess.run(["cp", "-a", pristine, d], check=True)
        if tool.startswith("duplex-watch"):
            w = Watch(L, R, S, *(["--debounce", "500ms"] if tool.endswith("500ms") else []))
            t_end = edit(L, b"burst")
            ok = wait_for(lambda: settled(L, R), 600, 0.05)
            took = time.monotonic() - t_end
            passes = w.health().get("passes")
            rc = w.stop()
            extra = "passes %s" % passes
        elif tool == "duplex-oneshot":
            base = ["java", *JVM, "-jar", JAR, "bisync", "-q", "--db", os.path.join(S, "job.db"), L, R]
            subprocess.run(base, check=True)
            t_end = edit(L, b"burst")
            rc = subprocess.run(base).returncode
            ok = settled(L, R)
            took = time.monotonic() - t_end
            extra = ""
        else:
            env = dict(os.environ, UNISON=S, HOME=S)
            base = ["unison", L, R, "-batch", "-auto", "-times", "-perms", "0", "-ui", "text", "-silent"]
            subprocess.run(base, env=env, check=True)
            u = subprocess.Popen(base + ["-repeat", "1"], env=env, stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL)
            time.sleep(2)                  # unison is between scans; the burst lands in its next one
            t_end = edit(L, b"burst")
            ok = wait_for(lambda: settled(L, R), 600, 0.05)
            took = time.monotonic() - t_end
            u.terminate()
            rc = u.wait(60)
            extra = ""
        row("burst", tool, "%.3f" % took, ok, rc, extra)
        log("burst of 1,000 edits, %s: both sides equal %.2f s after the burst (%s) %s" % (tool, took,
            "equal" if ok else "NOT EQUAL", extra))


def steady():
    secs = int(os.environ.get("STEADY_SECONDS", "600"))
    pristine = os.environ.get("PRISTINE_90K", "/var/tmp/duplex-bisync-bench/pristine-90k")
    L, R, S = (os.path.join(WORK, "steady-" + x) for x in ("left", "right", "state"))
    fresh(S)
    for d in (L, R):
        shutil.rmtree(d, ignore_errors=True)
        subprocess.run(["cp", "-a", pristine, d], check=True)
    w = Watch(L, R, S)
    time.sleep(5)
    c0, t0 = w.cpu_seconds(), time.monotonic()
    time.sleep(secs)
    c1, t1 = w.cpu_seconds(), time.monotonic()
    rss = w.rss_kib()
    h = w.health()
    rc = w.stop()
    per_hour = (c1 - c0) * 3600 / (t1 - t0)
    row("steady", secs, "%.3f" % (c1 - c0), "%.2f" % per_hour, rss, h.get("events"), rc)
    log("steady, 90k files watched %d s with nothing changing: %.2f CPU s (%.2f CPU s per hour), RSS %d MiB; %s"
        % (secs, c1 - c0, per_hour, rss // 1024, h.get("events")))


for what in (sys.argv[1:] or ["latency", "busy", "burst", "steady"]):
    log("meta: jar %s, %s, load %s" % (open(JAR + ".commit").read().strip() if os.path.exists(JAR + ".commit")
        else "?", subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()[0],
        open("/proc/loadavg").read().split()[0]))
    globals()[what]()
