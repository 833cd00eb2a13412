package org.jvswitch.ofproto.ofp;

import java.util.HashMap;
import java.util.Map;

/**
 * The fields OpenFlow rules match on and actions write (Open vSwitch's {@code meta-flow}), each
 * mapped onto bits of the pipeline key: the datapath's {@link org.jvswitch.api.flow.FlowKey} words
 * followed by the OpenFlow-only words {@link #METADATA_WORD} and the registers ({@link #XREG_WORD}
 * + n holds reg(2n) in its high and reg(2n+1) in its low half, as xreg n in Open vSwitch).
 *
 * <p>{@code nxm} is the header ovs-ofctl uses in NXM (OpenFlow 1.0) messages, {@code oxm} the
 * one in OXM (1.2+) messages; either may be 0. A 128-bit field uses words {@code word} (high) and
 * {@code word + 1}.
 */
public enum OfField {
    IN_PORT("in_port", 0x00000002, 0x80000004, 2, 0, 32, 16, Prereq.NONE),
    METADATA("metadata", 0, 0x80000408, 8, 14, 0, 64, Prereq.NONE),
    REG0("reg0", 0x00010004, 0, 4, 15, 32, 32, Prereq.NONE),
    REG1("reg1", 0x00010204, 0, 4, 15, 0, 32, Prereq.NONE),
    REG2("reg2", 0x00010404, 0, 4, 16, 32, 32, Prereq.NONE),
    REG3("reg3", 0x00010604, 0, 4, 16, 0, 32, Prereq.NONE),
    REG4("reg4", 0x00010804, 0, 4, 17, 32, 32, Prereq.NONE),
    REG5("reg5", 0x00010a04, 0, 4, 17, 0, 32, Prereq.NONE),
    REG6("reg6", 0x00010c04, 0, 4, 18, 32, 32, Prereq.NONE),
    REG7("reg7", 0x00010e04, 0, 4, 18, 0, 32, Prereq.NONE),
    REG8("reg8", 0x00011004, 0, 4, 19, 32, 32, Prereq.NONE),
    REG9("reg9", 0x00011204, 0, 4, 19, 0, 32, Prereq.NONE),
    REG10("reg10", 0x00011404, 0, 4, 20, 32, 32, Prereq.NONE),
    REG11("reg11", 0x00011604, 0, 4, 20, 0, 32, Prereq.NONE),
    REG12("reg12", 0x00011804, 0, 4, 21, 32, 32, Prereq.NONE),
    REG13("reg13", 0x00011a04, 0, 4, 21, 0, 32, Prereq.NONE),
    REG14("reg14", 0x00011c04, 0, 4, 22, 32, 32, Prereq.NONE),
    REG15("reg15", 0x00011e04, 0, 4, 22, 0, 32, Prereq.NONE),
    XREG0("xreg0", 0, 0x80010008, 8, 15, 0, 64, Prereq.NONE),
    XREG1("xreg1", 0, 0x80010208, 8, 16, 0, 64, Prereq.NONE),
    XREG2("xreg2", 0, 0x80010408, 8, 17, 0, 64, Prereq.NONE),
    XREG3("xreg3", 0, 0x80010608, 8, 18, 0, 64, Prereq.NONE),
    XREG4("xreg4", 0, 0x80010808, 8, 19, 0, 64, Prereq.NONE),
    XREG5("xreg5", 0, 0x80010a08, 8, 20, 0, 64, Prereq.NONE),
    XREG6("xreg6", 0, 0x80010c08, 8, 21, 0, 64, Prereq.NONE),
    XREG7("xreg7", 0, 0x80010e08, 8, 22, 0, 64, Prereq.NONE),
    PKT_MARK("pkt_mark", 0x00014204, 0, 4, 10, 32, 32, Prereq.NONE),
    ETH_SRC("eth_src", 0x00000406, 0x80000806, 6, 2, 0, 48, Prereq.NONE),
    ETH_DST("eth_dst", 0x00000206, 0x80000606, 6, 1, 0, 48, Prereq.NONE),
    ETH_TYPE("eth_type", 0x00000602, 0x80000a02, 2, 0, 16, 16, Prereq.NONE),
    VLAN_TCI("vlan_tci", 0x00000802, 0, 2, 0, 0, 16, Prereq.NONE),
    VLAN_VID("vlan_vid", 0, 0x80000c02, 2, 0, 0, 13, Prereq.NONE),
    VLAN_PCP("vlan_pcp", 0, 0x80000e01, 1, 0, 13, 3, Prereq.VLAN),
    IP_TOS("nw_tos", 0x00000a01, 0, 1, 4, 48, 8, Prereq.IP_ANY),
    IP_DSCP("ip_dscp", 0, 0x80001001, 1, 4, 50, 6, Prereq.IP_ANY),
    IP_ECN("nw_ecn", 0x00013801, 0x80001201, 1, 4, 48, 2, Prereq.IP_ANY),
    IP_PROTO("nw_proto", 0x00000c01, 0x80001401, 1, 4, 56, 8, Prereq.IP_ANY),
    IP_TTL("nw_ttl", 0x00013a01, 0, 1, 4, 40, 8, Prereq.IP_ANY),
    IP_FRAG("ip_frag", 0x00013401, 0, 1, 4, 32, 8, Prereq.IP_ANY),
    IPV4_SRC("ip_src", 0x00000e04, 0x80001604, 4, 3, 32, 32, Prereq.IPV4),
    IPV4_DST("ip_dst", 0x00001004, 0x80001804, 4, 3, 0, 32, Prereq.IPV4),
    IPV6_SRC("ipv6_src", 0x00012610, 0x80003410, 16, 5, 0, 128, Prereq.IPV6),
    IPV6_DST("ipv6_dst", 0x00012810, 0x80003610, 16, 7, 0, 128, Prereq.IPV6),
    IPV6_LABEL("ipv6_label", 0x00013604, 0x80003804, 4, 10, 0, 20, Prereq.IPV6),
    ARP_OP("arp_op", 0x00001e02, 0x80002a02, 2, 4, 56, 8, Prereq.ARP),
    ARP_SPA("arp_spa", 0x00002004, 0x80002c04, 4, 3, 32, 32, Prereq.ARP),
    ARP_TPA("arp_tpa", 0x00002204, 0x80002e04, 4, 3, 0, 32, Prereq.ARP),
    ARP_SHA("arp_sha", 0x00012206, 0x80003006, 6, 5, 0, 48, Prereq.ARP),
    ARP_THA("arp_tha", 0x00012406, 0x80003206, 6, 6, 0, 48, Prereq.ARP),
    TCP_SRC("tcp_src", 0x00001202, 0x80001a02, 2, 4, 16, 16, Prereq.TCP),
    TCP_DST("tcp_dst", 0x00001402, 0x80001c02, 2, 4, 0, 16, Prereq.TCP),
    TCP_FLAGS("tcp_flags", 0x00014402, 0, 2, 9, 0, 12, Prereq.TCP),
    UDP_SRC("udp_src", 0x00001602, 0x80001e02, 2, 4, 16, 16, Prereq.UDP),
    UDP_DST("udp_dst", 0x00001802, 0x80002002, 2, 4, 0, 16, Prereq.UDP),
    SCTP_SRC("sctp_src", 0, 0x80002202, 2, 4, 16, 16, Prereq.SCTP),
    SCTP_DST("sctp_dst", 0, 0x80002402, 2, 4, 0, 16, Prereq.SCTP),
    ICMP_TYPE("icmp_type", 0x00001a01, 0x80002601, 1, 4, 16, 8, Prereq.ICMP),
    ICMP_CODE("icmp_code", 0x00001c01, 0x80002801, 1, 4, 0, 8, Prereq.ICMP),
    ICMPV6_TYPE("icmpv6_type", 0x00012a01, 0x80003a01, 1, 4, 16, 8, Prereq.ICMPV6),
    ICMPV6_CODE("icmpv6_code", 0x00012c01, 0x80003c01, 1, 4, 0, 8, Prereq.ICMPV6),
    ND_TARGET("nd_target", 0x00012e10, 0x80003e10, 16, 11, 0, 128, Prereq.ND),
    ND_SLL("nd_sll", 0x00013006, 0x80004006, 6, 13, 0, 48, Prereq.ND_SOLICIT),
    ND_TLL("nd_tll", 0x00013206, 0x80004206, 6, 13, 0, 48, Prereq.ND_ADVERT);

    /** Pipeline key words: the datapath key, metadata, eight 64-bit register words. */
    public static final int WORDS = 23;
    public static final int METADATA_WORD = 14;
    public static final int XREG_WORD = 15;
    /** ONF's experimenter id, under which OpenFlow 1.3 carries tcp_flags. */
    static final int ONF_EXPERIMENTER = 0x4f4e4600;
    /** tcp_flags as an OpenFlow 1.3 experimenter OXM (class 0xffff, field 42; the length counts the experimenter id). */
    static final int ONF_TCP_FLAGS = 0xffff5406;

    /** What the packet must be for the field to mean anything. */
    public enum Prereq { NONE, VLAN, IP_ANY, IPV4, IPV6, ARP, TCP, UDP, SCTP, ICMP, ICMPV6, ND, ND_SOLICIT, ND_ADVERT }

    public final String fieldName;
    public final int nxm;
    public final int oxm;
    /** Bytes of the field's value on the wire. */
    public final int wireBytes;
    public final int word;
    public final int shift;
    /** Bits kept in the key (a value with more bits set on the wire is refused). */
    public final int bits;
    public final Prereq prereq;

    OfField(String name, int nxm, int oxm, int wireBytes, int word, int shift, int bits, Prereq prereq) {
        this.fieldName = name;
        this.nxm = nxm;
        this.oxm = oxm;
        this.wireBytes = wireBytes;
        this.word = word;
        this.shift = shift;
        this.bits = bits;
        this.prereq = prereq;
    }

    private static final Map<Integer, OfField> BY_HEADER = new HashMap<>();

    static {
        for (OfField f : values()) {
            if (f.nxm != 0) {
                BY_HEADER.put(f.nxm & ~0x1ff, f);
            }
            if (f.oxm != 0) {
                BY_HEADER.put(f.oxm & ~0x1ff, f);
            }
        }
        BY_HEADER.put(ONF_TCP_FLAGS & ~0x1ff, TCP_FLAGS);
    }

    /** The field of an NXM/OXM header (class and field; has-mask and length ignored), or null. */
    public static OfField byHeader(int header) {
        return BY_HEADER.get(header & ~0x1ff);
    }

    /** Bytes of the value under {@code header} (in_port is 2 in NXM, 4 in OXM). */
    public int width(int header) {
        int base = header & ~0x1ff;
        if (oxm != 0 && base == (oxm & ~0x1ff)) {
            return oxm & 0xff;
        }
        if (nxm != 0 && base == (nxm & ~0x1ff)) {
            return nxm & 0xff;
        }
        return wireBytes;
    }

    public boolean wide() {
        return bits > 64;
    }

    /** The field's mask within its word (for fields of 64 bits or fewer). */
    public long wordMask() {
        return bits == 64 ? -1L : ((1L << bits) - 1) << shift;
    }

    /** The field's value in {@code key} (low 64 bits for a 128-bit field). */
    public long get(long[] key) {
        if (wide()) {
            return key[word + 1];
        }
        return bits == 64 ? key[word] : (key[word] >>> shift) & ((1L << bits) - 1);
    }

    /** The high 64 bits of a 128-bit field; 0 for others. */
    public long getHi(long[] key) {
        return wide() ? key[word] : 0;
    }

    /** Sets the field to {@code v} (low bits beyond {@link #bits} dropped) where {@code m} has ones. */
    public void setMasked(long[] key, long hi, long v, long hiMask, long m) {
        if (wide()) {
            key[word] = (key[word] & ~hiMask) | (hi & hiMask);
            key[word + 1] = (key[word + 1] & ~m) | (v & m);
            return;
        }
        long wm = (m << shift) & wordMask();
        key[word] = (key[word] & ~wm) | ((v << shift) & wm);
    }

    /** ORs {@code hiMask:m} (in field bits) into {@code mask}. */
    public void orMask(long[] mask, long hiMask, long m) {
        if (wide()) {
            mask[word] |= hiMask;
            mask[word + 1] |= m;
        } else {
            mask[word] |= (m << shift) & wordMask();
        }
    }

    /** True if {@code mask} has any bit of this field. */
    public boolean present(long[] mask) {
        if (wide()) {
            return (mask[word] | mask[word + 1]) != 0;
        }
        return (mask[word] & wordMask()) != 0;
    }

    /** The all-ones value of the field's low 64 bits. */
    public long ones() {
        return bits >= 64 ? -1L : (1L << bits) - 1;
    }

    /** True if a match's {@code v}/{@code k} (pipeline key words) meets this field's prerequisite. */
    public boolean prereqOk(long[] v, long[] k) {
        return switch (prereq) {
            case NONE -> true;
            case VLAN -> (k[0] & 0x1000) != 0 && (v[0] & 0x1000) != 0;
            case IP_ANY -> ethIs(v, k, 0x0800) || ethIs(v, k, 0x86dd);
            case IPV4 -> ethIs(v, k, 0x0800);
            case IPV6 -> ethIs(v, k, 0x86dd);
            case ARP -> ethIs(v, k, 0x0806) || ethIs(v, k, 0x8035);
            case TCP -> ipProto(v, k, 6);
            case UDP -> ipProto(v, k, 17);
            case SCTP -> ipProto(v, k, 132);
            case ICMP -> ethIs(v, k, 0x0800) && ipProto(v, k, 1);
            case ICMPV6 -> ethIs(v, k, 0x86dd) && ipProto(v, k, 58);
            case ND -> ethIs(v, k, 0x86dd) && ipProto(v, k, 58) && (icmpType(v, k, 135) || icmpType(v, k, 136));
            case ND_SOLICIT -> ethIs(v, k, 0x86dd) && ipProto(v, k, 58) && icmpType(v, k, 135);
            case ND_ADVERT -> ethIs(v, k, 0x86dd) && ipProto(v, k, 58) && icmpType(v, k, 136);
        };
    }

    private static boolean ethIs(long[] v, long[] k, int type) {
        return ((k[0] >>> 16) & 0xffff) == 0xffff && ((v[0] >>> 16) & 0xffff) == type;
    }

    private static boolean ipProto(long[] v, long[] k, int proto) {
        return (ethIs(v, k, 0x0800) || ethIs(v, k, 0x86dd))
                && ((k[4] >>> 56) & 0xff) == 0xff && ((v[4] >>> 56) & 0xff) == proto;
    }

    private static boolean icmpType(long[] v, long[] k, int type) {
        return ((k[4] >>> 16) & 0xff) == 0xff && ((v[4] >>> 16) & 0xff) == type;
    }
}
