package org.jvswitch.ofproto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.jvswitch.api.dpif.DpActions;
import org.jvswitch.api.flow.FlowKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OpenFlow 1.3 groups programmed with the real ovs-ofctl: the same script Debian's Open vSwitch
 * 3.1 ran (resources/ovs-3.1/groups.sh) prints the same, group features aside; and packets take
 * the buckets the group types promise.
 */
class GroupTest {
    @TempDir
    Path rundir;
    private OvsScript sandbox;
    private OfprotoDpif br0;
    private RecordingDpif dpif;

    /** Datapath port of OpenFlow port n (LOCAL is datapath port 1). */
    private static int odp(int ofport) {
        return ofport + 1;
    }

    @BeforeEach
    void setUp() throws Exception {
        sandbox = new OvsScript(rundir, 3);
        br0 = sandbox.br0;
        dpif = sandbox.dpif;
    }

    @AfterEach
    void tearDown() {
        sandbox.close();
    }

    private String script(String name) throws Exception {
        return sandbox.run(name).replaceAll("duration=[0-9.]+s", "duration=Ds");
    }

    /** The output without the group-features section (jvswitch has no MPLS or queue actions). */
    private static String withoutFeatures(String out) {
        int a = out.indexOf("== dump-group-features");
        int b = out.indexOf("== del-groups\n");
        return out.substring(0, a) + out.substring(b);
    }

    @Test
    void groupScriptPrintsWhatOpenVSwitchPrinted() throws Exception {
        String ours = script("groups.sh");
        String ovs = OvsScript.golden("groups-out.txt").replaceAll("duration=[0-9.]+s", "duration=Ds");
        assertEquals(withoutFeatures(ovs), withoutFeatures(ours));
        assertTrue(ours.contains("""
                 Group table:
                    Types:  0xf
                    Capabilities:  0x7
                    all group:
                       max_groups=0xffffff00
                       actions: output group set_field strip_vlan push_vlan mod_nw_ttl dec_ttl
                """), ours);
        // As in Open vSwitch, deleting a group deleted the flows that sent to it.
        assertEquals(0, br0.tables.size());
    }

    /** Open vSwitch lists groups in hash order: each run of group lines is compared sorted. */
    private static String groupsSorted(String out) {
        StringBuilder b = new StringBuilder();
        java.util.List<String> run = new java.util.ArrayList<>();
        for (String line : (out + "\n").split("\n", -1)) {
            if (line.startsWith(" group_id=")) {
                run.add(line);
                continue;
            }
            java.util.Collections.sort(run);
            run.forEach(l -> b.append(l).append('\n'));
            run.clear();
            b.append(line).append('\n');
        }
        return b.toString();
    }

    @Test
    void openFlow15AndDefaultProtocolGroupScriptPrintsWhatOpenVSwitchPrinted() throws Exception {
        String ours = script("groups15.sh");
        String ovs = OvsScript.golden("groups15-out.txt").replaceAll("duration=[0-9.]+s", "duration=Ds");
        assertEquals(groupsSorted(ovs), groupsSorted(ours));
        assertEquals(0, br0.groups.size(), "del-groups left none");
    }

    /** replace-flows and diff-flows (resources/ovs-3.1/replace.sh) print what Open vSwitch 3.1 printed. */
    @Test
    void replaceAndDiffFlowsPrintWhatOpenVSwitchPrinted() throws Exception {
        String ours = script("replace.sh");
        String ovs = OvsScript.golden("replace-out.txt");
        assertEquals(ovs, ours);
        assertEquals(5, br0.tables.size(), "the flows of new.txt");
    }

    /**
     * Groups chained into a loop (1 -> 2 -> 1, built with a mod-group) end the translation at the
     * depth limit instead of overflowing the datapath thread's stack; out_group selects flows in
     * statistics and deletes.
     */
    @Test
    void aGroupLoopEndsTheTranslationAndOutGroupSelectsFlows() throws Exception {
        assertEquals("", sandbox.bash("""
                O="-O OpenFlow13"
                ovs-ofctl $O add-group br0 group_id=1,type=all,bucket=output:1
                ovs-ofctl $O add-group br0 group_id=2,type=all,bucket=output:2,group:1
                ovs-ofctl $O mod-group br0 group_id=1,type=all,bucket=group:2
                ovs-ofctl $O add-flow br0 in_port=3,udp,actions=group:1
                ovs-ofctl $O add-flow br0 in_port=3,tcp,actions=group:2
                """));
        FlowKey k = udp(odp(3), 0x505400000001L, 1000);
        DpActions a = upcall(k, new FlowKey());
        assertTrue(a.toString().startsWith(String.valueOf(odp(2))), "the loop ran up to the limit, then stopped: " + a);

        String flows = sandbox.bash("ovs-ofctl -O OpenFlow13 --no-stats dump-flows br0 out_group=2\n");
        assertEquals(" tcp,in_port=3 actions=group:2\n", flows);
        assertEquals("", sandbox.bash("ovs-ofctl -O OpenFlow13 del-flows br0 out_group=2\n"));
        assertEquals(" udp,in_port=3 actions=group:1\n", sandbox.bash("ovs-ofctl -O OpenFlow13 --no-stats dump-flows br0\n"));
    }

    private static FlowKey udp(int odpIn, long src, int srcPort) {
        FlowKey k = new FlowKey();
        k.setInPort(odpIn);
        k.setDlSrc(src);
        k.setDlDst(0x505400000002L);
        k.setDlType(FlowKey.ETH_TYPE_IP);
        k.w[3] = (0x0a000001L << 32) | 0x0a000002L;
        k.w[4] = (17L << 56) | (64L << 40) | ((long) srcPort << 16) | 53;
        return k;
    }

    private DpActions upcall(FlowKey k, FlowKey mask) {
        return dpif.handler.upcall(null, k, mask);
    }

    @Test
    void packetsTakeTheBucketsTheGroupTypePromises() throws Exception {
        String out = script("groups.sh");
        assertTrue(out.contains("== del-groups"), out);
        // groups.sh ends with no groups; build a fresh set through the same tool.
        assertEquals("", sandbox.bash("""
                O="-O OpenFlow13"
                ovs-ofctl $O add-group br0 group_id=1,type=all,bucket=output:1,bucket=mod_dl_src:02:00:00:00:00:09,output:2
                ovs-ofctl $O add-group br0 'group_id=2,type=select,bucket=weight:10,actions=output:1,bucket=weight:30,actions=output:2'
                ovs-ofctl $O add-group br0 group_id=3,type=fast_failover,bucket=watch_port:1,actions=output:1,bucket=watch_port:2,actions=output:2
                ovs-ofctl $O add-group br0 group_id=4,type=indirect,bucket=actions=mod_vlan_vid:9,output:1
                ovs-ofctl $O add-flow br0 in_port=3,udp,tp_dst=53,actions=group:1,output:1
                ovs-ofctl $O add-flow br0 in_port=3,udp,tp_dst=54,actions=group:2
                ovs-ofctl $O add-flow br0 in_port=3,udp,tp_dst=55,actions=group:3
                ovs-ofctl $O add-flow br0 in_port=3,udp,tp_dst=56,actions=group:4
                """));

        // all: every bucket, each on the packet as it came; then the flow's own output sees the
        // packet unchanged by the buckets.
        FlowKey k = udp(odp(3), 0x505400000001L, 1000);
        assertEquals(odp(1) + ",set(eth(src=02:00:00:00:00:09))," + odp(2) + ",set(eth(src=50:54:00:00:00:01)),"
                + odp(1), upcall(k, new FlowKey()).toString());

        // select: one bucket per flow, chosen by a hash the megaflow fixes, about 1:3 by weight.
        Map<String, Integer> chosen = new HashMap<>();
        for (int i = 0; i < 400; i++) {
            FlowKey f = udp(odp(3), 0x505400000000L + i, 1000 + i);
            f.w[4] = (f.w[4] & ~0xffffL) | 54;
            FlowKey mask = new FlowKey();
            chosen.merge(upcall(f, mask).toString(), 1, Integer::sum);
            assertEquals(-1L & 0xffffffffffffL, mask.dlSrc(), "the hash read the source address");
        }
        assertEquals(2, chosen.size(), chosen.toString());
        int one = chosen.get(String.valueOf(odp(1)));
        int two = chosen.get(String.valueOf(odp(2)));
        assertTrue(one > 50 && two > 200, chosen.toString());

        // fast failover: the first bucket whose port is live; p1 down moves the traffic to p2.
        FlowKey ff = udp(odp(3), 0x505400000001L, 1000);
        ff.w[4] = (ff.w[4] & ~0xffffL) | 55;
        assertEquals(String.valueOf(odp(1)), upcall(ff, new FlowKey()).toString());
        br0.portMod(1, 0xaa55aa550001L, 1, 1);              // PORT_DOWN
        assertEquals(String.valueOf(odp(2)), upcall(ff, new FlowKey()).toString());
        br0.portMod(1, 0xaa55aa550001L, 0, 1);

        // indirect: its one bucket.
        FlowKey ind = udp(odp(3), 0x505400000001L, 1000);
        ind.w[4] = (ind.w[4] & ~0xffffL) | 56;
        assertEquals("push_vlan(vid=9,pcp=0)," + odp(1), upcall(ind, new FlowKey()).toString());

        // A trace shows the buckets.
        String t = new OfprotoCommands(sandbox.service).trace(List.of("br0", "in_port=3,udp,tp_dst=56"));
        assertTrue(t.contains("    group:4\n    bucket 0\n            push_vlan:0x8100\n            set_field:4105->vlan_vid\n"
                + "            output:1\n"), t);
        assertTrue(t.endsWith("Datapath actions: push_vlan(vid=9,pcp=0)," + odp(1) + "\n"), t);
    }
}
