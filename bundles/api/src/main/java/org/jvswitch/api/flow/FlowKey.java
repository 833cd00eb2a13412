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
 * w0: in_port(32) | dl_type(16) | vlan_tci(16, with CFI bit set when tagged)
 * w1: dl_dst(48)            w2: dl_src(48)
 * w3: nw_src(32) | nw_dst(32)          (IPv4; ARP sender/target IP)
 * w4: nw_proto(8) | nw_tos(8) | nw_ttl(8) | nw_frag(8) | tp_src(16) | tp_dst(16)   (ARP opcode in nw_proto)
 * w5,w6: ipv6_src (ARP: arp_sha in w5, arp_tha in w6)     w7,w8: ipv6_dst
 * </pre>
 */
public final class FlowKey {
    public static final int WORDS = 9;
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

    public void setInPort(int port) { w[0] = (w[0] & 0xffffffffL) | ((long) port << 32); }
    public void setDlType(int t) { w[0] = (w[0] & ~0xffff0000L) | ((long) (t & 0xffff) << 16); }
    public void setVlanTci(int tci) { w[0] = (w[0] & ~0xffffL) | (tci & 0xffff); }
    public void setDlDst(long mac) { w[1] = mac & 0xffffffffffffL; }
    public void setDlSrc(long mac) { w[2] = mac & 0xffffffffffffL; }

    public void clear() {
        Arrays.fill(w, 0L);
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

    /** True if {@code key & mask} equals this (already masked) key. */
    public boolean matchesMasked(FlowKey key, FlowKey mask) {
        for (int i = 0; i < WORDS; i++) {
            if ((key.w[i] & mask.w[i]) != w[i]) {
                return false;
            }
        }
        return true;
    }

    /** Hash of the whole key. */
    public int hash() {
        long h = 0x9E3779B97F4A7C15L;
        for (int i = 0; i < WORDS; i++) {
            h = (h ^ w[i]) * 0xff51afd7ed558ccdL;
            h ^= h >>> 33;
        }
        return (int) h ^ (int) (h >>> 32);
    }

    /** Hash of {@code key & mask}, equal to {@code hash()} of the masked key. */
    public static int hashMasked(FlowKey key, FlowKey mask) {
        long h = 0x9E3779B97F4A7C15L;
        for (int i = 0; i < WORDS; i++) {
            h = (h ^ (key.w[i] & mask.w[i])) * 0xff51afd7ed558ccdL;
            h ^= h >>> 33;
        }
        return (int) h ^ (int) (h >>> 32);
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
     * Parses the headers of {@code p} into this key (Open vSwitch's {@code miniflow_extract}).
     * Truncated or malformed headers leave the fields they would fill at zero; never throws.
     */
    public void extract(DpPacket p, int inPort) {
        clear();
        int len = p.length();
        w[0] = (long) inPort << 32;
        if (len < 14) {
            return;
        }
        w[1] = p.getMac(0);
        w[2] = p.getMac(6);
        int off = 12;
        int type = p.getU16(off);
        if ((type == ETH_TYPE_VLAN || type == ETH_TYPE_VLAN_8021AD) && len >= off + 6) {
            int tci = p.getU16(off + 2);
            setVlanTci(tci | VLAN_CFI);
            off += 4;
            type = p.getU16(off);
        } else if (type == ETH_TYPE_VLAN || type == ETH_TYPE_VLAN_8021AD) {
            return;
        }
        off += 2;
        if (type < 0x600) {
            type = 0x05ff; // 802.3 frame: OVS's FLOW_DL_TYPE_NONE
        }
        setDlType(type);
        switch (type) {
            case ETH_TYPE_IP -> extractIpv4(p, off, len);
            case ETH_TYPE_IPV6 -> extractIpv6(p, off, len);
            case ETH_TYPE_ARP -> extractArp(p, off, len);
            default -> { }
        }
    }

    private void extractIpv4(DpPacket p, int off, int len) {
        if (len < off + 20) {
            return;
        }
        int vihl = p.getU8(off);
        int ihl = (vihl & 0xf) * 4;
        if ((vihl >>> 4) != 4 || ihl < 20 || len < off + ihl) {
            return;
        }
        int tos = p.getU8(off + 1);
        int fragField = p.getU16(off + 6);
        int ttl = p.getU8(off + 8);
        int proto = p.getU8(off + 9);
        w[3] = ((long) p.getI32(off + 12) << 32) | (p.getI32(off + 16) & 0xffffffffL);
        int frag = 0;
        if ((fragField & 0x3fff) != 0) {
            frag = FRAG_ANY | ((fragField & 0x1fff) != 0 ? FRAG_LATER : 0);
        }
        long w4 = ((long) proto << 56) | ((long) tos << 48) | ((long) ttl << 40) | ((long) frag << 32);
        if ((frag & FRAG_LATER) == 0) {
            w4 |= transportPorts(p, off + ihl, len, proto);
        }
        w[4] = w4;
    }

    private void extractIpv6(DpPacket p, int off, int len) {
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
        long w4 = ((long) next << 56) | ((long) tos << 48) | ((long) hlim << 40);
        w4 |= transportPorts(p, off + 40, len, next);
        w[4] = w4;
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

    private static long transportPorts(DpPacket p, int off, int len, int proto) {
        switch (proto) {
            case 6, 17, 132 -> {
                if (len >= off + 4) {
                    return ((long) p.getU16(off) << 16) | p.getU16(off + 2);
                }
            }
            case 1, 58 -> { // ICMP type/code in tp_src/tp_dst, as OVS
                if (len >= off + 2) {
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
