#!/usr/bin/env bash
# profile.sh DATASET [DUPLEX OPTIONS...]   -- where a duplex run spends its time, for one local fresh copy.
#
# Three runs of `duplex [OPTIONS] --db FRESH $BENCH_WORK/data/DATASET DST` (dataset from compare.sh's `datasets`
# phase), each after drop caches, with the JVM options compare.sh uses:
#   1. CPU seconds per thread (utime+stime from /proc/PID/task/*/stat, sampled every 200 ms; the last sample of
#      each thread counts) next to the wall time: which thread is busy (reader, hasher, writers, the commit/db
#      thread "main", GC, JIT compiler) and how much of the run the process was on CPU at all;
#   2. `strace -f -c`: system calls by count and time, and per copied file;
#   3. JFR (settings=profile) and a GC log: the hottest Java frames (top of stack of jdk.ExecutionSample),
#      GC pauses in total.
# Output: a text report on stdout, raw files in $BENCH_WORK/profile/DATASET/. Needs root (drop_caches).
# Example: bench/e2e/profile.sh small;  bench/e2e/profile.sh large --transfers 1
set -euo pipefail
ROOT=$(cd "$(dirname "$(readlink -f "$0")")/../.." && pwd)
ds=${1:?usage: profile.sh DATASET [DUPLEX OPTIONS...]}; shift
WORK=${BENCH_WORK:-/var/tmp/duplex-bench}
src=$WORK/data/$ds
[ -d "$src" ] || { echo "no dataset $src: run bench/e2e/compare.sh datasets" >&2; exit 2; }
out=$WORK/profile/$ds; dst=$WORK/out/profile-$ds; db=$WORK/db/profile
mkdir -p "$out"
"$ROOT/duplex" --version > /dev/null           # builds the jar and the CDS archive when needed
JAVA=$(command -v java)
opts=$(sed -n 's/^jvm_opts=(\(.*\))[[:space:]]*$/\1/p' "$ROOT/duplex" | head -1)
jsa=$ROOT/app/target/duplex.jsa
[ -f "$jsa" ] && opts="$opts -XX:SharedArchiveFile=$jsa -Xlog:cds=off -Xlog:cds+dynamic=off"
files=$(find "$src" -type f | wc -l)

fresh() { rm -rf "$dst" "$db"; mkdir -p "$db"; sync; echo 3 > /proc/sys/vm/drop_caches; }
duplex_cmd() { echo "env LC_ALL=C.UTF-8 $JAVA $opts $* -jar $ROOT/app/target/duplex.jar --db $db/job.db $EXTRA $src $dst"; }
EXTRA="$*"

echo "# profile of duplex ${EXTRA:+$EXTRA }on $ds ($files files), $(date -u +%FT%TZ), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# command: $(duplex_cmd)"

# 1. CPU per thread
fresh
t0=$(date +%s.%N)
$(duplex_cmd) > "$out/run1.out" 2>&1 &
pid=$!
python3 - "$pid" "$out/threads.txt" <<'PY' &
import os, sys, time
pid, out = int(sys.argv[1]), sys.argv[2]
hz = os.sysconf("SC_CLK_TCK")
seen = {}
while True:
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            try:
                name = open(f"/proc/{pid}/task/{tid}/comm").read().strip()
                f = open(f"/proc/{pid}/task/{tid}/stat").read().rsplit(")", 1)[1].split()
                seen[tid] = (name, int(f[11]) / hz, int(f[12]) / hz)
            except OSError:
                pass
    except OSError:
        break
    time.sleep(0.2)
by = {}
for name, user, sys_ in seen.values():
    # lanes and pools: duplex-reader-1..4 -> duplex-reader-*, "GC Thread#0" etc. kept
    key = name.rstrip("0123456789").rstrip("-") + ("-*" if name[-1:].isdigit() and name.startswith("duplex") else "")
    u, s = by.get(key, (0.0, 0.0))
    by[key] = (u + user, s + sys_)
with open(out, "w") as o:
    o.write("     user      sys  thread\n")
    for k, (u, s) in sorted(by.items(), key=lambda kv: -sum(kv[1])):
        if u + s >= 0.01:
            o.write(f"  {u:7.2f}  {s:7.2f}  {k}\n")
PY
sampler=$!
wait "$pid"; rc=$?
t1=$(date +%s.%N); sync; t2=$(date +%s.%N)
wait "$sampler"
echo
echo "## 1. wall $(echo "$t1 - $t0" | bc) s + sync $(echo "$t2 - $t1" | bc) s, exit $rc; CPU seconds by thread (sampled every 200 ms):"
cat "$out/threads.txt"
grep -E "scan done|copied|average" "$out/run1.out" | sed 's/^/    /'

# 2. system calls
fresh
strace -f -c -o "$out/strace.txt" $(duplex_cmd) > "$out/run2.out" 2>&1 || true
echo
echo "## 2. strace -f -c (top 15 by calls; per file = calls / $files files; strace slows the run, counts are what matter)"
awk -v n="$files" 'NR > 2 && $0 !~ /^-/ && $NF != "total" {calls = ($4 ~ /^[0-9]+$/) ? $4 : 0; print calls, $NF, $2}' "$out/strace.txt" \
  | sort -rn | head -15 | awk -v n="$files" '{printf "  %10d %-16s %6.1f per file  (%s s)\n", $1, $2, $1 / n, $3}'

# 3. JFR + GC log
fresh
jfr=$out/rec.jfr
$(duplex_cmd -XX:StartFlightRecording=filename=$jfr,settings=profile -Xlog:gc:file=$out/gc.log) > "$out/run3.out" 2>&1 || true
echo
echo "## 3. JFR: hottest frames (top of stack in jdk.ExecutionSample), by thread group"
"$(dirname "$(readlink -f "$JAVA")")/jfr" print --events jdk.ExecutionSample "$jfr" > "$out/samples.txt" 2>/dev/null || true
python3 - "$out/samples.txt" <<'PY'
import re, sys, collections
text = open(sys.argv[1], errors="replace").read()
tops, threads = collections.Counter(), collections.Counter()
for ev in text.split("jdk.ExecutionSample")[1:]:
    m = re.search(r'sampledThread = "([^"]*)"', ev)
    th = re.sub(r"[-0-9]+$", "", m.group(1)) if m else "?"
    st = re.search(r"stackTrace = \[\s*\n\s*(.+?)\n", ev)
    frame = re.sub(r"\s+line:.*", "", st.group(1).strip()) if st else "?"
    tops[(th, frame)] += 1; threads[th] += 1
total = sum(threads.values()) or 1
print(f"  {total} samples; by thread: " + ", ".join(f"{t} {c * 100 // total}%" for t, c in threads.most_common(6)))
for (th, fr), c in tops.most_common(15):
    print(f"  {c * 100 / total:5.1f}%  {th:22s} {fr[:110]}")
PY
pauses=$(grep -c "Pause" "$out/gc.log" 2>/dev/null || echo 0)
ptime=$(grep -o "Pause[^)]*) [0-9.]*ms\|[0-9.]*ms$" "$out/gc.log" 2>/dev/null | grep -o '[0-9.]*ms' | tr -d 'ms' | awk '{s+=$1} END {printf "%.0f", s}')
echo "  GC: $pauses pauses, $ptime ms in total (gc.log)"

# 4. perf: where the CPU time goes, kernel included (JIT-compiled Java shows as [unknown] / perf-PID.map-less)
if command -v perf > /dev/null; then
  fresh
  perf record -q -F 999 -a -o "$out/perf.data" -- $(duplex_cmd) > "$out/run4.out" 2>&1 || true
  echo
  echo "## 4. perf record -a (999 Hz, whole machine): top symbols by thread, share of all samples"
  perf report -i "$out/perf.data" --no-children --sort comm,dso,sym --stdio 2>/dev/null \
    | grep -v '^#' | grep -v '^$' | head -25 | cut -c1-150 | sed 's/^/  /'
fi
rm -rf "$dst" "$db"
