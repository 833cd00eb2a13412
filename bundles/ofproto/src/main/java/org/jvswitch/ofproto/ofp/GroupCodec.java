package org.jvswitch.ofproto.ofp;

import static org.jvswitch.ofproto.ofp.OfpCodec.u16;
import static org.jvswitch.ofproto.ofp.OfpCodec.u32;
import static org.jvswitch.ofproto.ofp.OfpCodec.u8;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.jvswitch.ofproto.ofp.OfpSession.OfpError;

/**
 * Group messages on the wire: GROUP_MOD in OpenFlow 1.1-1.4 (buckets with weight and watch
 * fields, ids given in order) and in OpenFlow 1.5 / Nicira's NXT_GROUP_MOD for 1.0 (bucket ids,
 * properties, INSERT_BUCKET and REMOVE_BUCKET), checked as Open vSwitch's ofputil_check_group_mod
 * checks them; group descriptions in both forms, and group statistics. Connection threads.
 */
final class GroupCodec {
    static final int ADD = 0;
    static final int MODIFY = 1;
    static final int DELETE = 2;
    static final int INSERT_BUCKET = 3;
    static final int REMOVE_BUCKET = 5;
    static final int ADD_OR_MOD = 0x8000;

    static final int ET_GROUP_MOD_FAILED = 6;
    private static final int INVALID_GROUP = 1;
    private static final int WATCH_UNSUPPORTED = 6;
    private static final int BAD_TYPE = 10;
    private static final int BAD_COMMAND = 11;
    private static final int BAD_BUCKET = 12;
    private static final int BAD_WATCH = 13;
    /** OFPET_BAD_PROPERTY (1.4+) and its codes. */
    private static final int ET_BAD_PROPERTY = 14;
    private static final int BPC_BAD_TYPE = 0;
    private static final int BPC_BAD_LEN = 1;
    private static final int BPC_BAD_EXP_TYPE = 6;

    private static final int PROP_WEIGHT = 0;
    private static final int PROP_WATCH_PORT = 1;
    private static final int PROP_WATCH_GROUP = 2;

    private GroupCodec() {
    }

    /** A decoded GROUP_MOD. */
    record GroupMod(int command, int type, int groupId, int commandBucketId, List<OfGroups.Bucket> buckets) {
    }

    /** Checks a bucket's actions (group references, meters) for the group {@code self}. */
    interface ActionCheck {
        void check(List<OfAction> actions, int self) throws OfpError;
    }

    private static OfpError failed(int code) {
        return new OfpError(ET_GROUP_MOD_FAILED, code);
    }

    /** OpenFlow 1.1-1.4: command, type, group_id, then buckets (len, weight, watch_port, watch_group, actions). */
    static GroupMod parse11(byte[] m, ActionCheck check) throws OfpError {
        int command = u16(m, 8);
        int type = u8(m, 10);
        int id = u32(m, 12);
        List<OfGroups.Bucket> buckets = new ArrayList<>();
        int off = 16;
        while (off < m.length) {
            if (m.length - off < 16) {
                throw failed(BAD_BUCKET);
            }
            int len = u16(m, off);
            if (len < 16 || len % 8 != 0 || off + len > m.length) {
                throw failed(BAD_BUCKET);
            }
            List<OfAction> actions = OfActions.parse13(m, off + 16, off + len);
            check.check(actions, id);
            buckets.add(new OfGroups.Bucket(buckets.size(), u16(m, off + 2), u32(m, off + 4), u32(m, off + 8), actions));
            off += len;
        }
        if (command == DELETE && !buckets.isEmpty()) {
            throw failed(INVALID_GROUP);              // OpenFlow 1.3.5: a delete carries no buckets
        }
        GroupMod gm = new GroupMod(command, type, id, OfGroups.BUCKET_ALL, buckets);
        check(gm);
        return gm;
    }

    /**
     * OpenFlow 1.5 (and NXT_GROUP_MOD, whose body starts at {@code off}): command, type, group_id,
     * bucket_array_len, command_bucket_id, buckets (len, action_array_len, bucket_id, actions,
     * weight / watch_port / watch_group properties), then group properties.
     */
    static GroupMod parse15(byte[] m, int off, int version, ActionCheck check) throws OfpError {
        if (m.length < off + 16) {
            throw new OfpError(Ofp.ET_BAD_REQUEST, Ofp.BRC_BAD_LEN);
        }
        int command = u16(m, off);
        int type = u8(m, off + 2);
        int id = u32(m, off + 4);
        int bucketsLen = u16(m, off + 8);
        int cmdBucket = u32(m, off + 12);
        boolean idOk = switch (command) {
            case REMOVE_BUCKET -> cmdBucket == OfGroups.BUCKET_ALL || real(cmdBucket)
                    || cmdBucket == OfGroups.BUCKET_FIRST || cmdBucket == OfGroups.BUCKET_LAST;
            case INSERT_BUCKET -> real(cmdBucket) || cmdBucket == OfGroups.BUCKET_FIRST
                    || cmdBucket == OfGroups.BUCKET_LAST;
            default -> cmdBucket == OfGroups.BUCKET_ALL;
        };
        if (!idOk) {
            throw failed(BAD_BUCKET);
        }
        int pos = off + 16;
        int end = pos + bucketsLen;
        if (end > m.length) {
            throw new OfpError(Ofp.ET_BAD_REQUEST, Ofp.BRC_BAD_LEN);
        }
        List<OfGroups.Bucket> buckets = new ArrayList<>();
        Set<Integer> ids = new HashSet<>();
        while (pos < end) {
            if (end - pos < 8) {
                throw failed(BAD_BUCKET);
            }
            int len = u16(m, pos);
            int actionsLen = u16(m, pos + 2);
            if (len < 8 || len > end - pos || actionsLen > len - 8) {
                throw failed(BAD_BUCKET);
            }
            List<OfAction> actions = version == Ofp.V10
                    ? OfActions.parse10(m, pos + 8, pos + 8 + actionsLen)
                    : OfActions.parse13(m, pos + 8, pos + 8 + actionsLen);
            int weight = type == OfGroups.SELECT ? 1 : 0;
            int watchPort = Ofp.OFPP13_ANY;
            int watchGroup = OfGroups.ANY;
            int p = pos + 8 + actionsLen;
            int propsEnd = pos + len;
            while (p < propsEnd) {
                if (propsEnd - p < 4) {
                    throw new OfpError(ET_BAD_PROPERTY, BPC_BAD_LEN);
                }
                int ptype = u16(m, p);
                int plen = u16(m, p + 2);
                if (plen < 4 || p + ((plen + 7) & ~7) > propsEnd) {
                    throw new OfpError(ET_BAD_PROPERTY, BPC_BAD_LEN);
                }
                switch (ptype) {
                    case PROP_WEIGHT -> {
                        if (plen < 6) {                   // 8 as sent (value and padding); 6 is forgiven
                            throw new OfpError(ET_BAD_PROPERTY, BPC_BAD_LEN);
                        }
                        weight = u16(m, p + 4);
                    }
                    case PROP_WATCH_PORT -> {
                        propLen(plen, 4);
                        watchPort = u32(m, p + 4);
                        if (watchPort != Ofp.OFPP13_ANY && Ofp.port10(watchPort) < 0) {
                            throw failed(BAD_WATCH);
                        }
                    }
                    case PROP_WATCH_GROUP -> {
                        propLen(plen, 4);
                        watchGroup = u32(m, p + 4);
                    }
                    default -> throw new OfpError(ET_BAD_PROPERTY, BPC_BAD_TYPE);
                }
                p += (plen + 7) & ~7;
            }
            int bucketId = u32(m, pos + 4);
            if (!real(bucketId) || !ids.add(bucketId)) {
                throw failed(BAD_BUCKET);             // out of range, or twice in one message
            }
            check.check(actions, id);
            buckets.add(new OfGroups.Bucket(bucketId, weight, watchPort, watchGroup, actions));
            pos += len;
        }
        if (end < m.length) {
            // Group properties: Open vSwitch's only one is the Netronome selection method.
            throw new OfpError(ET_BAD_PROPERTY, u16(m, end) == 0xffff ? BPC_BAD_EXP_TYPE : BPC_BAD_TYPE);
        }
        GroupMod gm = new GroupMod(command, type, id, cmdBucket, buckets);
        check(gm);
        return gm;
    }

    private static boolean real(int bucketId) {
        return Integer.compareUnsigned(bucketId, OfGroups.BUCKET_MAX) <= 0;
    }

    private static void propLen(int plen, int payload) throws OfpError {
        if (plen != 4 + payload) {
            throw new OfpError(ET_BAD_PROPERTY, BPC_BAD_LEN);
        }
    }

    /** Open vSwitch's ofputil_check_group_mod. */
    private static void check(GroupMod gm) throws OfpError {
        if (gm.type() > OfGroups.FAST_FAILOVER) {
            throw failed(BAD_TYPE);
        }
        if (gm.type() == OfGroups.INDIRECT && gm.command() != DELETE && gm.buckets().size() != 1) {
            throw failed(INVALID_GROUP);
        }
        switch (gm.command()) {
            case ADD, MODIFY, ADD_OR_MOD, DELETE, INSERT_BUCKET -> { }
            case REMOVE_BUCKET -> {
                if (!gm.buckets().isEmpty()) {
                    throw failed(BAD_BUCKET);
                }
            }
            default -> throw failed(BAD_COMMAND);
        }
        for (OfGroups.Bucket b : gm.buckets()) {
            if (b.weight() != 0 && gm.type() != OfGroups.SELECT && gm.command() != INSERT_BUCKET) {
                throw failed(INVALID_GROUP);
            }
            boolean liveness = b.watchPort() != Ofp.OFPP13_ANY || b.watchGroup() != OfGroups.ANY;
            if ((gm.type() == OfGroups.ALL || gm.type() == OfGroups.INDIRECT) && liveness) {
                throw failed(WATCH_UNSUPPORTED);
            }
            if (gm.type() == OfGroups.FAST_FAILOVER && !liveness) {
                throw failed(INVALID_GROUP);
            }
        }
    }

    /** ofp11_group_desc (1.1-1.4): length, type, group_id, buckets with weight and watch fields. */
    static byte[] desc11(OfGroups.Group g) {
        List<byte[]> buckets = new ArrayList<>();
        int len = 8;
        for (OfGroups.Bucket bk : g.buckets()) {
            byte[] acts = OfActions.encodeActions13(bk.actions());
            ByteBuffer b = ByteBuffer.allocate(16 + acts.length);
            b.putShort((short) (16 + acts.length)).putShort((short) bk.weight()).putInt(bk.watchPort()).putInt(bk.watchGroup());
            OfpCodec.pad(b, 4);
            b.put(acts);
            buckets.add(b.array());
            len += 16 + acts.length;
        }
        ByteBuffer b = ByteBuffer.allocate(len);
        b.putShort((short) len).put((byte) g.type()).put((byte) 0).putInt(g.id());
        for (byte[] bk : buckets) {
            b.put(bk);
        }
        return b.array();
    }

    /** ofp15_group_desc (1.5, and Nicira's for 1.0): buckets with ids and properties. */
    static byte[] desc15(OfGroups.Group g, int version) {
        List<byte[]> buckets = new ArrayList<>();
        int bucketsLen = 0;
        for (OfGroups.Bucket bk : g.buckets()) {
            byte[] acts = OfActions.encodeActions(bk.actions(), version);
            boolean weight = g.type() == OfGroups.SELECT || bk.weight() != 0;
            boolean port = bk.watchPort() != Ofp.OFPP13_ANY;
            boolean group = bk.watchGroup() != OfGroups.ANY;
            int len = 8 + acts.length + (weight ? 8 : 0) + (port ? 8 : 0) + (group ? 8 : 0);
            ByteBuffer b = ByteBuffer.allocate(len);
            b.putShort((short) len).putShort((short) acts.length).putInt(bk.bucketId()).put(acts);
            if (weight) {
                b.putShort((short) PROP_WEIGHT).putShort((short) 8).putShort((short) bk.weight()).putShort((short) 0);
            }
            if (port) {
                b.putShort((short) PROP_WATCH_PORT).putShort((short) 8).putInt(bk.watchPort());
            }
            if (group) {
                b.putShort((short) PROP_WATCH_GROUP).putShort((short) 8).putInt(bk.watchGroup());
            }
            buckets.add(b.array());
            bucketsLen += len;
        }
        ByteBuffer b = ByteBuffer.allocate(16 + bucketsLen);
        b.putShort((short) (16 + bucketsLen)).put((byte) g.type()).put((byte) 0).putInt(g.id());
        b.putShort((short) bucketsLen);
        OfpCodec.pad(b, 6);
        for (byte[] bk : buckets) {
            b.put(bk);
        }
        return b.array();
    }

    /** ofp13_group_stats with a counter per bucket; {@code refs} flows send to the group. */
    static byte[] stats(OfGroups.Group g, int refs) {
        int len = 40 + 16 * g.buckets().size();
        ByteBuffer b = ByteBuffer.allocate(len);
        b.putShort((short) len).putShort((short) 0).putInt(g.id());
        b.putInt(refs).putInt(0);
        b.putLong(g.counters().packets()).putLong(g.counters().bytes());
        OfpCodec.putDuration(b, g.createdNanos());
        for (OfGroups.Bucket bk : g.buckets()) {
            b.putLong(bk.counters().packets()).putLong(bk.counters().bytes());
        }
        return b.array();
    }

    /**
     * ofp12_group_features: all four types, weights, liveness and chaining, max groups, and the
     * actions of {@code version} jvswitch runs in buckets.
     */
    static byte[] features(int version) {
        ByteBuffer b = ByteBuffer.allocate(40);
        b.putInt(0xf);                            // types: all, select, indirect, fast failover
        b.putInt(0x1 | 0x2 | 0x4);                // capabilities: SELECT_WEIGHT, SELECT_LIVENESS, CHAINING
        for (int i = 0; i < 4; i++) {
            b.putInt(OfGroups.MAX);               // max_groups
        }
        // OpenFlow 1.0: output, set_vlan_vid/pcp, strip_vlan, mod_dl_src/dst, mod_nw_src/dst/tos,
        // mod_tp_src/dst. 1.1+: output, group, set_field, pop/push_vlan, set/dec_nw_ttl.
        int actions = version == Ofp.V10 ? 0x7ff
                : (1 << 0) | (1 << 17) | (1 << 18) | (1 << 22) | (1 << 23) | (1 << 24) | (1 << 25);
        for (int i = 0; i < 4; i++) {
            b.putInt(actions);
        }
        return b.array();
    }
}
