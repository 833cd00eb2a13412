package org.jvswitch.ofproto.ofp;

import static org.jvswitch.ofproto.ofp.OfpCodec.u16;
import static org.jvswitch.ofproto.ofp.OfpCodec.u32;

import java.nio.ByteBuffer;
import java.util.Arrays;

import org.jvswitch.api.flow.FlowKey;
import org.jvswitch.ofproto.ofp.OfpSession.OfpError;

/**
 * A rule's match: values and mask over the pipeline key ({@link OfField#WORDS} words: the datapath
 * key, metadata and registers), values already masked; in_port holds the OpenFlow port number
 * (16-bit space). Immutable once built. Read from and written as OpenFlow 1.0 {@code ofp_match},
 * NXM and OXM.
 */
public final class OfMatch {
    public static final OfMatch ANY = new OfMatch(new long[OfField.WORDS], new long[OfField.WORDS]);

    static final int ET_BAD_MATCH = 4;
    static final int BMC_BAD_TYPE = 0;
    static final int BMC_BAD_LEN = 1;
    static final int BMC_BAD_FIELD = 6;
    static final int BMC_BAD_VALUE = 7;
    static final int BMC_BAD_PREREQ = 9;
    static final int BMC_DUP_FIELD = 10;

    /** NXM_NX_COOKIE's class and field. */
    private static final int NXM_NX_COOKIE = 0x00013c00;

    final long[] v;
    final long[] k;

    OfMatch(long[] v, long[] k) {
        this.v = v;
        this.k = k;
    }

    /** The match of an OpenFlow 1.0 or datapath-level value and mask (no metadata or registers). */
    public static OfMatch of(FlowKey value, FlowKey mask) {
        long[] v = new long[OfField.WORDS];
        long[] k = new long[OfField.WORDS];
        System.arraycopy(value.w, 0, v, 0, FlowKey.WORDS);
        System.arraycopy(mask.w, 0, k, 0, FlowKey.WORDS);
        for (int i = 0; i < FlowKey.WORDS; i++) {
            v[i] &= k[i];
        }
        return new OfMatch(v, k);
    }

    /** A match of pipeline key words (values already masked); the arrays are taken, not copied. */
    public static OfMatch of(long[] v, long[] k) {
        return new OfMatch(v, k);
    }

    /** The datapath part of the values (in_port = OpenFlow port). */
    public FlowKey value() {
        FlowKey f = new FlowKey();
        System.arraycopy(v, 0, f.w, 0, FlowKey.WORDS);
        return f;
    }

    /** The datapath part of the mask. */
    public FlowKey mask() {
        FlowKey f = new FlowKey();
        System.arraycopy(k, 0, f.w, 0, FlowKey.WORDS);
        return f;
    }

    /** The values, pipeline key words (read-only: shared, not copied). */
    public long[] valueWords() {
        return v;
    }

    /** The mask, pipeline key words (read-only: shared, not copied). */
    public long[] maskWords() {
        return k;
    }

    public int inPort() {
        return (int) (v[0] >>> 32) & 0xffff;
    }

    public boolean matchesInPort() {
        return (k[0] >>> 32) != 0;
    }

    /** True if {@code key} (pipeline key) meets every field of this match. */
    public boolean matches(long[] key) {
        for (int i = 0; i < OfField.WORDS; i++) {
            if ((key[i] & k[i]) != v[i]) {
                return false;
            }
        }
        return true;
    }

    /** True if this match is at least as specific as {@code filter} and agrees with it (non-strict selection). */
    public boolean coveredBy(OfMatch filter) {
        for (int i = 0; i < OfField.WORDS; i++) {
            long fm = filter.k[i];
            if ((k[i] & fm) != fm || (v[i] & fm) != filter.v[i]) {
                return false;
            }
        }
        return true;
    }

    /** True if some packet could meet both matches (they agree wherever both fix a bit). */
    static boolean overlap(OfMatch a, OfMatch b) {
        for (int i = 0; i < OfField.WORDS; i++) {
            if (((a.v[i] ^ b.v[i]) & a.k[i] & b.k[i]) != 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OfMatch m && Arrays.equals(v, m.v) && Arrays.equals(k, m.k);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(v) * 31 + Arrays.hashCode(k);
    }

    // ---- NXM / OXM ----

    /**
     * Reads NXM or OXM entries {@code m[off..off+len)}. {@code oxm}: in_port is the 32-bit
     * OpenFlow 1.1+ number. Malformed: BAD_MATCH/BAD_LEN (1.0: BAD_REQUEST/BAD_LEN); unknown field
     * BAD_FIELD; a field twice DUP_FIELD; a field without its prerequisite BAD_PREREQ. A
     * NXM_NX_COOKIE entry (how ovs-ofctl selects flows by cookie in OpenFlow 1.0) goes into
     * {@code cookie} (value, mask) when it is given.
     */
    static OfMatch parse(byte[] m, int off, int len, boolean oxm, long[] cookie) throws OfpError {
        long[] v = new long[OfField.WORDS];
        long[] k = new long[OfField.WORDS];
        java.util.EnumSet<OfField> seen = java.util.EnumSet.noneOf(OfField.class);
        int end = off + len;
        while (off < end) {
            if (end - off < 4) {
                throw badLen(oxm);
            }
            int h = u32(m, off);
            int n = h & 0xff;
            boolean hasMask = (h & 0x100) != 0;
            int p = off + 4;
            boolean experimenter = (h >>> 16) == 0xffff;
            if (experimenter) {
                if (n < 4 || p + 4 > end || u32(m, p) != OfField.ONF_EXPERIMENTER) {
                    throw new OfpError(ET_BAD_MATCH, BMC_BAD_FIELD);
                }
                p += 4;
                n -= 4;
            }
            if (n == 0 || p + n > end || (hasMask && (n & 1) != 0)) {
                throw badLen(oxm);
            }
            OfField f = OfField.byHeader(h);
            int half = hasMask ? n / 2 : n;
            if (cookie != null && (h & ~0x1ff) == NXM_NX_COOKIE && half == 8) {
                cookie[0] = read(m, p, 8);
                cookie[1] = hasMask ? read(m, p + 8, 8) : -1L;
                cookie[0] &= cookie[1];
                off = p + n;
                continue;
            }
            if (f == null) {
                throw new OfpError(ET_BAD_MATCH, BMC_BAD_FIELD);
            }
            if (half != f.width(h)) {
                throw badLen(oxm);
            }
            if (!seen.add(f) && f != OfField.VLAN_VID) {
                throw new OfpError(ET_BAD_MATCH, BMC_DUP_FIELD);
            }
            readField(f, m, p, half, hasMask, v, k, oxm);
            off = p + n;
        }
        for (OfField f : seen) {
            if (!f.prereqOk(v, k)) {
                throw new OfpError(ET_BAD_MATCH, BMC_BAD_PREREQ);
            }
        }
        for (int i = 0; i < OfField.WORDS; i++) {
            v[i] &= k[i];
        }
        return new OfMatch(v, k);
    }

    private static OfpError badLen(boolean oxm) {
        return oxm ? new OfpError(ET_BAD_MATCH, BMC_BAD_LEN) : new OfpError(Ofp.ET_BAD_REQUEST, Ofp.BRC_BAD_LEN);
    }

    private static void readField(OfField f, byte[] m, int p, int half, boolean hasMask, long[] v, long[] k, boolean oxm)
            throws OfpError {
        if (f.wide()) {
            long hi = read(m, p, 8);
            long lo = read(m, p + 8, 8);
            long mh = hasMask ? read(m, p + 16, 8) : -1L;
            long ml = hasMask ? read(m, p + 24, 8) : -1L;
            f.setMasked(v, hi, lo, mh, ml);
            f.orMask(k, mh, ml);
            return;
        }
        long val = read(m, p, half);
        long msk = hasMask ? read(m, p + half, half) : (half == 8 ? -1L : (1L << (8 * half)) - 1);
        switch (f) {
            case IN_PORT -> {
                int port = half == 4 ? Ofp.port10((int) val) : (int) val;
                if (port < 0) {
                    throw new OfpError(ET_BAD_MATCH, BMC_BAD_VALUE);
                }
                val = port;
                msk = 0xffff;
            }
            case VLAN_VID -> {
                // OXM: 0 unmasked means "no tag"; the present bit is the TCI's CFI bit.
                if (!hasMask) {
                    msk = 0x1fff;
                }
            }
            case IP_TOS -> msk &= 0xfc;
            case ARP_OP -> {
                if (val > 0xff) {
                    throw new OfpError(ET_BAD_MATCH, BMC_BAD_VALUE);
                }
            }
            default -> {
                if (f.bits < 64 && ((val & msk) >>> f.bits) != 0) {
                    throw new OfpError(ET_BAD_MATCH, BMC_BAD_VALUE);
                }
            }
        }
        f.setMasked(v, 0, val, 0, msk);
        f.orMask(k, 0, msk);
    }

    static long read(byte[] m, int off, int n) {
        long r = 0;
        for (int i = 0; i < n; i++) {
            r = (r << 8) | (m[off + i] & 0xff);
        }
        return r;
    }

    /** Fields in the order they are written: every prerequisite before what needs it. */
    private static final OfField[] ORDER = {
        OfField.IN_PORT, OfField.METADATA,
        OfField.REG0, OfField.REG1, OfField.REG2, OfField.REG3, OfField.REG4, OfField.REG5, OfField.REG6, OfField.REG7,
        OfField.REG8, OfField.REG9, OfField.REG10, OfField.REG11, OfField.REG12, OfField.REG13, OfField.REG14, OfField.REG15,
        OfField.PKT_MARK, OfField.ETH_SRC, OfField.ETH_DST, OfField.ETH_TYPE, OfField.VLAN_TCI,
        OfField.IP_PROTO, OfField.IP_TOS, OfField.IP_ECN, OfField.IP_TTL, OfField.IP_FRAG,
        OfField.IPV4_SRC, OfField.IPV4_DST, OfField.IPV6_SRC, OfField.IPV6_DST, OfField.IPV6_LABEL,
        OfField.ARP_OP, OfField.ARP_SPA, OfField.ARP_TPA, OfField.ARP_SHA, OfField.ARP_THA,
        OfField.TCP_SRC, OfField.TCP_DST, OfField.TCP_FLAGS, OfField.UDP_SRC, OfField.UDP_DST,
        OfField.SCTP_SRC, OfField.SCTP_DST, OfField.ICMP_TYPE, OfField.ICMP_CODE,
        OfField.ICMPV6_TYPE, OfField.ICMPV6_CODE, OfField.ND_TARGET, OfField.ND_SLL, OfField.ND_TLL,
    };

    /**
     * The match as NXM ({@code oxm} false, OpenFlow 1.0) or OXM entries, unpadded. Fields shared
     * by several protocols (tp_src for TCP, UDP, SCTP and ICMP) are written under the one the
     * match's prerequisites name.
     */
    byte[] encode(boolean oxm) {
        ByteBuffer b = ByteBuffer.allocate(512);
        for (OfField f : ORDER) {
            if (!f.present(k) || !f.prereqOk(v, k)) {
                continue;
            }
            if (f == OfField.VLAN_TCI && oxm) {
                putOxmVlan(b);
                continue;
            }
            if (f == OfField.IP_TOS) {
                if ((k[4] & (0xfcL << 48)) == 0) {
                    continue;
                }
                if (oxm) {
                    put(b, OfField.IP_DSCP.oxm, 1, 0, (v[4] >>> 50) & 0x3f, 0, 0x3f, 0x3f);
                } else {
                    put(b, f.nxm, 1, 0, (v[4] >>> 48) & 0xfc, 0, 0xfc, 0xfc);
                }
                continue;
            }
            if (f == OfField.IP_ECN && (k[4] & (0x3L << 48)) == 0) {
                continue;
            }
            if ((f == OfField.TCP_FLAGS) && oxm) {
                long val = f.get(v);
                long msk = f.get(k);
                int h = msk == 0xfff ? OfField.ONF_TCP_FLAGS : (OfField.ONF_TCP_FLAGS | 0x100) + 2;   // 5406 / 5508
                b.putInt(h).putInt(OfField.ONF_EXPERIMENTER).putShort((short) val);
                if (msk != 0xfff) {
                    b.putShort((short) msk);
                }
                continue;
            }
            int header = oxm ? (f.oxm != 0 ? f.oxm : f.nxm) : (f.nxm != 0 ? f.nxm : f.oxm);
            if (header == 0) {
                continue;
            }
            if (f == OfField.IN_PORT) {
                int port = inPort();
                if (oxm) {
                    b.putInt(f.oxm).putInt(Ofp.port13(port));
                } else {
                    b.putInt(f.nxm).putShort((short) port);
                }
                continue;
            }
            if (f.wide()) {
                put(b, header, f.wireBytes, f.getHi(v), f.get(v), f.getHi(k), f.get(k), -1L);
                continue;
            }
            long full = f == OfField.TCP_FLAGS ? 0xfff : f.ones();
            int bytes = f.wireBytes;
            put(b, header, bytes, 0, f.get(v), 0, f.get(k), full);
        }
        return Arrays.copyOf(b.array(), b.position());
    }

    /** OXM VLAN_VID / VLAN_PCP from the TCI value and mask, as Open vSwitch writes them. */
    private void putOxmVlan(ByteBuffer b) {
        int tci = (int) v[0] & 0xffff;
        int tm = (int) k[0] & 0xffff;
        if ((tm & 0x1fff) == 0x1fff || (tm & 0x1fff) == 0x1000) {
            if ((tm & 0x1fff) == 0x1fff) {
                b.putInt(OfField.VLAN_VID.oxm).putShort((short) (tci & 0x1fff));
            } else {
                b.putInt((OfField.VLAN_VID.oxm & ~0xff) | 0x100 | 4).putShort((short) (tci & 0x1000)).putShort((short) 0x1000);
            }
        } else if ((tm & 0x1fff) != 0) {
            b.putInt((OfField.VLAN_VID.oxm & ~0xff) | 0x100 | 4).putShort((short) (tci & 0x1fff)).putShort((short) (tm & 0x1fff));
        } else if ((tm & 0xe000) != 0) {
            b.putInt((OfField.VLAN_VID.oxm & ~0xff) | 0x100 | 4).putShort((short) 0x1000).putShort((short) 0x1000);
        }
        if ((tm & 0xe000) != 0 && (tci & 0x1000) != 0) {
            b.putInt(OfField.VLAN_PCP.oxm).put((byte) (tci >>> 13));
        }
    }

    /** One entry, exact if the mask is all ones ({@code full}), masked otherwise. */
    private static void put(ByteBuffer b, int header, int bytes, long hi, long val, long hiMask, long msk, long full) {
        boolean exact = bytes == 16 ? hiMask == -1L && msk == -1L : msk == full;
        int base = header & ~0x1ff;
        if (exact) {
            b.putInt(base | bytes);
            putN(b, bytes, hi, val);
        } else {
            b.putInt(base | 0x100 | (2 * bytes));
            putN(b, bytes, hi, val);
            putN(b, bytes, hiMask, msk);
        }
    }

    private static void putN(ByteBuffer b, int bytes, long hi, long lo) {
        if (bytes == 16) {
            b.putLong(hi).putLong(lo);
            return;
        }
        for (int i = bytes - 1; i >= 0; i--) {
            b.put((byte) (lo >>> (8 * i)));
        }
    }

    /** Reads an OpenFlow 1.1+ {@code ofp_match} of type OXM at {@code off}; returns it and sets {@code len[0]} to its padded length. */
    static OfMatch parseOxmMatch(byte[] m, int off, int[] paddedLen) throws OfpError {
        if (m.length < off + 4) {
            throw new OfpError(Ofp.ET_BAD_REQUEST, Ofp.BRC_BAD_LEN);
        }
        int type = u16(m, off);
        int len = u16(m, off + 2);
        if (type != 1) {
            throw new OfpError(ET_BAD_MATCH, BMC_BAD_TYPE);
        }
        int padded = (len + 7) & ~7;
        if (len < 4 || off + padded > m.length) {
            throw new OfpError(ET_BAD_MATCH, BMC_BAD_LEN);
        }
        paddedLen[0] = padded;
        return parse(m, off + 4, len - 4, true, null);
    }

    /** Appends the OXM {@code ofp_match} (type, length, fields, padding). */
    void putOxmMatch(ByteBuffer b) {
        byte[] f = encode(true);
        int len = 4 + f.length;
        b.putShort((short) 1).putShort((short) len).put(f);
        OfpCodec.pad(b, ((len + 7) & ~7) - len);
    }

    int oxmMatchLength() {
        return (4 + encode(true).length + 7) & ~7;
    }
}
