package org.jvswitch.core.dpif;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.jvswitch.api.flow.FlowKey;

/**
 * The megaflow classifier (Open vSwitch's {@code dpcls}): one subtable per distinct mask, each a
 * hash table of masked keys. A lookup tries subtables in order until one matches.
 *
 * <p>Thread-safety: lookups run on PMD threads without locks; inserts and removals are serialized
 * by {@code this} and publish with release stores, so a reader sees either the old or the new
 * entry, never a half-built one. A removed flow is marked dead before it is unlinked.
 */
final class Dpcls {

    private volatile MaskTable[] subtables = new MaskTable[0];
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
        MaskTable[] tables = subtables;
        for (int i = 0; i < tables.length; i++) {
            MaskTable t = tables[i];
            Megaflow f = t.lookup(key);
            if (f != null) {
                t.hits++;   // racy across PMDs on purpose: only an ordering hint
                lookups[0] += i + 1;
                return f;
            }
        }
        return null;
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
        if (table == null) {
            table = new MaskTable(flow.mask);
            MaskTable[] grown = Arrays.copyOf(subtables, subtables.length + 1);
            grown[grown.length - 1] = table;
            table.insert(flow);
            subtables = grown;
        } else {
            table.insert(flow);
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
     * early (Open vSwitch's dpcls_sort_subtable_vector). Called about once a second by the main
     * thread; readers see the old or the new order, both complete.
     */
    synchronized void rank() {
        MaskTable[] current = subtables;
        if (current.length < 2) {
            return;
        }
        MaskTable[] sorted = current.clone();
        java.util.Arrays.sort(sorted, (a, b) -> Long.compare(b.hits, a.hits));
        for (MaskTable t : sorted) {
            t.hits = 0;
        }
        if (!java.util.Arrays.equals(sorted, current)) {
            subtables = sorted;
        }
    }
}
