package org.jvswitch.ofproto.ofp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.jvswitch.api.netdev.Netdev;
import org.jvswitch.api.netdev.NetdevStats;
import org.jvswitch.api.netdev.Rxq;
import org.jvswitch.api.packet.DpPacketBatch;
import org.junit.jupiter.api.Test;

/** The protocol state machine without sockets: negotiation, bad input and reply framing. */
class OfpSessionTest {
    private final List<SwitchView.Port> ports = new ArrayList<>();
    private final SwitchView sw = new SwitchView() {
        @Override public String name() { return "br0"; }
        @Override public long datapathId() { return 0x1234; }
        @Override public List<Port> ports() { return ports; }
    };

    private static Netdev netdev(String name) {
        return new Netdev() {
            @Override public String name() { return name; }
            @Override public String type() { return "dummy"; }
            @Override public int nRxq() { return 0; }
            @Override public Rxq rxq(int i) { throw new IndexOutOfBoundsException(); }
            @Override public int nTxq() { return 1; }
            @Override public int send(int txq, DpPacketBatch batch, boolean c) { return 0; }
            @Override public long mac() { return 0x020000000001L; }
            @Override public int mtu() { return 1500; }
            @Override public boolean carrier() { return true; }
            @Override public NetdevStats stats() { return NetdevStats.ZERO; }
            @Override public void destruct() { }
        };
    }

    /** A message: version, type, xid 0x11223344, then {@code body}. */
    private static byte[] msg(int version, int type, int... body) {
        byte[] bytes = new byte[body.length];
        for (int i = 0; i < body.length; i++) {
            bytes[i] = (byte) body[i];
        }
        return msg(version, type, bytes);
    }

    private static byte[] msg(int version, int type, byte[] body) {
        ByteBuffer b = OfpCodec.start(version, type, 0x11223344, 8 + body.length);
        b.put(body);
        return OfpCodec.finish(b);
    }

    private static byte[] hello10() {
        return msg(Ofp.V10, Ofp.HELLO);
    }

    private OfpSession session(int version) {
        OfpSession s = new OfpSession(sw);
        byte[] hello = version == Ofp.V10 ? hello10()
                : msg(Ofp.V13, Ofp.HELLO, 0, 1, 0, 8, 0, 0, 0, 0x10);
        assertEquals(List.of(), s.receive(hello));
        assertEquals(version, s.version());
        return s;
    }

    /** Asserts {@code replies} is one OFPT_ERROR of {@code type}/{@code code} echoing {@code request}. */
    private static void assertError(int version, int type, int code, byte[] request, List<byte[]> replies) {
        assertEquals(1, replies.size());
        byte[] e = replies.get(0);
        assertEquals(version, OfpCodec.version(e), "version");
        assertEquals(Ofp.ERROR, OfpCodec.type(e));
        assertEquals(e.length, OfpCodec.length(e));
        assertEquals(0x11223344, OfpCodec.xid(e), "the request's xid");
        assertEquals(type, OfpCodec.u16(e, 8), "error type");
        assertEquals(code, OfpCodec.u16(e, 10), "error code");
        assertArrayEquals(request, Arrays.copyOfRange(e, 12, e.length), "the whole request, as Open vSwitch 3.1 sends it");
    }

    @Test
    void ourHelloOffersOneZeroAndOneThreeToOneFive() {
        assertArrayEquals(new byte[] {6, 0, 0, 16, 0, 0, 0, 0, 0, 1, 0, 8, 0, 0, 0, 0x72}, new OfpSession(sw).hello());
    }

    @Test
    void negotiatesTheHighestCommonVersion() {
        OfpSession a = new OfpSession(sw);
        a.receive(hello10());
        assertEquals(Ofp.V10, a.version(), "plain ovs-ofctl: OF1.0 only");
        OfpSession b = new OfpSession(sw);
        b.receive(msg(6, Ofp.HELLO));
        assertEquals(Ofp.V15, b.version(), "a v6 HELLO without bitmap offers 1.0 to 1.5");
        OfpSession c = new OfpSession(sw);
        c.receive(msg(6, Ofp.HELLO, 0, 1, 0, 8, 0, 0, 0, 0x0a));
        assertEquals(Ofp.V10, c.version(), "bitmap 1.0 and 1.2");
        OfpSession e = new OfpSession(sw);
        e.receive(msg(6, Ofp.HELLO, 0, 1, 0, 8, 0, 0, 0, 0x32));
        assertEquals(Ofp.V14, e.version(), "bitmap 1.0, 1.3, 1.4");
        OfpSession d = new OfpSession(sw);
        d.receive(msg(4, Ofp.HELLO, 0, 1, 0, 2));
        assertEquals(Ofp.V13, d.version(), "a malformed element: the header's version counts");
    }

    @Test
    void noCommonVersionIsHelloFailedAndClose() {
        OfpSession s = new OfpSession(sw);
        List<byte[]> out = s.receive(msg(3, Ofp.HELLO, 0, 1, 0, 8, 0, 0, 0, 0x08));
        assertTrue(s.closed());
        assertEquals(1, out.size());
        byte[] e = out.get(0);
        assertEquals(3, OfpCodec.version(e));
        assertEquals(Ofp.ERROR, OfpCodec.type(e));
        assertEquals(Ofp.ET_HELLO_FAILED, OfpCodec.u16(e, 8));
        assertEquals(Ofp.HFC_INCOMPATIBLE, OfpCodec.u16(e, 10));
        assertEquals("We support versions 0x01, 0x04, 0x05, 0x06, you support version 0x03, no common versions.",
                new String(e, 12, e.length - 12, StandardCharsets.US_ASCII));
        assertEquals(List.of(), s.receive(msg(4, Ofp.ECHO_REQUEST)), "nothing after close");
    }

    @Test
    void aMessageBeforeHelloClosesTheConnection() {
        OfpSession s = new OfpSession(sw);
        assertEquals(List.of(), s.receive(msg(1, Ofp.FEATURES_REQUEST)));
        assertTrue(s.closed());
    }

    @Test
    void badLengthsAreBadLen() {
        for (int v : new int[] {Ofp.V10, Ofp.V13}) {
            OfpSession s = session(v);
            List<byte[]> bad = new ArrayList<>();
            bad.add(msg(v, Ofp.FEATURES_REQUEST, 0));
            bad.add(msg(v, Ofp.GET_CONFIG_REQUEST, new byte[4]));
            bad.add(msg(v, Ofp.SET_CONFIG, new byte[3]));
            bad.add(msg(v, Ofp.ERROR, new byte[2]));
            bad.add(msg(v, Ofp.VENDOR, new byte[2]));
            bad.add(msg(v, Ofp.FLOW_MOD, new byte[10]));
            bad.add(msg(v, Ofp.PACKET_OUT, new byte[4]));
            if (v == Ofp.V10) {
                bad.add(msg(v, Ofp.OF10_STATS_REQUEST, 0));
                bad.add(msg(v, Ofp.OF10_STATS_REQUEST, 0, Ofp.ST_PORT, 0, 0));
                bad.add(msg(v, Ofp.OF10_STATS_REQUEST, 0, Ofp.ST_FLOW, 0, 0, 0xff));
                bad.add(msg(v, Ofp.OF10_BARRIER_REQUEST, 0));
            } else {
                bad.add(msg(v, Ofp.OF13_MULTIPART_REQUEST, new byte[7]));
                bad.add(msg(v, Ofp.OF13_MULTIPART_REQUEST, 0, Ofp.MP13_PORT_DESC, 0, 0, 0, 0, 0, 0, 1));
                bad.add(msg(v, Ofp.OF13_BARRIER_REQUEST, new byte[8]));
            }
            for (byte[] m : bad) {
                assertError(v, Ofp.ET_BAD_REQUEST, Ofp.BRC_BAD_LEN, m, s.receive(m));
            }
            assertFalse(s.closed());
            assertEquals(Ofp.ECHO_REPLY, OfpCodec.type(s.receive(msg(v, Ofp.ECHO_REQUEST, 7)).get(0)),
                    "the connection goes on");
        }
    }

    @Test
    void aBadNxmMatchLengthIsBadLen() {
        OfpSession s = session(Ofp.V10);
        ByteBuffer b = OfpCodec.start(1, Ofp.OF10_STATS_REQUEST, 0x11223344, 40);
        b.putShort((short) 0xffff).putShort((short) 0).putInt(Ofp.NX_VENDOR_ID).putInt(Ofp.NXST_FLOW).putInt(0);
        b.putShort((short) 0xffff).putShort((short) 12).put((byte) 0xff).put(new byte[3]);   // match_len 12, no match
        byte[] m = OfpCodec.finish(b);
        assertError(1, Ofp.ET_BAD_REQUEST, Ofp.BRC_BAD_LEN, m, s.receive(m));
    }

    @Test
    void aWrongVersionIsBadVersionButEchoIsAnswered() {
        OfpSession s = session(Ofp.V10);
        byte[] m = msg(Ofp.V13, Ofp.FEATURES_REQUEST);
        assertError(Ofp.V13, Ofp.ET_BAD_REQUEST, Ofp.BRC_BAD_VERSION, m, s.receive(m));
        byte[] weird = msg(0x7f, Ofp.FEATURES_REQUEST);
        assertError(Ofp.V10, Ofp.ET_BAD_REQUEST, Ofp.BRC_BAD_VERSION, weird, s.receive(weird));
        List<byte[]> echo = s.receive(msg(Ofp.V13, Ofp.ECHO_REQUEST, 1, 2));
        assertArrayEquals(new byte[] {4, 3, 0, 10, 0x11, 0x22, 0x33, 0x44, 1, 2}, echo.get(0));
    }

    @Test
    void unknownTypesStatsAndVendorsAreNamedAsOpenVswitchDoes() {
        OfpSession s10 = session(Ofp.V10);
        byte[] t = msg(1, 99);
        assertError(1, Ofp.ET_BAD_REQUEST, Ofp.BRC_BAD_TYPE, t, s10.receive(t));
        byte[] reply = msg(1, Ofp.FEATURES_REPLY);
        assertError(1, Ofp.ET_BAD_REQUEST, Ofp.BRC_BAD_TYPE, reply, s10.receive(reply));
        byte[] st = msg(1, Ofp.OF10_STATS_REQUEST, 0, 42, 0, 0);
        assertError(1, Ofp.ET_BAD_REQUEST, Ofp.BRC_BAD_STAT, st, s10.receive(st));
        byte[] vendor = msg(1, Ofp.VENDOR, 0, 0, 0x12, 0x34, 0, 0, 0, 0);
        assertError(1, Ofp.ET_BAD_REQUEST, Ofp.BRC_BAD_VENDOR, vendor, s10.receive(vendor));
        byte[] sub = msg(1, Ofp.VENDOR, 0, 0, 0x23, 0x20, 0, 0, 0, 99);
        assertError(1, Ofp.ET_BAD_REQUEST, Ofp.BRC_BAD_SUBTYPE, sub, s10.receive(sub));
        OfpSession s13 = session(Ofp.V13);
        byte[] mp = msg(4, Ofp.OF13_MULTIPART_REQUEST, 0, 42, 0, 0, 0, 0, 0, 0);
        assertError(4, Ofp.ET_BAD_REQUEST, Ofp.BRC_BAD_STAT, mp, s13.receive(mp));
        byte[] meter = msg(4, Ofp.OF13_METER_MOD, new byte[8]);
        assertError(4, Ofp.ET_BAD_REQUEST, Ofp.BRC_EPERM, meter, s13.receive(meter));
    }

    @Test
    void changesAreRefusedWithEpermAndErrorsCarryTheWholeRequest() {
        OfpSession s = session(Ofp.V10);
        byte[] flowMod = msg(1, Ofp.FLOW_MOD, new byte[200]);
        List<byte[]> out = s.receive(flowMod);
        assertError(1, Ofp.ET_BAD_REQUEST, Ofp.BRC_EPERM, flowMod, out);
        assertEquals(12 + 8 + 200, out.get(0).length, "as Open vSwitch 3.1's ofperr_encode_reply");
    }

    @Test
    void longPortListsAreSplitWithTheMoreFlag() {
        for (int i = 1; i <= 1500; i++) {
            ports.add(new SwitchView.Port(i, netdev("p" + i), System.nanoTime()));
        }
        OfpSession s = session(Ofp.V13);
        List<byte[]> out = s.receive(msg(4, Ofp.OF13_MULTIPART_REQUEST, 0, Ofp.MP13_PORT_DESC, 0, 0, 0, 0, 0, 0));
        assertEquals(2, out.size());
        int n = 0;
        for (int i = 0; i < out.size(); i++) {
            byte[] r = out.get(i);
            assertEquals(r.length, OfpCodec.length(r));
            assertEquals(Ofp.OF13_MULTIPART_REPLY, OfpCodec.type(r));
            assertEquals(i == 0 ? Ofp.STATS_REPLY_MORE : 0, OfpCodec.u16(r, 10));
            assertEquals(0, (r.length - 16) % 64);
            n += (r.length - 16) / 64;
        }
        assertEquals(1500, n);
    }
}
