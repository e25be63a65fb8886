#!/usr/bin/env bash
# watch.sh [latency] [busy] [burst] [steady] -- duplex bisync --watch: latency, a 1,000-edit burst against a one-shot run
# and unison, and the steady cost of watching 90k files (issue 16). See watch_bench.py for what each measures.
# Results: bench/results/RUN/watch.tsv and log.txt. Environment: BENCH_WORK (default /var/tmp/duplex-watch-bench),
# BENCH_RUN, DUPLEX_JAR (default app/target/duplex.jar, copied once), STEADY_SECONDS (default 600).
set -euo pipefail
ROOT=$(cd "$(dirname "$(readlink -f "$0")")/../.." && pwd)
export BENCH_WORK=${BENCH_WORK:-/var/tmp/duplex-watch-bench}
mkdir -p "$BENCH_WORK"
if [ ! -f "$BENCH_WORK/duplex.jar" ]; then
  cp "${DUPLEX_JAR:-$ROOT/app/target/duplex.jar}" "$BENCH_WORK/duplex.jar"
  echo "$(git -C "$ROOT" log -1 --format=%h) $(date -u +%FT%TZ)" > "$BENCH_WORK/duplex.jar.commit"
fi
JVM_OPTS=$(sed -n 's/^jvm_opts=(\(.*\))[[:space:]]*$/\1/p' "$ROOT/duplex" | head -1)
export JVM_OPTS
exec /usr/bin/python3 "$ROOT/bench/e2e/watch_bench.py" "$@"
