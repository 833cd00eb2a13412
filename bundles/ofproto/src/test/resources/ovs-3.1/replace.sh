# replace-flows and diff-flows in three protocol settings. Run against Open vSwitch 3.1 for
# replace-out.txt; OfctlInteropTest runs it against jvswitch. Ports 1-3 exist.
cd "$(dirname "$0")"
cat > old.txt <<'FLOWS'
priority=10,in_port=1,actions=output:2
priority=10,in_port=2,actions=output:1
cookie=0x7,table=1,priority=5,ip,nw_dst=10.0.0.0/8,actions=mod_nw_ttl:9,output:3
priority=20,tcp,tp_dst=80,actions=drop
FLOWS
cat > new.txt <<'FLOWS'
priority=10,in_port=1,actions=output:3
priority=10,in_port=2,actions=output:1
cookie=0x8,table=1,priority=5,ip,nw_dst=10.0.0.0/8,actions=mod_nw_ttl:9,output:3
priority=30,udp,tp_dst=53,actions=output:2
table=2,priority=1,actions=resubmit(,3)
FLOWS
for o in "" "-O OpenFlow13" "-O OpenFlow15"; do
    echo "== $o"
    ovs-ofctl del-flows br0
    ovs-ofctl $o add-flows br0 old.txt
    echo "-- diff-flows"; ovs-ofctl $o diff-flows br0 new.txt | sort; echo "rc=${PIPESTATUS[0]}"
    echo "-- replace-flows"; ovs-ofctl $o replace-flows br0 new.txt; echo rc=$?
    ovs-ofctl $o dump-flows br0 --no-stats | sort
    echo "-- diff-flows after"; ovs-ofctl $o diff-flows br0 new.txt | sort; echo "rc=${PIPESTATUS[0]}"
    echo "-- diff-flows against the switch itself"; ovs-ofctl $o diff-flows br0 br0; echo rc=$?
done
rm -f old.txt new.txt
