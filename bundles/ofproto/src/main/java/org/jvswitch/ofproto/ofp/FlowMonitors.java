package org.jvswitch.ofproto.ofp;

import static org.jvswitch.ofproto.ofp.OfpCodec.u16;
import static org.jvswitch.ofproto.ofp.OfpCodec.u32;
import static org.jvswitch.ofproto.ofp.OfpCodec.u8;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jvswitch.ofproto.ofp.OfpSession.OfpError;

/**
 * One connection's flow monitors (Open vSwitch's ofmonitor): what {@code ovs-ofctl monitor br0
 * watch:} asks for with NXST_FLOW_MONITOR (OpenFlow 1.0), ONFST_FLOW_MONITOR (1.3) or
 * OFPMP_FLOW_MONITOR (1.4, 1.5). Decodes the requests, composes the initial reply, and turns
 * the bridge's rule changes into updates: in full, or, for the connection's own changes, one
 * abbreviated update carrying its request's xid. Flags and events are kept in OpenFlow 1.4's
 * numbers and translated on the wire.
 *
 * <p>Requests arrive on the connection's thread; {@link #updates} runs on whatever thread changed
 * the tables, so the monitors are in a concurrent map.
 */
final class FlowMonitors {
    static final int F_INITIAL = 1;
    static final int F_ADD = 2;
    static final int F_REMOVED = 4;
    static final int F_MODIFY = 8;
    static final int F_INSTRUCTIONS = 16;
    static final int F_ONLY_OWN = 64;

    static final int E_INITIAL = 0;
    static final int E_ABBREV = 4;
    static final int E_PAUSED = 5;
    static final int E_RESUMED = 6;

    /** Experimenter of the OpenFlow 1.3 extension, and its message numbers. */
    static final int ONF_EXPERIMENTER = 0x4f4e4600;
    static final int ONF_FLOW_MONITOR = 1870;
    static final int ONFT_FLOW_MONITOR_PAUSED = 1871;
    static final int ONFT_FLOW_MONITOR_RESUMED = 1872;
    static final int NXST_FLOW_MONITOR = 2;
    static final int NXT_FLOW_MONITOR_CANCEL = 21;
    static final int NXT_FLOW_MONITOR_PAUSED = 22;
    static final int NXT_FLOW_MONITOR_RESUMED = 23;
    static final int MP14_FLOW_MONITOR = 16;

    private static final int OFPFMC_ADD = 0;
    private static final int OFPFMC_MODIFY = 1;
    private static final int OFPFMC_DELETE = 2;

    /** A monitor: which rule changes it reports (out_port in OpenFlow 1.0 numbers). */
    record Monitor(int id, int flags, int outPort, int outGroup, int tableId, OfMatch match) {
        boolean selects(OfRule r, List<OfAction> oldActions) {
            return (tableId == 0xff || tableId == r.tableId)
                    && (r.outputsTo(outPort) || oldActions != null && OfActions.outputsTo(oldActions, outPort))
                    && r.sendsToGroup(outGroup)
                    && r.coveredBy(match);
        }
    }

    /** One request of a monitor message: an add, modify or delete of monitor {@code m.id()}. */
    private record Request(int command, Monitor m) {
    }

    private final Map<Integer, Monitor> monitors = new ConcurrentHashMap<>();
    /** While paused (the peer reads too slowly): the change number at the pause; 0 otherwise. */
    private volatile long pausedAt;

    boolean active() {
        return !monitors.isEmpty();
    }

    long pausedAt() {
        return pausedAt;
    }

    /** Pauses full updates; {@code lastReported} is the change number of the last rule change reported. */
    void pause(long lastReported) {
        pausedAt = Math.max(1, lastReported);
    }

    // ---- requests ----

    /**
     * Applies the flow monitor requests of message {@code m} (whose body starts at {@code off}), all
     * or none, and returns the rules the initial reply reports, each with the flags of the monitors
     * that selected it.
     */
    Map<OfRule, Integer> request(byte[] m, int off, int version, OfTables tables) throws OfpError {
        List<Request> reqs = new ArrayList<>();
        while (off < m.length) {
            off = decode(m, off, version, reqs);
        }
        // Checked against the monitors as they will be, before anything changes.
        Map<Integer, Monitor> next = new LinkedHashMap<>(monitors);
        List<Monitor> fresh = new ArrayList<>();
        for (Request r : reqs) {
            int id = r.m().id();
            if (r.m().tableId() != 0xff && r.m().tableId() >= OfTables.N_TABLES && r.command() != OFPFMC_DELETE) {
                throw new OfpError(Ofp.ET_BAD_REQUEST, version == Ofp.V10 ? 512 : 9);   // OFPBRC_BAD_TABLE_ID
            }
            switch (r.command()) {
                case OFPFMC_ADD -> {
                    if (next.containsKey(id)) {
                        throw error(version, 1, 517, 6, 1);              // OFPMOFC_MONITOR_EXISTS
                    }
                    next.put(id, r.m());
                    fresh.add(r.m());
                }
                case OFPFMC_MODIFY, OFPFMC_DELETE -> {
                    if (next.remove(id) == null) {
                        throw error(version, 1, 519, 8, 3);              // OFPMOFC_UNKNOWN_MONITOR
                    }
                    fresh.removeIf(f -> f.id() == id);
                    if (r.command() == OFPFMC_MODIFY) {
                        next.put(id, r.m());
                        fresh.add(r.m());
                    }
                }
                default -> throw error(version, 0, 0, 0, 4);          // OFPMOFC_BAD_COMMAND
            }
        }
        Map<OfRule, Integer> initial = new LinkedHashMap<>();
        List<OfRule> rules = fresh.stream().anyMatch(f -> (f.flags() & F_INITIAL) != 0) ? tables.all() : List.of();
        for (Monitor mon : fresh) {
            if ((mon.flags() & F_INITIAL) == 0) {
                continue;
            }
            for (OfRule r : rules) {
                if (mon.selects(r, null)) {
                    initial.merge(r, F_INITIAL | (mon.flags() & F_INSTRUCTIONS), (a, b) -> a | b);
                }
            }
        }
        monitors.keySet().retainAll(next.keySet());
        monitors.putAll(next);
        return initial;
    }

    /** NXT_FLOW_MONITOR_CANCEL / ONFT_FLOW_MONITOR_CANCEL: the id at {@code off}. */
    void cancel(byte[] m, int off, int version) throws OfpError {
        if (m.length != off + 4) {
            throw new OfpError(Ofp.ET_BAD_REQUEST, Ofp.BRC_BAD_LEN);
        }
        if (monitors.remove(u32(m, off)) == null) {
            throw error(version, 1, 519, 8, 3);
        }
    }

    /** Decodes one request at {@code off}; returns where the next starts. */
    private static int decode(byte[] m, int off, int version, List<Request> out) throws OfpError {
        if (version == Ofp.V10) {
            // nx_flow_monitor_request: id, flags, out_port, match_len, table_id, zeros[5], nx_match.
            need(m, off, 16);
            int matchLen = u16(m, off + 8);
            int end = off + 16 + ((matchLen + 7) & ~7);
            need(m, off, end - off);
            int flags = u16(m, off + 4);
            checkFlags(flags, 0x3f, version);
            for (int i = 11; i < 16; i++) {
                if (m[off + i] != 0) {
                    throw error(version, 1, 515, 4, -1);                // NXBRC_MUST_BE_ZERO
                }
            }
            OfMatch match = OfMatch.parse(m, off + 16, matchLen, false, null);
            out.add(new Request(OFPFMC_ADD, new Monitor(u32(m, off), fromNx(flags), u16(m, off + 6), OfGroups.ANY,
                    u8(m, off + 10), match)));
            return end;
        }
        if (version == Ofp.V13) {
            // onf_flow_monitor_request: id, flags, match_len, out_port, table_id, zeros[3], ofp11 match.
            need(m, off, 16);
            int flags = u16(m, off + 4);
            checkFlags(flags, 0x3f, version);
            for (int i = 13; i < 16; i++) {
                if (m[off + i] != 0) {
                    throw error(version, 1, 515, 4, -1);
                }
            }
            int[] end = new int[1];
            OfMatch match = oxmMatch(m, off + 16, end);
            out.add(new Request(OFPFMC_ADD, new Monitor(u32(m, off), fromNx(flags), outPort(u32(m, off + 8)), OfGroups.ANY,
                    u8(m, off + 12), match)));
            return end[0];
        }
        // ofp14_flow_monitor_request: monitor_id, out_port, out_group, flags, table_id, command, match.
        need(m, off, 16);
        int command = u8(m, off + 15);
        int flags = u16(m, off + 12);
        int[] end = new int[1];
        OfMatch match = oxmMatch(m, off + 16, end);
        if (command != OFPFMC_DELETE) {
            checkFlags(flags, F_INITIAL | F_ADD | F_REMOVED | F_MODIFY | F_INSTRUCTIONS | F_ONLY_OWN, version);
        }
        out.add(new Request(command, new Monitor(u32(m, off), flags, outPort(u32(m, off + 4)), u32(m, off + 8),
                u8(m, off + 14), match)));
        return end[0];
    }

    private static void need(byte[] m, int off, int len) throws OfpError {
        if (off + len > m.length) {
            throw new OfpError(Ofp.ET_BAD_REQUEST, Ofp.BRC_BAD_LEN);
        }
    }

    /** Some of add, delete and modify, nothing unknown; else OFPMOFC_BAD_FLAGS. */
    private static void checkFlags(int flags, int known, int version) throws OfpError {
        if ((flags & (F_ADD | F_REMOVED | F_MODIFY)) == 0 || (flags & ~known) != 0) {
            throw error(version, 1, 518, 7, 5);
        }
    }

    /** An OpenFlow 1.1+ match (type OXM) at {@code off}; {@code end[0]} gets the offset past its padding. */
    private static OfMatch oxmMatch(byte[] m, int off, int[] end) throws OfpError {
        need(m, off, 4);
        int len = u16(m, off + 2);
        if (u16(m, off) != 1 || len < 4) {
            throw new OfpError(OfMatch.ET_BAD_MATCH, OfMatch.BMC_BAD_TYPE);
        }
        end[0] = off + ((len + 7) & ~7);
        need(m, off, end[0] - off);
        return OfMatch.parse(m, off + 4, len - 4, true, null);
    }

    private static int outPort(int port13) throws OfpError {
        int p = Ofp.port10(port13);                 // ANY becomes OpenFlow 1.0's NONE
        if (p < 0) {
            throw new OfpError(OfActions.ET_BAD_ACTION, OfActions.BAC_BAD_OUT_PORT);
        }
        return p;
    }

    /** Nicira's flags to OpenFlow 1.4's (OWN becomes ONLY_OWN, as Open vSwitch maps it). */
    private static int fromNx(int nx) {
        return (nx & 0x1f) | ((nx & 0x20) != 0 ? F_ONLY_OWN : 0);
    }

    /**
     * A flow monitor error in the connection's version: OpenFlow 1.0 has Nicira's numbers in
     * BAD_REQUEST ({@code code10}), 1.3 a Nicira experimenter error ({@code nx13}), 1.4+ its own
     * type 16 ({@code code14}); -1 where the version has none.
     */
    private static OfpError error(int version, int type10, int code10, int nx13, int code14) {
        if (version == Ofp.V10) {
            return new OfpError(type10, code10);
        }
        if (version == Ofp.V13 || code14 < 0) {
            return new OfpError(OfpSession.ET_EXPERIMENTER, nx13);
        }
        return new OfpError(16, code14);
    }

    // ---- updates ----

    /**
     * The update entries for {@code session} of one operation's changes, in order; empty if no
     * monitor selects them. {@code own} is this connection's identity as a change's origin.
     */
    List<byte[]> updates(List<OfTables.FlowUpdate> changes, Object own, int version) {
        List<byte[]> entries = new ArrayList<>();
        long paused = pausedAt;
        boolean sentAbbrev = false;
        for (OfTables.FlowUpdate u : changes) {
            if (paused != 0 && (u.event() != OfTables.REMOVED || u.rule().addSeq > paused)) {
                continue;                             // only removals of rules reported before the pause
            }
            int update = switch (u.event()) {
                case OfTables.ADDED -> F_ADD;
                case OfTables.REMOVED -> F_REMOVED;
                default -> F_MODIFY;
            };
            int flags = 0;
            for (Monitor mon : monitors.values()) {
                if ((mon.flags() & update) != 0 && mon.selects(u.rule(), u.oldActions())) {
                    flags |= mon.flags();
                }
            }
            if (flags == 0) {
                continue;
            }
            if ((flags & F_ONLY_OWN) != 0 || u.origin() != own || paused != 0) {
                entries.add(full(u.event(), u.event() == OfTables.REMOVED ? u.reason() : 0, u.rule(),
                        (flags & F_INSTRUCTIONS) != 0, version));
            } else if (!sentAbbrev) {
                ByteBuffer b = ByteBuffer.allocate(8);
                b.putShort((short) 8).putShort((short) (version <= Ofp.V13 ? 3 : E_ABBREV)).putInt(u.xid());
                entries.add(b.array());
                sentAbbrev = true;
            }
        }
        return entries;
    }

    /**
     * The entries that bring a paused connection up to date: the rules its monitors select that
     * were added (ADDED) or modified (MODIFIED) since the pause. Clears the pause.
     */
    List<byte[]> resume(OfTables tables, int version) {
        long paused = pausedAt;
        pausedAt = 0;
        List<byte[]> entries = new ArrayList<>();
        for (OfRule r : tables.all()) {
            int flags = 0;
            int event = 0;
            for (Monitor mon : monitors.values()) {
                int want = r.addSeq > paused ? F_ADD | F_MODIFY : r.modifySeq > paused ? F_MODIFY : 0;
                if ((mon.flags() & want) != 0 && mon.selects(r, null)) {
                    flags |= mon.flags();
                    event = r.addSeq > paused ? OfTables.ADDED : OfTables.MODIFIED;
                }
            }
            if (flags != 0) {
                entries.add(full(event, 0, r, (flags & F_INSTRUCTIONS) != 0, version));
            }
        }
        return entries;
    }

    /** The entry of an initial reply for {@code r} selected with {@code flags}. */
    static byte[] initial(OfRule r, int flags, int version) {
        return full(E_INITIAL, 0, r, (flags & F_INSTRUCTIONS) != 0, version);
    }

    /** The PAUSED or RESUMED entry of OpenFlow 1.4+ (earlier versions have messages of their own). */
    static byte[] pauseEntry(int event) {
        ByteBuffer b = ByteBuffer.allocate(8);
        b.putShort((short) 8).putShort((short) event);
        return b.array();
    }

    /** A full update: the rule's match, and its actions if {@code withActions}. */
    private static byte[] full(int event, int reason, OfRule r, boolean withActions, int version) {
        List<OfAction> acts = withActions ? r.actions : List.of();
        if (version == Ofp.V10) {
            // nx_flow_update_full, NXM match, OpenFlow 1.0 actions with Nicira's.
            byte[] nxm = r.match.encode(false);
            byte[] a = OfActions.encode(acts, Ofp.V10, r.match);
            int padded = (nxm.length + 7) & ~7;
            ByteBuffer b = ByteBuffer.allocate(24 + padded + a.length);
            b.putShort((short) b.capacity()).putShort((short) nxEvent(event)).putShort((short) reason);
            b.putShort((short) r.priority).putShort((short) r.idleTimeout).putShort((short) r.hardTimeout);
            b.putShort((short) nxm.length).put((byte) r.tableId).put((byte) 0).putLong(r.cookie);
            b.put(nxm);
            OfpCodec.pad(b, padded - nxm.length);
            b.put(a);
            return b.array();
        }
        byte[] oxm = r.match.encode(true);
        int matchLen = 4 + oxm.length;
        int padded = (matchLen + 7) & ~7;
        byte[] inst = OfActions.encode(acts, version, r.match);
        ByteBuffer b = ByteBuffer.allocate(24 + padded + inst.length);
        if (version == Ofp.V13) {
            b.putShort((short) b.capacity()).putShort((short) nxEvent(event)).putShort((short) reason);
            b.putShort((short) r.priority).putShort((short) r.idleTimeout).putShort((short) r.hardTimeout);
            b.putShort((short) matchLen).put((byte) r.tableId).put((byte) 0).putLong(r.cookie);
        } else {
            b.putShort((short) b.capacity()).putShort((short) event).put((byte) r.tableId).put((byte) reason);
            b.putShort((short) r.idleTimeout).putShort((short) r.hardTimeout).putShort((short) r.priority);
            OfpCodec.pad(b, 4);
            b.putLong(r.cookie);
        }
        b.putShort((short) 1).putShort((short) matchLen).put(oxm);
        OfpCodec.pad(b, padded - matchLen);
        b.put(inst);
        return b.array();
    }

    /** OpenFlow 1.4 event to Nicira's: INITIAL and ADDED are ADDED (0), REMOVED 1, MODIFIED 2. */
    private static int nxEvent(int event) {
        return switch (event) {
            case E_INITIAL, OfTables.ADDED -> 0;
            case OfTables.REMOVED -> 1;
            default -> 2;
        };
    }
}
