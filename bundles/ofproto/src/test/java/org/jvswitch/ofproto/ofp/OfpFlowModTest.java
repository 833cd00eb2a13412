package org.jvswitch.ofproto.ofp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.List;

import org.junit.jupiter.api.Test;

/** OpenFlow 1.0 FLOW_MOD decoding and its errors, without sockets. */
class OfpFlowModTest {
    private int changes;
    private final FlowTable table = new FlowTable(() -> changes++);
    private final SwitchView sw = new SwitchView() {
        @Override public String name() { return "br0"; }
        @Override public long datapathId() { return 1; }
        @Override public List<Port> ports() { return List.of(); }
        @Override public long flowInstalledNanos() { return 0; }
        @Override public long tableLookups() { return 0; }
        @Override public FlowTable flowTable() { return table; }
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
        assertEquals(2, table.rules().size());
        assertEquals(1, changes);
        OfRule r = table.rules().get(0);
        assertEquals(10, r.priority);
        assertEquals(0x55, r.cookie);
        assertEquals(1, r.match.inPort());
        assertEquals(List.of(new OfAction(OfAction.OUTPUT, 5)), r.actions);
        assertEquals(List.of(), s.receive(flowMod(0, output(6))));
        assertEquals(2, table.rules().size(), "same match and priority: replaced");
        assertEquals(List.of(), s.receive(flowMod(2, output(OfAction.FLOOD))));
        assertEquals(List.of(new OfAction(OfAction.OUTPUT, OfAction.FLOOD)), table.rules().get(0).actions);
        assertEquals(List.of(), s.receive(flowMod(4, new byte[0])));
        assertEquals(1, table.rules().size());
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
        assertError(2, 3, s.receive(flowMod(0, new byte[] {(byte) 0xff, (byte) 0xff, 0, 16, 0, 0, 0x23, 0x20, 0, 1, 0, 0, 0, 0, 0, 0})));
        assertError(3, 4, s.receive(flowMod(9, new byte[0])));                    // FLOW_MOD_FAILED / BAD_COMMAND
        byte[] shortMod = OfpCodec.finish(OfpCodec.start(1, Ofp.FLOW_MOD, 8, 40).put(new byte[32]));
        assertError(Ofp.ET_BAD_REQUEST, Ofp.BRC_BAD_LEN, s.receive(shortMod));
        assertEquals(1, table.rules().size());
        assertEquals(0, changes);
        assertEquals(List.of(), s.receive(flowMod(0, output(1))), "the session goes on");
    }

    @Test
    void tableIdExtensionSelectsTableZeroOnly() {
        OfpSession s = session();
        byte[] enable = OfpCodec.finish(OfpCodec.start(1, Ofp.VENDOR, 3, 24)
                .putInt(Ofp.NX_VENDOR_ID).putInt(Ofp.NXT_FLOW_MOD_TABLE_ID).put((byte) 1).put(new byte[7]));
        assertEquals(List.of(), s.receive(enable));
        assertEquals(List.of(), s.receive(flowMod(0, output(3))));
        assertEquals(2, table.rules().size());
        assertError(Ofp.ET_BAD_REQUEST, Ofp.BRC_EPERM, s.receive(flowMod(1 << 8, output(3))));
        assertEquals(List.of(), s.receive(flowMod((0xff << 8) | 3, new byte[0])), "delete in_port=1 in all tables");
        assertEquals(1, table.rules().size());
        assertEquals(0, table.rules().get(0).priority, "the catch-all NORMAL flow is not covered by in_port=1");
    }
}
