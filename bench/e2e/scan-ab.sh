#!/usr/bin/env bash
# A/B of the scan's metadata threads: `duplex --dry-run --scan-threads N` (scan only, nothing copied) over one tree,
# alternating N, plus `find -printf '%s %T@'` (one stat per entry, in series) as the floor of a sequential walk.
# Caches are emptied before each run: drop_caches for local trees; for an sshfs mount, whose own attribute cache
# drop_caches does not reach, the script waits out sshfs's 20-s cache_timeout (a benchmark, not a test).
# SCAN_AB_DROP=0 keeps the kernel's caches (dentries and inodes stay; a FUSE mount still asks the server for the
# attributes once their 1-s timeout has passed): the state of a share scanned again by a machine with memory.
#   bench/e2e/scan-ab.sh TREE [REPS=2] [THREADS="1 8"]
# e.g. on the lab's share (bench/e2e/lab/netshare.sh up; LAB_SSHFS_OPTS=dir_cache=no makes every stat a round trip):
#      mkdir -p /var/tmp/lab-export/src/scan20k && (cd ... 20 dirs x 1,000 empty files) ...
#      bench/e2e/scan-ab.sh /mnt/lab-src/scan20k 2 "1 8 16"
# Needs root (drop_caches).
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
tree=${1:?usage: scan-ab.sh TREE [REPS] [THREADS]}
reps=${2:-2}
threads=${3:-1 8}
work=${BENCH_WORK:-/var/tmp/duplex-bench}/scan-ab
mkdir -p "$work"
"$here/duplex" --version >/dev/null           # build first, outside the timings
fstype=$(stat -f -c %T "$tree")
empty_caches() {
  [ "${SCAN_AB_DROP:-1}" = 0 ] && return 0
  sync; echo 3 > /proc/sys/vm/drop_caches
  case "$fstype" in fuse*) sleep 21 ;; esac
}
echo "# $tree ($fstype, caches $([ "${SCAN_AB_DROP:-1}" = 0 ] && echo kept || echo dropped), $(find "$tree" | wc -l) entries), $(date -u +%FT%TZ), load $(cut -d' ' -f1-3 /proc/loadavg)"
for r in $(seq "$reps"); do
  for t in $threads find; do
    rm -rf "$work/dst" "$work/db"
    empty_caches
    if [ "$t" = find ]; then
      /usr/bin/time -f "find %e" find "$tree" -printf '%s %T@\n' 2>&1 >/dev/null | tail -1
    else
      /usr/bin/time -f "threads=$t %e" "$here/duplex" --dry-run --scan-threads "$t" --db "$work/db/job.db" \
        "$tree" "$work/dst" 2>&1 >/dev/null | tail -1
    fi
  done
done | awk '{w[$1]=w[$1]" "$2} END {for (k in w) printf "%-11s wall s:%s\n", k, w[k]}' | sort
rm -rf "$work"
