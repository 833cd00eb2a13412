# The 1,000 OpenFlow rules over 3 tables the translation benchmarks share (bench/megaflows.sh,
# bench/p2p.sh --rules xlate, and the JMH xlate bench's shape): table 0 by input port and TCP
# port, table 1 by IPv4 destination loading reg0, table 2 by reg0 and TCP port. Run: awk -f.
BEGIN {
  for (p = 1; p <= 4; p++) for (c = 0; c < 5; c++)
    printf "table=0,priority=100,tcp,in_port=%d,tp_dst=%d,actions=resubmit(,1)\n", p, 80 + c
  for (d = 0; d < 500; d++)
    printf "table=1,priority=200,ip,nw_dst=10.0.%d.%d,actions=load:%d->NXM_NX_REG0[],resubmit(,2)\n", int(d / 256), d % 256, d % 96
  for (r = 0; r < 96; r++) for (c = 0; c < 5; c++)
    printf "table=2,priority=300,tcp,reg0=%d,tp_dst=%d,actions=mod_dl_dst:02:00:00:00:01:%02x,output:%d\n", r, 80 + c, r, 1 + (r + c) % 4
}
