package org.jvswitch.ofproto.ofp;

import static org.jvswitch.ofproto.ofp.OfpCodec.u16;
import static org.jvswitch.ofproto.ofp.OfpCodec.u32;
import static org.jvswitch.ofproto.ofp.OfpCodec.u8;

import java.nio.ByteBuffer;

import org.jvswitch.api.flow.FlowKey;

/**
 * OpenFlow 1.0 matches ({@code ofp_match}) to and from a {@link FlowKey} value and mask (in_port
 * holding the OpenFlow port number). NXM and OXM matches are {@link OfMatch}'s.
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
}
