package org.jvswitch.ofproto.ofp;

import static org.jvswitch.ofproto.ofp.OfpCodec.u32;

import java.nio.ByteBuffer;
import java.util.Arrays;

import org.jvswitch.api.flow.FlowKey;
import org.jvswitch.ofproto.ofp.OfpSession.OfpError;

/**
 * OpenFlow 1.3 OXM matches and actions of table-0 rules, for 1.3 flow statistics: the fields an
 * OpenFlow 1.0 match can hold, and the 1.0 actions as 1.3 OUTPUT, POP_VLAN and SET_FIELD actions.
 */
final class OfOxm {
    private OfOxm() {
    }

    private static final int IN_PORT = 0;
    private static final int ETH_DST = 3;
    private static final int ETH_SRC = 4;
    private static final int ETH_TYPE = 5;
    private static final int VLAN_VID = 6;
    private static final int VLAN_PCP = 7;
    private static final int IP_DSCP = 8;
    private static final int IP_PROTO = 10;
    private static final int IPV4_SRC = 11;
    private static final int IPV4_DST = 12;
    private static final int TCP_SRC = 13;
    private static final int TCP_DST = 14;
    private static final int UDP_SRC = 15;
    private static final int UDP_DST = 16;
    private static final int SCTP_SRC = 17;
    private static final int SCTP_DST = 18;
    private static final int ICMP_TYPE = 19;
    private static final int ICMP_CODE = 20;
    private static final int ARP_OP = 21;
    private static final int ARP_SPA = 22;
    private static final int ARP_TPA = 23;
    private static final int VID_PRESENT = 0x1000;

    private static void put(ByteBuffer b, int field, int len, long v) {
        b.putInt(0x80000000 | (field << 9) | len);
        putN(b, len, v);
    }

    private static void putMasked(ByteBuffer b, int field, int len, long v, long m, long all) {
        if (m == all) {
            put(b, field, len, v);
        } else if (m != 0) {
            b.putInt(0x80000000 | (field << 9) | 0x100 | (2 * len));
            putN(b, len, v);
            putN(b, len, m);
        }
    }

    private static void putN(ByteBuffer b, int len, long v) {
        for (int i = len - 1; i >= 0; i--) {
            b.put((byte) (v >>> (8 * i)));
        }
    }

    /** The OXM fields of {@code v}/{@code k}, unpadded, prerequisites first. */
    static byte[] match(FlowKey v, FlowKey k) {
        ByteBuffer b = ByteBuffer.allocate(256);
        if (k.inPort() != 0) {
            put(b, IN_PORT, 4, Ofp.port13(v.inPort()) & 0xffffffffL);
        }
        putMasked(b, ETH_DST, 6, v.dlDst(), k.dlDst(), 0xffffffffffffL);
        putMasked(b, ETH_SRC, 6, v.dlSrc(), k.dlSrc(), 0xffffffffffffL);
        if (k.dlType() != 0) {
            put(b, ETH_TYPE, 2, v.dlType());
        }
        int tci = v.vlanTci();
        int tm = k.vlanTci();
        if (tm == 0xffff && tci == 0) {
            put(b, VLAN_VID, 2, 0);                                   // no tag
        } else if (tm != 0) {
            if ((tm & 0xfff) != 0) {
                put(b, VLAN_VID, 2, (tci & 0xfff) | VID_PRESENT);
            } else {
                putMasked(b, VLAN_VID, 2, VID_PRESENT, VID_PRESENT, -1);
            }
            if ((tm & 0xe000) != 0) {
                put(b, VLAN_PCP, 1, tci >>> 13);
            }
        }
        boolean typeSet = k.dlType() == 0xffff;
        boolean ip = typeSet && v.dlType() == FlowKey.ETH_TYPE_IP;
        boolean arp = typeSet && v.dlType() == FlowKey.ETH_TYPE_ARP;
        boolean proto = k.nwProto() != 0;
        if (ip) {
            if (k.nwTos() != 0) {
                put(b, IP_DSCP, 1, v.nwTos() >>> 2);
            }
            if (proto) {
                put(b, IP_PROTO, 1, v.nwProto());
            }
            putMasked(b, IPV4_SRC, 4, v.nwSrc() & 0xffffffffL, k.nwSrc() & 0xffffffffL, 0xffffffffL);
            putMasked(b, IPV4_DST, 4, v.nwDst() & 0xffffffffL, k.nwDst() & 0xffffffffL, 0xffffffffL);
            if (proto) {
                int p = v.nwProto();
                int[] f = p == 6 ? new int[] {TCP_SRC, TCP_DST, 2} : p == 17 ? new int[] {UDP_SRC, UDP_DST, 2}
                        : p == 132 ? new int[] {SCTP_SRC, SCTP_DST, 2} : p == 1 ? new int[] {ICMP_TYPE, ICMP_CODE, 1} : null;
                if (f != null) {
                    if (k.tpSrc() != 0) {
                        put(b, f[0], f[2], v.tpSrc());
                    }
                    if (k.tpDst() != 0) {
                        put(b, f[1], f[2], v.tpDst());
                    }
                }
            }
        } else if (arp) {
            if (proto) {
                put(b, ARP_OP, 2, v.nwProto());
            }
            putMasked(b, ARP_SPA, 4, v.nwSrc() & 0xffffffffL, k.nwSrc() & 0xffffffffL, 0xffffffffL);
            putMasked(b, ARP_TPA, 4, v.nwDst() & 0xffffffffL, k.nwDst() & 0xffffffffL, 0xffffffffL);
        }
        return Arrays.copyOf(b.array(), b.position());
    }

    /**
     * Reads OXM fields {@code m[off..off+len)} (those {@link #match} writes) into {@code v}/{@code k}.
     * Malformed: BAD_REQUEST/BAD_LEN; a field this switch does not match on: BAD_REQUEST/EPERM.
     */
    static void parse(byte[] m, int off, int len, FlowKey v, FlowKey k) throws OfpError {
        v.clear();
        k.clear();
        OfFlowCodec.readTlvs(m, off, len, (h, val, msk, hasMask) -> {
            if ((h >>> 16) != 0x8000) {
                throw new OfpError(Ofp.ET_BAD_REQUEST, Ofp.BRC_EPERM);
            }
            switch ((h >>> 9) & 0x7f) {
                case IN_PORT -> { v.setInPort(Math.max(0, Ofp.port10((int) val))); k.setInPort(-1); }
                case ETH_DST -> { v.setDlDst(val); k.setDlDst(msk); }
                case ETH_SRC -> { v.setDlSrc(val); k.setDlSrc(msk); }
                case ETH_TYPE -> { v.setDlType((int) val); k.setDlType(0xffff); }
                case VLAN_VID -> {
                    if (!hasMask && val == 0) {
                        v.setVlanTci(0);
                        k.setVlanTci(0xffff);
                    } else {
                        int cfi = (val & VID_PRESENT) != 0 ? FlowKey.VLAN_CFI : 0;
                        int cfiMask = (msk & VID_PRESENT) != 0 ? FlowKey.VLAN_CFI : 0;
                        v.setVlanTci((v.vlanTci() & 0xe000) | cfi | (int) (val & 0xfff));
                        k.setVlanTci(k.vlanTci() | cfiMask | (int) (msk & 0xfff));
                    }
                }
                case VLAN_PCP -> {
                    v.setVlanTci(v.vlanTci() | (int) ((val & 7) << 13));
                    k.setVlanTci(k.vlanTci() | 0xe000);
                }
                case IP_DSCP -> { v.w[4] |= ((val << 2) & 0xfc) << 48; k.w[4] |= 0xfcL << 48; }
                case IP_PROTO -> { v.w[4] |= val << 56; k.w[4] |= 0xffL << 56; }
                case ARP_OP -> { v.w[4] |= (val & 0xff) << 56; k.w[4] |= 0xffL << 56; }
                case IPV4_SRC, ARP_SPA -> { v.w[3] |= val << 32; k.w[3] |= msk << 32; }
                case IPV4_DST, ARP_TPA -> { v.w[3] |= val; k.w[3] |= msk; }
                case TCP_SRC, UDP_SRC, SCTP_SRC, ICMP_TYPE -> { v.w[4] |= val << 16; k.w[4] |= 0xffffL << 16; }
                case TCP_DST, UDP_DST, SCTP_DST, ICMP_CODE -> { v.w[4] |= val; k.w[4] |= 0xffffL; }
                default -> throw new OfpError(Ofp.ET_BAD_REQUEST, Ofp.BRC_EPERM);
            }
        });
    }

    /** The rule's actions as an OpenFlow 1.3 action list (for an APPLY_ACTIONS instruction). */
    static byte[] actions(OfRule r) {
        ByteBuffer b = ByteBuffer.allocate(32 * r.actions.size() + 8);
        int proto = r.mask.nwProto() != 0 ? r.match.nwProto() : 0;
        for (OfAction a : r.actions) {
            long arg = a.arg();
            switch (a.type()) {
                case OfAction.OUTPUT -> {
                    b.putShort((short) 0).putShort((short) 16).putInt(Ofp.port13((int) arg));
                    b.putShort((short) (arg == OfAction.CONTROLLER ? 0xffff : 0));
                    OfpCodec.pad(b, 6);
                }
                case OfAction.STRIP_VLAN -> b.putShort((short) 18).putShort((short) 8).putInt(0);
                case OfAction.SET_VLAN_VID -> setField(b, VLAN_VID, 2, arg | VID_PRESENT);
                case OfAction.SET_VLAN_PCP -> setField(b, VLAN_PCP, 1, arg);
                case OfAction.SET_DL_SRC -> setField(b, ETH_SRC, 6, arg);
                case OfAction.SET_DL_DST -> setField(b, ETH_DST, 6, arg);
                case OfAction.SET_NW_SRC -> setField(b, IPV4_SRC, 4, arg);
                case OfAction.SET_NW_DST -> setField(b, IPV4_DST, 4, arg);
                case OfAction.SET_NW_TOS -> setField(b, IP_DSCP, 1, arg >>> 2);
                case OfAction.SET_TP_SRC -> setField(b, proto == 17 ? UDP_SRC : proto == 132 ? SCTP_SRC : TCP_SRC, 2, arg);
                case OfAction.SET_TP_DST -> setField(b, proto == 17 ? UDP_DST : proto == 132 ? SCTP_DST : TCP_DST, 2, arg);
                default -> { }
            }
        }
        return Arrays.copyOf(b.array(), b.position());
    }

    private static void setField(ByteBuffer b, int field, int len, long v) {
        int total = (4 + 4 + len + 7) & ~7;
        b.putShort((short) 25).putShort((short) total);
        put(b, field, len, v);
        OfpCodec.pad(b, total - 8 - len);
    }
}
