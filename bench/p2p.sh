#!/usr/bin/env bash
# The DPDK port-to-port race: two dpdk ports on virtual devices, one PMD thread on core 1, a
# fail_mode=secure bridge programmed with ovs-ofctl; jvswitch first and, with --compare-ovs and
# Debian's openvswitch-switch-dpdk installed, Open vSwitch-DPDK the same way in the same run.
# The source port p0 is net_null0 (it makes 64-byte frames as fast as it is polled) or, with
# --flows N, net_pcap0 replaying a pcap of N distinct 64-byte UDP flows forever (infinite_rx=1);
# the sink p1 is net_null1 (it frees what it is given). Prints as its LAST line
#     p2p-null mpps=<x> cycles_per_pkt=<y> [ovs_mpps=<z> ovs_cycles_per_pkt=<w> ratio=<x/z>]
# mpps = packets the PMD received per second in the window; cycles per packet from
# dpif-netdev/pmd-stats-show (jvswitch counts nanoseconds: converted with the core's MHz).
#
# With --rounds N the two switches take turns N times, each round started afresh, and the line
# gives each switch's median, the ratio of the medians and every round's figure
# (... rounds=N jvswitch=<a,b,..> ovs=<c,d,..>): one start to the next moves both by 10-15% here.
#
# Usage: bench/p2p.sh [--flows N] [--rules inport|l3|l2|xlate] [--upcalls] [--compare-ovs] [--rounds N] [--seconds S]
#   inport: in_port=1,actions=output:2
#   l3:     ip,in_port=1,nw_dst=10.1.0.1,actions=output:2 (one megaflow; every packet is looked up)
#   l2:     inport plus a higher-priority (40000) decoy dl_src=02:de:ad:be:ef:01,actions=drop, so that each
#           flow (each has its own source MAC) gets its own megaflow
#   xlate:  the 1,000 rules over 3 tables of bench/megaflows.sh, and N TCP flows through them (to
#           ruled and unruled destinations and ports), so that the flows make many megaflows
# --upcalls measures the translation instead of forwarding, on a warm switch (see
# measure_upcalls): every flow goes up once, and the LAST line is
#     upcalls us_per_upcall=<x> upcalls_per_s=<1e6/x> [ovs_us_per_upcall=<z> ovs_upcalls_per_s=<..> ratio=<z/x>]
# from dpif-netdev/pmd-perf-show's "Upcalls" line (the PMD's time in upcalls: miss, translation
# through the OpenFlow tables, megaflow install), on both switches. P2P_KEEP=/tmp/x keeps the
# datapath flows of an --upcalls run as /tmp/x.jvswitch and /tmp/x.ovs.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$here")
flows=0
rules=inport
compare=0
upcalls=0
secs=10
rounds=1
while [ $# -gt 0 ]; do
  case "$1" in
    --flows) flows=$2; shift 2 ;;
    --rules) rules=$2; shift 2 ;;
    --compare-ovs) compare=1; shift ;;
    --upcalls) upcalls=1; shift ;;
    --seconds) secs=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    *) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "${BASH_SOURCE[0]}" >&2; exit 2 ;;
  esac
done
case "$rules" in inport|l3|l2|xlate) ;; *) echo "unknown --rules $rules" >&2; exit 2 ;; esac
[ "$rules" != inport ] && [ "$flows" -eq 0 ] && flows=1
[ "$rules" = xlate ] && [ "$flows" -lt 2 ] && flows=4096   # Open vSwitch-DPDK replays no more than ~6,400

dist=$root/runtime/target/jvswitch
[ -x "$dist/bin/jvswitch" ] || (cd "$root" && ./dev build)
command -v ovs-vsctl >/dev/null || { echo "needs Debian's openvswitch-switch (./dev test installs it)" >&2; exit 1; }
[ -e /usr/lib/x86_64-linux-gnu/librte_eal.so.23 ] || (cd "$root" && ./dev dpdk)
. "$here/ovs-dpdk.sh"

work=$(mktemp -d /tmp/jvswitch-p2p.XXXXXX)
pids=()
cleanup() {
  "$dist/bin/jvswitch" stop >/dev/null 2>&1 || true
  end_started
  rm -rf "$work"
}
trap cleanup EXIT

src=net_null0
if [ "$flows" -gt 0 ]; then
  python3 - "$work/flows.pcap" "$flows" "$rules" <<'EOF'
import random, struct, sys
path, n, rules = sys.argv[1], int(sys.argv[2]), sys.argv[3]
random.seed(7)
def csum(h):
    s = sum(struct.unpack('!10H', h))
    while s >> 16: s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff
with open(path, 'wb') as o:
    o.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
    for i in range(n):
        eth = bytes([0x50, 0x54, 0, 0, 0, 2, 0x02, 0x10, (i >> 16) & 0xff, (i >> 8) & 0xff, i & 0xff, 1]) + b'\x08\x00'
        if rules == 'xlate':
            # TCP to one of 600 destinations (500 have rules), port 80-84 (ruled) or any.
            d = random.randrange(600)
            port = 80 + random.randrange(5) if random.random() < 0.7 else random.randrange(1024, 65535)
            ip = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 50, i & 0xffff, 0, 64, 6, 0,
                             bytes([192, 168, (i >> 8) & 0xff, i & 0xff]), bytes([10, 0, d >> 8, d & 0xff]))
            l4 = struct.pack('!HHIIBBHHH', 1024 + (i % 50000), port, 0, 0, 0x50, 0x02, 8192, 0, 0) + bytes(10)
        else:
            ip = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 50, i & 0xffff, 0, 64, 17, 0,
                             bytes([10, (i >> 16) & 0xff, (i >> 8) & 0xff, i & 0xff]), bytes([10, 1, 0, 1]))
            l4 = struct.pack('!HHHH', 1024 + (i % 50000), 2000, 30, 0) + bytes(22)
        ip = ip[:10] + struct.pack('!H', csum(ip)) + ip[12:]
        f = eth + ip + l4
        o.write(struct.pack('<IIII', 0, 0, len(f), len(f)) + f)
EOF
  src="net_pcap0,rx_pcap=$work/flows.pcap,infinite_rx=1"
fi
flow_rules=()
case "$rules" in
  inport) flow_rules=("in_port=1,actions=output:2") ;;
  l3) flow_rules=("ip,in_port=1,nw_dst=10.1.0.1,actions=output:2") ;;
  l2) flow_rules=("in_port=1,actions=output:2" "priority=40000,dl_src=02:de:ad:be:ef:01,actions=drop") ;;
  xlate) flow_rules=() ;;
esac
rules_file=
if [ "$rules" = xlate ]; then
  rules_file=$work/rules.txt
  awk -f "$here/xlate-rules.awk" > "$rules_file"
fi

# Sets up the bridge with the client environment already pointing at a switch.
configure() {
  local prefix=$1
  # pmd-perf-metrics: Open vSwitch counts the cycles of upcalls only with it.
  ovs-vsctl --timeout=60 set Open_vSwitch . other_config:dpdk-init=true \
    "other_config:dpdk-extra=--no-pci --file-prefix=$prefix" other_config:pmd-cpu-mask=0x2 \
    other_config:pmd-perf-metrics=$([ "$upcalls" -eq 1 ] && echo true || echo false)
  ovs-vsctl --timeout=60 add-br br0 -- set bridge br0 datapath_type=netdev fail_mode=secure \
    -- add-port br0 p1 -- set Interface p1 type=dpdk options:dpdk-devargs=net_null1 ofport_request=2
  local r
  for r in "${flow_rules[@]}"; do ovs-ofctl add-flow br0 "$r"; done
  if [ -n "$rules_file" ]; then ovs-ofctl add-flows br0 "$rules_file"; fi
  # --upcalls adds the source once the counters are cleared (measure_upcalls).
  [ "$upcalls" -eq 1 ] || add_source
}

add_source() {
  ovs-vsctl --timeout=60 add-port br0 p0 -- set Interface p0 type=dpdk "options:dpdk-devargs=$src" ofport_request=1
}

# Prints "<packets> <cycles per packet as pmd-stats-show says>" for the PMD on core 1.
measure() {
  sleep 3   # warm up: JIT, caches, megaflows
  ovs-appctl "${appctl_target[@]}" dpif-netdev/pmd-stats-clear >/dev/null
  sleep "$secs"
  local stats
  stats=$(ovs-appctl "${appctl_target[@]}" dpif-netdev/pmd-stats-show -pmd 1)
  echo "$stats" >&2
  echo "$(echo "$stats" | awk -F': ' '/packets received/ {print $2; exit}') $(echo "$stats" | awk '/avg cycles per packet/ {print $5; exit}')"
}

# Prints "<upcalls> <us per upcall>" of a warm switch. Warm-up: the source comes in four times,
# alternately on ports 1 and 3, for 2 s each and is removed (the datapath drops a removed port's
# flows, so each time every flow goes up again: some 25,000 translations, enough for the JIT to
# compile jvswitch's). Then the counters are cleared, the source comes in once more, every flow
# goes up, and pmd-perf-show tells the PMD's time in upcalls. (Deleting the datapath's flows
# instead would not do: Open vSwitch keeps their ukeys a while and will not reinstall them.)
measure_upcalls() {
  local round port
  for round in 1 2 3 4 5; do
    port=$(( round % 2 == 1 ? 1 : 3 ))
    [ "$round" -eq 5 ] && ovs-appctl "${appctl_target[@]}" dpif-netdev/pmd-stats-clear >/dev/null
    ovs-vsctl --timeout=60 add-port br0 "s$round" -- set Interface "s$round" type=dpdk \
      "options:dpdk-devargs=${src/net_pcap0/net_pcap$round}" "ofport_request=$port"
    [ "$round" -eq 5 ] && break
    sleep 2
    ovs-vsctl --timeout=60 del-port br0 "s$round"
    sleep 1
  done
  sleep "$secs"
  local stats
  stats=$(ovs-appctl "${appctl_target[@]}" dpif-netdev/pmd-perf-show -pmd 1)
  echo "$stats" >&2
  if [ -n "${P2P_KEEP:-}" ]; then ovs-appctl "${appctl_target[@]}" dpctl/dump-flows > "$P2P_KEEP.$1"; fi
  echo "$stats" | awk '/- Upcalls:/ { gsub(/[(,%]/, " "); print $3, $5; exit }'
}

per_second() { awk -v u="$1" 'BEGIN { printf "%.0f", (u > 0) ? 1e6 / u : 0 }'; }

mhz=$(awk -F': *' '/^processor/ { p = $2 } /^cpu MHz/ && p == 1 { print $2; exit }' /proc/cpuinfo)
[ -n "$mhz" ] || mhz=$(awk -F': *' '/^cpu MHz/ { print $2; exit }' /proc/cpuinfo)

# One round of jvswitch: its figures go to ours, ours_cpp and ours_measured.
round_jvswitch() {
  echo "== jvswitch: p0=$src rules=$rules" >&2
  start_jvswitch_fresh
  configure "jvswitch-p2p-$$"
  run_measure jvswitch
  "$dist/bin/jvswitch" stop >/dev/null
  # pmd-stats-show counts nanoseconds here: in cycles with the core's MHz.
  ours+=("$val"); ours_cpp+=("$(awk -v n="$cpp" -v m="$mhz" 'BEGIN { printf "%.1f", n * m / 1000 }')")
  ours_measured=$measured
}

# One round of Open vSwitch-DPDK: its figures go to theirs, theirs_cpp and theirs_measured.
round_ovs() {
  echo "== Open vSwitch-DPDK: p0=$src rules=$rules" >&2
  rm -rf "$work/ovs"
  start_ovs_dpdk
  configure "ovs-p2p-$$"
  run_measure ovs
  end_ovs_round
  theirs+=("$val"); theirs_cpp+=("$cpp"); theirs_measured=$measured
}

# Sets val (Mpps, or µs per upcall), cpp (as pmd-stats-show says) and measured (upcalls).
run_measure() {
  local n x
  if [ "$upcalls" -eq 1 ]; then
    read -r n x < <(measure_upcalls "$1")
    val=$x; cpp=0; measured=$n
  else
    read -r n x < <(measure)
    val=$(awk -v p="$n" -v t="$secs" 'BEGIN { printf "%.2f", p / t / 1e6 }'); cpp=$x
  fi
}

check_compare
ours=(); ours_cpp=(); theirs=(); theirs_cpp=()
measured=0; ours_measured=0; theirs_measured=0
race_rounds "$rounds"
a=$(echo "${ours[*]}" | median)
if [ "$upcalls" -eq 1 ]; then
  line="upcalls us_per_upcall=$a upcalls_per_s=$(per_second "$a") upcalls_measured=$ours_measured"
else
  line="p2p-null mpps=$a cycles_per_pkt=$(echo "${ours_cpp[*]}" | median)"
fi
if [ "$compare" -eq 1 ]; then
  b=$(echo "${theirs[*]}" | median)
  if [ "$upcalls" -eq 1 ]; then
    ratio=$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.2f", (a > 0) ? b / a : 0 }')
    line="$line ovs_us_per_upcall=$b ovs_upcalls_per_s=$(per_second "$b") ovs_upcalls_measured=$theirs_measured ratio=$ratio"
  else
    ratio=$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.2f", (b > 0) ? a / b : 0 }')
    line="$line ovs_mpps=$b ovs_cycles_per_pkt=$(echo "${theirs_cpp[*]}" | median) ratio=$ratio"
  fi
fi
if [ "$rounds" -gt 1 ]; then
  line="$line rounds=$rounds jvswitch=$(IFS=,; echo "${ours[*]}")"
  [ "$compare" -eq 1 ] && line="$line ovs=$(IFS=,; echo "${theirs[*]}")"
fi
echo "$line"
