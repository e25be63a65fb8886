#!/usr/bin/env bash
# bwlimit.sh [RATE] [SIZE_MIB] [WORKDIR]
#
# How well --bwlimit holds on local disk: copies one SIZE_MIB file (default 256) with --bwlimit RATE (default
# 20M), sampling the duplex process's written bytes (/proc/PID/io wchar) every 100 ms, and reports the worst
# 1-second and 100-millisecond windows after the first second, as a ratio of the limit (issue 2: at most 1.10x
# per second after the first).
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/../.." && pwd)
rate=${1:-20M}
size_mib=${2:-256}
work=${3:-/var/tmp/duplex-bench/bw}
jar="$root/app/target/duplex.jar"
[ -f "$jar" ] || (cd "$root" && mvn -q -B -DskipTests -pl app -am package)
rm -rf "$work"; mkdir -p "$work/src"
head -c $((size_mib * 1024 * 1024)) /dev/urandom > "$work/src/f.bin"
limit=$(echo "$rate" | awk '{n = $0 + 0; u = toupper(substr($0, length($0)))
  m = (u == "K") ? 1024 : (u == "M") ? 1048576 : (u == "G") ? 1073741824 : 1; printf "%.0f", n * m}')
java -jar "$jar" --bwlimit "$rate" --db "$work/j.db" --progress-interval 1h "$work/src" "$work/dst" > /dev/null &
pid=$!
samples="$work/samples.tsv"
: > "$samples"
while kill -0 "$pid" 2>/dev/null; do
  w=$(awk '/^wchar/ {print $2}' "/proc/$pid/io" 2>/dev/null || true)
  [ -n "$w" ] && echo "$(date +%s.%N) $w" >> "$samples"
  sleep 0.1
done
wait "$pid"
cmp -s "$work/src/f.bin" "$work/dst/f.bin" && echo "copy: identical" || { echo "copy: DIFFERS"; exit 1; }
python3 - "$samples" "$limit" <<'PY'
import sys
rows = [tuple(map(float, l.split())) for l in open(sys.argv[1]) if l.strip()]
limit = float(sys.argv[2])
t0 = rows[0][0]
# first sample where data moved: the transfer start
start = next(t for t, w in rows if w > rows[0][1] + 1e6)
def worst(window):
    best = 0.0
    for i, (t, w) in enumerate(rows):
        if t < start + 1.0:
            continue
        for t2, w2 in rows[i + 1:]:
            if t2 - t >= window - 0.005:
                best = max(best, (w2 - w) / (t2 - t))
                break
    return best
total_t = rows[-1][0] - start
total_w = rows[-1][1] - rows[0][1]
print(f"limit {limit/1048576:.1f} MiB/s; transfer {total_t:.1f} s; average {total_w/total_t/1048576:.2f} MiB/s "
      f"= {total_w/total_t/limit:.3f}x")
print(f"worst 1 s window after the first second: {worst(1.0)/limit:.3f}x the limit")
print(f"worst 100 ms window after the first second: {worst(0.1)/limit:.3f}x the limit")
PY
