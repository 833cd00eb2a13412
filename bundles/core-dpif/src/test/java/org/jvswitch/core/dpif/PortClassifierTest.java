package org.jvswitch.core.dpif;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import org.jvswitch.api.dpif.DpActions;
import org.jvswitch.api.dpif.Dpif;
import org.jvswitch.api.dpif.DpifFlow;
import org.jvswitch.api.flow.FlowKey;
import org.jvswitch.api.packet.DpPacket;
import org.jvswitch.api.packet.PacketBufferPool;
import org.jvswitch.core.registry.NetdevRegistryImpl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PortClassifierTest {
    private DpNetdevProvider provider;

    @AfterEach
    void tearDown() {
        if (provider != null) {
            provider.deactivate();
        }
    }

    private static byte[] tagged(byte[] f, int tpid, int tci) {
        byte[] t = new byte[f.length + 4];
        System.arraycopy(f, 0, t, 0, 12);
        t[12] = (byte) (tpid >> 8);
        t[13] = (byte) tpid;
        t[14] = (byte) (tci >> 8);
        t[15] = (byte) tci;
        System.arraycopy(f, 12, t, 16, f.length - 12);
        return t;
    }

    private static byte[] fragment(byte[] f, int flagsOffset) {
        byte[] c = f.clone();
        c[20] = (byte) (flagsOffset >> 8);
        c[21] = (byte) flagsOffset;
        return c;
    }

    private static byte[] withType(byte[] f, int type) {
        byte[] c = f.clone();
        c[12] = (byte) (type >> 8);
        c[13] = (byte) type;
        return c;
    }

    @Test
    void extractsTheSameWordsAsTheFullFlowKey() {
        byte[] udp = Frames.udp(0x505400000001L, 0x505400000002L, 1000);
        List<byte[]> frames = new ArrayList<>(List.of(udp, fragment(udp, 0x2000), fragment(udp, 0x0010),
                fragment(udp, 0x4000), tagged(udp, 0x8100, 0x2064), tagged(tagged(udp, 0x8100, 7), 0x88a8, 9),
                tagged(fragment(udp, 0x2000), 0x8100, 5), withType(udp, 0x0806), withType(udp, 0x0042),
                withType(udp, 0x86dd), new byte[10], java.util.Arrays.copyOf(tagged(udp, 0x8100, 3), 16),
                java.util.Arrays.copyOf(udp, 30)));
        try (PacketBufferPool pool = new PacketBufferPool("t", 4, 2048)) {
            for (byte[] f : frames) {
                DpPacket p = pool.alloc();
                p.copyFrom(f, 0, f.length);
                FlowKey k = new FlowKey();
                k.extract(p, 7);
                int l3 = p.l3Ofs;
                long w0 = SimpleMatch.extractW0(p, 7);
                if (w0 != -1) {
                    assertEquals(k.w[0], w0, "word 0 of " + f.length + "-byte frame");
                    assertEquals(l3, p.l3Ofs);
                    long w4 = SimpleMatch.extractFragW4(p, w0);
                    if (w4 != -1) {
                        assertEquals(k.w[4] & (0xffL << 32), w4, "fragment bits");
                    } else {
                        assertEquals(0x86dd, k.dlType());
                    }
                } else {
                    assertTrue(f.length < 22, "only truncated tags fall back");
                }
                p.free();
            }
        }
    }

    private static void await(BooleanSupplier cond, String what) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (!cond.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(5);
        }
    }

    private String pmdStats() throws Exception {
        return new DpifNetdevCommands(provider).all().stream().filter(c -> c.name().equals("dpif-netdev/pmd-stats-show"))
                .findFirst().orElseThrow().execute(List.of());
    }

    @Test
    void portsWithOnlySimpleFlowsSkipTheCachesUntilAnotherKindOfFlowArrives() throws Exception {
        NetdevRegistryImpl registry = new NetdevRegistryImpl();
        registry.addProvider(new QueueNetdev.Provider("q", false), Map.of());
        provider = new DpNetdevProvider(registry);
        Dpif dp = provider.open("ovs-netdev");
        dp.setConfig(Map.of("emc-insert-inv-prob", "1"));
        QueueNetdev a = (QueueNetdev) registry.open("a", "q", Map.of());
        QueueNetdev b = (QueueNetdev) registry.open("b", "q", Map.of());
        QueueNetdev c = (QueueNetdev) registry.open("c", "q", Map.of());
        int pa = dp.portAdd(a, -1);
        int pb = dp.portAdd(b, -1);
        int pc = dp.portAdd(c, -1);
        // Like "in_port=a,actions=b" plus fragments of IP to c: masks of dl_type and frag only,
        // except for ARP, which gets an address in its mask (not a simple flow).
        dp.setUpcallHandler((packet, key, mask) -> {
            mask.setDlType(0xffff);
            if (key.dlType() == 0x0806) {
                mask.setDlDst(-1L);
                return DpActions.builder().output(pb).build();
            }
            mask.w[4] |= 0xffL << 32;
            return DpActions.builder().output(key.nwFrag() != 0 ? pc : pb).build();
        });
        byte[] udp = Frames.udp(0x505400000001L, 0x505400000002L, 1000);
        byte[] frag = fragment(udp, 0x2000);
        a.offer(udp);
        a.offer(frag);
        await(() -> b.sent().size() == 1 && c.sent().size() == 1, "the first two, through upcalls");
        for (int i = 0; i < 49; i++) {
            a.offer(udp);
            a.offer(frag);
        }
        await(() -> b.sent().size() == 50 && c.sent().size() == 50, "50 out of b, 50 out of c");
        assertArrayEquals(udp, b.sent().get(49));
        assertArrayEquals(frag, c.sent().get(49));
        String stats = pmdStats();
        assertTrue(stats.contains("  simple match hits: 98\n  emc hits: 0\n"), stats);
        assertTrue(stats.contains("  miss with success upcall: 2\n"), stats);

        byte[] arp = withType(udp, 0x0806);
        a.offer(arp);
        await(() -> b.sent().size() == 51, "the ARP frame");
        for (int i = 0; i < 10; i++) {
            a.offer(udp);
        }
        await(() -> b.sent().size() == 61, "10 more");
        stats = pmdStats();
        assertTrue(stats.contains("  simple match hits: 98\n"), "port a has a non-simple flow now: " + stats);
        assertTrue(stats.contains("  miss with success upcall: 3\n"), stats);
        assertEquals(3, dp.flowDump().size());
        // Remove the ARP flow: the port is simple again.
        for (var f : dp.flowDump()) {
            if (f.key().dlType() == 0x0806) {
                assertTrue(dp.flowDel(f.key(), f.mask()));
            }
        }
        for (int i = 0; i < 10; i++) {
            a.offer(udp);
        }
        await(() -> b.sent().size() == 71, "10 more");
        assertTrue(pmdStats().contains("  simple match hits: 108\n"), pmdStats());
    }

    @Test
    void portsWhoseFlowsShareOneL3MaskAreLookedUpWithoutTheCaches() throws Exception {
        L3Ports ports = l3Ports(-1);
        Dpif dp = ports.dp();
        dp.setConfig(Map.of("emc-insert-inv-prob", "1"));
        QueueNetdev a = ports.a();
        QueueNetdev b = ports.b();
        QueueNetdev c = ports.c();
        byte[] toB = Frames.udp(0x505400000001L, 0x505400000002L, 1000);
        a.offer(toB);
        await(() -> b.sent().size() == 1, "the first, through an upcall");
        for (int i = 0; i < 20; i++) {
            a.offer(Frames.udp(0x505400000001L, 0x505400000002L, 2000 + i));   // other ports, same flow
        }
        await(() -> b.sent().size() == 21, "20 more");
        String stats = pmdStats();
        assertTrue(stats.contains("  emc hits: 0\n  smc hits: 0\n  megaflow hits: 20\n"), "one flow, a masked compare: " + stats);
        byte[] toC = Frames.udp(0x505400000001L, 0x505400000002L, 1000);
        toC[33] = 3;
        a.offer(toC);
        await(() -> c.sent().size() == 1, "to c, through an upcall");
        for (int i = 0; i < 10; i++) {
            a.offer(toB);
            a.offer(toC);
        }
        await(() -> b.sent().size() == 31 && c.sent().size() == 11, "10 each");
        assertArrayEquals(toC, c.sent().get(10));
        stats = pmdStats();
        assertTrue(stats.contains("  emc hits: 0\n  smc hits: 0\n  megaflow hits: 40\n"), "two flows, a compare each: " + stats);
        assertTrue(stats.contains("  miss with success upcall: 2\n"), stats);

        // Past PortClassifier.FEW flows the port's flows are hashed instead of compared in turn;
        // below it again, compared. Each destination keeps reaching its port either way.
        byte[][] to = new byte[8][];
        for (int d = 0; d < to.length; d++) {
            to[d] = Frames.udp(0x505400000001L, 0x505400000002L, 1000);
            to[d][33] = (byte) (2 + d);   // 10.0.0.2 .. 10.0.0.9: b for .2, c for the others
        }
        for (int d = 2; d < to.length; d++) {
            a.offer(to[d]);
            int want = 11 + d - 1;
            await(() -> c.sent().size() == want, "to c, destination " + d);
        }
        assertTrue(pmdStats().contains("  miss with success upcall: 8\n"), pmdStats());
        for (int round = 0; round < 5; round++) {
            for (byte[] f : to) {
                a.offer(f);
            }
        }
        await(() -> b.sent().size() == 36 && c.sent().size() == 17 + 35, "5 rounds over 8 flows");
        stats = pmdStats();
        assertTrue(stats.contains("  emc hits: 0\n  smc hits: 0\n  megaflow hits: 80\n"), "eight flows, one probe each: " + stats);
        for (DpifFlow f : dp.flowDump()) {
            if ((f.key().w[3] & 0xff) >= 5) {
                assertTrue(dp.flowDel(f.key(), f.mask()));
            }
        }
        assertEquals(3, dp.flowDump().size());
        a.offer(to[0]);
        a.offer(to[2]);
        await(() -> b.sent().size() == 37 && c.sent().size() == 53, "back to three flows");
        assertArrayEquals(to[2], c.sent().get(52));
        stats = pmdStats();
        assertTrue(stats.contains("  megaflow hits: 82\n"), "three flows, compared in turn: " + stats);
        assertTrue(stats.contains("  miss with success upcall: 8\n"), stats);
    }

    /**
     * One batch holding packets of two installed flows, of two new flows and of a flow the
     * upcall refuses, interleaved: each installed flow's packets leave first (the per-port
     * stage), then the new flows' (the full lookup); each port sees its packets in arrival order.
     */
    @Test
    void aBatchOfSeveralFlowsMissesAndRefusedPacketsDeliversEachPortInOrder() throws Exception {
        L3Ports ports = l3Ports(9);
        Dpif dp = ports.dp();
        QueueNetdev a = ports.a();
        QueueNetdev b = ports.b();
        QueueNetdev c = ports.c();
        a.offer(frame(2, 1));
        await(() -> b.sent().size() == 1, "the flow to b");
        a.offer(frame(3, 2));
        await(() -> c.sent().size() == 1, "the flow to c");
        int[] dsts = {2, 3, 4, 9, 2, 3, 5, 9, 2};
        byte[][] sent = new byte[dsts.length][];
        a.hold();
        for (int i = 0; i < dsts.length; i++) {
            sent[i] = frame(dsts[i], 100 + i);
            a.offer(sent[i]);
        }
        a.release();
        await(() -> b.sent().size() == 4 && c.sent().size() == 5, "the batch");
        List<byte[]> toB = b.sent();
        assertArrayEquals(sent[0], toB.get(1));
        assertArrayEquals(sent[4], toB.get(2));
        assertArrayEquals(sent[8], toB.get(3));
        List<byte[]> toC = c.sent();
        assertArrayEquals(sent[1], toC.get(1));
        assertArrayEquals(sent[5], toC.get(2));
        assertArrayEquals(sent[2], toC.get(3));
        assertArrayEquals(sent[6], toC.get(4));
        String stats = pmdStats();
        assertTrue(stats.contains("  packets received: 11\n"), stats);
        assertTrue(stats.contains("  megaflow hits: 5\n"), stats);
        assertTrue(stats.contains("  miss with success upcall: 4\n  miss with failed upcall: 2\n"), stats);
        assertEquals(4, dp.flowDump().size());
        assertEquals(0, a.pool.inUse(), "the refused packets went back to their pool");
    }

    private record L3Ports(Dpif dp, QueueNetdev a, QueueNetdev b, QueueNetdev c) { }

    /**
     * A datapath with ports a, b and c whose upcalls answer like "ip,nw_dst=10.0.0.2,actions=b"
     * and "ip,actions=c" (one mask for every flow of port a: the Ethernet type and the IPv4
     * destination), and refuse (no flow, the packet is lost) the destination ending in
     * {@code refused}.
     */
    private L3Ports l3Ports(int refused) throws Exception {
        NetdevRegistryImpl registry = new NetdevRegistryImpl();
        registry.addProvider(new QueueNetdev.Provider("q", false), Map.of());
        provider = new DpNetdevProvider(registry);
        Dpif dp = provider.open("ovs-netdev");
        QueueNetdev a = (QueueNetdev) registry.open("a", "q", Map.of());
        QueueNetdev b = (QueueNetdev) registry.open("b", "q", Map.of());
        QueueNetdev c = (QueueNetdev) registry.open("c", "q", Map.of());
        dp.portAdd(a, -1);
        int pb = dp.portAdd(b, -1);
        int pc = dp.portAdd(c, -1);
        dp.setUpcallHandler((packet, key, mask) -> {
            mask.setDlType(0xffff);
            mask.w[3] |= 0xffffffffL;
            int dst = (int) key.w[3] & 0xff;
            return dst == refused ? null : DpActions.builder().output(dst == 2 ? pb : pc).build();
        });
        return new L3Ports(dp, a, b, c);
    }

    private static byte[] frame(int dst, int sport) {
        byte[] f = Frames.udp(0x505400000001L, 0x505400000002L, sport);
        f[33] = (byte) dst;
        return f;
    }

    /** The per-port stage reads TCP flags on its own: they must agree with the full extraction's. */
    @Test
    void tcpFlagsAgreeWithTheFullExtraction() {
        byte[] tcp = Frames.udp(0x505400000001L, 0x505400000002L, 1000);
        tcp[23] = 6;
        tcp[46] = 0x50;
        tcp[47] = 0x12;                                   // SYN|ACK
        byte[] options = new byte[tcp.length + 4];        // IHL 6: four bytes of IP options
        System.arraycopy(tcp, 0, options, 0, 34);
        System.arraycopy(tcp, 34, options, 38, tcp.length - 34);
        options[14] = 0x46;
        options[17] = (byte) (tcp[17] + 4);
        options[51] = 0x11;                               // FIN|ACK, at its shifted place
        byte[] udp = Frames.udp(0x505400000001L, 0x505400000002L, 1000);
        List<byte[]> frames = new java.util.ArrayList<>(List.of(tcp, options, fragment(tcp, 0x2000),
                fragment(tcp, 0x0010), udp, tagged(tcp, 0x8100, 5)));
        for (int cut = 30; cut < tcp.length; cut += 3) {
            frames.add(java.util.Arrays.copyOf(tcp, cut)); // truncated inside IP or TCP
        }
        try (PacketBufferPool pool = new PacketBufferPool("t", 1, 2048)) {
            for (byte[] f : frames) {
                DpPacket p = pool.alloc();
                p.copyFrom(f, 0, f.length);
                FlowKey all = new FlowKey();
                all.extract(p, 5);
                int expected = (int) all.w[9] & 0x0fff;
                assertEquals(expected, SimpleMatch.tcpFlags(p, all.dlType()), f.length + "-byte frame");
                p.free();
            }
        }
        assertEquals(0x12, flagsOf(tcp));
        assertEquals(0x11, flagsOf(options));
        assertEquals(0, flagsOf(fragment(tcp, 0x0010)), "a later fragment has no TCP header");
    }

    private static int flagsOf(byte[] f) {
        try (PacketBufferPool pool = new PacketBufferPool("t", 1, 2048)) {
            DpPacket p = pool.alloc();
            p.copyFrom(f, 0, f.length);
            FlowKey k = new FlowKey();
            k.extract(p, 5);
            int flags = SimpleMatch.tcpFlags(p, k.dlType());
            p.free();
            return flags;
        }
    }

    @Test
    void extractionStopsAtTheLevelAsked() {
        byte[] udp = Frames.udp(0x505400000001L, 0x505400000002L, 1000);
        try (PacketBufferPool pool = new PacketBufferPool("t", 1, 2048)) {
            DpPacket p = pool.alloc();
            p.copyFrom(udp, 0, udp.length);
            FlowKey all = new FlowKey();
            all.extract(p, 5);
            assertEquals(34, p.l4Ofs);
            FlowKey l3 = new FlowKey();
            l3.extract(p, 5, FlowKey.EXTRACT_L3);
            assertEquals(-1, p.l4Ofs, "no transport header parsed");
            assertEquals(all.w[3], l3.w[3]);
            assertEquals(all.w[4] & ~0xffffffffL, l3.w[4], "network fields, no ports");
            FlowKey l2 = new FlowKey();
            l2.extract(p, 5, FlowKey.EXTRACT_L2);
            assertEquals(all.w[0], l2.w[0]);
            assertEquals(all.w[1], l2.w[1]);
            assertEquals(all.w[2], l2.w[2]);
            assertEquals(0, l2.w[3]);
            assertEquals(0, l2.w[4]);
            assertEquals(14, p.l3Ofs);
            p.free();
        }
    }

    @Test
    void megaflowsCollectTheTcpFlagsOfTheirPackets() throws Exception {
        NetdevRegistryImpl registry = new NetdevRegistryImpl();
        registry.addProvider(new QueueNetdev.Provider("q", false), Map.of());
        provider = new DpNetdevProvider(registry);
        Dpif dp = provider.open("ovs-netdev");
        QueueNetdev a = (QueueNetdev) registry.open("a", "q", Map.of());
        QueueNetdev b = (QueueNetdev) registry.open("b", "q", Map.of());
        dp.portAdd(a, -1);
        int pb = dp.portAdd(b, -1);
        // An in_port-only flow (simple match): the flags come from the packets all the same.
        dp.setUpcallHandler((packet, key, mask) -> DpActions.builder().output(pb).build());
        byte[] syn = Frames.udp(0x505400000001L, 0x505400000002L, 1000);
        syn[23] = 6;                  // TCP
        syn[46] = 0x50;               // data offset 5
        syn[47] = 0x02;               // SYN
        byte[] ack = syn.clone();
        ack[47] = 0x10;               // ACK
        a.offer(syn);
        await(() -> b.sent().size() == 1, "the SYN");
        a.offer(ack);
        await(() -> b.sent().size() == 2, "the ACK");
        String dump = new DpifNetdevCommands(provider).all().stream().filter(c -> c.name().equals("dpctl/dump-flows"))
                .findFirst().orElseThrow().execute(List.of());
        assertTrue(dump.contains(", flags:S., actions:"), dump);
        assertEquals(0x12, dp.flowDump().get(0).tcpFlags());
    }
}
