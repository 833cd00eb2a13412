package org.jvswitch.ofproto.ofp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

/** OpenFlow 1.0 FLOW_MOD decoding and its errors, without sockets. */
class OfpFlowModTest {
    private int changes;
    private final OfTables tables = new OfTables(() -> changes++);
    private final SwitchView sw = new SwitchView() {
        @Override public String name() { return "br0"; }
        @Override public long datapathId() { return 1; }
        @Override public List<Port> ports() { return List.of(); }
        @Override public OfTables flowTables() { return tables; }
    };

    private OfpSession session() {
        OfpSession s = new OfpSession(sw);
        s.receive(new byte[] {1, 0, 0, 8, 0, 0, 0, 1});
        assertEquals(Ofp.V10, s.version());
        return s;
    }

    /** FLOW_MOD with an all-wildcard match except in_port=1, command, priority 10, then {@code actions}. */
    private static byte[] flowMod(int command, byte[] actions) {
        ByteBuffer b = OfpCodec.start(1, Ofp.FLOW_MOD, 7, 72 + actions.length);
        b.putInt(Ofp.OFPFW10_ALL & ~1).putShort((short) 1);
        OfpCodec.pad(b, 34);
        b.putLong(0x55);                                   // cookie
        b.putShort((short) command).putShort((short) 0).putShort((short) 0).putShort((short) 10);
        b.putInt(-1).putShort((short) Ofp.OFPP10_NONE).putShort((short) 0);
        b.put(actions);
        return OfpCodec.finish(b);
    }

    private static byte[] output(int port) {
        return new byte[] {0, 0, 0, 8, (byte) (port >> 8), (byte) port, 0, 0};
    }

    private static void assertError(int type, int code, List<byte[]> out) {
        assertEquals(1, out.size());
        byte[] e = out.get(0);
        assertEquals(Ofp.ERROR, OfpCodec.type(e));
        assertEquals(type, OfpCodec.u16(e, 8), "type");
        assertEquals(code, OfpCodec.u16(e, 10), "code");
    }

    @Test
    void addModifyDelete() {
        OfpSession s = session();
        assertEquals(List.of(), s.receive(flowMod(0, output(5))));
        assertEquals(2, tables.rules(0).size());
        assertEquals(1, changes);
        OfRule r = tables.rules(0).get(0);
        assertEquals(10, r.priority);
        assertEquals(0x55, r.cookie);
        assertEquals(1, r.match.inPort());
        assertEquals(List.of(new OfAction.Output(5)), r.actions);
        assertEquals(List.of(), s.receive(flowMod(0, output(6))));
        assertEquals(2, tables.rules(0).size(), "same match and priority: replaced");
        assertEquals(List.of(), s.receive(flowMod(2, output(OfAction.FLOOD))));
        assertEquals(List.of(new OfAction.Output(OfAction.FLOOD)), tables.rules(0).get(0).actions);
        assertEquals(List.of(), s.receive(flowMod(4, new byte[0])));
        assertEquals(1, tables.rules(0).size());
        assertEquals(4, changes);
    }

    @Test
    void badActionsAndCommandsGetOpenVSwitchErrorsAndChangeNothing() {
        OfpSession s = session();
        assertError(2, 4, s.receive(flowMod(0, output(0xff00))));                 // BAD_ACTION / BAD_OUT_PORT
        assertError(2, 4, s.receive(flowMod(0, output(Ofp.OFPP10_NONE))));
        assertError(2, 0, s.receive(flowMod(0, new byte[] {0, 42, 0, 8, 0, 0, 0, 0})));     // BAD_TYPE
        assertError(2, 1, s.receive(flowMod(0, new byte[] {0, 0, 0, 16, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}))); // BAD_LEN
        assertError(2, 1, s.receive(flowMod(0, new byte[] {0, 0, 0, 8, 0, 1})));           // truncated: BAD_LEN
        assertError(2, 5, s.receive(flowMod(0, new byte[] {0, 1, 0, 8, 0x10, 0, 0, 0})));  // vid 4096: BAD_ARGUMENT
        assertError(2, 3, s.receive(flowMod(0, new byte[] {(byte) 0xff, (byte) 0xff, 0, 16, 0, 0, 0x23, 0x20, 0, 99, 0, 0, 0, 0, 0, 0})));  // unknown Nicira subtype: BAD_VENDOR_TYPE
        assertError(3, 4, s.receive(flowMod(9, new byte[0])));                    // FLOW_MOD_FAILED / BAD_COMMAND
        byte[] shortMod = OfpCodec.finish(OfpCodec.start(1, Ofp.FLOW_MOD, 8, 40).put(new byte[32]));
        assertError(Ofp.ET_BAD_REQUEST, Ofp.BRC_BAD_LEN, s.receive(shortMod));
        assertEquals(1, tables.rules(0).size());
        assertEquals(0, changes);
        assertEquals(List.of(), s.receive(flowMod(0, output(1))), "the session goes on");
    }

    @Test
    void tableIdExtensionSelectsTables() {
        OfpSession s = session();
        byte[] enable = OfpCodec.finish(OfpCodec.start(1, Ofp.VENDOR, 3, 24)
                .putInt(Ofp.NX_VENDOR_ID).putInt(Ofp.NXT_FLOW_MOD_TABLE_ID).put((byte) 1).put(new byte[7]));
        assertEquals(List.of(), s.receive(enable));
        assertEquals(List.of(), s.receive(flowMod(0, output(3))));
        assertEquals(2, tables.rules(0).size());
        assertEquals(List.of(), s.receive(flowMod(1 << 8, output(3))), "table 1");
        assertEquals(1, tables.rules(1).size());
        assertError(Ofp.ET_BAD_REQUEST, Ofp.BRC_EPERM, s.receive(flowMod(254 << 8, output(3))));
        assertEquals(List.of(), s.receive(flowMod((0xff << 8) | 3, new byte[0])), "delete in_port=1 in all tables");
        assertEquals(1, tables.rules(0).size());
        assertEquals(0, tables.rules(1).size());
        assertEquals(0, tables.rules(0).get(0).priority, "the catch-all NORMAL flow is not covered by in_port=1");
    }

    private OfpSession session13() {
        OfpSession s = new OfpSession(sw);
        s.receive(new byte[] {4, 0, 0, 8, 0, 0, 0, 1});
        assertEquals(Ofp.V13, s.version());
        return s;
    }

    /** OpenFlow 1.3 FLOW_MOD ADD into {@code table} with OXM fields {@code oxm} and instructions {@code inst}. */
    private static byte[] flowMod13(int table, byte[] oxm, byte[] inst) {
        int matchLen = 4 + oxm.length;
        int padded = (matchLen + 7) & ~7;
        ByteBuffer b = OfpCodec.start(4, Ofp.FLOW_MOD, 9, 48 + padded + inst.length);
        b.putLong(0).putLong(0).put((byte) table).put((byte) 0).putShort((short) 0).putShort((short) 0)
                .putShort((short) 10).putInt(-1).putInt(-1).putInt(-1).putShort((short) 0).putShort((short) 0);
        b.putShort((short) 1).putShort((short) matchLen).put(oxm);
        OfpCodec.pad(b, padded - matchLen);
        b.put(inst);
        return OfpCodec.finish(b);
    }

    private static byte[] gotoTable(int t) {
        return new byte[] {0, 1, 0, 8, (byte) t, 0, 0, 0};
    }

    /** OXM eth_type=0x0800 and ipv4_src=1.2.3.4. */
    private static final byte[] IPV4_SRC = {(byte) 0x80, 0, 0x0a, 2, 8, 0, (byte) 0x80, 0, 0x16, 4, 1, 2, 3, 4};

    @Test
    void openFlow13FlowModsAndTheirErrors() {
        OfpSession s = session13();
        assertEquals(List.of(), s.receive(flowMod13(2, IPV4_SRC, gotoTable(5))));
        assertEquals(1, tables.rules(2).size());
        assertEquals(List.of(new OfAction.GotoTable(5)), tables.rules(2).get(0).actions);
        int before = tables.size();
        assertError(3, 2, s.receive(flowMod13(2, IPV4_SRC, gotoTable(1))));           // BAD_INSTRUCTION / BAD_TABLE_ID
        assertError(3, 2, s.receive(flowMod13(2, IPV4_SRC, gotoTable(2))));
        assertError(3, 1, s.receive(flowMod13(2, IPV4_SRC, new byte[] {0, 5, 0, 8, 0, 0, 0, 0})));   // CLEAR_ACTIONS: UNSUP_INST
        assertError(3, 0, s.receive(flowMod13(2, IPV4_SRC, new byte[] {0, 9, 0, 8, 0, 0, 0, 0})));   // UNKNOWN_INST
        byte[] noType = Arrays.copyOfRange(IPV4_SRC, 6, 14);
        assertError(4, 9, s.receive(flowMod13(2, noType, new byte[0])));               // BAD_MATCH / BAD_PREREQ
        byte[] dup = new byte[] {(byte) 0x80, 0, 0x0a, 2, 8, 0, (byte) 0x80, 0, 0x0a, 2, 8, 0};
        assertError(4, 10, s.receive(flowMod13(2, dup, new byte[0])));                 // DUP_FIELD
        byte[] unknown = new byte[] {(byte) 0x80, 0, (byte) 0xfe, 2, 0, 0};
        assertError(4, 6, s.receive(flowMod13(2, unknown, new byte[0])));              // BAD_FIELD
        byte[] truncated = new byte[] {(byte) 0x80, 0, 0x0a, 4, 8, 0};
        assertError(4, 1, s.receive(flowMod13(2, truncated, new byte[0])));            // BAD_LEN
        assertError(5, 2, s.receive(flowMod13(255, IPV4_SRC, new byte[0])));           // FLOW_MOD_FAILED / BAD_TABLE_ID
        assertError(Ofp.ET_BAD_REQUEST, Ofp.BRC_EPERM, s.receive(flowMod13(254, IPV4_SRC, new byte[0])));
        assertEquals(before, tables.size(), "nothing changed");
        assertEquals(List.of(), s.receive(flowMod13(3, IPV4_SRC, new byte[0])), "the session goes on");
    }

    /** NXT_FLOW_MOD ADD with NXM {@code nxm}, no actions. */
    private static byte[] nxFlowMod(byte[] nxm) {
        int padded = (nxm.length + 7) & ~7;
        ByteBuffer b = OfpCodec.start(1, Ofp.VENDOR, 5, 48 + padded);
        b.putInt(Ofp.NX_VENDOR_ID).putInt(Ofp.NXT_FLOW_MOD);
        b.putLong(0).putShort((short) 0).putShort((short) 0).putShort((short) 0).putShort((short) 20)
                .putInt(-1).putShort((short) Ofp.OFPP10_NONE).putShort((short) 0).putShort((short) nxm.length);
        OfpCodec.pad(b, 6);
        b.put(nxm);
        OfpCodec.pad(b, padded - nxm.length);
        return OfpCodec.finish(b);
    }

    @Test
    void nxmMatchErrorsAreNiciraVendorErrorsInOpenFlow10() {
        OfpSession s = session();
        int before = tables.size();
        List<byte[]> out = s.receive(nxFlowMod(new byte[] {0, 0, 0x0e, 4, 1, 2, 3, 4}));    // NXM_OF_IP_SRC without eth_type
        assertEquals(1, out.size());
        byte[] e = out.get(0);
        assertEquals(0xb0c2, OfpCodec.u16(e, 8), "NXET_VENDOR");
        assertEquals(Ofp.NX_VENDOR_ID, OfpCodec.u32(e, 12));
        assertEquals(1, OfpCodec.u16(e, 16));
        assertEquals(260, OfpCodec.u16(e, 18), "OFPBMC_BAD_PREREQ in OpenFlow 1.0");
        assertEquals(before, tables.size());
        assertEquals(List.of(), s.receive(nxFlowMod(new byte[] {0, 0, 6, 2, 8, 0, 0, 0, 0x0e, 4, 1, 2, 3, 4})));
        assertEquals(before + 1, tables.size());
        OfRule r = tables.rules(0).get(0);
        assertEquals(20, r.priority);
        assertEquals(OfRule.FLAG_RESET_COUNTS, r.flags, "Open vSwitch marks OpenFlow 1.0 adds reset_counts");
    }
}
