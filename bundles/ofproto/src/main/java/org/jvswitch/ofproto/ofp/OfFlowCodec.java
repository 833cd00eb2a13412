package org.jvswitch.ofproto.ofp;

import static org.jvswitch.ofproto.ofp.OfpCodec.u16;
import static org.jvswitch.ofproto.ofp.OfpCodec.u32;
import static org.jvswitch.ofproto.ofp.OfpCodec.u8;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import org.jvswitch.api.flow.FlowKey;
import org.jvswitch.ofproto.ofp.OfpSession.OfpError;

/**
 * OpenFlow 1.0 matches ({@code ofp_match}) and actions, and Nicira NXM matches, to and from a
 * {@link FlowKey} value and mask (in_port holding the OpenFlow port number).
 */
final class OfFlowCodec {
    private OfFlowCodec() {
    }

    static final int FW_IN_PORT = 1;
    static final int FW_DL_VLAN = 1 << 1;
    static final int FW_DL_SRC = 1 << 2;
    static final int FW_DL_DST = 1 << 3;
    static final int FW_DL_TYPE = 1 << 4;
    static final int FW_NW_PROTO = 1 << 5;
    static final int FW_TP_SRC = 1 << 6;
    static final int FW_TP_DST = 1 << 7;
    static final int FW_NW_SRC_SHIFT = 8;
    static final int FW_NW_DST_SHIFT = 14;
    static final int FW_DL_VLAN_PCP = 1 << 20;
    static final int FW_NW_TOS = 1 << 21;
    static final int MATCH10_LEN = 40;

    static final int ET_BAD_ACTION = 2;
    static final int BAC_BAD_TYPE = 0;
    static final int BAC_BAD_LEN = 1;
    static final int BAC_BAD_VENDOR = 2;
    static final int BAC_BAD_VENDOR_TYPE = 3;
    static final int BAC_BAD_OUT_PORT = 4;
    static final int BAC_BAD_ARGUMENT = 5;

    private static final long W4_PROTO = 0xffL << 56;
    private static final long W4_TOS = 0xffL << 48;
    private static final long W4_TP_SRC = 0xffffL << 16;
    private static final long W4_TP_DST = 0xffffL;

    // ---- ofp_match (1.0) ----

    /**
     * Reads the 40-byte ofp_match at {@code off} into {@code v}/{@code k} (both cleared first).
     * Network and transport fields are kept only under the prerequisites that make them meaningful
     * (dl_type IPv4 or ARP, nw_proto TCP/UDP/ICMP), as Open vSwitch normalizes OpenFlow 1.0 matches.
     */
    static void parseMatch10(byte[] m, int off, FlowKey v, FlowKey k) {
        v.clear();
        k.clear();
        int wc = u32(m, off);
        if ((wc & FW_IN_PORT) == 0) {
            v.setInPort(u16(m, off + 4));
            k.setInPort(-1);
        }
        if ((wc & FW_DL_SRC) == 0) {
            v.setDlSrc(mac(m, off + 6));
            k.setDlSrc(-1L);
        }
        if ((wc & FW_DL_DST) == 0) {
            v.setDlDst(mac(m, off + 12));
            k.setDlDst(-1L);
        }
        int tci = 0;
        int tciMask = 0;
        boolean vlanNone = false;
        if ((wc & FW_DL_VLAN) == 0) {
            int vid = u16(m, off + 18);
            if (vid == 0xffff) {
                vlanNone = true;
                tciMask = 0xffff;
            } else {
                tci |= (vid & 0xfff) | FlowKey.VLAN_CFI;
                tciMask |= 0x1fff;
            }
        }
        if ((wc & FW_DL_VLAN_PCP) == 0 && !vlanNone) {
            tci |= ((u8(m, off + 20) & 7) << 13) | FlowKey.VLAN_CFI;
            tciMask |= 0xe000 | FlowKey.VLAN_CFI;
        }
        v.setVlanTci(tci);
        k.setVlanTci(tciMask);
        boolean ip = false;
        boolean arp = false;
        if ((wc & FW_DL_TYPE) == 0) {
            int type = u16(m, off + 22);
            v.setDlType(type);
            k.setDlType(0xffff);
            ip = type == FlowKey.ETH_TYPE_IP;
            arp = type == FlowKey.ETH_TYPE_ARP;
        }
        int proto = -1;
        if ((ip || arp) && (wc & FW_NW_PROTO) == 0) {
            proto = u8(m, off + 25);
            v.w[4] |= (long) proto << 56;
            k.w[4] |= W4_PROTO;
        }
        if (ip && (wc & FW_NW_TOS) == 0) {
            v.w[4] |= (long) (u8(m, off + 24) & 0xfc) << 48;
            k.w[4] |= 0xfcL << 48;
        }
        if (ip || arp) {
            int srcMask = prefixMask((wc >>> FW_NW_SRC_SHIFT) & 0x3f);
            int dstMask = prefixMask((wc >>> FW_NW_DST_SHIFT) & 0x3f);
            int src = u32(m, off + 28) & srcMask;
            int dst = u32(m, off + 32) & dstMask;
            v.w[3] = ((long) src << 32) | (dst & 0xffffffffL);
            k.w[3] = ((long) srcMask << 32) | (dstMask & 0xffffffffL);
        }
        if (ip && (proto == 6 || proto == 17 || proto == 1 || proto == 132)) {
            if ((wc & FW_TP_SRC) == 0) {
                v.w[4] |= (long) u16(m, off + 36) << 16;
                k.w[4] |= W4_TP_SRC;
            }
            if ((wc & FW_TP_DST) == 0) {
                v.w[4] |= u16(m, off + 38);
                k.w[4] |= W4_TP_DST;
            }
        }
    }

    /** The mask of an OpenFlow 1.0 nw_src/nw_dst wildcard count (32 or more: nothing). */
    static int prefixMask(int wildBits) {
        return wildBits >= 32 ? 0 : -1 << wildBits;
    }

    private static long mac(byte[] m, int off) {
        return ((long) u16(m, off) << 32) | (u32(m, off + 2) & 0xffffffffL);
    }

    /** Writes {@code v}/{@code k} as a 40-byte ofp_match. */
    static void putMatch10(ByteBuffer b, FlowKey v, FlowKey k) {
        int wc = Ofp.OFPFW10_ALL;
        if (k.inPort() != 0) {
            wc &= ~FW_IN_PORT;
        }
        if (k.dlSrc() != 0) {
            wc &= ~FW_DL_SRC;
        }
        if (k.dlDst() != 0) {
            wc &= ~FW_DL_DST;
        }
        int tciMask = k.vlanTci();
        int dlVlan = 0;
        int pcp = 0;
        if (tciMask == 0xffff && v.vlanTci() == 0) {
            wc &= ~FW_DL_VLAN;
            dlVlan = 0xffff;
        } else {
            if ((tciMask & 0xfff) != 0) {
                wc &= ~FW_DL_VLAN;
                dlVlan = v.vlanVid();
            }
            if ((tciMask & 0xe000) != 0) {
                wc &= ~FW_DL_VLAN_PCP;
                pcp = v.vlanTci() >>> 13;
            }
        }
        if (k.dlType() != 0) {
            wc &= ~FW_DL_TYPE;
        }
        if ((k.w[4] & W4_TOS) != 0) {
            wc &= ~FW_NW_TOS;
        }
        if ((k.w[4] & W4_PROTO) != 0) {
            wc &= ~FW_NW_PROTO;
        }
        wc = (wc & ~(0x3f << FW_NW_SRC_SHIFT)) | (wildBits(k.nwSrc()) << FW_NW_SRC_SHIFT);
        wc = (wc & ~(0x3f << FW_NW_DST_SHIFT)) | (wildBits(k.nwDst()) << FW_NW_DST_SHIFT);
        if (k.tpSrc() != 0) {
            wc &= ~FW_TP_SRC;
        }
        if (k.tpDst() != 0) {
            wc &= ~FW_TP_DST;
        }
        b.putInt(wc);
        b.putShort((short) v.inPort());
        OfpCodec.putMac(b, v.dlSrc());
        OfpCodec.putMac(b, v.dlDst());
        b.putShort((short) dlVlan).put((byte) pcp).put((byte) 0);
        b.putShort((short) v.dlType());
        b.put((byte) v.nwTos()).put((byte) v.nwProto()).putShort((short) 0);
        b.putInt(v.nwSrc()).putInt(v.nwDst());
        b.putShort((short) v.tpSrc()).putShort((short) v.tpDst());
    }

    private static int wildBits(int mask) {
        return 32 - Integer.bitCount(mask);
    }

    // ---- NXM ----

    static final int NXM_IN_PORT = 0x00000002;
    static final int NXM_ETH_DST = 0x00000206;
    static final int NXM_ETH_DST_W = 0x0000030c;
    static final int NXM_ETH_SRC = 0x00000406;
    static final int NXM_ETH_SRC_W = 0x0000050c;
    static final int NXM_ETH_TYPE = 0x00000602;
    static final int NXM_VLAN_TCI = 0x00000802;
    static final int NXM_VLAN_TCI_W = 0x00000904;
    static final int NXM_IP_TOS = 0x00000a01;
    static final int NXM_IP_PROTO = 0x00000c01;
    static final int NXM_IP_SRC = 0x00000e04;
    static final int NXM_IP_SRC_W = 0x00000f08;
    static final int NXM_IP_DST = 0x00001004;
    static final int NXM_IP_DST_W = 0x00001108;
    static final int NXM_TCP_SRC = 0x00001202;
    static final int NXM_TCP_DST = 0x00001402;
    static final int NXM_UDP_SRC = 0x00001602;
    static final int NXM_UDP_DST = 0x00001802;
    static final int NXM_ICMP_TYPE = 0x00001a01;
    static final int NXM_ICMP_CODE = 0x00001c01;
    static final int NXM_ARP_OP = 0x00001e02;
    static final int NXM_ARP_SPA = 0x00002004;
    static final int NXM_ARP_SPA_W = 0x00002108;
    static final int NXM_ARP_TPA = 0x00002204;
    static final int NXM_ARP_TPA_W = 0x00002308;

    /** The match as NXM entries, in Open vSwitch's order (prerequisites first), unpadded. */
    static byte[] nxm(FlowKey v, FlowKey k) {
        ByteBuffer b = ByteBuffer.allocate(256);
        if (k.inPort() != 0) {
            b.putInt(NXM_IN_PORT).putShort((short) v.inPort());
        }
        putMac(b, NXM_ETH_SRC, NXM_ETH_SRC_W, v.dlSrc(), k.dlSrc());
        putMac(b, NXM_ETH_DST, NXM_ETH_DST_W, v.dlDst(), k.dlDst());
        if (k.dlType() != 0) {
            b.putInt(NXM_ETH_TYPE).putShort((short) v.dlType());
        }
        int tciMask = k.vlanTci();
        if (tciMask == 0xffff) {
            b.putInt(NXM_VLAN_TCI).putShort((short) v.vlanTci());
        } else if (tciMask != 0) {
            b.putInt(NXM_VLAN_TCI_W).putShort((short) v.vlanTci()).putShort((short) tciMask);
        }
        boolean ip = k.dlType() == 0xffff && v.dlType() == FlowKey.ETH_TYPE_IP;
        boolean arp = k.dlType() == 0xffff && v.dlType() == FlowKey.ETH_TYPE_ARP;
        boolean proto = (k.w[4] & W4_PROTO) != 0;
        if (ip) {
            if ((k.w[4] & W4_TOS) != 0) {
                b.putInt(NXM_IP_TOS).put((byte) (v.nwTos() & 0xfc));
            }
            if (proto) {
                b.putInt(NXM_IP_PROTO).put((byte) v.nwProto());
            }
            putIp(b, NXM_IP_SRC, NXM_IP_SRC_W, v.nwSrc(), k.nwSrc());
            putIp(b, NXM_IP_DST, NXM_IP_DST_W, v.nwDst(), k.nwDst());
            if (proto) {
                int p = v.nwProto();
                if (p == 6 || p == 17) {
                    if (k.tpSrc() != 0) {
                        b.putInt(p == 6 ? NXM_TCP_SRC : NXM_UDP_SRC).putShort((short) v.tpSrc());
                    }
                    if (k.tpDst() != 0) {
                        b.putInt(p == 6 ? NXM_TCP_DST : NXM_UDP_DST).putShort((short) v.tpDst());
                    }
                } else if (p == 1) {
                    if (k.tpSrc() != 0) {
                        b.putInt(NXM_ICMP_TYPE).put((byte) v.tpSrc());
                    }
                    if (k.tpDst() != 0) {
                        b.putInt(NXM_ICMP_CODE).put((byte) v.tpDst());
                    }
                }
            }
        } else if (arp) {
            if (proto) {
                b.putInt(NXM_ARP_OP).putShort((short) v.nwProto());
            }
            putIp(b, NXM_ARP_SPA, NXM_ARP_SPA_W, v.nwSrc(), k.nwSrc());
            putIp(b, NXM_ARP_TPA, NXM_ARP_TPA_W, v.nwDst(), k.nwDst());
        }
        return java.util.Arrays.copyOf(b.array(), b.position());
    }

    private static void putMac(ByteBuffer b, int exact, int masked, long v, long k) {
        if (k == 0xffffffffffffL) {
            b.putInt(exact);
            OfpCodec.putMac(b, v);
        } else if (k != 0) {
            b.putInt(masked);
            OfpCodec.putMac(b, v);
            OfpCodec.putMac(b, k);
        }
    }

    private static void putIp(ByteBuffer b, int exact, int masked, int v, int k) {
        if (k == -1) {
            b.putInt(exact).putInt(v);
        } else if (k != 0) {
            b.putInt(masked).putInt(v).putInt(k);
        }
    }

    /**
     * Reads {@code len} bytes of NXM entries at {@code off} (the fields {@link #nxm} writes) into
     * {@code v}/{@code k}. A malformed entry gets BAD_REQUEST/BAD_LEN, a field this switch does not
     * match on BAD_REQUEST/EPERM.
     */
    static void parseNxm(byte[] m, int off, int len, FlowKey v, FlowKey k) throws OfpError {
        v.clear();
        k.clear();
        readTlvs(m, off, len, (h, val, msk, hasMask) -> {
            switch (h & ~0x100 & ~0xff) {
                case NXM_IN_PORT & ~0xff -> { v.setInPort((int) val); k.setInPort(-1); }
                case NXM_ETH_DST & ~0xff -> { v.setDlDst(val); k.setDlDst(msk); }
                case NXM_ETH_SRC & ~0xff -> { v.setDlSrc(val); k.setDlSrc(msk); }
                case NXM_ETH_TYPE & ~0xff -> { v.setDlType((int) val); k.setDlType(0xffff); }
                case NXM_VLAN_TCI & ~0xff -> { v.setVlanTci((int) val); k.setVlanTci((int) msk); }
                case NXM_IP_TOS & ~0xff -> { v.w[4] |= (val & 0xfc) << 48; k.w[4] |= 0xfcL << 48; }
                case NXM_IP_PROTO & ~0xff -> { v.w[4] |= val << 56; k.w[4] |= W4_PROTO; }
                case NXM_ARP_OP & ~0xff -> { v.w[4] |= (val & 0xff) << 56; k.w[4] |= W4_PROTO; }
                case NXM_IP_SRC & ~0xff, NXM_ARP_SPA & ~0xff -> { v.w[3] |= val << 32; k.w[3] |= msk << 32; }
                case NXM_IP_DST & ~0xff, NXM_ARP_TPA & ~0xff -> { v.w[3] |= val; k.w[3] |= msk; }
                case NXM_TCP_SRC & ~0xff, NXM_UDP_SRC & ~0xff -> { v.w[4] |= val << 16; k.w[4] |= W4_TP_SRC; }
                case NXM_TCP_DST & ~0xff, NXM_UDP_DST & ~0xff -> { v.w[4] |= val; k.w[4] |= W4_TP_DST; }
                case NXM_ICMP_TYPE & ~0xff -> { v.w[4] |= val << 16; k.w[4] |= W4_TP_SRC; }
                case NXM_ICMP_CODE & ~0xff -> { v.w[4] |= val; k.w[4] |= W4_TP_DST; }
                default -> throw new OfpError(Ofp.ET_BAD_REQUEST, Ofp.BRC_EPERM);
            }
        });
    }

    /** One match field of an NXM or OXM list: header, value and mask (all-ones if unmasked), value already masked. */
    @FunctionalInterface
    interface TlvField {
        void apply(int header, long value, long mask, boolean hasMask) throws OfpError;
    }

    /**
     * Walks the type-length-value entries of an NXM or OXM match ({@code m[off..off+len)}), which
     * share one layout (32-bit header: class, field, has-mask bit, payload length), checking every
     * length before reading. A malformed entry gets BAD_REQUEST/BAD_LEN.
     */
    static void readTlvs(byte[] m, int off, int len, TlvField field) throws OfpError {
        int end = off + len;
        while (off < end) {
            if (end - off < 4) {
                throw new OfpError(Ofp.ET_BAD_REQUEST, Ofp.BRC_BAD_LEN);
            }
            int h = u32(m, off);
            int n = h & 0xff;
            boolean hasMask = (h & 0x100) != 0;
            int p = off + 4;
            if (n == 0 || p + n > end || (hasMask && (n & 1) != 0) || (hasMask ? n / 2 : n) > 8) {
                throw new OfpError(Ofp.ET_BAD_REQUEST, Ofp.BRC_BAD_LEN);
            }
            int half = hasMask ? n / 2 : n;
            long msk = hasMask ? read(m, p + half, half) : (half == 8 ? -1L : (1L << (8 * half)) - 1);
            field.apply(h, read(m, p, half) & msk, msk, hasMask);
            off = p + n;
        }
    }

    private static long read(byte[] m, int off, int n) {
        long r = 0;
        for (int i = 0; i < n; i++) {
            r = (r << 8) | (m[off + i] & 0xff);
        }
        return r;
    }

    // ---- actions (1.0) ----

    /**
     * Parses the OpenFlow 1.0 action list {@code m[off..end)}, validating lengths, types, output
     * ports (Open vSwitch's check: below 0xff00 or one of the reserved ports IN_PORT, TABLE,
     * NORMAL, FLOOD, ALL, CONTROLLER, LOCAL) and arguments.
     */
    static List<OfAction> parseActions10(byte[] m, int off, int end) throws OfpError {
        List<OfAction> out = new ArrayList<>();
        while (off < end) {
            if (end - off < 8) {
                throw new OfpError(ET_BAD_ACTION, BAC_BAD_LEN);
            }
            int type = u16(m, off);
            int len = u16(m, off + 4 - 2);
            if (len < 8 || len % 8 != 0 || off + len > end) {
                throw new OfpError(ET_BAD_ACTION, BAC_BAD_LEN);
            }
            int want = type == OfAction.SET_DL_SRC || type == OfAction.SET_DL_DST || type == 11 ? 16 : 8;
            if (type != 0xffff && type <= 11 && len != want) {
                throw new OfpError(ET_BAD_ACTION, BAC_BAD_LEN);
            }
            int a = off + 4;
            switch (type) {
                case OfAction.OUTPUT -> {
                    int port = u16(m, a);
                    boolean reserved = port >= OfAction.IN_PORT && port <= OfAction.LOCAL;
                    if (port >= Ofp.OFPP10_MAX && !reserved) {
                        throw new OfpError(ET_BAD_ACTION, BAC_BAD_OUT_PORT);
                    }
                    out.add(new OfAction(type, port));
                }
                case OfAction.SET_VLAN_VID -> {
                    int vid = u16(m, a);
                    if ((vid & ~0xfff) != 0) {
                        throw new OfpError(ET_BAD_ACTION, BAC_BAD_ARGUMENT);
                    }
                    out.add(new OfAction(type, vid));
                }
                case OfAction.SET_VLAN_PCP -> {
                    int pcp = u8(m, a);
                    if ((pcp & ~7) != 0) {
                        throw new OfpError(ET_BAD_ACTION, BAC_BAD_ARGUMENT);
                    }
                    out.add(new OfAction(type, pcp));
                }
                case OfAction.STRIP_VLAN -> out.add(new OfAction(type, 0));
                case OfAction.SET_DL_SRC, OfAction.SET_DL_DST -> out.add(new OfAction(type, mac(m, a)));
                case OfAction.SET_NW_SRC, OfAction.SET_NW_DST -> out.add(new OfAction(type, u32(m, a) & 0xffffffffL));
                case OfAction.SET_NW_TOS -> {
                    int tos = u8(m, a);
                    if ((tos & 3) != 0) {
                        throw new OfpError(ET_BAD_ACTION, BAC_BAD_ARGUMENT);
                    }
                    out.add(new OfAction(type, tos));
                }
                case OfAction.SET_TP_SRC, OfAction.SET_TP_DST -> out.add(new OfAction(type, u16(m, a)));
                case 0xffff -> throw new OfpError(ET_BAD_ACTION,
                        u32(m, a) == Ofp.NX_VENDOR_ID ? BAC_BAD_VENDOR_TYPE : BAC_BAD_VENDOR);
                default -> throw new OfpError(ET_BAD_ACTION, BAC_BAD_TYPE);   // ENQUEUE (11) included: no queues
            }
            off += len;
        }
        return out;
    }
}
