#!/usr/bin/env bash
# vhost loopback: dpdk-testpmd with two virtio-user ports in io-forward mode plays the guest; the
# switch forwards vhost port 1 <-> port 2 on one PMD (core 1) with the ovs-ofctl rules
# in_port=1,actions=output:2 and in_port=2,actions=output:1; testpmd (on core 0) sends a first
# burst on each port (--tx-first) and forwards whatever comes back, so the packets circulate.
# jvswitch first, then Open vSwitch-DPDK the same way when installed (--compare-ovs). Prints as
# its LAST line
#     vhost-loop mpps=<x> [ovs_mpps=<z> ratio=<x/z>]
# mpps = packets the PMD received per second in the window (pmd-stats-show).
# With --rounds N the two switches take turns N times (each round starts everything afresh: the
# per-packet cost of both moves by up to 50% from one start to the next, with where the guest's
# memory lands), and the line gives the median of each switch, the ratio of the medians, and
# every round's figures:
#     vhost-loop mpps=<median> ovs_mpps=<median> ratio=<x/z> rounds=N jvswitch=<a,b,..> ovs=<c,d,..>
#
# Usage: bench/vhost-loop.sh [--compare-ovs] [--rounds N] [--seconds S] [--burst N]
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$here")
compare=0
secs=10
burst=32
rounds=1
while [ $# -gt 0 ]; do
  case "$1" in
    --compare-ovs) compare=1; shift ;;
    --seconds) secs=$2; shift 2 ;;
    --burst) burst=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    *) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "${BASH_SOURCE[0]}" >&2; exit 2 ;;
  esac
done
dist=$root/runtime/target/jvswitch
[ -x "$dist/bin/jvswitch" ] || (cd "$root" && ./dev build)
[ -e /usr/lib/x86_64-linux-gnu/librte_eal.so.23 ] || (cd "$root" && ./dev dpdk)
. "$here/ovs-dpdk.sh"

work=$(mktemp -d /tmp/jvswitch-vloop.XXXXXX)
pids=()
guest_pid=
guest_prefix=
stop_guest() {
  if [ -n "$guest_pid" ]; then
    exec 3>&-   # end of input: testpmd stops its ports and exits
    for _ in $(seq 1 50); do kill -0 "$guest_pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$guest_pid" 2>/dev/null || true
    rm -f /dev/hugepages/"$guest_prefix"*
    # The guest's own count, per port: a packet lost anywhere shrinks the circulating population.
    grep -E 'Forward statistics for port|RX-packets|TX-packets' "$work/testpmd-$guest_prefix.log" >&2 || true
    guest_pid=
  fi
}
cleanup() {
  stop_guest
  "$dist/bin/jvswitch" stop >/dev/null 2>&1 || true
  end_started
  rm -rf "$work"
}
trap cleanup EXIT

# $1: directory of the two sockets, $2: file prefix
start_guest() {
  guest_prefix=$2
  rm -f "$work/stdin"
  mkfifo "$work/stdin"
  dpdk-testpmd --no-pci --file-prefix="$2" --single-file-segments \
    --vdev="net_virtio_user0,path=$1/vhost-user1" --vdev="net_virtio_user1,path=$1/vhost-user2" \
    --lcores=0@0,1@0 -- --forward-mode=io --auto-start --tx-first --burst="$burst" --stats-period 5 \
    < "$work/stdin" > "$work/testpmd-$2.log" 2>&1 &
  guest_pid=$!
  # testpmd runs until its input ends: keep the fifo open for writing until stop_guest.
  exec 3>"$work/stdin"
}

configure() {
  ovs-vsctl --timeout=60 set Open_vSwitch . other_config:dpdk-init=true \
    "other_config:dpdk-extra=--no-pci --file-prefix=$1" other_config:pmd-cpu-mask=0x2
  ovs-vsctl --timeout=60 add-br br0 -- set bridge br0 datapath_type=netdev fail_mode=secure \
    -- add-port br0 vhost-user1 -- set Interface vhost-user1 type=dpdkvhostuser ofport_request=1 \
    -- add-port br0 vhost-user2 -- set Interface vhost-user2 type=dpdkvhostuser ofport_request=2
  ovs-ofctl add-flow br0 in_port=1,actions=output:2
  ovs-ofctl add-flow br0 in_port=2,actions=output:1
}

# Prints the packets the PMD on core 1 received in the window.
measure() {
  sleep 3
  ovs-appctl "${appctl_target[@]}" dpif-netdev/pmd-stats-clear >/dev/null
  sleep "$secs"
  local stats
  stats=$(ovs-appctl "${appctl_target[@]}" dpif-netdev/pmd-stats-show -pmd 1)
  echo "$stats" >&2
  echo "$stats" | awk -F': ' '/packets received/ {print $2; exit}'
}

# One round of jvswitch: its Mpps go to ours.
round_jvswitch() {
  echo "== jvswitch" >&2
  start_jvswitch_fresh
  configure "jvswitch-vloop-$$"
  start_guest "$OVS_RUNDIR" "vloop-g1-$$"
  local pkts
  pkts=$(measure)
  stop_guest
  "$dist/bin/jvswitch" stop >/dev/null
  ours+=("$(awk -v p="$pkts" -v t="$secs" 'BEGIN { printf "%.2f", p / t / 1e6 }')")
}

# One round of Open vSwitch-DPDK: its Mpps go to theirs.
round_ovs() {
  echo "== Open vSwitch-DPDK" >&2
  rm -rf "$work/ovs"
  start_ovs_dpdk
  configure "ovs-vloop-$$"
  start_guest "$OVS_RUNDIR" "vloop-g2-$$"
  local pkts
  pkts=$(measure)
  stop_guest
  end_ovs_round
  theirs+=("$(awk -v p="$pkts" -v t="$secs" 'BEGIN { printf "%.2f", p / t / 1e6 }')")
}

check_compare
ours=()
theirs=()
race_rounds "$rounds"
mpps=$(echo "${ours[*]}" | median)
line="vhost-loop mpps=$mpps"
if [ "$compare" -eq 1 ]; then
  ompps=$(echo "${theirs[*]}" | median)
  ratio=$(awk -v a="$mpps" -v b="$ompps" 'BEGIN { printf "%.2f", (b > 0) ? a / b : 0 }')
  line="$line ovs_mpps=$ompps ratio=$ratio"
fi
if [ "$rounds" -gt 1 ]; then
  line="$line rounds=$rounds jvswitch=$(IFS=,; echo "${ours[*]}")"
  [ "$compare" -eq 1 ] && line="$line ovs=$(IFS=,; echo "${theirs[*]}")"
fi
echo "$line"
