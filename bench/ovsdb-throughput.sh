#!/usr/bin/env bash
# Small-update transactions per second over db.sock: jvswitch's OVSDB server (embedded database,
# file-backed, every reply after its commit is on disk, group commit) side by side with Debian's
# ovsdb-server 3.1 on the same machine, driven by the same client (bench/ovsdb/TxnClient.java:
# one outstanding `update` of Open_vSwitch.next_cfg per connection).
# Prints the 10-connection figures, then as its LAST line
#     ovsdb-throughput txn_per_s=<x> ovs_txn_per_s=<y> ratio=<x/y>        (1 connection)
# Usage: bench/ovsdb-throughput.sh        Environment: JAVA_HOME (default temurin 25),
#   WARMUP (s, default 3), SECONDS_PER_RUN (default 5), BENCH_NO_BUILD=1 (use bundles/ovsdb as built).
# Every process started here is stopped by its PID on exit.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$here")
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
java=$JAVA_HOME/bin/java
warmup=${WARMUP:-3}
secs=${SECONDS_PER_RUN:-5}
work=$(mktemp -d /tmp/ovsdb-bench.XXXXXX)

. "$here/ovsdb/common.sh"   # also sets pids=() and the EXIT trap that stops them and removes $work

build_classpath "$work"
start_jvswitch "$work/jv" 
start_ovs "$work/ovs"
ovs-vsctl --no-wait --db="unix:$work/ovs/db.sock" init
ovs-vsctl --no-wait --db="unix:$work/jv/db.sock" init

client() { "$java" -Xmx256m "$here/ovsdb/TxnClient.java" "$1" "$2" "$warmup" "$secs"; }
get() { sed -E "s/.*$1=([^ ]+).*/\\1/"; }

jv10=$(client "$work/jv/db.sock" 10)
ovs10=$(client "$work/ovs/db.sock" 10)
echo "jvswitch      $jv10"
echo "ovsdb-server  $ovs10"
jv1=$(client "$work/jv/db.sock" 1)
ovs1=$(client "$work/ovs/db.sock" 1)
echo "jvswitch      $jv1"
echo "ovsdb-server  $ovs1"
x=$(get txn_per_s <<<"$jv10"); y=$(get txn_per_s <<<"$ovs10")
echo "ovsdb-throughput-10conn txn_per_s=$x ovs_txn_per_s=$y ratio=$(awk -v x="$x" -v y="$y" 'BEGIN{printf "%.2f", x/y}')"
x=$(get txn_per_s <<<"$jv1"); y=$(get txn_per_s <<<"$ovs1")
echo "ovsdb-throughput txn_per_s=$x ovs_txn_per_s=$y ratio=$(awk -v x="$x" -v y="$y" 'BEGIN{printf "%.2f", x/y}')"
