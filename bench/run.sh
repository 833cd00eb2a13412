#!/usr/bin/env bash
# Runs one datapath benchmark, pinned to core 1, and prints as its LAST line
#     SCENARIO mpps=<x> cycles_per_pkt=<y>        (flow-setup: flow-setup flows_per_s=<z>;
#                                                  xlate: xlate translations_per_s=<t> ns_per_translation=<n>)
# so that runs can be compared by machine.
#
# Usage: bench/run.sh SCENARIO [extra JMH args]
#   SCENARIO: inproc-batch extract-tcp extract-vlan extract-ipv6 emc-hit dpcls-1 dpcls-10 dpcls-100
#             flow-setup; dummy-pmd-1flow dummy-pmd-1kflows dummy-pmd-100kflows dummy-pmd-flow-setup (bench/e2e.sh:
#             the packaged switch, a generator port through NORMAL to a sink, PMD on core 1);
#             p2p-null [--flows N] [--rules inport|l3|l2|xlate] [--upcalls] [--compare-ovs] (bench/p2p.sh: two dpdk
#             ports on net_null/net_pcap, one PMD, the race against Open vSwitch-DPDK);
#             vhost-loop [--compare-ovs] (bench/vhost-loop.sh: testpmd guest looping through two
#             vhost-user ports); flow-mods [--flows N] [--compare-ovs] (bench/flow-mods.sh: ovs-ofctl
#             add-flows of N flows, timed, against Open vSwitch); megaflows [--packets N]
#             (bench/megaflows.sh: datapath flows for the same rules and traffic, beside Open vSwitch);
#             xlate (XlateBench: upcall translations through 1,000 rules in 3 tables)
#   Short by default: 3 warmup x 1 s, 5 measurement x 1 s, 1 fork (flow-setup: 10 + 10 single
#   shots of 100,000 new flows each, since a young collection copying the live flows lands in
#   some of them). Any of -wi -w -i -r -f given in the extra args replaces run.sh's default;
#   e.g.  bench/run.sh inproc-batch -i 10 -r 5s      bench/run.sh inproc-batch -prof gc
#   Environment: JAVA_HOME (default temurin 25), BENCH_CPU (default 1), BENCH_JAR,
#   BENCH_NO_BUILD=1 (do not rebuild a jar older than the sources).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$here")
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
java=$JAVA_HOME/bin/java
jar=${BENCH_JAR:-$here/target/benchmarks.jar}
cpu=${BENCH_CPU:-1}

usage() {
  awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "${BASH_SOURCE[0]}" >&2
  exit 2
}
[ $# -ge 1 ] || usage
scenario=$1
shift
case "$scenario" in
  dummy-pmd-*) exec "$here/e2e.sh" "$scenario" "$@" ;;   # the packaged switch end to end
  p2p-null) exec "$here/p2p.sh" "$@" ;;                    # dpdk ports, against Open vSwitch-DPDK
  vhost-loop) exec "$here/vhost-loop.sh" "$@" ;;           # vhost-user ports with a testpmd guest
  flow-mods) exec "$here/flow-mods.sh" "$@" ;;             # ovs-ofctl add-flows, against Open vSwitch
  megaflows) exec "$here/megaflows.sh" "$@" ;;             # datapath flows for the same rules and packets
esac

# scenario -> JMH benchmark (anchored regex), its parameters, packets per JMH operation
params=()
pkts_per_op=1
case "$scenario" in
  inproc-batch) bench='\.InprocBatchBench\.batch$'; pkts_per_op=32 ;;
  extract-tcp)  bench='\.ExtractBench\.tcp$' ;;
  extract-vlan) bench='\.ExtractBench\.vlan$' ;;
  extract-ipv6) bench='\.ExtractBench\.ipv6$' ;;
  emc-hit)      bench='\.EmcBench\.hit$' ;;
  dpcls-1|dpcls-10|dpcls-100)
                bench='\.DpclsBench\.lookup$'; params=(-p "subtables=${scenario#dpcls-}") ;;
  flow-setup)   bench='\.FlowSetupBench\.install$'; pkts_per_op=32 ;;
  xlate)        bench='\.XlateBench\.translate$' ;;
  *) echo "unknown scenario: $scenario" >&2; usage ;;
esac

# Build the jar when it is missing or older than the code it measures (bench, api, core-dpif),
# so a run always measures the tree it is started in. BENCH_NO_BUILD=1 runs the jar as it is.
stale=
if [ ! -f "$jar" ]; then
  stale="missing"
elif [ -n "$(find "$here/src" "$here/pom.xml" "$root/bundles/api/src/main" "$root/bundles/core-dpif/src/main" \
             "$root/bundles/ofproto/src/main" \
             -newer "$jar" -print -quit 2>/dev/null)" ]; then
  stale="older than its sources"
fi
if [ -n "$stale" ] && [ "${BENCH_NO_BUILD:-0}" != 1 ]; then
  echo "building $jar ($stale): mvn -pl bench -am install -DskipTests" >&2
  build() { (cd "$root" && mvn -B -q "$@" -pl bench -am install -DskipTests); }
  build -o || build   # online only if the offline build lacks something (the first time: JMH)
fi
[ -f "$jar" ] || { echo "no $jar" >&2; exit 1; }

# Defaults that the caller did not override.
defaults=()
has() { local o; for o in "${@:2}"; do [ "$o" = "$1" ] && return 0; done; return 1; }
if [ "$scenario" = flow-setup ]; then
  has -f "$@" || defaults+=(-f 1)   # iterations and batch size come from FlowSetupBench
else
  for kv in "-wi 3" "-w 1s" "-i 5" "-r 1s" "-f 1"; do o=${kv%% *}; has "$o" "$@" || defaults+=($kv); done
fi

result=$(mktemp /tmp/jvswitch-bench.XXXXXX.json)
trap 'rm -f "$result"' EXIT
echo "+ taskset -c $cpu $java --sun-misc-unsafe-memory-access=allow -jar $jar $bench ${params[*]} ${defaults[*]} $* -rf json -rff $result" >&2
taskset -c "$cpu" "$java" --sun-misc-unsafe-memory-access=allow -jar "$jar" "$bench" "${params[@]}" "${defaults[@]}" "$@" -rf json -rff "$result"

# The primary score, converted to nanoseconds per JMH operation. For flow-setup (single shot) one
# operation is the whole batch of invocations, so multiply the packets by the batch size.
read -r score unit batch < <(jq -r '.[0] | "\(.primaryMetric.score) \(.primaryMetric.scoreUnit) \(.measurementBatchSize)"' "$result")
if [ "$score" = null ] || [ -z "$score" ]; then
  echo "$scenario: the benchmark failed (see above)" >&2
  exit 1
fi
case "$unit" in
  ns/op) scale=1 ;;
  us/op) scale=1000 ;;
  ms/op) scale=1000000 ;;
  s/op)  scale=1000000000 ;;
  *) echo "unexpected unit $unit (use a time-per-operation mode)" >&2; exit 1 ;;
esac
alloc=$(jq -r '.[0].secondaryMetrics["gc.alloc.rate.norm"] // empty | "\(.score) \(.scoreUnit)"' "$result")
[ -n "$alloc" ] && echo "gc.alloc.rate.norm: $alloc (per JMH op of $pkts_per_op packets)"

rev=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)
[ -n "$(git -C "$root" status --porcelain -- bench bundles/api bundles/core-dpif 2>/dev/null)" ] && rev="$rev+changes"
echo "measured: $(basename "$jar") built $(date -r "$jar" '+%F %T'), tree $rev, cpu $cpu"

if [ "$scenario" = xlate ]; then
  awk -v s="$score" -v k="$scale" -v n="$scenario" \
    'BEGIN { ns = s * k; printf "%s translations_per_s=%.0f ns_per_translation=%.0f\n", n, 1e9 / ns, ns }'
  exit 0
fi

if [ "$scenario" = flow-setup ]; then
  awk -v s="$score" -v k="$scale" -v p="$pkts_per_op" -v b="$batch" -v n="$scenario" \
    'BEGIN { ns = s * k; printf "%s flows_per_s=%.0f\n", n, p * b * 1e9 / ns }'
  exit 0
fi

# cycles per packet = ns per packet x cycles per ns. Cycles per ns is the nominal clock that
# /proc/cpuinfo gives as "cpu MHz" for the pinned core, divided by 1000 (2596 MHz -> 2.596 cycles
# per ns). On this KVM guest that is the TSC rate the host advertises; real turbo clocks may be
# higher, so these are TSC ("reference") cycles, the unit Open vSwitch's pmd-stats-show uses too.
mhz=$(awk -v c="$cpu" -F': *' '/^processor/ { p = $2 } /^cpu MHz/ && p == c { print $2; exit }' /proc/cpuinfo)
[ -n "$mhz" ] || mhz=$(awk -F': *' '/^cpu MHz/ { print $2; exit }' /proc/cpuinfo)
awk -v s="$score" -v k="$scale" -v p="$pkts_per_op" -v mhz="$mhz" -v n="$scenario" \
  'BEGIN { nspp = s * k / p; printf "%s mpps=%.2f cycles_per_pkt=%.1f\n", n, 1000 / nspp, nspp * mhz / 1000 }'
