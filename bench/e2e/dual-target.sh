#!/usr/bin/env bash
# dual-target.sh [WORKDIR] [RUNS]
#
# Issue 3's benchmark, on local disk: the same 2 GiB tree (8 x 256 MiB, incompressible, deterministic) copied
#   single  duplex SRC A            (one destination)
#   dual    duplex SRC A B          (one read, two destinations)
#   twice   duplex SRC A; duplex SRC B   (what users would do without dual-target)
#   twice_cold  the same with the page cache dropped between the two copies (a share is read twice)
#   plain_single, plain_dual  a plain copy of the same tree into A, and into A and B from one read (fanout-copy.py:
#               one reader, a writer thread per destination, 4 MiB blocks, no hashing, no flushes): what a second
#               destination costs on this machine before any of duplex's own work
# in alternating order, RUNS times each (default 3). Before each run the destinations and dbs are removed and,
# when root, the page cache is dropped. Time = tool wall clock + a final `sync` (so written data is on disk).
# Prints per-run rows (with the whole machine's kernel CPU seconds during the run), then medians, source MB/s
# (1 MB = 10^6 B) and the ratios the issue sets targets for:
#   dual throughput / single throughput  (target >= 0.9)
#   twice time / dual time               (target >= 1.7)
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/../.." && pwd)
work=${1:-/var/tmp/duplex-bench}
runs=${2:-3}
jar="$root/app/target/duplex.jar"
"$root/duplex" --version > /dev/null       # builds the jar and its CDS archive when they are missing or stale
# the ./duplex launcher's JVM options and CDS archive, as compare.sh and profile.sh use them
jvm_opts=$(sed -n 's/^jvm_opts=(\(.*\))[[:space:]]*$/\1/p' "$root/duplex" | head -1)
[ -f "$root/app/target/duplex.jsa" ] && jvm_opts="$jvm_opts -XX:SharedArchiveFile=$root/app/target/duplex.jsa -Xlog:cds=off -Xlog:cds+dynamic=off"
src="$work/src2g"
mkdir -p "$work"

if [ ! -f "$src/.complete" ]; then
  rm -rf "$src"; mkdir -p "$src"
  for i in 0 1 2 3 4 5 6 7; do
    key=$(printf 'duplex-bench-dual-%d' "$i" | sha256sum | cut -c1-32)
    # openssl dies of SIGPIPE when head has enough: that is the expected end of the keystream
    { openssl enc -aes-128-ctr -nosalt -K "$key" -iv 00000000000000000000000000000000 < /dev/zero 2>/dev/null || true; } \
      | head -c $((256 * 1024 * 1024)) > "$src/f_$i.bin"
  done
  touch -d @1704067200 "$src"/*.bin
  touch "$src/.complete"
fi
bytes=$(find "$src" -name '*.bin' -printf '%s\n' | awk '{s += $1} END {printf "%.0f", s}')

drop_caches() { sync; if [ "$(id -u)" = 0 ]; then echo 3 > /proc/sys/vm/drop_caches; fi; }

# DUPLEX_BENCH_TMPFS=1: each destination is its own tmpfs (two independent targets, as two shares are);
# otherwise both destinations share the one local disk with the source.
if [ "${DUPLEX_BENCH_TMPFS:-0}" = 1 ]; then
  mkdir -p "$work/a" "$work/b"
  mountpoint -q "$work/a" || mount -t tmpfs -o size=3g tmpfs "$work/a"
  mountpoint -q "$work/b" || mount -t tmpfs -o size=3g tmpfs "$work/b"
  trap 'umount "$work/a" "$work/b" 2>/dev/null || true' EXIT
fi

fresh() {
  if mountpoint -q "$work/a"; then
    find "$work/a" "$work/b" -mindepth 1 -delete
  else
    rm -rf "$work/a" "$work/b"
  fi
  rm -rf "$work"/*.db* "$work"/*.audit.jsonl "$work"/*.log
  drop_caches
}

duplex() { env LC_ALL=C.UTF-8 java $jvm_opts -jar "$jar" --progress-interval 1h "$@" > /dev/null; }

# the whole machine's kernel CPU time so far (system + irq + softirq jiffies), whatever process spent it
sys_jiffies() { awk '/^cpu / {print $4 + $7 + $8}' /proc/stat; }

timed() { # label command...
  local label=$1; shift
  fresh
  local t0 t1 s0 s1
  s0=$(sys_jiffies); t0=$(date +%s.%N)
  "$@"
  local t_tool
  t_tool=$(date +%s.%N)
  sync
  t1=$(date +%s.%N); s1=$(sys_jiffies)
  echo "$label $(echo "$t1 - $t0" | bc) tool=$(echo "$t_tool - $t0" | bc) sys=$(echo "scale=2; ($s1 - $s0) / $(getconf CLK_TCK)" | bc)"
}

single() { duplex --db "$work/s.db" "$src" "$work/a"; }
dual()   { duplex --db "$work/d.db" "$src" "$work/a" "$work/b"; }
twice()  { duplex --db "$work/t1.db" "$src" "$work/a"; duplex --db "$work/t2.db" "$src" "$work/b"; }
# as on a network share: the second copy reads the source again instead of finding it in the local page cache
twice_cold() { duplex --db "$work/t1.db" "$src" "$work/a"; drop_caches; duplex --db "$work/t2.db" "$src" "$work/b"; }
plain_single() { python3 "$root/bench/e2e/fanout-copy.py" "$src" "$work/a"; }
plain_dual()   { python3 "$root/bench/e2e/fanout-copy.py" "$src" "$work/a" "$work/b"; }

results=$(mktemp)
echo "jvm options: $jvm_opts"
echo "dataset: $src, $bytes bytes; runs: $runs; destinations: $([ "${DUPLEX_BENCH_TMPFS:-0}" = 1 ] && echo "two tmpfs" || echo "local disk"); $(nproc) cores; $(java -version 2>&1 | head -1)"
for r in $(seq 1 "$runs"); do
  if [ $((r % 2)) = 1 ]; then order="single dual twice twice_cold plain_single plain_dual"
  else order="plain_dual plain_single twice_cold twice dual single"; fi
  for t in $order; do timed "$t" "$t" | tee -a "$results"; done
done

middle() { sort -n | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }   # median of stdin
median() { grep "^$1 " "$results" | awk '{print $2}' | middle; }
minmax() { grep "^$1 " "$results" | awk '{print $2}' | sort -n | awk 'NR == 1 {mn = $1} {mx = $1} END {printf "%.2f-%.2f", mn, mx}'; }
s=$(median single); d=$(median dual); w=$(median twice); wc=$(median twice_cold)
echo
sysmed() { grep "^$1 " "$results" | sed 's/.* sys=//' | middle; }
echo "| mode | median s (min-max) | source MB/s | machine kernel CPU s (median) |"
echo "| --- | --- | --- | --- |"
for m in single dual twice twice_cold plain_single plain_dual; do
  v=$(median $m)
  printf "| %s | %.2f (%s) | %.0f | %.2f |\n" "$m" "$v" "$(minmax $m)" "$(echo "$bytes / $v / 1000000" | bc -l)" "$(sysmed $m)"
done
printf "\ndual throughput / single throughput: %.2f (target >= 0.9)\n" "$(echo "$s / $d" | bc -l)"
printf "twice time / dual time:              %.2f (target >= 1.7; source warm in the page cache for the second copy)\n" "$(echo "$w / $d" | bc -l)"
printf "twice_cold time / dual time:         %.2f (the second copy reads the source again, as over a share)\n" "$(echo "$wc / $d" | bc -l)"
printf "plain_dual / plain_single throughput:  %.2f (the same ratio for the plain reference copy, no hashing)\n" \
  "$(echo "$(median plain_single) / $(median plain_dual)" | bc -l)"
rm -f "$results"
