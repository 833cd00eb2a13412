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
                + "45100028000040004006" + "0000" + "0a000001" + "0a000002" + "04d20050" + "0000000000000000500200000000");
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
        assertEquals(masked.hash(), FlowKey.hashMasked(k, mask));
        assertTrue(masked.matchesMasked(k, mask));
        FlowKey other = new FlowKey();
        other.copyFrom(k);
        other.setDlDst(7);
        assertFalse(masked.matchesMasked(other, mask));
    }

    @Test
    void macText() {
        assertEquals("50:54:00:00:00:0a", FlowKey.formatMac(0x50540000000aL));
        assertEquals(0x50540000000aL, FlowKey.parseMac("50:54:00:00:00:0a"));
        assertThrows(IllegalArgumentException.class, () -> FlowKey.parseMac("50:54:00:00:00"));
    }
}
