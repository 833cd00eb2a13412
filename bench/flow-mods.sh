#!/usr/bin/env bash
# The flow-mod race: adds N flows (default 100,000) with the real `ovs-ofctl add-flows` to a
# bridge of the packaged jvswitch and times it; with --compare-ovs the same file goes, in the
# same run, to Debian's Open vSwitch (ovs-vswitchd with its userspace datapath and dummy ports).
# Last line:  flow-mods flows_per_s=<x> [ovs_flows_per_s=<z> ratio=<x/z>]
#
# Usage: bench/run.sh flow-mods [--flows N] [--compare-ovs]
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$here")
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
flows=100000
compare=0
while [ $# -gt 0 ]; do
  case "$1" in
    --flows) flows=$2; shift 2 ;;
    --compare-ovs) compare=1; shift ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done
dist=$root/runtime/target/jvswitch
[ -x "$dist/bin/jvswitch" ] || (cd "$root" && mvn -B -q -o install -DskipTests)
. "$here/ovs-dpdk.sh"
work=$(mktemp -d /tmp/flow-mods.XXXXXX)
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

# N distinct flows over three tables' worth of fields, as a controller would write them.
file=$work/flows.txt
awk -v n="$flows" 'BEGIN {
  for (i = 0; i < n; i++) {
    printf "priority=%d,ip,in_port=%d,nw_dst=10.%d.%d.%d,actions=mod_dl_dst:02:00:00:00:%02x:%02x,output:%d\n",
      100 + i % 1000, 1 + i % 2, int(i / 65536) % 256, int(i / 256) % 256, i % 256, int(i / 256) % 256, i % 256, 2 - i % 2
  }
}' > "$file"

# Adds the file to br0 of the switch OVS_RUNDIR points at; prints the seconds it took.
race() {
  local t0 t1 count
  t0=$(date +%s.%N)
  /usr/bin/time -f "ovs-ofctl cpu: user %U s, sys %S s" ovs-ofctl add-flows br0 "$file"
  t1=$(date +%s.%N)
  count=$(ovs-ofctl dump-aggregate br0 | sed -n 's/.*flow_count=\([0-9]*\).*/\1/p')
  if [ "$count" != "$flows" ]; then
    echo "flow-mods: expected $flows flows, the switch has $count" >&2
    exit 1
  fi
  echo "$t1 - $t0" | bc -l
}

bridge() {
  ovs-vsctl add-br br0 -- set bridge br0 datapath_type=netdev fail_mode=secure \
    -- add-port br0 p1 -- set Interface p1 type=dummy ofport_request=1 \
    -- add-port br0 p2 -- set Interface p2 type=dummy ofport_request=2
}

mkdir -p "$work/jv"
export JVSWITCH_VAR=$work/jv OVS_RUNDIR=$work/jv/run
"$dist/bin/jvswitch" start >/dev/null
jv_started=1
bridge
jv_s=$(race)
jv_rate=$(echo "$flows / $jv_s" | bc)
echo "jvswitch: $flows flows in ${jv_s}s = $jv_rate flows/s"
JVSWITCH_VAR=$work/jv "$dist/bin/jvswitch" stop >/dev/null
jv_started=0

if [ "$compare" -eq 1 ]; then
  start_ovs_dummy
  bridge
  ovs_s=$(race)
  ovs_rate=$(echo "$flows / $ovs_s" | bc)
  echo "Open vSwitch: $flows flows in ${ovs_s}s = $ovs_rate flows/s"
  echo "flow-mods flows_per_s=$jv_rate ovs_flows_per_s=$ovs_rate ratio=$(echo "scale=2; $jv_rate / $ovs_rate" | bc)"
else
  echo "flow-mods flows_per_s=$jv_rate"
fi
