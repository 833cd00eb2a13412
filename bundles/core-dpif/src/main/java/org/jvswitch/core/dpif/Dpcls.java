package org.jvswitch.core.dpif;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.jvswitch.api.flow.FlowKey;

/**
 * The megaflow classifier (Open vSwitch's {@code dpcls}): one subtable per distinct mask, each a
 * hash table of masked keys. A lookup tries subtables in order until one matches.
 *
 * <p>The order is kept per in_port, as Open vSwitch keeps one classifier per in_port: each
 * input port searches first the subtables its own packets hit most ({@link #rank}). A port gets
 * an order of its own once a flow that matches it exactly is installed; until then, and for
 * ports beyond {@link #MAX_PORT_ORDERS}, the shared order is used.
 *
 * <p>Thread-safety: lookups run on PMD threads without locks; inserts and removals are serialized
 * by {@code this} and publish with release stores, so a reader sees either the old or the new
 * entry, never a half-built one. A removed flow is marked dead before it is unlinked.
 */
final class Dpcls {

    /** Input ports with an order of their own: odp port numbers below this. */
    static final int MAX_PORT_ORDERS = 1024;

    private volatile MaskTable[] subtables = new MaskTable[0];

    /** One input port's order of the subtables, and its hits on each since the last ranking. */
    private static final class PortOrder {
        final MaskTable[] tables;
        final long[] hits;

        PortOrder(MaskTable[] tables) {
            this.tables = tables;
            this.hits = new long[tables.length];
        }
    }

    /** By in_port; copied on write (by writers, under this), so readers see a whole array. */
    private volatile PortOrder[] orders = new PortOrder[0];
    /** The per-port single-mask view of the same flows, maintained with them. */
    final PortClassifier ports = new PortClassifier();
    /** Live flows, maintained by writers. */
    private volatile int size;

    /**
     * Finds the flow covering {@code key}; null on a miss. On a hit {@code lookups[0]} grows by
     * the number of subtables searched (as Open vSwitch counts "subtable lookups per megaflow
     * hit"). PMD threads; no allocation.
     */
    Megaflow lookup(FlowKey key, long[] lookups) {
        int port = key.inPort();
        PortOrder[] byPort = orders;
        PortOrder order = port >= 0 && port < byPort.length ? byPort[port] : null;
        MaskTable[] tables = order != null ? order.tables : subtables;
        for (int i = 0; i < tables.length; i++) {
            MaskTable t = tables[i];
            Megaflow f = t.lookup(key);
            if (f != null) {
                // Racy across PMDs on purpose: only an ordering hint.
                if (order != null) {
                    order.hits[i]++;
                } else {
                    t.hits++;
                }
                lookups[0] += i + 1;
                return f;
            }
        }
        return null;
    }

    /** The subtables in the order {@code inPort}'s lookups try them (tests, dumps). */
    MaskTable[] order(int inPort) {
        PortOrder[] byPort = orders;
        PortOrder o = inPort >= 0 && inPort < byPort.length ? byPort[inPort] : null;
        return o != null ? o.tables.clone() : subtables.clone();
    }

    /**
     * Keeps every port's order holding exactly the current subtables: a new one is tried last,
     * a removed one is dropped; the hits so far are kept. Under this.
     */
    private void syncOrders(int newPort) {
        MaskTable[] all = subtables;
        PortOrder[] byPort = orders;
        int length = byPort.length;
        if (newPort >= 0 && newPort < MAX_PORT_ORDERS && (newPort >= length || byPort[newPort] == null)) {
            length = Math.max(length, newPort + 1);
        }
        PortOrder[] next = Arrays.copyOf(byPort, length);
        for (int p = 0; p < next.length; p++) {
            PortOrder o = next[p];
            if (o == null && p != newPort) {
                continue;
            }
            MaskTable[] tables = new MaskTable[all.length];
            long[] hits = new long[all.length];
            int n = 0;
            if (o != null) {
                for (int i = 0; i < o.tables.length; i++) {
                    if (contains(all, o.tables[i])) {
                        hits[n] = o.hits[i];
                        tables[n++] = o.tables[i];
                    }
                }
            }
            for (MaskTable t : all) {
                if (!contains(tables, t)) {
                    tables[n++] = t;
                }
            }
            PortOrder updated = new PortOrder(tables);
            System.arraycopy(hits, 0, updated.hits, 0, hits.length);
            next[p] = updated;
        }
        orders = next;
    }

    private static boolean contains(MaskTable[] tables, MaskTable t) {
        for (MaskTable x : tables) {
            if (x == t) {
                return true;
            }
        }
        return false;
    }

    /** The in_port a flow matches exactly, or -1 if it matches any. */
    private static int exactInPort(Megaflow flow) {
        return (int) (flow.mask.w[0] >>> 32) == -1 ? flow.key.inPort() : -1;
    }

    /** The live flow with exactly this masked key and mask, or null. Writers only. */
    synchronized Megaflow find(FlowKey maskedKey, FlowKey mask) {
        for (MaskTable t : subtables) {
            if (Arrays.equals(t.mask.w, mask.w)) {
                return t.lookup(maskedKey);
            }
        }
        return null;
    }

    int size() {
        return size;
    }

    synchronized void insert(Megaflow flow) {
        size++;
        MaskTable table = null;
        for (MaskTable t : subtables) {
            if (Arrays.equals(t.mask.w, flow.mask.w)) {
                table = t;
                break;
            }
        }
        int port = exactInPort(flow);
        boolean newOrder = port >= 0 && port < MAX_PORT_ORDERS && (port >= orders.length || orders[port] == null);
        if (table == null) {
            table = new MaskTable(flow.mask);
            MaskTable[] grown = Arrays.copyOf(subtables, subtables.length + 1);
            grown[grown.length - 1] = table;
            table.insert(flow);
            subtables = grown;
            syncOrders(port);
        } else {
            table.insert(flow);
            if (newOrder) {
                syncOrders(port);
            }
        }
        ports.added(flow, this);
    }

    synchronized boolean remove(Megaflow flow) {
        for (int i = 0; i < subtables.length; i++) {
            MaskTable t = subtables[i];
            if (t.mask == flow.mask || Arrays.equals(t.mask.w, flow.mask.w)) {
                boolean removed = t.remove(flow);
                if (removed) {
                    size--;
                    ports.removed(flow, this);
                }
                if (t.live == 0) {
                    MaskTable[] shrunk = new MaskTable[subtables.length - 1];
                    System.arraycopy(subtables, 0, shrunk, 0, i);
                    System.arraycopy(subtables, i + 1, shrunk, i, subtables.length - i - 1);
                    subtables = shrunk;
                    syncOrders(-1);
                }
                return removed;
            }
        }
        return false;
    }

    /** Removes every flow, marking each dead. */
    synchronized List<Megaflow> clear() {
        List<Megaflow> all = flows();
        for (Megaflow f : all) {
            f.dead = true;
        }
        subtables = new MaskTable[0];
        orders = new PortOrder[0];
        size = 0;
        ports.clear();
        return all;
    }

    /** The live flows of the subtable with exactly this mask. Writers only (under this). */
    synchronized List<Megaflow> flowsWithMask(FlowKey mask) {
        List<Megaflow> out = new ArrayList<>();
        for (MaskTable t : subtables) {
            if (Arrays.equals(t.mask.w, mask.w)) {
                for (Megaflow f : t.slots()) {
                    if (f != null && f != MaskTable.TOMBSTONE) {
                        out.add(f);
                    }
                }
            }
        }
        return out;
    }

    synchronized List<Megaflow> flows() {
        List<Megaflow> out = new ArrayList<>();
        for (MaskTable t : subtables) {
            for (Megaflow f : t.slots()) {
                if (f != null && f != MaskTable.TOMBSTONE) {
                    out.add(f);
                }
            }
        }
        return out;
    }

    int subtableCount() {
        return subtables.length;
    }

    /**
     * Orders subtables by hits since the last ranking, most hit first, so that lookups stop
     * early (Open vSwitch's dpcls_sort_subtable_vector): each port's own order by its own
     * packets' hits, and the shared order by the rest. Called about once a second by the main
     * thread; readers see the old or the new order, both complete.
     */
    synchronized void rank() {
        MaskTable[] current = subtables;
        if (current.length < 2) {
            return;
        }
        MaskTable[] sorted = current.clone();
        Arrays.sort(sorted, (a, b) -> Long.compare(b.hits, a.hits));
        for (MaskTable t : sorted) {
            t.hits = 0;
        }
        if (!Arrays.equals(sorted, current)) {
            subtables = sorted;
        }
        PortOrder[] byPort = orders;
        PortOrder[] next = byPort.clone();
        boolean changed = false;
        for (int p = 0; p < next.length; p++) {
            PortOrder o = next[p];
            if (o == null) {
                continue;
            }
            Integer[] idx = new Integer[o.tables.length];
            for (int i = 0; i < idx.length; i++) {
                idx[i] = i;
            }
            long[] hits = o.hits;
            Arrays.sort(idx, (a, b) -> Long.compare(hits[b], hits[a]));
            MaskTable[] tables = new MaskTable[idx.length];
            boolean moved = false;
            for (int i = 0; i < idx.length; i++) {
                tables[i] = o.tables[idx[i]];
                moved |= idx[i] != i;
            }
            // Fresh counters either way: the ranking is by the last interval's hits.
            next[p] = new PortOrder(moved ? tables : o.tables);
            changed = true;
        }
        if (changed) {
            orders = next;
        }
    }
}
