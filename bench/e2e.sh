#!/usr/bin/env bash
# End-to-end datapath benchmark of the packaged switch: a dummy-pmd port generating traffic
# (options:gen-flows=N, source IP cycling through N values) -> bridge br0 (NORMAL, the MAC of the
# sink learned beforehand, so traffic is unicast) -> a dummy port that counts and frees. One PMD
# thread on core 1 (pmd-cpu-mask=0x2) does everything. Prints as its LAST line
#     SCENARIO mpps=<x> cycles_per_pkt=<y>
# where mpps is packets the PMD received per second over the measurement window and cycles per
# packet is the PMD's time per packet (pmd-stats-show counts nanoseconds; converted with the
# core's cpu MHz, as bench/run.sh does).
#
# dummy-pmd-flow-setup measures the upcall path instead: the generator cycles through 16 million
# source addresses, the bridge is fail_mode=secure with one OpenFlow rule that reads the whole
# source address (ip,actions=move:NXM_OF_IP_SRC[]->NXM_NX_REG0[],output:sink), so every packet
# of a new source misses, goes up, is translated and installs its own megaflow (flow-limit
# raised to 4 million); its LAST line is
#     dummy-pmd-flow-setup flows_per_s=<new megaflows per second> upcalls=<n> megaflows=<m>
#
# Usage: bench/e2e.sh dummy-pmd-1flow|dummy-pmd-1kflows|dummy-pmd-100kflows|dummy-pmd-flow-setup [seconds, default 5]
# E2E_OTHER_CONFIG adds Open_vSwitch other_config keys (e.g. "smc-enable=true"); E2E_GC_LOG=FILE
# writes the switch JVM's GC log there and reports the collections during the measured window.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$here")
scenario=${1:?scenario}
secs=${2:-5}
case "$scenario" in
  dummy-pmd-1flow) flows=1 ;;
  dummy-pmd-1kflows) flows=1000 ;;
  dummy-pmd-100kflows) flows=100000 ;;
  dummy-pmd-flow-setup) flows=16000000; secs=${2:-2} ;;
  *) echo "unknown scenario $scenario" >&2; exit 2 ;;
esac
dist=$root/runtime/target/jvswitch
[ -x "$dist/bin/jvswitch" ] || (cd "$root" && ./dev build)
command -v ovs-appctl >/dev/null || { echo "needs ovs-appctl (./dev test installs it)" >&2; exit 1; }

var=$(mktemp -d /tmp/jvswitch-e2e.XXXXXX)
export JVSWITCH_VAR=$var OVS_RUNDIR=$var/run
if [ -n "${E2E_GC_LOG:-}" ]; then
  export JVSWITCH_JAVA_OPTS="${JVSWITCH_JAVA_OPTS:-} -Xlog:gc:file=$E2E_GC_LOG:uptime"
fi
cleanup() {
  "$dist/bin/jvswitch" stop >/dev/null 2>&1 || true
  rm -rf "$var"
}
trap cleanup EXIT
"$dist/bin/jvswitch" start >/dev/null
vsctl() { "$dist/bin/jvswitch" shell "vsctl:vsctl $*" >/dev/null; }
extra=""
for kv in ${E2E_OTHER_CONFIG:-}; do extra="$extra other_config:$kv"; done
vsctl add-br br0 -- set bridge br0 datapath_type=netdev -- set Open_vSwitch . other_config:pmd-cpu-mask=0x2 $extra
vsctl add-port br0 sink -- set Interface sink type=dummy options:tx-keep=false ofport_request=1
if [ "$scenario" = dummy-pmd-flow-setup ]; then
  vsctl set bridge br0 fail_mode=secure -- set Open_vSwitch . other_config:flow-limit=4000000
  ovs-ofctl add-flow br0 'ip,actions=move:NXM_OF_IP_SRC[]->NXM_NX_REG0[],output:1'
else
  ovs-appctl netdev-dummy/receive sink 'eth(src=50:54:00:00:00:02,dst=ff:ff:ff:ff:ff:ff),eth_type(0x0800)'
fi
vsctl add-port br0 gen -- set Interface gen type=dummy-pmd options:gen-flows=$flows options:tx-keep=false
sleep 2   # warm up: JIT, megaflow, caches
ovs-appctl dpif-netdev/pmd-stats-clear >/dev/null
flows_before=$(ovs-appctl dpctl/show | awk '/flows:/ { print $2; exit }')
gc_before=$( [ -n "${E2E_GC_LOG:-}" ] && grep -c 'Pause' "$E2E_GC_LOG" || echo 0)
sleep "$secs"
if [ -n "${E2E_GC_LOG:-}" ]; then
  echo "GC pauses during the ${secs} s window: $(( $(grep -c 'Pause' "$E2E_GC_LOG" || true) - gc_before )) (log: $E2E_GC_LOG)" >&2
fi
stats=$(ovs-appctl dpif-netdev/pmd-stats-show -pmd 1)
echo "$stats" >&2
if [ "$scenario" = dummy-pmd-flow-setup ]; then
  upcalls=$(echo "$stats" | awk -F': ' '/miss with success upcall/ {print $2; exit}')
  flows_after=$(ovs-appctl dpctl/show | awk '/flows:/ { print $2; exit }')
  awk -v s="$scenario" -v u="$upcalls" -v t="$secs" -v m="$(( flows_after - flows_before ))" \
    'BEGIN { printf "%s flows_per_s=%.0f upcalls=%d megaflows=%d\n", s, m / t, u, m }'
  exit 0
fi
pkts=$(echo "$stats" | awk -F': ' '/packets received/ {print $2; exit}')
ns_per_pkt=$(echo "$stats" | awk '/avg cycles per packet/ {print $5; exit}')
mhz=$(awk -F': *' '/^processor/ { p = $2 } /^cpu MHz/ && p == 1 { print $2; exit }' /proc/cpuinfo)
[ -n "$mhz" ] || mhz=$(awk -F': *' '/^cpu MHz/ { print $2; exit }' /proc/cpuinfo)
awk -v s="$scenario" -v p="$pkts" -v t="$secs" -v n="$ns_per_pkt" -v m="$mhz" \
  'BEGIN { printf "%s mpps=%.2f cycles_per_pkt=%.1f\n", s, p / t / 1e6, n * m / 1000 }'
