package org.jvswitch.api.dpif;

import java.util.Arrays;

/**
 * An immutable list of datapath actions (Open vSwitch's {@code OVS_ACTION_ATTR_*} netlink list,
 * here a flat int program: opcode, then its arguments). Built once per megaflow in the slow path,
 * executed per batch by the datapath without allocation.
 */
public final class DpActions {
    /** {@code OUTPUT port}: send a copy to datapath port {@code port}. */
    public static final int OUTPUT = 1;
    /** {@code PUSH_VLAN tci}: push an 802.1Q header (TPID 0x8100) with {@code tci}. */
    public static final int PUSH_VLAN = 2;
    /** {@code POP_VLAN}: remove the outermost VLAN header. */
    public static final int POP_VLAN = 3;
    /** {@code SET_ETH_SRC hi16 lo32 maskHi maskLo}: masked set of the Ethernet source. */
    public static final int SET_ETH_SRC = 4;
    /** {@code SET_ETH_DST hi16 lo32 maskHi maskLo}. */
    public static final int SET_ETH_DST = 5;
    /** {@code SET_IPV4 field value mask}: field is {@link #IPV4_SRC}, DST, TOS or TTL; checksums follow. */
    public static final int SET_IPV4 = 6;
    /** {@code SET_L4 proto field value mask}: field {@link #L4_SRC} or {@link #L4_DST} of TCP, UDP or SCTP. */
    public static final int SET_L4 = 7;
    /** {@code SET_IPV6 field w0 w1 w2 w3}: field {@link #IPV6_SRC} or {@link #IPV6_DST}; L4 checksums follow. */
    public static final int SET_IPV6 = 8;
    /** {@code TRUNC maxLen}: the next output sends at most maxLen bytes. */
    public static final int TRUNC = 9;
    /** {@code CLONE n <n ints of actions>}: runs the nested actions on a copy. */
    public static final int CLONE = 10;
    /** {@code USERSPACE cookieHi cookieLo}: hands a copy to the upcall handler (controller path). */
    public static final int USERSPACE = 11;
    /** {@code RECIRC id}: runs the packet through the datapath again with recirc_id = id. */
    public static final int RECIRC = 12;
    /** meter(id): packets over the datapath meter's rate are dropped here. */
    public static final int METER = 13;

    public static final int IPV4_SRC = 0;
    public static final int IPV4_DST = 1;
    public static final int IPV4_TOS = 2;
    public static final int IPV4_TTL = 3;
    public static final int L4_SRC = 0;
    public static final int L4_DST = 1;
    public static final int IPV6_SRC = 0;
    public static final int IPV6_DST = 1;

    public static final DpActions DROP = new DpActions(new int[0]);

    private final int[] program;

    private DpActions(int[] program) {
        this.program = program;
    }

    /** The program; callers must not modify it. */
    public int[] program() {
        return program;
    }

    public boolean isDrop() {
        return program.length == 0;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DpActions a && Arrays.equals(program, a.program);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(program);
    }

    /**
     * Open vSwitch's datapath action syntax: "1,2", "push_vlan(vid=5,pcp=0),3", "pop_vlan,2",
     * "set(ipv4(src=10.0.0.1))", "set(tcp(dst=80/0xff00))", "trunc(100),1", "clone(1),2",
     * "userspace(pid=0,userdata(...))", "recirc(0x1)", "drop".
     */
    @Override
    public String toString() {
        if (program.length == 0) {
            return "drop";
        }
        StringBuilder sb = new StringBuilder();
        format(program, 0, program.length, sb);
        return sb.toString();
    }

    /** Length in ints of the action starting at {@code pc}. */
    public static int length(int[] program, int pc) {
        return switch (program[pc]) {
            case OUTPUT, PUSH_VLAN, TRUNC, RECIRC, METER -> 2;
            case POP_VLAN -> 1;
            case SET_ETH_SRC, SET_ETH_DST, SET_L4 -> 5;
            case SET_IPV4 -> 4;
            case SET_IPV6 -> 6;
            case USERSPACE -> 3;
            case CLONE -> 2 + program[pc + 1];
            default -> throw new IllegalStateException("bad opcode " + program[pc]);
        };
    }

    private static void format(int[] p, int from, int to, StringBuilder sb) {
        for (int i = from; i < to; i += length(p, i)) {
            if (i > from) {
                sb.append(',');
            }
            switch (p[i]) {
                case OUTPUT -> sb.append(p[i + 1]);
                case PUSH_VLAN -> sb.append("push_vlan(vid=").append(p[i + 1] & 0xfff).append(",pcp=")
                        .append((p[i + 1] >>> 13) & 7).append(')');
                case POP_VLAN -> sb.append("pop_vlan");
                case SET_ETH_SRC, SET_ETH_DST -> {
                    long v = mac(p[i + 1], p[i + 2]);
                    long m = mac(p[i + 3], p[i + 4]);
                    sb.append("set(eth(").append(p[i] == SET_ETH_SRC ? "src=" : "dst=").append(macText(v));
                    if (m != 0xffffffffffffL) {
                        sb.append('/').append(macText(m));
                    }
                    sb.append("))");
                }
                case SET_IPV4 -> {
                    String[] names = {"src", "dst", "tos", "ttl"};
                    int f = p[i + 1];
                    sb.append("set(ipv4(").append(names[f]).append('=');
                    if (f <= IPV4_DST) {
                        sb.append(ip(p[i + 2]));
                        if (p[i + 3] != -1) {
                            sb.append('/').append(ip(p[i + 3]));
                        }
                    } else {
                        sb.append(f == IPV4_TOS ? String.format("0x%x", p[i + 2]) : Integer.toString(p[i + 2]));
                        if ((p[i + 3] & 0xff) != 0xff) {
                            sb.append('/').append(String.format("0x%x", p[i + 3]));
                        }
                    }
                    sb.append("))");
                }
                case SET_L4 -> {
                    String proto = switch (p[i + 1]) {
                        case 6 -> "tcp";
                        case 17 -> "udp";
                        case 132 -> "sctp";
                        default -> "l4";
                    };
                    sb.append("set(").append(proto).append('(').append(p[i + 2] == L4_SRC ? "src=" : "dst=")
                      .append(p[i + 3]);
                    if ((p[i + 4] & 0xffff) != 0xffff) {
                        sb.append(String.format("/0x%x", p[i + 4]));
                    }
                    sb.append("))");
                }
                case SET_IPV6 -> {
                    sb.append("set(ipv6(").append(p[i + 1] == IPV6_SRC ? "src=" : "dst=");
                    byte[] a = new byte[16];
                    for (int k = 0; k < 4; k++) {
                        int w = p[i + 2 + k];
                        a[4 * k] = (byte) (w >>> 24);
                        a[4 * k + 1] = (byte) (w >>> 16);
                        a[4 * k + 2] = (byte) (w >>> 8);
                        a[4 * k + 3] = (byte) w;
                    }
                    try {
                        sb.append(java.net.InetAddress.getByAddress(a).getHostAddress().replaceAll("(^|:)0(:0)+(:|$)", "::"));
                    } catch (java.net.UnknownHostException e) {
                        throw new IllegalStateException(e);
                    }
                    sb.append("))");
                }
                case TRUNC -> sb.append("trunc(").append(p[i + 1]).append(')');
                case CLONE -> {
                    sb.append("clone(");
                    format(p, i + 2, i + 2 + p[i + 1], sb);
                    sb.append(')');
                }
                case USERSPACE -> sb.append("userspace(pid=0,userdata(")
                        .append(String.format("%016x", ((long) p[i + 1] << 32) | (p[i + 2] & 0xffffffffL))).append("))");
                case RECIRC -> sb.append("recirc(").append(String.format("0x%x", p[i + 1])).append(')');
                case METER -> sb.append("meter(").append(p[i + 1]).append(')');
                default -> throw new IllegalStateException("bad opcode " + p[i]);
            }
        }
    }

    private static long mac(int hi, int lo) {
        return ((long) (hi & 0xffff) << 32) | (lo & 0xffffffffL);
    }

    private static String macText(long mac) {
        return org.jvswitch.api.flow.FlowKey.formatMac(mac);
    }

    private static String ip(int v) {
        return org.jvswitch.api.flow.FlowKey.formatIpv4(v);
    }

    /** Appends actions in order. Not thread-safe; slow path only. */
    public static final class Builder {
        private int[] buf = new int[8];
        private int n;

        private Builder add(int v) {
            if (n == buf.length) {
                buf = Arrays.copyOf(buf, n * 2);
            }
            buf[n++] = v;
            return this;
        }

        public Builder output(int port) { return add(OUTPUT).add(port); }
        public Builder pushVlan(int tci) { return add(PUSH_VLAN).add(tci & 0xffff & ~0x1000); }
        public Builder popVlan() { return add(POP_VLAN); }
        public boolean isEmpty() { return n == 0; }

        public Builder setEthSrc(long mac, long mask) { return setEth(SET_ETH_SRC, mac, mask); }
        public Builder setEthDst(long mac, long mask) { return setEth(SET_ETH_DST, mac, mask); }

        private Builder setEth(int op, long mac, long mask) {
            return add(op).add((int) (mac >>> 32) & 0xffff).add((int) mac).add((int) (mask >>> 32) & 0xffff).add((int) mask);
        }

        /** Masked set of an IPv4 field ({@link #IPV4_SRC}, DST, TOS, TTL); mask -1 for all bits. */
        public Builder setIpv4(int field, int value, int mask) { return add(SET_IPV4).add(field).add(value).add(mask); }

        /** Masked set of a TCP, UDP or SCTP port ({@code proto} 6, 17 or 132). */
        public Builder setL4(int proto, int field, int value, int mask) {
            return add(SET_L4).add(proto).add(field).add(value & 0xffff).add(mask & 0xffff);
        }

        /** Sets an IPv6 address given as 16 bytes. */
        public Builder setIpv6(int field, byte[] addr) {
            add(SET_IPV6).add(field);
            for (int k = 0; k < 4; k++) {
                add(((addr[4 * k] & 0xff) << 24) | ((addr[4 * k + 1] & 0xff) << 16) | ((addr[4 * k + 2] & 0xff) << 8)
                        | (addr[4 * k + 3] & 0xff));
            }
            return this;
        }

        public Builder trunc(int maxLen) { return add(TRUNC).add(maxLen); }
        public Builder userspace(long cookie) { return add(USERSPACE).add((int) (cookie >>> 32)).add((int) cookie); }
        public Builder recirc(int id) { return add(RECIRC).add(id); }
        public Builder meter(int id) { return add(METER).add(id); }

        /** Runs {@code nested} on a copy of the packet, leaving the packet as it was for what follows. */
        public Builder clone(DpActions nested) {
            add(CLONE).add(nested.program.length);
            for (int v : nested.program) {
                add(v);
            }
            return this;
        }

        public DpActions build() {
            return n == 0 ? DROP : new DpActions(Arrays.copyOf(buf, n));
        }
    }
}
