package org.jvswitch.ofproto.ofp;

import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.jvswitch.api.flow.FlowKey;

/**
 * Open vSwitch's text forms of matches ({@code match_format}), flows ({@code flow_format}) and
 * actions ({@code ofpacts_format}) over the pipeline key, for ofproto/trace: the same words and
 * order ovs-ofctl and ovs-appctl print, so a trace reads like one from Open vSwitch.
 */
public final class OfFormat {
    private OfFormat() {
    }

    /** OpenFlow's default priority: match texts leave it out. */
    public static final int DEFAULT_PRIORITY = 0x8000;

    private static final Map<OfField, String> NXM_NAMES = new EnumMap<>(OfField.class);

    static {
        String[][] names = {
            {"IN_PORT", "NXM_OF_IN_PORT"}, {"METADATA", "OXM_OF_METADATA"}, {"PKT_MARK", "NXM_NX_PKT_MARK"},
            {"ETH_SRC", "NXM_OF_ETH_SRC"}, {"ETH_DST", "NXM_OF_ETH_DST"}, {"ETH_TYPE", "NXM_OF_ETH_TYPE"},
            {"VLAN_TCI", "NXM_OF_VLAN_TCI"}, {"VLAN_VID", "OXM_OF_VLAN_VID"}, {"VLAN_PCP", "OXM_OF_VLAN_PCP"},
            {"IP_TOS", "NXM_OF_IP_TOS"}, {"IP_DSCP", "OXM_OF_IP_DSCP"}, {"IP_ECN", "NXM_NX_IP_ECN"},
            {"IP_PROTO", "NXM_OF_IP_PROTO"}, {"IP_TTL", "NXM_NX_IP_TTL"}, {"IP_FRAG", "NXM_NX_IP_FRAG"},
            {"IPV4_SRC", "NXM_OF_IP_SRC"}, {"IPV4_DST", "NXM_OF_IP_DST"}, {"IPV6_SRC", "NXM_NX_IPV6_SRC"},
            {"IPV6_DST", "NXM_NX_IPV6_DST"}, {"IPV6_LABEL", "NXM_NX_IPV6_LABEL"}, {"ARP_OP", "NXM_OF_ARP_OP"},
            {"ARP_SPA", "NXM_OF_ARP_SPA"}, {"ARP_TPA", "NXM_OF_ARP_TPA"}, {"ARP_SHA", "NXM_NX_ARP_SHA"},
            {"ARP_THA", "NXM_NX_ARP_THA"}, {"TCP_SRC", "NXM_OF_TCP_SRC"}, {"TCP_DST", "NXM_OF_TCP_DST"},
            {"TCP_FLAGS", "NXM_NX_TCP_FLAGS"}, {"UDP_SRC", "NXM_OF_UDP_SRC"}, {"UDP_DST", "NXM_OF_UDP_DST"},
            {"SCTP_SRC", "OXM_OF_SCTP_SRC"}, {"SCTP_DST", "OXM_OF_SCTP_DST"}, {"ICMP_TYPE", "NXM_OF_ICMP_TYPE"},
            {"ICMP_CODE", "NXM_OF_ICMP_CODE"}, {"ICMPV6_TYPE", "NXM_NX_ICMPV6_TYPE"},
            {"ICMPV6_CODE", "NXM_NX_ICMPV6_CODE"}, {"ND_TARGET", "NXM_NX_ND_TARGET"}, {"ND_SLL", "NXM_NX_ND_SLL"},
            {"ND_TLL", "NXM_NX_ND_TLL"},
        };
        for (String[] n : names) {
            NXM_NAMES.put(OfField.valueOf(n[0]), n[1]);
        }
        for (int i = 0; i < 16; i++) {
            NXM_NAMES.put(OfField.valueOf("REG" + i), "NXM_NX_REG" + i);
        }
        for (int i = 0; i < 8; i++) {
            NXM_NAMES.put(OfField.valueOf("XREG" + i), "OXM_OF_PKT_REG" + i);
        }
    }

    /** A field's name in load and move actions ({@code NXM_NX_REG0}, {@code NXM_OF_ETH_SRC}, ...). */
    public static String nxmName(OfField f) {
        return NXM_NAMES.get(f);
    }

    // ---- matches and flows ----

    /** {@code match_format}: the match {@code v}/{@code k} (pipeline key words), priority first unless default. */
    public static String match(long[] v, long[] k, int priority) {
        StringBuilder s = new StringBuilder();
        if (priority != DEFAULT_PRIORITY) {
            s.append("priority=").append(priority).append(',');
        }
        formatBody(s, v, k, false);
        return chomp(s);
    }

    /** {@code flow_format}: every field the packet has, leaving out zero registers and metadata. */
    public static String flow(long[] v) {
        StringBuilder s = new StringBuilder();
        formatBody(s, v, packetMask(v), true);
        return chomp(s);
    }

    /** The trace's "Megaflow:" line: recirc_id and packet type, then the datapath match. */
    public static String megaflow(long[] v, long[] k) {
        StringBuilder s = new StringBuilder("recirc_id=0,eth,");
        formatBody(s, v, k, false);
        return chomp(s);
    }

    private static String chomp(StringBuilder s) {
        if (s.length() > 0 && s.charAt(s.length() - 1) == ',') {
            s.setLength(s.length() - 1);
        }
        return s.toString();
    }

    /** The fields a packet of {@code v}'s kind has, as an exact mask (Open vSwitch's match_wc_init). */
    static long[] packetMask(long[] v) {
        long[] k = new long[OfField.WORDS];
        k[OfField.METADATA_WORD] = v[OfField.METADATA_WORD] == 0 ? 0 : -1L;
        for (int r = 0; r < 16; r++) {
            OfField f = OfField.valueOf("REG" + r);
            if (f.get(v) != 0) {
                f.orMask(k, 0, 0xffffffffL);
            }
        }
        if (((v[0] >>> 32) & 0xffff) != 0) {
            k[0] |= 0xffffL << 32;
        }
        k[0] |= 0xffffffffL;                      // dl_type, vlan
        k[1] = k[2] = 0xffffffffffffL;
        k[9] |= 0xffffL << 16;                    // second VLAN header
        int type = (int) (v[0] >>> 16) & 0xffff;
        int proto = (int) (v[4] >>> 56) & 0xff;
        if (type == FlowKey.ETH_TYPE_IP || type == FlowKey.ETH_TYPE_IPV6) {
            k[4] |= 0xffffffffL << 32;           // proto, tos, ttl, frag
            if (type == FlowKey.ETH_TYPE_IP) {
                k[3] = -1L;
            } else {
                k[5] = k[6] = k[7] = k[8] = -1L;
                k[10] |= 0xfffffL;
            }
            if (proto == 6 || proto == 17 || proto == 132 || proto == 1 || proto == 58) {
                k[4] |= 0xffffffffL;
            }
            if (proto == 6) {
                k[9] |= 0xfff;
            }
            if (proto == 58 && (((v[4] >>> 16) & 0xff) == 135 || ((v[4] >>> 16) & 0xff) == 136)) {
                k[11] = k[12] = -1L;
                k[13] = 0xffffffffffffL;
            }
        } else if (type == FlowKey.ETH_TYPE_ARP || type == 0x8035) {
            k[3] = -1L;
            k[4] |= 0xffL << 56;
            k[5] = k[6] = 0xffffffffffffL;
        }
        return k;
    }

    private static long bits(long[] a, OfField f) {
        return f.get(a);
    }

    private static void formatBody(StringBuilder s, long[] v, long[] k, boolean flow) {
        uint32(s, "pkt_mark", bits(v, OfField.PKT_MARK), bits(k, OfField.PKT_MARK));
        int type = (int) (v[0] >>> 16) & 0xffff;
        boolean typeMasked = ((k[0] >>> 16) & 0xffff) != 0;
        int proto = (int) (v[4] >>> 56) & 0xff;
        boolean protoMasked = ((k[4] >>> 56) & 0xff) != 0;
        boolean skipType = false;
        boolean skipProto = false;
        if (typeMasked) {
            skipType = true;
            if (type == FlowKey.ETH_TYPE_IP || type == FlowKey.ETH_TYPE_IPV6) {
                boolean v6 = type == FlowKey.ETH_TYPE_IPV6;
                String name = v6 ? "ipv6" : "ip";
                if (protoMasked) {
                    skipProto = true;
                    switch (proto) {
                        case 1 -> name = v6 ? "ipv6" : "icmp";
                        case 58 -> name = v6 ? "icmp6" : "ip";
                        case 6 -> name = v6 ? "tcp6" : "tcp";
                        case 17 -> name = v6 ? "udp6" : "udp";
                        case 132 -> name = v6 ? "sctp6" : "sctp";
                        default -> { }
                    }
                    if (name.equals("ip") || name.equals("ipv6")) {
                        skipProto = false;
                    }
                }
                s.append(name).append(',');
            } else if (type == FlowKey.ETH_TYPE_ARP) {
                s.append("arp,");
            } else if (type == 0x8035) {
                s.append("rarp,");
            } else {
                skipType = false;
            }
        }
        for (int r = 0; r < 16; r++) {
            OfField f = OfField.valueOf("REG" + r);
            uint32(s, "reg" + r, f.get(v), f.get(k));
        }
        long meta = v[OfField.METADATA_WORD];
        long metaMask = k[OfField.METADATA_WORD];
        if (metaMask != 0) {
            s.append("metadata=0x").append(Long.toHexString(meta));
            if (metaMask != -1L) {
                s.append("/0x").append(Long.toHexString(metaMask));
            }
            s.append(',');
        }
        if (((k[0] >>> 32) & 0xffff) != 0) {
            s.append("in_port=").append(port((int) (v[0] >>> 32) & 0xffff)).append(',');
        }
        vlan(s, (int) v[0] & 0xffff, (int) k[0] & 0xffff, "");
        if (flow && (v[0] & FlowKey.VLAN_CFI) != 0) {
            vlan(s, (int) (v[9] >>> 16) & 0xffff, 0xffff, "1");
        }
        eth(s, "dl_src", v[2], k[2]);
        eth(s, "dl_dst", v[1], k[1]);
        if (!skipType && typeMasked) {
            s.append(String.format(Locale.ROOT, "dl_type=0x%04x,", type));
        }
        if (type == FlowKey.ETH_TYPE_IPV6) {
            ipv6(s, "ipv6_src", v[5], v[6], k[5], k[6]);
            ipv6(s, "ipv6_dst", v[7], v[8], k[7], k[8]);
            long label = v[10] & 0xfffff;
            long labelMask = k[10] & 0xfffff;
            if (labelMask != 0) {
                s.append(String.format(Locale.ROOT, "ipv6_label=0x%05x", label));
                if (labelMask != 0xfffff) {
                    s.append(String.format(Locale.ROOT, "/0x%05x", labelMask));
                }
                s.append(',');
            }
        } else if (type == FlowKey.ETH_TYPE_ARP || type == 0x8035) {
            ip(s, "arp_spa", (int) (v[3] >>> 32), (int) (k[3] >>> 32));
            ip(s, "arp_tpa", (int) v[3], (int) k[3]);
        } else {
            ip(s, "nw_src", (int) (v[3] >>> 32), (int) (k[3] >>> 32));
            ip(s, "nw_dst", (int) v[3], (int) k[3]);
        }
        if (!skipProto && protoMasked) {
            s.append(type == FlowKey.ETH_TYPE_ARP || type == 0x8035 ? "arp_op=" : "nw_proto=").append(proto).append(',');
        }
        if (type == FlowKey.ETH_TYPE_ARP || type == 0x8035) {
            eth(s, "arp_sha", v[5], k[5]);
            eth(s, "arp_tha", v[6], k[6]);
        }
        int tos = (int) (v[4] >>> 48) & 0xff;
        int tosMask = (int) (k[4] >>> 48) & 0xff;
        if ((tosMask & 0xfc) != 0) {
            s.append("nw_tos=").append(tos & 0xfc).append(',');
        }
        if ((tosMask & 3) != 0) {
            s.append("nw_ecn=").append(tos & 3).append(',');
        }
        if (((k[4] >>> 40) & 0xff) != 0) {
            s.append("nw_ttl=").append((v[4] >>> 40) & 0xff).append(',');
        }
        int frag = (int) (v[4] >>> 32) & 0xff;
        switch ((int) (k[4] >>> 32) & 3) {
            case 3 -> s.append("nw_frag=").append((frag & 1) != 0 ? ((frag & 2) != 0 ? "later" : "first")
                    : ((frag & 2) != 0 ? "<error>" : "no")).append(',');
            case 1 -> s.append("nw_frag=").append((frag & 1) != 0 ? "yes" : "no").append(',');
            case 2 -> s.append("nw_frag=").append((frag & 2) != 0 ? "later" : "not_later").append(',');
            default -> { }
        }
        int tpSrc = (int) (v[4] >>> 16) & 0xffff;
        int tpSrcMask = (int) (k[4] >>> 16) & 0xffff;
        int tpDst = (int) v[4] & 0xffff;
        int tpDstMask = (int) k[4] & 0xffff;
        if ((type == FlowKey.ETH_TYPE_IP && proto == 1) || (type == FlowKey.ETH_TYPE_IPV6 && proto == 58)) {
            be16(s, "icmp_type", tpSrc, tpSrcMask);
            be16(s, "icmp_code", tpDst, tpDstMask);
            if (type == FlowKey.ETH_TYPE_IPV6) {
                ipv6(s, "nd_target", v[11], v[12], k[11], k[12]);
                boolean solicit = tpSrc == 135;
                eth(s, solicit ? "nd_sll" : "nd_tll", v[13], k[13]);
            }
        } else {
            be16(s, "tp_src", tpSrc, tpSrcMask);
            be16(s, "tp_dst", tpDst, tpDstMask);
        }
        int flags = (int) v[9] & 0xfff;
        int flagsMask = (int) k[9] & 0xfff;
        if ((type == FlowKey.ETH_TYPE_IP || type == FlowKey.ETH_TYPE_IPV6) && proto == 6 && flagsMask != 0) {
            tcpFlags(s, flags, flagsMask);
        }
    }

    private static final String[] TCP_FLAG_NAMES = {"fin", "syn", "rst", "psh", "ack", "urg", "ece", "cwr", "ns"};

    private static void tcpFlags(StringBuilder s, int flags, int mask) {
        s.append("tcp_flags=");
        if (mask == 0xfff) {
            if (flags == 0) {
                s.append('0');
            } else {
                StringBuilder f = new StringBuilder();
                for (int i = 0; i < TCP_FLAG_NAMES.length; i++) {
                    if ((flags & (1 << i)) != 0) {
                        f.append(f.length() == 0 ? "" : "|").append(TCP_FLAG_NAMES[i]);
                    }
                }
                s.append(f);
            }
        } else {
            for (int i = 0; i < TCP_FLAG_NAMES.length; i++) {
                if ((mask & (1 << i)) != 0) {
                    s.append((flags & (1 << i)) != 0 ? '+' : '-').append(TCP_FLAG_NAMES[i]);
                }
            }
        }
        s.append(',');
    }

    private static void vlan(StringBuilder s, int tci, int mask, String suffix) {
        if (mask == 0) {
            return;
        }
        int vidMask = mask & 0xfff;
        int pcpMask = mask & 0xe000;
        boolean cfi = (mask & FlowKey.VLAN_CFI) != 0;
        if (cfi && (tci & FlowKey.VLAN_CFI) != 0 && (vidMask == 0 || vidMask == 0xfff)
                && (pcpMask == 0 || pcpMask == 0xe000) && (vidMask != 0 || pcpMask != 0)) {
            if (vidMask != 0) {
                s.append("dl_vlan").append(suffix).append('=').append(tci & 0xfff).append(',');
            }
            if (pcpMask != 0) {
                s.append("dl_vlan_pcp").append(suffix).append('=').append(tci >>> 13).append(',');
            }
        } else if (mask == 0xffff) {
            s.append(String.format(Locale.ROOT, "vlan_tci%s=0x%04x,", suffix, tci));
        } else {
            s.append(String.format(Locale.ROOT, "vlan_tci%s=0x%04x/0x%04x,", suffix, tci, mask));
        }
    }

    private static void uint32(StringBuilder s, String name, long value, long mask) {
        if (mask != 0) {
            s.append(name).append('=').append(hex(value));
            if (mask != 0xffffffffL) {
                s.append('/').append(hex(mask));
            }
            s.append(',');
        }
    }

    private static void be16(StringBuilder s, String name, int value, int mask) {
        if (mask != 0) {
            s.append(name).append('=');
            if (mask == 0xffff) {
                s.append(value);
            } else {
                s.append("0x").append(Integer.toHexString(value)).append("/0x").append(Integer.toHexString(mask));
            }
            s.append(',');
        }
    }

    /** C's {@code %#x}: "0" for zero, "0x.." otherwise. */
    public static String hex(long v) {
        return v == 0 ? "0" : "0x" + Long.toHexString(v);
    }

    private static void eth(StringBuilder s, String name, long mac, long mask) {
        mask &= 0xffffffffffffL;
        if (mask != 0) {
            s.append(name).append('=').append(FlowKey.formatMac(mac));
            if (mask != 0xffffffffffffL) {
                s.append('/').append(FlowKey.formatMac(mask));
            }
            s.append(',');
        }
    }

    private static void ip(StringBuilder s, String name, int ip, int mask) {
        if (mask != 0) {
            s.append(name).append('=').append(FlowKey.formatIpv4(ip));
            if (mask != -1) {
                int prefix = Integer.bitCount(mask);
                if (mask == -1 << (32 - prefix)) {
                    s.append('/').append(prefix);
                } else {
                    s.append('/').append(FlowKey.formatIpv4(mask));
                }
            }
            s.append(',');
        }
    }

    private static void ipv6(StringBuilder s, String name, long hi, long lo, long mhi, long mlo) {
        if ((mhi | mlo) != 0) {
            s.append(name).append('=').append(ipv6Text(hi, lo));
            if (mhi != -1L || mlo != -1L) {
                int prefix = Long.bitCount(mhi) + Long.bitCount(mlo);
                boolean cidr = prefix <= 64 ? mlo == 0 && mhi == (prefix == 0 ? 0 : -1L << (64 - prefix))
                        : mhi == -1L && mlo == -1L << (128 - prefix);
                s.append('/').append(cidr ? String.valueOf(prefix) : ipv6Text(mhi, mlo));
            }
            s.append(',');
        }
    }

    /** An IPv6 address in RFC 5952 form (the longest run of zero groups as "::"). */
    static String ipv6Text(long hi, long lo) {
        int[] g = new int[8];
        for (int i = 0; i < 4; i++) {
            g[i] = (int) (hi >>> (48 - 16 * i)) & 0xffff;
            g[4 + i] = (int) (lo >>> (48 - 16 * i)) & 0xffff;
        }
        int bestStart = -1;
        int bestLen = 0;
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen && j - i >= 2) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                s.append("::");
                i += bestLen - 1;
                continue;
            }
            if (s.length() > 0 && s.charAt(s.length() - 1) != ':') {
                s.append(':');
            }
            s.append(Integer.toHexString(g[i]));
        }
        return s.toString();
    }

    /** An OpenFlow port as Open vSwitch prints it: a number or a reserved name. */
    static String port(int p) {
        return switch (p) {
            case OfAction.IN_PORT -> "IN_PORT";
            case OfAction.TABLE -> "TABLE";
            case OfAction.NORMAL -> "NORMAL";
            case OfAction.FLOOD -> "FLOOD";
            case OfAction.ALL -> "ALL";
            case OfAction.CONTROLLER -> "CONTROLLER";
            case OfAction.LOCAL -> "LOCAL";
            case OfAction.NONE -> "ANY";
            default -> String.valueOf(p);
        };
    }

    // ---- actions ----

    /** {@code ofpacts_format}: the actions as ovs-ofctl prints them, "drop" for none. */
    public static String actions(List<OfAction> actions) {
        if (actions.isEmpty()) {
            return "drop";
        }
        StringBuilder s = new StringBuilder();
        for (OfAction a : actions) {
            if (s.length() > 0) {
                s.append(',');
            }
            s.append(action(a));
        }
        return s.toString();
    }

    /** One action's text. */
    public static String action(OfAction a) {
        return switch (a) {
            case OfAction.Output o -> o.port() == OfAction.CONTROLLER ? "CONTROLLER:" + o.maxLen()
                    : o.port() < Ofp.OFPP10_MAX ? "output:" + o.port() : port(o.port());
            case OfAction.Controller c -> c.reason() == PacketIn.ACTION && c.controllerId() == 0
                    ? "CONTROLLER:" + c.maxLen()
                    : "controller(reason=" + reasonName(c.reason()) + ",max_len=" + c.maxLen()
                            + (c.controllerId() != 0 ? ",id=" + c.controllerId() : "") + ")";
            case OfAction.SetVlanVid v -> (v.push() ? "mod_vlan_vid:" : "set_vlan_vid:") + v.vid();
            case OfAction.SetVlanPcp v -> (v.push() ? "mod_vlan_pcp:" : "set_vlan_pcp:") + v.pcp();
            case OfAction.PopVlan p -> p.strip() ? "strip_vlan" : "pop_vlan";
            case OfAction.PushVlan p -> String.format(Locale.ROOT, "push_vlan:0x%04x", p.ethertype());
            case OfAction.SetField sf -> setField(sf);
            case OfAction.SetNwTtl t -> "mod_nw_ttl:" + t.ttl();
            case OfAction.Move m -> "move:" + subfield(m.src(), m.srcOfs(), m.nBits()) + "->"
                    + subfield(m.dst(), m.dstOfs(), m.nBits());
            case OfAction.Resubmit r -> r.withTable() || r.table() != 0xff
                    ? "resubmit(" + (r.inPort() == OfAction.IN_PORT ? "" : port(r.inPort())) + ","
                            + (r.table() == 0xff ? "" : String.valueOf(r.table())) + ")"
                    : "resubmit:" + port(r.inPort());
            case OfAction.DecTtl d -> "dec_ttl";
            case OfAction.Note n -> note(n.data());
            case OfAction.Exit e -> "exit";
            case OfAction.FinTimeout f -> "fin_timeout(" + String.join(",", java.util.stream.Stream.of(
                    f.idleTimeout() != 0 ? "idle_timeout=" + f.idleTimeout() : null,
                    f.hardTimeout() != 0 ? "hard_timeout=" + f.hardTimeout() : null)
                    .filter(java.util.Objects::nonNull).toList()) + ")";
            case OfAction.WriteMetadata w -> "write_metadata:" + hex(w.value())
                    + (w.mask() == -1L ? "" : "/" + hex(w.mask()));
            case OfAction.GotoTable g -> "goto_table:" + g.table();
            case OfAction.Group g -> "group:" + Integer.toUnsignedString(g.groupId());
            case OfAction.Learn l -> learn(l);
            case OfAction.Meter m -> "meter:" + Integer.toUnsignedString(m.meterId());
        };
    }

    /** learn(table=..,specs) as Open vSwitch's learn_format writes it (the common cases). */
    private static String learn(OfAction.Learn l) {
        StringBuilder s = new StringBuilder("learn(table=").append(l.tableId());
        if (l.idleTimeout() != 0) {
            s.append(",idle_timeout=").append(l.idleTimeout());
        }
        if (l.hardTimeout() != 0) {
            s.append(",hard_timeout=").append(l.hardTimeout());
        }
        if (l.finIdleTimeout() != 0) {
            s.append(",fin_idle_timeout=").append(l.finIdleTimeout());
        }
        if (l.finHardTimeout() != 0) {
            s.append(",fin_hard_timeout=").append(l.finHardTimeout());
        }
        if (l.priority() != DEFAULT_PRIORITY) {
            s.append(",priority=").append(l.priority());
        }
        if ((l.flags() & 1) != 0) {
            s.append(",send_flow_rem");
        }
        if ((l.flags() & 2) != 0) {
            s.append(",delete_learned");
        }
        if (l.cookie() != 0) {
            s.append(",cookie=").append(hex(l.cookie()));
        }
        for (OfAction.LearnSpec sp : l.specs()) {
            s.append(',');
            String src = sp.src() != null ? subfield(sp.src(), sp.srcOfs(), sp.nBits())
                    : sp.valueHi() != 0 ? "0x" + Long.toHexString(sp.valueHi()) + String.format("%016x", sp.value())
                    : hex(sp.value());
            switch (sp.dstType()) {
                case OfAction.LearnSpec.MATCH -> {
                    String dst = subfield(sp.dst(), sp.dstOfs(), sp.nBits());
                    s.append(sp.src() != null && sp.src() == sp.dst() && sp.srcOfs() == sp.dstOfs() ? dst : dst + "=" + src);
                }
                case OfAction.LearnSpec.LOAD -> s.append("load:").append(src).append("->")
                        .append(subfield(sp.dst(), sp.dstOfs(), sp.nBits()));
                default -> s.append("output:").append(src);
            }
        }
        return s.append(')').toString();
    }

    private static String reasonName(int reason) {
        return switch (reason) {
            case PacketIn.NO_MATCH -> "no_match";
            case PacketIn.INVALID_TTL -> "invalid_ttl";
            default -> "action";
        };
    }

    private static String note(byte[] data) {
        StringBuilder s = new StringBuilder("note:");
        for (int i = 0; i < data.length; i++) {
            if (i > 0) {
                s.append('.');
            }
            s.append(String.format(Locale.ROOT, "%02x", data[i] & 0xff));
        }
        return s.toString();
    }

    /** {@code NXM_NX_REG0[]}, {@code NXM_NX_REG2[0..3]}, {@code NXM_NX_REG1[5]}. */
    public static String subfield(OfField f, int ofs, int nBits) {
        String name = nxmName(f);
        if (ofs == 0 && nBits == fieldBits(f)) {
            return name + "[]";
        }
        if (nBits == 1) {
            return name + "[" + ofs + "]";
        }
        return name + "[" + ofs + ".." + (ofs + nBits - 1) + "]";
    }

    public static int fieldBits(OfField f) {
        return switch (f) {
            case VLAN_VID -> 12;
            case IP_DSCP -> 6;
            case IP_ECN -> 2;
            case TCP_FLAGS -> 16;
            case IPV6_LABEL -> 20;
            case ARP_OP -> 16;
            default -> f.wide() ? 128 : f.wireBytes * 8;
        };
    }

    private static String setField(OfAction.SetField sf) {
        OfField f = sf.field();
        if (sf.raw() == OfAction.SetField.LEGACY) {
            return switch (f) {
                case ETH_SRC -> "mod_dl_src:" + FlowKey.formatMac(sf.value());
                case ETH_DST -> "mod_dl_dst:" + FlowKey.formatMac(sf.value());
                case IPV4_SRC -> "mod_nw_src:" + FlowKey.formatIpv4((int) sf.value());
                case IPV4_DST -> "mod_nw_dst:" + FlowKey.formatIpv4((int) sf.value());
                case IP_DSCP -> "mod_nw_tos:" + (sf.value() << 2);
                case TCP_SRC -> "mod_tp_src:" + sf.value();
                case TCP_DST -> "mod_tp_dst:" + sf.value();
                default -> "set_field:" + value(f, sf.hi(), sf.value()) + "->" + f.fieldName;
            };
        }
        if (sf.raw() == OfAction.SetField.REG_LOAD && !f.wide()) {
            long m = sf.mask();
            int ofs = Long.numberOfTrailingZeros(m);
            int n = 64 - Long.numberOfLeadingZeros(m) - ofs;
            return "load:" + hex(sf.value() >>> ofs) + "->" + subfield(f, ofs, n);
        }
        String v = value(f, sf.hi(), sf.value());
        if (!sf.whole()) {
            v += "/" + value(f, sf.hiMask(), sf.mask());
        }
        return "set_field:" + v + "->" + f.fieldName;
    }

    /** A field's value in its own notation: addresses as addresses, counters in decimal, the rest in hex. */
    public static String value(OfField f, long hi, long v) {
        return switch (f) {
            case ETH_SRC, ETH_DST, ARP_SHA, ARP_THA, ND_SLL, ND_TLL -> FlowKey.formatMac(v);
            case IPV4_SRC, IPV4_DST, ARP_SPA, ARP_TPA -> FlowKey.formatIpv4((int) v);
            case IPV6_SRC, IPV6_DST, ND_TARGET -> ipv6Text(hi, v);
            case VLAN_VID, VLAN_PCP, IP_DSCP, IP_ECN, IP_PROTO, IP_TTL, TCP_SRC, TCP_DST, UDP_SRC, UDP_DST,
                    SCTP_SRC, SCTP_DST, ICMP_TYPE, ICMP_CODE, ICMPV6_TYPE, ICMPV6_CODE, ARP_OP, IP_TOS, IN_PORT ->
                    String.valueOf(v);
            default -> hex(v);
        };
    }
}
