package org.jvswitch.ofproto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.jvswitch.api.dpif.DpActions;
import org.jvswitch.api.flow.FlowKey;
import org.jvswitch.api.netdev.NetdevStats;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OpenFlow 1.0 flow programming with the real ovs-ofctl (add-flow, dump-flows, del-flows, errors),
 * and the datapath actions and megaflow masks the programmed table gives packets through the
 * datapath's upcall handler.
 */
class FlowProgrammingTest {
    private static final long A = 0x505400000001L;
    private static final long B = 0x505400000002L;
    private static final long MAC48 = 0xffffffffffffL;

    @TempDir
    Path rundir;
    private OvsScript sandbox;
    private OfprotoServiceImpl service;
    private OfprotoDpif br0;
    private RecordingDpif dpif;
    // Datapath port numbers: LOCAL = 1, p1 (OpenFlow 1) = 2, p2 (OpenFlow 7) = 3.
    private static final int ODP_LOCAL = 1;
    private static final int ODP_P1 = 2;
    private static final int ODP_P2 = 3;

    @BeforeEach
    void setUp() throws Exception {
        sandbox = new OvsScript(rundir, false, 1, 7);
        service = sandbox.service;
        br0 = sandbox.br0;
        dpif = sandbox.dpif;
    }

    @AfterEach
    void tearDown() {
        sandbox.close();
    }

    /** Runs ovs-ofctl; returns "rc=N\n" + stdout + stderr, durations replaced by "duration=D" and idle ages left out. */
    private String ofctl(String... args) throws Exception {
        return sandbox.ofctl(args).replaceAll("duration=[0-9.]+s", "duration=D").replaceAll("idle_age=[0-9]+, ", "");
    }

    private String ok(String... args) throws Exception {
        String out = ofctl(args);
        assertTrue(out.startsWith("rc=0\n"), out);
        return out.substring(5);
    }

    private static String flow(String rest) {
        return " cookie=0x0, duration=D, table=0, n_packets=0, n_bytes=0, " + rest + "\n";
    }

    @Test
    void addDumpAndDeleteFlows() throws Exception {
        assertEquals("", ok("add-flow", "BR", "priority=100,in_port=1,actions=output:2"));
        assertEquals("", ok("add-flow", "BR", "dl_type=0x0800,nw_src=10.0.0.0/8,actions=mod_nw_src:192.168.0.1,output:7"));
        String all = "NXST_FLOW reply (xid=0x4):\n"
                + flow("ip,nw_src=10.0.0.0/8 actions=mod_nw_src:192.168.0.1,output:7")
                + flow("priority=100,in_port=1 actions=output:2")
                + flow("priority=0 actions=NORMAL");
        assertEquals(all, ok("dump-flows", "BR"));
        assertEquals(all.replace("NXST_FLOW", "OFPST_FLOW").replace("xid=0x4", "xid=0x2"),
                ok("--flow-format=OpenFlow10", "dump-flows", "BR"), "the OpenFlow 1.0 flow statistics say the same");
        assertEquals("NXST_FLOW reply (xid=0x8):\n" + flow("priority=100,in_port=1 actions=output:2"),
                ok("dump-flows", "BR", "in_port=1"));

        assertEquals("", ok("del-flows", "BR", "in_port=1"));
        assertEquals("NXST_FLOW reply (xid=0x4):\n"
                + flow("ip,nw_src=10.0.0.0/8 actions=mod_nw_src:192.168.0.1,output:7")
                + flow("priority=0 actions=NORMAL"), ok("dump-flows", "BR"));

        assertEquals("", ok("del-flows", "BR"));
        assertEquals("NXST_FLOW reply (xid=0x4):\n", ok("dump-flows", "BR"));
        assertEquals(DpActions.DROP, upcall(key(ODP_P1, A, B), new FlowKey()), "no flows: drop");
    }

    @Test
    void addReplacesModifyAndStrictDelete() throws Exception {
        ok("add-flow", "BR", "priority=5,dl_src=50:54:00:00:00:01,dl_vlan=10,actions=strip_vlan,output:7");
        ok("add-flow", "BR", "priority=5,dl_src=50:54:00:00:00:01,dl_vlan=10,actions=mod_vlan_vid:20,output:LOCAL");
        ok("add-flow", "BR", "priority=6,tcp,tp_dst=80,actions=mod_tp_dst:8080,mod_dl_dst:50:54:00:00:00:02,IN_PORT");
        assertEquals("NXST_FLOW reply (xid=0x4):\n"
                + flow("priority=6,tcp,tp_dst=80 actions=mod_tp_dst:8080,mod_dl_dst:50:54:00:00:00:02,IN_PORT")
                + flow("priority=5,dl_vlan=10,dl_src=50:54:00:00:00:01 actions=mod_vlan_vid:20,LOCAL")
                + flow("priority=0 actions=NORMAL"), ok("dump-flows", "BR"));
        ok("mod-flows", "BR", "tcp,actions=FLOOD");
        ok("del-flows", "BR", "--strict", "priority=5,dl_src=50:54:00:00:00:01");   // not the same match: nothing
        assertEquals("NXST_FLOW reply (xid=0x4):\n"
                + flow("priority=6,tcp,tp_dst=80 actions=FLOOD")
                + flow("priority=5,dl_vlan=10,dl_src=50:54:00:00:00:01 actions=mod_vlan_vid:20,LOCAL")
                + flow("priority=0 actions=NORMAL"), ok("dump-flows", "BR"));
        ok("del-flows", "BR", "--strict", "priority=5,dl_src=50:54:00:00:00:01,dl_vlan=10");
        ok("del-flows", "BR", "out_port=NORMAL");
        assertEquals("NXST_FLOW reply (xid=0x4):\n" + flow("priority=6,tcp,tp_dst=80 actions=FLOOD"),
                ok("dump-flows", "BR"));
    }

    @Test
    void badOutputPortIsRefused() throws Exception {
        // ovs-ofctl checks output ports itself (below 0xff00 or a reserved port), as the switch does
        // (see OfpFlowModTest for the switch's own OFPBAC_BAD_OUT_PORT).
        String out = ofctl("add-flow", "BR", "in_port=1,actions=output:65280");
        assertTrue(out.startsWith("rc=1\n"), out);
        assertTrue(out.endsWith("\novs-ofctl: actions are invalid with specified match (OFPBAC_BAD_OUT_PORT)\n"), out);
        assertEquals("NXST_FLOW reply (xid=0x4):\n" + flow("priority=0 actions=NORMAL"), ok("dump-flows", "BR"),
                "the table is unchanged");
    }

    @Test
    void openFlow13SeesTheFlowsTooWithOxmMatchesAndFilters() throws Exception {
        ok("add-flow", "BR", "priority=100,in_port=1,actions=output:2");
        ok("add-flow", "BR", "dl_type=0x0800,nw_src=10.0.0.0/8,actions=mod_nw_src:192.168.0.1,output:7");
        ok("add-flow", "BR", "priority=7,dl_vlan=10,udp,tp_src=53,actions=strip_vlan,mod_dl_src:50:54:00:00:00:01,LOCAL");
        assertEquals("OFPST_FLOW reply (OF1.3) (xid=0x2):\n"
                + flow("reset_counts ip,nw_src=10.0.0.0/8 actions=set_field:192.168.0.1->ip_src,output:7")
                + flow("reset_counts priority=100,in_port=1 actions=output:2")
                + flow("reset_counts priority=7,udp,dl_vlan=10,tp_src=53 actions=pop_vlan,set_field:50:54:00:00:00:01->eth_src,LOCAL")
                + flow("priority=0 actions=NORMAL"), ok("-O", "OpenFlow13", "dump-flows", "BR"));
        assertEquals("OFPST_FLOW reply (OF1.3) (xid=0x6):\n" + flow("reset_counts priority=100,in_port=1 actions=output:2"),
                ok("-O", "OpenFlow13", "dump-flows", "BR", "in_port=1"));
        assertEquals("OFPST_FLOW reply (OF1.3) (xid=0x6):\n"
                + flow("reset_counts priority=7,udp,dl_vlan=10,tp_src=53 actions=pop_vlan,set_field:50:54:00:00:00:01->eth_src,LOCAL"),
                ok("-O", "OpenFlow13", "dump-flows", "BR", "udp"));
    }

    @Test
    void arpIcmpTosAndPcpRoundTripInEveryFlowFormat() throws Exception {
        ok("add-flow", "BR", "priority=9,arp,arp_op=1,nw_dst=10.0.0.0/24,actions=drop");
        ok("add-flow", "BR", "priority=8,icmp,icmp_type=8,icmp_code=0,dl_dst=50:54:00:00:00:02,actions=NORMAL");
        ok("add-flow", "BR", "priority=7,ip,nw_tos=32,dl_vlan_pcp=5,actions=mod_nw_tos:64,mod_vlan_pcp:3,output:1");
        String flows = flow("priority=9,arp,arp_tpa=10.0.0.0/24,arp_op=1 actions=drop")
                + flow("priority=8,icmp,dl_dst=50:54:00:00:00:02,icmp_type=8,icmp_code=0 actions=NORMAL")
                + flow("priority=7,ip,dl_vlan_pcp=5,nw_tos=32 actions=mod_nw_tos:64,mod_vlan_pcp:3,output:1")
                + flow("priority=0 actions=NORMAL");
        assertEquals("NXST_FLOW reply (xid=0x4):\n" + flows, ok("dump-flows", "BR"));
        assertEquals("OFPST_FLOW reply (xid=0x2):\n" + flows, ok("--flow-format=OpenFlow10", "dump-flows", "BR"));
        assertEquals("OFPST_FLOW reply (OF1.3) (xid=0x2):\n" + flows.replace(
                "mod_nw_tos:64,mod_vlan_pcp:3", "set_field:16->ip_dscp,set_field:3->vlan_pcp")
                .replace("n_bytes=0, priority=9", "n_bytes=0, reset_counts priority=9")
                .replace("n_bytes=0, priority=8", "n_bytes=0, reset_counts priority=8")
                .replace("n_bytes=0, priority=7", "n_bytes=0, reset_counts priority=7"),
                ok("-O", "OpenFlow13", "dump-flows", "BR"), "OpenFlow 1.3 has set_field for the 1.0 actions");
    }

    // ---- translation ----

    private static FlowKey key(int inOdp, long src, long dst) {
        FlowKey k = new FlowKey();
        k.setInPort(inOdp);
        k.setDlSrc(src);
        k.setDlDst(dst);
        k.setDlType(FlowKey.ETH_TYPE_ARP);
        return k;
    }

    private static FlowKey ipKey(int inOdp, int nwSrc, int nwDst, int proto, int tpSrc, int tpDst) {
        FlowKey k = key(inOdp, A, B);
        k.setDlType(FlowKey.ETH_TYPE_IP);
        k.w[3] = ((long) nwSrc << 32) | (nwDst & 0xffffffffL);
        k.w[4] = ((long) proto << 56) | (64L << 40) | ((long) tpSrc << 16) | tpDst;
        return k;
    }

    private DpActions upcall(FlowKey k, FlowKey mask) {
        return dpif.handler.upcall(null, k, mask);
    }

    @Test
    void aFlowChangeReDecidesOnlyTheDatapathFlowsItChanges() throws Exception {
        ok("add-flow", "BR", "priority=100,in_port=1,actions=output:7");
        org.jvswitch.api.dpif.DpifFlow fromP1 = dpif.install(ipKey(ODP_P1, 0x0a000001, 0x0a000002, 6, 1, 2));
        // LOCAL's flow is NORMAL's: its source is learned first (and the revalidator's pending
        // invalidation of that address taken away), so no revalidator pass deletes it meanwhile.
        dpif.handler.upcall(null, ipKey(ODP_LOCAL, 0x0a000001, 0x0a000002, 6, 1, 2), new FlowKey());
        br0.takePendingMacs();
        org.jvswitch.api.dpif.DpifFlow fromLocal = dpif.install(ipKey(ODP_LOCAL, 0x0a000001, 0x0a000002, 6, 1, 2));
        assertEquals(String.valueOf(ODP_P2), fromP1.actions().toString());
        int flushes = dpif.flushes;
        // A rule for another port: p1's flow still holds and stays (with its counters); nothing is flushed.
        ok("add-flow", "BR", "priority=200,in_port=7,actions=drop");
        assertEquals(flushes, dpif.flushes);
        assertTrue(dpif.flowDump().contains(fromP1), "p1's flow kept");
        // A rule that changes what p1's packets get: that flow is deleted, to be decided again.
        ok("add-flow", "BR", "priority=300,in_port=1,tcp,actions=output:LOCAL");
        assertTrue(!dpif.flowDump().contains(fromP1), "p1's flow re-decided");
        assertEquals(String.valueOf(ODP_LOCAL), dpif.install(ipKey(ODP_P1, 0x0a000001, 0x0a000002, 6, 1, 2)).actions().toString());
        // LOCAL's NORMAL flow: the new rules looked at in_port only, inside its mask: kept.
        assertTrue(dpif.flowDump().contains(fromLocal), "LOCAL's flow kept");
    }

    @Test
    void portChangesReDecideOnlyTheFlowsTheyAffect() throws Exception {
        ok("add-flow", "BR", "priority=100,in_port=1,actions=output:7");
        ok("add-flow", "BR", "priority=100,in_port=7,actions=FLOOD");
        org.jvswitch.api.dpif.DpifFlow fromP1 = dpif.install(ipKey(ODP_P1, 0x0a000001, 0x0a000002, 6, 1, 2));
        org.jvswitch.api.dpif.DpifFlow fromP2 = dpif.install(ipKey(ODP_P2, 0x0a000002, 0x0a000001, 6, 2, 1));
        assertEquals(ODP_P1 + "," + ODP_LOCAL, fromP2.actions().toString());
        int flushes = dpif.flushes;
        // A new port: the flooding flow misses it and is decided again; p1's flow stays.
        br0.portAdd(OfctlInteropTest.netdev("p3", 0xaa55aa550003L, true, NetdevStats.ZERO), 9);
        assertEquals(flushes, dpif.flushes, "no flush");
        assertTrue(dpif.flowDump().contains(fromP1), "p1's flow kept");
        assertTrue(!dpif.flowDump().contains(fromP2), "the flooding flow re-decided");
        assertEquals(ODP_P1 + ",4," + ODP_LOCAL, dpif.install(ipKey(ODP_P2, 0x0a000002, 0x0a000001, 6, 2, 1))
                .actions().toString(), "flooded to the new port too");
        // p1 goes: the flow of its packets goes with it; p2's, which floods, is decided again.
        br0.portDel("p1");
        assertEquals(flushes, dpif.flushes, "no flush");
        assertTrue(dpif.flowDump().stream().noneMatch(f -> f.key().inPort() == ODP_P1), "p1's flows gone");
        assertEquals("4," + ODP_LOCAL, dpif.install(ipKey(ODP_P2, 0x0a000002, 0x0a000001, 6, 2, 1)).actions().toString());
    }

    @Test
    void translationFollowsTheRulesAndTheMaskSeparatesThem() throws Exception {
        ok("add-flow", "BR", "priority=100,in_port=1,actions=output:2");
        ok("add-flow", "BR", "dl_type=0x0800,nw_src=10.0.0.0/8,actions=mod_nw_src:192.168.0.1,output:7");

        // From p1, not in 10/8: the IPv4 rule (priority 32768) is looked at first and misses; then
        // in_port=1 decides: output to OpenFlow port 2, which does not exist: drop.
        FlowKey mask = new FlowKey();
        assertEquals(DpActions.DROP, upcall(ipKey(ODP_P1, 0x0b000001, 0x0b000002, 6, 1, 2), mask));
        assertEquals(-1, mask.inPort());
        assertEquals(0xffff, mask.dlType());
        assertEquals(0xff000000, mask.nwSrc(), "the /8 prefix, not the whole address");
        assertEquals(0, mask.nwDst());
        assertEquals(0L, mask.dlSrc(), "NORMAL did not run");

        // From LOCAL, an IPv4 packet from 10.1.2.3: rewritten and sent to p2.
        mask = new FlowKey();
        DpActions a = upcall(ipKey(ODP_LOCAL, 0x0a010203, 0x0b000001, 6, 1, 2), mask);
        assertEquals("set(ipv4(src=192.168.0.1))," + ODP_P2, a.toString());
        assertEquals(-1, mask.inPort());
        assertEquals(0xffff, mask.dlType());
        assertEquals(0xff000000, mask.nwSrc(), "the /8 prefix, not the whole address");
        assertEquals(0, mask.nwDst());
        assertEquals(0L, mask.dlSrc(), "NORMAL did not run");

        // From LOCAL, not 10/8: falls to NORMAL, whose fields join those of the rules above it.
        mask = new FlowKey();
        a = upcall(ipKey(ODP_LOCAL, 0x0b010203, 0x0b000001, 6, 1, 2), mask);
        assertEquals(ODP_P1 + "," + ODP_P2, a.toString(), "flooded by NORMAL");
        assertEquals(0xff000000, mask.nwSrc());
        assertEquals(MAC48, mask.dlSrc());
        assertEquals(MAC48, mask.dlDst());
        assertEquals(0xffff, mask.vlanTci());
    }

    @Test
    void aRuleFailedOnAnEarlyStageAddsOnlyThatStageToTheMegaflow() throws Exception {
        ok("del-flows", "BR");
        ok("add-flow", "BR", "ip,in_port=1,nw_dst=10.1.0.1,actions=output:7");
        // From LOCAL: the rule fails on in_port, so only in_port (and nothing of L2 or L3) is
        // in the mask, as Open vSwitch's staged lookup leaves it: one megaflow for the port.
        FlowKey mask = new FlowKey();
        assertEquals(DpActions.DROP, upcall(ipKey(ODP_LOCAL, 0x0a000001, 0x0a010001, 17, 1, 2), mask));
        FlowKey inPortOnly = new FlowKey();
        inPortOnly.setInPort(-1);
        assertEquals(inPortOnly, mask);
        // From p1 to another address: in_port and the Ethernet type pass, the L3 stage fails on
        // the destination: only the 13 leading bits that tell 10.9.9.9 from 10.1.0.1 (prefix
        // tracking, as Open vSwitch's tries) join the megaflow.
        mask = new FlowKey();
        assertEquals(DpActions.DROP, upcall(ipKey(ODP_P1, 0x0a000001, 0x0a090909, 17, 1, 2), mask));
        assertEquals(-1, mask.inPort());
        assertEquals(0xffff, mask.dlType());
        assertEquals(0xfff80000, mask.nwDst());
        assertEquals(0, mask.nwSrc());
        assertEquals(0, mask.tpDst());
        // And the packet the rule is for.
        mask = new FlowKey();
        assertEquals(String.valueOf(ODP_P2), upcall(ipKey(ODP_P1, 0x0a000001, 0x0a010001, 17, 1, 2), mask).toString());
        assertEquals(0xffffffff, mask.nwDst());
    }

    @Test
    void aPortNoRuleHasFixesOnlyTheLeadingBitsThatRuleItOut() throws Exception {
        ok("del-flows", "BR");
        for (int port = 80; port <= 84; port++) {
            ok("add-flow", "BR", "tcp,in_port=1,tp_dst=" + port + ",actions=output:7");
        }
        // TCP to 21940 (0x55b4): its second bit already differs from every rule's port
        // (0x0050-0x0054), so two bits of tp_dst and none of tp_src join the megaflow, as Open
        // vSwitch's ports trie leaves them: one megaflow for a quarter of all ports.
        FlowKey mask = new FlowKey();
        assertEquals(DpActions.DROP, upcall(ipKey(ODP_P1, 1, 2, 6, 1000, 21940), mask));
        assertEquals(0xc000, mask.tpDst());
        assertEquals(0, mask.tpSrc());
        assertEquals(0xff, mask.nwProto());
        // TCP to 85 (0x0055) shares 15 bits with 84 (0x0054): all 16 are needed.
        mask = new FlowKey();
        assertEquals(DpActions.DROP, upcall(ipKey(ODP_P1, 1, 2, 6, 1000, 85), mask));
        assertEquals(0xffff, mask.tpDst());
        // TCP to 82: the rule, with the whole port.
        mask = new FlowKey();
        assertEquals(String.valueOf(ODP_P2), upcall(ipKey(ODP_P1, 1, 2, 6, 1000, 82), mask).toString());
        assertEquals(0xffff, mask.tpDst());
    }

    @Test
    void vlanL2AndL4ActionsBecomeDatapathActions() throws Exception {
        ok("add-flow", "BR", "in_port=7,dl_vlan=10,actions=mod_vlan_vid:20,output:1,strip_vlan,output:LOCAL");
        ok("add-flow", "BR", "in_port=1,tcp,tp_dst=80,actions=mod_tp_dst:8080,mod_dl_dst:50:54:00:00:00:09,IN_PORT,ALL");
        FlowKey k = key(ODP_P2, A, B);
        k.setVlanTci(FlowKey.VLAN_CFI | (3 << 13) | 10);
        FlowKey mask = new FlowKey();
        assertEquals("pop_vlan,push_vlan(vid=20,pcp=3)," + ODP_P1 + ",pop_vlan," + ODP_LOCAL, upcall(k, mask).toString());
        assertEquals(0xffff, mask.vlanTci());

        mask = new FlowKey();
        assertEquals("set(eth(dst=50:54:00:00:00:09)),set(tcp(dst=8080))," + ODP_P1 + "," + ODP_P2 + "," + ODP_LOCAL,
                upcall(ipKey(ODP_P1, 1, 2, 6, 1000, 80), mask).toString());
        assertEquals(0xffff, mask.tpDst());
        assertEquals(0, mask.tpSrc());
        assertEquals(0xff, mask.nwProto());

        // UDP to port 80 from p1 is not the TCP rule's: NORMAL.
        mask = new FlowKey();
        assertEquals(ODP_P2 + "," + ODP_LOCAL, upcall(ipKey(ODP_P1, 1, 2, 17, 1000, 80), mask).toString());
        assertEquals(0xff, mask.nwProto(), "the TCP rule's fields are in the mask");
    }
}
