#!/usr/bin/env bash
# daemon.sh [PHASE]...   -- duplex's daemon (duplex serve, duplex:// endpoints) side by side with rsync --daemon and
# the lab's sshfs mounts, over the lab's shaped 200 Mbit/s links (lab/netshare.sh + lab/daemonlab.sh).
#
# With no argument it runs every phase below in order, then `summary` (writes bench/results/RUN/summary.md).
# Phases (each appends one row per timed run to bench/results/RUN/runs.tsv):
#   datasets   generate the deterministic datasets used here (lab dataset.sh): large, small, mixed
#   large      target 1: push (client disk -> lab-dst) and pull (lab-src -> client disk) of `large`:
#              duplex -> duplex://, rsync -a --whole-file -> rsync:// (rsyncd), cp -a onto/off the sshfs mount
#   bidir      target 1: both directions at once, a push of `large` to lab-dst while pulling `large` from lab-src
#              (one shaped link, full duplex): duplex+duplex, rsyncd+rsyncd; rx+tx over the link rate
#   small      target 2: push of `small` (100,000 x 4 KiB), duplex vs rsyncd, without added delay and with
#              DAEMON_DELAY_MS (default 10) ms each way through daemonlab's delay relays (RTT + 20 ms)
#   dual       target 3: `large` from the client's disk to server A (lab-dst, behind lab-cli) and server B (lab-b,
#              behind its own shaped link lab-cli-b): duplex SRC A, duplex SRC B, duplex SRC A B (alternating)
#   bwlimit    target 4: --bwlimit at a quarter of the link rate (6103K), push and pull of mixed/medium
#              (20 x 16 MiB), link sampled every 100 ms; duplex (LAB_REPS runs), rsyncd --bwlimit (BW_RSYNC_REPS)
#   summary    write summary.md (bench/e2e/daemon-summary.py) and print it
#
# Timing as compare.sh (the lab's anchors.sh): before each run the destination (and the duplex db) is removed,
# `sync`, drop caches (untimed); then `/usr/bin/time -v timeout LIMIT TOOL ...` with the wall clock read around
# it, then a separately timed `sync` (it also flushes what the servers wrote: same kernel). MB/s = dataset bytes /
# (tool + sync), files/s = files / (tool + sync). The link is sampled every 100 ms (lab sampler.py, started and
# running before the tool starts) and summarised by lab linkstats.py. Every row records the 1-minute load before
# the run and the CPU seconds the whole machine was busy during it (host_busy_s); duplex rows also the CPU
# seconds of the duplex daemon(s) (srv_cpu_s) and, through the delay relay, the relay's (relay_cpu_s).
# Tools alternate within each repetition and the order rotates from one repetition to the next.
#
# duplex runs from a COPY of the jar ($BENCH_WORK/duplex.jar, made on first use from app/target/duplex.jar, its
# commit recorded beside it: the jar in app/target is rebuilt by other work) with the ./duplex launcher's JVM
# options plus a CDS archive made for that copy, a fresh --db per run, default options (SHA-256).
#
# Environment: LAB_REPS (runs per tool, default 3), BW_RSYNC_REPS (rsyncd runs in bwlimit, default 1),
# LAB_RUN_TIMEOUT (bound per timed command, s, default 600), BENCH_WORK (scratch, default
# /var/tmp/duplex-daemon-bench), BENCH_RUN (results dir name under bench/results; default: new, UTC time +
# "-daemon"), DUPLEX_JAR (use this jar instead of the copy), DAEMON_DELAY_MS (10), LAB_RATE (200mbit),
# LAB_DIR (lab scripts, default bench/e2e/lab); for a quick check of the script itself DAEMON_DS_LARGE,
# DAEMON_DS_SMALL, DAEMON_DS_BW replace the datasets (a dataset or a folder of one, e.g. mixed/tree).
# Needs root. Brings the lab up (netshare.sh up + daemonlab.sh up) when it is down and always takes what it
# brought up down again (trap on exit, also on failure or Ctrl-C); a lab that was already up is left alone.
set -uo pipefail
ROOT=$(cd "$(dirname "$(readlink -f "$0")")/../.." && pwd)
HERE=$ROOT/bench/e2e
LAB=${LAB_DIR:-$HERE/lab}
WORK=${BENCH_WORK:-/var/tmp/duplex-daemon-bench}
DATA=$WORK/data
OUTD=$WORK/out
DBD=$WORK/db
TMPD=$WORK/tmp
REPS=${LAB_REPS:-3}
BW_RSYNC_REPS=${BW_RSYNC_REPS:-1}
RUN_TIMEOUT=${LAB_RUN_TIMEOUT:-600}
DELAY_MS=${DAEMON_DELAY_MS:-10}
DS_LARGE=${DAEMON_DS_LARGE:-large}; DS_SMALL=${DAEMON_DS_SMALL:-small}; DS_BW=${DAEMON_DS_BW:-mixed/medium}
RUN_ID=${BENCH_RUN:-$(date -u +%Y%m%d-%H%M%S)-daemon}
RES=$ROOT/bench/results/$RUN_ID
TSV=$RES/runs.tsv
export LAB_EXPORT=${LAB_EXPORT:-$WORK/export}
export LAB_STATE=${LAB_STATE:-/tmp/lab-net}
export LAB_MNT_SRC=${LAB_MNT_SRC:-/mnt/lab-src}
export LAB_MNT_DST=${LAB_MNT_DST:-/mnt/lab-dst}
export LAB_TTL=${LAB_TTL:-7200}
export DAEMONLAB_TTL=${DAEMONLAB_TTL:-7200}
EXPORT=$LAB_EXPORT; MNT_SRC=$LAB_MNT_SRC; MNT_DST=$LAB_MNT_DST
SRV_SRC=10.213.0.11; SRV_DST=10.213.0.12; SRV_B=10.213.1.11
PORT=9031; DPORT=19031; DRPORT=1873     # daemonlab.sh's ports (duplex, delayed duplex, delayed rsync)
DL=$LAB_STATE/daemonlab

log() { echo "[daemon $(date +%H:%M:%S)] $*" >&2; }
die() { log "$*"; exit 1; }

# ------------------------------------------------------------------ cleanup: everything we started, by PID
NET_OWNED=0
SAMPLER_PIDS=""
cleanup() {
  local rc=$? p
  for p in $SAMPLER_PIDS; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
  save_lab_logs
  if [ "$NET_OWNED" = 1 ]; then
    log "taking the lab down"
    timeout 120 "$LAB/daemonlab.sh" down || true
    timeout 120 "$LAB/netshare.sh" down || true
    NET_OWNED=0
  fi
  exit $rc
}
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT
trap 'log "terminated"; exit 143' TERM

# the daemons' and relays' logs (duplex serve logs every connection) next to the results
save_lab_logs() { [ -d "$DL" ] && [ -d "$RES" ] || return 0
  mkdir -p "$RES/logs/lab"; cp "$DL"/*.log "$DL"/*.out "$RES/logs/lab/" 2>/dev/null; return 0; }

# ------------------------------------------------------------------ helpers (as compare.sh)
drop() { sync; echo 3 > /proc/sys/vm/drop_caches; }
now() { date +%s.%N; }
dsbytes() { find "$1" -type f -printf '%s\n' | awk '{s+=$1} END {printf "%d", s}'; }
dsfiles() { find "$1" -type f | wc -l; }
busy_jiffies() { awk '/^cpu / {print $2+$3+$4+$7+$8+$9}' /proc/stat; }
rmtree() { [ -e "$1" ] && timeout 300 rm -rf "$1"; return 0; }

# JVM options of the ./duplex launcher (its `jvm_opts=(...)` line) and a CDS archive made for the jar copy
prepare_duplex() {
  [ -n "${JAVA:-}" ] && return 0
  JAVA=$(command -v java)
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then JAVA=$JAVA_HOME/bin/java; fi
  mkdir -p "$WORK"
  if [ -n "${DUPLEX_JAR:-}" ]; then JAR=$DUPLEX_JAR
  else
    JAR=$WORK/duplex.jar
    if [ ! -f "$JAR" ]; then
      local src=$ROOT/app/target/duplex.jar
      [ -f "$src" ] || (cd "$ROOT" && timeout 900 mvn -B -q -o package -pl app -DskipTests) >&2 || die "cannot build $src"
      cp "$src" "$JAR.tmp" && mv "$JAR.tmp" "$JAR"
      echo "$(git -C "$ROOT" log -1 --format=%h) $(date -u +%FT%TZ) copied from $src" > "$JAR.commit"
      rm -f "$WORK/duplex.jsa" "$WORK/duplex.jsa.jvm"
    fi
  fi
  local opts
  opts=$(sed -n 's/^jvm_opts=(\(.*\))[[:space:]]*$/\1/p' "$ROOT/duplex" | head -1)
  [ -n "$opts" ] || log "cannot read jvm_opts from $ROOT/duplex; using none"
  JVM_OPTS="$opts"
  local jsa=$WORK/duplex.jsa id
  id="$JAVA $($JAVA -version 2>&1 | head -1) $(sha256sum "$JAR" | cut -c1-16)"
  if [ ! -f "$jsa" ] || [ "$(cat "$jsa.jvm" 2>/dev/null)" != "$id" ]; then   # as the launcher's make_cds_archive
    local tmp; tmp=$(mktemp -d)
    mkdir -p "$tmp/src/d" && printf 'x' > "$tmp/src/d/f" && ln -s d/f "$tmp/src/l"
    rm -f "$jsa"
    timeout 120 "$JAVA" $opts -XX:ArchiveClassesAtExit="$jsa.$$" -Xlog:cds=off -Xlog:cds+dynamic=off \
      -jar "$JAR" --db "$tmp/state/j.db" "$tmp/src" "$tmp/dst" > /dev/null 2>&1 && [ -s "$jsa.$$" ] \
      && mv -f "$jsa.$$" "$jsa" && echo "$id" > "$jsa.jvm"
    rm -rf "$tmp" "$jsa.$$"
  fi
  [ -f "$jsa" ] && JVM_OPTS="$JVM_OPTS -XX:SharedArchiveFile=$jsa -Xlog:cds=off -Xlog:cds+dynamic=off"
  log "duplex: $JAVA $JVM_OPTS -jar $JAR ($(cat "$JAR.commit" 2>/dev/null || echo "given jar"))"
}

dx() { echo "env LC_ALL=C.UTF-8 $JAVA $JVM_OPTS -jar $JAR --token-file $DL/token --db $DBD/job.db $*"; }

# timed CMD... ; sets W_TOOL W_SYNC USER SYS RSS RC LOAD1 BUSY; output in $TMPD/last.out
timed() {
  local tv=$TMPD/time.txt t0 t1 t2 j0 j1
  LOAD1=$(cut -d' ' -f1 /proc/loadavg)
  j0=$(busy_jiffies); t0=$(now)
  /usr/bin/time -v -o "$tv" timeout --kill-after=10 "$RUN_TIMEOUT" "$@" > "$TMPD/last.out" 2>&1
  RC=$?
  t1=$(now); timeout 300 sync; t2=$(now); j1=$(busy_jiffies)
  W_TOOL=$(echo "$t1 - $t0" | bc); W_SYNC=$(echo "$t2 - $t1" | bc)
  BUSY=$(echo "scale=2; ($j1 - $j0) / $(getconf CLK_TCK)" | bc)
  USER=$(awk -F': ' '/User time/ {print $2}' "$tv" 2>/dev/null); SYS=$(awk -F': ' '/System time/ {print $2}' "$tv" 2>/dev/null)
  RSS=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$tv" 2>/dev/null)
  [ "$RC" = 0 ] || { log "exit $RC: $*"; tail -5 "$TMPD/last.out" >&2; }
}

link_bps() { local r=${LAB_RATE:-200mbit}
  case "$r" in *gbit) echo "${r%gbit}*125000000" | bc ;; *mbit) echo "${r%mbit}*125000" | bc ;; *kbit) echo "${r%kbit}*125" | bc ;; *) echo 0 ;; esac; }

# timed_sampled NAME LIMIT DEVS CMD... : timed CMD with each device in DEVS (comma separated) sampled every
# 100 ms, the sampler running before the tool starts; sets LINK (first device) and LINK2 (second, keys b_*)
timed_sampled() {
  local name=$1 limit=$2 devs=${3//,/ }; shift 3
  local d i=0 p
  SAMPLER_PIDS=""
  for d in $devs; do
    : > "$TMPD/trace.$d.txt"
    python3 "$LAB/sampler.py" "$d" "$TMPD/trace.$d.txt" $((RUN_TIMEOUT + 330)) 0 0.1 &
    SAMPLER_PIDS="$SAMPLER_PIDS $!"
  done
  for p in $SAMPLER_PIDS; do   # the sampler has opened its trace (its first sample follows at once)
    for i in $(seq 1 250); do ls -l "/proc/$p/fd" 2>/dev/null | grep -q "trace\." && break; sleep 0.02; done
  done
  sleep 0.3
  timed "$@"
  sleep 0.3
  for p in $SAMPLER_PIDS; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
  SAMPLER_PIDS=""
  mkdir -p "$RES/traces"
  LINK=""; LINK2=""; i=0
  for d in $devs; do
    cp "$TMPD/trace.$d.txt" "$RES/traces/${name}.$d.txt"
    if [ $i = 0 ]; then LINK=$(python3 "$LAB/linkstats.py" "$TMPD/trace.$d.txt" "$(link_bps)" $limit)
    else LINK2=$(python3 "$LAB/linkstats.py" "$TMPD/trace.$d.txt" "$(link_bps)" $limit | sed 's/\([a-z0-9_]*\)=/b_\1=/g'); fi
    i=$((i + 1))
  done
}

# key=value notes from a duplex run's output (all lines: a bidir run holds two)
duplex_notes() {
  python3 - "$TMPD/last.out" <<'PY'
import re, sys
t = open(sys.argv[1], errors="replace").read()
out = []
for m in re.finditer(r"copied ([0-9,]+) files .*?skipped ([0-9,]+) up to date, failed ([0-9,]+)", t):
    out += [f"copied={m.group(1).replace(',', '')}", f"skipped={m.group(2).replace(',', '')}", f"failed={m.group(3).replace(',', '')}"]
for m in re.finditer(r"in ([0-9.]+) s, average ([0-9.]+) ([KMG]i?B)/s", t):
    out += [f"own_s={m.group(1)}"]
print(" ".join(out))
PY
}

# untimed check that DST holds SRC's files with the same relative paths, sizes and mtimes (and, with FULL=1,
# the same contents: diff -rq)
check_copy() {
  local src=$1 dst=$2 full=${3:-0} fs fd
  [ -d "$dst" ] || { echo "check=MISSING"; return; }
  fs=$(cd "$src" && timeout 300 find . -type f -printf '%P %s %T@\n' | sort | md5sum | cut -c1-12)
  fd=$(cd "$dst" && timeout 300 find . -type f -printf '%P %s %T@\n' | sort | md5sum | cut -c1-12)
  if [ "$fs" != "$fd" ]; then
    echo "check=MISMATCH:files=$(dsfiles "$dst")/$(dsfiles "$src"),bytes=$(dsbytes "$dst")/$(dsbytes "$src")"; return
  fi
  if [ "$full" = 1 ]; then
    if timeout 600 diff -rq "$src" "$dst" > "$TMPD/diff.txt" 2>&1; then echo "check=ok content=same"
    else echo "check=ok content=DIFFERS:$(wc -l < "$TMPD/diff.txt")"; fi
  else echo "check=ok"; fi
}

# CPU seconds (user+sys) of the processes started by daemonlab's pid file NAME (the timeout's child)
pid_cpu() { local p c; p=$(cat "$DL/$1.pid" 2>/dev/null) || { echo 0; return; }
  c=$(pgrep -P "$p" | head -1); [ -n "$c" ] || { echo 0; return; }
  awk -v t="$(getconf CLK_TCK)" '{split($0, a, ") "); split(a[2], f, " "); printf "%.2f", (f[12] + f[13]) / t}' "/proc/$c/stat" 2>/dev/null || echo 0; }
srv_cpu_all() { echo "$(pid_cpu duplex_src) $(pid_cpu duplex_dst) $(pid_cpu duplex_b) $(pid_cpu delay_src) $(pid_cpu delay_dst) $(pid_cpu delay_b)"; }
# CPU seconds the daemons and relays spent between two srv_cpu_all snapshots: "srv_cpu_s=.. relay_cpu_s=.."
srv_cpu_delta() {
  echo "$1 $2" | awk '{ s = ($7 - $1) + ($8 - $2) + ($9 - $3); r = ($10 - $4) + ($11 - $5) + ($12 - $6)
    if (s < 0) s = 0; if (r < 0) r = 0; printf "srv_cpu_s=%.2f", s; if (r > 0) printf " relay_cpu_s=%.2f", r }'; }

# row PHASE DATASET TOOL REP BYTES FILES LINK EXTRA CMD
row() {
  printf "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n" "$(date -u +%FT%TZ)" "$1" "$2" "$3" "$4" \
    "$5" "$6" "$W_TOOL" "$W_SYNC" "${USER:-}" "${SYS:-}" "${RSS:-}" "$RC" "$LOAD1" "$BUSY" "$7" "$8" "$9" >> "$TSV"
  log "$1 $2 $3 #$4: tool ${W_TOOL}s + sync ${W_SYNC}s, rc $RC, load $LOAD1 [${8:0:160}] [${7:0:120}]"
}

keep_output() { mkdir -p "$RES/logs"; cp "$TMPD/last.out" "$RES/logs/$1.out"; }

need_data() { local ds
  for ds in "$@"; do
    [ -d "$DATA/$ds" ] || { log "generating dataset $ds"; timeout 1200 "$LAB/dataset.sh" "$ds" "$DATA" >&2 || die "dataset $ds failed"; }
  done
}

# the dataset (or a part of it, e.g. mixed/medium) on the source server lab-src, for pulls
export_src() { local ds=$1
  need_data "${ds%%/*}"
  [ -d "$EXPORT/src/${ds%%/*}" ] || { log "copying ${ds%%/*} to lab-src's export"; mkdir -p "$EXPORT/src"; timeout 600 cp -a "$DATA/${ds%%/*}" "$EXPORT/src/"; }
}

# a destination name never used before (sshfs caches directory entries); older trees removed server-side
fresh_name() { local d; mkdir -p "$EXPORT/dst" "$EXPORT/b"   # the module roots stay (the daemons serve them)
  for d in "$EXPORT/dst" "$EXPORT/b"; do timeout 300 find "$d" -mindepth 1 -maxdepth 1 -exec rm -rf {} + ; done
  rm -rf "$DBD"; mkdir -p "$DBD"
  echo "$1.$(date +%s%N)"; }

# the order of TOOLS in repetition R: rotated by R-1
rotate() { local r=$1; shift; local a=("$@") n=$# i out=""
  for i in $(seq 0 $((n - 1))); do out="$out ${a[$(( (i + r - 1) % n ))]}"; done; echo $out; }

# ------------------------------------------------------------------ lab
need_net() {
  if [ -f "$DL/token.path" ] && ip netns list | grep -qw lab-b && mountpoint -q "$MNT_SRC" && mountpoint -q "$MNT_DST"; then return 0; fi
  ip netns list | grep -qE '^lab-(sw|b)\b' && die "lab namespaces exist but not all of the lab is up: run '$LAB/daemonlab.sh down; $LAB/netshare.sh down' first"
  prepare_duplex
  log "bringing the lab up (LAB_RATE=${LAB_RATE:-200mbit})"
  NET_OWNED=1
  mkdir -p "$EXPORT/src" "$EXPORT/dst" "$EXPORT/b"
  timeout 120 "$LAB/netshare.sh" up || die "netshare.sh up failed"
  DAEMONLAB_JAR=$JAR DAEMONLAB_JAVA=$JAVA DAEMONLAB_JVM_OPTS="$JVM_OPTS" timeout 180 "$LAB/daemonlab.sh" up || die "daemonlab.sh up failed"
  {
    echo "network: $(cat "$LAB_STATE/rate") each way (tbf as netshare.sh), cipher $(cat "$LAB_STATE/cipher") (sshfs), sshfs defaults${LAB_SSHFS_OPTS:+ + $LAB_SSHFS_OPTS}"
    echo "daemons: $(head -1 "$DL/duplex_src.out"); duplex serve --module data=EXPORT --token-file TOKEN with JVM options: $JVM_OPTS"
    echo "rsyncd: rsync --daemon --no-detach (use chroot = no, uid = gid = root, [data] read only = false) on :873"
  } >> "$RES/meta.txt"
}

rtt_probe() { # host port: five rsync-protocol request/response round trips (ms)
  timeout 20 python3 - "$1" "$2" <<'PY'
import socket, sys, time
host, port = sys.argv[1], int(sys.argv[2]); res = []
for i in range(5):
    s = socket.create_connection((host, port), timeout=5); s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    f = s.makefile("rb"); f.readline(); s.sendall(b"@RSYNCD: 31.0\n"); t0 = time.monotonic(); s.sendall(b"#list\n")
    while True:
        l = f.readline()
        if not l or l.startswith(b"@RSYNCD: EXIT"): break
    res.append((time.monotonic() - t0) * 1000); s.close()
print(",".join(f"{x:.1f}" for x in res))
PY
}

# ------------------------------------------------------------------ meta
write_meta() {
  prepare_duplex
  local m=$RES/meta.txt
  {
    echo "## invocation $(date -u +%FT%TZ)"
    echo "command: bench/e2e/daemon.sh $*"
    echo "env: LAB_REPS=$REPS BW_RSYNC_REPS=$BW_RSYNC_REPS LAB_RUN_TIMEOUT=$RUN_TIMEOUT BENCH_WORK=$WORK LAB_DIR=$LAB LAB_RATE=${LAB_RATE:-200mbit} DAEMON_DELAY_MS=$DELAY_MS datasets: $DS_LARGE $DS_SMALL $DS_BW"
    echo "jar: $JAR sha256 $(sha256sum "$JAR" | cut -c1-16)…; $(cat "$JAR.commit" 2>/dev/null || echo "given by DUPLEX_JAR")"
    echo "repo HEAD at start: $(git -C "$ROOT" log -1 --format='%h %cd %s' --date=iso | cut -c1-120)"
    echo "duplex: $($JAVA -jar "$JAR" --version 2>&1 | head -1)"
    echo "java: $($JAVA -version 2>&1 | head -2 | tr '\n' ' ')"
    echo "jvm options (client and daemons; from ./duplex + CDS archive of the copy): $JVM_OPTS"
    echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores"
    echo "memory: $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)"
    echo "os: $(. /etc/os-release; echo "$PRETTY_NAME"), kernel $(uname -r), tcp cc $(cat /proc/sys/net/ipv4/tcp_congestion_control)"
    echo "disk: $(findmnt -n -o SOURCE,FSTYPE,OPTIONS --target "$WORK" 2>/dev/null || df -T "$WORK" | tail -1)"
    echo "cp: $(cp --version | head -1); rsync: $(rsync --version | head -1 | sed 's/  */ /g')"
    echo "sshfs: $(sshfs --version 2>&1 | head -2 | tr '\n' ' '); ssh: $(ssh -V 2>&1); python3: $(python3 --version 2>&1)"
    echo "load at start: $(cat /proc/loadavg)"
    echo "busiest processes at start: $(ps -eo pcpu,comm --sort=-pcpu --no-headers | head -4 | awk '{printf "%s %s%%; ", $2, $1}')"
  } >> "$m"
}

# ------------------------------------------------------------------ target 1: large, push and pull
cmd_push() { # tool src name [host port rport]
  local tool=$1 src=$2 name=$3 host=${4:-$SRV_DST} port=${5:-$PORT} rport=${6:-873}
  case $tool in
    duplex) dx "$src duplex://$host:$port/data/$name" ;;
    rsyncd) echo "rsync -a --whole-file $src/ rsync://$host:$rport/data/$name/" ;;
    sshfs)  echo "cp -a $src $MNT_DST/$name" ;;
  esac
}
cmd_pull() { # tool ds dst
  local tool=$1 ds=$2 dst=$3
  case $tool in
    duplex) dx "duplex://$SRV_SRC:$PORT/data/$ds $dst" ;;
    rsyncd) echo "rsync -a --whole-file rsync://$SRV_SRC:873/data/$ds/ $dst/" ;;
    sshfs)  echo "cp -a $MNT_SRC/$ds $dst" ;;
  esac
}

phase_large() {
  local ds=$DS_LARGE r tool dir
  need_net; export_src $ds
  local b f; b=$(dsbytes "$DATA/$ds"); f=$(dsfiles "$DATA/$ds")
  for r in $(seq 1 "$REPS"); do
    for dir in push pull; do
      for tool in $(rotate "$r" duplex rsyncd sshfs); do
        local c name dst s0 s1 extra full=0
        [ "$tool" = duplex ] && [ "$r" = 1 ] && full=1
        if [ $dir = push ]; then name=$(fresh_name "${ds//\//-}.$tool.$r"); dst=$EXPORT/dst/$name; c=$(cmd_push $tool "$DATA/$ds" "$name")
        else rmtree "$OUTD"; mkdir -p "$OUTD"; rm -rf "$DBD"; mkdir -p "$DBD"; dst=$OUTD/${ds//\//-}.$tool.$r; c=$(cmd_pull $tool $ds "$dst"); fi
        drop
        s0=$(srv_cpu_all)
        timed_sampled "large-${dir}_${tool}_$r" "" lab-cli $c
        s1=$(srv_cpu_all)
        extra="$(check_copy "$DATA/$ds" "$dst" $full)"
        [ "$tool" = duplex ] && { extra="$extra $(duplex_notes) $(srv_cpu_delta "$s0" "$s1")"; keep_output "large-${dir}_duplex_$r"; }
        row "large-$dir" $ds $tool $r $b $f "$LINK" "$extra" "$c"
      done
    done
  done
  rmtree "$OUTD"; fresh_name x > /dev/null
}

# ------------------------------------------------------------------ target 1: both directions at once
phase_bidir() {
  local ds=$DS_LARGE r tool
  need_net; export_src $ds
  local b f; b=$(dsbytes "$DATA/$ds"); f=$(dsfiles "$DATA/$ds")
  for r in $(seq 1 "$REPS"); do
    for tool in $(rotate "$r" duplex rsyncd); do
      local name pdst cpush cpull s0 s1 extra full=0
      [ "$tool" = duplex ] && [ "$r" = 1 ] && full=1
      name=$(fresh_name "${ds//\//-}.bidir.$tool.$r"); rmtree "$OUTD"; mkdir -p "$OUTD" "$DBD/push" "$DBD/pull"; pdst=$OUTD/${ds//\//-}.$tool.$r
      cpush=$(cmd_push $tool "$DATA/$ds" "$name" | sed "s|--db $DBD/job.db|--db $DBD/push/job.db|")
      cpull=$(cmd_pull $tool $ds "$pdst" | sed "s|--db $DBD/job.db|--db $DBD/pull/job.db|")
      cat > "$TMPD/pair.sh" <<EOF
#!/usr/bin/env bash
# both directions at once: each side's exit code and end time (s since the start) in $TMPD/pair.*
t0=\$(date +%s.%N)
( $cpush > $TMPD/pair.push.out 2>&1; echo "\$? \$(echo "\$(date +%s.%N) - \$t0" | bc)" > $TMPD/pair.push.end ) &
( $cpull > $TMPD/pair.pull.out 2>&1; echo "\$? \$(echo "\$(date +%s.%N) - \$t0" | bc)" > $TMPD/pair.pull.end ) &
wait
cat $TMPD/pair.push.out $TMPD/pair.pull.out
read a _ < $TMPD/pair.push.end; read b _ < $TMPD/pair.pull.end
exit \$(( a | b ))
EOF
      rm -f "$TMPD"/pair.*.end
      drop
      s0=$(srv_cpu_all)
      timed_sampled "bidir_${tool}_$r" "" lab-cli bash "$TMPD/pair.sh"
      s1=$(srv_cpu_all)
      extra="push_$(check_copy "$DATA/$ds" "$EXPORT/dst/$name" $full) pull_$(check_copy "$DATA/$ds" "$pdst" $full)"
      extra="$extra push_end=$(awk '{print $2}' "$TMPD/pair.push.end" 2>/dev/null) pull_end=$(awk '{print $2}' "$TMPD/pair.pull.end" 2>/dev/null)"
      extra="$extra push_rc=$(awk '{print $1}' "$TMPD/pair.push.end" 2>/dev/null) pull_rc=$(awk '{print $1}' "$TMPD/pair.pull.end" 2>/dev/null)"
      [ "$tool" = duplex ] && { extra="$extra $(duplex_notes) $(srv_cpu_delta "$s0" "$s1")"; keep_output "bidir_duplex_$r"; }
      row bidir $ds $tool $r $((2 * b)) $((2 * f)) "$LINK" "$extra" "push: $cpush ; pull: $cpull (at once)"
    done
  done
  rmtree "$OUTD"; fresh_name x > /dev/null
}

# ------------------------------------------------------------------ target 2: small, push, with and without delay
phase_small() {
  local ds=$DS_SMALL r tool mode
  need_net; need_data ${ds%%/*}
  local b f; b=$(dsbytes "$DATA/$ds"); f=$(dsfiles "$DATA/$ds")
  for mode in nodelay delay; do
    local port=$PORT rport=873 rtt
    if [ $mode = delay ]; then
      timeout 60 "$LAB/daemonlab.sh" delay "$DELAY_MS" || die "daemonlab.sh delay failed"
      port=$DPORT; rport=$DRPORT
    fi
    rtt=$(rtt_probe $SRV_DST $rport)
    echo "small/$mode: request/response round trips to rsync://$SRV_DST:$rport (ms, idle link): $rtt" >> "$RES/meta.txt"
    log "small/$mode: rtt $rtt ms"
    for r in $(seq 1 "$REPS"); do
      for tool in $(rotate "$r" duplex rsyncd); do
        local name c s0 s1 extra full=0
        [ "$tool" = duplex ] && [ "$r" = 1 ] && full=1
        name=$(fresh_name "${ds//\//-}.$mode.$tool.$r")
        c=$(cmd_push $tool "$DATA/$ds" "$name" $SRV_DST $port $rport)
        drop
        s0=$(srv_cpu_all)
        timed_sampled "small-${mode}_${tool}_$r" "" lab-cli $c
        s1=$(srv_cpu_all)
        extra="$(check_copy "$DATA/$ds" "$EXPORT/dst/$name" $full) rtt_ms=$rtt $(srv_cpu_delta "$s0" "$s1")"
        [ "$tool" = duplex ] && { extra="$extra $(duplex_notes)"; keep_output "small-${mode}_duplex_$r"; }
        row "small-$mode" $ds $tool $r $b $f "$LINK" "$extra" "$c"
      done
    done
    [ $mode = delay ] && timeout 60 "$LAB/daemonlab.sh" nodelay
  done
  fresh_name x > /dev/null
}

# ------------------------------------------------------------------ target 3: two destinations on two links
phase_dual() {
  local ds=$DS_LARGE r mode
  need_net; need_data ${ds%%/*}
  local b f; b=$(dsbytes "$DATA/$ds"); f=$(dsfiles "$DATA/$ds")
  for r in $(seq 1 "$REPS"); do
    for mode in $(rotate "$r" single-A single-B dual); do
      local name c s0 s1 extra full=0 ua ub
      [ "$r" = 1 ] && full=1
      name=$(fresh_name "${ds//\//-}.$mode.$r")
      ua="duplex://$SRV_DST:$PORT/data/$name"; ub="duplex://$SRV_B:$PORT/data/$name"
      case $mode in
        single-A) c=$(dx "$DATA/$ds $ua") ;;
        single-B) c=$(dx "$DATA/$ds $ub") ;;
        dual)     c=$(dx "$DATA/$ds $ua $ub") ;;
      esac
      drop
      s0=$(srv_cpu_all)
      timed_sampled "dual_${mode}_$r" "" lab-cli,lab-cli-b $c
      s1=$(srv_cpu_all)
      case $mode in
        single-A) extra="A_$(check_copy "$DATA/$ds" "$EXPORT/dst/$name" $full)" ;;
        single-B) extra="B_$(check_copy "$DATA/$ds" "$EXPORT/b/$name" $full)" ;;
        dual)     extra="A_$(check_copy "$DATA/$ds" "$EXPORT/dst/$name" $full) B_$(check_copy "$DATA/$ds" "$EXPORT/b/$name" $full)" ;;
      esac
      extra="$extra $(duplex_notes) $(srv_cpu_delta "$s0" "$s1") $LINK2"
      keep_output "dual_${mode}_$r"
      row dual $ds "$mode" $r $b $f "$LINK" "$extra" "$c"
    done
  done
  fresh_name x > /dev/null
}

# ------------------------------------------------------------------ target 4: --bwlimit on the wire
phase_bwlimit() {
  local ds=$DS_BW r tool dir
  need_net; export_src $ds
  local linkb limB limK b f
  linkb=$(link_bps); limB=$((linkb / 4)); limK=$((limB / 1024))
  b=$(dsbytes "$DATA/$ds"); f=$(dsfiles "$DATA/$ds")
  for r in $(seq 1 "$REPS"); do
    local tools="duplex"; [ "$r" -le "$BW_RSYNC_REPS" ] && tools=$(rotate "$r" duplex rsyncd)
    for dir in push pull; do
      for tool in $tools; do
        local c name dst s0 s1 extra
        if [ $dir = push ]; then
          name=$(fresh_name "bw.$tool.$r"); dst=$EXPORT/dst/$name
          case $tool in
            duplex) c=$(dx "--bwlimit ${limK}K $DATA/$ds duplex://$SRV_DST:$PORT/data/$name") ;;
            rsyncd) c="rsync -a --whole-file --bwlimit=$limK $DATA/$ds/ rsync://$SRV_DST:873/data/$name/" ;;
          esac
        else
          rmtree "$OUTD"; mkdir -p "$OUTD"; rm -rf "$DBD"; mkdir -p "$DBD"; dst=$OUTD/bw.$tool.$r
          case $tool in
            duplex) c=$(dx "--bwlimit ${limK}K duplex://$SRV_SRC:$PORT/data/$ds $dst") ;;
            rsyncd) c="rsync -a --whole-file --bwlimit=$limK rsync://$SRV_SRC:873/data/$ds/ $dst/" ;;
          esac
        fi
        drop
        s0=$(srv_cpu_all)
        timed_sampled "bwlimit-${dir}_${tool}_$r" "$limB" lab-cli $c
        s1=$(srv_cpu_all)
        extra="$(check_copy "$DATA/$ds" "$dst") limit_Bps=$limB"
        [ "$tool" = duplex ] && { extra="$extra $(duplex_notes) $(srv_cpu_delta "$s0" "$s1")"; keep_output "bwlimit-${dir}_duplex_$r"; }
        row "bwlimit-$dir" $ds $tool $r $b $f "$LINK" "$extra" "$c"
      done
    done
  done
  rmtree "$OUTD"; fresh_name x > /dev/null
}

phase_summary() { python3 "$HERE/daemon-summary.py" "$RES" > "$RES/summary.md" && cat "$RES/summary.md"; }

# ------------------------------------------------------------------ main
[ "$(id -u)" = 0 ] || die "needs root (drop_caches, network namespaces, FUSE)"
for t in rsync sshfs bc python3 /usr/bin/time; do command -v "$t" > /dev/null || die "missing $t"; done
[ $# -gt 0 ] || set -- datasets large bidir small dual bwlimit summary
for arg in "$@"; do
  case "$arg" in datasets|large|bidir|small|dual|bwlimit|summary) ;; *) awk 'NR > 1 && !/^#/ {exit} NR > 1' "$0"; exit 2 ;; esac
done
if [ "$*" = summary ] && [ -z "${BENCH_RUN:-}" ]; then
  RUN_ID=$(ls -1t "$ROOT/bench/results" | grep -- '-daemon$' | head -1); [ -n "$RUN_ID" ] || die "no daemon run in bench/results"
  RES=$ROOT/bench/results/$RUN_ID; TSV=$RES/runs.tsv
fi
mkdir -p "$RES" "$OUTD" "$DBD" "$TMPD"
[ -f "$TSV" ] || printf "ts\tphase\tdataset\ttool\trep\tbytes\tfiles\twall_tool\twall_sync\tuser\tsys\tmaxrss_kb\texit\tload1\thost_busy_s\tlink\textra\tcmd\n" > "$TSV"
[ "$*" = summary ] || write_meta "$@"
log "run $RUN_ID -> $RES"
t_start=$(now); ran=""
for phase in "$@"; do
  case "$phase" in
    datasets) need_data ${DS_LARGE%%/*} ${DS_SMALL%%/*} ${DS_BW%%/*} ;;
    large|bidir|small|dual|bwlimit)
      t_phase=$(now); "phase_$phase"; ran="$ran $phase"
      save_lab_logs
      echo "phase $phase took $(printf "%.0f" "$(echo "$(now) - $t_phase" | bc)") s, load at end $(cut -d' ' -f1-3 /proc/loadavg)" >> "$RES/meta.txt" ;;
    summary)
      [ -n "$ran" ] && echo "phases:$ran took $(printf "%.0f" "$(echo "$(now) - $t_start" | bc)") s" >> "$RES/meta.txt"; ran=""
      phase_summary ;;
  esac
done
[ -n "$ran" ] && echo "phases:$ran took $(printf "%.0f" "$(echo "$(now) - $t_start" | bc)") s" >> "$RES/meta.txt"
log "done in $(printf "%.0f" "$(echo "$(now) - $t_start" | bc)") s"
