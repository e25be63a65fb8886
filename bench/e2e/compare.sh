#!/usr/bin/env bash
# compare.sh [PHASE[=DS,DS...]]...   -- issue 5's end-to-end benchmark: duplex against cp -a, rsync and rclone.
#
# With no argument it runs every phase below in order, then `report` (appends the tables to docs/BENCHMARKS.md).
# Phases (each appends one row per timed run to bench/results/RUN/runs.tsv; datasets after '=' override the default):
#   datasets            generate the deterministic datasets (lab dataset.sh) that are missing
#   local[=large,mixed,small,real]   local disk -> local disk, fresh copy: duplex, cp -a, rsync -a --whole-file,
#                       rclone copy, alternating (duplex cp rsync rclone, duplex cp rsync rclone, ...)
#   mounts[=large,mixed]   the same over the lab's two sshfs shares behind one shaped link, link sampled every 100 ms
#   audit[=mixed]       audited copy over the link: duplex (hashes stored) vs rsync -a then sha256sum of the source
#   bwlimit             --bwlimit at a quarter of the link rate over the link (mixed/medium): duplex, rsync, rclone
#   memory[=files10k,small,files1m]  peak RSS of a full run and of a no-op re-run (same command again), duplex,
#                       rsync, rclone
#   scan[=small,files1m]   duplex's scan into a fresh db over an already-synced destination (nothing to transfer):
#                       the scan rate duplex prints ("scanned in S s (N files/s)") and the run's wall time
#   dual[=large]        duplex with one destination vs two (local disk), alternating, beside a plain copy into one and two
#   jmh                 the JMH hash benchmark (bench/README.md), CSV kept in the run dir
#   summary             print the markdown tables of the run (bench/e2e/summary.py)
#   report              append the summary to docs/BENCHMARKS.md
#
# Every timed run (as the lab's anchors.sh): destination (and duplex db) removed, `sync`, drop caches (untimed);
# then `/usr/bin/time -v timeout LIMIT TOOL ...` with the wall clock read around it, then a separately timed
# `sync`. MB/s = dataset bytes / (tool + sync) seconds (1 MB = 10^6 B); files/s = files / (tool + sync).
# Peak RSS = GNU time's "Maximum resident set size" (largest single process). Each row also records the 1-minute
# load average before the run and the CPU seconds the whole machine was busy during it (host_busy_s), so runs
# disturbed by other work on the machine can be told apart. The destination is checked after each run (file
# count and bytes, untimed).
#
# duplex runs from the packaged jar with the JVM options of the ./duplex launcher (read from it, plus its CDS
# archive, which the launcher builds), default options (SHA-256), and a fresh --db per fresh copy.
#
# Environment: LAB_REPS (runs per tool and dataset, default 3), LAB_REPS_1M (for files1m, default 1),
# LAB_RUN_TIMEOUT (bound per timed command, s, default 900), BENCH_WORK (scratch, default /var/tmp/duplex-bench),
# BENCH_RUN (results dir name under bench/results; set it to add phases to an earlier run; default: new, UTC time),
# LAB_TOOLS (tools of local/mounts/memory, default "duplex cp rsync rclone" / "duplex rsync rclone"; a duplex
# variant is duplex+ARG,ARG: -X/-D arguments go to the JVM, the rest to duplex, e.g. "duplex duplex+--transfers=1";
# duplex@JAR runs another build, e.g. "duplex@/var/tmp/before.jar duplex@/var/tmp/after.jar", both without CDS),
# LAB_DIR (lab scripts, default bench/e2e/lab, verbatim copies of ../shared/lab), LAB_RATE (link rate, 200mbit).
# Needs root (drop_caches, network namespaces, FUSE). Network phases bring the lab up if it is down and always
# take it down again (by PID, trap on exit, also on failure or Ctrl-C); a lab that was already up is left alone.
set -uo pipefail
ROOT=$(cd "$(dirname "$(readlink -f "$0")")/../.." && pwd)
HERE=$ROOT/bench/e2e
LAB=${LAB_DIR:-$HERE/lab}
WORK=${BENCH_WORK:-/var/tmp/duplex-bench}
DATA=$WORK/data
OUTD=$WORK/out
DBD=$WORK/db
TMPD=$WORK/tmp
REPS=${LAB_REPS:-3}
REPS_1M=${LAB_REPS_1M:-1}
RUN_TIMEOUT=${LAB_RUN_TIMEOUT:-900}
RUN_ID=${BENCH_RUN:-$(date -u +%Y%m%d-%H%M%S)}
RES=$ROOT/bench/results/$RUN_ID
export LAB_EXPORT=${LAB_EXPORT:-$WORK/export}
export LAB_STATE=${LAB_STATE:-/tmp/lab-net}
export LAB_MNT_SRC=${LAB_MNT_SRC:-/mnt/lab-src}
export LAB_MNT_DST=${LAB_MNT_DST:-/mnt/lab-dst}
export LAB_TTL=${LAB_TTL:-14400}
EXPORT=$LAB_EXPORT; MNT_SRC=$LAB_MNT_SRC; MNT_DST=$LAB_MNT_DST
JAR=$ROOT/app/target/duplex.jar
TSV=$RES/runs.tsv
export RCLONE_CONFIG=$TMPD/rclone.conf

log() { echo "[compare $(date +%H:%M:%S)] $*" >&2; }
die() { log "$*"; exit 1; }

# ------------------------------------------------------------------ cleanup: everything we started, by PID
NET_OWNED=0
SAMPLER_PID=
cleanup() {
  local rc=$?
  if [ -n "$SAMPLER_PID" ] && kill -0 "$SAMPLER_PID" 2>/dev/null; then kill "$SAMPLER_PID" 2>/dev/null; wait "$SAMPLER_PID" 2>/dev/null; fi
  if [ "$NET_OWNED" = 1 ]; then log "taking the network lab down"; "$LAB/netshare.sh" down || true; NET_OWNED=0; fi
  exit $rc
}
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT
trap 'log "terminated"; exit 143' TERM

# ------------------------------------------------------------------ helpers
drop() { sync; echo 3 > /proc/sys/vm/drop_caches; }
now() { date +%s.%N; }
dsbytes() { find "$1" -type f -printf '%s\n' | awk '{s+=$1} END {printf "%d", s}'; }
dsfiles() { find "$1" -type f | wc -l; }
busy_jiffies() { awk '/^cpu / {print $2+$3+$4+$7+$8+$9}' /proc/stat; }
warm() { find "$1" -type f -print0 | xargs -0 -r cat > /dev/null; }   # host cache warm for every tool alike

# JVM options of the ./duplex launcher (its `jvm_opts=(...)` line) and its CDS archive when present.
duplex_jvm() {
  local opts
  opts=$(sed -n 's/^jvm_opts=(\(.*\))[[:space:]]*$/\1/p' "$ROOT/duplex" | head -1)
  [ -n "$opts" ] || { log "cannot read jvm_opts from $ROOT/duplex; using none"; }
  JVM_OPTS="$opts"
  local jsa=$ROOT/app/target/duplex.jsa
  if [ -f "$jsa" ] && [ "$(cat "$jsa.jvm" 2>/dev/null)" = "$JAVA $($JAVA -version 2>&1 | head -1)" ]; then
    JVM_OPTS="$JVM_OPTS -XX:SharedArchiveFile=$jsa -Xlog:cds=off -Xlog:cds+dynamic=off"
  fi
}

prepare_duplex() {
  [ -n "${JAVA:-}" ] && return 0
  # the launcher builds the jar when it is missing or older than the sources, and makes its CDS archive
  "$ROOT/duplex" --version > /dev/null || die "cannot build or run duplex (./duplex --version)"
  JAVA=$(command -v java)
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then JAVA=$JAVA_HOME/bin/java; fi
  duplex_jvm
  log "duplex: $JAVA $JVM_OPTS -jar $JAR"
}

# tool command line for a fresh copy (or a re-run) of directory SRC into DST; DB = duplex db path
tool_cmd() {
  local tool=$1 src=$2 dst=$3 db=${4:-$DBD/job.db}
  case "$tool" in
    duplex)   echo "env LC_ALL=C.UTF-8 $JAVA $JVM_OPTS -jar $JAR --db $db $src $dst" ;;
    duplex+*) # a variant: duplex+ARG,ARG... (-X.../-D... go to the JVM, the rest to duplex), e.g. duplex+--transfers=1
      local a jvm="" opt=""
      for a in $(echo "${tool#duplex+}" | tr ',' ' '); do case "$a" in -X*|-D*) jvm="$jvm $a" ;; *) opt="$opt $a" ;; esac; done
      echo "env LC_ALL=C.UTF-8 $JAVA $JVM_OPTS$jvm -jar $JAR --db $db$opt $src $dst" ;;
    duplex@*) # another build of duplex: duplex@/path/to/duplex.jar (no CDS archive, as for the one it is compared with)
      local opts; opts=$(echo "$JVM_OPTS" | sed -E 's/ ?-XX:SharedArchiveFile=[^ ]+//; s/ ?-Xlog:cds[^ ]*//g')
      echo "env LC_ALL=C.UTF-8 $JAVA $opts -jar ${tool#duplex@} --db $db $src $dst" ;;
    cp)       echo "cp -a $src $dst" ;;
    rsync)    echo "rsync -a --whole-file $src/ $dst/" ;;
    rclone)   echo "rclone copy $src $dst" ;;
    *) echo "unknown tool $tool" >&2; return 1 ;;
  esac
}

# timed CMD... ; sets W_TOOL W_SYNC USER SYS RSS RC LOAD1 BUSY; output in $TMPD/last.out
timed() {
  local tv=$TMPD/time.txt t0 t1 t2 j0 j1
  LOAD1=$(cut -d' ' -f1 /proc/loadavg)
  j0=$(busy_jiffies); t0=$(now)
  /usr/bin/time -v -o "$tv" timeout --kill-after=10 "$RUN_TIMEOUT" "$@" > "$TMPD/last.out" 2>&1
  RC=$?
  t1=$(now); sync; t2=$(now); j1=$(busy_jiffies)
  W_TOOL=$(echo "$t1 - $t0" | bc); W_SYNC=$(echo "$t2 - $t1" | bc)
  BUSY=$(echo "scale=2; ($j1 - $j0) / $(getconf CLK_TCK)" | bc)
  USER=$(awk -F': ' '/User time/ {print $2}' "$tv" 2>/dev/null); SYS=$(awk -F': ' '/System time/ {print $2}' "$tv" 2>/dev/null)
  RSS=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$tv" 2>/dev/null)
  [ "$RC" = 0 ] || { log "exit $RC: $*"; tail -5 "$TMPD/last.out" >&2; }
}

# key=value notes from a duplex run's output: its own scan time and rate, files copied / skipped / failed
duplex_notes() {
  python3 - "$TMPD/last.out" <<'PY'
import re, sys
t = open(sys.argv[1], errors="replace").read()
out = []
m = re.search(r"scanned in ([0-9.]+) s \(([0-9,]+) files/s\)", t)
if m: out += [f"scan_s={m.group(1)}", f"scan_fps={m.group(2).replace(',', '')}"]
m = re.search(r"copied ([0-9,]+) files .*?skipped ([0-9,]+) up to date, failed ([0-9,]+)", t)
if m: out += [f"copied={m.group(1).replace(',', '')}", f"skipped={m.group(2).replace(',', '')}", f"failed={m.group(3).replace(',', '')}"]
print(" ".join(out))
PY
}

# untimed check that DST holds as many files and bytes as SRC
check_copy() {
  local src=$1 dst=$2 fs fd bs bd
  [ -d "$dst" ] || { echo "check=MISSING"; return; }
  fs=$(dsfiles "$src"); fd=$(dsfiles "$dst" 2>/dev/null || echo 0)
  bs=$(dsbytes "$src"); bd=$(dsbytes "$dst" 2>/dev/null || echo 0)
  local ls ld note=""
  ls=$(find "$src" -type l | wc -l)
  if [ "$ls" -gt 0 ]; then ld=$(find "$dst" -type l 2>/dev/null | wc -l); note=" symlinks=$ld/$ls"; fi
  if [ "$fs" = "$fd" ] && [ "$bs" = "$bd" ]; then echo "check=ok$note"; else echo "check=MISMATCH:files=$fd/$fs,bytes=$bd/$bs$note"; fi
}

# row PHASE DATASET TOOL REP BYTES FILES LINK EXTRA CMD
row() {
  printf "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n" "$(date -u +%FT%TZ)" "$1" "$2" "$3" "$4" \
    "$5" "$6" "$W_TOOL" "$W_SYNC" "${USER:-}" "${SYS:-}" "${RSS:-}" "$RC" "$LOAD1" "$BUSY" "$7" "$8" "$9" >> "$TSV"
  log "$1 $2 $3 #$4: tool ${W_TOOL}s + sync ${W_SYNC}s, rss ${RSS}KB, rc $RC, load $LOAD1 ${8:+[$8]}"
}

# files with a stored hash in a duplex db
count_hashes() { python3 -c 'import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute("select count(*) from files where hash is not null").fetchone()[0])' "$1" 2>/dev/null || echo "?"; }

# keep a duplex run's console output (small) next to the results
keep_output() { mkdir -p "$RES/logs"; local n=${1//\//_}; cp "$TMPD/last.out" "$RES/logs/$n.out"; }

need_data() { local ds
  for ds in "$@"; do
    [ -d "$DATA/$ds" ] || { log "generating dataset $ds"; "$LAB/dataset.sh" "$ds" "$DATA" >&2 || die "dataset $ds failed"; }
  done
}

# ------------------------------------------------------------------ meta: machine, versions, how this was run
write_meta() {
  prepare_duplex
  local m=$RES/meta.txt
  {
    echo "## invocation $(date -u +%FT%TZ)"
    echo "command: bench/e2e/compare.sh $*"
    echo "env: LAB_REPS=$REPS LAB_REPS_1M=$REPS_1M LAB_RUN_TIMEOUT=$RUN_TIMEOUT BENCH_WORK=$WORK LAB_DIR=$LAB LAB_RATE=${LAB_RATE:-200mbit}${LAB_TOOLS:+ LAB_TOOLS=\"$LAB_TOOLS\"}"
    echo "commit: $(git -C "$ROOT" rev-parse HEAD) ($(git -C "$ROOT" log -1 --format='%cd %s' --date=iso | cut -c1-100))$(git -C "$ROOT" diff --quiet HEAD -- app pom.xml duplex || echo ' + uncommitted app changes')"
    echo "duplex: $($JAVA -jar "$JAR" --version 2>&1 | head -1)"
    echo "java: $($JAVA -version 2>&1 | head -2 | tr '\n' ' ')"
    echo "jvm options (from ./duplex): $JVM_OPTS"
    echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores, flags: $(grep -o -w -E 'sha_ni|aes|avx2|vaes' /proc/cpuinfo | sort -u | tr '\n' ' ')"
    echo "memory: $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo); swap: $(awk '/SwapTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)"
    echo "os: $(. /etc/os-release; echo "$PRETTY_NAME") ($(cat /etc/debian_version 2>/dev/null)), kernel $(uname -r)"
    echo "disk: $(findmnt -n -o SOURCE,FSTYPE,OPTIONS --target "$WORK" 2>/dev/null || df -T "$WORK" | tail -1)"
    echo "cp: $(cp --version | head -1); rsync: $(rsync --version | head -1 | sed 's/  */ /g'); rclone: $(rclone version 2>/dev/null | head -1)"
    echo "sshfs: $(sshfs --version 2>&1 | head -2 | tr '\n' ' '); ssh: $(ssh -V 2>&1); GNU time: $(/usr/bin/time --version 2>&1 | head -1)"
    echo "load at start: $(cat /proc/loadavg)"
  } >> "$m"
}

# ------------------------------------------------------------------ local
phase_local() {
  local dss=${*:-large mixed small real} tools=${LAB_TOOLS:-duplex cp rsync rclone} ds r tool
  need_data $dss
  for ds in $dss; do
    local src=$DATA/$ds dst=$OUTD/$ds b f
    b=$(dsbytes "$src"); f=$(dsfiles "$src")
    warm "$src"
    for r in $(seq 1 "$REPS"); do
      for tool in $tools; do
        rm -rf "$dst" "$DBD"; mkdir -p "$DBD"; drop
        local c; c=$(tool_cmd "$tool" "$src" "$dst")
        timed $c
        local extra; extra="$(check_copy "$src" "$dst")"
        case "$tool" in duplex*) extra="$extra $(duplex_notes)"; keep_output "local_${ds}_${tool}_$r" ;; esac
        row local "$ds" "$tool" "$r" "$b" "$f" "" "$extra" "$c"
      done
    done
    rm -rf "$dst" "$DBD"
  done
}

# ------------------------------------------------------------------ network lab
link_bps() { local r; r=$(cat "$LAB_STATE/rate" 2>/dev/null || echo 200mbit)
  case "$r" in *gbit) echo "${r%gbit}*125000000" | bc ;; *mbit) echo "${r%mbit}*125000" | bc ;; *kbit) echo "${r%kbit}*125" | bc ;; *) echo 0 ;; esac; }

need_net() {
  if mountpoint -q "$MNT_SRC" 2>/dev/null && mountpoint -q "$MNT_DST" 2>/dev/null; then return 0; fi
  ip netns list | grep -qw lab-sw && die "lab namespaces exist but the mounts are missing: run '$LAB/netshare.sh down' first"
  log "bringing the network lab up (LAB_RATE=${LAB_RATE:-200mbit})"
  NET_OWNED=1
  "$LAB/netshare.sh" up || die "netshare.sh up failed"
  mountpoint -q "$MNT_SRC" && mountpoint -q "$MNT_DST" || die "mounts missing after netshare.sh up"
  echo "network: $(cat "$LAB_STATE/rate") each way, cipher $(cat "$LAB_STATE/cipher"), sshfs defaults${LAB_SSHFS_OPTS:+ + $LAB_SSHFS_OPTS}" >> "$RES/meta.txt"
}

export_data() { local ds=$1
  need_data "${ds%%/*}"
  [ -d "$EXPORT/src/${ds%%/*}" ] || { log "copying ${ds%%/*} to the source server's export"; mkdir -p "$EXPORT/src"; cp -a "$DATA/${ds%%/*}" "$EXPORT/src/"; }
}

# timed_sampled TRACE LIMIT CMD... : timed CMD with the link sampled every 100 ms; sets LINK
timed_sampled() {
  local name=$1 limit=$2; shift 2
  local trace=$TMPD/trace.txt
  python3 "$LAB/sampler.py" lab-cli "$trace" $((RUN_TIMEOUT + 30)) 0 0.1 &
  SAMPLER_PID=$!
  sleep 0.3
  timed "$@"
  sleep 0.3; kill "$SAMPLER_PID" 2>/dev/null; wait "$SAMPLER_PID" 2>/dev/null; SAMPLER_PID=
  LINK=$(python3 "$LAB/linkstats.py" "$trace" "$(link_bps)" $limit)
  mkdir -p "$RES/traces"; cp "$trace" "$RES/traces/$name.txt"
}

# a destination name never used before on the mount (sshfs caches directory entries); old trees go server-side
fresh_remote_dst() { rm -rf "$EXPORT/dst"/* "$DBD"; mkdir -p "$DBD" "$EXPORT/dst"; echo "$1.$(date +%s%N)"; }

phase_mounts() {
  local dss=${*:-large mixed} tools=${LAB_TOOLS:-duplex cp rsync rclone} ds r tool
  need_net
  for ds in $dss; do
    export_data "$ds"
    local src=$MNT_SRC/$ds b f
    b=$(dsbytes "$EXPORT/src/$ds"); f=$(dsfiles "$EXPORT/src/$ds")
    for r in $(seq 1 "$REPS"); do
      for tool in $tools; do
        local name; name=$(fresh_remote_dst "${ds//\//-}.$tool.$r")
        drop
        local c; c=$(tool_cmd "$tool" "$src" "$MNT_DST/$name")
        timed_sampled "mounts_${ds//\//-}_${tool}_$r" "" $c
        local extra; extra="$(check_copy "$EXPORT/src/$ds" "$EXPORT/dst/$name")"
        case "$tool" in duplex*) extra="$extra $(duplex_notes)"; keep_output "mounts_${ds//\//-}_${tool}_$r" ;; esac
        row mounts "$ds" "$tool" "$r" "$b" "$f" "$LINK" "$extra" "$c"
      done
    done
    rm -rf "$EXPORT/dst"/*
  done
}

# audited copy: duplex stores every file's SHA-256 in one pass; without it users run rsync, then sha256sum
phase_audit() {
  local dss=${*:-mixed} ds r tool
  need_net
  for ds in $dss; do
    export_data "$ds"
    local src=$MNT_SRC/$ds b f
    b=$(dsbytes "$EXPORT/src/$ds"); f=$(dsfiles "$EXPORT/src/$ds")
    for r in $(seq 1 "$REPS"); do
      for tool in duplex rsync+sha256sum; do
        local name c; name=$(fresh_remote_dst "${ds//\//-}.audit.$r"); rm -f "$TMPD/audit.sha256"
        drop
        if [ "$tool" = duplex ]; then
          c=$(tool_cmd duplex "$src" "$MNT_DST/$name")
          timed_sampled "audit_${ds//\//-}_duplex_$r" "" $c
        else
          c="rsync -a $src/ $MNT_DST/$name/ && cd $src && find . -type f -print0 | sort -z | xargs -0 sha256sum > $TMPD/audit.sha256"
          timed_sampled "audit_${ds//\//-}_rsync-sha256sum_$r" "" sh -c "$c"
          c="sh -c '$c'"
        fi
        local extra; extra="$(check_copy "$EXPORT/src/$ds" "$EXPORT/dst/$name")"
        if [ "$tool" = duplex ]; then
          extra="$extra hashes=$(count_hashes "$DBD/job.db") $(duplex_notes)"; keep_output "audit_${ds//\//-}_duplex_$r"
        else extra="$extra hashes=$(wc -l < "$TMPD/audit.sha256" 2>/dev/null || echo 0)"; fi
        row audit "$ds" "$tool" "$r" "$b" "$f" "$LINK" "$extra" "$c"
      done
    done
    rm -rf "$EXPORT/dst"/*
  done
}

# --bwlimit at a quarter of the link rate: 6,250,000 B/s = 6103 KiB/s at 200 Mbit/s (as the lab)
phase_bwlimit() {
  local ds=mixed/medium r tool
  need_net; export_data "$ds"
  local linkb limB limK b src=$MNT_SRC/$ds
  linkb=$(link_bps); limB=$((linkb / 4)); limK=$((limB / 1024))
  b=$(dsbytes "$EXPORT/src/$ds")
  for r in $(seq 1 "$REPS"); do
    for tool in duplex rsync rclone; do
      local name c; name=$(fresh_remote_dst "bw.$tool.$r")
      drop
      case $tool in
        duplex) c="$(tool_cmd duplex "$src" "$MNT_DST/$name" | sed "s| --db | --bwlimit ${limK}K --db |")" ;;
        rsync)  c="rsync -a --whole-file --bwlimit=$limK $src/ $MNT_DST/$name/" ;;
        rclone) c="rclone copy --bwlimit $limK $src $MNT_DST/$name" ;;
      esac
      timed_sampled "bwlimit_${tool}_$r" "$limB" $c
      local extra; extra="$(check_copy "$EXPORT/src/$ds" "$EXPORT/dst/$name") limit_Bps=$limB"
      [ "$tool" = duplex ] && { extra="$extra $(duplex_notes)"; keep_output "bwlimit_duplex_$r"; }
      row bwlimit "$ds" "$tool" "$r" "$b" 20 "$LINK" "$extra" "$c"
    done
  done
  rm -rf "$EXPORT/dst"/*
}

# ------------------------------------------------------------------ memory: full run, then the same command again
phase_memory() {
  local dss=${*:-files10k small files1m} tools=${LAB_TOOLS:-duplex rsync rclone} ds r tool
  need_data $dss
  for ds in $dss; do
    local src=$DATA/$ds dst=$OUTD/$ds b f reps=$REPS
    b=$(dsbytes "$src"); f=$(dsfiles "$src")
    [ "$ds" = files1m ] && reps=$REPS_1M
    for r in $(seq 1 "$reps"); do
      for tool in $tools; do
        rm -rf "$dst" "$DBD"; mkdir -p "$DBD"; drop
        local c; c=$(tool_cmd "$tool" "$src" "$dst")
        timed $c
        local extra; extra="$(check_copy "$src" "$dst")"
        case "$tool" in duplex*) extra="$extra $(duplex_notes)"; keep_output "memory_${ds}_${tool}_$r" ;; esac
        row memory "$ds" "$tool" "$r" "$b" "$f" "" "$extra" "$c"
        drop
        timed $c    # no-op: everything is already synced (duplex: same db)
        extra=""
        case "$tool" in duplex*) extra="$(duplex_notes)"; keep_output "memory-noop_${ds}_${tool}_$r" ;; esac
        row memory-noop "$ds" "$tool" "$r" "$b" "$f" "" "$extra" "$c"
      done
    done
    rm -rf "$dst" "$DBD"
  done
}

# ------------------------------------------------------------------ scan: fresh db, destination already in sync
phase_scan() {
  local dss=${*:-small files1m} ds r
  need_data $dss; prepare_duplex
  for ds in $dss; do
    local src=$DATA/$ds dst=$OUTD/$ds b f reps=$REPS
    b=$(dsbytes "$src"); f=$(dsfiles "$src")
    [ "$ds" = files1m ] && reps=$REPS_1M
    rm -rf "$dst"; cp -a "$src" "$dst"
    for r in $(seq 1 "$reps"); do
      rm -rf "$DBD"; mkdir -p "$DBD"; drop
      local c; c=$(tool_cmd duplex "$src" "$dst")
      timed $c
      row scan "$ds" duplex "$r" "$b" "$f" "" "$(duplex_notes)" "$c"
      keep_output "scan_${ds}_duplex_$r"
    done
    rm -rf "$dst" "$DBD"
  done
}

# ------------------------------------------------------------------ dual target (local disk)
phase_dual() {
  local dss=${*:-large} ds r mode
  need_data $dss; prepare_duplex
  for ds in $dss; do
    local src=$DATA/$ds b f
    b=$(dsbytes "$src"); f=$(dsfiles "$src")
    warm "$src"
    for r in $(seq 1 "$REPS"); do
      # duplex with one and two destinations, and a plain copy (fanout-copy.py: one read, one or two writes, no
      # hashing, no flushes) into one and two: the machine's own cost of a second copy, measured in the same run
      local order="duplex-single duplex-dual plain-single plain-dual"
      [ $((r % 2)) = 0 ] && order="plain-dual plain-single duplex-dual duplex-single"   # A B A B: no mode always follows the same one
      for mode in $order; do
        rm -rf "$OUTD/dual-a" "$OUTD/dual-b" "$DBD"; mkdir -p "$DBD"; drop
        local c
        case "$mode" in
          duplex-*) c=$(tool_cmd duplex "$src" "$OUTD/dual-a") ;;
          *) c="python3 $ROOT/bench/e2e/fanout-copy.py $src $OUTD/dual-a" ;;
        esac
        case "$mode" in *-dual) c="$c $OUTD/dual-b" ;; esac
        timed $c
        local extra; extra="$(check_copy "$src" "$OUTD/dual-a")"
        case "$mode" in *-dual) extra="$extra dest2_$(check_copy "$src" "$OUTD/dual-b")" ;; esac
        case "$mode" in duplex-*) extra="$extra $(duplex_notes)"; keep_output "dual_${ds}_${mode}_$r" ;; esac
        row dual "$ds" "$mode" "$r" "$b" "$f" "" "$extra" "$c"
      done
    done
    rm -rf "$OUTD/dual-a" "$OUTD/dual-b" "$DBD"
  done
}

# ------------------------------------------------------------------ JMH hash throughput
phase_jmh() {
  local jar=$ROOT/bench/target/benchmarks.jar
  if [ ! -f "$jar" ] || [ -n "$(find "$ROOT/bench/src" "$ROOT/app/src/main" -newer "$jar" -print -quit)" ]; then
    (cd "$ROOT" && { mvn -B -q -o -DskipTests -pl bench -am package || mvn -B -q -DskipTests -pl bench -am package; }) >&2 \
      || die "cannot build the JMH jar"
  fi
  echo "jmh: $(cat /proc/loadavg) at start; java -jar bench/target/benchmarks.jar HashThroughput -rf csv" >> "$RES/meta.txt"
  timeout 1800 java -jar "$jar" HashThroughput -rf csv -rff "$RES/jmh.csv" > "$RES/jmh.txt" 2>&1 || die "JMH failed: see $RES/jmh.txt"
  echo "jmh: load at end $(cat /proc/loadavg)" >> "$RES/meta.txt"
}

phase_summary() { python3 "$HERE/summary.py" "$RES"; }

phase_report() {
  local doc=$ROOT/docs/BENCHMARKS.md
  mkdir -p "$ROOT/docs"
  [ -f "$doc" ] || printf '# Benchmarks\n\nResults of `bench/e2e/compare.sh` (issue 5) and the JMH benchmarks (bench/README.md), newest last.\n' > "$doc"
  { echo; python3 "$HERE/summary.py" "$RES"; } >> "$doc" || die "summary failed"
  log "appended run $RUN_ID to $doc"
}

# ------------------------------------------------------------------ main
[ "$(id -u)" = 0 ] || die "needs root (drop_caches, network namespaces, FUSE)"
for t in rsync rclone bc python3 /usr/bin/time; do command -v "$t" > /dev/null || die "missing $t (apt-get install -y rsync rclone bc time sqlite3 ...)"; done
[ $# -gt 0 ] || set -- datasets local mounts audit bwlimit memory scan dual jmh report
for arg in "$@"; do
  case "${arg%%=*}" in
    datasets|local|mounts|audit|bwlimit|memory|scan|dual|jmh|summary|report) ;;
    *) awk 'NR > 1 && !/^#/ {exit} NR > 1' "$0"; exit 2 ;;
  esac
done
only_reporting=1
for arg in "$@"; do case "$arg" in summary|report) ;; *) only_reporting=0 ;; esac; done
if [ "$only_reporting" = 1 ] && [ -z "${BENCH_RUN:-}" ]; then   # summary/report alone: the newest run
  RUN_ID=$(ls -1t "$ROOT/bench/results" 2>/dev/null | head -1); [ -n "$RUN_ID" ] || die "no run in bench/results"
  RES=$ROOT/bench/results/$RUN_ID; TSV=$RES/runs.tsv
fi
mkdir -p "$RES" "$OUTD" "$DBD" "$TMPD"; : > "$RCLONE_CONFIG"
[ -f "$TSV" ] || printf "ts\tphase\tdataset\ttool\trep\tbytes\tfiles\twall_tool\twall_sync\tuser\tsys\tmaxrss_kb\texit\tload1\thost_busy_s\tlink\textra\tcmd\n" > "$TSV"
[ "$only_reporting" = 1 ] || write_meta "$@"
log "run $RUN_ID -> $RES"
t_start=$(now); ran=""
# how long the measuring phases took, once, before the summary is made
timing_line() {
  [ -n "$ran" ] || return 0
  echo "phases:$ran took $(printf "%.0f" "$(echo "$(now) - $t_start" | bc)") s, load at end $(cut -d' ' -f1-3 /proc/loadavg)" >> "$RES/meta.txt"
  ran=""
}
for arg in "$@"; do
  phase=${arg%%=*}; dss=""; [ "$arg" != "$phase" ] && dss=${arg#*=}; dss=${dss//,/ }
  case "$phase" in
    mounts|audit|bwlimit) ;;
    *) if [ "$NET_OWNED" = 1 ]; then log "taking the network lab down"; "$LAB/netshare.sh" down; NET_OWNED=0; fi ;;
  esac
  case "$phase" in
    datasets) need_data ${dss:-large mixed small real files10k files1m} ;;
    local|mounts|audit|bwlimit|memory|scan|dual) prepare_duplex; "phase_$phase" $dss; ran="$ran $arg" ;;
    jmh) phase_jmh; ran="$ran $arg" ;;
    summary|report) timing_line; "phase_$phase" ;;
  esac
done
timing_line
log "done in $(printf "%.0f" "$(echo "$(now) - $t_start" | bc)") s"
