#!/usr/bin/env bash
# takeover.sh [LEASE]  -- how long the files of a killed host wait before another host takes them over.
#
# Two duplex workers share one job through PostgreSQL (--db $TAKEOVER_DB, default a database "takeover" on
# 127.0.0.1:55432, which must exist and be empty-able by $PGUSER), copying a local tree at --bwlimit 4M each so the
# run lasts. When worker A has synced 20 files it gets SIGKILL; the script then reads B's output (each line stamped
# on arrival) for "taking over the files of", and prints the wait from the kill to that line, and to B's end.
# Every process is started here and stopped by PID; the tree is under a temp dir removed at the end.
set -euo pipefail
LEASE=${1:-60s}
JAR=${JAR:-$(cd "$(dirname "$0")/../.." && pwd)/app/target/duplex.jar}
HOSTPORT=${TAKEOVER_HOSTPORT:-127.0.0.1:55432}
DBNAME=${TAKEOVER_DBNAME:-takeover}
export PGUSER=${PGUSER:-postgres}
work=$(mktemp -d /tmp/takeover.XXXXXX)
pids=()
cleanup() { for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
psql -q -h "${HOSTPORT%:*}" -p "${HOSTPORT#*:}" -c "DROP DATABASE IF EXISTS $DBNAME WITH (FORCE)" -c "CREATE DATABASE $DBNAME"
python3 - "$work/src" <<'PY'
import os, random, sys
random.seed(7)
for i in range(400):
    d = os.path.join(sys.argv[1], "d%d" % (i % 10))
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "f%d" % i), "wb") as f:
        f.write(random.randbytes(256 * 1024))
PY
stamp() { while IFS= read -r line; do printf '%s %s\n' "$(date +%s.%N)" "$line"; done; }
run() { # name
  timeout 900 java -jar "$JAR" --db "postgresql://$HOSTPORT/$DBNAME" --lease "$LEASE" --bwlimit 4M \
    --log "$work/$1.jsonl" "$work/src" "$work/dst" 2>&1 | stamp > "$work/$1.out" &
  pids+=($!)
}
run a; run b
until [ -f "$work/a.jsonl" ] && [ "$(grep -c '"synced"' "$work/a.jsonl")" -ge 20 ]; do sleep 0.05; done
apid=$(pgrep -f -- "^java -jar .*--log $work/a.jsonl" | head -1)
kill -9 "$apid"; killed=$(date +%s.%N)
wait "${pids[1]}" || true
cp "$work/b.out" /tmp/takeover-b.out; took=$(grep -m1 "taking over the files of" "$work/b.out" | cut -d" " -f1 || true)
ended=$(tail -1 "$work/b.out" | cut -d' ' -f1)
python3 - "$killed" "$took" "$ended" "$LEASE" <<'PY'
import sys
k, t, e, lease = float(sys.argv[1]), float(sys.argv[2] or 0), float(sys.argv[3]), sys.argv[4]
print(f"lease {lease}: files of the killed worker taken over {t - k:.1f} s after the kill; the survivor ended "
      f"{e - k:.1f} s after it")
PY
diff -r "$work/src" "$work/dst" >/dev/null && echo "destination equals source" || echo "DESTINATION DIFFERS"
