package org.jvswitch.core.dpif;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.jvswitch.api.dpif.DpActions;
import org.jvswitch.api.flow.FlowKey;
import org.jvswitch.api.packet.DpPacket;

/**
 * Open vSwitch 3.1's simple match table ({@code dp_netdev_simple_match_*}): for an input port
 * whose every megaflow matches only the port, the Ethernet type, the VLAN tag and the fragment
 * bits (what a bridge programmed by {@code in_port} rules installs), packets are looked up by
 * those few header fields without extracting a flow key or touching the exact match cache.
 *
 * <p>Thread-safety: writers (the classifier, under its lock) publish an immutable {@link Port}
 * per input port; PMD threads read them without locks. A flow found here may have died since:
 * readers check {@link Megaflow#dead} and fall back to the full lookup.
 */
final class SimpleMatch {
    private static final long IN_PORT_MASK = 0xffffffff00000000L;
    private static final long FRAG_MASK = 0xffL << 32;
    private static final long RECIRC_MASK = 0xffffffff00000000L;

    /** One input port's simple flows, usable when {@link #usable} (no other kind of flow there). */
    static final class Port {
        final boolean usable;
        final long mask0;
        final long mask4;
        private final long[] key0;
        private final long[] key4;
        private final Megaflow[] flows;

        Port(boolean usable, long mask0, long mask4, List<Megaflow> simple) {
            this.usable = usable;
            this.mask0 = mask0;
            this.mask4 = mask4;
            int size = Integer.highestOneBit(Math.max(4, simple.size() * 2) - 1) << 1;
            key0 = new long[size];
            key4 = new long[size];
            flows = new Megaflow[size];
            if (usable) {
                for (Megaflow f : simple) {
                    long k0 = f.key.w[0];
                    long k4 = f.key.w[4];
                    int m = size - 1;
                    for (int i = slot(k0, k4) & m; ; i = (i + 1) & m) {
                        if (flows[i] == null) {
                            key0[i] = k0;
                            key4[i] = k4;
                            flows[i] = f;
                            break;
                        }
                    }
                }
            }
        }

        private static int slot(long k0, long k4) {
            long h = (k0 ^ (k4 >>> 29)) * 0x9e3779b97f4a7c15L;
            return (int) (h >>> 32);
        }

        /** The flow for these masked fields, or null. PMD threads. */
        Megaflow lookup(long w0, long w4) {
            long k0 = w0 & mask0;
            long k4 = w4 & mask4;
            int m = flows.length - 1;
            for (int i = slot(k0, k4) & m; ; i = (i + 1) & m) {
                Megaflow f = flows[i];
                if (f == null) {
                    return null;
                }
                if (key0[i] == k0 && key4[i] == k4) {
                    return f;
                }
            }
        }
    }

    private volatile Port[] ports = new Port[0];
    // Writer state, guarded by the classifier's lock.
    private final Map<Integer, List<Megaflow>> simpleByPort = new HashMap<>();
    private final Map<Integer, Integer> othersByPort = new HashMap<>();

    /** The simple-match state of {@code inPort}, or null if it has none. PMD threads. */
    Port port(int inPort) {
        Port[] p = ports;
        return inPort >= 0 && inPort < p.length ? p[inPort] : null;
    }

    /**
     * True if {@code f} is a simple flow: in_port exact, only Ethernet type, VLAN and fragment
     * bits otherwise, first pass only, and actions that need no header offsets beyond L2.
     */
    static boolean isSimple(Megaflow f) {
        long[] m = f.mask.w;
        if ((m[0] & IN_PORT_MASK) != IN_PORT_MASK || (m[4] & ~FRAG_MASK) != 0 || (m[9] & ~RECIRC_MASK) != 0
                || (f.key.w[9] & RECIRC_MASK) != 0) {
            return false;
        }
        for (int i = 1; i < FlowKey.WORDS; i++) {
            if (i != 4 && i != 9 && m[i] != 0) {
                return false;
            }
        }
        int[] prog = f.program;
        for (int pc = 0; pc < prog.length; pc += DpActions.length(prog, pc)) {
            switch (prog[pc]) {
                case DpActions.OUTPUT, DpActions.PUSH_VLAN, DpActions.POP_VLAN, DpActions.SET_ETH_SRC,
                     DpActions.SET_ETH_DST, DpActions.TRUNC -> { }
                default -> {
                    return false;
                }
            }
        }
        return true;
    }

    void added(Megaflow f) {
        int port = f.key.inPort();
        if (isSimple(f)) {
            simpleByPort.computeIfAbsent(port, k -> new ArrayList<>()).add(f);
        } else {
            othersByPort.merge(port, 1, Integer::sum);
        }
        publish(port);
    }

    void removed(Megaflow f) {
        int port = f.key.inPort();
        List<Megaflow> simple = simpleByPort.get(port);
        if (simple != null && simple.remove(f)) {
            if (simple.isEmpty()) {
                simpleByPort.remove(port);
            }
        } else {
            othersByPort.computeIfPresent(port, (k, n) -> n > 1 ? n - 1 : null);
        }
        publish(port);
    }

    void clear() {
        simpleByPort.clear();
        othersByPort.clear();
        ports = new Port[0];
    }

    private void publish(int inPort) {
        List<Megaflow> simple = simpleByPort.getOrDefault(inPort, List.of());
        Port next = null;
        if (!simple.isEmpty()) {
            long mask0 = simple.get(0).mask.w[0];
            long mask4 = simple.get(0).mask.w[4];
            boolean sameMask = true;
            for (Megaflow f : simple) {
                sameMask &= f.mask.w[0] == mask0 && f.mask.w[4] == mask4;
            }
            next = new Port(sameMask && !othersByPort.containsKey(inPort), mask0, mask4, simple);
        }
        Port[] p = ports;
        if (inPort >= p.length) {
            if (next == null) {
                return;
            }
            p = Arrays.copyOf(p, inPort + 1);
        } else {
            p = p.clone();
        }
        p[inPort] = next;
        ports = p;
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
}
