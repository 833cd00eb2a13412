O="-O OpenFlow13"
ovs-ofctl $O add-meter br0 meter=1,kbps,burst,stats,bands=type=drop,rate=1000,burst_size=100
ovs-ofctl $O add-meter br0 meter=2,pktps,stats,bands=type=drop,rate=10
ovs-ofctl $O add-flow br0 in_port=1,actions=meter:2,output:2
echo "== dump-meters"; ovs-ofctl $O dump-meters br0
echo "== dump-meter 2"; ovs-ofctl $O dump-meters br0 meter=2
echo "== dump-flows"; ovs-ofctl $O dump-flows br0 --no-stats
echo "== default dump-flows"; ovs-ofctl dump-flows br0 --no-stats
echo "== meter-features"; ovs-ofctl $O meter-features br0
echo "== add existing"; ovs-ofctl $O add-meter br0 meter=1,pktps,bands=type=drop,rate=5; echo rc=$?
echo "== flow to missing meter"; ovs-ofctl $O add-flow br0 in_port=2,actions=meter:9,output:1; echo rc=$?
echo "== mod-meter"; ovs-ofctl $O mod-meter br0 meter=1,pktps,bands=type=drop,rate=5; echo rc=$?
echo "== dump-meters"; ovs-ofctl $O dump-meters br0
echo "== del-meter 2"; ovs-ofctl $O del-meter br0 meter=2; echo rc=$?; ovs-ofctl $O dump-flows br0 --no-stats
echo "== del-meters"; ovs-ofctl $O del-meters br0; ovs-ofctl $O dump-meters br0
