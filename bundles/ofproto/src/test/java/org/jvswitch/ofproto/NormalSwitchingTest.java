package org.jvswitch.ofproto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.jvswitch.api.dpif.DpActions;
import org.jvswitch.api.dpif.DpifProvider;
import org.jvswitch.api.flow.FlowKey;
import org.jvswitch.api.netdev.Netdev;
import org.jvswitch.api.netdev.NetdevStats;
import org.jvswitch.api.netdev.Rxq;
import org.jvswitch.api.ofproto.Ofproto;
import org.jvswitch.api.packet.DpPacketBatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The NORMAL action as a bridge with three ports decides it. */
class NormalSwitchingTest {
    private static final long A = 0x505400000001L;
    private static final long B = 0x505400000002L;
    private static final long BCAST = 0xffffffffffffL;

    private final RecordingDpif dpif = new RecordingDpif();
    private OfprotoServiceImpl service;
    private OfprotoDpif br0;
    private int odpLocal;
    private int odp1;
    private int odp2;

    private static Netdev netdev(String name) {
        return new Netdev() {
            @Override public String name() { return name; }
            @Override public String type() { return "dummy"; }
            @Override public int nRxq() { return 0; }
            @Override public Rxq rxq(int i) { throw new IndexOutOfBoundsException(); }
            @Override public int nTxq() { return 1; }
            @Override public int send(int txq, DpPacketBatch batch, boolean c) { batch.freeAll(); return 0; }
            @Override public long mac() { return 0; }
            @Override public int mtu() { return 1500; }
            @Override public boolean carrier() { return true; }
            @Override public NetdevStats stats() { return NetdevStats.ZERO; }
            @Override public void destruct() { }
        };
    }

    @BeforeEach
    void setUp() throws Exception {
        service = new OfprotoServiceImpl();
        service.addDpifProvider(new DpifProvider() {
            @Override public String type() { return "netdev"; }
            @Override public org.jvswitch.api.dpif.Dpif open(String name) { return dpif; }
        });
        br0 = (OfprotoDpif) service.create("br0", "netdev");
        assertEquals(Ofproto.OFPP_LOCAL, br0.portAdd(netdev("br0"), Ofproto.OFPP_LOCAL));
        assertEquals(1, br0.portAdd(netdev("p1"), -1));
        assertEquals(7, br0.portAdd(netdev("p2"), 7));
        odpLocal = 1;
        odp1 = 2;
        odp2 = 3;
    }

    @AfterEach
    void tearDown() {
        service.deactivate();
    }

    private DpActions packet(int inOdp, long src, long dst, FlowKey mask) {
        FlowKey key = new FlowKey();
        key.setInPort(inOdp);
        key.setDlSrc(src);
        key.setDlDst(dst);
        key.setDlType(FlowKey.ETH_TYPE_IP);
        return dpif.handler.upcall(null, key, mask);
    }

    @Test
    void floodsUnknownThenForwardsToTheLearnedPortOnly() {
        FlowKey mask = new FlowKey();
        assertEquals(List.of(odp2, odpLocal), outputs(packet(odp1, A, BCAST, mask)), "flooded in OpenFlow port order");
        assertEquals(-1L & 0xffffffffffffL, mask.dlSrc());
        assertEquals(-1L & 0xffffffffffffL, mask.dlDst());
        assertEquals(0, mask.dlType(), "NORMAL does not look at the EtherType");
        assertEquals(List.of(odp1), outputs(packet(odp2, B, A, new FlowKey())));
        assertEquals(List.of(odp2), outputs(packet(odp1, A, B, new FlowKey())));
    }

    @Test
    void neverHairpinsAndDropsInvalidSourcesAndBridgeProtocols() {
        packet(odp1, A, BCAST, new FlowKey());
        assertTrue(packet(odp1, B, A, new FlowKey()).isDrop(), "A lives on the input port");
        assertTrue(packet(odp1, 0x010000000001L, B, new FlowKey()).isDrop(), "multicast source");
        assertTrue(packet(odp1, A, 0x0180c2000000L, new FlowKey()).isDrop(), "STP BPDU");
    }

    @Test
    void aMovedAddressFollowsItsNewPort() {
        packet(odp1, A, BCAST, new FlowKey());
        assertEquals(1, br0.macs.lookup(0, A));
        packet(odp2, A, BCAST, new FlowKey());
        assertEquals(7, br0.macs.lookup(0, A));
        assertEquals(List.of(odp2), outputs(packet(odp1, B, A, new FlowKey())));
    }

    @Test
    void fdbShowListsLearnedAddressesLikeOpenVswitch() throws Exception {
        packet(odp1, A, BCAST, new FlowKey());
        packet(odpLocal, B, BCAST, new FlowKey());
        String out = new OfprotoCommands(service).fdbShow(List.of("br0"));
        assertEquals(" port  VLAN  MAC                Age\n"
                + "    1     0  50:54:00:00:00:01    0\n"
                + "LOCAL     0  50:54:00:00:00:02    0\n", out);
    }

    @Test
    void deletingAPortForgetsItsAddresses() {
        packet(odp2, A, BCAST, new FlowKey());
        br0.portDel("p2");
        assertEquals(-1, br0.macs.lookup(0, A));
        assertFalse(dpif.ports.stream().anyMatch(p -> p.name().equals("p2")));
        assertEquals(List.of(odpLocal), outputs(packet(odp1, B, A, new FlowKey())));
    }

    private DpActions tagged(int inOdp, long src, long dst, int vid) {
        FlowKey key = new FlowKey();
        key.setInPort(inOdp);
        key.setDlSrc(src);
        key.setDlDst(dst);
        key.setVlanTci(vid | FlowKey.VLAN_CFI);
        key.setDlType(FlowKey.ETH_TYPE_IP);
        return dpif.handler.upcall(null, key, new FlowKey());
    }

    @Test
    void accessAndTrunkPortsTagAndUntagAsOpenVswitch() {
        // p1 access VLAN 10, p2 trunk of 10 and 20, br0 (LOCAL) access VLAN 20.
        br0.portSetVlan("p1", "", 10, java.util.Set.of());
        br0.portSetVlan("p2", "trunk", -1, java.util.Set.of(10, 20));
        br0.portSetVlan("br0", "access", 20, java.util.Set.of());
        assertEquals("push_vlan(vid=10,pcp=0)," + odp2, packet(odp1, A, BCAST, new FlowKey()).toString(),
                "untagged from access port 10 leaves the trunk tagged 10, not the VLAN 20 port");
        assertEquals("pop_vlan," + odpLocal, tagged(odp2, B, BCAST, 20).toString(),
                "VLAN 20 from the trunk reaches only the VLAN 20 access port, untagged");
        assertEquals("pop_vlan," + odp1, tagged(odp2, B, A, 10).toString(), "unicast to A learned on VLAN 10");
        assertTrue(tagged(odp1, A, BCAST, 10).isDrop(), "tagged packets are not accepted on an access port");
        assertTrue(tagged(odp2, B, BCAST, 30).isDrop(), "VLAN 30 is not a trunk of p2");
        assertEquals(1, br0.macs.lookup(10, A));
        assertEquals(-1, br0.macs.lookup(0, A), "learned in VLAN 10 only");
    }

    @Test
    void learnedAddressesAgeOutAndTheirFlowsAreReDecided() {
        br0.setConfig(java.util.Map.of("mac-aging-time", "15"));
        packet(odp1, A, BCAST, new FlowKey());
        assertEquals(1, br0.macs.lookup(0, A));
        int flushesBefore = dpif.flushes;
        Revalidator revalidator = new Revalidator(service);
        revalidator.run(List.of(br0.backer()), System.currentTimeMillis() + 5_000);
        assertEquals(1, br0.macs.lookup(0, A), "still fresh after 5 s");
        revalidator.run(List.of(br0.backer()), System.currentTimeMillis() + 16_000);
        assertEquals(-1, br0.macs.lookup(0, A), "aged out after mac-aging-time");
        assertTrue(dpif.flushes > flushesBefore, "flows that unicast to it are re-decided");
        assertEquals(List.of(odp2, odpLocal), outputs(packet(odp1, B, A, new FlowKey())),
                "A is flooded again");
    }

    @Test
    void rulesExpireByHardAndIdleTimeout() {
        long now = System.nanoTime();
        org.jvswitch.ofproto.ofp.OfMatch none = org.jvswitch.ofproto.ofp.OfMatch.ANY;
        org.jvswitch.ofproto.ofp.OfRule hard = new org.jvswitch.ofproto.ofp.OfRule(0, 10, none, 1, 0, 1, 0,
                List.of(), now - 2_000_000_000L);
        org.jvswitch.ofproto.ofp.OfRule idle = new org.jvswitch.ofproto.ofp.OfRule(0, 20, none, 2, 1, 0, 0,
                List.of(), now - 2_000_000_000L);
        org.jvswitch.ofproto.ofp.OfRule fresh = new org.jvswitch.ofproto.ofp.OfRule(1, 30, none, 3, 60, 60, 0,
                List.of(), now);
        org.jvswitch.ofproto.ofp.OfRule unused = new org.jvswitch.ofproto.ofp.OfRule(2, 40, none, 4, 1, 0, 0,
                List.of(), now - 2_000_000_000L);
        br0.tables.add(hard);
        br0.tables.add(idle);
        br0.tables.add(fresh);
        br0.tables.add(unused);
        idle.counters.add(1, 64);   // used just now: not idle
        new Revalidator(service).run(List.of(br0.backer()), System.currentTimeMillis());
        List<Long> cookies = br0.tables.all().stream().map(r -> r.cookie).toList();
        assertTrue(!cookies.contains(1L), "hard_timeout=1 expired: " + cookies);
        assertTrue(!cookies.contains(4L), "idle_timeout=1 without a packet for 2 s expired: " + cookies);
        assertTrue(cookies.contains(2L) && cookies.contains(3L), cookies.toString());
    }

    private static List<Integer> outputs(DpActions a) {
        int[] prog = a.program();
        List<Integer> out = new java.util.ArrayList<>();
        for (int i = 0; i < prog.length; i += 2) {
            assertEquals(DpActions.OUTPUT, prog[i]);
            out.add(prog[i + 1]);
        }
        return out;
    }

    @Test
    void macTableAgesAndCaps() {
        MacLearning ml = new MacLearning();
        ml.configure(15, 10);
        for (int i = 0; i < 12; i++) {
            ml.learn(0, i, 1, 1000);
        }
        assertEquals(10, ml.size());
        assertEquals(-1, ml.lookup(0, 0), "least recently used evicted");
        assertFalse(ml.learn(0, 5, 1, 2000), "refresh is no change");
        assertTrue(ml.learn(0, 5, 2, 2000), "a move is a change");
        assertEquals(9, ml.expire(1000 + 15_000));
        assertEquals(1, ml.size());
        assertEquals(2, ml.lookup(0, 5));
    }
}
