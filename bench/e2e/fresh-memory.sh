#!/usr/bin/env bash
# fresh-memory.sh [GIB] [WAIT_S]
#
# What touching memory costs on this machine, whatever the tool: writes GIB GiB (default 4) of zeros into a
# tmpfs three times, removing the file in between: once, again at once, and again after WAIT_S seconds (default
# 10), printing each write's wall and system time. On a VM whose balloon reports freed pages back to the host
# (Firecracker here), memory freed a few seconds ago is given back, and the guest pays the host's page faults to
# touch it again: in the notes of docs/BENCHMARKS.md the same 4 GiB write took 1.4 s at once and 6-8 s cold.
# Any copy writes its destination into fresh page cache, so a second destination pays this twice.
# Needs root (mounts a tmpfs of GIB+1 GiB under /var/tmp, unmounted on exit).
set -euo pipefail
gib=${1:-4} wait_s=${2:-10}
[ "$(id -u)" = 0 ] || { echo "fresh-memory.sh: needs root to mount a tmpfs" >&2; exit 2; }
mnt=$(mktemp -d /var/tmp/fresh-memory.XXXXXX)
trap 'if mountpoint -q "$mnt"; then umount "$mnt"; fi; rmdir "$mnt"' EXIT
mount -t tmpfs -o size=$((gib + 1))g tmpfs "$mnt"
write() { # label
  /usr/bin/time -f "$1: ${gib} GiB in %e s, system %S s" dd if=/dev/zero of="$mnt/z" bs=1M count=$((gib * 1024)) status=none
  rm -f "$mnt/z"
}
write "first write"
write "again at once"
sleep "$wait_s"
write "again after ${wait_s} s"
