#!/usr/bin/env bash
# Memory for 10,000 Interface rows, one Port per Interface and 20 Bridges holding them (the
# Open_vSwitch row references the bridges), loaded by the same client (bench/ovsdb/load_interfaces.py,
# 20 transactions of 500 ports) into jvswitch's embedded database behind its OVSDB server
# (bench/ovsdb/BenchServer.java) and into Debian's ovsdb-server 3.1, both file-backed.
#   jvswitch: live heap after a full GC (jcmd GC.class_histogram total) before and after loading,
#             so the difference is what the rows cost; and the JVM's RSS.
#   ovsdb-server: RSS (VmRSS) before and after loading, and its memory/show counters.
# Last line:  ovsdb-memory interfaces=N jv_heap_delta_mb=.. jv_heap_mb=.. jv_rss_mb=.. ovs_rss_mb=.. ovs_rss_delta_mb=..
# Usage: bench/ovsdb-memory.sh [N=10000]   Environment: JAVA_HOME, BENCH_NO_BUILD=1, JV_OPTS (JVM
#   options of the jvswitch server, default -Xmx512m).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$here")
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
java=$JAVA_HOME/bin/java
n=${1:-10000}
work=$(mktemp -d /tmp/ovsdb-mem.XXXXXX)
. "$here/ovsdb/common.sh"   # also sets pids=() and the EXIT trap that stops them and removes $work

rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }
live_heap_bytes() { "$JAVA_HOME/bin/jcmd" "$1" GC.class_histogram | awk '/^Total/ { print $3 }'; }
mb() { awk -v b="$1" -v d="$2" 'BEGIN { printf "%.1f", b / d }'; }

build_classpath "$work"
# shellcheck disable=SC2086
start_jvswitch "$work/jv" ${JV_OPTS:--Xmx512m}
start_ovs "$work/ovs"
ovs-vsctl --no-wait --db="unix:$work/ovs/db.sock" init

jv_heap0=$(live_heap_bytes "$jv_pid"); jv_rss0=$(rss_kb "$jv_pid"); ovs_rss0=$(rss_kb "$ovs_pid")
python3 "$here/ovsdb/load_interfaces.py" "$work/jv/db.sock" "$n" >/dev/null
python3 "$here/ovsdb/load_interfaces.py" "$work/ovs/db.sock" "$n" >/dev/null
jv_heap1=$(live_heap_bytes "$jv_pid"); jv_rss1=$(rss_kb "$jv_pid"); ovs_rss1=$(rss_kb "$ovs_pid")

echo "jvswitch      live heap after GC: empty $(mb "$jv_heap0" 1048576) MB, with $n interfaces $(mb "$jv_heap1" 1048576) MB" \
     "(+$(mb $((jv_heap1 - jv_heap0)) 1048576) MB, $(( (jv_heap1 - jv_heap0) / n )) bytes/interface incl. its port);" \
     "RSS $(mb "$jv_rss0" 1024) -> $(mb "$jv_rss1" 1024) MB; conf.db $(( $(stat -c %s "$work/jv/conf.db") / 1024 )) KiB"
echo "ovsdb-server  RSS: empty $(mb "$ovs_rss0" 1024) MB, with $n interfaces $(mb "$ovs_rss1" 1024) MB" \
     "(+$(mb $((ovs_rss1 - ovs_rss0)) 1024) MB); conf.db $(( $(stat -c %s "$work/ovs/conf.db") / 1024 )) KiB;" \
     "memory/show: $(ovs-appctl -t "$work/ovs/ctl" memory/show | tr '\n' ' ')"
echo "ovsdb-memory interfaces=$n jv_heap_delta_mb=$(mb $((jv_heap1 - jv_heap0)) 1048576) jv_heap_mb=$(mb "$jv_heap1" 1048576)" \
     "jv_rss_mb=$(mb "$jv_rss1" 1024) ovs_rss_mb=$(mb "$ovs_rss1" 1024) ovs_rss_delta_mb=$(mb $((ovs_rss1 - ovs_rss0)) 1024)"
