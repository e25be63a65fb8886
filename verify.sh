#!/usr/bin/env bash
# verify.sh: shows duplex working in a clean environment. In a fresh temp dir it builds test data, runs ./duplex
# (which builds the jar if needed), and checks file contents and mtimes, the db rows, the audit log, a second
# run and leftovers, printing PASS/FAIL per check. Exits non-zero when any check fails.
set -uo pipefail
here=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/duplex-verify.XXXXXX")
trap 'rm -rf "$work"' EXIT
passed=0
failed=0
check() { # name, then a command that succeeds when the check passes
  local name=$1; shift
  if "$@" > "$work/check.out" 2>&1; then
    echo "PASS $name"; passed=$((passed + 1))
  else
    echo "FAIL $name"; sed 's/^/     /' "$work/check.out" | head -20; failed=$((failed + 1))
  fi
}

src="$work/src"; dst="$work/dst"; db="$work/state/job.db"; log="$work/state/audit.jsonl"
mkdir -p "$src/docs/nested" "$src/empty dir" "$src/ünïcødé 文件"
head -c $((12 * 1024 * 1024)) /dev/urandom > "$src/big.bin"
head -c 70000 /dev/urandom > "$src/docs/nested/mid.bin"
echo "hello" > "$src/docs/readme.txt"
: > "$src/zero.bin"
echo "unicode" > "$src/ünïcødé 文件/naïve café.txt"
touch -d '2024-01-01 12:00:00.123456789' "$src/docs/readme.txt"


"$here/duplex" --db "$db" --log "$log" "$src" "$dst" > "$work/run1.out" 2> "$work/run1.err"
code=$?
check "first run exits 0" test "$code" = 0
check "every file has identical content" bash -c '
  cd "$1" && find . -type f -print0 | while IFS= read -r -d "" f; do cmp -s "$f" "$2/$f" || { echo "differs: $f"; exit 1; }; done' _ "$src" "$dst"
check "every file has the source mtime" bash -c '
  cd "$1" && find . -type f -print0 | while IFS= read -r -d "" f; do
    [ "$(stat -c %Y.%y "$f")" = "$(stat -c %Y.%y "$2/$f")" ] || { echo "mtime differs: $f"; exit 1; }; done' _ "$src" "$dst"
check "the empty directory exists" test -d "$dst/empty dir"
check "the db exists" test -s "$db"
check "every db row is synced with the file's sha256" python3 - "$db" "$src" <<'PY'
import hashlib, os, sqlite3, sys
db, src = sys.argv[1], sys.argv[2]
rows = sqlite3.connect(db).execute("SELECT source_path, status, hash, algo FROM files").fetchall()
files = [os.path.join(r, f) for r, _, fs in os.walk(src) for f in fs]
assert len(rows) == len(files), f"{len(rows)} rows for {len(files)} files"
for path, status, h, algo in rows:
    want = hashlib.sha256(open(path, "rb").read()).hexdigest()
    assert status == "synced" and algo == "sha256" and h == want, (path, status, h, want)
PY
check "the audit log has one synced line per file with its hash" python3 - "$log" "$src" <<'PY'
import hashlib, json, os, sys
lines = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
files = [os.path.join(r, f) for r, _, fs in os.walk(sys.argv[2]) for f in fs]
assert len(lines) == len(files), f"{len(lines)} lines for {len(files)} files"
for l in lines:
    assert {"time", "event", "source", "dest", "size", "algo", "hash"} <= l.keys(), l
    assert l["event"] == "synced" and l["hash"] == hashlib.sha256(open(l["source"], "rb").read()).hexdigest(), l
PY
check "the summary was printed" grep -q "^copied 5 files" "$work/run1.out"

"$here/duplex" --db "$db" --log "$log" "$src" "$dst" > "$work/run2.out" 2> "$work/run2.err"
code=$?
check "a second run exits 0" test "$code" = 0
check "a second run copies nothing" grep -q "^copied 0 files" "$work/run2.out"
check "no temp files are left" bash -c '! find "$1" -name "*.duplex-tmp" | grep -q .' _ "$dst"
check "bad input exits 2 and creates nothing" bash -c '
  "$1/duplex" --bwlimit fast "$2" "$3/never" > /dev/null 2>&1; c=$?; [ "$c" = 2 ] && [ ! -e "$3/never" ]' _ "$here" "$src" "$work"

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
