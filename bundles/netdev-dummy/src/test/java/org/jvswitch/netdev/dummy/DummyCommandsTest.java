package org.jvswitch.netdev.dummy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.jvswitch.api.netdev.NetdevException;
import org.jvswitch.api.packet.DpPacketBatch;
import org.jvswitch.api.unixctl.UnixctlException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DummyCommandsTest {
    private DummyNetdev p1;

    @AfterEach
    void tearDown() {
        if (p1 != null) {
            p1.destruct();
        }
    }

    private DummyNetdev open(String name, Map<String, String> options) throws NetdevException {
        p1 = (DummyNetdev) new DummyProviders.Dummy().construct(name, options);
        return p1;
    }

    @Test
    void receiveQueuesHexAndFlowPacketsThatTheDatapathThenPolls() throws Exception {
        DummyNetdev dev = open("p1", Map.of());
        String hex = "ffffffffffff505400000001080045000014000000004000000000000a0000010a000002";
        DummyCommands.receive(List.of("p1", hex,
                "eth(src=50:54:00:00:00:01,dst=50:54:00:00:00:02),eth_type(0x0800),ipv4(src=10.0.0.1,dst=10.0.0.2,proto=17,ttl=64),udp(src=1,dst=2)",
                "--len", "128"));
        DpPacketBatch batch = new DpPacketBatch();
        assertEquals(2, dev.rxq(0).recv(batch));
        assertEquals(hex, PacketSpec.toHex(batch.get(0).toByteArray()));
        byte[] flow = batch.get(1).toByteArray();
        assertEquals(128, flow.length);
        assertEquals("505400000002505400000001" + "0800" + "4500", PacketSpec.toHex(flow).substring(0, 32));
        assertEquals(0, PacketSpec.checksum(flow, 14, 20), "valid IPv4 header checksum");
        assertEquals(128 - 14, ((flow[16] & 0xff) << 8) | (flow[17] & 0xff), "IP length covers the padding");
        batch.freeAll();
        assertEquals(2, dev.stats().rxPackets());
    }

    @Test
    void badInputGetsOpenVswitchsErrorsAndQueuesNothing() throws Exception {
        DummyNetdev dev = open("p1", Map.of("n_rxq", "2"));
        assertEquals("no such dummy netdev",
                assertThrows(UnixctlException.class, () -> DummyCommands.receive(List.of("nope", "00"))).getMessage());
        assertEquals("bad rx queue id.",
                assertThrows(UnixctlException.class, () -> DummyCommands.receive(List.of("p1", "--qid", "2", "00"))).getMessage());
        assertEquals("too small packet len", assertThrows(UnixctlException.class,
                () -> DummyCommands.receive(List.of("p1", "eth(src=50:54:00:00:00:01,dst=50:54:00:00:00:02),eth_type(0x0800)", "--len", "20"))).getMessage());
        String err = assertThrows(UnixctlException.class, () -> DummyCommands.receive(List.of("p1",
                "eth(src=50:54:00:00:00:01,dst=50:54:00:00:00:02),eth_type(0x0800)", "eth(src=zz)"))).getMessage();
        assertTrue(err.startsWith("syntax error at"), err);
        DpPacketBatch batch = new DpPacketBatch();
        assertEquals(0, dev.rxq(0).recv(batch), "a bad packet in the list injects none of them");
        assertEquals(0, dev.buffersInUse());
    }

    @Test
    void sentPacketsAreDumpedOnceAndAdminStateDownDrops() throws Exception {
        DummyNetdev dev = open("p1", Map.of());
        DummyCommands.receive(List.of("p1", "eth(src=50:54:00:00:00:01,dst=50:54:00:00:00:02),eth_type(0x0806),arp(sip=10.0.0.1,tip=10.0.0.2,op=1,sha=50:54:00:00:00:01,tha=00:00:00:00:00:00)"));
        DpPacketBatch batch = new DpPacketBatch();
        dev.rxq(0).recv(batch);
        dev.send(0, batch, false);
        String dump = DummyCommands.txDump(List.of("p1"));
        assertTrue(dump.startsWith("5054000000025054000000010806000108000604000150540000000"), dump);
        assertEquals("", DummyCommands.txDump(List.of("p1")));
        assertEquals("OK\n", DummyCommands.setAdminState(List.of("p1", "down")));
        assertEquals("1 packet(s) dropped: no buffer, queue full or port down\n",
                DummyCommands.receive(List.of("p1", "ffffffffffff5054000000010800")));
        assertEquals("Invalid Admin State",
                assertThrows(UnixctlException.class, () -> DummyCommands.setAdminState(List.of("sideways"))).getMessage());
        assertEquals(0, dev.buffersInUse());
    }

    @Test
    void generatorPortProducesCyclingFlowsAndSinkFreesAtOnce() throws Exception {
        DummyNetdev gen = open("gen", Map.of("gen-flows", "3", "tx-keep", "false"));
        DpPacketBatch batch = new DpPacketBatch();
        assertEquals(DpPacketBatch.MAX, gen.rxq(0).recv(batch));
        byte[] f0 = batch.get(0).toByteArray();
        byte[] f1 = batch.get(1).toByteArray();
        byte[] f3 = batch.get(3).toByteArray();
        assertEquals(64, f0.length);
        assertEquals("0a000001", PacketSpec.toHex(java.util.Arrays.copyOfRange(f0, 26, 30)));
        assertEquals("0a000002", PacketSpec.toHex(java.util.Arrays.copyOfRange(f1, 26, 30)));
        assertEquals("0a000001", PacketSpec.toHex(java.util.Arrays.copyOfRange(f3, 26, 30)), "3 flows, then again");
        gen.send(0, batch, false);
        assertEquals(0, gen.buffersInUse(), "tx-keep=false frees what is sent");
        assertEquals(32, gen.stats().txPackets());
        assertEquals("", DummyCommands.txDump(List.of("gen")));
    }

    @Test
    void pcapOptionRecordsWhatThePortReceivesAndSends(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path file = dir.resolve("p1.pcap");
        DummyNetdev dev = open("p1", Map.of("pcap", file.toString()));
        String hex = "ffffffffffff505400000001080045000014000000004000000000000a0000010a000002";
        DummyCommands.receive(List.of("p1", hex, hex));
        DpPacketBatch batch = new DpPacketBatch();
        dev.rxq(0).recv(batch);
        dev.send(0, batch, false);
        dev.destruct();
        p1 = null;
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(java.nio.file.Files.readAllBytes(file)).order(java.nio.ByteOrder.nativeOrder());
        assertEquals(0xa1b2c3d4, b.getInt(0), "pcap magic");
        assertEquals(1, b.getInt(20), "Ethernet link type");
        int records = 0;
        for (int off = 24; off < b.limit(); off += 16 + b.getInt(off + 8)) {
            assertEquals(hex.length() / 2, b.getInt(off + 8));
            assertEquals(hex, PacketSpec.toHex(java.util.Arrays.copyOfRange(b.array(), off + 16, off + 16 + hex.length() / 2)));
            records++;
        }
        assertEquals(4, records, "2 received + 2 sent");
    }

    @Test
    void badOptionsAreRefused() {
        NetdevException e = assertThrows(NetdevException.class, () -> open("p9", Map.of("n_rxq", "0")));
        assertEquals("invalid n_rxq 0: expected 1 to 64", e.getMessage());
        assertEquals(NetdevException.EINVAL, e.errno());
        e = assertThrows(NetdevException.class, () -> open("p9", Map.of("gen-flows", "none")));
        assertEquals("invalid gen-flows none: expected 1 to 16000000", e.getMessage());
    }

    /** The ones'-complement sum (not inverted) of {@code len} bytes plus {@code initial}, folded. */
    private static int fold(byte[] b, int off, int len, long initial) {
        long sum = initial;
        for (int i = 0; i + 1 < len; i += 2) {
            sum += ((b[off + i] & 0xff) << 8) | (b[off + i + 1] & 0xff);
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) sum;
    }

    private static int u16(byte[] b, int off) {
        return ((b[off] & 0xff) << 8) | (b[off + 1] & 0xff);
    }

    @Test
    void composedFramesCarryValidTransportChecksumsAsOpenVSwitchsDo() {
        String eth = "in_port(1),eth(src=50:54:00:00:00:01,dst=50:54:00:00:00:02),";
        for (String l4 : java.util.List.of("proto=6,tos=0,ttl=64,frag=no),tcp(src=1000,dst=80)",
                "proto=17,tos=0,ttl=64,frag=no),udp(src=1000,dst=53)")) {
            byte[] f = PacketSpec.fromFlow(eth + "eth_type(0x0800),ipv4(src=10.0.0.1,dst=10.0.0.2," + l4, 0);
            int len = u16(f, 16) - 20;
            long pseudo = u16(f, 26) + u16(f, 28) + u16(f, 30) + u16(f, 32) + (f[23] & 0xff) + len;
            assertEquals(0xffff, fold(f, 34, len, pseudo), l4);
            assertTrue(u16(f, 34 + ((f[23] & 0xff) == 6 ? 16 : 6)) != 0, "a checksum was written");
        }
        byte[] icmp = PacketSpec.fromFlow(eth + "eth_type(0x0800),ipv4(src=10.0.0.1,dst=10.0.0.2,proto=1,tos=0,ttl=64,"
                + "frag=no),icmp(type=8,code=0)", 0);
        assertEquals(0xffff, fold(icmp, 34, u16(icmp, 16) - 20, 0), "ICMP has no pseudo-header");
        byte[] v6 = PacketSpec.fromFlow(eth + "eth_type(0x86dd),ipv6(src=2001:db8::1,dst=2001:db8::2,label=0,proto=6,"
                + "tclass=0,hlimit=64,frag=no),tcp(src=1000,dst=80)", 0);
        int len = u16(v6, 18);
        long pseudo = 6 + len;
        for (int i = 22; i < 54; i += 2) {
            pseudo += u16(v6, i);
        }
        assertEquals(0xffff, fold(v6, 54, len, pseudo), "TCP over IPv6");
        byte[] icmp6 = PacketSpec.fromFlow(eth + "eth_type(0x86dd),ipv6(src=2001:db8::1,dst=2001:db8::2,label=0,proto=58,"
                + "tclass=0,hlimit=64,frag=no),icmpv6(type=128,code=0)", 0);
        int len6 = u16(icmp6, 18);
        long pseudo6 = 58 + len6;
        for (int i = 22; i < 54; i += 2) {
            pseudo6 += u16(icmp6, i);
        }
        assertEquals(0xffff, fold(icmp6, 54, len6, pseudo6), "ICMPv6, with the IPv6 pseudo-header");
        assertTrue(u16(icmp6, 56) != 0, "a checksum was written");
    }
}
