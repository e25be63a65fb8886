#!/usr/bin/env python3
"""Markdown tables of one compare.sh run, and issue 5's targets against what the run measured.

usage: summary.py RESULTS_DIR        (RESULTS_DIR holds runs.tsv, meta.txt, optionally jmh.csv)

Medians first, then (min-max); n = number of runs. MB/s = dataset bytes / (tool wall + sync wall), 1 MB = 10^6 B.
Ratios duplex/other are ratios of the medians; the bracket gives the range of the per-repetition ratios (run r
of duplex against run r of the other tool, which ran right after it).
"""
import csv
import os
import statistics
import sys

RES = sys.argv[1]
rows = list(csv.DictReader(open(os.path.join(RES, "runs.tsv")), delimiter="\t"))


def kv(s):
    return dict(x.split("=", 1) for x in (s or "").split() if "=" in x)


for r in rows:
    r["x"] = kv(r["extra"])
    r["l"] = kv(r["link"])
    r["total"] = float(r["wall_tool"]) + float(r["wall_sync"])
    r["bytes"] = int(r["bytes"] or 0)
    r["files"] = int(r["files"] or 0)
    r["mbs"] = r["bytes"] / r["total"] / 1e6 if r["total"] > 0 else 0.0
    r["fps"] = r["files"] / r["total"] if r["total"] > 0 else 0.0
    r["rss"] = int(r["maxrss_kb"] or 0) / 1024
    r["cpu"] = float(r["user"] or 0) + float(r["sys"] or 0)


def sel(phase, dataset=None, tool=None):
    return [r for r in rows if r["phase"] == phase and (dataset is None or r["dataset"] == dataset)
            and (tool is None or r["tool"] == tool)]


def ordered(seq):
    out = []
    for v in seq:
        if v not in out:
            out.append(v)
    return out


def med(v):
    return statistics.median(v) if v else float("nan")


def fmt(v, p=1):
    if not v:
        return "-"
    return f"{med(v):.{p}f} ({min(v):.{p}f}-{max(v):.{p}f})" if len(v) > 1 else f"{v[0]:.{p}f}"


def checks(g):
    bad = [f"{k}={v}" for r in g for k, v in r["x"].items() if k.endswith("check") and v != "ok"]
    ex = ",".join(sorted(set(r["exit"] for r in g)))
    return (ex if ex != "0" else "0") + ("; " + " ".join(bad) if bad else "")


def load(g):
    return fmt([float(r["load1"]) for r in g], 1)


def ratio_pair(a, b, key, invert=False):
    """median(a)/median(b) of key, and the per-rep range (pairs by rep number)."""
    va, vb = [r[key] for r in a], [r[key] for r in b]
    if not va or not vb:
        return None, None
    m = med(va) / med(vb)
    byrep = {r["rep"]: r[key] for r in b}
    per = [r[key] / byrep[r["rep"]] for r in a if r["rep"] in byrep and byrep[r["rep"]]]
    if invert:
        m = 1 / m
        per = [1 / p for p in per if p]
    return m, per


def rfmt(m, per):
    if m is None:
        return "-"
    return f"{m:.2f}" + (f" ({min(per):.2f}-{max(per):.2f})" if len(per) > 1 else "")


out = []
P = out.append

# ---------------------------------------------------------------- header
meta = open(os.path.join(RES, "meta.txt")).read().splitlines() if os.path.exists(os.path.join(RES, "meta.txt")) else []
first = min((r["ts"] for r in rows), default="-")
last = max((r["ts"] for r in rows), default="-")
P(f"## Run {os.path.basename(os.path.normpath(RES))} ({first} to {last})\n")
P("Raw rows: `bench/results/" + os.path.basename(os.path.normpath(RES)) + "/runs.tsv` (one per timed run, with the exact"
  " command, load average and check); duplex console output per run in `logs/`, link traces in `traces/`.\n")
P("```")
P("\n".join(meta))
P("```\n")
loads = [float(r["load1"]) for r in rows]
if loads:
    P(f"1-minute load average before the runs: median {med(loads):.1f}, range {min(loads):.1f}-{max(loads):.1f} "
      f"(2 cores; above ~1 means other work competed with the run).\n")

# commands, one example per phase and tool
cmds = {}
for r in rows:
    cmds.setdefault((r["phase"], r["tool"]), r["cmd"])
if cmds:
    P("Commands (one example per phase and tool; every row's exact command is in runs.tsv):\n")
    P("| phase | tool | command |")
    P("|---|---|---|")
    for (ph, tool), c in cmds.items():
        P(f"| {ph} | {tool} | `{c}` |")
    P("")


# ---------------------------------------------------------------- local
def local_like(phase, title):
    dss = ordered(r["dataset"] for r in sel(phase))
    if not dss:
        return
    P(f"### {title}\n")
    P("| dataset | tool | n | MB/s (tool+sync) | files/s | wall tool s | sync s | peak RSS MiB | user+sys s | load1 | host busy CPU s | exit; check |")
    P("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for ds in dss:
        for tool in ordered(r["tool"] for r in sel(phase, ds)):
            g = sel(phase, ds, tool)
            nf = g[0]["files"]
            P(f"| {ds} | {tool} | {len(g)} | {fmt([r['mbs'] for r in g])} | "
              f"{fmt([r['fps'] for r in g], 0) if nf >= 100 else '-'} | {fmt([float(r['wall_tool']) for r in g], 2)} | "
              f"{fmt([float(r['wall_sync']) for r in g], 2)} | {fmt([r['rss'] for r in g])} | {fmt([r['cpu'] for r in g])} | "
              f"{load(g)} | {fmt([float(r['host_busy_s'] or 0) for r in g])} | {checks(g)} |")
    P("")
    P("duplex / other (throughput, i.e. also files/s; > 1 = duplex faster):\n")
    P("| dataset | " + " | ".join(f"vs {t}" for t in ["cp", "rsync", "rclone"]) + " | duplex scan (own figure) |")
    P("|---|---|---|---|---|")
    for ds in dss:
        for dt in [t for t in ordered(r["tool"] for r in sel(phase, ds)) if t.startswith("duplex")]:
            d = sel(phase, ds, dt)
            cells = [rfmt(*ratio_pair(d, sel(phase, ds, t), "mbs")) for t in ["cp", "rsync", "rclone"]]
            scan = [float(r["x"]["scan_fps"]) for r in d if "scan_fps" in r["x"]]
            label = ds if dt == "duplex" else f"{ds} ({dt})"
            P(f"| {label} | " + " | ".join(cells) + f" | {fmt(scan, 0) + ' files/s' if scan else '-'} |")
    P("")


local_like("local", "Local disk to local disk, fresh copy (phase `local`)")


# ---------------------------------------------------------------- mounts
def link_table(phase, title, extra_cols=False):
    dss = ordered(r["dataset"] for r in sel(phase))
    if not dss:
        return
    P(f"### {title}\n")
    P("| dataset | tool | n | MB/s (tool+sync) | files/s | wall tool s | peak RSS MiB | user+sys s | load1 | link: rx+tx / link rate "
      "| rx MB/s (reads) | tx MB/s (writes) | both busy | rx max 1 s | tx max 1 s | link rx MB | exit; check |")
    P("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for ds in dss:
        for tool in ordered(r["tool"] for r in sel(phase, ds)):
            g = sel(phase, ds, tool)
            L = lambda k: fmt([float(r["l"].get(k, 0)) for r in g], 2)
            nf = g[0]["files"]
            P(f"| {ds} | {tool} | {len(g)} | {fmt([r['mbs'] for r in g])} | {fmt([r['fps'] for r in g], 0) if nf >= 100 else '-'} | "
              f"{fmt([float(r['wall_tool']) for r in g], 2)} | {fmt([r['rss'] for r in g])} | {fmt([r['cpu'] for r in g])} | "
              f"{load(g)} | {L('sum_x_link')} | {L('rx_avg')} | {L('tx_avg')} | {L('both_busy')} | {L('rx_max1s')} | "
              f"{L('tx_max1s')} | {fmt([float(r['l'].get('rx_mb', 0)) for r in g], 0)} | {checks(g)} |")
    P("")


link_table("mounts", "sshfs source to sshfs destination over one shaped link (phase `mounts`)")
dss = ordered(r["dataset"] for r in sel("mounts"))
if dss:
    P("duplex / other over the link (throughput; the target is >= 0.98 of the best of cp, rsync, rclone):\n")
    P("| dataset | vs cp | vs rsync | vs rclone | vs best of the three |")
    P("|---|---|---|---|---|")
    for ds in dss:
        d = sel("mounts", ds, "duplex")
        cells = [rfmt(*ratio_pair(d, sel("mounts", ds, t), "mbs")) for t in ["cp", "rsync", "rclone"]]
        others = [t for t in ["cp", "rsync", "rclone"] if sel("mounts", ds, t)]
        best = max(others, key=lambda t: med([r["mbs"] for r in sel("mounts", ds, t)])) if others else None
        cells.append(f"{rfmt(*ratio_pair(d, sel('mounts', ds, best), 'mbs'))} ({best})" if best else "-")
        P(f"| {ds} | " + " | ".join(cells) + " |")
    P("")

# ---------------------------------------------------------------- audit
link_table("audit", "Audited copy over the link (phase `audit`): duplex vs `rsync -a` then `sha256sum` of the source")
for ds in ordered(r["dataset"] for r in sel("audit")):
    d, o = sel("audit", ds, "duplex"), sel("audit", ds, "rsync+sha256sum")
    m, per = ratio_pair(o, d, "total")
    hd = ",".join(sorted(set(r["x"].get("hashes", "?") for r in d)))
    ho = ",".join(sorted(set(r["x"].get("hashes", "?") for r in o)))
    P(f"{ds}: rsync+sha256sum takes **{rfmt(m, per)}x** as long as duplex (target >= 1.8). "
      f"Hashes recorded: duplex db {hd}, sha256sum lines {ho}, of {d[0]['files'] if d else '?'} files. "
      f"\"link rx MB\" shows what each read over the link (sha256sum reads the source a second time).\n")

# ---------------------------------------------------------------- bwlimit
bw = sel("bwlimit")
if bw:
    lim = float(bw[0]["x"].get("limit_Bps", 6250000))
    P(f"### --bwlimit at a quarter of the link over the mounts (phase `bwlimit`, {bw[0]['dataset']}, limit "
      f"{lim/1e6:.2f} MB/s = {int(lim)//1024} KiB/s)\n")
    P("Link counters every 100 ms (wire bytes, about 1% above payload); windows over the whole run. rx = reads from the "
      "source server, tx = writes to the destination server. Ratios are to the limit; the target for duplex is "
      "worst 1-s window <= 1.05x and worst 100-ms window <= 1.5x in both directions (worst = max over the runs).\n")
    P("| tool | n | MB/s (tool+sync) | wall tool s | peak RSS MiB | load1 | rx avg MB/s | tx avg MB/s | rx max 1 s / limit | "
      "tx max 1 s / limit | rx max 100 ms / limit | tx max 100 ms / limit | 1-s windows > 1.1x limit rx / tx | exit; check |")
    P("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for tool in ordered(r["tool"] for r in bw):
        g = sel("bwlimit", None, tool)
        R = lambda k: fmt([float(r["l"].get(k, 0)) * 1e6 / lim for r in g], 2)
        L = lambda k: fmt([float(r["l"].get(k, 0)) for r in g], 2)
        P(f"| {tool} | {len(g)} | {fmt([r['mbs'] for r in g], 2)} | {fmt([float(r['wall_tool']) for r in g], 1)} | "
          f"{fmt([r['rss'] for r in g])} | {load(g)} | {L('rx_avg')} | {L('tx_avg')} | {R('rx_max1s')} | {R('tx_max1s')} | "
          f"{R('rx_max100ms')} | {R('tx_max100ms')} | {L('rx_over')} / {L('tx_over')} | {checks(g)} |")
    P("")

# ---------------------------------------------------------------- memory
SIZE = {"files10k": "10k (empty)", "small": "100k (4 KiB)", "files300k": "300k (empty)", "files1m": "1M (empty)"}
mem = sel("memory")
if mem:
    P("### Memory: peak RSS of a full run and of a no-op re-run (phases `memory`, `memory-noop`)\n")
    P("Full run: fresh copy into an empty destination (duplex: fresh db). No-op: the same command again right after "
      "(duplex: the same db), nothing to copy. Files are the lab's `files10k`/`files1m` (empty files, 1,000 leaf "
      "dirs) and `small` (100k x 4 KiB).\n")
    P("| files | tool | n | full: peak RSS MiB | full: files/s | full: wall s | no-op: peak RSS MiB | no-op: wall s | load1 | exit; check |")
    P("|---|---|---|---|---|---|---|---|---|---|")
    for ds in ordered(r["dataset"] for r in mem):
        for tool in ordered(r["tool"] for r in sel("memory", ds)):
            g, n = sel("memory", ds, tool), sel("memory-noop", ds, tool)
            P(f"| {SIZE.get(ds, ds)} | {tool} | {len(g)} | {fmt([r['rss'] for r in g])} | {fmt([r['fps'] for r in g], 0)} | "
              f"{fmt([r['total'] for r in g], 2)} | {fmt([r['rss'] for r in n])} | {fmt([r['total'] for r in n], 2)} | "
              f"{load(g + n)} | {checks(g)}/{checks(n)} |")
    P("")

# ---------------------------------------------------------------- scan
scan_ctx = [("memory", "first run: empty destination, fresh db (every row inserted as pending)"),
            ("scan", "fresh db, destination already in sync (both trees walked, every row inserted as synced)"),
            ("memory-noop", "re-run with its db, destination in sync (rows already there)")]
if any(sel(p, tool="duplex") for p, _ in scan_ctx):
    P("### Scan rate into SQLite (duplex's own figure: `scan done: ... scanned in S s (N files/s)`)\n")
    P("The scan phase is timed by duplex itself (source and destination walks, merge and db writes, from the start of "
      "the walk to the end of the scan transaction), so JVM start-up, db open and the transfer are excluded; the "
      "external wall time of the whole run is given beside it. The clean case for the target is the second "
      "context (phase `scan`): a no-op run with a fresh db, where the transfer is empty.\n")
    P("| files | context | n | scan s (duplex) | scan files/s (duplex) | whole run wall s | peak RSS MiB | load1 |")
    P("|---|---|---|---|---|---|---|---|")
    for ph, ctx in scan_ctx:
        for ds in ordered(r["dataset"] for r in sel(ph, tool="duplex")):
            g = [r for r in sel(ph, ds, "duplex") if "scan_fps" in r["x"]]
            if not g:
                continue
            P(f"| {SIZE.get(ds, ds)} | {ctx} | {len(g)} | {fmt([float(r['x']['scan_s']) for r in g], 1)} | "
              f"{fmt([float(r['x']['scan_fps']) for r in g], 0)} | {fmt([r['total'] for r in g], 2)} | "
              f"{fmt([r['rss'] for r in g])} | {load(g)} |")
    P("")

# ---------------------------------------------------------------- dual
dual = sel("dual")
if dual:
    P("### Dual target on local disk (phase `dual`): one destination vs two, alternating\n")
    P("| dataset | mode | n | source MB/s (tool+sync) | wall tool s | sync s | peak RSS MiB | user+sys s | load1 | exit; check |")
    P("|---|---|---|---|---|---|---|---|---|---|")
    for ds in ordered(r["dataset"] for r in dual):
        for tool in ordered(r["tool"] for r in sel("dual", ds)):
            g = sel("dual", ds, tool)
            P(f"| {ds} | {tool} | {len(g)} | {fmt([r['mbs'] for r in g])} | {fmt([float(r['wall_tool']) for r in g], 2)} | "
              f"{fmt([float(r['wall_sync']) for r in g], 2)} | {fmt([r['rss'] for r in g])} | {fmt([r['cpu'] for r in g])} | "
              f"{load(g)} | {checks(g)} |")
        m, per = ratio_pair(sel("dual", ds, "duplex-dual"), sel("dual", ds, "duplex-single"), "mbs")
        P(f"\n{ds}: dual / single throughput = **{rfmt(m, per)}** (target >= 0.9; both destinations on the same disk "
          f"as the source, so dual writes twice the bytes to one disk).")
        cm, cper = ratio_pair(sel("dual", ds, "plain-dual"), sel("dual", ds, "plain-single"), "mbs")
        if cm is not None:
            P(f"The same ratio for the plain reference copy in this run (`bench/e2e/fanout-copy.py`: 4 MiB blocks "
              f"read once, written to one or two destinations, no hashing, no flushes): "
              f"**{rfmt(cm, cper)}**: what a second copy costs on this machine before any of duplex's own work.")
        P("")

# ---------------------------------------------------------------- JMH
jmh = os.path.join(RES, "jmh.csv")
if os.path.exists(jmh):
    jr = list(csv.DictReader(open(jmh)))
    P("### JMH hash throughput (`java -jar bench/target/benchmarks.jar HashThroughput`)\n")
    P("One op hashes one 5 MiB block through `HashAlgorithm`; MB/s = ops/s x 5.24288. Fork 1, warm-up 2 x 2 s, "
      "measurement 3 x 2 s.\n")
    P("| algorithm | buffer | ops/s | error (99.9%) | MB/s |")
    P("|---|---|---|---|---|")
    for r in jr:
        s, e = float(r["Score"]), float(r["Score Error (99.9%)"] or 0)
        P(f"| {r['Param: algorithm']} | {r['Param: buffer']} | {s:.1f} | {e:.1f} | {s * 5.24288:.0f} |")
    P("")

# ---------------------------------------------------------------- targets
T = []


def target(name, measured, goal, higher_better=True, detail=""):
    if measured is None:
        T.append((name, "not measured in this run", "-", detail))
        return
    ok = measured >= goal if higher_better else measured <= goal
    if ok:
        status = "**met**"
    elif higher_better and measured / goal > 0.995:
        status = f"**not met**: {measured / goal:.3f} of the target ({(1 - measured / goal) * 100:.1f}% short)"
    elif higher_better:
        status = f"**not met**: {measured / goal:.2f} of the target ({(1 - measured / goal) * 100:.0f}% short; needs {goal / measured:.2f}x)"
    else:
        status = f"**not met**: {measured / goal:.2f}x the allowed value ({(measured / goal - 1) * 100:.0f}% over)"
    shown = f"{measured:,.0f}" if abs(measured) >= 1000 else f"{measured:.2f}"
    if abs(measured) < 1000 and not ok and f"{measured:.2f}" == f"{goal:.2f}":
        shown = f"{measured:.3f}"  # 0.979 against 0.98: "0.98 ... not met" would read as a contradiction
    T.append((name, shown, status, detail))


for ds in ["large", "mixed"]:
    d = sel("mounts", ds, "duplex")
    others = [t for t in ["cp", "rsync", "rclone"] if sel("mounts", ds, t)]
    if d and others:
        best = max(others, key=lambda t: med([r["mbs"] for r in sel("mounts", ds, t)]))
        m, _ = ratio_pair(d, sel("mounts", ds, best), "mbs")
        dl = med([float(r["l"].get("sum_x_link", 0)) for r in d])
        target(f"shared link, `{ds}`: duplex / best of cp, rsync, rclone >= 0.98", m, 0.98,
               detail=f"best: {best}; duplex used {dl:.2f}x the link rate (rx+tx)")
    else:
        target(f"shared link, `{ds}`: duplex / best of cp, rsync, rclone >= 0.98", None, 0.98)
for ds in ordered(r["dataset"] for r in sel("audit")) or ["mixed"]:
    m, _ = ratio_pair(sel("audit", ds, "rsync+sha256sum"), sel("audit", ds, "duplex"), "total")
    target(f"audited copy over the link (`{ds}`): (rsync + sha256sum time) / duplex time >= 1.8", m, 1.8)
if bw:
    lim = float(bw[0]["x"].get("limit_Bps", 6250000))
    g = sel("bwlimit", None, "duplex")
    for key, goal, what in [("rx_max1s", 1.05, "reads, worst 1-s window"), ("tx_max1s", 1.05, "writes, worst 1-s window"),
                            ("rx_max100ms", 1.5, "reads, worst 100-ms window"), ("tx_max100ms", 1.5, "writes, worst 100-ms window")]:
        v = [float(r["l"].get(key, 0)) * 1e6 / lim for r in g]
        target(f"--bwlimit over the mounts, {what} <= {goal}x the limit", max(v) if v else None, goal, higher_better=False,
               detail=("runs: " + ", ".join(f"{x:.2f}" for x in v)) if v else "")
else:
    target("--bwlimit over the mounts: worst 1-s <= 1.05x, worst 100-ms <= 1.5x, both directions", None, 1.05)
d = sel("local", "large", "duplex")
for other, goal in [("cp", 0.75), ("rsync", 2.0)]:
    m, _ = ratio_pair(d, sel("local", "large", other), "mbs") if d else (None, None)
    target(f"local `large`, SHA-256 on: duplex / {other} >= {goal}", m, goal)
for ds in ["small", "mixed"]:
    d = sel("local", ds, "duplex")
    m, _ = ratio_pair(d, sel("local", ds, "rsync"), "fps") if d else (None, None)
    target(f"local `{ds}`: duplex files/s / rsync files/s >= 1.2", m, 1.2,
           detail=f"duplex {med([r['fps'] for r in d]):.0f} files/s" if d else "")
md = {ds: med([r["rss"] for r in sel("memory", ds, "duplex")]) for ds in ["files10k", "small", "files1m"] if sel("memory", ds, "duplex")}
if len(md) >= 2:
    spread = max(md.values()) / min(md.values()) - 1
    target("memory: duplex full-run peak RSS flat from 10k to 1M files (max/min - 1 <= 0.15)", spread, 0.15, higher_better=False,
           detail=", ".join(f"{SIZE[k]}: {v:.1f} MiB" for k, v in md.items()))
else:
    target("memory: duplex full-run peak RSS flat from 10k to 1M files", None, 0.15)
for ds in ["files10k", "small", "files1m"]:
    d, o = sel("memory", ds, "duplex"), sel("memory", ds, "rclone")
    if d and o:
        target(f"memory at {SIZE[ds]}: duplex full-run peak RSS / rclone's < 1", med([r["rss"] for r in d]) / med([r["rss"] for r in o]),
               1.0, higher_better=False, detail=f"duplex {med([r['rss'] for r in d]):.1f} MiB, rclone {med([r['rss'] for r in o]):.1f} MiB")
    else:
        target(f"memory at {SIZE[ds]}: duplex peak RSS below rclone's", None, 1.0)
n1m = sel("memory-noop", "files1m", "duplex")
target("memory: no-op run over 1M files, duplex peak RSS < 128 MiB", med([r["rss"] for r in n1m]) if n1m else None, 128.0,
       higher_better=False)
for ds in ["small", "files1m"]:
    g = [r for r in sel("scan", ds, "duplex") if "scan_fps" in r["x"]]
    target(f"scan into SQLite at {SIZE[ds]}: >= 100k files/s (phase `scan`)",
           med([float(r["x"]["scan_fps"]) for r in g]) if g else None, 100000.0)
m, _ = ratio_pair(sel("dual", "large", "duplex-dual"), sel("dual", "large", "duplex-single"), "mbs")
target("dual target (local, `large`): dual / single throughput >= 0.9", m, 0.9)

P("### Targets of issue 5 vs this run\n")
P("| target | measured | status | detail |")
P("|---|---|---|---|")
for name, mv, st, det in T:
    P(f"| {name} | {mv} | {st} | {det} |")
P("")
print("\n".join(out))
