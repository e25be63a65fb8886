#!/usr/bin/env bash
# scaleout.sh [DATASET...]   -- several hosts on one sync job: 1 worker vs N workers over lab/scalelab.sh
#
# Datasets (lab/dataset.sh): large, mixed, small (default: large mixed); and large12 (generated here, not by the vendored
# dataset.sh: 12 x 64 MiB, AES-128-CTR keystream keyed as dataset.sh keys its trees, by "lab-dataset-v1:large12",
# mtimes 2024-01-01 00:00:00 UTC). Each is generated once into the source server's export ($SCALE_EXPORT/src/DATASET,
# cached). Then, for every worker count in SCALE_WORKER_COUNTS (default
# "1 3"), SCALE_REPS times (default 1):
#   destination export emptied, worker dbs / audit logs removed (MODE=pg: database `duplex` dropped and created);
#   every worker mounts the two shares (scalelab.sh run K, sshfs in its own namespace) and waits at a barrier;
#   `sync`, drop caches; all workers are released at once, each running the same duplex command:
#     MODE=shard (default): java -jar JAR --shard K/N --db /tmp/scale-wK.db --log /tmp/scale-wK.audit.jsonl \
#                             /mnt/scale-src/DATASET /mnt/scale-dst/DATASET
#     MODE=pg:              the same without --shard and with --db postgresql://10.213.5.13/duplex, env PGUSER=postgres
#                           HOSTNAME=wK (so that the db's runs.host / files.claimed_by name the workers w1..wN)
#   wall time = last worker's end - first worker's start, plus a separately timed `sync` afterwards (as compare.sh:
#   seconds = wall + sync, MB/s = dataset bytes / seconds, 1 MB = 10^6 B);
#   the destination export is checked against the source export on the servers' local disks: the same file list,
#   sizes and SHA-256 of every file (equal yes/no).
# Per worker: files and bytes it copied (its audit log's "synced" lines: worker_synced); MODE=pg also the db's view
# (SELECT claimed_by, count(*), sum(size) FROM files GROUP BY 1: db_claimed) and the lab PostgreSQL server's CPU
# seconds during the run (utime+stime+cutime+cstime of the postgres processes in namespace lab-s-pg, /proc/PID/stat,
# before the start and after the last worker's end: pg_cpu_s).
# The whole machine's CPU use during each run is recorded (busy %, from /proc/stat) and `top -b` is sampled every 2 s
# into the run's logs, to tell a link-bound run from a CPU-bound one (sshd/sshfs encryption, hashing, FUSE).
#
# Output: one JSON line per run in bench/results/$BENCH_RUN/runs.jsonl (BENCH_RUN default scaleout-<UTC date-time>;
# SCALE_RESULTS overrides the results root), the workers' console output and top samples under logs/, meta.txt,
# and a summary (also summary.md) with the ratio N-workers / 1-worker throughput per dataset.
#
# Environment: MODE (shard|pg), SCALE_WORKER_COUNTS ("1 3"), SCALE_REPS (1), SCALE_JAR (default: the jar the ./duplex
# launcher runs, app/target/duplex.jar; copied to the work dir at start so that a rebuild during the run does not
# change it), SCALE_DUPLEX_ARGS (extra duplex options for every worker), SCALE_RUN_TIMEOUT (bound per worker run, s,
# default 1800), SCALE_WORK (scratch, default /var/tmp/scale-bench), plus scalelab.sh's LAB_RATE, LAB_TTL,
# SCALE_EXPORT, SCALE_STATE. The lab is brought up with LAB_WORKERS = the largest worker count if it is down, and
# then taken down again on exit (also on failure or Ctrl-C); a lab that was already up is left alone (it must have
# enough workers). Needs root.
set -euo pipefail
ROOT=$(cd "$(dirname "$(readlink -f "$0")")/../.." && pwd)
HERE=$ROOT/bench/e2e
LAB=$HERE/lab
SCALE=$LAB/scalelab.sh
MODE=${MODE:-shard}
COUNTS=${SCALE_WORKER_COUNTS:-1 3}
REPS=${SCALE_REPS:-1}
RUN_TIMEOUT=${SCALE_RUN_TIMEOUT:-1800}
WORK=${SCALE_WORK:-/var/tmp/scale-bench}
export SCALE_EXPORT=${SCALE_EXPORT:-/var/tmp/scale-export}
export SCALE_STATE=${SCALE_STATE:-/tmp/scale-lab}
export SCALE_MNT_SRC=${SCALE_MNT_SRC:-/mnt/scale-src}
export SCALE_MNT_DST=${SCALE_MNT_DST:-/mnt/scale-dst}
export LAB_RATE=${LAB_RATE:-100mbit}
export LAB_TTL=${LAB_TTL:-10800}
EXPORT=$SCALE_EXPORT
PG_URL=postgresql://10.213.5.13/duplex
RUN_ID=${BENCH_RUN:-scaleout-$(date -u +%Y%m%d-%H%M%S)}
RES=${SCALE_RESULTS:-$ROOT/bench/results}/$RUN_ID
JSONL=$RES/runs.jsonl

log() { echo "[scaleout $(date +%H:%M:%S)] $*" >&2; }
die() { log "$*"; exit 1; }

[ "$(id -u)" = 0 ] || die "needs root (drop_caches, network namespaces, FUSE)"
case "$MODE" in shard|pg) ;; *) die "MODE must be shard or pg" ;; esac
[ $# -gt 0 ] || set -- large mixed
for ds in "$@"; do case "$ds" in large|mixed|small|large12) ;; *) die "unknown dataset $ds (large, mixed, small, large12)" ;; esac; done
MAXW=0; for n in $COUNTS; do [[ "$n" =~ ^[0-9]+$ ]] && [ "$n" -ge 1 ] || die "bad worker count $n"; [ "$n" -gt $MAXW ] && MAXW=$n; done

# ------------------------------------------------------------------ cleanup: what we started, by PID
LAB_OWNED=0
BG_PIDS=""
cleanup() {
  local rc=$? p
  for p in $BG_PIDS; do kill "$p" 2>/dev/null || true; done
  for p in $BG_PIDS; do wait "$p" 2>/dev/null || true; done
  if [ "$LAB_OWNED" = 1 ]; then log "taking the lab down"; "$SCALE" down || true; fi
  exit $rc
}
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT
trap 'log "terminated"; exit 143' TERM

drop() { sync; echo 3 > /proc/sys/vm/drop_caches; }
now() { date +%s.%N; }
busy_jiffies() { awk '/^cpu / {print $2+$3+$4+$7+$8+$9, $2+$3+$4+$5+$6+$7+$8+$9}' /proc/stat; }
# CPU seconds (utime+stime+cutime+cstime) of the postgres processes in the lab's pg namespace; the backends that ended
# are in the postmaster's cutime/cstime once it has reaped them
pg_cpu() { local p t=0 f
  for p in $(ip netns pids lab-s-pg 2>/dev/null); do
    [ "$(cat /proc/$p/comm 2>/dev/null)" = postgres ] || continue
    f=$(sed 's/^.*) //' /proc/$p/stat 2>/dev/null) || continue
    t=$(( t + $(echo "$f" | awk '{print $12 + $13 + $14 + $15}') ))
  done
  awk -v t=$t -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.2f", t / hz }'
}
dsbytes() { find "$1" -type f -printf '%s\n' | awk '{s+=$1} END {printf "%d", s}'; }
dsfiles() { find "$1" -type f | wc -l; }
# "path size sha256" of every file, sorted by path
manifest() { (cd "$1" && find . -type f -printf '%P\0' | sort -z | xargs -0 -r sha256sum | awk '{print $2, $1}' \
  | while read -r p h; do echo "$p $(stat -c %s "$p") $h"; done); }

# ------------------------------------------------------------------ lab, jar, datasets
lab_up() {
  if ip netns list | awk '{print $1}' | grep -qx lab-s-sw; then
    local have; have=$(cat "$SCALE_STATE/workers" 2>/dev/null || echo 0)
    [ "$have" -ge "$MAXW" ] || die "the lab is up with $have workers; need $MAXW (scalelab.sh down, then again)"
    log "using the lab that is up ($have workers, $(cat "$SCALE_STATE/rate") each way)"
  else
    log "bringing the lab up: $MAXW workers, LAB_RATE=$LAB_RATE"
    LAB_OWNED=1
    LAB_WORKERS=$MAXW "$SCALE" up || die "scalelab.sh up failed"
  fi
}

prepare_jar() {
  local src=${SCALE_JAR:-$ROOT/app/target/duplex.jar}
  [ -f "$src" ] || die "no jar at $src (cd $ROOT && mvn -B -q -o package -pl app,dist -DskipTests)"
  mkdir -p "$WORK"; cp "$src" "$WORK/duplex.jar"; JAR=$WORK/duplex.jar
  JAVA=$(command -v java)
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then JAVA=$JAVA_HOME/bin/java; fi
  # the JVM options of the ./duplex launcher (its jvm_opts=(...) line); no CDS archive (it belongs to the launcher's jar)
  JVM_OPTS=$(sed -n 's/^jvm_opts=(\(.*\))[[:space:]]*$/\1/p' "$ROOT/duplex" | head -1)
  # the sync may be the default command (duplex SOURCE DEST) or a `sync` command
  SUBCMD=""
  if "$JAVA" -jar "$JAR" --help 2>&1 | sed -n '/^Commands/,$p' | grep -qE '^[[:space:]]+sync[[:space:]]'; then SUBCMD=sync; fi
  JAR_SRC=$src
}

# large12: 12 x 64 MiB, made here in the way of lab/dataset.sh (which is vendored and has no such tree)
gen_large12() { local dir=$1
  /usr/bin/python3 - "$dir.tmp" <<'PY'
import hashlib, os, subprocess, sys
out = sys.argv[1]
MiB = 1024 * 1024
key = hashlib.sha256(b"lab-dataset-v1:large12").hexdigest()[:32]
ks = subprocess.Popen(["openssl", "enc", "-aes-128-ctr", "-nosalt", "-K", key, "-iv", "0" * 32],
                      stdin=open("/dev/zero", "rb"), stdout=subprocess.PIPE, bufsize=0)
def readn(n):
    buf = bytearray()
    while len(buf) < n:
        chunk = ks.stdout.read(min(n - len(buf), 4 * MiB))
        if not chunk: raise SystemExit("keystream ended")
        buf += chunk
    return bytes(buf)
if os.path.exists(out):
    import shutil; shutil.rmtree(out)
os.makedirs(out)
for i in range(12):
    with open(os.path.join(out, f"file_{i:02d}.bin"), "wb") as f:
        for _ in range(8): f.write(readn(8 * MiB))
ks.kill(); ks.wait()
T = 1704067200
for f in os.listdir(out): os.utime(os.path.join(out, f), (T, T))
os.utime(out, (T, T))
PY
  sync; mv "$dir.tmp" "$dir"; touch -d @1704067200 "$dir"
}

prepare_dataset() { local ds=$1
  if [ ! -d "$EXPORT/src/$ds" ] || [ ! -f "$WORK/manifest.$ds" ]; then
    if [ ! -d "$EXPORT/src/$ds" ]; then
      log "generating dataset $ds in the source export"
      mkdir -p "$EXPORT/src"
      if [ "$ds" = large12 ]; then gen_large12 "$EXPORT/src/$ds" || die "dataset $ds failed"
      else "$LAB/dataset.sh" "$ds" "$EXPORT/src" >&2 || die "dataset $ds failed"; fi
    fi
    log "manifest of $ds (sha256 of every file)"
    manifest "$EXPORT/src/$ds" > "$WORK/manifest.$ds.tmp"; mv "$WORK/manifest.$ds.tmp" "$WORK/manifest.$ds"
  fi
}

# the duplex command of worker K of N (printed one argument a line, for mapfile)
worker_cmd() { local k=$1 n=$2 ds=$3
  local a=(env LC_ALL=C.UTF-8)
  [ "$MODE" = pg ] && a+=(PGUSER=postgres HOSTNAME=w$k)
  a+=("$JAVA"); [ -n "$JVM_OPTS" ] && a+=($JVM_OPTS)
  a+=(-jar "$JAR"); [ -n "$SUBCMD" ] && a+=("$SUBCMD")
  if [ "$MODE" = shard ]; then a+=(--shard "$k/$n" --db "/tmp/scale-w$k.db")
  else a+=(--db "$PG_URL"); fi
  a+=(--log "/tmp/scale-w$k.audit.jsonl")
  [ -n "${SCALE_DUPLEX_ARGS:-}" ] && a+=($SCALE_DUPLEX_ARGS)
  a+=("$SCALE_MNT_SRC/$ds" "$SCALE_MNT_DST/$ds")
  printf '%s\n' "${a[@]}"
}

reset_state() { local k
  rm -rf "${EXPORT:?}/dst" && mkdir -p "$EXPORT/dst"
  for k in $(seq 1 "$MAXW"); do rm -f /tmp/scale-w$k.db /tmp/scale-w$k.db-wal /tmp/scale-w$k.db-shm \
    /tmp/scale-w$k.db-journal /tmp/scale-w$k.log /tmp/scale-w$k.audit.jsonl; done
  if [ "$MODE" = pg ]; then
    "$SCALE" psql 'DROP DATABASE IF EXISTS duplex WITH (FORCE)' > /dev/null || die "cannot drop database duplex"
    "$SCALE" psql 'CREATE DATABASE duplex' > /dev/null || die "cannot create database duplex"
  fi
}


# CPU sampler: whole machine (/proc/stat) and the lab's own processes (every process in the lab's network namespaces:
# workers' java, ssh, sshfs; servers' sshd, sftp-server, postgres), by command; on SIGTERM it writes one JSON object.
# "other" = busy - lab processes - irq/softirq (the network stack): work on the machine that is not the lab's.
write_sampler() {
  cat > "$WORK/cpusample.py" <<'PY'
import json, os, signal, sys, time
out, interval = sys.argv[1], float(sys.argv[2])
HZ = os.sysconf("SC_CLK_TCK")
labns = set()
for n in os.listdir("/run/netns"):
    if n.startswith("lab-s-") or (n.startswith("lab-w") and n[5:].isdigit()):
        labns.add(os.stat("/run/netns/" + n).st_ino)
def machine():
    v = [int(x) for x in open("/proc/stat").readline().split()[1:]]
    busy = v[0] + v[1] + v[2] + v[5] + v[6] + v[7]
    return busy, sum(v[:8]), v[5] + v[6]
def procs():
    r = {}
    for p in os.listdir("/proc"):
        if not p.isdigit(): continue
        try:
            if os.stat(f"/proc/{p}/ns/net").st_ino not in labns: continue
            st = open(f"/proc/{p}/stat").read()
            comm = st[st.index("(") + 1:st.rindex(")")]
            f = st[st.rindex(")") + 2:].split()
            r[(p, f[19])] = (comm, int(f[11]) + int(f[12]))
        except (OSError, ValueError):
            pass
    return r
m0 = machine(); base = procs(); last = dict(base); peak = 0.0; prev = m0
stop = False
def term(*_):
    global stop; stop = True
signal.signal(signal.SIGTERM, term)
t0 = time.time()
while not stop:
    time.sleep(interval)
    cur = procs(); last.update(cur)
    m = machine()
    if m[1] > prev[1]: peak = max(peak, 100.0 * (m[0] - prev[0]) / (m[1] - prev[1]))
    prev = m
m1 = machine(); last.update(procs())
bycomm = {}
for k, (comm, j) in last.items():
    d = j - base.get(k, (comm, 0))[1]
    bycomm[comm] = bycomm.get(comm, 0) + d
tot = m1[1] - m0[1] or 1
lab = sum(bycomm.values())
ncpu = os.cpu_count()
res = {"elapsed_s": round(time.time() - t0, 1), "busy_pct": round(100.0 * (m1[0] - m0[0]) / tot, 1),
       "lab_pct": round(100.0 * lab / tot, 1), "irq_pct": round(100.0 * (m1[2] - m0[2]) / tot, 1),
       "other_pct": round(100.0 * (m1[0] - m0[0] - lab - (m1[2] - m0[2])) / tot, 1),
       "peak_sample_busy_pct": round(peak, 1),
       "lab_cpu_s": {c: round(j / HZ, 1) for c, j in sorted(bycomm.items(), key=lambda x: -x[1]) if j > 0}}
open(out, "w").write(json.dumps(res))
PY
}

# ------------------------------------------------------------------ one run: N workers at once
one_run() { local ds=$1 n=$2 rep=$3
  local name=${ds}_${MODE}_w${n}_$rep sd=$WORK/sync k p
  reset_state
  rm -rf "$sd"; mkdir -p "$sd" "$RES/logs"
  local pids=() cmd
  for k in $(seq 1 "$n"); do
    mapfile -t cmd < <(worker_cmd "$k" "$n" "$ds")
    [ "$k" = 1 ] && echo "$name: ${cmd[*]}" >> "$RES/meta.txt"
    # from the work dir: a relative path a duplex build might make of an option it does not know stays there
    (cd "$WORK" && SCALE_SYNC_DIR=$sd SCALE_RUN_TIMEOUT=$RUN_TIMEOUT exec "$SCALE" run "$k" "${cmd[@]}") > "$RES/logs/$name.w$k.out" 2>&1 &
    pids+=($!); BG_PIDS="$BG_PIDS $!"
  done
  # barrier: every worker has its mounts
  local i=0
  while [ "$(ls "$sd" | grep -c '^ready\.')" -lt "$n" ]; do
    i=$((i + 1)); [ $i -gt 3000 ] && die "workers not ready after 60 s: see $RES/logs/$name.w*.out"
    for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null || { tail -5 "$RES/logs/$name".w*.out >&2; die "a worker ended before the start"; }; done
    sleep 0.02
  done
  drop
  local top_pid samp_pid cpu0 cpu1
  timeout $((RUN_TIMEOUT + 60)) top -b -d 2 -w 200 > "$RES/logs/$name.top.txt" 2>&1 &
  top_pid=$!; BG_PIDS="$BG_PIDS $top_pid"
  python3 "$WORK/cpusample.py" "$sd/cpu.json" 0.5 &
  samp_pid=$!; BG_PIDS="$BG_PIDS $samp_pid"
  cpu0=$(busy_jiffies)
  local pgc0=None pgc1=None
  [ "$MODE" = pg ] && pgc0=$(pg_cpu)
  touch "$sd/go"
  local rcs=() rc
  for p in "${pids[@]}"; do if wait "$p"; then rc=0; else rc=$?; fi; rcs+=($rc); done
  local t_last; t_last=$(now)
  local s0 s1; s0=$(now); sync; s1=$(now)
  cpu1=$(busy_jiffies)
  if [ "$MODE" = pg ]; then sleep 0.5; pgc1=$(pg_cpu); fi   # 0.5 s: the last backends exit and are reaped
  kill "$top_pid" "$samp_pid" 2>/dev/null || true; wait "$top_pid" "$samp_pid" 2>/dev/null || true
  BG_PIDS=""
  # wall: first start .. last end (workers write them); fall back to the time we saw them end
  local first last per=()
  first=$(cat "$sd"/start.* 2>/dev/null | sort -n | head -1)
  last=$(cat "$sd"/end.* 2>/dev/null | sort -n | tail -1)
  [ -n "$first" ] || die "no worker started: see $RES/logs/$name.w*.out"
  [ -n "$last" ] && [ "$(ls "$sd" | grep -c '^end\.')" = "$n" ] || last=$t_last
  for k in $(seq 1 "$n"); do
    if [ -f "$sd/start.$k" ] && [ -f "$sd/end.$k" ]; then per+=("$(echo "$(cat "$sd/end.$k") - $(cat "$sd/start.$k")" | bc)")
    else per+=(None); fi
  done
  local wall sync_s secs bytes files mbs cpu equal="no"
  wall=$(echo "$last - $first" | bc); sync_s=$(echo "$s1 - $s0" | bc); secs=$(echo "$wall + $sync_s" | bc)
  bytes=$(awk '{s+=$2} END {printf "%d", s}' "$WORK/manifest.$ds"); files=$(wc -l < "$WORK/manifest.$ds")
  mbs=$(echo "scale=2; $bytes / $secs / 1000000" | bc)
  cpu=$(echo "$cpu0 $cpu1" | awk '{ printf "%.0f", 100 * ($3 - $1) / ($4 - $2) }')
  if [ -d "$EXPORT/dst/$ds" ] && manifest "$EXPORT/dst/$ds" | cmp -s - "$WORK/manifest.$ds"; then equal=yes; fi
  # what each worker copied, from its summary line
  local copied=()
  for k in $(seq 1 "$n"); do
    copied+=("$(grep -oE 'copied [0-9,]+ files' "$RES/logs/$name.w$k.out" | tail -1 | grep -oE '[0-9,]+' | tr -d , || true)")
  done
  # per worker: files and bytes from its audit log's "synced" lines; MODE=pg: the db's view by claimed_by
  python3 - "$n" > "$sd/synced.json" <<'PY'
import json, sys
res = []
for k in range(1, int(sys.argv[1]) + 1):
    f = b = 0
    try:
        for line in open(f"/tmp/scale-w{k}.audit.jsonl"):
            try: e = json.loads(line)
            except ValueError: continue
            if e.get("event") == "synced" and "size" in e: f += 1; b += int(e["size"])
    except OSError:
        f = b = None
    res.append({"worker": f"w{k}", "files": f, "bytes": b})
print(json.dumps(res))
PY
  local dbc="[]"
  if [ "$MODE" = pg ]; then
    # scalelab.sh psql connects to database postgres; the job's tables are in duplex
    dbc=$(ip netns exec lab-s-pg env PGCONNECT_TIMEOUT=5 timeout 60 /usr/lib/postgresql/15/bin/psql -X -q -At \
      -h 10.213.5.13 -U postgres -d duplex -c "SELECT coalesce(json_agg(x ORDER BY x.claimed_by), '[]') FROM \
      (SELECT claimed_by, count(*) AS files, coalesce(sum(size), 0) AS bytes FROM files GROUP BY 1) x" 2>/dev/null || echo '[]')
    dbc=$(echo "$dbc" | tr -d '\n'); [ -n "$dbc" ] || dbc='[]'
  fi
  local pgcpu=None
  [ "$pgc0" != None ] && [ "$pgc1" != None ] && pgcpu=$(echo "$pgc0 $pgc1" | awk '{printf "%.2f", $2 - $1}')
  python3 - "$JSONL" <<PY
import json, sys, time
rec = {"ts": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "dataset": "$ds", "mode": "$MODE", "workers": $n,
       "rep": $rep, "seconds": round($secs, 2), "wall_s": round($wall, 2), "sync_s": round($sync_s, 2),
       "bytes": $bytes, "files": $files, "mb_s": round($bytes / $secs / 1e6, 2), "equal": "$equal",
       "exit_codes": [$(IFS=,; echo "${rcs[*]}")], "worker_s": [$(IFS=,; echo "${per[*]}")],
       "worker_copied": [$(for c in "${copied[@]}"; do printf '%s,' "${c:-None}"; done | sed 's/,$//')],
       "worker_synced": json.load(open("$sd/synced.json")), "db_claimed": json.loads('''$dbc'''),
       "pg_cpu_s": $pgcpu, "pg_cpu_before_s": $pgc0, "pg_cpu_after_s": $pgc1,
       "cpu_busy_pct": $cpu, "cpu": json.loads(open("$sd/cpu.json").read() or "{}") if __import__("os").path.exists("$sd/cpu.json") else None, "rate": "$(cat "$SCALE_STATE/rate")", "cpus": $(nproc)}
open(sys.argv[1], "a").write(json.dumps(rec) + "\n")
PY
  log "$ds $MODE workers=$n #$rep: ${secs}s (wall $wall + sync $sync_s), $mbs MB/s, equal=$equal, exit ${rcs[*]}," \
      "per worker ${per[*]} s, copied ${copied[*]}, synced (audit) $(cat "$sd/synced.json"), db $dbc, pg cpu ${pgcpu}s," \
      "cpu ${cpu}% busy: $(cat "$sd/cpu.json" 2>/dev/null)"
  [ "$equal" = yes ] || log "MISMATCH: destination differs from the source ($ds, $n workers)"
}

summary() {
  python3 - "$JSONL" <<'PY'
import json, sys, collections
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
by = collections.defaultdict(list)
for r in rows: by[(r["dataset"], r["mode"], r["workers"])].append(r)
print("| dataset | mode | workers | runs | seconds | MB/s | equal | CPU busy (lab / irq / other) | worker s | vs 1 worker "
      "| per worker files / MiB (audit, last run) | db CPU s |")
print("|---|---|---:|---:|---:|---:|---|---|---|---:|---|---:|")
def perw(r):
    w = r.get("worker_synced") or []
    return " ".join(f"{x['worker']}:{x['files']}/{x['bytes'] / 1048576:.0f}" if x.get("files") is not None
                    else f"{x['worker']}:-" for x in w) or "-"
def pgc(rs):
    c = [r["pg_cpu_s"] for r in rs if r.get("pg_cpu_s") is not None]
    return f"{sum(c) / len(c):.2f}" if c else "-"
def cpu(rs):
    c = [r["cpu"] for r in rs if r.get("cpu")]
    if not c: return f"{sum(r['cpu_busy_pct'] for r in rs) / len(rs):.0f}%"
    a = lambda k: sum(x[k] for x in c) / len(c)
    return f"{a('busy_pct'):.0f}% ({a('lab_pct'):.0f} / {a('irq_pct'):.0f} / {a('other_pct'):.0f})"
for (ds, mode, n) in sorted(by):
    rs = by[(ds, mode, n)]
    mbs = sum(r["mb_s"] for r in rs) / len(rs)
    one = by.get((ds, mode, 1))
    ratio = f"{mbs / (sum(r['mb_s'] for r in one) / len(one)):.2f}x" if one else "-"
    print(f"| {ds} | {mode} | {n} | {len(rs)} | {sum(r['seconds'] for r in rs) / len(rs):.1f} | {mbs:.1f} | "
          f"{'/'.join(r['equal'] for r in rs)} | {cpu(rs)} | "
          f"{' '.join(str(round(x, 1)) if x is not None else '-' for x in rs[-1]['worker_s'])} | {ratio} | "
          f"{perw(rs[-1])} | {pgc(rs)} |")
print(f"\nrate per worker link: {rows[-1]['rate']} each way; {rows[-1]['cpus']} CPUs; MB/s = bytes / (wall + sync), 1 MB = 10^6 B;"
      " CPU % of the whole machine: lab = processes in the lab's namespaces, irq = (soft)irq time (network stack),"
      " other = the rest (not the lab's)")
PY
}

# ------------------------------------------------------------------ main
mkdir -p "$RES" "$WORK"
write_sampler
prepare_jar
lab_up
{
  echo "## scaleout $(date -u +%FT%TZ): bench/e2e/scaleout.sh $*"
  echo "env: MODE=$MODE SCALE_WORKER_COUNTS=\"$COUNTS\" SCALE_REPS=$REPS LAB_RATE=$(cat "$SCALE_STATE/rate") cipher $(cat "$SCALE_STATE/cipher") SCALE_DUPLEX_ARGS=${SCALE_DUPLEX_ARGS:-}"
  echo "jar: $JAR_SRC ($(sha256sum "$JAR" | cut -c1-16)), $("$JAVA" -jar "$JAR" --version 2>&1 | head -1); jvm: $JVM_OPTS; command: ${SUBCMD:-(default)}"
  echo "commit: $(git -C "$ROOT" rev-parse HEAD 2>/dev/null)$(git -C "$ROOT" diff --quiet HEAD -- app pom.xml 2>/dev/null || echo ' + uncommitted app changes')"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores; kernel $(uname -r)"
  echo "load at start: $(cat /proc/loadavg)"
} >> "$RES/meta.txt"
log "run $RUN_ID -> $RES"
for ds in "$@"; do
  prepare_dataset "$ds"
  for r in $(seq 1 "$REPS"); do
    for n in $COUNTS; do one_run "$ds" "$n" "$r"; done
  done
done
rm -rf "${EXPORT:?}/dst" && mkdir -p "$EXPORT/dst"
summary | tee "$RES/summary.md"
