package org.jvswitch.core.dpif;

import org.jvswitch.api.dpif.DpActions;
import org.jvswitch.api.flow.FlowKey;
import org.jvswitch.api.packet.DpPacket;

/**
 * Header-rewriting datapath actions on a packet in place (Open vSwitch's odp-execute set and
 * masked-set actions): Ethernet addresses, IPv4 and IPv6 fields, transport ports, VLAN push and
 * pop, with the IPv4 header checksum and the TCP/UDP/ICMPv6 checksums updated incrementally
 * (RFC 1624). Uses the header offsets flow extraction left in the packet; a packet without the
 * header an action rewrites is left alone. No allocation.
 */
final class HeaderRewrite {
    private HeaderRewrite() {
    }

    static void pushVlan(DpPacket p, int tci) {
        if (p.length() < 12 || !p.pushHead(4)) {
            return;
        }
        p.move(4, 0, 12);
        p.setU16(12, FlowKey.ETH_TYPE_VLAN);
        p.setU16(14, tci);
        shiftOffsets(p, 4);
    }

    static void popVlan(DpPacket p) {
        if (p.length() >= 18 && (p.getU16(12) == FlowKey.ETH_TYPE_VLAN || p.getU16(12) == FlowKey.ETH_TYPE_VLAN_8021AD)) {
            p.move(0, 4, 12);
            p.pullHead(4);
            shiftOffsets(p, -4);
        }
    }

    private static void shiftOffsets(DpPacket p, int by) {
        if (p.l3Ofs >= 0) {
            p.l3Ofs += by;
        }
        if (p.l4Ofs >= 0) {
            p.l4Ofs += by;
        }
    }

    static void setEth(DpPacket p, int off, int hi, int lo, int maskHi, int maskLo) {
        if (p.length() < 14) {
            return;
        }
        long value = ((long) (hi & 0xffff) << 32) | (lo & 0xffffffffL);
        long mask = ((long) (maskHi & 0xffff) << 32) | (maskLo & 0xffffffffL);
        long old = p.getMac(off);
        p.setMac(off, (old & ~mask) | (value & mask));
    }

    static void setIpv4(DpPacket p, int field, int value, int mask) {
        int l3 = p.l3Ofs;
        if (l3 < 0 || p.length() < l3 + 20 || (p.getU8(l3) >>> 4) != 4) {
            return;
        }
        switch (field) {
            case DpActions.IPV4_SRC, DpActions.IPV4_DST -> {
                int off = l3 + (field == DpActions.IPV4_SRC ? 12 : 16);
                int old = p.getI32(off);
                int nw = (old & ~mask) | (value & mask);
                if (nw == old) {
                    return;
                }
                p.setI32(off, nw);
                p.setU16(l3 + 10, update32(p.getU16(l3 + 10), old, nw));
                updateL4PseudoHeader(p, old, nw);
            }
            case DpActions.IPV4_TOS -> {
                int old = p.getU16(l3);
                int tos = ((old & 0xff) & ~mask) | (value & mask & 0xff);
                int nw = (old & 0xff00) | tos;
                p.setU16(l3, nw);
                p.setU16(l3 + 10, update16(p.getU16(l3 + 10), old, nw));
            }
            case DpActions.IPV4_TTL -> {
                int old = p.getU16(l3 + 8);
                int ttl = (((old >>> 8) & ~mask) | (value & mask)) & 0xff;
                int nw = (ttl << 8) | (old & 0xff);
                p.setU16(l3 + 8, nw);
                p.setU16(l3 + 10, update16(p.getU16(l3 + 10), old, nw));
            }
            default -> { }
        }
    }

    static void setIpv6(DpPacket p, int field, int[] prog, int at) {
        int l3 = p.l3Ofs;
        if (l3 < 0 || p.length() < l3 + 40 || (p.getU8(l3) >>> 4) != 6) {
            return;
        }
        int off = l3 + (field == DpActions.IPV6_SRC ? 8 : 24);
        for (int k = 0; k < 4; k++) {
            int old = p.getI32(off + 4 * k);
            int nw = prog[at + k];
            if (old != nw) {
                p.setI32(off + 4 * k, nw);
                updateL4PseudoHeader(p, old, nw);
            }
        }
    }

    /** A pseudo-header word changed: fix the TCP, UDP or ICMPv6 checksum. */
    private static void updateL4PseudoHeader(DpPacket p, int old, int nw) {
        int l4 = p.l4Ofs;
        if (l4 < 0) {
            return;
        }
        switch (p.l4Proto) {
            case 6 -> {
                if (p.length() >= l4 + 18) {
                    p.setU16(l4 + 16, update32(p.getU16(l4 + 16), old, nw));
                }
            }
            case 17 -> {
                if (p.length() >= l4 + 8 && p.getU16(l4 + 6) != 0) {   // 0: no checksum (IPv4)
                    int c = update32(p.getU16(l4 + 6), old, nw);
                    p.setU16(l4 + 6, c == 0 ? 0xffff : c);
                }
            }
            case 58 -> {
                if (p.length() >= l4 + 4) {
                    p.setU16(l4 + 2, update32(p.getU16(l4 + 2), old, nw));
                }
            }
            default -> { }
        }
    }

    static void setL4(DpPacket p, int proto, int field, int value, int mask) {
        int l4 = p.l4Ofs;
        if (l4 < 0 || p.l4Proto != proto || p.length() < l4 + 4) {
            return;
        }
        int off = l4 + (field == DpActions.L4_SRC ? 0 : 2);
        int old = p.getU16(off);
        int nw = (old & ~mask) | (value & mask) & 0xffff;
        if (old == nw) {
            return;
        }
        p.setU16(off, nw);
        if (proto == 6 && p.length() >= l4 + 18) {
            p.setU16(l4 + 16, update16(p.getU16(l4 + 16), old, nw));
        } else if (proto == 17 && p.length() >= l4 + 8 && p.getU16(l4 + 6) != 0) {
            int c = update16(p.getU16(l4 + 6), old, nw);
            p.setU16(l4 + 6, c == 0 ? 0xffff : c);
        } else if (proto == 132) {
            sctpChecksum(p, l4);
        }
    }

    /** SCTP uses CRC32c over the whole packet, so it is recomputed, not updated. */
    private static void sctpChecksum(DpPacket p, int l4) {
        if (p.length() < l4 + 12) {
            return;
        }
        p.setI32(l4 + 8, 0);
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        for (int i = l4; i < p.length(); i++) {
            crc.update(p.getU8(i));
        }
        int v = (int) crc.getValue();
        // The CRC goes on the wire in little-endian byte order.
        p.setI32(l4 + 8, Integer.reverseBytes(v));
    }

    /** RFC 1624: the checksum after a 16-bit word changed from {@code old} to {@code nw}. */
    static int update16(int csum, int old, int nw) {
        int sum = (~csum & 0xffff) + (~old & 0xffff) + (nw & 0xffff);
        sum = (sum & 0xffff) + (sum >>> 16);
        sum = (sum & 0xffff) + (sum >>> 16);
        return ~sum & 0xffff;
    }

    static int update32(int csum, int old, int nw) {
        return update16(update16(csum, old >>> 16, nw >>> 16), old & 0xffff, nw & 0xffff);
    }
}
