#!/usr/bin/env bash
# Megaflows for the same OpenFlow rules and the same traffic, jvswitch beside Open vSwitch: the
# 1,000 rules over 3 tables of bench/run.sh xlate (table 0 by input port and TCP port, table 1
# by IPv4 destination loading reg0, table 2 by reg0 and TCP port), loaded with ovs-ofctl
# add-flows into a bridge of dummy ports, and the same packets sent in with netdev-dummy/receive
# (TCP to ruled and unruled ports, UDP, ARP, from random sources). The datapath flows are counted
# with `ovs-appctl dpctl/dump-flows` on both.
# Last line:  megaflows packets=<n> jvswitch=<x> ovs=<z>
#
# Usage: bench/run.sh megaflows [--packets N]     (MEGAFLOWS_KEEP=/tmp/x keeps both dumps as /tmp/x.jvswitch, /tmp/x.ovs)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$here")
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
packets=600
while [ $# -gt 0 ]; do
  case "$1" in
    --packets) packets=$2; shift 2 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done
dist=$root/runtime/target/jvswitch
[ -x "$dist/bin/jvswitch" ] || (cd "$root" && mvn -B -q -o install -DskipTests)
. "$here/ovs-dpdk.sh"
work=$(mktemp -d /tmp/megaflows.XXXXXX)
pids=()
jv_started=0
cleanup() {
  if [ "$jv_started" -eq 1 ]; then
    JVSWITCH_VAR=$work/jv "$dist/bin/jvswitch" stop >/dev/null 2>&1 || true
  fi
  end_started
  rm -rf "$work"
}
trap cleanup EXIT

rules=$work/rules.txt
awk -f "$here/xlate-rules.awk" > "$rules"

# The traffic: one datapath flow text per line, "<port> <flow>".
traffic=$work/traffic.txt
awk -v n="$packets" 'BEGIN {
  srand(7)
  for (i = 0; i < n; i++) {
    p = 1 + int(rand() * 4); kind = rand()
    src = sprintf("52:00:00:%02x:%02x:%02x", int(rand() * 256), int(rand() * 256), int(rand() * 256))
    sip = sprintf("192.168.%d.%d", int(rand() * 256), int(rand() * 256))
    d = int(rand() * 600)
    dip = sprintf("10.0.%d.%d", int(d / 256), d % 256)
    eth = sprintf("in_port(%d),eth(src=%s,dst=54:00:00:00:00:%02x)", p, src, int(rand() * 256))
    if (kind < 0.7) {
      printf "p%d %s,eth_type(0x0800),ipv4(src=%s,dst=%s,proto=6,tos=0,ttl=64,frag=no),tcp(src=%d,dst=%d)\n", p, eth, sip, dip, 1024 + int(rand() * 60000), 80 + int(rand() * 5)
    } else if (kind < 0.85) {
      printf "p%d %s,eth_type(0x0800),ipv4(src=%s,dst=%s,proto=6,tos=0,ttl=64,frag=no),tcp(src=%d,dst=443)\n", p, eth, sip, dip, 1024 + int(rand() * 60000)
    } else if (kind < 0.95) {
      printf "p%d %s,eth_type(0x0800),ipv4(src=%s,dst=%s,proto=17,tos=0,ttl=64,frag=no),udp(src=%d,dst=53)\n", p, eth, sip, dip, 1024 + int(rand() * 60000)
    } else {
      printf "p%d %s,eth_type(0x0806),arp(sip=%s,tip=%s,op=1,sha=%s,tha=00:00:00:00:00:00)\n", p, eth, sip, dip, src
    }
  }
}' > "$traffic"

bridge() {
  ovs-vsctl add-br br0 -- set bridge br0 datapath_type=netdev fail_mode=secure \
    -- add-port br0 p1 -- set Interface p1 type=dummy ofport_request=1 \
    -- add-port br0 p2 -- set Interface p2 type=dummy ofport_request=2 \
    -- add-port br0 p3 -- set Interface p3 type=dummy ofport_request=3 \
    -- add-port br0 p4 -- set Interface p4 type=dummy ofport_request=4
  ovs-ofctl add-flows br0 "$rules"
}

# Sends the traffic, then prints the number of datapath flows.
send_and_count() {
  local port flow
  while read -r port flow; do
    ovs-appctl "${appctl_target[@]}" netdev-dummy/receive "$port" "$flow" >/dev/null
  done < "$traffic"
  sleep 1
  ovs-appctl "${appctl_target[@]}" dpctl/dump-flows > "$work/dump.txt"
  if [ -n "${MEGAFLOWS_KEEP:-}" ]; then cp "$work/dump.txt" "$MEGAFLOWS_KEEP.$1"; fi
  grep -c 'actions:' "$work/dump.txt" || true
}

mkdir -p "$work/jv"
export JVSWITCH_VAR=$work/jv OVS_RUNDIR=$work/jv/run
"$dist/bin/jvswitch" start >/dev/null
jv_started=1
appctl_target=()
bridge
jv=$(send_and_count jvswitch)
echo "jvswitch: $jv megaflows for $packets packets"
JVSWITCH_VAR=$work/jv "$dist/bin/jvswitch" stop >/dev/null
jv_started=0

start_ovs_dummy
bridge
o=$(send_and_count ovs)
echo "Open vSwitch: $o megaflows for $packets packets"
echo "megaflows packets=$packets jvswitch=$jv ovs=$o"
