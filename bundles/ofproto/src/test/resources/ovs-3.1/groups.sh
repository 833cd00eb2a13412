O="-O OpenFlow13"
ovs-ofctl $O add-group br0 group_id=1,type=all,bucket=output:1,bucket=output:2
ovs-ofctl $O add-group br0 'group_id=2,type=select,bucket=weight:10,actions=output:1,bucket=weight:20,actions=mod_dl_src:02:00:00:00:00:09,output:2'
ovs-ofctl $O add-group br0 group_id=3,type=fast_failover,bucket=watch_port:1,actions=output:1,bucket=watch_port:2,actions=output:2
ovs-ofctl $O add-group br0 group_id=4,type=indirect,bucket=actions=mod_vlan_vid:9,output:3
ovs-ofctl $O add-flow br0 in_port=3,actions=group:1
ovs-ofctl $O add-flow br0 in_port=2,actions=group:4
echo "== dump-groups"; ovs-ofctl $O dump-groups br0
echo "== dump-groups 2"; ovs-ofctl $O dump-groups br0 2
echo "== dump-group-stats"; ovs-ofctl $O dump-group-stats br0 | sed 's/duration=[0-9.]*s/duration=Ds/'
echo "== dump-flows"; ovs-ofctl $O dump-flows br0 --no-stats
echo "== default dump-flows"; ovs-ofctl dump-flows br0 --no-stats
echo "== add existing"; ovs-ofctl $O add-group br0 group_id=1,type=all,bucket=output:1; echo rc=$?
echo "== flow to missing group"; ovs-ofctl $O add-flow br0 in_port=1,actions=group:99; echo rc=$?
echo "== mod-group"; ovs-ofctl $O mod-group br0 group_id=4,type=indirect,bucket=actions=output:1; echo rc=$?
echo "== mod missing"; ovs-ofctl $O mod-group br0 group_id=77,type=indirect,bucket=actions=output:1; echo rc=$?
echo "== del-groups 1"; ovs-ofctl $O del-groups br0 group_id=1; ovs-ofctl $O dump-flows br0 --no-stats
echo "== dump-group-features"; ovs-ofctl $O dump-group-features br0
echo "== del-groups"; ovs-ofctl $O del-groups br0; ovs-ofctl $O dump-groups br0
