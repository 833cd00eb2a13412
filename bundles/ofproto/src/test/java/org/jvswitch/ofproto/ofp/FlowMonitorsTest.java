package org.jvswitch.ofproto.ofp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * Flow monitors between two OpenFlow 1.0 connections, without sockets: a connection's own changes
 * come back abbreviated (one entry with its request's xid), others' in full; the errors Open
 * vSwitch sends; pausing a slow reader and bringing it up to date.
 */
class FlowMonitorsTest {
    private final OfTables tables = new OfTables(() -> { });
    private final SwitchView sw = new SwitchView() {
        @Override public String name() { return "br0"; }
        @Override public long datapathId() { return 1; }
        @Override public List<Port> ports() { return List.of(); }
        @Override public OfTables flowTables() { return tables; }
    };
    private final OfpSession a = session();
    private final OfpSession b = session();
    private final List<byte[]> toA = new ArrayList<>();
    private final List<byte[]> toB = new ArrayList<>();

    FlowMonitorsTest() {
        tables.setMonitor(new OfTables.Monitor() {
            @Override public boolean active() { return a.monitoring() || b.monitoring(); }
            @Override public void updates(List<OfTables.FlowUpdate> u) {
                toA.addAll(a.flowUpdates(u));
                toB.addAll(b.flowUpdates(u));
            }
        });
    }

    private OfpSession session() {
        OfpSession s = new OfpSession(sw);
        s.receive(new byte[] {1, 0, 0, 8, 0, 0, 0, 1});
        return s;
    }

    /** NXST_FLOW_MONITOR request: one monitor of everything in {@code table} (0xff all). */
    private static byte[] monitor(int xid, int id, int flags, int table) {
        ByteBuffer b = OfpCodec.start(1, Ofp.OF10_STATS_REQUEST, xid, 40);
        b.putShort((short) 0xffff).putShort((short) 0).putInt(Ofp.NX_VENDOR_ID).putInt(2).putInt(0);
        b.putInt(id).putShort((short) flags).putShort((short) Ofp.OFPP10_NONE).putShort((short) 0).put((byte) table);
        OfpCodec.pad(b, 5);
        return OfpCodec.finish(b);
    }

    private static byte[] cancel(int id) {
        ByteBuffer b = OfpCodec.start(1, Ofp.VENDOR, 9, 20);
        b.putInt(Ofp.NX_VENDOR_ID).putInt(21).putInt(id);
        return OfpCodec.finish(b);
    }

    /** OpenFlow 1.0 FLOW_MOD of in_port={@code port} at priority 10, output:2 (no actions for deletes). */
    private static byte[] flowMod(int xid, int command, int port) {
        byte[] acts = command == 0 ? new byte[] {0, 0, 0, 8, 0, 2, 0, 0} : new byte[0];
        ByteBuffer b = OfpCodec.start(1, Ofp.FLOW_MOD, xid, 72 + acts.length);
        b.putInt(Ofp.OFPFW10_ALL & ~1).putShort((short) port);
        OfpCodec.pad(b, 34);
        b.putLong(0);
        b.putShort((short) command).putShort((short) 0).putShort((short) 0).putShort((short) 10);
        b.putInt(-1).putShort((short) Ofp.OFPP10_NONE).putShort((short) 0);
        b.put(acts);
        return OfpCodec.finish(b);
    }

    /** The update entries of an NXST_FLOW_MONITOR reply: {length, event, xid or reason}. */
    private static List<int[]> entries(byte[] reply) {
        assertEquals(Ofp.OF10_STATS_REPLY, OfpCodec.type(reply));
        assertEquals(2, OfpCodec.u32(reply, 16), "NXST_FLOW_MONITOR");
        List<int[]> out = new ArrayList<>();
        for (int off = 24; off < reply.length; off += OfpCodec.u16(reply, off)) {
            int len = OfpCodec.u16(reply, off);
            int event = OfpCodec.u16(reply, off + 2);
            out.add(new int[] {len, event, event == 3 ? OfpCodec.u32(reply, off + 4) : OfpCodec.u16(reply, off + 4)});
        }
        return out;
    }

    /** An OpenFlow 1.0 error with Nicira's numbers: NXET_VENDOR / NXVC_VENDOR_ERROR naming them. */
    private static void assertVendorError(int type, int code, List<byte[]> out) {
        assertEquals(1, out.size());
        byte[] e = out.get(0);
        assertEquals(Ofp.ERROR, OfpCodec.type(e));
        assertEquals(0xb0c2, OfpCodec.u16(e, 8), "NXET_VENDOR");
        assertEquals(Ofp.NX_VENDOR_ID, OfpCodec.u32(e, 12));
        assertEquals(type, OfpCodec.u16(e, 16), "type");
        assertEquals(code, OfpCodec.u16(e, 18), "code");
    }

    private static void assertError(int type, int code, List<byte[]> out) {
        assertEquals(1, out.size());
        assertEquals(Ofp.ERROR, OfpCodec.type(out.get(0)));
        assertEquals(type, OfpCodec.u16(out.get(0), 8), "type");
        assertEquals(code, OfpCodec.u16(out.get(0), 10), "code");
    }

    @Test
    void ownChangesComeBackAbbreviatedOthersInFull() {
        // The initial reply: the default NORMAL flow, as ADDED (Nicira has no INITIAL event).
        List<byte[]> reply = a.receive(monitor(5, 1, 0x1f, 0xff));
        assertEquals(1, reply.size());
        assertEquals(5, OfpCodec.xid(reply.get(0)));
        List<int[]> initial = entries(reply.get(0));
        assertEquals(1, initial.size());
        assertEquals(0, initial.get(0)[1]);
        assertEquals(List.of(), entries(b.receive(monitor(6, 1, 0x0e, 0xff)).get(0)), "!initial: an empty reply");

        assertEquals(List.of(), a.receive(flowMod(77, 0, 1)));
        assertEquals(List.of(), a.receive(flowMod(78, 0, 3)));
        assertEquals(2, toA.size());
        assertEquals(0, OfpCodec.xid(toA.get(0)), "updates are asynchronous");
        assertEquals(List.of(8, 3, 77), List.of(entries(toA.get(0)).get(0)[0], entries(toA.get(0)).get(0)[1],
                entries(toA.get(0)).get(0)[2]));
        List<int[]> full = entries(toB.get(0));
        assertEquals(1, full.size());
        assertEquals(0, full.get(0)[1], "ADDED");
        // 24 bytes of nx_flow_update_full, in_port=1 as NXM padded to 8, and, since B did not ask
        // for actions, none (A's rule has output:2).
        assertEquals(32, full.get(0)[0], "with match and no actions");

        // One delete of two rules: one abbreviated entry for A, two DELETED (reason delete) for B.
        toA.clear();
        toB.clear();
        byte[] del = flowMod(90, 3, 0);
        ByteBuffer.wrap(del).putInt(8, Ofp.OFPFW10_ALL);      // every rule
        a.receive(del);
        assertEquals(1, entries(toA.get(0)).size());
        assertEquals(90, entries(toA.get(0)).get(0)[2]);
        List<int[]> gone = entries(toB.get(0));
        assertEquals(3, gone.size(), "NORMAL and the two flows");
        for (int[] g : gone) {
            assertEquals(1, g[1], "DELETED");
            assertEquals(2, g[2], "reason delete");
        }
    }

    @Test
    void badRequestsGetOpenVSwitchsErrorsAndChangeNothing() {
        a.receive(monitor(5, 1, 0x1f, 0xff));
        assertVendorError(1, 517, a.receive(monitor(6, 1, 0x1f, 0xff)));          // MONITOR_EXISTS
        assertVendorError(1, 518, a.receive(monitor(7, 2, 0x01, 0xff)));          // BAD_FLAGS: no event
        assertVendorError(1, 518, a.receive(monitor(7, 2, 0x4e, 0xff)));          // BAD_FLAGS: unknown bit
        assertVendorError(1, 512, a.receive(monitor(8, 2, 0x0e, 254)));           // BAD_TABLE_ID
        byte[] shortReq = java.util.Arrays.copyOf(monitor(8, 2, 0x0e, 0xff), 36);
        shortReq[3] = 36;
        assertError(1, Ofp.BRC_BAD_LEN, a.receive(shortReq));
        assertVendorError(1, 519, a.receive(cancel(2)));                          // UNKNOWN_MONITOR
        assertTrue(a.monitoring());
        assertEquals(List.of(), a.receive(cancel(1)));
        assertFalse(a.monitoring());
        a.receive(flowMod(77, 0, 1));
        assertEquals(List.of(), toA, "no monitor, no updates");
    }

    @Test
    void aPausedConnectionIsToldOnlyOfRemovalsThenBroughtUpToDate() {
        b.receive(monitor(5, 1, 0x1f, 0xff));
        b.receive(flowMod(1, 0, 1));                                       // reported before the pause
        toB.clear();
        OfRule last = tables.rules(0).get(0);
        byte[] paused = b.pauseMonitors(last.modifySeq);
        assertEquals(22, OfpCodec.u32(paused, 12), "NXT_FLOW_MONITOR_PAUSED");
        a.receive(flowMod(2, 0, 3));                                       // added while paused: not told
        assertEquals(List.of(), toB);
        byte[] del = flowMod(3, 4, 1);                                     // strict delete of in_port=1
        a.receive(del);
        assertEquals(1, entries(toB.get(0)).size(), "a removal of a rule it knew of");
        assertEquals(1, entries(toB.get(0)).get(0)[1]);

        List<byte[]> resume = b.resumeMonitors();
        assertEquals(2, resume.size());
        List<int[]> missed = entries(resume.get(0));
        assertEquals(1, missed.size(), "the rule added while paused");
        assertEquals(0, missed.get(0)[1], "ADDED");
        assertEquals(23, OfpCodec.u32(resume.get(1), 12), "NXT_FLOW_MONITOR_RESUMED");
        assertFalse(b.monitorsPaused());
    }
}
