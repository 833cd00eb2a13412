package org.jvswitch.ofproto.ofp;

import static org.jvswitch.ofproto.ofp.OfpCodec.u16;
import static org.jvswitch.ofproto.ofp.OfpCodec.u32;
import static org.jvswitch.ofproto.ofp.OfpCodec.u64;
import static org.jvswitch.ofproto.ofp.OfpCodec.u8;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.jvswitch.api.flow.FlowKey;
import org.jvswitch.api.netdev.NetdevStats;

/**
 * One OpenFlow connection's protocol state, without I/O: takes framed messages, returns the
 * messages to send back. Version negotiation (1.0, 1.3, 1.4, 1.5); features, configuration, port
 * descriptions and statistics; flow table changes (OpenFlow 1.0 FLOW_MOD, Nicira NXT_FLOW_MOD,
 * 1.3+ FLOW_MOD) on the bridge's tables ({@link OfTables}); flow, group and meter statistics;
 * groups, meters, PORT_MOD, packet-out, roles, flow monitors ({@link FlowMonitors}), echo and
 * barrier. Every message is length-checked before it is read; a bad one gets the error Open
 * vSwitch sends and the session goes on.
 *
 * <p>Not thread-safe: one connection thread drives it.
 */
public final class OfpSession {
    /** Table capacity reported in table statistics. */
    private static final int MAX_ENTRIES = 1_000_000;

    private final SwitchView sw;
    /** The bridge's tables; private default tables when the bridge takes no changes. */
    private final OfTables tables;
    private final boolean writable;
    /** This connection's flow monitors. */
    final FlowMonitors monitors = new FlowMonitors();
    /** OFPET_EXPERIMENTER (1.2+): an error with an experimenter's code, here always Nicira's. */
    static final int ET_EXPERIMENTER = 0xffff;
    /** NXT_FLOW_MOD_TABLE_ID: the high byte of an OpenFlow 1.0 flow_mod command is the table. */
    private boolean flowModTableId;
    private volatile int version; // 0 until negotiated
    private volatile boolean closed;
    private int missSendLen;      // service connections start at 0, as in Open vSwitch
    private int configFlags;
    /** A controller connection (Bridge.controller) rather than a service one (the .mgmt socket). */
    private final boolean primary;
    private final Roles roles;
    /** OpenFlow 1.2+ role: {@link #ROLE_EQUAL}, {@link #ROLE_MASTER} or {@link #ROLE_SLAVE}. */
    private volatile int role = ROLE_EQUAL;
    static final int ROLE_NOCHANGE = 0;
    static final int ROLE_EQUAL = 1;
    static final int ROLE_MASTER = 2;
    static final int ROLE_SLAVE = 3;

    /** Master election among a bridge's connections (Open vSwitch's connmgr). */
    interface Roles {
        /** {@code s} became master: every other master becomes slave. */
        void becameMaster(OfpSession s);

        /** Checks and records an OpenFlow 1.2+ generation id; false if it is stale. */
        boolean generation(long generationId);

        /** {@code s} agreed on a version with its peer. */
        default void negotiated(OfpSession s) {
        }
    }

    /** A service connection (the bridge's management socket). */
    public OfpSession(SwitchView sw) {
        this(sw, false, null);
    }

    /** {@code primary}: a controller connection, which gets packet-ins from the start; {@code roles} may be null. */
    public OfpSession(SwitchView sw, boolean primary, Roles roles) {
        this.sw = sw;
        this.primary = primary;
        this.roles = roles;
        this.missSendLen = primary ? 128 : 0;     // OFP_DEFAULT_MISS_SEND_LEN for controllers
        OfTables t = sw.flowTables();
        this.writable = t != null;
        this.tables = t != null ? t : new OfTables(() -> { });
    }

    /**
     * A snoop connection: after version negotiation everything it sends is ignored, as Open
     * vSwitch never reads its monitor connections (it only copies traffic to them).
     */
    void listenOnly() {
        listenOnly = true;
    }

    private boolean listenOnly;

    /** Defers publishing flow table changes until {@link #releaseTables} (one read's worth of messages). */
    void holdTables() {
        tables.hold();
    }

    /** Publishes the flow table changes made since {@link #holdTables}. */
    void releaseTables() {
        tables.release();
    }

    /** The first message to send, at once, before reading anything. */
    public byte[] hello() {
        return OfpCodec.hello(0);
    }

    /** The negotiated version, or 0 before HELLO. */
    public int version() {
        return version;
    }

    /** True once the connection should be closed (after sending the last replies). */
    public boolean closed() {
        return closed;
    }

    /** Handles one framed message (its length field equals {@code m.length}, at least 8). */
    public List<byte[]> receive(byte[] m) {
        List<byte[]> out = new ArrayList<>(1);
        if (closed) {
            return out;
        }
        if (version == 0) {
            negotiate(m, out);
            return out;
        }
        if (listenOnly) {
            return out;
        }
        int v = OfpCodec.version(m);
        int type = OfpCodec.type(m);
        boolean anyVersion = type == Ofp.HELLO || type == Ofp.ERROR || type == Ofp.ECHO_REQUEST || type == Ofp.ECHO_REPLY;
        if (v != version && !anyVersion) {
            // As vconn_recv(): answer in the message's own version when it is one we know.
            int ev = v >= 1 && v <= 6 ? v : Ofp.V10;
            out.add(OfpCodec.error(ev, Ofp.ET_BAD_REQUEST, Ofp.BRC_BAD_VERSION, m));
            return out;
        }
        try {
            handle(m, type, out);
        } catch (OfpError e) {
            out.add(errorMessage(e, m));
        }
        return out;
    }

    /**
     * The error message for {@code e} in the session's version. Errors are raised with their
     * OpenFlow 1.3 numbers; OpenFlow 1.0 has none for match and instruction errors, which Open
     * vSwitch then sends as Nicira vendor errors.
     */
    private byte[] errorMessage(OfpError e, byte[] m) {
        if (e.type == ET_EXPERIMENTER && !of10()) {
            return OfpCodec.experimenterError(version, e.code, Ofp.NX_VENDOR_ID, m);
        }
        if (!of10()) {
            return OfpCodec.error(version, e.type, e.code, m);
        }
        if (e.type == OfMatch.ET_BAD_MATCH) {
            return switch (e.code) {
                case OfMatch.BMC_BAD_PREREQ -> OfpCodec.vendorError(version, 1, 260, m);
                case OfMatch.BMC_DUP_FIELD -> OfpCodec.vendorError(version, 1, 261, m);
                case OfMatch.BMC_BAD_FIELD -> OfpCodec.vendorError(version, 0, 263, m);
                case OfMatch.BMC_BAD_VALUE -> OfpCodec.vendorError(version, 1, 258, m);
                default -> OfpCodec.vendorError(version, 1, 256, m);     // NXBRC_NXM_INVALID
            };
        }
        if (e.type == ET13_FLOW_MOD_FAILED) {
            return OfpCodec.vendorError(version, 1, 521, m);             // NXBRC_UNENCODABLE_ERROR
        }
        if (e.type == Ofp.ET_BAD_REQUEST && e.code >= 512) {
            // Nicira's BAD_REQUEST codes (NXBRC_*, OFPBRC_BAD_TABLE_ID, flow monitor errors): as
            // Open vSwitch sends their NX1.0 numbers, in a vendor error.
            return OfpCodec.vendorError(version, e.type, e.code, m);
        }
        if (e.type == ET13_GROUP_MOD_FAILED || e.type == 14 || (e.type == OfActions.ET_BAD_ACTION && e.code == 9)) {
            // OFPGMFC_*, OFPBPC_* and OFPBAC_BAD_OUT_GROUP: Nicira vendor errors in OpenFlow 1.0.
            return OfpCodec.vendorError(version, e.type, e.code, m);
        }
        return OfpCodec.error(version, e.type, e.code, m);
    }

    private void negotiate(byte[] m, List<byte[]> out) {
        if (OfpCodec.type(m) != Ofp.HELLO) {
            // Open vSwitch drops such a connection ("received message while expecting hello").
            closed = true;
            return;
        }
        int peer = OfpCodec.helloVersions(m);
        int common = peer & Ofp.SUPPORTED_BITMAP;
        if (common == 0) {
            int leading = peer == 0 ? Ofp.V10 : 31 - Integer.numberOfLeadingZeros(peer);
            int ev = leading >= 1 && leading <= 6 ? leading : Ofp.V10;
            out.add(OfpCodec.helloFailed(ev, "We support " + OfpCodec.describeVersions(Ofp.SUPPORTED_BITMAP)
                    + ", you support " + OfpCodec.describeVersions(peer) + ", no common versions."));
            closed = true;
            return;
        }
        version = 31 - Integer.numberOfLeadingZeros(common);
        if (roles != null) {
            roles.negotiated(this);
        }
    }

    static final int OF13_ROLE_REQUEST = 24;
    static final int OF13_ROLE_REPLY = 25;
    static final int NXT_ROLE_REQUEST = 10;
    static final int NXT_ROLE_REPLY = 11;
    static final int ET13_ROLE_REQUEST_FAILED = 11;
    static final int RRFC_STALE = 0;
    static final int RRFC_BAD_ROLE = 2;
    static final int PACKET_IN = 10;

    private void setRole(int want) {
        if (want == ROLE_NOCHANGE) {
            return;
        }
        role = want;
        if (want == ROLE_MASTER && roles != null) {
            roles.becameMaster(this);
        }
    }

    /** True for a controller connection (rather than a service one). */
    boolean isPrimary() {
        return primary;
    }

    /** Another connection became master: a master steps down to slave. Any thread. */
    void demote() {
        if (role == ROLE_MASTER) {
            role = ROLE_SLAVE;
        }
    }

    /** The connection's role: "master", "slave" or "other" (equal), as Controller.role reads. */
    String roleName() {
        return role == ROLE_MASTER ? "master" : role == ROLE_SLAVE ? "slave" : "other";
    }

    /** Secondary (slave) controllers may only read: OFPBRC_IS_SLAVE (EPERM in OpenFlow 1.0). */
    private void checkNotSlave() throws OfpError {
        if (role == ROLE_SLAVE) {
            throw badRequest(of10() ? Ofp.BRC_EPERM : BRC_IS_SLAVE);
        }
    }

    private static final int BRC_IS_SLAVE = 10;

    /**
     * True if this connection takes packet-ins: once negotiated, a controller connection that is
     * not a slave, or a service connection that asked for them with a nonzero miss_send_len.
     */
    boolean wantsPacketIns() {
        return version != 0 && !closed && role != ROLE_SLAVE && (primary || missSendLen != 0);
    }

    /** True if this connection wants packet-ins for table misses: OpenFlow before 1.3 (Open vSwitch's rule). */
    boolean wantsTableMisses() {
        return wantsPacketIns() && version < Ofp.V13;
    }

    /** The OFPT_PACKET_IN for {@code pi} in this connection's version (buffer_id none, whole frame). */
    byte[] packetIn(PacketIn pi) {
        byte[] f = pi.frame();
        if (of10()) {
            ByteBuffer b = OfpCodec.start(version, PACKET_IN, 0, 18 + f.length);
            b.putInt(-1).putShort((short) f.length).putShort((short) pi.inPort()).put((byte) pi.reason()).put((byte) 0);
            b.put(f);
            return OfpCodec.finish(b);
        }
        byte[] oxm = packetInMatch(pi);
        int matchLen = 4 + oxm.length;
        int padded = (matchLen + 7) & ~7;
        ByteBuffer b = OfpCodec.start(version, PACKET_IN, 0, 24 + padded + 2 + f.length);
        b.putInt(-1).putShort((short) f.length).put((byte) pi.reason()).put((byte) pi.tableId()).putLong(pi.cookie());
        b.putShort((short) 1).putShort((short) matchLen).put(oxm);
        OfpCodec.pad(b, padded - matchLen + 2);
        b.put(f);
        return OfpCodec.finish(b);
    }

    /** in_port, then metadata and registers that are not zero, as Open vSwitch's packet-in match. */
    private static byte[] packetInMatch(PacketIn pi) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 + 12 + 16 * 8);
        b.putInt(OfField.IN_PORT.oxm).putInt(Ofp.port13(pi.inPort()));
        long[] p = pi.pipeline();
        if (p != null) {
            if (p[0] != 0) {
                b.putInt(OfField.METADATA.oxm).putLong(p[0]);
            }
            for (int r = 0; r < 16; r++) {
                long w = p[1 + r / 2];
                int v = (int) (r % 2 == 0 ? w >>> 32 : w);
                if (v != 0) {
                    b.putInt(OfField.valueOf("REG" + r).nxm).putInt(v);
                }
            }
        }
        return java.util.Arrays.copyOf(b.array(), b.position());
    }

    /** A request this session answers with an OpenFlow error. */
    static final class OfpError extends Exception {
        final int type;
        final int code;

        OfpError(int type, int code) {
            super(null, null, false, false);
            this.type = type;
            this.code = code;
        }
    }

    /**
     * OF1.0 PACKET_OUT: buffer_id (only -1, unbuffered, as jvswitch buffers nothing), in_port,
     * actions, then the frame, which runs through the actions like a translated packet.
     */
    private void packetOut10(byte[] m) throws OfpError {
        if (m.length < 16) {
            throw badRequest(Ofp.BRC_BAD_LEN);
        }
        long bufferId = ((long) (m[8] & 0xff) << 24) | ((m[9] & 0xff) << 16) | ((m[10] & 0xff) << 8) | (m[11] & 0xff);
        int inPort = ((m[12] & 0xff) << 8) | (m[13] & 0xff);
        int actionsLen = ((m[14] & 0xff) << 8) | (m[15] & 0xff);
        if (16 + actionsLen > m.length) {
            throw badRequest(Ofp.BRC_BAD_LEN);
        }
        if (bufferId != 0xffffffffL) {
            throw badRequest(Ofp.BRC_BUFFER_UNKNOWN);
        }
        List<OfAction> actions = OfActions.parse10(m, 16, 16 + actionsLen);
        byte[] frame = java.util.Arrays.copyOfRange(m, 16 + actionsLen, m.length);
        if (frame.length < 14 || !sw.packetOut(frame, inPort, actions)) {
            throw badRequest(Ofp.BRC_BAD_LEN);
        }
    }

    /** OF1.5 PACKET_OUT: buffer_id, actions_len, pad, a match holding in_port, actions, frame. */
    private void packetOut15(byte[] m) throws OfpError {
        atLeast(m, 24);
        long bufferId = u32(m, 8) & 0xffffffffL;
        int actionsLen = u16(m, 12);
        int[] matchLen = new int[1];
        OfMatch match = OfMatch.parseOxmMatch(m, 16, matchLen);
        int off = 16 + matchLen[0];
        if (off + actionsLen > m.length) {
            throw badRequest(Ofp.BRC_BAD_LEN);
        }
        if (bufferId != 0xffffffffL) {
            throw badRequest(Ofp.BRC_BUFFER_UNKNOWN);
        }
        int inPort = match.matchesInPort() ? match.inPort() : OfAction.CONTROLLER;
        List<OfAction> actions = OfActions.parse13(m, off, off + actionsLen);
        byte[] frame = java.util.Arrays.copyOfRange(m, off + actionsLen, m.length);
        if (frame.length < 14 || !sw.packetOut(frame, inPort, actions)) {
            throw badRequest(Ofp.BRC_BAD_LEN);
        }
    }

    /** OF1.3 PACKET_OUT: buffer_id, in_port (32-bit), actions_len, pad, actions, frame. */
    private void packetOut13(byte[] m) throws OfpError {
        atLeast(m, 24);
        long bufferId = u32(m, 8) & 0xffffffffL;
        int inPort = Ofp.port10(u32(m, 12));
        int actionsLen = u16(m, 16);
        if (24 + actionsLen > m.length) {
            throw badRequest(Ofp.BRC_BAD_LEN);
        }
        if (bufferId != 0xffffffffL) {
            throw badRequest(Ofp.BRC_BUFFER_UNKNOWN);
        }
        if (inPort < 0) {
            throw badRequest(Ofp.BRC_BAD_PORT);
        }
        List<OfAction> actions = OfActions.parse13(m, 24, 24 + actionsLen);
        byte[] frame = java.util.Arrays.copyOfRange(m, 24 + actionsLen, m.length);
        if (frame.length < 14 || !sw.packetOut(frame, inPort, actions)) {
            throw badRequest(Ofp.BRC_BAD_LEN);
        }
    }

    private static OfpError badRequest(int code) {
        return new OfpError(Ofp.ET_BAD_REQUEST, code);
    }

    private static void exact(byte[] m, int len) throws OfpError {
        if (m.length != len) {
            throw badRequest(Ofp.BRC_BAD_LEN);
        }
    }

    private static void atLeast(byte[] m, int len) throws OfpError {
        if (m.length < len) {
            throw badRequest(Ofp.BRC_BAD_LEN);
        }
    }

    /** OpenFlow 1.4 or later: ports and port statistics carry properties. */
    private boolean v14() {
        return version >= Ofp.V14;
    }

    /** OpenFlow 1.5: flow statistics as OXS, packet-out with a match, copy_field, masked set_field. */
    private boolean v15() {
        return version >= Ofp.V15;
    }

    private boolean of10() {
        return version == Ofp.V10;
    }

    private void handle(byte[] m, int type, List<byte[]> out) throws OfpError {
        int xid = OfpCodec.xid(m);
        switch (type) {
            case Ofp.HELLO, Ofp.ECHO_REPLY -> { }
            case Ofp.ERROR -> atLeast(m, 12);
            case Ofp.ECHO_REQUEST -> out.add(OfpCodec.simple(OfpCodec.version(m), Ofp.ECHO_REPLY, xid, m, 8, m.length - 8));
            case Ofp.VENDOR -> vendor(m, out);
            case Ofp.FEATURES_REQUEST -> {
                exact(m, 8);
                out.add(featuresReply(xid));
            }
            case Ofp.GET_CONFIG_REQUEST -> {
                exact(m, 8);
                ByteBuffer b = OfpCodec.start(version, Ofp.GET_CONFIG_REPLY, xid, 12);
                b.putShort((short) configFlags).putShort((short) missSendLen);
                out.add(OfpCodec.finish(b));
            }
            case Ofp.SET_CONFIG -> {
                exact(m, 12);
                configFlags = u16(m, 8);
                missSendLen = u16(m, 10);
            }
            case Ofp.PACKET_OUT -> {
                checkNotSlave();
                if (of10()) {
                    packetOut10(m);
                } else if (v15()) {
                    packetOut15(m);
                } else {
                    packetOut13(m);
                }
            }
            case Ofp.FLOW_MOD -> {
                checkNotSlave();
                if (of10()) {
                    flowMod10(m);
                } else {
                    flowMod13(m);
                }
            }
            default -> {
                if (of10()) {
                    handle10(m, type, xid, out);
                } else {
                    handle13(m, type, xid, out);
                }
            }
        }
    }

    private void handle10(byte[] m, int type, int xid, List<byte[]> out) throws OfpError {
        switch (type) {
            case Ofp.OF10_PORT_MOD -> {
                exact(m, 32);
                checkNotSlave();
                portMod(u16(m, 8), mac(m, 10), u32(m, 16), u32(m, 20));
            }
            case Ofp.OF10_STATS_REQUEST -> {
                atLeast(m, 12);
                stats10(m, u16(m, 8), xid, out);
            }
            case Ofp.OF10_BARRIER_REQUEST -> {
                exact(m, 8);
                out.add(OfpCodec.simple(version, Ofp.OF10_BARRIER_REPLY, xid, m, 0, 0));
            }
            case Ofp.OF10_QUEUE_GET_CONFIG_REQUEST -> {
                exact(m, 12);
                ByteBuffer b = OfpCodec.start(version, Ofp.OF10_QUEUE_GET_CONFIG_REPLY, xid, 16);
                b.putShort((short) u16(m, 8));
                OfpCodec.pad(b, 6);
                out.add(OfpCodec.finish(b));
            }
            default -> throw badRequest(Ofp.BRC_BAD_TYPE);
        }
    }

    private void handle13(byte[] m, int type, int xid, List<byte[]> out) throws OfpError {
        switch (type) {
            case OF13_ROLE_REQUEST -> {
                exact(m, 24);
                int want = u32(m, 8);
                long generation = u64(m, 16);
                if (want > ROLE_SLAVE) {
                    throw new OfpError(ET13_ROLE_REQUEST_FAILED, RRFC_BAD_ROLE);
                }
                if ((want == ROLE_MASTER || want == ROLE_SLAVE) && roles != null && !roles.generation(generation)) {
                    throw new OfpError(ET13_ROLE_REQUEST_FAILED, RRFC_STALE);
                }
                setRole(want);
                ByteBuffer b = OfpCodec.start(version, OF13_ROLE_REPLY, xid, 24);
                b.putInt(role).putInt(0).putLong(generation);
                out.add(OfpCodec.finish(b));
            }
            case Ofp.OF13_PORT_MOD -> {
                if (v14()) {
                    atLeast(m, 32);                 // 1.4+: properties (advertise) follow, ignored
                } else {
                    exact(m, 40);
                }
                checkNotSlave();
                int port = Ofp.port10(u32(m, 8));
                // OpenFlow 1.1+ has no NO_FLOOD bit: leave it as it is.
                portMod(port, mac(m, 16), u32(m, 24) & ~OFPPC_NO_FLOOD, u32(m, 28) & ~OFPPC_NO_FLOOD);
            }
            case Ofp.OF13_GROUP_MOD -> {
                atLeast(m, 16);
                checkNotSlave();
                groupMod(m, v15() ? 8 : -1);
            }
            case Ofp.OF13_METER_MOD -> {
                atLeast(m, 16);
                checkNotSlave();
                meterMod(m);
            }
            case Ofp.OF13_TABLE_MOD -> refuse(m, 16);
            case Ofp.OF13_MULTIPART_REQUEST -> {
                atLeast(m, 16);
                multipart13(m, u16(m, 8), xid, out);
            }
            case Ofp.OF13_BARRIER_REQUEST -> {
                exact(m, 8);
                out.add(OfpCodec.simple(version, Ofp.OF13_BARRIER_REPLY, xid, m, 0, 0));
            }
            case Ofp.OF13_QUEUE_GET_CONFIG_REQUEST -> {
                exact(m, 16);
                ByteBuffer b = OfpCodec.start(version, Ofp.OF13_QUEUE_GET_CONFIG_REPLY, xid, 16);
                b.putInt(u32(m, 8));
                OfpCodec.pad(b, 4);
                out.add(OfpCodec.finish(b));
            }
            default -> throw badRequest(Ofp.BRC_BAD_TYPE);
        }
    }

    /** A request that would change the switch: length-checked, then refused. */
    private static void refuse(byte[] m, int minLen) throws OfpError {
        atLeast(m, minLen);
        throw badRequest(Ofp.BRC_EPERM);
    }

    // ---- Nicira extensions (OFPT_VENDOR / OFPT_EXPERIMENTER) ----

    private void vendor(byte[] m, List<byte[]> out) throws OfpError {
        atLeast(m, 12);
        if (u32(m, 8) == FlowMonitors.ONF_EXPERIMENTER && version == Ofp.V13) {
            atLeast(m, 16);
            if (u32(m, 12) != FlowMonitors.ONF_FLOW_MONITOR) {
                throw badRequest(Ofp.BRC_BAD_SUBTYPE);
            }
            monitors.cancel(m, 16, version);
            return;
        }
        if (u32(m, 8) != Ofp.NX_VENDOR_ID) {
            throw badRequest(Ofp.BRC_BAD_VENDOR);
        }
        atLeast(m, 16);
        switch (u32(m, 12)) {
            case Ofp.NXT_SET_FLOW_FORMAT -> {
                exact(m, 20);
                int format = u32(m, 16);
                if (format != Ofp.NXFF_OPENFLOW10 && format != Ofp.NXFF_NXM) {
                    throw badRequest(Ofp.BRC_EPERM);
                }
                // Both formats can express the one flow: nothing to remember.
            }
            case Ofp.NXT_FLOW_MOD_TABLE_ID -> {
                exact(m, 24);
                flowModTableId = u8(m, 16) != 0;
            }
            case Ofp.NXT_SET_PACKET_IN_FORMAT -> exact(m, 20);
            case NXT_GROUP_MOD -> {
                checkNotSlave();
                groupMod(m, 16);
            }
            case FlowMonitors.NXT_FLOW_MONITOR_CANCEL -> {
                if (!of10()) {
                    throw badRequest(Ofp.BRC_BAD_SUBTYPE);
                }
                monitors.cancel(m, 16, version);
            }
            case NXT_ROLE_REQUEST -> {
                exact(m, 20);
                int nx = u32(m, 16);
                if (nx > 2) {
                    throw new OfpError(Ofp.ET_BAD_REQUEST, Ofp.BRC_EPERM);
                }
                setRole(nx == 0 ? ROLE_EQUAL : nx == 1 ? ROLE_MASTER : ROLE_SLAVE);
                ByteBuffer b = OfpCodec.start(version, Ofp.VENDOR, OfpCodec.xid(m), 20);
                b.putInt(Ofp.NX_VENDOR_ID).putInt(NXT_ROLE_REPLY).putInt(nx);
                out.add(OfpCodec.finish(b));
            }
            case Ofp.NXT_FLOW_MOD -> {
                checkNotSlave();
                flowModNx(m);
            }
            default -> throw badRequest(Ofp.BRC_BAD_SUBTYPE);
        }
    }

    // ---- flow monitors ----

    /** A flow monitor request whose body starts at {@code off}: the monitors, then the initial reply. */
    private void flowMonitor(byte[] m, int off, int xid, List<byte[]> out) throws OfpError {
        java.util.Map<OfRule, Integer> initial = monitors.request(m, off, version, tables);
        List<byte[]> entries = new ArrayList<>(initial.size());
        initial.forEach((r, flags) -> entries.add(FlowMonitors.initial(r, flags, version)));
        monitorReply(xid, entries, out);
    }

    /** Flow monitor replies of {@code entries} in this connection's version, split as needed. */
    private void monitorReply(int xid, List<byte[]> entries, List<byte[]> out) {
        if (of10()) {
            ByteBuffer prefix = ByteBuffer.allocate(12);
            prefix.putInt(Ofp.NX_VENDOR_ID).putInt(FlowMonitors.NXST_FLOW_MONITOR).putInt(0);
            statsReply(xid, Ofp.ST_VENDOR, prefix.array(), entries, out);
        } else if (version == Ofp.V13) {
            ByteBuffer prefix = ByteBuffer.allocate(8);
            prefix.putInt(FlowMonitors.ONF_EXPERIMENTER).putInt(FlowMonitors.ONF_FLOW_MONITOR);
            statsReply(xid, Ofp.ST_VENDOR, prefix.array(), entries, out);
        } else {
            statsReply(xid, FlowMonitors.MP14_FLOW_MONITOR, new byte[0], entries, out);
        }
    }

    /** True if this connection monitors flows. Any thread. */
    boolean monitoring() {
        return monitors.active();
    }

    /** The flow monitor updates (xid 0) this connection gets for one operation's changes; any thread. */
    List<byte[]> flowUpdates(List<OfTables.FlowUpdate> changes) {
        List<byte[]> entries = monitors.updates(changes, this, version);
        List<byte[]> out = new ArrayList<>(1);
        if (!entries.isEmpty()) {
            monitorReply(0, entries, out);
        }
        return out;
    }

    /** Stops full updates because the peer reads too slowly; returns the message that says so. */
    byte[] pauseMonitors(long lastReported) {
        monitors.pause(lastReported);
        return pauseMessage(true);
    }

    /** True while updates are paused. */
    boolean monitorsPaused() {
        return monitors.pausedAt() != 0;
    }

    /** What a paused connection gets once it caught up: the changes it missed, then RESUMED. */
    List<byte[]> resumeMonitors() {
        List<byte[]> out = new ArrayList<>();
        List<byte[]> entries = monitors.resume(tables, version);
        if (!entries.isEmpty()) {
            monitorReply(0, entries, out);
        }
        out.add(pauseMessage(false));
        return out;
    }

    private byte[] pauseMessage(boolean paused) {
        if (of10()) {
            ByteBuffer b = OfpCodec.start(version, Ofp.VENDOR, 0, 16);
            b.putInt(Ofp.NX_VENDOR_ID).putInt(paused ? FlowMonitors.NXT_FLOW_MONITOR_PAUSED
                    : FlowMonitors.NXT_FLOW_MONITOR_RESUMED);
            return OfpCodec.finish(b);
        }
        if (version == Ofp.V13) {
            ByteBuffer b = OfpCodec.start(version, Ofp.VENDOR, 0, 16);
            b.putInt(FlowMonitors.ONF_EXPERIMENTER).putInt(paused ? FlowMonitors.ONFT_FLOW_MONITOR_PAUSED
                    : FlowMonitors.ONFT_FLOW_MONITOR_RESUMED);
            return OfpCodec.finish(b);
        }
        List<byte[]> out = new ArrayList<>(1);
        monitorReply(0, List.of(FlowMonitors.pauseEntry(paused ? FlowMonitors.E_PAUSED : FlowMonitors.E_RESUMED)), out);
        return out.get(0);
    }

    // ---- features ----

    private byte[] featuresReply(int xid) {
        List<SwitchView.Port> ports = of10() ? sortedPorts() : List.of();
        ByteBuffer b = OfpCodec.start(version, Ofp.FEATURES_REPLY, xid, 32 + 48 * ports.size());
        b.putLong(sw.datapathId());
        b.putInt(0);                      // n_buffers: packets are never buffered
        b.put((byte) OfTables.N_TABLES);
        if (of10()) {
            OfpCodec.pad(b, 3);
            // FLOW_STATS | TABLE_STATS | PORT_STATS | QUEUE_STATS (none, but asked and answered) | ARP_MATCH_IP
            b.putInt(0x7 | 0x40 | 0x80);
            b.putInt(0x7ff);              // actions: OUTPUT through SET_TP_DST (no ENQUEUE)
            for (SwitchView.Port p : ports) {
                if (b.position() + 48 > Ofp.MAX_LEN) {
                    break;                // the client asks for port descriptions then (Open vSwitch does the same)
                }
                phyPort10(b, p);
            }
        } else {
            b.put((byte) 0);              // auxiliary_id
            OfpCodec.pad(b, 2);
            b.putInt(0x7 | 0x8 | 0x40);   // FLOW, TABLE, PORT, GROUP and QUEUE statistics
            b.putInt(0);                  // reserved
        }
        return OfpCodec.finish(b);
    }

    private List<SwitchView.Port> sortedPorts() {
        List<SwitchView.Port> ports = new ArrayList<>(sw.ports());
        ports.sort(Comparator.comparingInt(SwitchView.Port::ofport));
        return ports;
    }

    private List<SwitchView.Port> portsMatching(int port10) {
        List<SwitchView.Port> all = sortedPorts();
        if (port10 == Ofp.OFPP10_NONE) {
            return all;
        }
        return all.stream().filter(p -> p.ofport() == port10).toList();
    }

    private static int state(SwitchView.Port p, boolean of13) {
        // A port taken down (mod-port down) has no link, as a kernel device set down loses it.
        if (!p.netdev().carrier() || (p.config() & 1) != 0) {
            return Ofp.OFPPS_LINK_DOWN;
        }
        return of13 ? Ofp.OFPPS13_LIVE : 0;
    }

    private static final int OFPPC_NO_FLOOD = 0x10;
    /** The OFPPC bits this switch honours: PORT_DOWN, NO_RECV, NO_FLOOD, NO_FWD, NO_PACKET_IN. */
    private static final int OFPPC_SUPPORTED = 0x1 | 0x4 | 0x10 | 0x20 | 0x40;

    private static long mac(byte[] m, int off) {
        return ((long) u16(m, off) << 32) | (u32(m, off + 2) & 0xffffffffL);
    }

    /** OFPT_PORT_MOD: port, hw_addr, config, mask; errors as Open vSwitch's (PORT_MOD_FAILED). */
    private void portMod(int port, long hwAddr, int config, int mask) throws OfpError {
        if (!writable) {
            throw badRequest(Ofp.BRC_EPERM);
        }
        int et = of10() ? 4 : 7;                  // OFPET_PORT_MOD_FAILED
        int r = port < 0 ? -1 : sw.portMod(port, hwAddr, config & OFPPC_SUPPORTED, mask & OFPPC_SUPPORTED);
        if (r == -1) {
            throw new OfpError(et, 0);            // BAD_PORT
        }
        if (r == -2) {
            throw new OfpError(et, 1);            // BAD_HW_ADDR
        }
    }

    private static final int ALL_GROUPS_ID = OfGroups.ALL_GROUPS;
    private static final int MP13_METER = 9;
    private static final int MP13_METER_CONFIG = 10;
    private static final int MP13_METER_FEATURES = 11;
    private static final int ET13_METER_MOD_FAILED = 12;

    /** ofp_meter_config: length, flags, meter_id, drop bands. */
    private static byte[] meterConfig(OfMeters.Meter mt) {
        int len = 8 + 16 * mt.bands().size();
        ByteBuffer b = ByteBuffer.allocate(len);
        b.putShort((short) len).putShort((short) mt.flags()).putInt(mt.id());
        for (OfMeters.Band band : mt.bands()) {
            b.putShort((short) 1).putShort((short) 16).putInt(band.rate()).putInt(band.burst()).putInt(0);
        }
        return b.array();
    }

    /** ofp_meter_stats: what went in, the flows using it, and per band what it dropped. */
    private byte[] meterStats(OfMeters.Meter mt, OfMeters meters) {
        int len = 40 + 16 * mt.bands().size();
        ByteBuffer b = ByteBuffer.allocate(len);
        long[] st = meters.stats(mt);
        if (st == null) {
            st = new long[4];
        }
        int flows = 0;
        for (OfRule r : tables.all()) {
            for (OfAction a : r.actions) {
                if (a instanceof OfAction.Meter me && me.meterId() == mt.id()) {
                    flows++;
                    break;
                }
            }
        }
        b.putInt(mt.id()).putShort((short) len).put(new byte[6]).putInt(flows).putLong(st[0]).putLong(st[1]);
        OfpCodec.putDuration(b, mt.createdNanos());
        // The datapath drops at the lowest band; that band has the drops.
        OfMeters.Band low = mt.bands().stream().min((x, y) -> Integer.compareUnsigned(x.rate(), y.rate())).orElseThrow();
        for (OfMeters.Band band : mt.bands()) {
            boolean isLow = band == low;
            b.putLong(isLow ? st[2] : 0).putLong(isLow ? st[3] : 0);
        }
        return b.array();
    }

    /**
     * OFPT_METER_MOD: command, flags, meter_id, bands (drop only). Errors as Open vSwitch's
     * OFPET_METER_MOD_FAILED codes; deleting a meter deletes the flows that use it.
     */
    private void meterMod(byte[] m) throws OfpError {
        OfMeters meters = sw.meters();
        if (meters == null || !writable) {
            throw badRequest(Ofp.BRC_EPERM);
        }
        int command = u16(m, 8);
        int flags = u16(m, 10);
        int id = u32(m, 12);
        if (command == 2) {                       // DELETE
            // The flows go first: until then they meter through the datapath meter being freed.
            for (OfMeters.Meter gone : meters.all()) {
                if (id == OfMeters.ALL || gone.id() == id) {
                    removed(tables.delete(r -> r.usesMeter(gone.id()), r -> OfTables.REASON_METER_DELETE, this,
                            OfpCodec.xid(m)), OfTables.REASON_METER_DELETE);
                }
            }
            meters.delete(id);
            return;
        }
        if (command > 2) {
            throw new OfpError(ET13_METER_MOD_FAILED, 4);            // BAD_COMMAND
        }
        if (id == 0 || Integer.compareUnsigned(id, OfMeters.MAX) > 0) {
            throw new OfpError(ET13_METER_MOD_FAILED, 2);            // INVALID_METER
        }
        if ((flags & ~0xf) != 0 || (flags & 3) == 3 || (flags & 3) == 0) {
            throw new OfpError(ET13_METER_MOD_FAILED, 5);            // BAD_FLAGS
        }
        List<OfMeters.Band> bands = new ArrayList<>();
        for (int off = 16; off < m.length; off += 16) {
            if (m.length - off < 16 || u16(m, off + 2) != 16) {
                throw new OfpError(ET13_METER_MOD_FAILED, 8);        // BAD_BAND
            }
            if (u16(m, off) != 1) {
                throw new OfpError(ET13_METER_MOD_FAILED, 8);        // only drop bands
            }
            int rate = u32(m, off + 4);
            if (rate == 0) {
                throw new OfpError(ET13_METER_MOD_FAILED, 6);        // BAD_RATE
            }
            bands.add(new OfMeters.Band(rate, u32(m, off + 8)));
        }
        if (bands.isEmpty()) {
            throw new OfpError(ET13_METER_MOD_FAILED, 8);
        }
        if (command == 0 ? !meters.add(id, flags, bands) : !meters.modify(id, flags, bands)) {
            throw new OfpError(ET13_METER_MOD_FAILED, command == 0 ? 1 : 3);   // METER_EXISTS / UNKNOWN_METER
        }
    }

    /** A meter instruction must name an existing meter (OFPMMFC_INVALID_METER). */
    private void checkMeters(List<OfAction> actions) throws OfpError {
        for (OfAction a : actions) {
            if (a instanceof OfAction.Meter me) {
                OfMeters meters = sw.meters();
                if (meters == null || meters.get(me.meterId()) == null) {
                    throw new OfpError(ET13_METER_MOD_FAILED, 2);
                }
            }
        }
    }
    private static final int MP13_GROUP_FEATURES = 8;
    private static final int ET13_GROUP_MOD_FAILED = 6;
    private static final int NXST_GROUP = 7;
    private static final int NXST_GROUP_DESC = 8;
    private static final int NXST_GROUP_FEATURES = 9;
    private static final int NXT_GROUP_MOD = 31;

    /** ofp13_group_stats of {@code g}, with the number of flows that send to it. */
    private byte[] groupStats(OfGroups.Group g) {
        int refs = 0;
        for (OfRule r : tables.all()) {
            if (r.sendsToGroup(g.id())) {
                refs++;
            }
        }
        return GroupCodec.stats(g, refs);
    }

    /** The statistics ({@code stats}) or descriptions of group {@code id}, or of all. */
    private void groupEntries(boolean stats, int id, List<byte[]> entries) {
        OfGroups g = sw.groups();
        if (g == null) {
            return;
        }
        for (OfGroups.Group group : g.all()) {
            if (id == ALL_GROUPS_ID || id == group.id()) {
                entries.add(stats ? groupStats(group)
                        : of10() || v15() ? GroupCodec.desc15(group, version) : GroupCodec.desc11(group));
            }
        }
    }

    /**
     * GROUP_MOD in any of its forms ({@link GroupCodec}), applied as Open vSwitch applies it:
     * errors as its OFPET_GROUP_MOD_FAILED codes; deleting a group deletes the flows that send to
     * it. {@code v15Off}: where an OpenFlow 1.5-form body starts, or -1 for the 1.1-1.4 form.
     */
    private void groupMod(byte[] m, int v15Off) throws OfpError {
        OfGroups groups = sw.groups();
        if (groups == null || !writable) {
            throw badRequest(Ofp.BRC_EPERM);
        }
        GroupCodec.GroupMod gm = v15Off < 0 ? GroupCodec.parse11(m, this::checkGroups)
                : GroupCodec.parse15(m, v15Off, version, this::checkGroups);
        int id = gm.groupId();
        int xid = OfpCodec.xid(m);
        if (gm.command() == GroupCodec.DELETE) {
            for (int gone : groups.delete(id)) {
                removed(tables.delete(r -> r.sendsToGroup(gone), r -> OfTables.REASON_GROUP_DELETE, this, xid),
                        OfTables.REASON_GROUP_DELETE);
            }
            return;
        }
        if (Integer.compareUnsigned(id, OfGroups.MAX) > 0) {
            throw new OfpError(ET13_GROUP_MOD_FAILED, 1);         // INVALID_GROUP
        }
        int result;
        if (gm.command() == GroupCodec.INSERT_BUCKET) {
            result = groups.insertBuckets(id, gm.commandBucketId(), gm.buckets());
        } else if (gm.command() == GroupCodec.REMOVE_BUCKET) {
            result = groups.removeBuckets(id, gm.commandBucketId());
        } else {
            OfGroups.Group g = new OfGroups.Group(id, gm.type(), List.copyOf(gm.buckets()), System.nanoTime(),
                    new OfRule.Counters());
            if (gm.command() == GroupCodec.ADD) {
                if (!groups.add(g)) {
                    throw new OfpError(ET13_GROUP_MOD_FAILED, 0);      // GROUP_EXISTS
                }
                return;
            }
            if (gm.command() == GroupCodec.ADD_OR_MOD) {
                groups.addOrModify(g);
                return;
            }
            result = groups.modify(g) ? 0 : OfGroups.UNKNOWN_GROUP;
        }
        if (result != 0) {
            throw new OfpError(ET13_GROUP_MOD_FAILED, result);
        }
    }

    /** A group action must name an existing group other than {@code self} (OFPBAC_BAD_OUT_GROUP). */
    private void checkGroups(List<OfAction> actions, int self) throws OfpError {
        for (OfAction a : actions) {
            if (a instanceof OfAction.Group g) {
                OfGroups groups = sw.groups();
                if (groups == null || groups.get(g.groupId()) == null) {
                    throw new OfpError(OfActions.ET_BAD_ACTION, 9);
                }
                if (g.groupId() == self) {
                    throw new OfpError(ET13_GROUP_MOD_FAILED, 7);     // LOOP
                }
            }
        }
    }

    /** ofp_phy_port, 48 bytes. */
    private static void phyPort10(ByteBuffer b, SwitchView.Port p) {
        b.putShort((short) p.ofport());
        OfpCodec.putMac(b, p.netdev().mac());
        OfpCodec.putString(b, p.netdev().name(), 16);
        b.putInt(p.config());
        b.putInt(state(p, false));
        b.putInt(0).putInt(0).putInt(0).putInt(0);   // curr, advertised, supported, peer: unknown
    }

    /** ofp14_port: 40 bytes and an Ethernet property of 32 (speeds unknown). */
    private static byte[] port14(SwitchView.Port p) {
        ByteBuffer b = ByteBuffer.allocate(72);
        b.putInt(Ofp.port13(p.ofport())).putShort((short) 72).putShort((short) 0);
        OfpCodec.putMac(b, p.netdev().mac());
        OfpCodec.pad(b, 2);
        OfpCodec.putString(b, p.netdev().name(), 16);
        b.putInt(p.config() & ~OFPPC_NO_FLOOD);
        b.putInt(state(p, true));
        b.putShort((short) 0).putShort((short) 32).putInt(0);   // OFPPDPT_ETHERNET
        b.putInt(0).putInt(0).putInt(0).putInt(0).putInt(0).putInt(0);
        return b.array();
    }

    /** ofp_port (1.3), 64 bytes. */
    private static void port13(ByteBuffer b, SwitchView.Port p) {
        b.putInt(Ofp.port13(p.ofport()));
        OfpCodec.pad(b, 4);
        OfpCodec.putMac(b, p.netdev().mac());
        OfpCodec.pad(b, 2);
        OfpCodec.putString(b, p.netdev().name(), 16);
        b.putInt(p.config() & ~OFPPC_NO_FLOOD);
        b.putInt(state(p, true));
        b.putInt(0).putInt(0).putInt(0).putInt(0);
        b.putInt(0).putInt(0);            // curr_speed, max_speed
    }

    // ---- statistics, OpenFlow 1.0 ----

    private void stats10(byte[] m, int stype, int xid, List<byte[]> out) throws OfpError {
        List<byte[]> entries = new ArrayList<>();
        switch (stype) {
            case Ofp.ST_DESC -> {
                exact(m, 12);
                entries.add(desc());
            }
            case Ofp.ST_FLOW, Ofp.ST_AGGREGATE -> {
                exact(m, 12 + 44);
                FlowKey v = new FlowKey();
                FlowKey k = new FlowKey();
                OfFlowCodec.parseMatch10(m, 12, v, k);
                List<OfRule> rules = select(OfMatch.of(v, k), u8(m, 52), u16(m, 54), 0, 0);
                if (stype == Ofp.ST_FLOW) {
                    for (OfRule r : rules) {
                        entries.add(flow10(r));
                    }
                } else {
                    entries.add(aggregate(rules));
                }
            }
            case Ofp.ST_TABLE -> {
                exact(m, 12);
                for (int t = 0; t < OfTables.N_TABLES; t++) {
                    entries.add(table10(t));
                }
            }
            case Ofp.ST_PORT -> {
                exact(m, 12 + 8);
                for (SwitchView.Port p : portsMatching(u16(m, 12))) {
                    entries.add(portStats(p, false));
                }
            }
            case Ofp.ST_QUEUE -> exact(m, 12 + 8);    // no queues
            case Ofp.ST10_PORT_DESC -> {
                exact(m, 12);
                for (SwitchView.Port p : sortedPorts()) {
                    ByteBuffer b = ByteBuffer.allocate(48);
                    phyPort10(b, p);
                    entries.add(b.array());
                }
            }
            case Ofp.ST_VENDOR -> {
                nxStats(m, 12, xid, out);
                return;
            }
            default -> throw badRequest(Ofp.BRC_BAD_STAT);
        }
        statsReply(xid, stype, new byte[0], entries, out);
    }


    /** Nicira vendor statistics (NXST_FLOW, NXST_AGGREGATE) in a 1.0 stats request. */
    private void nxStats(byte[] m, int bodyOff, int xid, List<byte[]> out) throws OfpError {
        atLeast(m, bodyOff + 4);
        if (u32(m, bodyOff) != Ofp.NX_VENDOR_ID) {
            throw badRequest(Ofp.BRC_BAD_VENDOR);
        }
        atLeast(m, 24);
        int subtype = u32(m, 16);
        if (subtype == FlowMonitors.NXST_FLOW_MONITOR) {
            flowMonitor(m, 24, xid, out);
            return;
        }
        if (subtype == NXST_GROUP || subtype == NXST_GROUP_DESC || subtype == NXST_GROUP_FEATURES) {
            // Open vSwitch's groups for OpenFlow 1.0: the 1.5 descriptions, 1.3 statistics.
            List<byte[]> entries = new ArrayList<>();
            if (subtype == NXST_GROUP_FEATURES) {
                exact(m, 24);
                entries.add(GroupCodec.features(version));
            } else {
                exact(m, 32);
                groupEntries(subtype == NXST_GROUP, u32(m, 24), entries);
            }
            ByteBuffer prefix = ByteBuffer.allocate(12);
            prefix.putInt(Ofp.NX_VENDOR_ID).putInt(subtype).putInt(0);
            statsReply(xid, Ofp.ST_VENDOR, prefix.array(), entries, out);
            return;
        }
        if (subtype != Ofp.NXST_FLOW && subtype != Ofp.NXST_AGGREGATE) {
            throw badRequest(Ofp.BRC_BAD_SUBTYPE);
        }
        // nx_flow_stats_request: out_port, match_len, table_id, pad[3], then the NXM match.
        atLeast(m, 32);
        int outPort = u16(m, 24);
        int matchLen = u16(m, 26);
        int table = u8(m, 28);
        if (m.length != 32 + ((matchLen + 7) & ~7)) {
            throw badRequest(Ofp.BRC_BAD_LEN);
        }
        long[] cookie = new long[2];
        OfMatch match = OfMatch.parse(m, 32, matchLen, false, cookie);
        List<OfRule> rules = select(match, table, outPort, cookie[0], cookie[1]);
        List<byte[]> entries = new ArrayList<>();
        if (subtype == Ofp.NXST_FLOW) {
            for (OfRule r : rules) {
                entries.add(nxFlow(r));
            }
        } else {
            entries.add(aggregate(rules));
        }
        ByteBuffer prefix = ByteBuffer.allocate(12);
        prefix.putInt(Ofp.NX_VENDOR_ID).putInt(subtype).putInt(0);
        statsReply(xid, Ofp.ST_VENDOR, prefix.array(), entries, out);
    }

    // ---- multipart, OpenFlow 1.3 ----

    private void multipart13(byte[] m, int mtype, int xid, List<byte[]> out) throws OfpError {
        List<byte[]> entries = new ArrayList<>();
        switch (mtype) {
            case Ofp.ST_DESC -> {
                exact(m, 16);
                entries.add(desc());
            }
            case Ofp.ST_FLOW, Ofp.ST_AGGREGATE -> {
                // table_id, pad[3], out_port, out_group, pad[4], cookie, cookie_mask, ofp_match.
                atLeast(m, 16 + 32 + 4);
                int matchLen = u16(m, 16 + 32 + 2);
                if (u16(m, 48) != 1 || matchLen < 4) {
                    throw new OfpError(OfMatch.ET_BAD_MATCH, OfMatch.BMC_BAD_TYPE);
                }
                if (m.length != 16 + 32 + ((matchLen + 7) & ~7)) {
                    throw badRequest(Ofp.BRC_BAD_LEN);
                }
                int table = u8(m, 16);
                int outPort = u32(m, 20);
                int outGroup = u32(m, 24);
                long cookie = u64(m, 32);
                long cookieMask = u64(m, 40);
                OfMatch match = OfMatch.parse(m, 52, matchLen - 4, true, null);
                int port10 = Ofp.port10(outPort);
                List<OfRule> rules = port10 < 0 ? List.of() : select(match, table, port10, cookie, cookieMask)
                        .stream().filter(r -> r.sendsToGroup(outGroup)).toList();
                if (mtype == Ofp.ST_FLOW) {
                    for (OfRule r : rules) {
                        entries.add(v15() ? flow15(r) : flow13(r, version));
                    }
                } else {
                    entries.add(v15() ? aggregate15(rules) : aggregate(rules));
                }
            }
            case Ofp.ST_TABLE -> {
                exact(m, 16);
                for (int t = 0; t < OfTables.N_TABLES; t++) {
                    ByteBuffer b = ByteBuffer.allocate(24);
                    b.put((byte) t);
                    OfpCodec.pad(b, 3);
                    b.putInt(tables.rules(t).size());         // active_count
                    b.putLong(tables.lookups(t)).putLong(tables.matched(t));
                    entries.add(b.array());
                }
            }
            case Ofp.ST_PORT -> {
                exact(m, 16 + 8);
                int port = u32(m, 16);
                int port10 = Ofp.port10(port);
                if (port10 >= 0) {
                    for (SwitchView.Port p : portsMatching(port10)) {
                        entries.add(portStats(p, true));
                    }
                }
            }
            case Ofp.ST_QUEUE -> exact(m, 16 + 8);
            case FlowMonitors.MP14_FLOW_MONITOR -> {
                if (!v14()) {
                    throw badRequest(Ofp.BRC_BAD_STAT);
                }
                flowMonitor(m, 16, xid, out);
                return;
            }
            case Ofp.ST_VENDOR -> {
                // OpenFlow 1.3 experimenter multipart: only the ONF flow monitor extension.
                atLeast(m, 24);
                if (u32(m, 16) != FlowMonitors.ONF_EXPERIMENTER || version != Ofp.V13) {
                    throw badRequest(Ofp.BRC_BAD_VENDOR);
                }
                if (u32(m, 20) != FlowMonitors.ONF_FLOW_MONITOR) {
                    throw badRequest(Ofp.BRC_BAD_SUBTYPE);
                }
                flowMonitor(m, 24, xid, out);
                return;
            }
            case Ofp.MP13_GROUP, Ofp.MP13_GROUP_DESC -> {
                // Group statistics name a group; so does a 1.5 description request.
                int id = ALL_GROUPS_ID;
                if (mtype == Ofp.MP13_GROUP || v15()) {
                    exact(m, 24);
                    id = u32(m, 16);
                } else {
                    exact(m, 16);
                }
                groupEntries(mtype == Ofp.MP13_GROUP, id, entries);
            }
            case MP13_METER, MP13_METER_CONFIG -> {
                exact(m, 24);
                int id = u32(m, 16);
                OfMeters meters = sw.meters();
                if (meters != null) {
                    for (OfMeters.Meter mt : meters.all()) {
                        if (id == OfMeters.ALL || id == mt.id()) {
                            entries.add(mtype == MP13_METER ? meterStats(mt, meters) : meterConfig(mt));
                        }
                    }
                }
            }
            case MP13_METER_FEATURES -> {
                exact(m, 16);
                ByteBuffer b = ByteBuffer.allocate(16);
                b.putInt(OfMeters.MAX).putInt(1 << 1).putInt(0xf).put((byte) 8).put((byte) 0).putShort((short) 0);
                entries.add(b.array());
            }
            case MP13_GROUP_FEATURES -> {
                exact(m, 16);
                entries.add(GroupCodec.features(version));
            }
            case Ofp.MP13_TABLE_FEATURES -> {
                if (m.length != 16) {
                    refuse(m, 16 + 64);       // a body sets table features: a change
                }
                for (int t = 0; t < OfTables.N_TABLES; t++) {
                    entries.add(tableFeatures13(t));
                }
            }
            case Ofp.MP13_PORT_DESC -> {
                // 1.3: no body; 1.4+: port_no and padding (OFPP_ANY for all).
                if (m.length != 16) {
                    exact(m, 24);
                }
                int want = m.length == 24 ? u32(m, 16) : Ofp.OFPP13_ANY;
                for (SwitchView.Port p : sortedPorts()) {
                    if (want != Ofp.OFPP13_ANY && Ofp.port13(p.ofport()) != want) {
                        continue;
                    }
                    if (v14()) {
                        entries.add(port14(p));
                    } else {
                        ByteBuffer b = ByteBuffer.allocate(64);
                        port13(b, p);
                        entries.add(b.array());
                    }
                }
            }
            default -> throw badRequest(Ofp.BRC_BAD_STAT);   // OFPBRC_BAD_MULTIPART: same code
        }
        statsReply(xid, mtype, new byte[0], entries, out);
    }

    // ---- replies ----

    /**
     * Stats (1.0) or multipart (1.3) replies of {@code entries}, split over as many messages as
     * needed, all but the last flagged MORE; {@code prefix} follows the stats header in each.
     */
    private void statsReply(int xid, int stype, byte[] prefix, List<byte[]> entries, List<byte[]> out) {
        int headerLen = of10() ? 12 : 16;
        int type = of10() ? Ofp.OF10_STATS_REPLY : Ofp.OF13_MULTIPART_REPLY;
        int i = 0;
        do {
            int size = headerLen + prefix.length;
            int j = i;
            while (j < entries.size() && size + entries.get(j).length <= Ofp.MAX_LEN) {
                size += entries.get(j).length;
                j++;
            }
            if (j == i && j < entries.size()) {
                j++;                              // cannot happen with our entry sizes
            }
            ByteBuffer b = OfpCodec.start(version, type, xid, size);
            b.putShort((short) stype).putShort((short) (j < entries.size() ? Ofp.STATS_REPLY_MORE : 0));
            if (!of10()) {
                OfpCodec.pad(b, 4);
            }
            b.put(prefix);
            for (int k = i; k < j; k++) {
                b.put(entries.get(k));
            }
            out.add(OfpCodec.finish(b));
            i = j;
        } while (i < entries.size());
    }

    private byte[] desc() {
        ByteBuffer b = ByteBuffer.allocate(1056);
        OfpCodec.putString(b, "jvswitch", 256);
        OfpCodec.putString(b, "jvswitch userspace datapath", 256);
        String sw = getClass().getPackage().getImplementationVersion();
        OfpCodec.putString(b, sw == null ? "jvswitch" : sw, 256);
        OfpCodec.putString(b, "None", 32);
        OfpCodec.putString(b, this.sw.name(), 256);
        return b.array();
    }

    private byte[] table10(int t) {
        ByteBuffer b = ByteBuffer.allocate(64);
        b.put((byte) t);
        OfpCodec.pad(b, 3);
        OfpCodec.putString(b, "", 32);          // unnamed, as Open vSwitch's tables
        b.putInt(Ofp.OFPFW10_ALL);
        b.putInt(MAX_ENTRIES);
        b.putInt(tables.rules(t).size());         // active_count
        b.putLong(tables.lookups(t)).putLong(tables.matched(t));
        return b.array();
    }

    /**
     * ofp_table_features of table {@code t} with the eight properties clients require, left
     * empty (Open vSwitch lists every field and action there; clients only need them present).
     */
    private static byte[] tableFeatures13(int t) {
        int[] props = {0, 2, 4, 6, 8, 10, 12, 14};   // INSTRUCTIONS ... APPLY_SETFIELD
        int len = 64 + 8 * props.length;
        ByteBuffer b = ByteBuffer.allocate(len);
        b.putShort((short) len).put((byte) t);
        OfpCodec.pad(b, 5);
        OfpCodec.putString(b, "", 32);
        b.putLong(-1L).putLong(-1L);               // metadata_match, metadata_write: every bit
        b.putInt(0);                               // config
        b.putInt(MAX_ENTRIES);
        for (int type : props) {
            b.putShort((short) type).putShort((short) 4).putInt(0);
        }
        return b.array();
    }

    private static byte[] aggregate(List<OfRule> rules) {
        long packets = 0;
        long bytes = 0;
        for (OfRule r : rules) {
            packets += r.counters.packets();
            bytes += r.counters.bytes();
        }
        ByteBuffer b = ByteBuffer.allocate(24);
        b.putLong(packets).putLong(bytes).putInt(rules.size()).putInt(0);
        return b.array();
    }

    private byte[] portStats(SwitchView.Port p, boolean of13) {
        NetdevStats s = p.netdev().stats();
        if (v14()) {
            ByteBuffer b = ByteBuffer.allocate(120);
            b.putShort((short) 120).putShort((short) 0).putInt(Ofp.port13(p.ofport()));
            OfpCodec.putDuration(b, p.addedNanos());
            b.putLong(s.rxPackets()).putLong(s.txPackets()).putLong(s.rxBytes()).putLong(s.txBytes());
            b.putLong(s.rxDropped()).putLong(s.txDropped()).putLong(s.rxErrors()).putLong(s.txErrors());
            b.putShort((short) 0).putShort((short) 40).putInt(0);   // OFPPSPT_ETHERNET
            b.putLong(-1L).putLong(-1L).putLong(-1L).putLong(-1L);  // frame, over, crc errors, collisions: unavailable
            return b.array();
        }
        ByteBuffer b = ByteBuffer.allocate(of13 ? 112 : 104);
        if (of13) {
            b.putInt(Ofp.port13(p.ofport()));
            OfpCodec.pad(b, 4);
        } else {
            b.putShort((short) p.ofport());
            OfpCodec.pad(b, 6);
        }
        b.putLong(s.rxPackets()).putLong(s.txPackets()).putLong(s.rxBytes()).putLong(s.txBytes());
        b.putLong(s.rxDropped()).putLong(s.txDropped()).putLong(s.rxErrors()).putLong(s.txErrors());
        // rx_frame_err, rx_over_err, rx_crc_err, collisions: not counted by netdevs (all-ones = unavailable).
        b.putLong(-1L).putLong(-1L).putLong(-1L).putLong(-1L);
        if (of13) {
            OfpCodec.putDuration(b, p.addedNanos());
        }
        return b.array();
    }

    /** duration_sec and duration_nsec since {@code sinceNanos}, in whole milliseconds as Open vSwitch keeps them. */

    /** ofp_flow_stats (1.0) of {@code r}: the part of its match OpenFlow 1.0 can say, 1.0 actions. */
    private static byte[] flow10(OfRule r) {
        byte[] acts = OfActions.encode(r.actions, Ofp.V10, r.match);
        int len = 88 + acts.length;
        ByteBuffer b = ByteBuffer.allocate(len);
        b.putShort((short) len).put((byte) r.tableId).put((byte) 0);
        OfFlowCodec.putMatch10(b, r.match.value(), r.match.mask());
        OfpCodec.putDuration(b, r.createdNanos);
        b.putShort((short) r.priority).putShort((short) r.idleTimeout).putShort((short) r.hardTimeout);
        OfpCodec.pad(b, 6);
        b.putLong(r.cookie).putLong(r.counters.packets()).putLong(r.counters.bytes());
        b.put(acts);
        return b.array();
    }

    /** nx_flow_stats of {@code r}: NXM match, OpenFlow 1.0 actions with Nicira extensions. */
    private static byte[] nxFlow(OfRule r) {
        byte[] nxm = r.match.encode(false);
        byte[] acts = OfActions.encode(r.actions, Ofp.V10, r.match);
        int padded = (nxm.length + 7) & ~7;
        int len = 48 + padded + acts.length;
        ByteBuffer b = ByteBuffer.allocate(len);
        b.putShort((short) len).put((byte) r.tableId).put((byte) 0);
        OfpCodec.putDuration(b, r.createdNanos);
        b.putShort((short) r.priority).putShort((short) r.idleTimeout).putShort((short) r.hardTimeout);
        b.putShort((short) nxm.length);           // match_len
        // idle_age: seconds since the rule last matched (or was added), plus one; hard_age: unknown.
        long idle = Math.max(0, System.nanoTime() - r.lastUsedNanos()) / 1_000_000_000L;
        b.putShort((short) Math.min(0xffff, idle + 1)).putShort((short) 0);
        b.putLong(r.cookie).putLong(r.counters.packets()).putLong(r.counters.bytes());
        b.put(nxm);
        OfpCodec.pad(b, padded - nxm.length);
        b.put(acts);
        return b.array();
    }

    private static final int OXS_DURATION = 0x80020008;
    private static final int OXS_IDLE_TIME = 0x80020208;
    private static final int OXS_FLOW_COUNT = 0x80020604;
    private static final int OXS_PACKET_COUNT = 0x80020808;
    private static final int OXS_BYTE_COUNT = 0x80020a08;

    /** ofp15_flow_desc of {@code r}: the fixed part, OXM match, OXS statistics, instructions. */
    private static byte[] flow15(OfRule r) {
        byte[] oxm = r.match.encode(true);
        int matchLen = 4 + oxm.length;
        int matchPadded = (matchLen + 7) & ~7;
        byte[] inst = OfActions.encode(r.actions, Ofp.V15, r.match);
        int statsLen = 4 + 4 * 12;
        int statsPadded = (statsLen + 7) & ~7;
        int len = 24 + matchPadded + statsPadded + inst.length;
        ByteBuffer b = ByteBuffer.allocate(len);
        b.putShort((short) len).putShort((short) 0).put((byte) r.tableId).put((byte) 0).putShort((short) r.priority);
        b.putShort((short) r.idleTimeout).putShort((short) r.hardTimeout).putShort((short) r.flags).putShort((short) 0);
        b.putLong(r.cookie);
        b.putShort((short) 1).putShort((short) matchLen).put(oxm);
        OfpCodec.pad(b, matchPadded - matchLen);
        long ms = Math.max(0, System.nanoTime() - r.createdNanos) / 1_000_000L;
        long used = r.counters.usedNanos();
        long idle = (System.nanoTime() - (used == 0 ? r.createdNanos : used)) / 1_000_000_000L;
        b.putShort((short) 0).putShort((short) statsLen);
        b.putInt(OXS_DURATION).putInt((int) (ms / 1000)).putInt((int) (ms % 1000) * 1_000_000);
        b.putInt(OXS_IDLE_TIME).putInt((int) Math.max(0, idle)).putInt(0);
        b.putInt(OXS_PACKET_COUNT).putLong(r.counters.packets());
        b.putInt(OXS_BYTE_COUNT).putLong(r.counters.bytes());
        OfpCodec.pad(b, statsPadded - statsLen);
        b.put(inst);
        return b.array();
    }

    /** The OpenFlow 1.5 aggregate reply: OXS packet, byte and flow counts. */
    private static byte[] aggregate15(List<OfRule> rules) {
        long packets = 0;
        long bytes = 0;
        for (OfRule r : rules) {
            packets += r.counters.packets();
            bytes += r.counters.bytes();
        }
        int len = 4 + 12 + 12 + 8;
        ByteBuffer b = ByteBuffer.allocate((len + 7) & ~7);
        b.putShort((short) 0).putShort((short) len);
        b.putInt(OXS_PACKET_COUNT).putLong(packets);
        b.putInt(OXS_BYTE_COUNT).putLong(bytes);
        b.putInt(OXS_FLOW_COUNT).putInt(rules.size());
        return b.array();
    }

    /** ofp_flow_stats (1.3, 1.4) of {@code r}: OXM match, instructions. */
    private static byte[] flow13(OfRule r, int version) {
        byte[] oxm = r.match.encode(true);
        int matchLen = 4 + oxm.length;
        int matchPadded = (matchLen + 7) & ~7;
        byte[] inst = OfActions.encode(r.actions, version, r.match);
        int len = 48 + matchPadded + inst.length;
        ByteBuffer b = ByteBuffer.allocate(len);
        b.putShort((short) len).put((byte) r.tableId).put((byte) 0);
        OfpCodec.putDuration(b, r.createdNanos);
        b.putShort((short) r.priority).putShort((short) r.idleTimeout).putShort((short) r.hardTimeout);
        b.putShort((short) r.flags);
        OfpCodec.pad(b, 4);
        b.putLong(r.cookie).putLong(r.counters.packets()).putLong(r.counters.bytes());
        b.putShort((short) 1).putShort((short) matchLen).put(oxm);
        OfpCodec.pad(b, matchPadded - matchLen);
        b.put(inst);
        return b.array();
    }

    /**
     * The rules of {@code tableId} (or all tables for 255) covered by the filter, outputting to
     * {@code outPort} (NONE: any) and whose cookie agrees with {@code cookie} under {@code cookieMask}.
     */
    private List<OfRule> select(OfMatch filter, int tableId, int outPort, long cookie, long cookieMask) {
        List<OfRule> out = new ArrayList<>();
        if (tableId != Ofp.OFPTT_ALL && tableId >= OfTables.N_TABLES) {
            return out;
        }
        List<OfRule> candidates = tableId == Ofp.OFPTT_ALL ? tables.all() : tables.rules(tableId);
        for (OfRule r : candidates) {
            if (r.coveredBy(filter) && r.outputsTo(outPort) && ((r.cookie ^ cookie) & cookieMask) == 0) {
                out.add(r);
            }
        }
        return out;
    }

    // ---- flow table changes ----

    private static final int FC_ADD = 0;
    private static final int FC_MODIFY = 1;
    private static final int FC_MODIFY_STRICT = 2;
    private static final int FC_DELETE = 3;
    private static final int FC_DELETE_STRICT = 4;
    private static final int ET10_FLOW_MOD_FAILED = 3;
    private static final int FMFC10_OVERLAP = 1;
    private static final int FMFC10_BAD_COMMAND = 4;
    static final int ET13_FLOW_MOD_FAILED = 5;
    private static final int FMFC13_BAD_TABLE_ID = 2;
    private static final int FMFC13_OVERLAP = 3;
    private static final int FMFC13_BAD_COMMAND = 6;
    private static final int FF_CHECK_OVERLAP = 2;

    /**
     * A flow table change, whatever message it came in: {@code newCookie} all-ones keeps the
     * cookies of modified rules; {@code cookieMask} 0 selects regardless of cookie;
     * {@code addIfNone}: a modify that selects nothing adds the rule (OpenFlow 1.0 semantics).
     */
    private record FlowMod(int command, int tableId, OfMatch match, int priority, long cookie, long cookieMask,
            long newCookie, int idle, int hard, int outPort, int outGroup, int flags, List<OfAction> actions,
            boolean addIfNone) {
    }

    /**
     * OFPT_FLOW_MOD (1.0): ofp_match, cookie, command (its high byte the table once the client
     * enabled NXT_FLOW_MOD_TABLE_ID), idle and hard timeouts, priority, buffer_id (ignored: nothing
     * is buffered), out_port (for deletes), flags, actions.
     */
    private void flowMod10(byte[] m) throws OfpError {
        atLeast(m, 72);
        if (!writable) {
            throw badRequest(Ofp.BRC_EPERM);
        }
        FlowKey v = new FlowKey();
        FlowKey k = new FlowKey();
        OfFlowCodec.parseMatch10(m, 8, v, k);
        long cookie = u64(m, 48);
        int command = u16(m, 56);
        List<OfAction> actions = OfActions.parse10(m, 72, m.length);
        apply10(m, OfMatch.of(v, k), cookie, command, u16(m, 58), u16(m, 60), u16(m, 62), u16(m, 68), u16(m, 70),
                actions, 0, 0);
    }

    /**
     * NXT_FLOW_MOD: cookie, command (+ table), idle and hard timeouts, priority, buffer_id,
     * out_port, flags, match_len, then the NXM match and the actions. A NXM_NX_COOKIE entry in the
     * match selects by cookie.
     */
    private void flowModNx(byte[] m) throws OfpError {
        atLeast(m, 48);
        if (!writable) {
            throw badRequest(Ofp.BRC_EPERM);
        }
        int matchLen = u16(m, 40);
        int actionsOff = 48 + ((matchLen + 7) & ~7);
        if (actionsOff > m.length) {
            throw badRequest(Ofp.BRC_BAD_LEN);
        }
        long[] cookieMatch = new long[2];
        OfMatch match = OfMatch.parse(m, 48, matchLen, false, cookieMatch);
        List<OfAction> actions = OfActions.parse10(m, actionsOff, m.length);
        apply10(m, match, u64(m, 16), u16(m, 24), u16(m, 26), u16(m, 28), u16(m, 30), u16(m, 36), u16(m, 38),
                actions, cookieMatch[0], cookieMatch[1]);
    }

    /** The OpenFlow 1.0 / NXM flow_mod semantics Open vSwitch applies. */
    private void apply10(byte[] m, OfMatch match, long cookie, int command, int idle, int hard, int priority,
            int outPort, int flags, List<OfAction> actions, long cookieValue, long cookieMask) throws OfpError {
        if (!writable) {
            throw badRequest(Ofp.BRC_EPERM);
        }
        // Without the table-id extension an OpenFlow 1.0 flow_mod names every table (Open
        // vSwitch's 0xff): a delete or modify reaches them all, an add goes to table 0.
        int tableId = Ofp.OFPTT_ALL;
        if (flowModTableId) {
            tableId = command >>> 8;
            command &= 0xff;
        }
        if (command > FC_DELETE_STRICT) {
            throw new OfpError(ET10_FLOW_MOD_FAILED, FMFC10_BAD_COMMAND);
        }
        boolean delete = command == FC_DELETE || command == FC_DELETE_STRICT;
        if (tableId == Ofp.OFPTT_ALL && !delete && command != FC_MODIFY && command != FC_MODIFY_STRICT) {
            tableId = 0;                              // "any table" for an add: table 0, as Open vSwitch
        } else if (tableId == OfTables.N_TABLES) {
            throw badRequest(Ofp.BRC_EPERM);          // the hidden table
        }
        if (!delete) {
            checkGroups(actions, OfGroups.ANY);
        }
        int ofFlags = (flags & (OfRule.FLAG_SEND_FLOW_REM | FF_CHECK_OVERLAP)) | OfRule.FLAG_RESET_COUNTS;
        apply(m, new FlowMod(command, tableId, match, priority, cookieValue, cookieMask, cookie, idle, hard,
                outPort, OfGroups.ANY, ofFlags, actions, true), true);
    }

    /**
     * OFPT_FLOW_MOD (1.3): cookie, cookie_mask, table_id, command, timeouts, priority, buffer_id,
     * out_port, out_group, flags, OXM match, instructions.
     */
    private void flowMod13(byte[] m) throws OfpError {
        atLeast(m, 56);
        if (!writable) {
            throw badRequest(Ofp.BRC_EPERM);
        }
        long cookie = u64(m, 8);
        long cookieMask = u64(m, 16);
        int tableId = u8(m, 24);
        int command = u8(m, 25);
        int idle = u16(m, 26);
        int hard = u16(m, 28);
        int priority = u16(m, 30);
        int outPort = u32(m, 36);
        int outGroup = u32(m, 40);
        int flags = u16(m, 44);
        int[] matchLen = new int[1];
        OfMatch match = OfMatch.parseOxmMatch(m, 48, matchLen);
        if (command > FC_DELETE_STRICT) {
            throw new OfpError(ET13_FLOW_MOD_FAILED, FMFC13_BAD_COMMAND);
        }
        boolean delete = command == FC_DELETE || command == FC_DELETE_STRICT;
        if (tableId == OfTables.N_TABLES || (tableId == Ofp.OFPTT_ALL && !delete)) {
            throw tableId == OfTables.N_TABLES ? badRequest(Ofp.BRC_EPERM)
                    : new OfpError(ET13_FLOW_MOD_FAILED, FMFC13_BAD_TABLE_ID);
        }
        List<OfAction> actions = OfActions.parseInstructions(m, 48 + matchLen[0], m.length, delete ? -1 : tableId);
        if (!delete) {
            checkGroups(actions, OfGroups.ANY);
            checkMeters(actions);
        }
        int port10 = Ofp.port10(outPort);
        if (port10 < 0) {
            throw badRequest(Ofp.BRC_BAD_PORT);
        }
        long newCookie = command == FC_ADD ? cookie : -1L;
        apply(m, new FlowMod(command, tableId, match, priority, command == FC_ADD ? 0 : cookie,
                command == FC_ADD ? 0 : cookieMask, newCookie, idle, hard, port10, outGroup, flags & 0x1f, actions,
                false), false);
    }

    /** Tells the controllers about deleted rules that asked for it (OFPOfRule.FLAG_SEND_FLOW_REM), with the OFPRR_* reason. */
    private void removed(List<OfRule> gone, int reason) {
        for (OfRule r : gone) {
            if ((r.flags & OfRule.FLAG_SEND_FLOW_REM) != 0) {
                sw.flowRemoved(r, reason);
            }
        }
    }

    /** The OFPT_FLOW_REMOVED for {@code r} in this connection's version, or null if it takes none. */
    byte[] flowRemoved(OfRule r, int reason) {
        if (!wantsPacketIns()) {
            return null;
        }
        long ms = Math.max(0, System.nanoTime() - r.createdNanos) / 1_000_000L;
        if (of10()) {
            ByteBuffer b = OfpCodec.start(version, FLOW_REMOVED, 0, 88);
            OfFlowCodec.putMatch10(b, r.match.value(), r.match.mask());
            b.putLong(r.cookie).putShort((short) r.priority).put((byte) reason).put((byte) 0);
            b.putInt((int) (ms / 1000)).putInt((int) (ms % 1000) * 1_000_000);
            b.putShort((short) r.idleTimeout).putShort((short) 0);
            b.putLong(r.counters.packets()).putLong(r.counters.bytes());
            return OfpCodec.finish(b);
        }
        if (v15()) {
            // ofp15_flow_removed: table, reason, priority, timeouts, cookie, match, OXS statistics.
            int statsLen = 4 + 12 + 12 + 12;
            ByteBuffer b = OfpCodec.start(version, FLOW_REMOVED, 0, 24 + r.match.oxmMatchLength() + ((statsLen + 7) & ~7));
            b.put((byte) r.tableId).put((byte) reason).putShort((short) r.priority);
            b.putShort((short) r.idleTimeout).putShort((short) r.hardTimeout).putLong(r.cookie);
            r.match.putOxmMatch(b);
            b.putShort((short) 0).putShort((short) statsLen);
            b.putInt(OXS_DURATION).putInt((int) (ms / 1000)).putInt((int) (ms % 1000) * 1_000_000);
            b.putInt(OXS_PACKET_COUNT).putLong(r.counters.packets());
            b.putInt(OXS_BYTE_COUNT).putLong(r.counters.bytes());
            OfpCodec.pad(b, ((statsLen + 7) & ~7) - statsLen);
            return OfpCodec.finish(b);
        }
        ByteBuffer b = OfpCodec.start(version, FLOW_REMOVED, 0, 48 + r.match.oxmMatchLength());
        b.putLong(r.cookie).putShort((short) r.priority).put((byte) reason).put((byte) r.tableId);
        b.putInt((int) (ms / 1000)).putInt((int) (ms % 1000) * 1_000_000);
        b.putShort((short) r.idleTimeout).putShort((short) r.hardTimeout);
        b.putLong(r.counters.packets()).putLong(r.counters.bytes());
        r.match.putOxmMatch(b);
        return OfpCodec.finish(b);
    }

    static final int FLOW_REMOVED = 11;

    private void apply(byte[] m, FlowMod fm, boolean of10) throws OfpError {
        int xid = OfpCodec.xid(m);
        int t = fm.tableId();
        boolean allTables = t == Ofp.OFPTT_ALL;
        java.util.function.Predicate<OfRule> inTable = r -> allTables || r.tableId == t;
        java.util.function.Predicate<OfRule> cookieOk = r -> ((r.cookie ^ fm.cookie()) & fm.cookieMask()) == 0;
        OfRule rule = new OfRule(allTables ? 0 : t, fm.priority(), fm.match(), fm.newCookie() == -1L ? 0 : fm.newCookie(),
                fm.idle(), fm.hard(), fm.flags(), fm.actions(), System.nanoTime());
        switch (fm.command()) {
            case FC_ADD -> {
                if ((fm.flags() & FF_CHECK_OVERLAP) != 0 && tables.overlaps(rule)) {
                    throw of10 ? new OfpError(ET10_FLOW_MOD_FAILED, FMFC10_OVERLAP)
                            : new OfpError(ET13_FLOW_MOD_FAILED, FMFC13_OVERLAP);
                }
                tables.add(rule, this, xid);
            }
            case FC_MODIFY -> {
                int n = tables.modify(r -> inTable.test(r) && cookieOk.test(r) && r.coveredBy(fm.match()),
                        fm.actions(), fm.newCookie(), this, xid);
                if (n == 0 && fm.addIfNone()) {
                    tables.add(rule, this, xid);
                }
            }
            case FC_MODIFY_STRICT -> {
                int n = allTables || tables.find(t, fm.priority(), fm.match()) != null
                        ? tables.modify(r -> inTable.test(r) && cookieOk.test(r) && r.priority == fm.priority()
                                && r.match.equals(fm.match()), fm.actions(), fm.newCookie(), this, xid)
                        : 0;
                if (n == 0 && fm.addIfNone()) {
                    tables.add(rule, this, xid);
                }
            }
            case FC_DELETE -> removed(tables.delete(r -> inTable.test(r) && cookieOk.test(r) && r.coveredBy(fm.match())
                    && r.outputsTo(fm.outPort()) && r.sendsToGroup(fm.outGroup()), r -> OfTables.REASON_DELETE, this, xid),
                    OfTables.REASON_DELETE);
            default -> removed(tables.delete(r -> inTable.test(r) && cookieOk.test(r) && r.priority == fm.priority()
                    && r.match.equals(fm.match()) && r.outputsTo(fm.outPort()) && r.sendsToGroup(fm.outGroup()),
                    r -> OfTables.REASON_DELETE, this, xid), OfTables.REASON_DELETE);
        }
    }
}
