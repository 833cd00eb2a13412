# Groups with OpenFlow 1.5 (bucket ids, insert/remove buckets, add-or-modify) and with the
# default protocol (Nicira's groups for OpenFlow 1.0). Run against Open vSwitch 3.1 for
# groups15-out.txt; GroupTest runs it against jvswitch. Ports 1-3 exist.
O="-O OpenFlow15"
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
echo "== del-groups"; ovs-ofctl $O del-groups br0; ovs-ofctl $O dump-groups br0
echo "== buckets"
ovs-ofctl $O add-group br0 'group_id=5,type=select,bucket=bucket_id:3,weight:10,actions=output:1,bucket=bucket_id:7,weight:20,actions=output:2'
ovs-ofctl $O add-group br0 'group_id=6,type=all,bucket=output:1,bucket=output:2'
ovs-ofctl $O insert-buckets br0 'group_id=5,command_bucket_id=first,bucket=bucket_id:9,weight:5,actions=output:3'
ovs-ofctl $O insert-buckets br0 'group_id=5,command_bucket_id=last,bucket=bucket_id:10,weight:5,actions=output:3'
ovs-ofctl $O insert-buckets br0 'group_id=5,command_bucket_id=7,bucket=bucket_id:11,weight:5,actions=output:3'
ovs-ofctl $O insert-buckets br0 'group_id=6,bucket=output:3'
ovs-ofctl $O dump-groups br0
echo "== existing bucket id"; ovs-ofctl $O insert-buckets br0 'group_id=5,command_bucket_id=last,bucket=bucket_id:3,actions=output:3'; echo rc=$?
echo "== unknown command bucket"; ovs-ofctl $O insert-buckets br0 'group_id=5,command_bucket_id=99,bucket=bucket_id:12,actions=output:3'; echo rc=$?
ovs-ofctl $O remove-buckets br0 'group_id=5,command_bucket_id=7'
ovs-ofctl $O remove-buckets br0 'group_id=5,command_bucket_id=first'
ovs-ofctl $O remove-buckets br0 'group_id=6,command_bucket_id=all'
ovs-ofctl $O dump-groups br0
echo "== remove missing"; ovs-ofctl $O remove-buckets br0 'group_id=5,command_bucket_id=77'; echo rc=$?
ovs-ofctl $O dump-group-stats br0 | sed 's/duration=[0-9.]*s/duration=Ds/'
echo "== add_or_mod"; ovs-ofctl $O --may-create mod-group br0 'group_id=8,type=indirect,bucket=output:1'; echo rc=$?
ovs-ofctl $O dump-groups br0 8
echo "== of13 view"; ovs-ofctl -O OpenFlow13 dump-groups br0
ovs-ofctl $O del-groups br0
echo "== default protocol"
ovs-ofctl add-group br0 group_id=1,type=all,bucket=output:1,bucket=output:2
ovs-ofctl add-group br0 'group_id=2,type=select,bucket=bucket_id:5,weight:10,actions=output:1,bucket=bucket_id:6,weight:20,actions=mod_dl_src:02:00:00:00:00:09,output:2'
ovs-ofctl add-group br0 group_id=3,type=fast_failover,bucket=watch_port:1,actions=output:1,bucket=watch_port:2,actions=output:2
ovs-ofctl add-flow br0 in_port=3,actions=group:1
ovs-ofctl dump-groups br0
ovs-ofctl -O OpenFlow10 dump-groups br0 2
ovs-ofctl dump-group-stats br0 | sed 's/duration=[0-9.]*s/duration=Ds/'
ovs-ofctl dump-flows br0 --no-stats
echo "== default add existing"; ovs-ofctl add-group br0 group_id=1,type=all,bucket=output:1; echo rc=$?
echo "== default missing group"; ovs-ofctl add-flow br0 in_port=1,actions=group:99; echo rc=$?
echo "== default insert"; ovs-ofctl insert-buckets br0 'group_id=2,command_bucket_id=last,bucket=bucket_id:7,weight:5,actions=output:3'; ovs-ofctl dump-groups br0 2
echo "== default del-groups 1"; ovs-ofctl del-groups br0 group_id=1; ovs-ofctl dump-flows br0 --no-stats
ovs-ofctl del-groups br0; ovs-ofctl dump-groups br0
