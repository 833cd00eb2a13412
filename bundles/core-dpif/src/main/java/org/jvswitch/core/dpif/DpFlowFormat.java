package org.jvswitch.core.dpif;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

import org.jvswitch.api.flow.FlowKey;

/**
 * Formats a megaflow's key and mask the way Open vSwitch's {@code dpctl/dump-flows} does
 * ({@code odp_flow_format}): attributes whose mask is all-zero are left out, fully masked fields
 * print their value, partly masked ones {@code value/mask}. With {@code verbose} (-m) every
 * attribute is shown, wildcarded ones with a zero mask.
 */
final class DpFlowFormat {
    private DpFlowFormat() {
    }

    static String format(FlowKey k, FlowKey m, boolean verbose) {
        List<String> parts = new ArrayList<>();
        parts.add("recirc_id(" + hex(k.recircId()) + ")");
        parts.add("in_port(" + k.inPort() + ")");
        if (verbose || m.pktMark() != 0) {
            parts.add("skb_mark(" + masked(k.pktMark(), m.pktMark(), 0xffffffffL, true) + ")");
        }
        parts.add("packet_type(ns=0,id=0)");
        Fields eth = new Fields(verbose);
        eth.mac("src", k.dlSrc(), m.dlSrc());
        eth.mac("dst", k.dlDst(), m.dlDst());
        eth.addTo(parts, "eth");
        boolean vlan = m.vlanTci() != 0 && k.hasVlan();
        List<String> inner = parts;
        if (vlan) {
            parts.add("eth_type(0x8100)");
            parts.add("vlan(vid=" + k.vlanVid() + ",pcp=" + (k.vlanTci() >>> 13) + ")");
            inner = new ArrayList<>();
        }
        if (verbose || m.dlType() != 0) {
            String type = String.format("0x%04x", k.dlType());
            inner.add("eth_type(" + ((m.dlType() & 0xffff) == 0xffff ? type : type + "/" + hex(m.dlType())) + ")");
        }
        if (k.dlType() == FlowKey.ETH_TYPE_IP && m.dlType() != 0) {
            Fields ip = new Fields(verbose);
            ip.ip4("src", k.nwSrc(), m.nwSrc());
            ip.ip4("dst", k.nwDst(), m.nwDst());
            ip.num("proto", k.nwProto(), m.nwProto(), 0xff, false);
            ip.num("tos", k.nwTos(), m.nwTos(), 0xff, true);
            ip.num("ttl", k.nwTtl(), m.nwTtl(), 0xff, false);
            ip.frag(k.nwFrag(), m.nwFrag());
            ip.addTo(inner, "ipv4");
            transport(inner, k, m, verbose, false);
        } else if (k.dlType() == FlowKey.ETH_TYPE_IPV6 && m.dlType() != 0) {
            Fields ip = new Fields(verbose);
            ip.ip6("src", k.w[5], k.w[6], m.w[5], m.w[6]);
            ip.ip6("dst", k.w[7], k.w[8], m.w[7], m.w[8]);
            ip.num("label", k.ipv6Label(), m.ipv6Label(), 0xfffff, true);
            ip.num("proto", k.nwProto(), m.nwProto(), 0xff, false);
            ip.num("tclass", k.nwTos(), m.nwTos(), 0xff, true);
            ip.num("hlimit", k.nwTtl(), m.nwTtl(), 0xff, false);
            ip.frag(k.nwFrag(), m.nwFrag());
            ip.addTo(inner, "ipv6");
            transport(inner, k, m, verbose, true);
        } else if (k.dlType() == FlowKey.ETH_TYPE_ARP && m.dlType() != 0) {
            Fields arp = new Fields(verbose);
            arp.ip4("sip", k.nwSrc(), m.nwSrc());
            arp.ip4("tip", k.nwDst(), m.nwDst());
            arp.num("op", k.nwProto(), m.nwProto(), 0xff, false);
            arp.mac("sha", k.w[5], m.w[5]);
            arp.mac("tha", k.w[6], m.w[6]);
            arp.addTo(inner, "arp");
        }
        if (vlan) {
            parts.add("encap(" + String.join(",", inner) + ")");
        }
        return String.join(",", parts);
    }

    private static void transport(List<String> parts, FlowKey k, FlowKey m, boolean verbose, boolean v6) {
        int proto = k.nwProto();
        if (m.nwProto() == 0 || (k.nwFrag() & FlowKey.FRAG_LATER) != 0) {
            return;
        }
        String name = switch (proto) {
            case 6 -> "tcp";
            case 17 -> "udp";
            case 132 -> "sctp";
            case 1 -> "icmp";
            case 58 -> "icmpv6";
            default -> null;
        };
        if (name == null) {
            return;
        }
        boolean icmp = proto == 1 || proto == 58;
        Fields l4 = new Fields(verbose);
        l4.num(icmp ? "type" : "src", k.tpSrc(), m.tpSrc(), icmp ? 0xff : 0xffff, false);
        l4.num(icmp ? "code" : "dst", k.tpDst(), m.tpDst(), icmp ? 0xff : 0xffff, false);
        l4.addTo(parts, name);
        if (proto == 6 && (verbose || m.tcpFlags() != 0)) {
            parts.add("tcp_flags(" + masked(k.tcpFlags(), m.tcpFlags(), 0xfff, true) + ")");
        }
        if (v6 && proto == 58 && (k.tpSrc() == 135 || k.tpSrc() == 136) && (m.w[11] | m.w[12] | m.w[13]) != 0) {
            Fields nd = new Fields(verbose);
            nd.ip6("target", k.w[11], k.w[12], m.w[11], m.w[12]);
            nd.mac(k.tpSrc() == 135 ? "sll" : "tll", k.w[13], m.w[13]);
            nd.addTo(parts, "nd");
        }
    }

    /** The subfields of one attribute, e.g. eth(src=...,dst=...). */
    private static final class Fields {
        private final boolean verbose;
        private final List<String> items = new ArrayList<>();

        Fields(boolean verbose) {
            this.verbose = verbose;
        }

        void mac(String name, long v, long mask) {
            if (mask == 0 && !verbose) {
                return;
            }
            String s = FlowKey.formatMac(v);
            items.add(name + "=" + (mask == 0xffffffffffffL ? s : s + "/" + FlowKey.formatMac(mask)));
        }

        void ip4(String name, int v, int mask) {
            if (mask == 0 && !verbose) {
                return;
            }
            String s = FlowKey.formatIpv4(v);
            items.add(name + "=" + (mask == -1 ? s : s + "/" + FlowKey.formatIpv4(mask)));
        }

        void ip6(String name, long hi, long lo, long mhi, long mlo) {
            if ((mhi | mlo) == 0 && !verbose) {
                return;
            }
            String s = ip6Text(hi, lo);
            items.add(name + "=" + (mhi == -1 && mlo == -1 ? s : s + "/" + ip6Text(mhi, mlo)));
        }

        void num(String name, long v, long mask, long full, boolean hexOut) {
            if (mask == 0 && !verbose) {
                return;
            }
            items.add(name + "=" + masked(v, mask, full, hexOut));
        }

        void frag(int v, int mask) {
            if (mask == 0 && !verbose) {
                return;
            }
            items.add("frag=" + (v == 0 ? "no" : (v & FlowKey.FRAG_LATER) != 0 ? "later" : "first"));
        }

        void addTo(List<String> parts, String attr) {
            if (!items.isEmpty()) {
                parts.add(attr + "(" + String.join(",", items) + ")");
            }
        }
    }

    private static String masked(long v, long mask, long full, boolean hexOut) {
        String value = hexOut ? hex(v) : Long.toString(v);
        if ((mask & full) == full) {
            return value;
        }
        return value + "/" + hex(mask);
    }

    /** Open vSwitch's packet_format_tcp_flags: S, F, P, R, U, '.', E, C; "none" when none. */
    static String tcpFlags(int flags) {
        if (flags == 0) {
            return "none";
        }
        StringBuilder sb = new StringBuilder();
        int[] bits = {0x002, 0x001, 0x008, 0x004, 0x020, 0x010, 0x040, 0x080};
        char[] names = {'S', 'F', 'P', 'R', 'U', '.', 'E', 'C'};
        for (int i = 0; i < bits.length; i++) {
            if ((flags & bits[i]) != 0) {
                sb.append(names[i]);
            }
        }
        if ((flags & 0x100) != 0) {
            sb.append('N');
        }
        if ((flags & 0x200) != 0) {
            sb.append("[200]");
        }
        if ((flags & 0x400) != 0) {
            sb.append("[400]");
        }
        if ((flags & 0x800) != 0) {
            sb.append("[800]");
        }
        return sb.toString();
    }

    /** C's {@code %#x}: "0" for zero, else "0x" and the digits. */
    private static String hex(long v) {
        return v == 0 ? "0" : "0x" + Long.toHexString(v);
    }

    private static String ip6Text(long hi, long lo) {
        byte[] a = new byte[16];
        for (int i = 0; i < 8; i++) {
            a[i] = (byte) (hi >>> (56 - 8 * i));
            a[8 + i] = (byte) (lo >>> (56 - 8 * i));
        }
        try {
            return InetAddress.getByAddress(a).getHostAddress().replaceFirst("(^|:)(0(:|$)){2,}", "::");
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
