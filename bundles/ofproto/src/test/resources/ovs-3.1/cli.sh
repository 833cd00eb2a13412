# Every ovs-ofctl command of issue 6 (groups, flow monitors and replace/diff-flows have scripts
# of their own) in the four protocol settings (default, -O OpenFlow10,
# -O OpenFlow13, -O OpenFlow15), on a bridge with ports 1-3. Run against Open vSwitch 3.1 for
# cli-out.txt; OfctlCommandsTest runs it against jvswitch. What differs by design between the
# two switches is normalized away here: port addresses, datapath id, durations and ages; port
# counters (Open vSwitch's dummy ports count packet-outs and know no drops or errors, the test's
# ports count nothing, and only OVS's have custom statistics); and what jvswitch does not have:
# OpenFlow 1.0's enqueue action and OpenFlow 1.5 bundles.
cd "$(dirname "$0")"
norm() {
    sed -E 's/duration=[0-9.]+s/duration=D/g; s/(idle|hard)_age=[0-9]+/\1_age=A/g;
            s/addr:[0-9a-f:]{17}/addr:MAC/g; s/dpid:[0-9a-f]{16}/dpid:DPID/g;
            s/pkts=[0-9]+, bytes=[0-9]+, drop=[0-9?]+, errs=[0-9?]+/pkts=N, bytes=N, drop=N, errs=N/;
            /CUSTOM Statistics/d; /^ +(rx|tx)_(custom|q0)/d; s/ BUNDLES$//; s/^actions: output enqueue /actions: output /'
}
cat > flows.txt <<'FLOWS'
priority=10,in_port=1,actions=output:2
cookie=0x7,table=1,priority=5,ip,nw_dst=10.0.0.0/8,actions=mod_nw_ttl:9,output:3
priority=20,tcp,tp_dst=80,actions=drop
priority=15,in_port=2,dl_vlan=5,actions=strip_vlan,output:1
FLOWS
for o in "" "-O OpenFlow10" "-O OpenFlow13" "-O OpenFlow15"; do
    echo "==== $o"
    ovs-ofctl $o del-flows br0
    ovs-ofctl $o add-flow br0 priority=12,in_port=3,udp,actions=output:1; echo "add-flow rc=$?"
    ovs-ofctl $o add-flows br0 flows.txt; echo "add-flows rc=$?"
    echo "-- show"; ovs-ofctl $o show br0 | norm
    echo "-- dump-flows"; ovs-ofctl $o dump-flows br0 | norm | sort
    echo "-- dump-flows in_port=1"; ovs-ofctl $o dump-flows br0 in_port=1 | norm
    echo "-- dump-flows --no-stats --names"; ovs-ofctl $o --no-stats --names dump-flows br0 | sort
    echo "-- dump-flows --no-names table=1"; ovs-ofctl $o --no-names dump-flows br0 table=1 | norm
    echo "-- dump-aggregate"; ovs-ofctl $o dump-aggregate br0
    echo "-- mod-flows"; ovs-ofctl $o mod-flows br0 in_port=1,actions=output:3; ovs-ofctl $o --no-stats dump-flows br0 in_port=1
    echo "-- del-flows --strict"; ovs-ofctl $o --strict del-flows br0 priority=12,in_port=3,udp; echo "rc=$?"
    ovs-ofctl $o --strict del-flows br0 in_port=2,dl_vlan=5; echo "rc=$?"
    ovs-ofctl $o --no-stats dump-flows br0 | sort
    echo "-- del-flows"; ovs-ofctl $o del-flows br0 ip; ovs-ofctl $o --no-stats dump-flows br0 | sort
    echo "-- dump-ports"; ovs-ofctl $o dump-ports br0 2 | norm
    echo "-- dump-ports-desc"; ovs-ofctl $o dump-ports-desc br0 | norm
    echo "-- mod-port"; ovs-ofctl $o mod-port br0 p2 down; echo "rc=$?"; ovs-ofctl $o dump-ports-desc br0 2 | norm
    ovs-ofctl $o mod-port br0 p2 up; ovs-ofctl $o dump-ports-desc br0 2 | norm
    echo "-- packet-out"; ovs-ofctl $o packet-out br0 LOCAL 2 505400000002505400000001080045000014000100004011f97cc0a80001c0a80002; echo "rc=$?"
    echo "-- dump-tables"; ovs-ofctl $o dump-tables br0 | head -12
    echo "-- meters"; ovs-ofctl $o add-meter br0 meter=3,pktps,burst,band=type=drop,rate=5,burst_size=2; echo "rc=$?"
    ovs-ofctl $o add-flow br0 priority=3,in_port=2,actions=meter:3,output:1; echo "rc=$?"
    ovs-ofctl $o dump-meters br0; ovs-ofctl $o --no-stats dump-flows br0 in_port=2
    ovs-ofctl $o del-meters br0; ovs-ofctl $o --no-stats dump-flows br0 in_port=2
done
rm -f flows.txt
