# Flow monitors (ovs-ofctl monitor br0 watch:...) in every protocol setting: what a monitoring
# connection is told while another connection adds, modifies and deletes flows, and when a flow
# times out. Run against Open vSwitch 3.1 for monitor-out.txt; FlowMonitorTest runs it against
# jvswitch. Ports 1-3 exist.
cd "$(dirname "$0")"
wait_for() {   # pattern file: up to 10 s
    for i in $(seq 100); do grep -q "$1" "$2" && return 0; sleep 0.1; done
    echo "timed out waiting for $1"
}
wait_gone() {  # flow: until dump-flows no longer shows it, up to 10 s
    for i in $(seq 100); do ovs-ofctl dump-flows br0 "$1" | grep -q priority || return 0; sleep 0.1; done
    echo "timed out waiting for $1 to go"
}
watch() {      # protocol-option watch-spec
    echo "== monitor $1 $2"
    ovs-ofctl del-flows br0
    ovs-ofctl add-flow br0 priority=5,in_port=1,actions=output:2
    ovs-ofctl add-flow br0 table=1,priority=6,in_port=2,actions=drop
    ovs-ofctl $1 monitor br0 "$2" > mon.out 2>&1 &
    mon=$!
    wait_for 'reply' mon.out
    ovs-ofctl add-flow br0 cookie=0x5,table=1,priority=7,ip,nw_dst=10.0.0.1,actions=output:3
    ovs-ofctl add-flow br0 cookie=0x6,priority=8,ip,nw_dst=10.1.0.0/16,actions=mod_nw_ttl:9,output:2
    ovs-ofctl mod-flows br0 in_port=1,actions=output:3
    ovs-ofctl mod-flows br0 in_port=1,actions=output:3
    ovs-ofctl del-flows br0 in_port=1
    ovs-ofctl add-flow br0 idle_timeout=1,priority=9,in_port=3,actions=drop
    ovs-ofctl del-flows br0 table=1
    wait_gone in_port=3
    sleep 0.5
    kill $mon
    wait $mon 2>/dev/null
    grep -v fatal_signal mon.out
}
for o in "" "-O OpenFlow13" "-O OpenFlow14" "-O OpenFlow15"; do
    watch "$o" watch:
done
watch "" 'watch:!initial,table=1'
watch "-O OpenFlow14" 'watch:!actions,out_port=2'
watch "-O OpenFlow13" 'watch:ip,nw_dst=10.0.0.0/8,!delete'
watch "" 'watch:!add,!modify'
