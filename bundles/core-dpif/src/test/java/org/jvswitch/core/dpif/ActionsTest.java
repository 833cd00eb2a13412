package org.jvswitch.core.dpif;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

import org.jvswitch.api.dpif.DpActions;
import org.jvswitch.api.dpif.Dpif;
import org.jvswitch.api.dpif.UpcallHandler;
import org.jvswitch.api.flow.FlowKey;
import org.jvswitch.api.packet.DpPacket;
import org.jvswitch.core.registry.NetdevRegistryImpl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Packets leave with the headers the actions asked for, and with valid checksums. */
class ActionsTest {
    private NetdevRegistryImpl registry;
    private DpNetdevProvider provider;
    private Dpif dp;
    private QueueNetdev in;
    private QueueNetdev out;
    private QueueNetdev out2;

    @BeforeEach
    void setUp() throws Exception {
        registry = new NetdevRegistryImpl();
        registry.addProvider(new QueueNetdev.Provider("q", false), Map.of());
        provider = new DpNetdevProvider(registry);
        dp = provider.open("ovs-netdev");
        in = (QueueNetdev) registry.open("in", "q", Map.of());
        out = (QueueNetdev) registry.open("out", "q", Map.of());
        out2 = (QueueNetdev) registry.open("out2", "q", Map.of());
        dp.portAdd(in, 1);
        dp.portAdd(out, 2);
        dp.portAdd(out2, 3);
    }

    @AfterEach
    void tearDown() {
        provider.deactivate();
    }

    private static void await(BooleanSupplier c) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (!c.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out");
            }
            Thread.sleep(5);
        }
    }

    private byte[] through(DpActions actions, byte[] frame) throws Exception {
        dp.flowFlush();
        dp.setUpcallHandler((p, k, m) -> actions);
        int before = out.sent().size();
        in.offer(frame);
        await(() -> out.sent().size() > before);
        return out.sent().get(out.sent().size() - 1);
    }

    /** 1's complement sum over [off, off+len) plus {@code initial}; 0xffff... means valid when it folds to 0. */
    private static int sum(byte[] b, int off, int len, long initial) {
        long s = initial;
        for (int i = 0; i < len; i += 2) {
            s += ((b[off + i] & 0xff) << 8) | (i + 1 < len ? b[off + i + 1] & 0xff : 0);
        }
        while ((s >>> 16) != 0) {
            s = (s & 0xffff) + (s >>> 16);
        }
        return (int) (~s & 0xffff);
    }

    private static void assertValidIpv4AndTcp(byte[] f) {
        assertEquals(0, sum(f, 14, 20, 0), "IPv4 header checksum");
        int tcpLen = f.length - 34;
        long pseudo = 0;
        for (int i = 26; i < 34; i += 2) {
            pseudo += ((f[i] & 0xff) << 8) | (f[i + 1] & 0xff);
        }
        pseudo += 6 + tcpLen;
        assertEquals(0, sum(f, 34, tcpLen, pseudo), "TCP checksum");
    }

    /** Ethernet + IPv4 + TCP (20 bytes, no payload) with correct checksums. */
    private static byte[] tcpFrame() {
        byte[] f = new byte[54];
        byte[] hdr = java.util.HexFormat.of().parseHex("505400000002505400000001" + "0800"
                + "450000280001000040060000" + "0a000001" + "0a000002"
                + "04d20050" + "00000001" + "00000000" + "50020200" + "0000" + "0000");
        System.arraycopy(hdr, 0, f, 0, hdr.length);
        int ipc = sum(f, 14, 20, 0);
        f[24] = (byte) (ipc >>> 8);
        f[25] = (byte) ipc;
        long pseudo = 0x0a00 + 0x0001 + 0x0a00 + 0x0002 + 6 + 20;
        int tc = sum(f, 34, 20, pseudo);
        f[50] = (byte) (tc >>> 8);
        f[51] = (byte) tc;
        assertValidIpv4AndTcp(f);
        return f;
    }

    @Test
    void setIpv4AndTcpPortsKeepChecksumsValid() throws Exception {
        DpActions a = DpActions.builder()
                .setIpv4(DpActions.IPV4_SRC, 0xc0a80101, -1)
                .setIpv4(DpActions.IPV4_DST, 0x0b000000, 0xff000000)
                .setIpv4(DpActions.IPV4_TTL, 9, 0xff)
                .setIpv4(DpActions.IPV4_TOS, 0xb8, 0xfc)
                .setL4(6, DpActions.L4_DST, 8080, 0xffff)
                .setEthSrc(0x020000000001L, 0xffffffffffffL)
                .output(2).build();
        assertEquals("set(ipv4(src=192.168.1.1)),set(ipv4(dst=11.0.0.0/255.0.0.0)),set(ipv4(ttl=9)),"
                + "set(ipv4(tos=0xb8/0xfc)),set(tcp(dst=8080)),set(eth(src=02:00:00:00:00:01)),2", a.toString());
        byte[] f = through(a, tcpFrame());
        assertEquals("020000000001", java.util.HexFormat.of().formatHex(f, 6, 12));
        assertEquals("c0a80101", java.util.HexFormat.of().formatHex(f, 26, 30));
        assertEquals("0b000002", java.util.HexFormat.of().formatHex(f, 30, 34));
        assertEquals(9, f[22]);
        assertEquals((byte) 0xb8, f[15]);
        assertEquals(8080, ((f[36] & 0xff) << 8) | (f[37] & 0xff));
        assertValidIpv4AndTcp(f);
    }

    @Test
    void vlanPushThenPopRestoresTheFrame() throws Exception {
        byte[] f = tcpFrame();
        byte[] tagged = through(DpActions.builder().pushVlan(0x2064).output(2).build(), f);
        assertEquals(f.length + 4, tagged.length);
        assertEquals("81002064", java.util.HexFormat.of().formatHex(tagged, 12, 16));
        byte[] back = through(DpActions.builder().popVlan().output(2).build(), tagged);
        assertEquals(java.util.HexFormat.of().formatHex(f), java.util.HexFormat.of().formatHex(back));
    }

    @Test
    void setAfterPushVlanRewritesTheRightBytes() throws Exception {
        byte[] f = through(DpActions.builder().pushVlan(5).setIpv4(DpActions.IPV4_TTL, 1, 0xff).output(2).build(), tcpFrame());
        assertEquals(1, f[26], "TTL moved 4 bytes by the tag");
        byte[] untagged = new byte[f.length - 4];
        System.arraycopy(f, 0, untagged, 0, 12);
        System.arraycopy(f, 16, untagged, 12, f.length - 16);
        assertValidIpv4AndTcp(untagged);
    }

    @Test
    void truncCloneAndUserspace() throws Exception {
        List<Long> cookies = new CopyOnWriteArrayList<>();
        List<Integer> lengths = new CopyOnWriteArrayList<>();
        UpcallHandler h = new UpcallHandler() {
            @Override
            public DpActions upcall(DpPacket packet, FlowKey key, FlowKey mask) {
                return DpActions.builder()
                        .clone(DpActions.builder().setEthDst(0x0a0000000001L, 0xffffffffffffL).output(3).build())
                        .trunc(20).output(2)
                        .userspace(0x1234)
                        .output(2).build();
            }

            @Override
            public void action(DpPacket packet, long cookie) {
                cookies.add(cookie);
                lengths.add(packet.length());
            }
        };
        dp.setUpcallHandler(h);
        byte[] frame = tcpFrame();
        in.offer(frame);
        await(() -> out.sent().size() == 2 && out2.sent().size() == 1);
        assertEquals(20, out.sent().get(0).length, "truncated copy");
        assertEquals(frame.length, out.sent().get(1).length, "trunc applies to one output only");
        assertEquals("0a0000000001", java.util.HexFormat.of().formatHex(out2.sent().get(0), 0, 6), "clone rewrote its copy");
        assertEquals("505400000002", java.util.HexFormat.of().formatHex(out.sent().get(1), 0, 6), "not the original");
        assertEquals(List.of(0x1234L), cookies);
        assertEquals(List.of(frame.length), lengths);
        assertEquals(0, ((DpNetdev) dp).clonePool.inUse());
    }

    @Test
    void recirculationRunsThePacketAgainWithItsId() throws Exception {
        dp.setUpcallHandler((p, k, m) -> {
            m.w[9] = 0xffffffff00000000L;
            return k.recircId() == 0 ? DpActions.builder().recirc(7).build() : DpActions.builder().output(2).build();
        });
        in.offer(tcpFrame());
        await(() -> out.sent().size() == 1);
        assertEquals(2, dp.flowDump().size());
        assertEquals("recirc(0x7)", dp.flowDump().stream().filter(fl -> fl.key().recircId() == 0).findFirst()
                .orElseThrow().actions().toString());
    }

    @Test
    void aMeterDropsWhatExceedsItsRateAndCountsIt() throws Exception {
        // 1 packet per second, burst 5: of 20 back-to-back packets, the first 5 pass (a token
        // comes back only after a second, far beyond the test's time).
        dp.meterSet(9, new org.jvswitch.api.dpif.DpMeter(true, 1, 5));
        DpActions a = DpActions.builder().meter(9).output(2).build();
        assertEquals("meter(9),2", a.toString());
        dp.flowFlush();
        dp.setUpcallHandler((p, k, m) -> a);
        int before = out.sent().size();
        for (int i = 0; i < 20; i++) {
            in.offer(tcpFrame());
        }
        await(() -> {
            long[] st = dp.meterStats(9);
            return st != null && st[0] == 20;
        });
        Thread.sleep(50);
        assertEquals(5, out.sent().size() - before, "the burst passes, the rest is dropped");
        long[] st = dp.meterStats(9);
        assertEquals(20, st[0], "packets in");
        assertEquals(15, st[2], "packets dropped");
        assertEquals(15L * 54, st[3], "bytes dropped");
        // A replaced meter keeps its counters; a deleted one lets packets through.
        dp.meterSet(9, new org.jvswitch.api.dpif.DpMeter(true, 1000, 0));
        assertEquals(20, dp.meterStats(9)[0]);
        dp.meterDel(9);
        assertEquals(null, dp.meterStats(9));
        int mid = out.sent().size();
        in.offer(tcpFrame());
        await(() -> out.sent().size() > mid);
    }
}
