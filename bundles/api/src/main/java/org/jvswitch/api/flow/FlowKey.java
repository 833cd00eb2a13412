package org.jvswitch.api.flow;

import java.util.Arrays;

import org.jvswitch.api.packet.DpPacket;

/**
 * The fields of a packet the datapath matches on, packed into a fixed array of 64-bit words
 * (a simplified {@code struct miniflow}: every key has the same shape, so a mask is a key too and
 * a masked compare is a loop over words). Reused per thread; {@link #extract} fills it without
 * allocating.
 *
 * <pre>
 * w0: in_port(32) | dl_type(16) | vlan_tci(16: outer tag, CFI bit set when tagged)
 * w1: dl_dst(48)            w2: dl_src(48)
 * w3: nw_src(32) | nw_dst(32)          (IPv4; ARP sender/target IP)
 * w4: nw_proto(8) | nw_tos(8) | nw_ttl(8) | nw_frag(8) | tp_src(16) | tp_dst(16)   (ARP opcode in nw_proto)
 * w5,w6: ipv6_src (ARP: arp_sha in w5, arp_tha in w6)     w7,w8: ipv6_dst
 * w9: recirc_id(32) | inner vlan_tci(16, 802.1ad) | tcp_flags(16)
 * w10: pkt_mark(32) | ipv6_label(32)
 * w11,w12: nd_target       w13: nd_sll (neighbour solicitation) or nd_tll (advertisement)
 * </pre>
 */
public final class FlowKey {
    public static final int WORDS = 14;
    public static final int ETH_TYPE_IP = 0x0800;
    public static final int ETH_TYPE_ARP = 0x0806;
    public static final int ETH_TYPE_VLAN = 0x8100;
    public static final int ETH_TYPE_VLAN_8021AD = 0x88a8;
    public static final int ETH_TYPE_IPV6 = 0x86dd;
    /** VLAN TCI bit meaning "a tag is present", as Open vSwitch's VLAN_CFI. */
    public static final int VLAN_CFI = 0x1000;
    public static final int FRAG_ANY = 1;
    public static final int FRAG_LATER = 2;

    public final long[] w = new long[WORDS];

    public int inPort() { return (int) (w[0] >>> 32); }
    public int dlType() { return (int) (w[0] >>> 16) & 0xffff; }
    public int vlanTci() { return (int) w[0] & 0xffff; }
    public int vlanVid() { return vlanTci() & 0xfff; }
    public boolean hasVlan() { return (vlanTci() & VLAN_CFI) != 0; }
    public long dlDst() { return w[1]; }
    public long dlSrc() { return w[2]; }
    public int nwSrc() { return (int) (w[3] >>> 32); }
    public int nwDst() { return (int) w[3]; }
    public int nwProto() { return (int) (w[4] >>> 56) & 0xff; }
    public int nwTos() { return (int) (w[4] >>> 48) & 0xff; }
    public int nwTtl() { return (int) (w[4] >>> 40) & 0xff; }
    public int nwFrag() { return (int) (w[4] >>> 32) & 0xff; }
    public int tpSrc() { return (int) (w[4] >>> 16) & 0xffff; }
    public int tpDst() { return (int) w[4] & 0xffff; }
    public int recircId() { return (int) (w[9] >>> 32); }
    public int innerVlanTci() { return (int) (w[9] >>> 16) & 0xffff; }
    public int tcpFlags() { return (int) w[9] & 0xffff; }
    public int pktMark() { return (int) (w[10] >>> 32); }
    public int ipv6Label() { return (int) w[10] & 0xfffff; }

    public void setInPort(int port) { w[0] = (w[0] & 0xffffffffL) | ((long) port << 32); }
    public void setDlType(int t) { w[0] = (w[0] & ~0xffff0000L) | ((long) (t & 0xffff) << 16); }
    public void setVlanTci(int tci) { w[0] = (w[0] & ~0xffffL) | (tci & 0xffff); }
    public void setDlDst(long mac) { w[1] = mac & 0xffffffffffffL; }
    public void setDlSrc(long mac) { w[2] = mac & 0xffffffffffffL; }

    public void clear() {
        // Explicit stores: for 14 words this beats Arrays.fill's loop on the per-packet path.
        long[] k = w;
        k[0] = 0; k[1] = 0; k[2] = 0; k[3] = 0; k[4] = 0; k[5] = 0; k[6] = 0;
        k[7] = 0; k[8] = 0; k[9] = 0; k[10] = 0; k[11] = 0; k[12] = 0; k[13] = 0;
    }

    public void copyFrom(FlowKey o) {
        System.arraycopy(o.w, 0, w, 0, WORDS);
    }

    /** Sets this key to {@code key & mask}. */
    public void setMasked(FlowKey key, FlowKey mask) {
        for (int i = 0; i < WORDS; i++) {
            w[i] = key.w[i] & mask.w[i];
        }
    }

    /**
     * Hash for exact-match caches: mixes only the words that vary most between flows (ports,
     * addresses, the 5-tuple, the low IPv6 words, recirculation), as Open vSwitch hashes the
     * 5-tuple rather than the whole miniflow. Equal keys hash equal; a collision costs one compare.
     */
    public int hash() {
        // Fold the rotated words, then a full finalizer: the fold costs one instruction a word,
        // the finalizer spreads every bit over the table index (a collision only costs a compare).
        long h = w[0] ^ Long.rotateLeft(w[1], 17) ^ Long.rotateLeft(w[2], 37) ^ w[3]
                ^ Long.rotateLeft(w[4], 11) ^ w[6] ^ Long.rotateLeft(w[8], 23) ^ w[9];
        return fmix(h);
    }

    /**
     * Hash over the words listed in {@code words} of {@code key & mask} (a classifier subtable's
     * hash): each word rotated by its own amount and folded in, then one finalizer, so the words
     * are independent loads and the dependency chain does not grow with the mask.
     */
    public static int hashMasked(FlowKey key, FlowKey mask, int[] words) {
        long h = 0;
        long[] k = key.w;
        long[] m = mask.w;
        for (int i = 0; i < words.length; i++) {
            int j = words[i];
            h ^= Long.rotateLeft(k[j] & m[j], j * 23);
        }
        return fmix(h);
    }

    /** MurmurHash3's 64-bit finalizer: every input bit reaches every output bit. */
    private static int fmix(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return (int) h;
    }

    /** True if {@code key & mask} equals this masked key on the listed words (the others are zero in the mask). */
    public boolean matchesMasked(FlowKey key, FlowKey mask, int[] words) {
        long[] k = key.w;
        long[] m = mask.w;
        for (int i = 0; i < words.length; i++) {
            int j = words[i];
            if ((k[j] & m[j]) != w[j]) {
                return false;
            }
        }
        return true;
    }

    /** Indices of the words where this key (as a mask) has any bit set. */
    public int[] nonZeroWords() {
        int n = 0;
        for (long v : w) {
            if (v != 0) {
                n++;
            }
        }
        int[] out = new int[n];
        for (int i = 0, j = 0; i < WORDS; i++) {
            if (w[i] != 0) {
                out[j++] = i;
            }
        }
        return out;
    }


    @Override
    public boolean equals(Object o) {
        return o instanceof FlowKey k && Arrays.equals(w, k.w);
    }

    @Override
    public int hashCode() {
        return hash();
    }

    /**
     * Parses the headers of {@code p} into this key (Open vSwitch's {@code miniflow_extract}),
     * with the packet's metadata (recirculation id, mark). Truncated or malformed headers leave
     * the fields they would fill at zero; never reads past the packet and never throws.
     */
    public void extract(DpPacket p, int inPort) {
        extract(p, inPort, EXTRACT_ALL);
    }

    /** {@link #extract(DpPacket, int, int)} level: Ethernet and VLAN only (words 0, 1, 2, 9, 10). */
    public static final int EXTRACT_L2 = 0;
    /** Level: also the network header (IPv4, IPv6 with its extension headers, ARP), no transport ports. */
    public static final int EXTRACT_L3 = 1;
    /** Level: every field, as {@link #extract(DpPacket, int)}. */
    public static final int EXTRACT_ALL = 2;

    /**
     * Parses only as deep as {@code level}: the fields below it stay zero and, below
     * {@link #EXTRACT_ALL}, {@code p.l4Ofs} stays -1. For a datapath that knows every flow of a
     * port needs no more (the words the flows' masks cover), this is the same key at less cost.
     */
    public void extract(DpPacket p, int inPort, int level) {
        clear();
        p.l3Ofs = -1;
        p.l4Ofs = -1;
        int len = p.length();
        w[0] = (long) inPort << 32;
        w[9] = (long) p.recircId << 32;
        w[10] = (long) p.mark << 32;
        if (len < 14) {
            return;
        }
        int off = 12;
        int type;
        if (len >= 16) {
            // Both addresses and the type in two loads.
            long a = p.getI64(0);
            long b = p.getI64(8);
            w[1] = a >>> 16;
            w[2] = ((a & 0xffff) << 32) | (b >>> 32);
            type = (int) (b >>> 16) & 0xffff;
        } else {
            w[1] = p.getMac(0);
            w[2] = p.getMac(6);
            type = p.getU16(off);
        }
        if (type == ETH_TYPE_VLAN || type == ETH_TYPE_VLAN_8021AD) {
            if (len < off + 6) {
                return;
            }
            setVlanTci(p.getU16(off + 2) | VLAN_CFI);
            off += 4;
            type = p.getU16(off);
            if (type == ETH_TYPE_VLAN || type == ETH_TYPE_VLAN_8021AD) {
                if (len < off + 6) {
                    return;
                }
                w[9] |= (long) ((p.getU16(off + 2) | VLAN_CFI) & 0xffff) << 16;
                off += 4;
                type = p.getU16(off);
            }
        }
        off += 2;
        if (type < 0x600) {
            type = 0x05ff; // 802.3 frame: OVS's FLOW_DL_TYPE_NONE
        }
        setDlType(type);
        p.l3Ofs = off;
        if (level == EXTRACT_L2) {
            return;
        }
        boolean l4 = level == EXTRACT_ALL;
        switch (type) {
            case ETH_TYPE_IP -> extractIpv4(p, off, len, l4);
            case ETH_TYPE_IPV6 -> extractIpv6(p, off, len, l4);
            case ETH_TYPE_ARP -> extractArp(p, off, len);
            default -> { }
        }
    }

    private void extractIpv4(DpPacket p, int off, int len, boolean l4) {
        if (len < off + 20) {
            return;
        }
        // Three loads for the fixed header: version..fragment, ttl..source, destination.
        long a = p.getI64(off);
        long b = p.getI64(off + 8);
        int vihl = (int) (a >>> 56) & 0xff;
        int ihl = (vihl & 0xf) * 4;
        if ((vihl >>> 4) != 4 || ihl < 20 || len < off + ihl) {
            return;
        }
        int tos = (int) (a >>> 48) & 0xff;
        int fragField = (int) a & 0xffff;
        int ttl = (int) (b >>> 56) & 0xff;
        int proto = (int) (b >>> 48) & 0xff;
        w[3] = (b << 32) | (p.getI32(off + 16) & 0xffffffffL);
        int frag = 0;
        if ((fragField & 0x3fff) != 0) {
            frag = FRAG_ANY | ((fragField & 0x1fff) != 0 ? FRAG_LATER : 0);
        }
        long w4 = ((long) proto << 56) | ((long) tos << 48) | ((long) ttl << 40) | ((long) frag << 32);
        if ((frag & FRAG_LATER) == 0 && l4) {
            w4 |= transport(p, off + ihl, len, proto);
        }
        w[4] = w4;
    }

    private void extractIpv6(DpPacket p, int off, int len, boolean l4) {
        if (len < off + 40) {
            return;
        }
        int vtc = p.getI32(off);
        int tos = (vtc >>> 20) & 0xff;
        int next = p.getU8(off + 6);
        int hlim = p.getU8(off + 7);
        w[5] = ((long) p.getI32(off + 8) << 32) | (p.getI32(off + 12) & 0xffffffffL);
        w[6] = ((long) p.getI32(off + 16) << 32) | (p.getI32(off + 20) & 0xffffffffL);
        w[7] = ((long) p.getI32(off + 24) << 32) | (p.getI32(off + 28) & 0xffffffffL);
        w[8] = ((long) p.getI32(off + 32) << 32) | (p.getI32(off + 36) & 0xffffffffL);
        w[10] |= vtc & 0xfffff;
        off += 40;
        int frag = 0;
        // Walk the extension headers to the upper-layer protocol (Open vSwitch's parse_ipv6_ext_hdrs).
        for (int hops = 0; hops < 8; hops++) {
            if (next == 0 || next == 43 || next == 60) {           // hop-by-hop, routing, destination options
                if (len < off + 8) {
                    return;
                }
                next = p.getU8(off);
                off += (p.getU8(off + 1) + 1) * 8;
            } else if (next == 51) {                                // authentication header
                if (len < off + 8) {
                    return;
                }
                next = p.getU8(off);
                off += (p.getU8(off + 1) + 2) * 4;
            } else if (next == 44) {                                // fragment
                if (len < off + 8) {
                    return;
                }
                int offFlags = p.getU16(off + 2);
                next = p.getU8(off);
                frag = FRAG_ANY | ((offFlags & 0xfff8) != 0 ? FRAG_LATER : 0);
                off += 8;
                if ((frag & FRAG_LATER) != 0) {
                    break;
                }
            } else {
                break;
            }
        }
        long w4 = ((long) next << 56) | ((long) tos << 48) | ((long) hlim << 40) | ((long) frag << 32);
        if ((frag & FRAG_LATER) == 0 && off <= len && l4) {
            w4 |= transport(p, off, len, next);
            if (next == 58) {
                extractNd(p, off, len);
            }
        }
        w[4] = w4;
    }

    /** Neighbour discovery: target address and the link-layer address option. */
    private void extractNd(DpPacket p, int off, int len) {
        int type = p.getU8(off);
        if ((type != 135 && type != 136) || len < off + 24 || p.getU8(off + 1) != 0) {
            return;
        }
        w[11] = ((long) p.getI32(off + 8) << 32) | (p.getI32(off + 12) & 0xffffffffL);
        w[12] = ((long) p.getI32(off + 16) << 32) | (p.getI32(off + 20) & 0xffffffffL);
        int want = type == 135 ? 1 : 2;   // source (NS) or target (NA) link-layer address
        for (int o = off + 24; o + 8 <= len; ) {
            int optType = p.getU8(o);
            int optLen = p.getU8(o + 1) * 8;
            if (optLen == 0) {
                return;
            }
            if (optType == want && optLen == 8) {
                w[13] = p.getMac(o + 2);
                return;
            }
            o += optLen;
        }
    }

    private void extractArp(DpPacket p, int off, int len) {
        if (len < off + 28 || p.getU16(off) != 1 || p.getU16(off + 2) != ETH_TYPE_IP
                || p.getU8(off + 4) != 6 || p.getU8(off + 5) != 4) {
            return;
        }
        int op = p.getU16(off + 6);
        if (op <= 0xff) {
            w[4] = (long) op << 56;
        }
        w[5] = p.getMac(off + 8);
        w[3] = ((long) p.getI32(off + 14) << 32) | (p.getI32(off + 24) & 0xffffffffL);
        w[6] = p.getMac(off + 18);
    }

    /**
     * Transport ports (ICMP type and code) into w4's low bits; TCP flags into w9; the L4 offset
     * into the packet when the whole header is there.
     */
    private long transport(DpPacket p, int off, int len, int proto) {
        switch (proto) {
            case 6 -> {
                if (len >= off + 20) {
                    p.l4Ofs = off;
                    p.l4Proto = proto;
                    w[9] |= p.getU16(off + 12) & 0x0fff;
                    return p.getI32(off) & 0xffffffffL;   // source and destination port
                }
            }
            case 17, 132 -> {
                if (len >= off + (proto == 17 ? 8 : 12)) {
                    p.l4Ofs = off;
                    p.l4Proto = proto;
                    return p.getI32(off) & 0xffffffffL;
                }
            }
            case 1, 58 -> { // ICMP type/code in tp_src/tp_dst, as OVS
                if (len >= off + 4) {
                    p.l4Ofs = off;
                    p.l4Proto = proto;
                    return ((long) p.getU8(off) << 16) | p.getU8(off + 1);
                }
            }
            default -> { }
        }
        return 0;
    }

    /** Formats a MAC held in the low 48 bits, as xx:xx:xx:xx:xx:xx. */
    public static String formatMac(long mac) {
        StringBuilder sb = new StringBuilder(17);
        for (int i = 5; i >= 0; i--) {
            int b = (int) (mac >>> (i * 8)) & 0xff;
            sb.append(Character.forDigit(b >>> 4, 16)).append(Character.forDigit(b & 0xf, 16));
            if (i > 0) {
                sb.append(':');
            }
        }
        return sb.toString();
    }

    /** Parses xx:xx:xx:xx:xx:xx; throws IllegalArgumentException on anything else. */
    public static long parseMac(String s) {
        String[] parts = s.split(":");
        if (parts.length != 6) {
            throw new IllegalArgumentException(s + ": invalid Ethernet address");
        }
        long mac = 0;
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 2) {
                throw new IllegalArgumentException(s + ": invalid Ethernet address");
            }
            mac = (mac << 8) | Integer.parseInt(part, 16);
        }
        return mac;
    }

    public static String formatIpv4(int ip) {
        return ((ip >>> 24) & 0xff) + "." + ((ip >>> 16) & 0xff) + "." + ((ip >>> 8) & 0xff) + "." + (ip & 0xff);
    }

    /** Formats the key's fields as Open vSwitch's datapath flow text (dpctl/dump-flows). */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        sb.append("in_port(").append(inPort()).append("),");
        sb.append("eth(src=").append(formatMac(dlSrc())).append(",dst=").append(formatMac(dlDst())).append(')');
        if (hasVlan()) {
            sb.append(",eth_type(0x8100),vlan(vid=").append(vlanVid()).append(",pcp=").append(vlanTci() >>> 13).append("),encap(");
        } else {
            sb.append(',');
        }
        sb.append(String.format("eth_type(0x%04x)", dlType()));
        if (dlType() == ETH_TYPE_IP) {
            sb.append(",ipv4(src=").append(formatIpv4(nwSrc())).append(",dst=").append(formatIpv4(nwDst()))
              .append(",proto=").append(nwProto()).append(",tos=").append(nwTos()).append(",ttl=").append(nwTtl())
              .append(",frag=").append(nwFrag() == 0 ? "no" : (nwFrag() & FRAG_LATER) != 0 ? "later" : "first").append(')');
        } else if (dlType() == ETH_TYPE_ARP) {
            sb.append(",arp(sip=").append(formatIpv4(nwSrc())).append(",tip=").append(formatIpv4(nwDst()))
              .append(",op=").append(nwProto()).append(",sha=").append(formatMac(w[5])).append(",tha=").append(formatMac(w[6])).append(')');
        }
        if (hasVlan()) {
            sb.append(')');
        }
        return sb.toString();
    }
}
