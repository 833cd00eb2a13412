package org.jvswitch.netdev.dummy;

import java.io.ByteArrayOutputStream;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jvswitch.api.flow.FlowKey;

/**
 * Builds a packet from what a user types after {@code netdev-dummy/receive}: either hex bytes or
 * a flow in Open vSwitch's datapath syntax, e.g.
 * {@code in_port(1),eth(src=50:54:00:00:00:01,dst=50:54:00:00:00:02),eth_type(0x0800),ipv4(src=10.0.0.1,dst=10.0.0.2,proto=17,tos=0,ttl=64,frag=no),udp(src=1000,dst=2000)}.
 * A flow becomes a minimal well-formed frame with valid IPv4 checksums, padded to the requested length.
 */
final class PacketSpec {
    static final int ETH_HEADER_LEN = 14;
    static final int ETH_TOTAL_MIN = 60;

    private PacketSpec() {
    }

    /** Parses hex bytes (white space allowed); null if {@code s} is not hex or too short for Ethernet. */
    static byte[] fromHex(String s) {
        String hex = s.replaceAll("\\s+", "");
        if (hex.isEmpty() || hex.length() % 2 != 0 || !hex.matches("[0-9a-fA-F]+")) {
            return null;
        }
        byte[] out = new byte[hex.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
        }
        return out.length < ETH_HEADER_LEN ? null : out;
    }

    /**
     * Composes a frame from a datapath flow string.
     *
     * @param size the frame length wanted, or 0 for the default minimum (64 bytes)
     * @throws IllegalArgumentException with the text Open vSwitch would reply ("syntax error at ...")
     */
    static byte[] fromFlow(String s, int size) {
        Map<String, String> attrs = parse(s.trim());
        long src = mac(attrs, "eth", "src");
        long dst = mac(attrs, "eth", "dst");
        if (!attrs.containsKey("eth")) {
            throw new IllegalArgumentException("syntax error at " + s + " (no eth())");
        }
        int ethType = attrs.containsKey("eth_type") ? parseInt(attrs.get("eth_type")) : 0;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        putMac(out, dst);
        putMac(out, src);
        if (attrs.containsKey("vlan")) {
            Map<String, String> v = fields(attrs.get("vlan"));
            int tci = (parseInt(v.getOrDefault("vid", "0")) & 0xfff) | (parseInt(v.getOrDefault("pcp", "0")) << 13);
            put16(out, FlowKey.ETH_TYPE_VLAN);
            put16(out, tci);
            if (attrs.containsKey("encap.eth_type")) {
                ethType = parseInt(attrs.get("encap.eth_type"));
            } else if (ethType == FlowKey.ETH_TYPE_VLAN) {
                ethType = 0;
            }
        }
        if (ethType == 0) {
            throw new IllegalArgumentException("syntax error at " + s + " (no eth_type())");
        }
        put16(out, ethType);
        switch (ethType) {
            case FlowKey.ETH_TYPE_IP -> ipv4(out, attrs);
            case FlowKey.ETH_TYPE_IPV6 -> ipv6(out, attrs);
            case FlowKey.ETH_TYPE_ARP -> arp(out, attrs);
            default -> { }
        }
        byte[] frame = out.toByteArray();
        int want = size == 0 ? 64 : size;
        if (frame.length > want && size != 0) {
            throw new IllegalArgumentException("packet of " + frame.length + " bytes does not fit --len " + size);
        }
        if (frame.length < want) {
            byte[] padded = new byte[want];
            System.arraycopy(frame, 0, padded, 0, frame.length);
            fixLengths(padded, frame.length);
            frame = padded;
        }
        fixL4Checksum(frame);
        return frame;
    }

    /**
     * Fills the TCP, UDP, ICMP or ICMPv6 checksum of an IP frame (over its padding too, which the
     * lengths cover), as Open vSwitch's flow_compose does; a later fragment has none to fill.
     */
    private static void fixL4Checksum(byte[] frame) {
        int off = 12;
        int type = ((frame[off] & 0xff) << 8) | (frame[off + 1] & 0xff);
        while (type == FlowKey.ETH_TYPE_VLAN || type == 0x88a8) {
            off += 4;
            type = ((frame[off] & 0xff) << 8) | (frame[off + 1] & 0xff);
        }
        off += 2;
        int proto;
        int l4;
        int l4len;
        long pseudo = 0;
        if (type == FlowKey.ETH_TYPE_IP && frame.length >= off + 20) {
            int ihl = (frame[off] & 0x0f) * 4;
            if ((((frame[off + 6] & 0x1f) << 8) | (frame[off + 7] & 0xff)) != 0) {
                return;
            }
            proto = frame[off + 9] & 0xff;
            l4 = off + ihl;
            l4len = (((frame[off + 2] & 0xff) << 8) | (frame[off + 3] & 0xff)) - ihl;
            if (proto != 1) {
                pseudo = sum16(frame, off + 12, 8) + proto + l4len;
            }
        } else if (type == FlowKey.ETH_TYPE_IPV6 && frame.length >= off + 40) {
            proto = frame[off + 6] & 0xff;
            l4 = off + 40;
            l4len = ((frame[off + 4] & 0xff) << 8) | (frame[off + 5] & 0xff);
            pseudo = sum16(frame, off + 8, 32) + proto + l4len;
        } else {
            return;
        }
        int at = switch (proto) {
            case 6 -> 16;
            case 17 -> 6;
            case 1, 58 -> 2;
            default -> -1;
        };
        if (at < 0 || l4len < at + 2 || l4 + l4len > frame.length) {
            return;
        }
        frame[l4 + at] = 0;
        frame[l4 + at + 1] = 0;
        int csum = fold(pseudo + sum16(frame, l4, l4len));
        if (csum == 0 && proto == 17) {
            csum = 0xffff;                            // UDP: 0 means "no checksum"
        }
        frame[l4 + at] = (byte) (csum >>> 8);
        frame[l4 + at + 1] = (byte) csum;
    }

    /** The plain sum of the 16-bit words of {@code len} bytes (an odd last byte padded with zero). */
    private static long sum16(byte[] b, int off, int len) {
        long sum = 0;
        for (int i = 0; i + 1 < len; i += 2) {
            sum += ((b[off + i] & 0xff) << 8) | (b[off + i + 1] & 0xff);
        }
        if ((len & 1) != 0) {
            sum += (b[off + len - 1] & 0xff) << 8;
        }
        return sum;
    }

    /** Splits "a(x),b(y),encap(c(z))" into {a: x, b: y, encap.c: z}; throws on unbalanced text. */
    private static Map<String, String> parse(String s) {
        Map<String, String> out = new LinkedHashMap<>();
        parseInto(s, "", out);
        return out;
    }

    private static void parseInto(String s, String prefix, Map<String, String> out) {
        int i = 0;
        while (i < s.length()) {
            int open = s.indexOf('(', i);
            if (open < 0) {
                throw new IllegalArgumentException("syntax error at " + s.substring(i));
            }
            String name = s.substring(i, open).trim();
            if (name.startsWith(",")) {
                name = name.substring(1).trim();
            }
            if (name.isEmpty() || !name.matches("[a-z0-9_]+")) {
                throw new IllegalArgumentException("syntax error at " + s.substring(i));
            }
            int depth = 0;
            int close = -1;
            for (int j = open; j < s.length(); j++) {
                char c = s.charAt(j);
                if (c == '(') {
                    depth++;
                } else if (c == ')' && --depth == 0) {
                    close = j;
                    break;
                }
            }
            if (close < 0) {
                throw new IllegalArgumentException("syntax error at " + s.substring(i));
            }
            String body = s.substring(open + 1, close);
            if (name.equals("encap")) {
                parseInto(body, "encap.", out);
            } else {
                out.put(prefix + name, body);
            }
            i = close + 1;
            while (i < s.length() && (s.charAt(i) == ',' || s.charAt(i) == ' ')) {
                i++;
            }
        }
    }

    private static Map<String, String> fields(String body) {
        Map<String, String> out = new LinkedHashMap<>();
        if (body.isBlank()) {
            return out;
        }
        for (String kv : body.split(",")) {
            int eq = kv.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("syntax error at " + kv);
            }
            String v = kv.substring(eq + 1).trim();
            int slash = v.indexOf('/');  // masks are accepted and ignored, as a packet has no mask
            out.put(kv.substring(0, eq).trim(), slash > 0 && !v.contains(":") ? v.substring(0, slash) : v);
        }
        return out;
    }

    private static String encapAware(Map<String, String> attrs, String name) {
        String v = attrs.get("encap." + name);
        return v != null ? v : attrs.get(name);
    }

    private static long mac(Map<String, String> attrs, String attr, String field) {
        String body = attrs.get(attr);
        if (body == null) {
            return 0;
        }
        String v = fields(body).get(field);
        if (v == null) {
            return 0;
        }
        try {
            return FlowKey.parseMac(v);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("syntax error at " + v + " (invalid Ethernet address)");
        }
    }

    private static int parseInt(String v) {
        try {
            v = v.trim();
            return v.startsWith("0x") || v.startsWith("0X") ? Integer.parseInt(v.substring(2), 16) : Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("syntax error at " + v + " (bad number)");
        }
    }

    private static int ipv4Addr(String v) {
        String[] p = v.split("\\.");
        if (p.length != 4) {
            throw new IllegalArgumentException("syntax error at " + v + " (invalid IPv4 address)");
        }
        int a = 0;
        for (String part : p) {
            int b = parseInt(part);
            if (b < 0 || b > 255) {
                throw new IllegalArgumentException("syntax error at " + v + " (invalid IPv4 address)");
            }
            a = (a << 8) | b;
        }
        return a;
    }

    private static void ipv4(ByteArrayOutputStream out, Map<String, String> attrs) {
        String body = encapAware(attrs, "ipv4");
        Map<String, String> f = body == null ? Map.of() : fields(body);
        int proto = parseInt(f.getOrDefault("proto", "0"));
        String frag = f.getOrDefault("frag", "no");
        byte[] l4 = l4(attrs, proto, !frag.equals("later"));
        int start = out.size();
        out.write(0x45);
        out.write(parseInt(f.getOrDefault("tos", "0")));
        put16(out, 20 + l4.length);
        put16(out, 0);
        put16(out, frag.equals("first") ? 0x2000 : frag.equals("later") ? 0x0001 : 0);
        out.write(parseInt(f.getOrDefault("ttl", "64")));
        out.write(proto);
        put16(out, 0);
        put32(out, ipv4Addr(f.getOrDefault("src", "0.0.0.0")));
        put32(out, ipv4Addr(f.getOrDefault("dst", "0.0.0.0")));
        byte[] all = out.toByteArray();
        int csum = checksum(all, start, 20);
        out.reset();
        out.write(all, 0, start + 10);
        put16(out, csum);
        out.write(all, start + 12, all.length - start - 12);
        out.writeBytes(l4);
    }

    private static void ipv6(ByteArrayOutputStream out, Map<String, String> attrs) {
        String body = encapAware(attrs, "ipv6");
        Map<String, String> f = body == null ? Map.of() : fields(body);
        int proto = parseInt(f.getOrDefault("proto", "59"));
        byte[] l4 = l4(attrs, proto, true);
        put32(out, (6 << 28) | (parseInt(f.getOrDefault("tclass", "0")) << 20));
        put16(out, l4.length);
        out.write(proto);
        out.write(parseInt(f.getOrDefault("hlimit", "64")));
        out.writeBytes(ipv6Addr(f.getOrDefault("src", "::")));
        out.writeBytes(ipv6Addr(f.getOrDefault("dst", "::")));
        out.writeBytes(l4);
    }

    private static byte[] ipv6Addr(String v) {
        try {
            InetAddress a = InetAddress.getByName(v.contains(":") ? v : "invalid:" + v);
            if (a instanceof Inet6Address) {
                return a.getAddress();
            }
        } catch (UnknownHostException | SecurityException e) {
            // fall through
        }
        throw new IllegalArgumentException("syntax error at " + v + " (invalid IPv6 address)");
    }

    private static byte[] l4(Map<String, String> attrs, int proto, boolean withHeader) {
        ByteArrayOutputStream l4 = new ByteArrayOutputStream();
        if (!withHeader) {
            return l4.toByteArray();
        }
        switch (proto) {
            case 6 -> {
                Map<String, String> f = fields(orEmpty(encapAware(attrs, "tcp")));
                put16(l4, parseInt(f.getOrDefault("src", "0")));
                put16(l4, parseInt(f.getOrDefault("dst", "0")));
                put32(l4, 0);
                put32(l4, 0);
                int flags = attrs.containsKey("tcp_flags") ? tcpFlags(attrs.get("tcp_flags")) : 0;
                put16(l4, (5 << 12) | flags);
                put16(l4, 0);
                put32(l4, 0);
            }
            case 17 -> {
                Map<String, String> f = fields(orEmpty(encapAware(attrs, "udp")));
                put16(l4, parseInt(f.getOrDefault("src", "0")));
                put16(l4, parseInt(f.getOrDefault("dst", "0")));
                put16(l4, 8);
                put16(l4, 0);
            }
            case 1, 58 -> {
                Map<String, String> f = fields(orEmpty(encapAware(attrs, proto == 1 ? "icmp" : "icmpv6")));
                l4.write(parseInt(f.getOrDefault("type", "0")));
                l4.write(parseInt(f.getOrDefault("code", "0")));
                put16(l4, 0);
                put32(l4, 0);
            }
            default -> { }
        }
        return l4.toByteArray();
    }

    private static int tcpFlags(String s) {
        int flags = 0;
        String[] names = {"fin", "syn", "rst", "psh", "ack", "urg", "ece", "cwr", "ns"};
        for (int i = 0; i < names.length; i++) {
            if (s.toLowerCase().contains(names[i])) {
                flags |= 1 << i;
            }
        }
        return s.startsWith("0x") ? parseInt(s) : flags;
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    private static void arp(ByteArrayOutputStream out, Map<String, String> attrs) {
        Map<String, String> f = fields(orEmpty(encapAware(attrs, "arp")));
        put16(out, 1);
        put16(out, FlowKey.ETH_TYPE_IP);
        out.write(6);
        out.write(4);
        put16(out, parseInt(f.getOrDefault("op", "1")));
        putMac(out, f.containsKey("sha") ? FlowKey.parseMac(f.get("sha")) : 0);
        put32(out, ipv4Addr(f.getOrDefault("sip", "0.0.0.0")));
        putMac(out, f.containsKey("tha") ? FlowKey.parseMac(f.get("tha")) : 0);
        put32(out, ipv4Addr(f.getOrDefault("tip", "0.0.0.0")));
    }

    /** After padding an IP packet, make the IP (and UDP) lengths cover the padding, as OVS's packet_expand. */
    private static void fixLengths(byte[] frame, int oldLen) {
        int off = 12;
        int type = ((frame[off] & 0xff) << 8) | (frame[off + 1] & 0xff);
        if (type == FlowKey.ETH_TYPE_VLAN) {
            off += 4;
            type = ((frame[off] & 0xff) << 8) | (frame[off + 1] & 0xff);
        }
        off += 2;
        int extra = frame.length - oldLen;
        if (type == FlowKey.ETH_TYPE_IP && oldLen >= off + 20) {
            int total = (((frame[off + 2] & 0xff) << 8) | (frame[off + 3] & 0xff)) + extra;
            frame[off + 2] = (byte) (total >>> 8);
            frame[off + 3] = (byte) total;
            frame[off + 10] = 0;
            frame[off + 11] = 0;
            int csum = checksum(frame, off, 20);
            frame[off + 10] = (byte) (csum >>> 8);
            frame[off + 11] = (byte) csum;
            if ((frame[off + 9] & 0xff) == 17 && oldLen >= off + 28) {
                int ulen = (((frame[off + 24] & 0xff) << 8) | (frame[off + 25] & 0xff)) + extra;
                frame[off + 24] = (byte) (ulen >>> 8);
                frame[off + 25] = (byte) ulen;
            }
        } else if (type == FlowKey.ETH_TYPE_IPV6 && oldLen >= off + 40) {
            int plen = (((frame[off + 4] & 0xff) << 8) | (frame[off + 5] & 0xff)) + extra;
            frame[off + 4] = (byte) (plen >>> 8);
            frame[off + 5] = (byte) plen;
        }
    }

    /** The Internet checksum of {@code len} bytes at {@code off} (RFC 1071). */
    static int checksum(byte[] b, int off, int len) {
        return fold(sum16(b, off, len));
    }

    /** A 16-bit word sum folded to 16 bits and inverted: the checksum field's value. */
    private static int fold(long sum) {
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) (~sum & 0xffff);
    }

    private static void putMac(ByteArrayOutputStream out, long mac) {
        for (int i = 5; i >= 0; i--) {
            out.write((int) (mac >>> (i * 8)));
        }
    }

    private static void put16(ByteArrayOutputStream out, int v) {
        out.write(v >>> 8);
        out.write(v);
    }

    private static void put32(ByteArrayOutputStream out, int v) {
        put16(out, v >>> 16);
        put16(out, v);
    }

    /** Formats bytes as lowercase hex without separators (what the capture commands print). */
    static String toHex(byte[] b) {
        StringBuilder sb = new StringBuilder(b.length * 2);
        for (byte x : b) {
            sb.append(Character.forDigit((x >>> 4) & 0xf, 16)).append(Character.forDigit(x & 0xf, 16));
        }
        return sb.toString();
    }
}
