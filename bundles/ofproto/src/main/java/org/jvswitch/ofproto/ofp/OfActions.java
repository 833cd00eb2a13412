package org.jvswitch.ofproto.ofp;

import static org.jvswitch.ofproto.ofp.OfpCodec.u16;
import static org.jvswitch.ofproto.ofp.OfpCodec.u32;
import static org.jvswitch.ofproto.ofp.OfpCodec.u64;
import static org.jvswitch.ofproto.ofp.OfpCodec.u8;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.jvswitch.ofproto.ofp.OfAction.Controller;
import org.jvswitch.ofproto.ofp.OfAction.DecTtl;
import org.jvswitch.ofproto.ofp.OfAction.Exit;
import org.jvswitch.ofproto.ofp.OfAction.GotoTable;
import org.jvswitch.ofproto.ofp.OfAction.Move;
import org.jvswitch.ofproto.ofp.OfAction.Note;
import org.jvswitch.ofproto.ofp.OfAction.Output;
import org.jvswitch.ofproto.ofp.OfAction.PopVlan;
import org.jvswitch.ofproto.ofp.OfAction.PushVlan;
import org.jvswitch.ofproto.ofp.OfAction.Resubmit;
import org.jvswitch.ofproto.ofp.OfAction.SetField;
import org.jvswitch.ofproto.ofp.OfAction.SetNwTtl;
import org.jvswitch.ofproto.ofp.OfAction.SetVlanPcp;
import org.jvswitch.ofproto.ofp.OfAction.SetVlanVid;
import org.jvswitch.ofproto.ofp.OfAction.WriteMetadata;
import org.jvswitch.ofproto.ofp.OfpSession.OfpError;

/**
 * OpenFlow action lists and 1.1+ instructions to and from {@link OfAction}s: the standard 1.0 and
 * 1.3 actions and the Nicira extensions Open vSwitch users write (resubmit, load, move, note,
 * exit, controller, write_metadata, dec_ttl), encoded for a dump the way Open vSwitch encodes them
 * for that version, so {@code ovs-ofctl dump-flows} reads the same on both switches.
 */
public final class OfActions {
    private OfActions() {
    }

    static final int ET_BAD_ACTION = 2;
    static final int BAC_BAD_TYPE = 0;
    static final int BAC_BAD_LEN = 1;
    static final int BAC_BAD_VENDOR = 2;
    static final int BAC_BAD_VENDOR_TYPE = 3;
    static final int BAC_BAD_OUT_PORT = 4;
    static final int BAC_BAD_ARGUMENT = 5;
    static final int ET_BAD_INSTRUCTION = 3;
    static final int BIC_UNKNOWN_INST = 0;
    static final int BIC_UNSUP_INST = 1;
    static final int BIC_BAD_TABLE_ID = 2;
    static final int BIC_BAD_LEN = 7;

    // Nicira action subtypes.
    private static final int NXAST_RESUBMIT = 1;
    private static final int NXAST_REG_MOVE = 6;
    private static final int NXAST_REG_LOAD = 7;
    private static final int NXAST_NOTE = 8;
    private static final int NXAST_RESUBMIT_TABLE = 14;
    private static final int NXAST_EXIT = 17;
    private static final int NXAST_FIN_TIMEOUT = 19;
    private static final int NXAST_DEC_TTL = 18;
    private static final int NXAST_CONTROLLER = 20;
    private static final int NXAST_DEC_TTL_CNT_IDS = 21;
    private static final int NXAST_WRITE_METADATA = 22;
    private static final int NXAST_REG_LOAD2 = 33;
    private static final int NXAST_GROUP = 40;
    private static final int NXAST_LEARN = 16;

    private static final int VID_PRESENT = 0x1000;

    private static OfpError bad(int code) {
        return new OfpError(ET_BAD_ACTION, code);
    }

    // ---- decoding ----

    /** An OpenFlow 1.0 action list {@code m[off..end)}: standard actions and Nicira extensions. */
    static List<OfAction> parse10(byte[] m, int off, int end) throws OfpError {
        List<OfAction> out = new ArrayList<>();
        while (off < end) {
            int len = actionLength(m, off, end);
            int type = u16(m, off);
            int a = off + 4;
            if (type != 0xffff) {
                int want = type == 4 || type == 5 || type == 11 ? 16 : 8;
                if (type <= 11 && len != want) {
                    throw bad(BAC_BAD_LEN);
                }
            }
            switch (type) {
                case 0 -> out.add(new Output(checkPort10(u16(m, a)), u16(m, a + 2)));
                case 1 -> {
                    int vid = u16(m, a);
                    if ((vid & ~0xfff) != 0) {
                        throw bad(BAC_BAD_ARGUMENT);
                    }
                    out.add(new SetVlanVid(vid, true));
                }
                case 2 -> {
                    int pcp = u8(m, a);
                    if ((pcp & ~7) != 0) {
                        throw bad(BAC_BAD_ARGUMENT);
                    }
                    out.add(new SetVlanPcp(pcp, true));
                }
                case 3 -> out.add(new PopVlan(true));
                case 4 -> out.add(new SetField(OfField.ETH_SRC, mac(m, a), SetField.LEGACY));
                case 5 -> out.add(new SetField(OfField.ETH_DST, mac(m, a), SetField.LEGACY));
                case 6 -> out.add(new SetField(OfField.IPV4_SRC, u32(m, a) & 0xffffffffL, SetField.LEGACY));
                case 7 -> out.add(new SetField(OfField.IPV4_DST, u32(m, a) & 0xffffffffL, SetField.LEGACY));
                case 8 -> {
                    int tos = u8(m, a);
                    if ((tos & 3) != 0) {
                        throw bad(BAC_BAD_ARGUMENT);
                    }
                    out.add(new SetField(OfField.IP_DSCP, tos >>> 2, SetField.LEGACY));
                }
                case 9 -> out.add(new SetField(OfField.TCP_SRC, u16(m, a), SetField.LEGACY));
                case 10 -> out.add(new SetField(OfField.TCP_DST, u16(m, a), SetField.LEGACY));
                case 0xffff -> out.add(parseNx(m, off, len));
                default -> throw bad(BAC_BAD_TYPE);        // ENQUEUE (11) included: no queues
            }
            off += len;
        }
        return out;
    }

    /** An OpenFlow 1.1+ action list {@code m[off..end)} (inside APPLY_ACTIONS, or a 1.3 packet-out). */
    static List<OfAction> parse13(byte[] m, int off, int end) throws OfpError {
        List<OfAction> out = new ArrayList<>();
        while (off < end) {
            int len = actionLength(m, off, end);
            int type = u16(m, off);
            int a = off + 4;
            switch (type) {
                case 0 -> {
                    need(len, 16);
                    int port = Ofp.port10(u32(m, a));
                    if (port < 0) {
                        throw bad(BAC_BAD_OUT_PORT);
                    }
                    out.add(new Output(checkPort10(port), u16(m, a + 4)));
                }
                case 3 -> { need(len, 16); out.add(new SetField(OfField.ETH_SRC, mac(m, a), SetField.LEGACY)); }
                case 4 -> { need(len, 16); out.add(new SetField(OfField.ETH_DST, mac(m, a), SetField.LEGACY)); }
                case 5 -> { need(len, 8); out.add(new SetField(OfField.IPV4_SRC, u32(m, a) & 0xffffffffL, SetField.LEGACY)); }
                case 6 -> { need(len, 8); out.add(new SetField(OfField.IPV4_DST, u32(m, a) & 0xffffffffL, SetField.LEGACY)); }
                case 9 -> { need(len, 8); out.add(new SetField(OfField.TCP_SRC, u16(m, a), SetField.LEGACY)); }
                case 10 -> { need(len, 8); out.add(new SetField(OfField.TCP_DST, u16(m, a), SetField.LEGACY)); }
                case 17 -> {
                    need(len, 8);
                    int et = u16(m, a);
                    if (et != 0x8100 && et != 0x88a8) {
                        throw bad(BAC_BAD_ARGUMENT);
                    }
                    out.add(new PushVlan(et));
                }
                case 18 -> { need(len, 8); out.add(new PopVlan(false)); }
                case 22 -> { need(len, 8); out.add(new OfAction.Group(u32(m, a))); }
                case 23 -> { need(len, 8); out.add(new SetNwTtl(u8(m, a))); }
                case 24 -> { need(len, 8); out.add(new DecTtl()); }
                case 25 -> out.add(parseSetField(m, off, len));
                case 29 -> { need(len, 8); out.add(new OfAction.Meter(u32(m, a))); }
                case 28 -> {
                    // OpenFlow 1.5 copy_field: n_bits, src_offset, dst_offset, pad, src and dst OXM headers.
                    if (len < 24) {
                        throw bad(BAC_BAD_LEN);
                    }
                    int nBits = u16(m, a);
                    int srcOfs = u16(m, a + 2);
                    int dstOfs = u16(m, a + 4);
                    OfField src = OfField.byHeader(u32(m, a + 8));
                    OfField dst = OfField.byHeader(u32(m, a + 12));
                    if (src == null || dst == null || dst == OfField.IN_PORT || nBits == 0
                            || srcOfs + nBits > fieldBits(src) || dstOfs + nBits > fieldBits(dst)) {
                        throw bad(BAC_BAD_ARGUMENT);
                    }
                    out.add(new Move(src, srcOfs, dst, dstOfs, nBits));
                }
                case 0xffff -> out.add(parseNx(m, off, len));
                default -> throw bad(BAC_BAD_TYPE);
            }
            off += len;
        }
        return out;
    }

    /**
     * OpenFlow 1.1+ instructions of a rule in {@code tableId}: APPLY_ACTIONS, WRITE_METADATA and
     * GOTO_TABLE (to a later table). Others (WRITE_ACTIONS, CLEAR_ACTIONS, METER) are refused with
     * BAD_INSTRUCTION/UNSUP_INST; an unknown one with UNKNOWN_INST.
     */
    static List<OfAction> parseInstructions(byte[] m, int off, int end, int tableId) throws OfpError {
        List<OfAction> apply = new ArrayList<>();
        WriteMetadata meta = null;
        GotoTable go = null;
        OfAction.Meter meter = null;
        boolean sawApply = false;
        while (off < end) {
            if (end - off < 8) {
                throw new OfpError(ET_BAD_INSTRUCTION, BIC_BAD_LEN);
            }
            int type = u16(m, off);
            int len = u16(m, off + 2);
            if (len < 8 || len % 8 != 0 || off + len > end) {
                throw new OfpError(ET_BAD_INSTRUCTION, BIC_BAD_LEN);
            }
            switch (type) {
                case 1 -> {
                    if (len != 8 || go != null) {
                        throw new OfpError(ET_BAD_INSTRUCTION, BIC_BAD_LEN);
                    }
                    int t = u8(m, off + 4);
                    if (t <= tableId || t >= OfTables.N_TABLES) {
                        throw new OfpError(ET_BAD_INSTRUCTION, BIC_BAD_TABLE_ID);
                    }
                    go = new GotoTable(t);
                }
                case 2 -> {
                    if (len != 24 || meta != null) {
                        throw new OfpError(ET_BAD_INSTRUCTION, BIC_BAD_LEN);
                    }
                    meta = new WriteMetadata(u64(m, off + 8), u64(m, off + 16));
                }
                case 4 -> {
                    if (sawApply) {
                        throw new OfpError(ET_BAD_INSTRUCTION, BIC_BAD_LEN);
                    }
                    sawApply = true;
                    apply.addAll(parse13(m, off + 8, off + len));
                }
                case 6 -> {
                    if (len != 8 || meter != null) {
                        throw new OfpError(ET_BAD_INSTRUCTION, BIC_BAD_LEN);
                    }
                    meter = new OfAction.Meter(u32(m, off + 4));
                }
                case 3, 5 -> throw new OfpError(ET_BAD_INSTRUCTION, BIC_UNSUP_INST);
                default -> throw new OfpError(ET_BAD_INSTRUCTION, BIC_UNKNOWN_INST);
            }
            off += len;
        }
        if (meta != null) {
            apply.add(meta);
        }
        if (go != null) {
            apply.add(go);
        }
        if (meter != null) {
            apply.add(0, meter);                  // the meter applies before the actions
        }
        return apply;
    }

    private static void need(int len, int want) throws OfpError {
        if (len != want) {
            throw bad(BAC_BAD_LEN);
        }
    }

    private static int actionLength(byte[] m, int off, int end) throws OfpError {
        if (end - off < 8) {
            throw bad(BAC_BAD_LEN);
        }
        int len = u16(m, off + 2);
        if (len < 8 || len % 8 != 0 || off + len > end) {
            throw bad(BAC_BAD_LEN);
        }
        return len;
    }

    /** Open vSwitch's output port check: a port below 0xff00 or one of the reserved ports. */
    private static int checkPort10(int port) throws OfpError {
        boolean reserved = port >= OfAction.IN_PORT && port <= OfAction.LOCAL;
        if (port >= Ofp.OFPP10_MAX && !reserved) {
            throw bad(BAC_BAD_OUT_PORT);
        }
        return port;
    }

    private static long mac(byte[] m, int off) {
        return ((long) u16(m, off) << 32) | (u32(m, off + 2) & 0xffffffffL);
    }

    /** OFPAT_SET_FIELD: one unmasked OXM entry after the 4-byte action header. */
    private static SetField parseSetField(byte[] m, int off, int len) throws OfpError {
        if (len < 8) {
            throw bad(BAC_BAD_LEN);
        }
        // A mask is OpenFlow 1.5's; earlier versions set whole fields, but a mask does no harm.
        return parseEntry(m, off + 4, off + len, SetField.SET_FIELD);
    }

    /** One OXM/NXM entry at {@code p} (value and optional mask) as a set of that field. */
    private static SetField parseEntry(byte[] m, int p, int end, int raw) throws OfpError {
        if (p + 4 > end) {
            throw bad(BAC_BAD_LEN);
        }
        int h = u32(m, p);
        boolean hasMask = (h & 0x100) != 0;
        int n = h & 0xff;
        int q = p + 4;
        if ((h >>> 16) == 0xffff) {
            if (n < 4 || q + 4 > end || u32(m, q) != OfField.ONF_EXPERIMENTER) {
                throw bad(BAC_BAD_ARGUMENT);
            }
            q += 4;
            n -= 4;
        }
        OfField f = OfField.byHeader(h);
        if (f == null || f == OfField.IN_PORT) {
            throw bad(BAC_BAD_ARGUMENT);                // OFPBAC_BAD_SET_TYPE in 1.2+: unknown or read-only field
        }
        int half = hasMask ? n / 2 : n;
        if (half != f.width(h) || q + n > end) {
            throw bad(BAC_BAD_LEN);
        }
        if (f.wide()) {
            long hi = OfMatch.read(m, q, 8);
            long lo = OfMatch.read(m, q + 8, 8);
            long mh = hasMask ? OfMatch.read(m, q + 16, 8) : -1L;
            long ml = hasMask ? OfMatch.read(m, q + 24, 8) : -1L;
            return new SetField(f, hi & mh, lo & ml, mh, ml, raw);
        }
        long val = OfMatch.read(m, q, half);
        long msk = hasMask ? OfMatch.read(m, q + half, half) : f.ones();
        if (f == OfField.ARP_OP ? val > 0xff : f.bits < 64 && (val >>> f.bits) != 0 && f != OfField.TCP_FLAGS) {
            throw bad(BAC_BAD_ARGUMENT);
        }
        return new SetField(f, 0, val & msk, 0, msk & f.ones(), raw);
    }

    /** A Nicira vendor action at {@code off} of {@code len} bytes. */
    private static OfAction parseNx(byte[] m, int off, int len) throws OfpError {
        if (len < 16) {
            throw bad(BAC_BAD_LEN);
        }
        if (u32(m, off + 4) != Ofp.NX_VENDOR_ID) {
            throw bad(BAC_BAD_VENDOR);
        }
        int sub = u16(m, off + 8);
        int a = off + 10;
        switch (sub) {
            case NXAST_RESUBMIT, NXAST_RESUBMIT_TABLE -> {
                need(len, 16);
                int port = u16(m, a);
                int table = sub == NXAST_RESUBMIT ? 0xff : u8(m, a + 2);
                if (sub == NXAST_RESUBMIT_TABLE && (u8(m, a + 3) | u16(m, a + 4)) != 0) {
                    throw bad(BAC_BAD_ARGUMENT);
                }
                if (table != 0xff && table >= OfTables.N_TABLES) {
                    throw bad(BAC_BAD_ARGUMENT);
                }
                return new Resubmit(port, table, sub == NXAST_RESUBMIT_TABLE);
            }
            case NXAST_REG_MOVE -> {
                need(len, 24);
                int nBits = u16(m, a);
                int srcOfs = u16(m, a + 2);
                int dstOfs = u16(m, a + 4);
                OfField src = OfField.byHeader(u32(m, a + 6));
                OfField dst = OfField.byHeader(u32(m, a + 10));
                if (src == null || dst == null || dst == OfField.IN_PORT || nBits == 0
                        || srcOfs + nBits > fieldBits(src) || dstOfs + nBits > fieldBits(dst)) {
                    throw bad(BAC_BAD_ARGUMENT);
                }
                return new Move(src, srcOfs, dst, dstOfs, nBits);
            }
            case NXAST_REG_LOAD -> {
                need(len, 24);
                int ofsNbits = u16(m, a);
                int ofs = ofsNbits >>> 6;
                int nBits = (ofsNbits & 0x3f) + 1;
                OfField dst = OfField.byHeader(u32(m, a + 2));
                long value = u64(m, a + 6);
                if (dst == null || dst == OfField.IN_PORT || ofs + nBits > fieldBits(dst)
                        || (nBits < 64 && (value >>> nBits) != 0)) {
                    throw bad(BAC_BAD_ARGUMENT);
                }
                return load(dst, ofs, nBits, value);
            }
            case NXAST_REG_LOAD2 -> {
                return parseEntry(m, a, off + len, SetField.REG_LOAD2);
            }
            case NXAST_NOTE -> {
                return new Note(Arrays.copyOfRange(m, a, off + len));
            }
            case NXAST_EXIT -> {
                need(len, 16);
                return new Exit();
            }
            case NXAST_FIN_TIMEOUT -> {
                need(len, 16);
                return new OfAction.FinTimeout(u16(m, a), u16(m, a + 2));
            }
            case NXAST_DEC_TTL, NXAST_DEC_TTL_CNT_IDS -> {
                return new DecTtl();
            }
            case NXAST_CONTROLLER -> {
                need(len, 16);
                return new Controller(u16(m, a), u16(m, a + 2), u8(m, a + 4));
            }
            case NXAST_GROUP -> {
                need(len, 16);
                return new OfAction.Group(u32(m, a + 2));
            }
            case NXAST_LEARN -> {
                return parseLearn(m, off, len);
            }
            case NXAST_WRITE_METADATA -> {
                need(len, 32);
                return new WriteMetadata(u64(m, off + 16), u64(m, off + 24));
            }
            default -> throw bad(BAC_BAD_VENDOR_TYPE);
        }
    }

    /**
     * nx_action_learn: timeouts, priority, cookie, flags, table, FIN timeouts, then flow_mod_specs
     * (a 16-bit header: source is a field or an immediate, destination a match field, a load or
     * the output port, and the number of bits) until a zero header or the end.
     */
    private static OfAction.Learn parseLearn(byte[] m, int off, int len) throws OfpError {
        if (len < 32) {
            throw bad(BAC_BAD_LEN);
        }
        int idle = u16(m, off + 10);
        int hard = u16(m, off + 12);
        int priority = u16(m, off + 14);
        long cookie = u64(m, off + 16);
        int flags = u16(m, off + 24);
        int table = u8(m, off + 26);
        if (table >= OfTables.N_TABLES || (flags & ~7) != 0) {
            throw bad(BAC_BAD_ARGUMENT);
        }
        List<OfAction.LearnSpec> specs = new ArrayList<>();
        int p = off + 32;
        int end = off + len;
        while (p + 2 <= end) {
            int h = u16(m, p);
            if (h == 0) {
                break;
            }
            p += 2;
            boolean immediate = (h & 0x2000) != 0;
            int dstType = (h >>> 11) & 3;
            int nBits = h & 0x3ff;
            if (nBits == 0 || dstType == 3 || nBits > 128) {
                throw bad(BAC_BAD_ARGUMENT);
            }
            OfField src = null;
            int srcOfs = 0;
            long value = 0;
            long valueHi = 0;
            if (immediate) {
                int bytes = ((nBits + 15) / 16) * 2;
                if (p + bytes > end) {
                    throw bad(BAC_BAD_LEN);
                }
                value = OfMatch.read(m, p + Math.max(0, bytes - 8), Math.min(bytes, 8));
                valueHi = bytes > 8 ? OfMatch.read(m, p, bytes - 8) : 0;
                p += bytes;
            } else {
                if (p + 6 > end) {
                    throw bad(BAC_BAD_LEN);
                }
                src = OfField.byHeader(u32(m, p));
                srcOfs = u16(m, p + 4);
                p += 6;
                if (src == null || srcOfs + nBits > fieldBits(src)) {
                    throw bad(BAC_BAD_ARGUMENT);
                }
            }
            OfField dst = null;
            int dstOfs = 0;
            if (dstType != OfAction.LearnSpec.OUTPUT) {
                if (p + 6 > end) {
                    throw bad(BAC_BAD_LEN);
                }
                dst = OfField.byHeader(u32(m, p));
                dstOfs = u16(m, p + 4);
                p += 6;
                if (dst == null || dstOfs + nBits > fieldBits(dst)) {
                    throw bad(BAC_BAD_ARGUMENT);
                }
            }
            specs.add(new OfAction.LearnSpec(src, srcOfs, value, dstType, dst, dstOfs, nBits, valueHi));
        }
        return new OfAction.Learn(table, idle, hard, priority, cookie, flags, List.copyOf(specs),
                Arrays.copyOfRange(m, off, off + len), u16(m, off + 28), u16(m, off + 30));
    }

    /** Bits a move or load may address in {@code f} (the wire width). */
    private static int fieldBits(OfField f) {
        return switch (f) {
            case VLAN_VID -> 13;
            case IP_DSCP -> 6;
            case IP_ECN -> 2;
            case TCP_FLAGS -> 12;
            case IPV6_LABEL -> 20;
            default -> f.wide() ? 128 : f.wireBytes * 8;
        };
    }

    /** A REG_LOAD of {@code nBits} bits at {@code ofs} of {@code dst}. */
    public static SetField load(OfField dst, int ofs, int nBits, long value) {
        return load(dst, ofs, nBits, 0, value);
    }

    /** A REG_LOAD of {@code nBits} (up to 128) bits of {@code valueHi:value} at {@code ofs} of {@code dst}. */
    public static SetField load(OfField dst, int ofs, int nBits, long valueHi, long value) {
        if (dst.wide()) {
            long hiMask = 0;
            long loMask = 0;
            long hi = 0;
            long lo = 0;
            for (int i = 0; i < nBits; i++) {
                int bit = ofs + i;
                long v = ((i >= 64 ? valueHi >>> (i - 64) : value >>> i)) & 1;
                if (bit >= 64) {
                    hiMask |= 1L << (bit - 64);
                    hi |= v << (bit - 64);
                } else {
                    loMask |= 1L << bit;
                    lo |= v << bit;
                }
            }
            return new SetField(dst, hi, lo, hiMask, loMask, SetField.REG_LOAD);
        }
        long mask = (nBits == 64 ? -1L : ((1L << nBits) - 1)) << ofs;
        return new SetField(dst, 0, (value << ofs) & mask, 0, mask, SetField.REG_LOAD);
    }

    /** The {@code n} bits of the 128-bit {@code hi:lo} at {@code ofs}, right-aligned, as {hi, lo}. */
    public static long[] bits128(long hi, long lo, int ofs, int n) {
        long rhi;
        long rlo;
        if (ofs == 0) {
            rhi = hi;
            rlo = lo;
        } else if (ofs < 64) {
            rlo = (lo >>> ofs) | (hi << (64 - ofs));
            rhi = hi >>> ofs;
        } else {
            rlo = hi >>> (ofs - 64);
            rhi = 0;
        }
        long[] m = mask128(n);
        return new long[] {rhi & m[0], rlo & m[1]};
    }

    /** {@code hi:lo} shifted left by {@code ofs} within 128 bits, as {hi, lo}. */
    public static long[] shl128(long hi, long lo, int ofs) {
        if (ofs == 0) {
            return new long[] {hi, lo};
        }
        if (ofs < 64) {
            return new long[] {(hi << ofs) | (lo >>> (64 - ofs)), lo << ofs};
        }
        return new long[] {lo << (ofs - 64), 0};
    }

    /** The low {@code n} bits set (n up to 128), as {hi, lo}. */
    public static long[] mask128(int n) {
        if (n >= 128) {
            return new long[] {-1L, -1L};
        }
        if (n >= 64) {
            return new long[] {n == 64 ? 0 : (1L << (n - 64)) - 1, -1L};
        }
        return new long[] {0, (1L << n) - 1};
    }

    // ---- encoding ----

    /**
     * The rule's actions as Open vSwitch sends them in {@code version}: an OpenFlow 1.0 action list,
     * or 1.3 instructions (APPLY_ACTIONS, then WRITE_METADATA and GOTO_TABLE). {@code match} tells
     * which transport protocol a legacy port rewrite is for and whether the packet has a VLAN tag.
     */
    static byte[] encode(List<OfAction> actions, int version, OfMatch match) {
        return encode(actions, version, match, true);
    }

    /** A group bucket's actions: an OpenFlow 1.1+ action list, without instructions. */
    static byte[] encodeActions13(List<OfAction> actions) {
        return encode(actions, Ofp.V13, OfMatch.ANY, false);
    }

    /** A group bucket's actions as an action list of {@code version} (1.0 with Nicira's, 1.1+). */
    static byte[] encodeActions(List<OfAction> actions, int version) {
        return encode(actions, version, OfMatch.ANY, false);
    }

    private static byte[] encode(List<OfAction> actions, int version, OfMatch match, boolean instructions) {
        ByteBuffer b = ByteBuffer.allocate(64 + 48 * actions.size() + notes(actions));
        boolean of10 = version == Ofp.V10;
        boolean v15 = version >= Ofp.V15;
        boolean hasVlan = (match.k[0] & 0x1000) != 0 && (match.v[0] & 0x1000) != 0;
        int proto = ((match.k[4] >>> 56) & 0xff) == 0xff ? (int) (match.v[4] >>> 56) & 0xff : 0;
        int applyStart = -1;
        if (!of10 && !v15 && instructions) {
            // OpenFlow 1.3/1.4: the meter is an instruction of its own, before APPLY_ACTIONS.
            for (OfAction a : actions) {
                if (a instanceof OfAction.Meter mt) {
                    b.putShort((short) 6).putShort((short) 8).putInt(mt.meterId());
                }
            }
        }
        if (!of10 && instructions) {
            boolean anyAction = actions.stream().anyMatch(a -> !(a instanceof WriteMetadata) && !(a instanceof GotoTable)
                    && (v15 || !(a instanceof OfAction.Meter)));
            if (anyAction) {
                applyStart = b.position();
                b.putShort((short) 4).putShort((short) 0).putInt(0);
            }
        }
        WriteMetadata meta = null;
        GotoTable go = null;
        for (OfAction a : actions) {
            switch (a) {
                case Output o -> {
                    if (of10) {
                        b.putShort((short) 0).putShort((short) 8).putShort((short) o.port()).putShort((short) o.maxLen());
                    } else {
                        b.putShort((short) 0).putShort((short) 16).putInt(Ofp.port13(o.port())).putShort((short) o.maxLen());
                        OfpCodec.pad(b, 6);
                    }
                }
                case Controller c -> {
                    nxHeader(b, 16, NXAST_CONTROLLER);
                    b.putShort((short) c.maxLen()).putShort((short) c.controllerId()).put((byte) c.reason()).put((byte) 0);
                }
                case SetVlanVid s -> {
                    if (of10) {
                        b.putShort((short) 1).putShort((short) 8).putShort((short) s.vid()).putShort((short) 0);
                    } else {
                        if (s.push() && !hasVlan) {
                            pushVlan(b, 0x8100);
                        }
                        setField(b, OfField.VLAN_VID.oxm, 2, s.vid() | VID_PRESENT);
                    }
                    hasVlan = true;
                }
                case SetVlanPcp s -> {
                    if (of10) {
                        b.putShort((short) 2).putShort((short) 8).put((byte) s.pcp()).put(new byte[3]);
                    } else {
                        if (s.push() && !hasVlan) {
                            pushVlan(b, 0x8100);
                        }
                        setField(b, OfField.VLAN_PCP.oxm, 1, s.pcp());
                    }
                    hasVlan = true;
                }
                case PopVlan p -> {
                    b.putShort((short) (of10 ? 3 : 18)).putShort((short) 8).putInt(0);
                    hasVlan = false;
                }
                case PushVlan p -> {
                    if (!of10) {
                        pushVlan(b, p.ethertype());
                    }
                    hasVlan = true;
                }
                case SetField s -> {
                    if (v15) {
                        setField15(b, s, proto);
                    } else {
                        encodeSetField(b, s, of10, proto);
                    }
                }
                case SetNwTtl t -> {
                    if (of10) {
                        regLoad(b, OfField.IP_TTL.nxm, 0, 8, t.ttl());
                    } else {
                        b.putShort((short) 23).putShort((short) 8).put((byte) t.ttl()).put(new byte[3]);
                    }
                }
                case Move mv -> {
                    if (v15) {
                        b.putShort((short) 28).putShort((short) 24).putShort((short) mv.nBits())
                                .putShort((short) mv.srcOfs()).putShort((short) mv.dstOfs()).putShort((short) 0);
                        b.putInt(nxmHeader(mv.src())).putInt(nxmHeader(mv.dst())).putInt(0);
                        continue;
                    }
                    nxHeader(b, 24, NXAST_REG_MOVE);
                    b.putShort((short) mv.nBits()).putShort((short) mv.srcOfs()).putShort((short) mv.dstOfs());
                    b.putInt(nxmHeader(mv.src())).putInt(nxmHeader(mv.dst()));
                }
                case Resubmit r -> resubmit(b, r.inPort(), r.table(), r.withTable() || r.table() != 0xff);
                case OfAction.Learn l -> b.put(l.raw());
                case OfAction.Meter mt -> {
                    if (v15) {
                        b.putShort((short) 29).putShort((short) 8).putInt(mt.meterId());
                    }
                    // 1.0: no meters; 1.3/1.4: written above as an instruction.
                }
                case OfAction.Group g -> {
                    if (of10) {
                        nxHeader(b, 16, NXAST_GROUP);
                        b.putShort((short) 0).putInt(g.groupId());   // a 32-bit argument after 2 bytes of padding
                    } else {
                        b.putShort((short) 22).putShort((short) 8).putInt(g.groupId());
                    }
                }
                case DecTtl d -> {
                    if (of10) {
                        nxHeader(b, 16, NXAST_DEC_TTL);
                        OfpCodec.pad(b, 6);
                    } else {
                        b.putShort((short) 24).putShort((short) 8).putInt(0);
                    }
                }
                case Note n -> {
                    int len = (10 + n.data().length + 7) & ~7;
                    nxHeader(b, len, NXAST_NOTE);
                    b.put(n.data());
                    OfpCodec.pad(b, len - 10 - n.data().length);
                }
                case OfAction.Exit e -> {
                    nxHeader(b, 16, NXAST_EXIT);
                    OfpCodec.pad(b, 6);
                }
                case OfAction.FinTimeout f -> {
                    nxHeader(b, 16, NXAST_FIN_TIMEOUT);
                    b.putShort((short) f.idleTimeout()).putShort((short) f.hardTimeout());
                    OfpCodec.pad(b, 2);
                }
                case WriteMetadata w -> {
                    if (of10) {
                        nxHeader(b, 32, NXAST_WRITE_METADATA);
                        OfpCodec.pad(b, 6);
                        b.putLong(w.value()).putLong(w.mask());
                    } else {
                        meta = w;
                    }
                }
                case GotoTable g -> {
                    if (of10) {
                        resubmit(b, OfAction.IN_PORT, g.table(), true);
                    } else {
                        go = g;
                    }
                }
            }
        }
        if (applyStart >= 0) {
            b.putShort(applyStart + 2, (short) (b.position() - applyStart));
        }
        if (meta != null) {
            b.putShort((short) 2).putShort((short) 24).putInt(0).putLong(meta.value()).putLong(meta.mask());
        }
        if (go != null) {
            b.putShort((short) 1).putShort((short) 8).put((byte) go.table()).put(new byte[3]);
        }
        return Arrays.copyOf(b.array(), b.position());
    }

    private static int notes(List<OfAction> actions) {
        int n = 0;
        for (OfAction a : actions) {
            if (a instanceof Note note) {
                n += note.data().length + 16;
            } else if (a instanceof OfAction.Learn l) {
                n += l.raw().length;
            }
        }
        return n;
    }

    private static void nxHeader(ByteBuffer b, int len, int subtype) {
        b.putShort((short) 0xffff).putShort((short) len).putInt(Ofp.NX_VENDOR_ID).putShort((short) subtype);
    }

    private static void pushVlan(ByteBuffer b, int ethertype) {
        b.putShort((short) 17).putShort((short) 8).putShort((short) ethertype).putShort((short) 0);
    }

    private static void resubmit(ByteBuffer b, int inPort, int table, boolean withTable) {
        nxHeader(b, 16, withTable ? NXAST_RESUBMIT_TABLE : NXAST_RESUBMIT);
        b.putShort((short) inPort).put((byte) (withTable ? table : 0)).put(new byte[3]);
    }

    /** The NXM header Open vSwitch names a field by in load and move (NXM if it has one, else OXM). */
    private static int nxmHeader(OfField f) {
        int h = f.nxm != 0 ? f.nxm : f.oxm;
        if (h == 0) {
            h = f == OfField.VLAN_VID || f == OfField.VLAN_PCP ? f.oxm : OfField.VLAN_TCI.nxm;
        }
        return h;
    }

    private static void regLoad(ByteBuffer b, int header, int ofs, int nBits, long value) {
        nxHeader(b, 24, NXAST_REG_LOAD);
        b.putShort((short) ((ofs << 6) | (nBits - 1))).putInt(header).putLong(value);
    }

    /** An OFPAT_SET_FIELD of a whole field. */
    private static void setField(ByteBuffer b, int header, int bytes, long value) {
        int len = (4 + 4 + bytes + 7) & ~7;
        b.putShort((short) 25).putShort((short) len).putInt((header & ~0x1ff) | bytes);
        for (int i = bytes - 1; i >= 0; i--) {
            b.put((byte) (value >>> (8 * i)));
        }
        OfpCodec.pad(b, len - 8 - bytes);
    }

    private static void encodeSetField(ByteBuffer b, SetField s, boolean of10, int proto) {
        OfField f = s.field();
        if (f == OfField.TCP_SRC || f == OfField.TCP_DST) {
            if (s.raw() == SetField.LEGACY) {
                boolean src = f == OfField.TCP_SRC;
                if (of10) {
                    b.putShort((short) (src ? 9 : 10)).putShort((short) 8).putShort((short) s.value()).putShort((short) 0);
                    return;
                }
                f = proto == 17 ? (src ? OfField.UDP_SRC : OfField.UDP_DST)
                        : proto == 132 ? (src ? OfField.SCTP_SRC : OfField.SCTP_DST) : f;
            }
        }
        boolean nx = s.raw() == SetField.REG_LOAD || s.raw() == SetField.REG_LOAD2;
        if (nx) {
            toNx(b, s, f);
            return;
        }
        if (of10) {
            switch (f) {
                case VLAN_VID -> b.putShort((short) 1).putShort((short) 8).putShort((short) (s.value() & 0xfff)).putShort((short) 0);
                case VLAN_PCP -> b.putShort((short) 2).putShort((short) 8).put((byte) s.value()).put(new byte[3]);
                case VLAN_TCI -> {
                    if ((s.value() & 0x1000) != 0) {
                        b.putShort((short) 1).putShort((short) 8).putShort((short) (s.value() & 0xfff)).putShort((short) 0);
                        b.putShort((short) 2).putShort((short) 8).put((byte) (s.value() >>> 13)).put(new byte[3]);
                    } else {
                        b.putShort((short) 3).putShort((short) 8).putInt(0);
                    }
                }
                case ETH_SRC, ETH_DST -> {
                    b.putShort((short) (f == OfField.ETH_SRC ? 4 : 5)).putShort((short) 16);
                    OfpCodec.putMac(b, s.value());
                    OfpCodec.pad(b, 6);
                }
                case IPV4_SRC, IPV4_DST -> b.putShort((short) (f == OfField.IPV4_SRC ? 6 : 7)).putShort((short) 8).putInt((int) s.value());
                case IP_DSCP -> b.putShort((short) 8).putShort((short) 8).put((byte) (s.value() << 2)).put(new byte[3]);
                case IP_TOS -> b.putShort((short) 8).putShort((short) 8).put((byte) s.value()).put(new byte[3]);
                case TCP_SRC, UDP_SRC -> b.putShort((short) 9).putShort((short) 8).putShort((short) s.value()).putShort((short) 0);
                case TCP_DST, UDP_DST -> b.putShort((short) 10).putShort((short) 8).putShort((short) s.value()).putShort((short) 0);
                default -> toNx(b, s, f);
            }
            return;
        }
        if (!s.whole()) {
            toNx(b, s, f);
            return;
        }
        if (f == OfField.IP_TOS) {
            setField(b, OfField.IP_DSCP.oxm, 1, s.value() >>> 2);
            return;
        }
        if (f.wide()) {
            int header = (f.oxm != 0 ? f.oxm : f.nxm) & ~0x1ff;
            b.putShort((short) 25).putShort((short) 24).putInt(header | 16).putLong(s.hi()).putLong(s.value());
            return;
        }
        int header = f.oxm != 0 ? f.oxm : f.nxm;
        setField(b, header, f.wireBytes, s.value());
    }

    /** OpenFlow 1.5 has only set_field, with a mask where it sets part of a field (Open vSwitch's encode_SET_FIELD). */
    private static void setField15(ByteBuffer b, SetField s, int proto) {
        OfField f = s.field();
        if (s.raw() == SetField.LEGACY && (f == OfField.TCP_SRC || f == OfField.TCP_DST)) {
            boolean src = f == OfField.TCP_SRC;
            f = proto == 17 ? (src ? OfField.UDP_SRC : OfField.UDP_DST)
                    : proto == 132 ? (src ? OfField.SCTP_SRC : OfField.SCTP_DST) : f;
        }
        if (f == OfField.IP_TOS) {
            setField(b, OfField.IP_DSCP.oxm, 1, s.value() >>> 2);
            return;
        }
        int header = (f.oxm != 0 ? f.oxm : f.nxm) & ~0x1ff;
        int bytes = f.wireBytes;
        boolean masked = !s.whole();
        int start = b.position();
        b.putShort((short) 25).putShort((short) 0);
        b.putInt(header | (masked ? 0x100 | 2 * bytes : bytes));
        putBytes(b, bytes, s.hi(), s.value());
        if (masked) {
            putBytes(b, bytes, s.hiMask(), s.mask());
        }
        int len = ((b.position() - start) + 7) & ~7;
        OfpCodec.pad(b, len - (b.position() - start));
        b.putShort(start + 2, (short) len);
    }

    /**
     * A set as Nicira loads: REG_LOAD2 if it came in that way, else one REG_LOAD per run of
     * contiguous mask bits (at most 64 bits each), as Open vSwitch's set_field_to_nxast.
     */
    private static void toNx(ByteBuffer b, SetField s, OfField f) {
        if (s.raw() == SetField.REG_LOAD2) {
            int start = b.position();
            int header = (f.nxm != 0 ? f.nxm : f.oxm) & ~0x1ff;
            int bytes = f.wireBytes;
            boolean masked = !s.whole();
            nxHeader(b, 0, NXAST_REG_LOAD2);
            b.putInt(header | (masked ? 0x100 | 2 * bytes : bytes));
            putBytes(b, bytes, s.hi(), s.value());
            if (masked) {
                putBytes(b, bytes, s.hiMask(), s.mask());
            }
            int len = ((b.position() - start) + 7) & ~7;
            OfpCodec.pad(b, len - (b.position() - start));
            b.putShort(start + 2, (short) len);
            return;
        }
        int header = nxmHeader(f);
        int width = fieldBits(f);
        int bit = 0;
        while (bit < width) {
            if (!maskBit(s, bit)) {
                bit++;
                continue;
            }
            int startBit = bit;
            while (bit < width && bit - startBit < 64 && maskBit(s, bit)) {
                bit++;
            }
            int n = bit - startBit;
            long value = 0;
            for (int i = 0; i < n; i++) {
                if (valueBit(s, startBit + i)) {
                    value |= 1L << i;
                }
            }
            regLoad(b, header, startBit, n, value);
        }
    }

    private static boolean maskBit(SetField s, int bit) {
        return bit >= 64 ? ((s.hiMask() >>> (bit - 64)) & 1) != 0 : ((s.mask() >>> bit) & 1) != 0;
    }

    private static boolean valueBit(SetField s, int bit) {
        return bit >= 64 ? ((s.hi() >>> (bit - 64)) & 1) != 0 : ((s.value() >>> bit) & 1) != 0;
    }

    private static void putBytes(ByteBuffer b, int bytes, long hi, long lo) {
        if (bytes == 16) {
            b.putLong(hi).putLong(lo);
            return;
        }
        for (int i = bytes - 1; i >= 0; i--) {
            b.put((byte) (lo >>> (8 * i)));
        }
    }

    /** True if an output action sends to {@code port} (OpenFlow 1.0 number); NONE selects all. */
    static boolean outputsTo(List<OfAction> actions, int port) {
        if (port == OfAction.NONE) {
            return true;
        }
        for (OfAction a : actions) {
            if (a instanceof Output o && o.port() == port) {
                return true;
            }
            if (a instanceof Controller && port == OfAction.CONTROLLER) {
                return true;
            }
        }
        return false;
    }
}
