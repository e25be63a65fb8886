#!/usr/bin/env bash
# bisync.sh [SCALE]...  -- duplex bisync side by side with unison and rclone bisync on one machine (issue 15).
#
# For each SCALE (default: 10k 90k files) a deterministic tree shaped like seed 002's file server (office
# documents: 40 % up to 4 KiB, 57.5 % 4-60 KiB, 2.5 % up to 1 MB, and two files of 100-130 MB; 12 departments x
# 150 projects x 10 years; fixed seed and mtimes; about 3 GB at 90k) is made once as a pristine copy. Then for each tool, in turn:
#   1. LEFT and RIGHT are reset to two identical copies of the pristine tree (cp -a, untimed), the tool's state
#      removed, caches dropped;
#   2. first:   the first reconcile of the two identical trees (duplex bisync's first run; unison's first run,
#               which builds its archive; rclone bisync --resync)
#   3. nochange: the same command again, nothing changed;
#   4. edits:   1,000 files edited on LEFT and 100 other files on RIGHT (same edits for every tool: a seeded list),
#               then the tool's normal run, timed until it ends; both sides must then be equal (checked untimed).
# Each timed run: /usr/bin/time -v (wall, peak RSS). Rows go to bench/results/RUN/bisync.tsv; a markdown table and
# the ratios the issue asks for to bench/results/RUN/summary.md.
# Environment: BENCH_WORK (scratch, default /var/tmp/duplex-bisync-bench), BENCH_RUN (results dir name),
# DUPLEX_JAR (default app/target/duplex.jar, copied), BISYNC_TOOLS (default "duplex unison rclone"),
# BISYNC_RIGHT (RIGHT's directory, default WORK/right; e.g. a folder on the lab's sshfs share, see lab/netshare.sh),
# BISYNC_BWLIMIT (e.g. 2M: after the edits, duplex alone copies a new 32 MiB file with --bwlimit and the rate it
# held is recorded as the step "bwlimit", bytes from --json-summary over the run's wall time).
# Commands (LEFT, RIGHT being the two roots):
#   duplex:  java <launcher options> -jar duplex.jar bisync --db STATE/job.db -q LEFT RIGHT
#   unison:  UNISON=STATE unison LEFT RIGHT -batch -auto -times -perms 0 -ui text -silent
#   rclone:  rclone bisync LEFT RIGHT --workdir STATE [--resync on the first run]
set -uo pipefail
ROOT=$(cd "$(dirname "$(readlink -f "$0")")/../.." && pwd)
WORK=${BENCH_WORK:-/var/tmp/duplex-bisync-bench}
RUN_ID=${BENCH_RUN:-$(date -u +%Y%m%d-%H%M%S)-bisync}
RES=$ROOT/bench/results/$RUN_ID
TSV=$RES/bisync.tsv
TOOLS=${BISYNC_TOOLS:-duplex unison rclone}
SCALES=("$@")
[ ${#SCALES[@]} -gt 0 ] || SCALES=(10k 90k)
mkdir -p "$WORK" "$RES"
log() { echo "[bisync $(date -u +%H:%M:%S)] $*" | tee -a "$RES/log.txt" >&2; }
die() { log "error: $*"; exit 1; }
for t in unison rclone; do
  case " $TOOLS " in *" $t "*) command -v $t >/dev/null || die "missing $t (apt-get install -y $t)";; esac
done
JAR=$WORK/duplex.jar
if [ ! -f "$JAR" ]; then
  cp "${DUPLEX_JAR:-$ROOT/app/target/duplex.jar}" "$JAR" || die "no duplex jar: mvn -B -q -o package -pl app -DskipTests"
  echo "$(git -C "$ROOT" log -1 --format=%h) $(date -u +%FT%TZ)" > "$JAR.commit"
fi
JVM_OPTS=$(sed -n 's/^jvm_opts=(\(.*\))[[:space:]]*$/\1/p' "$ROOT/duplex" | head -1)
[ -f "$TSV" ] || printf 'scale\ttool\tstep\twall_s\tmax_rss_kb\trc\tload1\tcheck\n' > "$TSV"
{
  echo "## $(date -u +%FT%TZ) bisync.sh ${SCALES[*]} tools: $TOOLS"
  echo "jar: $(cat "$JAR.commit" 2>/dev/null); java: $(java -version 2>&1 | head -1)"
  echo "unison: $(unison -version 2>/dev/null); rclone: $(rclone version 2>/dev/null | head -1)"
  echo "cpu: $(nproc) cores; load: $(cut -d' ' -f1-3 /proc/loadavg)"
} >> "$RES/meta.txt"

make_tree() {   # make_tree FILES DIR: the seed-002-shaped tree
  /usr/bin/python3 - "$1" "$2" <<'PY'
import os, random, sys
n, out = int(sys.argv[1]), sys.argv[2]
r = random.Random(2002 + n)
os.makedirs(out)
T = 1700000000
block = bytes(r.getrandbits(8) for _ in range(1 << 16))
def content(size, salt):
    reps = size // len(block) + 1
    data = (block * reps)[:size]
    return salt.to_bytes(8, "little") + data[8:] if size >= 8 else data
exts = [".docx", ".xlsx", ".pdf", ".txt", ".msg", ".jpg", ".dwg", ".pptx"]
for i in range(n):
    d = os.path.join(out, f"dept{i % 12}", f"project{(i // 12) % 150}", f"y{2015 + i % 10}")
    os.makedirs(d, exist_ok=True)
    x = r.random()
    size = (r.randint(0, 4096) if x < 0.40 else r.randint(4096, 60_000) if x < 0.975
            else r.randint(60_000, 1_000_000))
    if n >= 10000 and i in (n // 3, 2 * n // 3):
        size = r.randint(100_000_000, 130_000_000)          # two large files (scans, videos) per tree
    p = os.path.join(d, f"doc{i}{exts[i % len(exts)]}")
    with open(p, "wb") as f:
        f.write(content(size, i))
    os.utime(p, (T + i, T + i))
PY
}

edit() {   # edit DIR FROM TO: edit files FROM..TO-1 of one seeded list of the tree's files (disjoint ranges per side)
  /usr/bin/python3 - "$1" "$2" "$3" <<'PY'
import os, random, sys
root, lo, hi = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
files = []
for d, _, names in os.walk(root):
    if ".sync_trash" in d or "/.unison" in d or ".rclone" in d:
        continue
    files += [os.path.relpath(os.path.join(d, n), root) for n in names if not n.startswith(".")]
files.sort()
pick = random.Random(1500).sample(files, min(len(files), hi))[lo:hi]
for i, rel in enumerate(pick):
    p = os.path.join(root, rel)
    with open(p, "r+b") as f:
        f.write(f"edit {lo + i}\n".encode())
    t = 1800000000 + lo + i
    os.utime(p, (t, t))
PY
}

# the same tree, trash and tool state aside: relative path, size, mtime (seconds)
listing() { (cd "$1" && find . -path ./.sync_trash -prune -o -type f ! -name '.*' -printf '%P %s %T@\n' | sort); }

timed() {   # timed SCALE TOOL STEP CMD...
  local scale=$1 tool=$2 step=$3; shift 3
  sync; echo 3 > /proc/sys/vm/drop_caches
  local load; load=$(cut -d' ' -f1 /proc/loadavg)
  local t0 t1 rc
  t0=$(date +%s.%N)
  /usr/bin/time -v -o "$WORK/time.txt" timeout 1800 "$@" > "$WORK/out.txt" 2> "$WORK/err.txt"; rc=$?
  t1=$(date +%s.%N)
  local rss; rss=$(awk -F': ' '/Maximum resident/ {print $2}' "$WORK/time.txt")
  local wall; wall=$(echo "$t1 - $t0" | bc)
  local check=-
  if [ "$step" != first ] || true; then
    if diff <(listing "$L") <(listing "$R") > /dev/null; then check=equal; else check=DIFFERENT; fi
  fi
  printf '%s\t%s\t%s\t%.2f\t%s\t%s\t%s\t%s\n' "$scale" "$tool" "$step" "$wall" "$rss" "$rc" "$load" "$check" >> "$TSV"
  log "$scale $tool $step: ${wall}s rss ${rss}KB rc $rc check $check"
  [ $rc -eq 0 ] || { log "stderr: $(tail -3 "$WORK/err.txt")"; }
}

run_tool() {   # run_tool SCALE TOOL
  local scale=$1 tool=$2 state=$WORK/state-$2
  rm -rf "$L" "$R" "$state"; mkdir -p "$state"
  cp -a "$PRISTINE" "$L"; cp -a "$PRISTINE" "$R"
  local cmd=() first=()
  case $tool in
    duplex) cmd=(java $JVM_OPTS -jar "$JAR" bisync --db "$state/job.db" -q "$L" "$R"); first=("${cmd[@]}");;
    unison) cmd=(env UNISON="$state" HOME="$state" unison "$L" "$R" -batch -auto -times -perms 0 -ui text -silent)
            first=("${cmd[@]}");;
    rclone) cmd=(rclone bisync "$L" "$R" --workdir "$state"); first=("${cmd[@]}" --resync);;
  esac
  timed "$scale" "$tool" first "${first[@]}"
  timed "$scale" "$tool" nochange "${cmd[@]}"
  edit "$L" 0 1000
  edit "$R" 1000 1100
  timed "$scale" "$tool" edits "${cmd[@]}"
  if [ "$tool" = duplex ] && [ -n "${BISYNC_BWLIMIT:-}" ]; then
    head -c $((32 << 20)) /dev/urandom > "$L/bwlimit-probe.bin"
    timed "$scale" "$tool" bwlimit "${cmd[@]}" --bwlimit "$BISYNC_BWLIMIT" --json-summary "$WORK/bw.json"
    local bytes wall
    bytes=$(sed -n 's/.*"bytes_left_to_right":\([0-9]*\).*/\1/p' "$WORK/bw.json")
    wall=$(tail -1 "$TSV" | cut -f4)
    log "$scale duplex bwlimit $BISYNC_BWLIMIT: $bytes bytes in ${wall}s = $(echo "scale=3; $bytes / $wall / 1048576" | bc) MiB/s"
    echo "bwlimit $BISYNC_BWLIMIT bytes $bytes wall $wall" >> "$RES/meta.txt"
  fi
}

for scale in "${SCALES[@]}"; do
  n=${scale%k}000
  PRISTINE=$WORK/pristine-$scale
  [ -d "$PRISTINE" ] || { log "making $PRISTINE ($n files)"; make_tree "$n" "$PRISTINE"; }
  log "$scale: $(find "$PRISTINE" -type f | wc -l) files, $(du -sh "$PRISTINE" | cut -f1)"
  L=$WORK/left; R=${BISYNC_RIGHT:-$WORK/right}
  for tool in $TOOLS; do run_tool "$scale" "$tool"; done
done
rm -rf "$WORK/left" "$R"
/usr/bin/python3 - "$TSV" > "$RES/summary.md" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
print("| scale | tool | step | wall s | peak RSS MiB | exit | both sides equal after |")
print("|---|---|---|---|---|---|---|")
for r in rows:
    print(f"| {r['scale']} | {r['tool']} | {r['step']} | {float(r['wall_s']):.2f} | {int(r['max_rss_kb'] or 0)/1024:.0f} | {r['rc']} | {r['check']} |")
by = {(r['scale'], r['tool'], r['step']): float(r['wall_s']) for r in rows}
print()
for scale in sorted({r['scale'] for r in rows}):
    for step in ("first", "nochange", "edits"):
        d = by.get((scale, "duplex", step))
        others = [by[(scale, t, step)] for t in ("unison", "rclone") if (scale, t, step) in by]
        if d and others:
            print(f"- {scale} {step}: fastest other {min(others):.2f} s, duplex {d:.2f} s: **{min(others)/d:.2f}x**")
PY
cat "$RES/summary.md"
