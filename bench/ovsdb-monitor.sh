#!/usr/bin/env bash
# Monitor fan-out: CLIENTS (default 50) monitor_cond clients of Open_vSwitch.next_cfg, one writer
# committing COMMITS (default 2000) updates one at a time; the time until every client has the last
# value (bench/ovsdb/MonitorClient.java), for jvswitch's OVSDB server (jvswitch.db.sync=durable,
# the guarantee ovsdb-server gives, then the default always) and Debian's ovsdb-server 3.1, same
# machine, same client. Last line:
#     ovsdb-monitor updates_per_s=<x> ovs_updates_per_s=<y> ratio=<x/y> fsync_updates_per_s=<z>
# Usage: bench/ovsdb-monitor.sh [CLIENTS [COMMITS]]     Environment: RUNS (default 3), BENCH_NO_BUILD=1.
# Every process started here is stopped by its PID on exit.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$here")
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
java=$JAVA_HOME/bin/java
clients=${1:-50}
commits=${2:-2000}
work=$(mktemp -d /tmp/ovsdb-bench.XXXXXX)

. "$here/ovsdb/common.sh"

build_classpath "$work"
start_jvswitch "$work/jv" -Djvswitch.db.sync=durable
start_jvswitch "$work/jvf"
start_ovs "$work/ovs"
for d in ovs jv jvf; do ovs-vsctl --no-wait --db="unix:$work/$d/db.sock" init; done

run() { "$java" -Xmx512m "$here/ovsdb/MonitorClient.java" "$1" "$clients" "$commits"; }
# One warm-up run each (the JIT's, and ovsdb-server's allocator's), then RUNS (default 3) alternating; medians.
for d in jv jvf ovs; do run "$work/$d/db.sock" >/dev/null; done
declare -A rates
for r in $(seq "${RUNS:-3}"); do
  for d in jv jvf ovs; do
    out=$(run "$work/$d/db.sock")
    echo "$d: $out"
    rates[$d]+="$(get updates_per_s <<<"$out") "
  done
done
x=$(median <<<"${rates[jv]}")
y=$(median <<<"${rates[ovs]}")
z=$(median <<<"${rates[jvf]}")
echo "medians: jvswitch (sync durable) $x, jvswitch (sync always) $z, ovsdb-server $y updates/s"
echo "ovsdb-monitor updates_per_s=$x ovs_updates_per_s=$y ratio=$(awk -v x="$x" -v y="$y" 'BEGIN{printf "%.2f", x/y}') fsync_updates_per_s=$z"
