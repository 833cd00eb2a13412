#!/usr/bin/env bash
# Measures the time from `bin/jvswitch start` to a switch that forwards a packet between two
# dummy ports, and the resident memory at that point. Usage: bench/startup.sh [runs]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
dist=runtime/target/jvswitch
runs=${1:-5}
[ -x "$dist/bin/jvswitch" ] || { echo "build first: ./dev build" >&2; exit 1; }
command -v ovs-appctl >/dev/null || { echo "needs ovs-appctl (./dev test installs it)" >&2; exit 1; }

for i in $(seq 1 "$runs"); do
  var=$(mktemp -d /tmp/jvswitch-bench.XXXXXX)
  export JVSWITCH_VAR=$var OVS_RUNDIR=$var/run
  t0=$(date +%s%N)
  "$dist/bin/jvswitch" start >/dev/null
  t1=$(date +%s%N)
  "$dist/bin/jvswitch" shell 'vsctl:vsctl add-br br0 -- add-port br0 p1 -- set Interface p1 type=dummy -- add-port br0 p2 -- set Interface p2 type=dummy' >/dev/null
  ovs-appctl netdev-dummy/receive p1 'eth(src=50:54:00:00:00:01,dst=ff:ff:ff:ff:ff:ff),eth_type(0x0800)'
  until [ -n "$(ovs-appctl netdev-dummy/tx-dump p2)" ]; do sleep 0.01; done
  t2=$(date +%s%N)
  pid=$(cat "$var/run/ovs-vswitchd.pid")
  rss=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
  threads=$(ls "/proc/$pid/task" | wc -l)
  "$dist/bin/jvswitch" stop >/dev/null
  printf 'run %d: control socket %d ms, first packet forwarded %d ms, RSS %d MiB, %d threads\n' \
    "$i" $(( (t1 - t0) / 1000000 )) $(( (t2 - t0) / 1000000 )) $(( rss / 1024 )) "$threads"
  rm -rf "$var"
done
