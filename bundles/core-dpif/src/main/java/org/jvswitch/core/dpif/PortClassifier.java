package org.jvswitch.core.dpif;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.jvswitch.api.dpif.DpActions;
import org.jvswitch.api.flow.FlowKey;

/**
 * Per input port, the megaflows of a port whose flows all share one mask, in a table of their own
 * (jvswitch's generalization of Open vSwitch 3.1's simple match). A packet from such a port is
 * parsed only as deep as that mask reaches and found with one hash probe, or a few compares when
 * the port has only a few flows: no exact match cache, no search through subtables. A bridge programmed by in_port rules gets Open vSwitch's simple
 * match (only the Ethernet type, VLAN and fragment bits are read); one with an L3 or L2 rule set
 * (every flow of the port masked alike) gets the same single probe at its depth.
 *
 * <p>Thread-safety: writers are serialized by the classifier's lock; they publish a {@link Port}
 * per input port and insert into its table with release stores. PMD threads read without locks.
 * A flow found here may have died since: readers check {@link Megaflow#dead} and fall back to
 * the full lookup, as they do for everything this table cannot decide.
 */
final class PortClassifier {
    private static final long IN_PORT_MASK = 0xffffffff00000000L;
    private static final long FRAG_MASK = 0xffL << 32;
    private static final long RECIRC_MASK = 0xffffffff00000000L;
    /** {@link Port#level} of a simple match: only words 0 and 4's fragment bits are read. */
    static final int SIMPLE = -1;
    /** Up to this many flows a port's flows are compared in turn instead of hashed ({@link Port#few}). */
    static final int FEW = 4;

    /** One port's single-mask table, as published to readers. */
    static final class Port {
        final MaskTable table;
        /** {@link #SIMPLE} or a {@link FlowKey} extraction level. */
        final int level;
        final boolean usesFrag;
        /** For {@link #SIMPLE}: the same flows keyed by their two words, inline (one cache line a probe). */
        final long mask0;
        final long mask4;
        private final long[] key0;
        private final long[] key4;
        private final Megaflow[] flows;
        /**
         * The port's flows when it has at most {@link #FEW}: checked by masked compares in turn,
         * no hashing (a port with a handful of megaflows, such as one flow and its drop twin, is
         * common; hashing the key costs more than two or three compares). Null for more.
         */
        final Megaflow[] few;

        Port(MaskTable table, int level) {
            this.table = table;
            this.level = level;
            Megaflow[] some = null;
            if (table.live <= FEW) {
                List<Megaflow> live = new ArrayList<>(FEW);
                for (Megaflow f : table.slots()) {
                    if (f != null && f != MaskTable.TOMBSTONE) {
                        live.add(f);
                    }
                }
                some = live.toArray(new Megaflow[0]);
            }
            this.few = some;
            this.usesFrag = (table.mask.w[4] & FRAG_MASK) != 0;
            this.mask0 = table.mask.w[0];
            this.mask4 = table.mask.w[4];
            List<Megaflow> simple = new ArrayList<>();
            if (level == SIMPLE) {
                for (Megaflow f : table.slots()) {
                    if (f != null && f != MaskTable.TOMBSTONE && !f.dead) {
                        simple.add(f);
                    }
                }
            }
            int size = Integer.highestOneBit(Math.max(4, simple.size() * 2) - 1) << 1;
            key0 = new long[size];
            key4 = new long[size];
            flows = new Megaflow[size];
            int m = size - 1;
            for (Megaflow f : simple) {
                long k0 = f.key.w[0];
                long k4 = f.key.w[4];
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

        private static int slot(long k0, long k4) {
            long h = (k0 ^ Long.rotateLeft(k4, 29)) * 0x9e3779b97f4a7c15L;
            return (int) (h >>> 40) ^ (int) (h >>> 17);
        }

        /** The flow matching {@code key} (parsed to this port's level), or null. PMD threads. */
        Megaflow lookup(FlowKey key) {
            Megaflow[] some = few;
            if (some == null) {
                return table.lookup(key);
            }
            for (Megaflow f : some) {
                if (f.key.matchesMasked(key, f.mask, f.words)) {
                    return f;
                }
            }
            return null;
        }

        /** The simple flow for these packet words, or null. PMD threads. */
        Megaflow lookupSimple(long w0, long w4) {
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

    /** Writer-side bookkeeping of one input port. */
    private static final class State {
        /** Flows of the port by mask (FlowKey compares its words). */
        final Map<FlowKey, Integer> masks = new HashMap<>();
        int needFull;   // flows whose actions rewrite L3/L4 headers (they need every offset)
        MaskTable table;
    }

    private volatile Port[] ports = new Port[0];
    private final Map<Integer, State> states = new HashMap<>();

    /** The single-mask table of {@code inPort}, or null. PMD threads. */
    Port port(int inPort) {
        Port[] p = ports;
        return inPort >= 0 && inPort < p.length ? p[inPort] : null;
    }

    /** True if the flow's actions rewrite network or transport headers (checksums need every offset). */
    private static boolean needsFull(Megaflow f) {
        int[] prog = f.program;
        for (int pc = 0; pc < prog.length; pc += DpActions.length(prog, pc)) {
            int op = prog[pc];
            if (op == DpActions.SET_IPV4 || op == DpActions.SET_IPV6 || op == DpActions.SET_L4
                    || op == DpActions.CLONE) {
                return true;
            }
        }
        return false;
    }

    /** How deep packets must be parsed for {@code mask}: {@link #SIMPLE} or an extraction level. */
    static int levelOf(FlowKey mask) {
        long[] m = mask.w;
        if ((m[0] & IN_PORT_MASK) != IN_PORT_MASK) {
            return FlowKey.EXTRACT_ALL;
        }
        boolean l2 = true;
        boolean simple = (m[4] & ~FRAG_MASK) == 0 && (m[9] & ~RECIRC_MASK) == 0;
        for (int i = 1; i < FlowKey.WORDS; i++) {
            if (m[i] == 0) {
                continue;
            }
            if (i != 4 && i != 9) {
                simple = false;
            }
            if (i != 1 && i != 2 && i != 9 && i != 10) {
                l2 = false;
            }
        }
        if (simple) {
            return SIMPLE;
        }
        if ((m[9] & 0xffff) != 0 || (m[4] & 0xffffffffL) != 0 || m[11] != 0 || m[12] != 0 || m[13] != 0) {
            return FlowKey.EXTRACT_ALL;   // transport ports, TCP flags, ICMP, neighbour discovery
        }
        return l2 ? FlowKey.EXTRACT_L2 : FlowKey.EXTRACT_L3;
    }

    /** A flow was added to the classifier (whose own tables hold it too). */
    void added(Megaflow f, Dpcls owner) {
        if ((f.key.w[9] & RECIRC_MASK) != 0) {
            return;   // recirculated passes take the full path
        }
        int port = f.key.inPort();
        State st = states.computeIfAbsent(port, k -> new State());
        st.masks.merge(f.mask, 1, Integer::sum);
        if (needsFull(f)) {
            st.needFull++;
        }
        if (st.masks.size() == 1 && st.table != null) {
            st.table.insert(f);
        } else if (st.masks.size() == 1) {
            st.table = rebuild(port, f.mask, owner);
        } else {
            st.table = null;
        }
        publish(port, st);
    }

    /** A flow left the classifier. */
    void removed(Megaflow f, Dpcls owner) {
        if ((f.key.w[9] & RECIRC_MASK) != 0) {
            return;
        }
        int port = f.key.inPort();
        State st = states.get(port);
        if (st == null) {
            return;
        }
        st.masks.computeIfPresent(f.mask, (k, n) -> n > 1 ? n - 1 : null);
        if (needsFull(f)) {
            st.needFull--;
        }
        if (st.masks.isEmpty()) {
            states.remove(port);
            publish(port, null);
            return;
        }
        if (st.table != null) {
            st.table.remove(f);
        } else if (st.masks.size() == 1) {
            // Back to one mask: its flows get a table again.
            st.table = rebuild(port, st.masks.keySet().iterator().next(), owner);
        }
        publish(port, st);
    }

    void clear() {
        states.clear();
        ports = new Port[0];
    }

    private static MaskTable rebuild(int port, FlowKey mask, Dpcls owner) {
        MaskTable t = new MaskTable(mask);
        for (Megaflow f : owner.flowsWithMask(mask)) {
            if (f.key.inPort() == port && (f.key.w[9] & RECIRC_MASK) == 0) {
                t.insert(f);
            }
        }
        return t;
    }

    private void publish(int inPort, State st) {
        Port next = null;
        if (st != null && st.table != null) {
            int level = st.needFull > 0 ? FlowKey.EXTRACT_ALL : levelOf(st.table.mask);
            Port cur = port(inPort);
            // A simple port's inline table, and a port's few flows, are rebuilt on every change;
            // others share the MaskTable.
            next = cur != null && cur.table == st.table && cur.level == level && level != SIMPLE
                    && cur.few == null && st.table.live > FEW ? cur : new Port(st.table, level);
            if (next == cur) {
                return;
            }
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
}
