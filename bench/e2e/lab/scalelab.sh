#!/usr/bin/env bash
# scalelab.sh up|down|status|run K CMD...|psql SQL   -- several hosts on one sync job (project addition)
#
# A source and a destination file server (sshd serving an export dir on local disk, as netshare.sh), a PostgreSQL
# server, and LAB_WORKERS worker "hosts", each behind ITS OWN shaped link into a switch; the servers' links are not
# shaped (the NAS side is fast, every worker has its own NIC):
#
#   ns lab-w1  eth0 10.213.5.101 <== veth (tbf both ways) ==> w1 --+
#   ns lab-w2  eth0 10.213.5.102 <== veth (tbf both ways) ==> w2 --+-- br0 (ns lab-s-sw) --+-- s-src <=> lab-s-src eth0 10.213.5.11 (sshd)
#   ...                                                            |                       +-- s-dst <=> lab-s-dst eth0 10.213.5.12 (sshd)
#   ns lab-wN  eth0 10.213.5.(100+N)  ...                          +                       +-- s-pg  <=> lab-s-pg  eth0 10.213.5.13 (postgres :5432)
#
# tbf on a worker's eth0 (egress = worker -> servers, writes) and on its switch port wK (egress = servers -> worker,
# reads), LAB_RATE each, burst and latency as netshare.sh.
#
# Subcommands:
#   up        build it all, start sshd x2 and PostgreSQL 15 (/usr/lib/postgresql/15/bin; initdb into the state dir,
#             listening on 10.213.5.13:5432, `trust` for 10.213.5.0/24, database `duplex`), start the watchdog
#   down      stop everything by PID, delete the namespaces and veths, remove the mount points
#   status    namespaces, qdiscs, daemons
#   run K CMD...   run CMD in worker K with the source export sshfs-mounted at $SCALE_MNT_SRC (/mnt/scale-src) and the
#             destination's at $SCALE_MNT_DST (/mnt/scale-dst), same options and cipher as netshare.sh, unmounted
#             afterwards; CMD's exit status is returned. The mounts live in the private mount namespace of this one
#             `ip netns exec` (they are invisible elsewhere, also to other workers, which mount their own).
#             Optional: SCALE_SYNC_DIR=DIR makes the worker touch DIR/ready.K once mounted and wait (at most
#             SCALE_SYNC_WAIT s, default 120) for DIR/go before starting CMD, writing DIR/start.K and DIR/end.K
#             (date +%s.%N) around it: a barrier, so that N workers start at once with their mounts already made.
#   psql SQL  run SQL as user postgres against the lab server (from its namespace)
#
# Environment: LAB_WORKERS (default 3, at most 50), LAB_RATE (per direction per worker, tc syntax, default 100mbit;
# "none" = no shaping), LAB_TTL (seconds until the watchdog runs `down`, default 10800), LAB_CIPHER (default
# aes128-gcm@openssh.com), SCALE_STATE (default /tmp/scale-lab), SCALE_EXPORT (server exports on local disk, default
# /var/tmp/scale-export/{src,dst}), SCALE_MNT_SRC / SCALE_MNT_DST, LAB_SSHFS_OPTS (extra sshfs -o options),
# SCALE_RUN_TIMEOUT (bound of one `run`, s, default 3600).
#
# Safety: the only addresses are 10.213.5.0/24 on veths created here (netshare.sh uses 10.213.0.0/24, daemonlab.sh
# 10.213.1.0/24: the labs can coexist; the namespace names differ too). Every daemon runs under `timeout`, its PID
# recorded and stopped by `down`; every process left in the namespaces created here was started by this script and
# is stopped by `down`; a watchdog runs `down` after LAB_TTL.
set -euo pipefail

SELF=$(readlink -f "$0")
STATE=${SCALE_STATE:-/tmp/scale-lab}
RATE=${LAB_RATE:-100mbit}
WORKERS=${LAB_WORKERS:-3}
CIPHER=${LAB_CIPHER:-aes128-gcm@openssh.com}
TTL=${LAB_TTL:-10800}
EXPORT=${SCALE_EXPORT:-/var/tmp/scale-export}
MNT_SRC=${SCALE_MNT_SRC:-/mnt/scale-src}
MNT_DST=${SCALE_MNT_DST:-/mnt/scale-dst}
RUN_TIMEOUT=${SCALE_RUN_TIMEOUT:-3600}
PGBIN=/usr/lib/postgresql/15/bin
NET=10.213.5
SRC_IP=$NET.11
DST_IP=$NET.12
PG_IP=$NET.13
SERVERS="src dst pg"

log() { echo "[scalelab] $*" >&2; }
die() { log "$*"; exit 1; }

ns_exists() { ip netns list | awk '{print $1}' | grep -qx "$1"; }
# the worker count of the running lab (what `up` recorded), else LAB_WORKERS
nworkers() { cat "$STATE/workers" 2>/dev/null || echo "$WORKERS"; }

rate_bytes() { # as netshare.sh
  local r=$1 n unit
  n=$(echo "$r" | sed -E 's/^([0-9.]+).*/\1/'); unit=$(echo "$r" | sed -E 's/^[0-9.]+//')
  case "$unit" in
    gbit) echo "$n*1000000000/8" | bc ;; mbit) echo "$n*1000000/8" | bc ;;
    kbit) echo "$n*1000/8" | bc ;; bit|"") echo "$n/8" | bc ;;
    *) echo "unsupported rate unit: $unit" >&2; return 1 ;;
  esac
}

shape() { # ns dev: tbf exactly as netshare's shape()
  local ns=$1 dev=$2 bps burst
  [ "$RATE" = none ] && return 0
  bps=$(rate_bytes "$RATE"); burst=$(( bps / 250 )); [ $burst -lt 16384 ] && burst=16384
  ip netns exec "$ns" tc qdisc replace dev "$dev" root tbf rate "$RATE" burst "$burst" latency 25ms
}

write_sshd_conf() { # name ip  (as netshare.sh)
  cat > "$STATE/sshd_$1.conf" <<EOF
Port 22
ListenAddress $2
HostKey $STATE/host_ed25519
PidFile $STATE/sshd_$1.pid
AuthorizedKeysFile $STATE/authorized_keys
PermitRootLogin prohibit-password
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
UseDNS no
X11Forwarding no
PrintMotd no
MaxSessions 64
MaxStartups 64:30:128
Ciphers aes128-gcm@openssh.com,aes256-gcm@openssh.com,chacha20-poly1305@openssh.com,aes128-ctr
Subsystem sftp /usr/lib/openssh/sftp-server
EOF
}

write_ssh_conf() { # as netshare.sh; the host key is the same for both servers
  cat > "$STATE/ssh_config" <<EOF
Host scale-src
  HostName $SRC_IP
Host scale-dst
  HostName $DST_IP
Host scale-*
  User root
  IdentityFile $STATE/id_ed25519
  IdentitiesOnly yes
  UserKnownHostsFile $STATE/known_hosts
  StrictHostKeyChecking accept-new
  Ciphers $CIPHER
  Compression no
  BatchMode yes
  ConnectTimeout 5
  ServerAliveInterval 15
  ServerAliveCountMax 4
EOF
}

start_bounded() { # name ns CMD...: under timeout, in namespace ns, pid of the timeout recorded in $STATE/NAME.pid
  local name=$1 ns=$2; shift 2
  setsid timeout --kill-after=10 $((TTL + 60)) ip netns exec "$ns" "$@" > "$STATE/$name.log" 2>&1 < /dev/null &
  echo $! > "$STATE/$name.pid"
}

up() {
  ns_exists lab-s-sw && die "already up (run down first)"
  command -v sshfs > /dev/null && [ -x /usr/sbin/sshd ] || die "need sshfs and openssh-server"
  [ -x "$PGBIN/postgres" ] && [ -x "$PGBIN/initdb" ] || die "need PostgreSQL 15 in $PGBIN"
  getent passwd postgres > /dev/null || die "need the system user postgres (initdb does not run as root)"
  [[ "$WORKERS" =~ ^[0-9]+$ ]] && [ "$WORKERS" -ge 1 ] && [ "$WORKERS" -le 50 ] || die "LAB_WORKERS must be 1..50"
  mkdir -p "$STATE" "$EXPORT/src" "$EXPORT/dst"; chmod 700 "$STATE"
  rm -f "$STATE"/*.log "$STATE"/*.pid
  [ -f "$STATE/id_ed25519" ] || ssh-keygen -q -t ed25519 -N '' -f "$STATE/id_ed25519"
  [ -f "$STATE/host_ed25519" ] || ssh-keygen -q -t ed25519 -N '' -f "$STATE/host_ed25519"
  cp "$STATE/id_ed25519.pub" "$STATE/authorized_keys"
  : > "$STATE/known_hosts"
  if [ ! -d /run/sshd ]; then mkdir -p /run/sshd; chmod 755 /run/sshd; touch "$STATE/created_run_sshd"; fi
  echo "$WORKERS" > "$STATE/workers"; echo "$RATE" > "$STATE/rate"; echo "$CIPHER" > "$STATE/cipher"

  # watchdog first, so that a failure below is still cleaned up in time
  setsid bash -c "sleep $TTL; SCALE_STATE='$STATE' SCALE_MNT_SRC='$MNT_SRC' SCALE_MNT_DST='$MNT_DST' '$SELF' down" \
    > "$STATE/watchdog.log" 2>&1 < /dev/null &
  echo $! > "$STATE/watchdog.pid"

  # switch and servers (unshaped)
  ip netns add lab-s-sw; ip -n lab-s-sw link set lo up
  ip -n lab-s-sw link add br0 type bridge; ip -n lab-s-sw link set br0 up
  local s ip k
  for s in $SERVERS; do
    case $s in src) ip=$SRC_IP ;; dst) ip=$DST_IP ;; pg) ip=$PG_IP ;; esac
    ip netns add lab-s-$s; ip -n lab-s-$s link set lo up
    ip -n lab-s-sw link add s-$s type veth peer name eth0 netns lab-s-$s
    ip -n lab-s-sw link set s-$s master br0 up
    ip -n lab-s-$s addr add $ip/24 dev eth0; ip -n lab-s-$s link set eth0 up
  done
  # workers, each behind its own shaped link
  for k in $(seq 1 "$WORKERS"); do
    ip netns add lab-w$k; ip -n lab-w$k link set lo up
    ip -n lab-s-sw link add w$k type veth peer name eth0 netns lab-w$k
    ip -n lab-s-sw link set w$k master br0 up
    ip -n lab-w$k addr add $NET.$((100 + k))/24 dev eth0; ip -n lab-w$k link set eth0 up
    shape lab-w$k eth0      # worker -> servers (writes)
    shape lab-s-sw w$k      # servers -> worker (reads)
  done

  # sshd on the two file servers
  write_sshd_conf src $SRC_IP; write_sshd_conf dst $DST_IP; write_ssh_conf
  start_bounded sshd_src lab-s-src /usr/sbin/sshd -D -e -f "$STATE/sshd_src.conf"
  start_bounded sshd_dst lab-s-dst /usr/sbin/sshd -D -e -f "$STATE/sshd_dst.conf"

  # PostgreSQL 15 in lab-s-pg: a fresh cluster in the state dir, owned by postgres
  local pgd=$STATE/pgdata
  rm -rf "$pgd" "$STATE/pgsock"; mkdir -p "$pgd" "$STATE/pgsock"
  chown postgres: "$pgd" "$STATE/pgsock"; chmod 711 "$STATE"   # postgres must traverse the state dir
  runuser -u postgres -- timeout 120 "$PGBIN/initdb" -D "$pgd" -U postgres -A trust -E UTF8 --locale=C.UTF-8 \
    > "$STATE/initdb.log" 2>&1 || { cat "$STATE/initdb.log" >&2; die "initdb failed"; }
  echo "host all all $NET.0/24 trust" >> "$pgd/pg_hba.conf"
  start_bounded postgres lab-s-pg runuser -u postgres -- "$PGBIN/postgres" -D "$pgd" \
    -c listen_addresses=$PG_IP -c port=5432 -c unix_socket_directories="$STATE/pgsock" -c max_connections=200 \
    -c shared_buffers=256MB -c logging_collector=off

  local i ok=0
  for i in $(seq 1 100); do
    if ip netns exec lab-w1 ssh -F "$STATE/ssh_config" scale-src true 2>/dev/null \
       && ip netns exec lab-w1 ssh -F "$STATE/ssh_config" scale-dst true 2>/dev/null \
       && ip netns exec lab-w1 "$PGBIN/pg_isready" -q -h $PG_IP -p 5432; then ok=1; break; fi
    sleep 0.2
  done
  [ $ok = 1 ] || { tail -n 20 "$STATE"/sshd_*.log "$STATE/postgres.log" >&2; die "servers not reachable from lab-w1"; }
  pg "CREATE DATABASE duplex" > /dev/null
  mkdir -p "$MNT_SRC" "$MNT_DST"
  log "up: $WORKERS workers lab-w1..lab-w$WORKERS ($NET.101..$NET.$((100 + WORKERS))), $RATE each way each;" \
      "src $SRC_IP:$EXPORT/src, dst $DST_IP:$EXPORT/dst (sshd, $CIPHER), postgresql://$PG_IP:5432/duplex (trust);" \
      "watchdog in ${TTL}s"
}

pg() { # SQL as postgres, from the server's own namespace over the lab address
  ip netns exec lab-s-pg env PGCONNECT_TIMEOUT=5 timeout 60 "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -h $PG_IP -p 5432 \
    -U postgres -d postgres -c "$1"
}

stop_pidfile() { # SIGTERM to the recorded timeout process (it passes it on), SIGKILL after 10 s
  local f=$1 p i
  [ -f "$f" ] || return 0
  p=$(cat "$f")
  if [ -n "$p" ] && [ "$(cat /proc/$p/comm 2>/dev/null)" = timeout ]; then
    kill "$p" 2>/dev/null || true
    for i in $(seq 1 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.2; done
    kill -0 "$p" 2>/dev/null && { log "$(basename "$f" .pid) ($p) did not stop; SIGKILL"; kill -9 "$p" 2>/dev/null || true; }
  fi
  rm -f "$f"
}

down() {
  local ns p k nss
  stop_pidfile "$STATE/postgres.pid"   # SIGTERM = smart shutdown; it has 10 s before SIGKILL
  stop_pidfile "$STATE/sshd_src.pid"; stop_pidfile "$STATE/sshd_dst.pid"
  nss="lab-s-src lab-s-dst lab-s-pg"
  for k in $(seq 1 "$(nworkers)"); do nss="$nss lab-w$k"; done
  # every process left in the namespaces created by `up` was started by us (runs, their sshfs, daemons' children)
  for ns in $nss lab-s-sw; do
    ns_exists "$ns" && for p in $(ip netns pids "$ns" 2>/dev/null); do kill "$p" 2>/dev/null || true; done
  done
  sleep 0.5
  for ns in $nss lab-s-sw; do
    if ns_exists "$ns"; then
      for p in $(ip netns pids "$ns" 2>/dev/null); do kill -9 "$p" 2>/dev/null || true; done
      ip netns del "$ns" || true
    fi
  done
  rmdir "$MNT_SRC" "$MNT_DST" 2>/dev/null || true
  if [ -f "$STATE/created_run_sshd" ]; then rmdir /run/sshd 2>/dev/null || true; rm -f "$STATE/created_run_sshd"; fi
  rm -rf "$STATE/pgdata" "$STATE/pgsock" "$STATE/workers"
  # watchdog last (it may be the caller)
  if [ -f "$STATE/watchdog.pid" ]; then
    local w; w=$(cat "$STATE/watchdog.pid"); rm -f "$STATE/watchdog.pid"
    if [ "$w" != "$$" ] && [ "$w" != "$PPID" ] && kill -0 "$w" 2>/dev/null; then
      for p in $(pgrep -P "$w" 2>/dev/null); do kill "$p" 2>/dev/null || true; done   # its sleep
      kill "$w" 2>/dev/null || true
    fi
  fi
  log "down"
}

status() {
  local k ns f
  ip netns list | awk '{print $1}' | grep -E '^lab-(s-(sw|src|dst|pg)|w[0-9]+)$' || echo "no scalelab namespaces"
  for f in sshd_src sshd_dst postgres watchdog; do
    if [ -f "$STATE/$f.pid" ] && kill -0 "$(cat "$STATE/$f.pid")" 2>/dev/null; then echo "$f: running (pid $(cat "$STATE/$f.pid"))"
    else echo "$f: not running"; fi
  done
  for k in $(seq 1 "$(nworkers)"); do
    ns_exists lab-w$k || continue
    echo "lab-w$k: $(ip -n lab-w$k -4 -o addr show dev eth0 | awk '{print $4}'), processes: $(ip netns pids lab-w$k | wc -l)"
    ip netns exec lab-w$k tc -s qdisc show dev eth0 | head -2
    ip netns exec lab-s-sw tc -s qdisc show dev w$k | head -2
  done
}

# run K CMD...: mounts, (barrier), CMD, unmounts; all inside ONE `ip netns exec lab-wK`, so CMD sees the mounts
run() {
  local k=${1:?run K CMD...}; shift
  [ $# -gt 0 ] || die "run K CMD..."
  ns_exists lab-w$k || die "no worker lab-w$k (is the lab up with LAB_WORKERS >= $k?)"
  local opts="ssh_command=ssh -F $STATE/ssh_config"
  [ -n "${LAB_SSHFS_OPTS:-}" ] && opts="$opts,$LAB_SSHFS_OPTS"
  timeout --kill-after=10 "$RUN_TIMEOUT" ip netns exec lab-w$k env SCALE_K="$k" SCALE_OPTS="$opts" \
    SCALE_SRC="scale-src:$EXPORT/src" SCALE_DST="scale-dst:$EXPORT/dst" SCALE_MS="$MNT_SRC" SCALE_MD="$MNT_DST" \
    SCALE_SYNC_DIR="${SCALE_SYNC_DIR:-}" SCALE_SYNC_WAIT="${SCALE_SYNC_WAIT:-120}" \
    bash -c '
      set -u
      umnt() { local m; for m in "$SCALE_MD" "$SCALE_MS"; do
        mountpoint -q "$m" 2>/dev/null && { fusermount3 -u "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true; }; done; }
      trap umnt EXIT
      trap "exit 143" TERM INT
      mkdir -p "$SCALE_MS" "$SCALE_MD"
      sshfs -o "$SCALE_OPTS" "$SCALE_SRC" "$SCALE_MS" || { echo "worker $SCALE_K: sshfs source failed" >&2; exit 90; }
      sshfs -o "$SCALE_OPTS" "$SCALE_DST" "$SCALE_MD" || { echo "worker $SCALE_K: sshfs destination failed" >&2; exit 90; }
      mountpoint -q "$SCALE_MS" && mountpoint -q "$SCALE_MD" || { echo "worker $SCALE_K: mounts not visible" >&2; exit 91; }
      if [ -n "$SCALE_SYNC_DIR" ]; then
        touch "$SCALE_SYNC_DIR/ready.$SCALE_K"
        i=0; while [ ! -e "$SCALE_SYNC_DIR/go" ]; do
          i=$((i + 1)); [ $i -gt $((SCALE_SYNC_WAIT * 50)) ] && { echo "worker $SCALE_K: no go" >&2; exit 92; }; sleep 0.02; done
        date +%s.%N > "$SCALE_SYNC_DIR/start.$SCALE_K"
      fi
      "$@"; rc=$?
      [ -n "$SCALE_SYNC_DIR" ] && date +%s.%N > "$SCALE_SYNC_DIR/end.$SCALE_K"
      exit $rc' scalelab-run "$@"
}

case "${1:-}" in
  up) up ;; down) down ;; status) status ;;
  run) shift; run "$@" ;;
  psql) shift; pg "${1:?psql SQL}" ;;
  *) awk 'NR > 1 && !/^#/ {exit} NR > 1' "$0" >&2; exit 2 ;;
esac
