package org.jvswitch.api.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;

import org.jvswitch.api.packet.DpPacket;
import org.jvswitch.api.packet.PacketBufferPool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FlowKeyTest {
    private final PacketBufferPool pool = new PacketBufferPool("t", 4, 2176);

    @AfterEach
    void close() {
        pool.close();
    }

    private FlowKey extract(String hex) {
        byte[] b = HexFormat.of().parseHex(hex);
        DpPacket p = pool.alloc();
        p.copyFrom(b, 0, b.length);
        FlowKey k = new FlowKey();
        k.extract(p, 3);
        p.free();
        return k;
    }

    @Test
    void vlanTaggedIpv4Tcp() {
        FlowKey k = extract("505400000002" + "505400000001" + "8100" + "2064" + "0800"
                + "45100028000040004006" + "0000" + "0a000001" + "0a000002" + "04d20050" + "00000000000000005002000000000000");
        assertEquals(3, k.inPort());
        assertEquals(0x505400000002L, k.dlDst());
        assertEquals(0x505400000001L, k.dlSrc());
        assertTrue(k.hasVlan());
        assertEquals(100, k.vlanVid());
        assertEquals(1, k.vlanTci() >>> 13);
        assertEquals(0x0800, k.dlType());
        assertEquals(0x0a000001, k.nwSrc());
        assertEquals(0x0a000002, k.nwDst());
        assertEquals(6, k.nwProto());
        assertEquals(0x10, k.nwTos());
        assertEquals(64, k.nwTtl());
        assertEquals(1234, k.tpSrc());
        assertEquals(80, k.tpDst());
    }

    @Test
    void arpFields() {
        FlowKey k = extract("ffffffffffff" + "505400000001" + "0806" + "0001080006040001" + "505400000001" + "0a000001"
                + "000000000000" + "0a000002");
        assertEquals(0x0806, k.dlType());
        assertEquals(1, k.nwProto());
        assertEquals(0x0a000001, k.nwSrc());
        assertEquals(0x0a000002, k.nwDst());
    }

    @Test
    void truncatedFramesLeaveMissingFieldsZero() {
        FlowKey k = extract("505400000002505400000001080045");
        assertEquals(0x0800, k.dlType());
        assertEquals(0, k.nwSrc());
        FlowKey runt = extract("5054000000");
        assertEquals(0, runt.dlDst());
        assertEquals(3, runt.inPort());
    }

    @Test
    void maskedHashEqualsHashOfMaskedKey() {
        FlowKey k = extract("505400000002505400000001080045000028000040004006000" + "00a0000010a000002");
        FlowKey mask = new FlowKey();
        mask.setDlDst(-1L);
        mask.setInPort(-1);
        FlowKey masked = new FlowKey();
        masked.setMasked(k, mask);
        int[] words = mask.nonZeroWords();
        assertEquals(2, words.length);
        assertEquals(FlowKey.hashMasked(masked, mask, words), FlowKey.hashMasked(k, mask, words));
        assertTrue(masked.matchesMasked(k, mask, words));
        FlowKey other = new FlowKey();
        other.copyFrom(k);
        other.setDlDst(7);
        assertFalse(masked.matchesMasked(other, mask, words));
        other.copyFrom(k);
        other.w[3] = 12345;
        assertTrue(masked.matchesMasked(other, mask, words), "fields outside the mask do not matter");
    }

    @Test
    void qinqKeepsBothTags() {
        FlowKey k = extract("505400000002505400000001" + "88a8" + "0064" + "8100" + "00c8" + "0800"
                + "45000014000000004011" + "0000" + "0a000001" + "0a000002");
        assertEquals(100, k.vlanVid());
        assertEquals(200 | FlowKey.VLAN_CFI, k.innerVlanTci());
        assertEquals(0x0800, k.dlType());
        assertEquals(17, k.nwProto());
    }

    @Test
    void ipv6ThroughExtensionHeadersToTcpWithFlags() {
        String src = "20010db8000000000000000000000001";
        String dst = "20010db8000000000000000000000002";
        // hop-by-hop (8 bytes) -> fragment (first fragment) -> TCP SYN+ACK
        String ipv6 = "60012345" + "0024" + "00" + "40" + src + dst;
        String hbh = "2c00" + "000000000000";
        String frag = "06" + "00" + "0001" + "00000001";
        String tcp = "04d2" + "0050" + "00000000" + "00000000" + "5012" + "0000" + "00000000";
        FlowKey k = extract("505400000002505400000001" + "86dd" + ipv6 + hbh + frag + tcp);
        assertEquals(0x86dd, k.dlType());
        assertEquals(6, k.nwProto());
        assertEquals(64, k.nwTtl());
        assertEquals(FlowKey.FRAG_ANY, k.nwFrag());
        assertEquals(1234, k.tpSrc());
        assertEquals(80, k.tpDst());
        assertEquals(0x012, k.tcpFlags());
        assertEquals(0x12345, k.ipv6Label());
        assertEquals(0x20010db800000000L, k.w[5]);
        assertEquals(2L, k.w[8]);
    }

    @Test
    void laterIpv6FragmentsHaveNoPorts() {
        String ipv6 = "60000000" + "0010" + "2c" + "40" + "00".repeat(15) + "01" + "00".repeat(15) + "02";
        String frag = "11" + "00" + "0008" + "00000001";
        FlowKey k = extract("505400000002505400000001" + "86dd" + ipv6 + frag + "04d20050" + "00080000");
        assertEquals(FlowKey.FRAG_ANY | FlowKey.FRAG_LATER, k.nwFrag());
        assertEquals(17, k.nwProto());
        assertEquals(0, k.tpSrc());
    }

    @Test
    void neighbourSolicitationTargetAndSourceLinkAddress() {
        String ipv6 = "60000000" + "0020" + "3a" + "ff" + "fe80" + "00".repeat(13) + "01" + "ff02" + "00".repeat(9) + "01ff000002";
        String ns = "87" + "00" + "0000" + "00000000" + "fe80" + "00".repeat(13) + "02" + "01" + "01" + "505400000001";
        FlowKey k = extract("333300000002505400000001" + "86dd" + ipv6 + ns);
        assertEquals(58, k.nwProto());
        assertEquals(135, k.tpSrc());
        assertEquals(0xfe80000000000000L, k.w[11]);
        assertEquals(2L, k.w[12]);
        assertEquals(0x505400000001L, k.w[13]);
    }

    @Test
    void sctpPortsAndMetadata() {
        byte[] b = HexFormat.of().parseHex("505400000002505400000001" + "0800" + "45000020000000004084" + "0000"
                + "0a000001" + "0a000002" + "0b540b55" + "00000000" + "00000000");
        DpPacket p = pool.alloc();
        p.copyFrom(b, 0, b.length);
        p.recircId = 7;
        p.mark = 9;
        FlowKey k = new FlowKey();
        k.extract(p, 1);
        p.free();
        assertEquals(132, k.nwProto());
        assertEquals(2900, k.tpSrc());
        assertEquals(2901, k.tpDst());
        assertEquals(7, k.recircId());
        assertEquals(9, k.pktMark());
    }

    @Test
    void macText() {
        assertEquals("50:54:00:00:00:0a", FlowKey.formatMac(0x50540000000aL));
        assertEquals(0x50540000000aL, FlowKey.parseMac("50:54:00:00:00:0a"));
        assertThrows(IllegalArgumentException.class, () -> FlowKey.parseMac("50:54:00:00:00"));
    }
}
