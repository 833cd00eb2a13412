package org.jvswitch.core.dpif;

import org.jvswitch.api.flow.FlowKey;
import org.jvswitch.api.packet.DpPacket;

/**
 * The header reads of Open vSwitch 3.1's simple match ({@code dp_netdev_simple_match_*}): the
 * key words a flow matching only in_port, Ethernet type, VLAN and fragment bits needs, read
 * straight from the packet without extracting a flow key. {@link PortClassifier} uses them.
 */
final class SimpleMatch {
    private SimpleMatch() {
    }

    /**
     * The key word 0 ({@code in_port | dl_type | vlan_tci}) of {@code p}, exactly as
     * {@link FlowKey#extract} computes it, from the Ethernet header and up to two VLAN tags; sets
     * {@code p.l3Ofs}. Returns -1 for a frame too short for its tags (the full path decides it).
     */
    static long extractW0(DpPacket p, int inPort) {
        long w0 = (long) inPort << 32;
        int len = p.length();
        p.l4Ofs = -1;
        if (len < 14) {
            p.l3Ofs = -1;
            return w0;
        }
        int off = 12;
        int type = p.getU16(off);
        int tci = 0;
        if (type == FlowKey.ETH_TYPE_VLAN || type == FlowKey.ETH_TYPE_VLAN_8021AD) {
            if (len < off + 6) {
                return -1;
            }
            tci = p.getU16(off + 2) | FlowKey.VLAN_CFI;
            off += 4;
            type = p.getU16(off);
            if (type == FlowKey.ETH_TYPE_VLAN || type == FlowKey.ETH_TYPE_VLAN_8021AD) {
                if (len < off + 6) {
                    return -1;
                }
                off += 4;
                type = p.getU16(off);
            }
        }
        off += 2;
        if (type < 0x600) {
            type = 0x05ff;
        }
        p.l3Ofs = off;
        return w0 | ((long) type << 16) | (tci & 0xffff);
    }

    /**
     * The fragment bits of an IPv4 packet as {@link FlowKey#extract} puts them in word 4, or -1
     * when they cannot be had cheaply (IPv6, whose extension headers must be walked).
     */
    static long extractFragW4(DpPacket p, long w0) {
        int type = (int) (w0 >>> 16) & 0xffff;
        if (type == 0x86dd) {
            return -1;
        }
        if (type != FlowKey.ETH_TYPE_IP) {
            return 0;
        }
        int off = p.l3Ofs;
        int len = p.length();
        if (len < off + 20) {
            return 0;
        }
        int vihl = p.getU8(off);
        int ihl = (vihl & 0xf) * 4;
        if ((vihl >>> 4) != 4 || ihl < 20 || len < off + ihl) {
            return 0;
        }
        int fragField = p.getU16(off + 6);
        int frag = 0;
        if ((fragField & 0x3fff) != 0) {
            frag = FlowKey.FRAG_ANY | ((fragField & 0x1fff) != 0 ? FlowKey.FRAG_LATER : 0);
        }
        return (long) frag << 32;
    }

    /**
     * The TCP flags of a packet whose network header is at {@code p.l3Ofs} (Open vSwitch's
     * parse_tcp_flags): for IPv4 (first fragments) and IPv6 without extension headers; 0 for
     * anything else. Cheap enough for every packet of the per-port stage, which parses no deeper.
     */
    static int tcpFlags(DpPacket p, int dlType) {
        int l3 = p.l3Ofs;
        int len = p.length();
        if (l3 < 0) {
            return 0;
        }
        int l4;
        if (dlType == FlowKey.ETH_TYPE_IP) {
            if (len < l3 + 20) {
                return 0;
            }
            // Protocol first (one load settles UDP and the rest), then one load for header length
            // and fragment offset (was four reads).
            long w1 = p.getI64(l3 + 8);    // TTL, protocol, checksum, source
            if ((w1 >>> 48 & 0xff) != 6) {
                return 0;
            }
            long w0 = p.getI64(l3);        // version/IHL, TOS, total length, id, flags/fragment
            if ((w0 & 0x1fff) != 0) {
                return 0;
            }
            l4 = l3 + ((int) (w0 >>> 56) & 0xf) * 4;
        } else if (dlType == FlowKey.ETH_TYPE_IPV6) {
            if (len < l3 + 40 || p.getU8(l3 + 6) != 6) {
                return 0;
            }
            l4 = l3 + 40;
        } else {
            return 0;
        }
        // A whole TCP header, as Open vSwitch's parse_tcp_flags and the full extraction ask.
        return len >= l4 + 20 ? p.getU16(l4 + 12) & 0x0fff : 0;
    }
}
