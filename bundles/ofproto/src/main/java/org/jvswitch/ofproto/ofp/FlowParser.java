package org.jvswitch.ofproto.ofp;

import java.util.Locale;
import java.util.function.ToIntFunction;

import org.jvswitch.api.flow.FlowKey;

/**
 * Reads a flow in Open vSwitch's OpenFlow syntax ({@code in_port=1,tcp,nw_dst=10.0.0.1,tp_dst=80},
 * as ovs-fields(7) names the fields) into a pipeline key, for ofproto/trace. Every field not
 * given is zero, as in Open vSwitch's trace. Errors are {@link IllegalArgumentException}s whose
 * message is what the user reads.
 */
public final class FlowParser {
    private FlowParser() {
    }

    /**
     * Parses {@code text}; {@code portByName} maps a port name to its OpenFlow number (or -1), for
     * {@code in_port=p1}.
     */
    public static long[] parse(String text, ToIntFunction<String> portByName) {
        long[] v = new long[OfField.WORDS];
        for (String item : text.split(",")) {
            String t = item.trim();
            if (t.isEmpty()) {
                continue;
            }
            int eq = t.indexOf('=');
            String name = (eq < 0 ? t : t.substring(0, eq)).trim().toLowerCase(Locale.ROOT);
            String value = eq < 0 ? null : t.substring(eq + 1).trim();
            if (value == null) {
                shorthand(v, name);
            } else {
                field(v, name, value, portByName);
            }
        }
        return v;
    }

    private static void setType(long[] v, int type) {
        v[0] = (v[0] & ~0xffff0000L) | ((long) type << 16);
    }

    private static void setProto(long[] v, int proto) {
        v[4] = (v[4] & ~(0xffL << 56)) | ((long) proto << 56);
    }

    private static void shorthand(long[] v, String name) {
        switch (name) {
            case "ip", "ipv4" -> setType(v, FlowKey.ETH_TYPE_IP);
            case "ipv6" -> setType(v, FlowKey.ETH_TYPE_IPV6);
            case "arp" -> setType(v, FlowKey.ETH_TYPE_ARP);
            case "rarp" -> setType(v, 0x8035);
            case "icmp" -> { setType(v, FlowKey.ETH_TYPE_IP); setProto(v, 1); }
            case "tcp" -> { setType(v, FlowKey.ETH_TYPE_IP); setProto(v, 6); }
            case "udp" -> { setType(v, FlowKey.ETH_TYPE_IP); setProto(v, 17); }
            case "sctp" -> { setType(v, FlowKey.ETH_TYPE_IP); setProto(v, 132); }
            case "icmp6" -> { setType(v, FlowKey.ETH_TYPE_IPV6); setProto(v, 58); }
            case "tcp6" -> { setType(v, FlowKey.ETH_TYPE_IPV6); setProto(v, 6); }
            case "udp6" -> { setType(v, FlowKey.ETH_TYPE_IPV6); setProto(v, 17); }
            case "sctp6" -> { setType(v, FlowKey.ETH_TYPE_IPV6); setProto(v, 132); }
            case "eth" -> { }
            default -> throw new IllegalArgumentException(name + ": unknown field or protocol (see ovs-fields(7))");
        }
    }

    private static void field(long[] v, String name, String value, ToIntFunction<String> portByName) {
        switch (name) {
            case "in_port" -> {
                int port = port(value, portByName);
                v[0] = (v[0] & 0xffffffffL) | ((long) port << 32);
            }
            case "dl_src", "eth_src" -> OfField.ETH_SRC.setMasked(v, 0, FlowKey.parseMac(value), 0, -1L);
            case "dl_dst", "eth_dst" -> OfField.ETH_DST.setMasked(v, 0, FlowKey.parseMac(value), 0, -1L);
            case "dl_type", "eth_type" -> setType(v, (int) number(value));
            case "dl_vlan" -> {
                long tci = (v[0] & 0xe000) | (number(value) & 0xfff) | FlowKey.VLAN_CFI;
                v[0] = (v[0] & ~0xffffL) | tci;
            }
            case "dl_vlan_pcp", "vlan_pcp" -> {
                long tci = (v[0] & 0x0fff) | ((number(value) & 7) << 13) | FlowKey.VLAN_CFI;
                v[0] = (v[0] & ~0xffffL) | tci;
            }
            case "vlan_tci" -> v[0] = (v[0] & ~0xffffL) | (number(value) & 0xffff);
            case "vlan_vid" -> v[0] = (v[0] & ~0x1fffL) | (number(value) & 0x1fff);
            case "nw_src", "ip_src" -> OfField.IPV4_SRC.setMasked(v, 0, ipv4(value), 0, -1L);
            case "nw_dst", "ip_dst" -> OfField.IPV4_DST.setMasked(v, 0, ipv4(value), 0, -1L);
            case "arp_spa" -> OfField.ARP_SPA.setMasked(v, 0, ipv4(value), 0, -1L);
            case "arp_tpa" -> OfField.ARP_TPA.setMasked(v, 0, ipv4(value), 0, -1L);
            case "arp_sha" -> OfField.ARP_SHA.setMasked(v, 0, FlowKey.parseMac(value), 0, -1L);
            case "arp_tha" -> OfField.ARP_THA.setMasked(v, 0, FlowKey.parseMac(value), 0, -1L);
            case "nd_sll", "nd_tll" -> OfField.ND_SLL.setMasked(v, 0, FlowKey.parseMac(value), 0, -1L);
            case "nw_proto", "ip_proto", "arp_op" -> setProto(v, (int) number(value));
            case "nw_tos" -> v[4] = (v[4] & ~(0xfcL << 48)) | ((number(value) & 0xfc) << 48);
            case "ip_dscp" -> v[4] = (v[4] & ~(0xfcL << 48)) | ((number(value) & 0x3f) << 50);
            case "nw_ecn", "ip_ecn" -> v[4] = (v[4] & ~(0x3L << 48)) | ((number(value) & 3) << 48);
            case "nw_ttl" -> v[4] = (v[4] & ~(0xffL << 40)) | ((number(value) & 0xff) << 40);
            case "nw_frag", "ip_frag" -> {
                int frag = switch (value) {
                    case "no" -> 0;
                    case "first", "yes" -> FlowKey.FRAG_ANY;
                    case "later" -> FlowKey.FRAG_ANY | FlowKey.FRAG_LATER;
                    default -> throw new IllegalArgumentException(value + ": unknown fragment type");
                };
                v[4] = (v[4] & ~(0xffL << 32)) | ((long) frag << 32);
            }
            case "tp_src", "tcp_src", "udp_src", "sctp_src", "icmp_type", "icmpv6_type" ->
                    v[4] = (v[4] & ~(0xffffL << 16)) | ((number(value) & 0xffff) << 16);
            case "tp_dst", "tcp_dst", "udp_dst", "sctp_dst", "icmp_code", "icmpv6_code" ->
                    v[4] = (v[4] & ~0xffffL) | (number(value) & 0xffff);
            case "tcp_flags" -> v[9] = (v[9] & ~0xfffL) | (number(value) & 0xfff);
            case "ipv6_src" -> ipv6(v, 5, value);
            case "ipv6_dst" -> ipv6(v, 7, value);
            case "nd_target" -> ipv6(v, 11, value);
            case "ipv6_label" -> v[10] = (v[10] & ~0xfffffL) | (number(value) & 0xfffff);
            case "metadata" -> v[OfField.METADATA_WORD] = number(value);
            case "pkt_mark" -> OfField.PKT_MARK.setMasked(v, 0, number(value), 0, -1L);
            default -> {
                if (name.matches("reg([0-9]|1[0-5])")) {
                    OfField.valueOf(name.toUpperCase(Locale.ROOT)).setMasked(v, 0, number(value), 0, 0xffffffffL);
                } else if (name.matches("xreg[0-7]")) {
                    v[OfField.XREG_WORD + (name.charAt(4) - '0')] = number(value);
                } else {
                    throw new IllegalArgumentException(name + ": unknown field (see ovs-fields(7))");
                }
            }
        }
    }

    private static int port(String value, ToIntFunction<String> portByName) {
        switch (value.toUpperCase(Locale.ROOT)) {
            case "LOCAL":
                return OfAction.LOCAL;
            case "IN_PORT":
                return OfAction.IN_PORT;
            default:
                break;
        }
        try {
            return (int) number(value);
        } catch (IllegalArgumentException e) {
            int p = portByName.applyAsInt(value);
            if (p < 0) {
                throw new IllegalArgumentException(value + ": unknown port");
            }
            return p;
        }
    }

    private static long number(String s) {
        try {
            String t = s.trim();
            int slash = t.indexOf('/');
            if (slash >= 0) {
                t = t.substring(0, slash);
            }
            if (t.startsWith("0x") || t.startsWith("0X")) {
                return Long.parseUnsignedLong(t.substring(2), 16);
            }
            return Long.parseLong(t);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(s + ": invalid number");
        }
    }

    private static long ipv4(String s) {
        String[] p = s.split("/")[0].split("\\.");
        if (p.length != 4) {
            throw new IllegalArgumentException(s + ": invalid IP address");
        }
        long ip = 0;
        for (String b : p) {
            int x;
            try {
                x = Integer.parseInt(b);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(s + ": invalid IP address");
            }
            if (x < 0 || x > 255) {
                throw new IllegalArgumentException(s + ": invalid IP address");
            }
            ip = (ip << 8) | x;
        }
        return ip;
    }

    private static void ipv6(long[] v, int word, String s) {
        byte[] a;
        try {
            java.net.InetAddress addr = java.net.InetAddress.ofLiteral(s.split("/")[0]);
            a = addr.getAddress();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(s + ": invalid IPv6 address");
        }
        if (a.length != 16) {
            throw new IllegalArgumentException(s + ": invalid IPv6 address");
        }
        long hi = 0;
        long lo = 0;
        for (int i = 0; i < 8; i++) {
            hi = (hi << 8) | (a[i] & 0xff);
            lo = (lo << 8) | (a[8 + i] & 0xff);
        }
        v[word] = hi;
        v[word + 1] = lo;
    }
}
