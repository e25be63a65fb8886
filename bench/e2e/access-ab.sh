#!/usr/bin/env bash
# A/B of how duplex reads large source files: --mmap always vs --mmap never, alternating runs on one dataset,
# local disk -> local disk, page cache warm (the source is read once before). Prints the wall times of every run
# and the mean user/kernel CPU per mode.
#   bench/e2e/access-ab.sh DATASET_DIR [REPS=5] [dual]
# e.g. bench/e2e/access-ab.sh /var/tmp/duplex-bench/data/large 5
#      bench/e2e/access-ab.sh /var/tmp/duplex-bench/data/large 3 dual   (two destinations)
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
data=${1:?usage: access-ab.sh DATASET_DIR [REPS] [dual]}
reps=${2:-5}
dual=${3:-}
work=${BENCH_WORK:-/var/tmp/duplex-bench}/access-ab
mkdir -p "$work"
"$here/duplex" --version >/dev/null           # build first, outside the timings
cat "$data"/* >/dev/null 2>&1 || find "$data" -type f -exec cat {} + >/dev/null
for _ in $(seq "$reps"); do
  for mode in always never; do
    rm -rf "$work/dst" "$work/dst2" "$work"/job.*
    sync
    dests=("$work/dst")
    [ -n "$dual" ] && dests+=("$work/dst2")
    /usr/bin/time -f "$mode %e %U %S" "$here/duplex" -q --mmap "$mode" --db "$work/job.db" "$data" "${dests[@]}" \
      2>&1 >/dev/null | grep -E "^(always|never) "
  done
done | awk '{w[$1]=w[$1]" "$2; u[$1]+=$3; s[$1]+=$4; n[$1]++}
  END {for (k in w) printf "--mmap %-6s wall s:%s   mean user %.2f s, kernel %.2f s\n", k, w[k], u[k]/n[k], s[k]/n[k]}'
rm -rf "$work"
