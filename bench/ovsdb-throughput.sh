#!/usr/bin/env bash
# Small-update transactions per second over db.sock: jvswitch's OVSDB server (embedded database,
# file-backed) side by side with Debian's ovsdb-server 3.1 on the same machine, driven by the same
# client (bench/ovsdb/TxnClient.java: one outstanding `update` of Open_vSwitch.next_cfg per
# connection). jvswitch runs twice: with jvswitch.db.sync=durable, the guarantee ovsdb-server gives
# (every commit written to the log before its reply; fdatasync only when a transaction asks), and
# with the default jvswitch.db.sync=always (every reply after its commit is on disk; group commit).
# Each client run is WARMUP s then SECONDS_PER_RUN s measured; after a warm-up pass, RUNS rounds
# alternate between the servers and the medians are reported. Prints the 10-connection figures,
# then as its LAST line (1 connection)
#     ovsdb-throughput txn_per_s=<x> ovs_txn_per_s=<y> ratio=<x/y> fsync_txn_per_s=<z>
# Usage: bench/ovsdb-throughput.sh        Environment: JAVA_HOME (default temurin 25),
#   WARMUP (s, default 2), SECONDS_PER_RUN (default 3), RUNS (default 3), BENCH_NO_BUILD=1 (use
#   bundles/ovsdb as built).
# Every process started here is stopped by its PID on exit.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$here")
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
java=$JAVA_HOME/bin/java
warmup=${WARMUP:-2}
secs=${SECONDS_PER_RUN:-3}
work=$(mktemp -d /tmp/ovsdb-bench.XXXXXX)

. "$here/ovsdb/common.sh"   # also sets pids=() and the EXIT trap that stops them and removes $work

build_classpath "$work"
start_jvswitch "$work/jv" -Djvswitch.db.sync=durable
start_jvswitch "$work/jvf"
start_ovs "$work/ovs"
for d in ovs jv jvf; do ovs-vsctl --no-wait --db="unix:$work/$d/db.sock" init; done

client() { "$java" -Xmx256m "$here/ovsdb/TxnClient.java" "$1" "$2" "$warmup" "$secs"; }
# A warm-up pass on each server first (the JIT's), then RUNS (default 3) alternating rounds; medians.
for d in jv jvf ovs; do client "$work/$d/db.sock" 10 >/dev/null; done
declare -A tps p50
for n in 10 1; do
  for r in $(seq "${RUNS:-3}"); do
    for d in jv jvf ovs; do
      out=$(client "$work/$d/db.sock" $n)
      echo "$d: $out"
      tps[$d$n]+="$(get txn_per_s <<<"$out") "
      p50[$d$n]+="$(get p50_ms <<<"$out") "
    done
  done
done
for n in 10 1; do
  x=$(median <<<"${tps[jv$n]}"); y=$(median <<<"${tps[ovs$n]}"); z=$(median <<<"${tps[jvf$n]}")
  echo "medians, $n connection(s): jvswitch (sync durable) $x/s p50 $(median <<<"${p50[jv$n]}") ms," \
    "jvswitch (sync always) $z/s p50 $(median <<<"${p50[jvf$n]}") ms, ovsdb-server $y/s p50 $(median <<<"${p50[ovs$n]}") ms"
  name=ovsdb-throughput; [ "$n" = 1 ] || name=ovsdb-throughput-${n}conn
  echo "$name txn_per_s=$x ovs_txn_per_s=$y ratio=$(awk -v x="$x" -v y="$y" 'BEGIN{printf "%.2f", x/y}') fsync_txn_per_s=$z"
done
