#!/usr/bin/env bash
# daemonlab.sh up|down|status|delay MS|nodelay   -- daemons and extra topology on top of netshare.sh (project addition)
#
# Needs the lab of netshare.sh to be up (namespaces lab-sw, lab-src, lab-dst). `up` adds:
#
#   * in lab-src (10.213.0.11) and lab-dst (10.213.0.12): `duplex serve` on :9031 (module `data` = the server's
#     export, $LAB_EXPORT/src or $LAB_EXPORT/dst, token auth) and `rsync --daemon` on :873 (module `data`, the
#     same directory, read-write, uid root, no chroot); both behind netshare's ONE shaped client link (lab-cli);
#   * a third server "B" in its own namespace lab-b (10.213.1.11), behind its OWN shaped link, a veth straight
#     from the client (root namespace, lab-cli-b 10.213.1.1) shaped like netshare's link (tbf, $LAB_RATE each
#     way, same burst and latency), with the same two daemons serving $LAB_EXPORT/b:
#
#     root ns (client)  lab-cli 10.213.0.1  == shaped ==  lab-sw bridge -- lab-src 10.213.0.11, lab-dst 10.213.0.12
#                       lab-cli-b 10.213.1.1 == shaped ==  lab-b 10.213.1.11
#
# `delay MS` adds MS of delay in each direction (RTT + 2 x MS) on top of the tbf shaping. This kernel has no
# sch_netem (nor fq/etf), so it is done by delayproxy.py, a TCP relay started in each server's namespace, behind
# the shaped link: duplex://HOST:19031 -> HOST:9031 and rsync://HOST:1873 -> HOST:873, every byte held MS in each
# direction (see delayproxy.py for what that does and does not emulate). The undelayed ports stay as they are.
# `nodelay` stops the relays.
#
# Environment: LAB_STATE (netshare's state dir, default /tmp/lab-net; this script keeps its own files in
# $LAB_STATE/daemonlab), LAB_EXPORT (default /var/tmp/lab-export), LAB_RATE (default 200mbit), DAEMONLAB_JAR
# (duplex jar, required for up), DAEMONLAB_JAVA (default java), DAEMONLAB_JVM_OPTS (JVM options of the daemons),
# DAEMONLAB_TOKEN (token file; default: a random one made in the state dir), DAEMONLAB_TTL (seconds until the
# watchdog runs `down`, default 7200).
#
# Safety: only 10.213.0.0/24 (netshare's) and 10.213.1.0/24 on the veth created here; every daemon and relay runs under
# `timeout` in a lab namespace, its PID recorded and stopped by `down` (SIGTERM, then SIGKILL after 10 s); a
# watchdog runs `down` after DAEMONLAB_TTL. Run `daemonlab.sh down` BEFORE `netshare.sh down`.
set -euo pipefail

SELF=$(readlink -f "$0")
NSTATE=${LAB_STATE:-/tmp/lab-net}
STATE=$NSTATE/daemonlab
EXPORT=${LAB_EXPORT:-/var/tmp/lab-export}
RATE=${LAB_RATE:-200mbit}
TTL=${DAEMONLAB_TTL:-7200}
JAVA=${DAEMONLAB_JAVA:-java}
PORT=9031
DPORT=19031     # delayed duplex port (delay relay)
DRPORT=1873     # delayed rsync port (delay relay)
B_CLI=10.213.1.1
B_IP=10.213.1.11

log() { echo "[daemonlab] $*" >&2; }

rate_bytes() { # as netshare.sh
  local r=$1 n unit
  n=$(echo "$r" | sed -E 's/^([0-9.]+).*/\1/'); unit=$(echo "$r" | sed -E 's/^[0-9.]+//')
  case "$unit" in
    gbit) echo "$n*1000000000/8" | bc ;; mbit) echo "$n*1000000/8" | bc ;;
    kbit) echo "$n*1000/8" | bc ;; bit|"") echo "$n/8" | bc ;;
    *) echo "unsupported rate unit: $unit" >&2; return 1 ;;
  esac
}

nsx() { local ns=$1; shift; if [ -n "$ns" ]; then ip netns exec "$ns" "$@"; else "$@"; fi; }

shape_b() { # ns dev: tbf exactly as netshare's shape()
  local ns=$1 dev=$2 bps burst
  [ "$RATE" = none ] && return 0
  bps=$(rate_bytes "$RATE"); burst=$(( bps / 250 )); [ $burst -lt 16384 ] && burst=16384
  nsx "$ns" tc qdisc replace dev "$dev" root tbf rate "$RATE" burst "$burst" latency 25ms
}

wait_port() { # ip port seconds
  local i
  for i in $(seq 1 $(( $3 * 5 ))); do
    if timeout 1 bash -c "exec 3<>/dev/tcp/$1/$2" 2>/dev/null; then return 0; fi
    sleep 0.2
  done
  return 1
}

start_daemons() { # name ns ip dir
  local name=$1 ns=$2 ip=$3 dir=$4
  mkdir -p "$dir"
  # duplex serve
  setsid timeout --kill-after=10 "$TTL" ip netns exec "$ns" env LC_ALL=C.UTF-8 "$JAVA" $DAEMONLAB_JVM_OPTS \
    -jar "$DAEMONLAB_JAR" serve --listen "$ip:$PORT" --module "data=$dir" --token-file "$TOKEN" \
    > "$STATE/duplex_$name.out" 2> "$STATE/duplex_$name.log" < /dev/null &
  echo $! > "$STATE/duplex_$name.pid"
  # rsync --daemon
  cat > "$STATE/rsyncd_$name.conf" <<EOF
use chroot = no
uid = root
gid = root
max connections = 16
log file = $STATE/rsyncd_$name.log
[data]
  path = $dir
  read only = false
  list = yes
EOF
  setsid timeout --kill-after=10 "$TTL" ip netns exec "$ns" rsync --daemon --no-detach \
    --config="$STATE/rsyncd_$name.conf" --address="$ip" --port=873 \
    > "$STATE/rsyncd_$name.out" 2>&1 < /dev/null &
  echo $! > "$STATE/rsyncd_$name.pid"
  wait_port "$ip" 873 20 || { log "rsync daemon $name not reachable"; cat "$STATE/rsyncd_$name.out" >&2; return 1; }
  local i
  for i in $(seq 1 150); do grep -q "listening on" "$STATE/duplex_$name.out" 2>/dev/null && break; sleep 0.2; done
  grep -q "listening on" "$STATE/duplex_$name.out" || { log "duplex serve $name did not start"; cat "$STATE/duplex_$name.log" >&2; return 1; }
  wait_port "$ip" "$PORT" 10 || { log "duplex serve $name not reachable"; return 1; }
  log "$name: $(head -1 "$STATE/duplex_$name.out"); rsync daemon on $ip:873; module data=$dir"
}

up() {
  ip netns list | grep -qw lab-src && ip netns list | grep -qw lab-dst || { log "netshare.sh is not up"; exit 1; }
  [ -d "$STATE" ] && ls "$STATE"/*.pid > /dev/null 2>&1 && { log "already up (run down first)"; exit 1; }
  [ -n "${DAEMONLAB_JAR:-}" ] && [ -f "$DAEMONLAB_JAR" ] || { log "set DAEMONLAB_JAR to the duplex jar"; exit 1; }
  mkdir -p "$STATE"; chmod 700 "$STATE"
  rm -f "$STATE"/*.log "$STATE"/*.out "$STATE"/*.conf   # an earlier lab's
  if [ -n "${DAEMONLAB_TOKEN:-}" ]; then TOKEN=$DAEMONLAB_TOKEN
  else TOKEN=$STATE/token; (umask 077; head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$TOKEN"; echo >> "$TOKEN"); fi
  echo "$TOKEN" > "$STATE/token.path"
  DAEMONLAB_JVM_OPTS=${DAEMONLAB_JVM_OPTS:-}

  # third namespace, own shaped link
  ip netns add lab-b
  ip -n lab-b link set lo up
  ip link add lab-cli-b type veth peer name eth0 netns lab-b
  ip addr add $B_CLI/24 dev lab-cli-b; ip link set lab-cli-b up
  ip -n lab-b addr add $B_IP/24 dev eth0; ip -n lab-b link set eth0 up
  shape_b "" lab-cli-b      # client -> B
  shape_b lab-b eth0        # B -> client
  echo "$RATE" > "$STATE/rate_b"

  # watchdog first, so that a failure below is still cleaned up in time
  setsid bash -c "sleep $TTL; LAB_STATE='$NSTATE' '$SELF' down" > "$STATE/watchdog.log" 2>&1 < /dev/null &
  echo $! > "$STATE/watchdog.pid"

  start_daemons src lab-src 10.213.0.11 "$EXPORT/src"
  start_daemons dst lab-dst 10.213.0.12 "$EXPORT/dst"
  start_daemons b lab-b $B_IP "$EXPORT/b"
  log "up: duplex://10.213.0.11:$PORT/data (= $EXPORT/src), duplex://10.213.0.12:$PORT/data (= $EXPORT/dst) behind lab-cli;" \
      "duplex://$B_IP:$PORT/data (= $EXPORT/b) behind lab-cli-b ($RATE each way); rsync://same hosts/data; token $TOKEN"
}

stop_pidfile() { # pidfile: SIGTERM to the recorded timeout process (it passes it on), SIGKILL after 10 s
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

stop_delay() {
  local n
  for n in src dst b; do stop_pidfile "$STATE/delay_$n.pid"; done
  rm -f "$STATE/delay_ms"
}

down() {
  local n p
  stop_delay
  for n in src dst b; do stop_pidfile "$STATE/duplex_$n.pid"; stop_pidfile "$STATE/rsyncd_$n.pid"; done
  if ip netns list | grep -qw lab-b; then
    for p in $(ip netns pids lab-b 2>/dev/null); do kill "$p" 2>/dev/null || true; done   # only ours live there
    sleep 0.3
    for p in $(ip netns pids lab-b 2>/dev/null); do kill -9 "$p" 2>/dev/null || true; done
    ip netns del lab-b || true
  fi
  ip link show lab-cli-b > /dev/null 2>&1 && ip link del lab-cli-b || true
  if [ -f "$STATE/watchdog.pid" ]; then
    local w; w=$(cat "$STATE/watchdog.pid"); rm -f "$STATE/watchdog.pid"
    if [ "$w" != "$$" ] && [ "$w" != "$PPID" ] && kill -0 "$w" 2>/dev/null; then
      for p in $(pgrep -P "$w" 2>/dev/null); do kill "$p" 2>/dev/null || true; done   # its sleep
      kill "$w" 2>/dev/null || true
    fi
  fi
  rm -f "$STATE/token.path"
  log "down"
}

delay() {
  local ms=${1:?delay MS} n ns ip py
  py=/usr/bin/python3; [ -x "$py" ] || py=$(command -v python3)
  stop_delay
  for n in src dst b; do
    case $n in src) ns=lab-src ip=10.213.0.11 ;; dst) ns=lab-dst ip=10.213.0.12 ;; b) ns=lab-b ip=$B_IP ;; esac
    setsid timeout --kill-after=10 "$TTL" ip netns exec "$ns" "$py" "$(dirname "$SELF")/delayproxy.py" "$ms" \
      "$ip:$DPORT" "$ip:$PORT" "$ip:$DRPORT" "$ip:873" > "$STATE/delay_$n.out" 2>&1 < /dev/null &
    echo $! > "$STATE/delay_$n.pid"
    wait_port "$ip" "$DPORT" 20 && wait_port "$ip" "$DRPORT" 5 || { log "delay relay $n did not start"; cat "$STATE/delay_$n.out" >&2; return 1; }
  done
  echo "$ms" > "$STATE/delay_ms"
  log "delay relays: ${ms} ms each way (RTT + $((2 * ms)) ms): duplex://HOST:$DPORT/data, rsync://HOST:$DRPORT/data"
}

status() {
  local n f
  for n in src dst b; do
    for f in duplex rsyncd delay; do
      if [ -f "$STATE/${f}_$n.pid" ] && kill -0 "$(cat "$STATE/${f}_$n.pid")" 2>/dev/null; then echo "$f $n: running (pid $(cat "$STATE/${f}_$n.pid"))"
      else echo "$f $n: not running"; fi
    done
  done
  ip netns list | grep -w lab-b || echo "no lab-b namespace"
  echo "delay: $(cat "$STATE/delay_ms" 2>/dev/null || echo none)"
  tc qdisc show dev lab-cli-b 2>/dev/null || true
  ip netns exec lab-b tc qdisc show dev eth0 2>/dev/null || true
}

case "${1:-}" in
  up) up ;; down) down ;; status) status ;; delay) delay "${2:-}" ;; nodelay) stop_delay ;;
  *) echo "usage: $0 up|down|status|delay MS|nodelay" >&2; exit 2 ;;
esac
