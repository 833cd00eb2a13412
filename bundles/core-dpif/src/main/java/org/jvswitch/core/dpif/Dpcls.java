package org.jvswitch.core.dpif;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
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
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Megaflow[].class);
    private static final Megaflow TOMBSTONE = new Megaflow(new FlowKey(), new FlowKey(),
            org.jvswitch.api.dpif.DpActions.DROP);

    private volatile Subtable[] subtables = new Subtable[0];
    /** The simple-match view of the same flows, maintained with them. */
    final SimpleMatch simple = new SimpleMatch();
    /** Live flows, maintained by writers. */
    private volatile int size;

    /**
     * Finds the flow covering {@code key}; null on a miss. On a hit {@code lookups[0]} grows by
     * the number of subtables searched (as Open vSwitch counts "subtable lookups per megaflow
     * hit"). PMD threads; no allocation.
     */
    Megaflow lookup(FlowKey key, long[] lookups) {
        Subtable[] tables = subtables;
        for (int i = 0; i < tables.length; i++) {
            Subtable t = tables[i];
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
        for (Subtable t : subtables) {
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
        simple.added(flow);
        Subtable table = null;
        for (Subtable t : subtables) {
            if (Arrays.equals(t.mask.w, flow.mask.w)) {
                table = t;
                break;
            }
        }
        if (table == null) {
            table = new Subtable(flow.mask);
            Subtable[] grown = Arrays.copyOf(subtables, subtables.length + 1);
            grown[grown.length - 1] = table;
            table.insert(flow);
            subtables = grown;
            return;
        }
        table.insert(flow);
    }

    synchronized boolean remove(Megaflow flow) {
        for (int i = 0; i < subtables.length; i++) {
            Subtable t = subtables[i];
            if (t.mask == flow.mask || Arrays.equals(t.mask.w, flow.mask.w)) {
                boolean removed = t.remove(flow);
                if (removed) {
                    size--;
                    simple.removed(flow);
                }
                if (t.live == 0) {
                    Subtable[] shrunk = new Subtable[subtables.length - 1];
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
        subtables = new Subtable[0];
        size = 0;
        simple.clear();
        return all;
    }

    synchronized List<Megaflow> flows() {
        List<Megaflow> out = new ArrayList<>();
        for (Subtable t : subtables) {
            for (Megaflow f : t.slots) {
                if (f != null && f != TOMBSTONE) {
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
        Subtable[] current = subtables;
        if (current.length < 2) {
            return;
        }
        Subtable[] sorted = current.clone();
        java.util.Arrays.sort(sorted, (a, b) -> Long.compare(b.hits, a.hits));
        for (Subtable t : sorted) {
            t.hits = 0;
        }
        if (!java.util.Arrays.equals(sorted, current)) {
            subtables = sorted;
        }
    }

    /** One mask's flows: open addressing with linear probing. */
    private static final class Subtable {
        final FlowKey mask;
        /** The mask's non-zero words: hashing and comparing only these keeps lookups short. */
        final int[] words;
        volatile Megaflow[] slots = new Megaflow[16];
        /** Lookups this subtable answered since the last ranking (racy counter). */
        long hits;
        int used;   // live + tombstones, writers only
        int live;

        Subtable(FlowKey mask) {
            this.mask = mask;
            this.words = mask.nonZeroWords();
        }

        Megaflow lookup(FlowKey key) {
            Megaflow[] s = slots;
            int h = FlowKey.hashMasked(key, mask, words);
            int m = s.length - 1;
            for (int i = h & m; ; i = (i + 1) & m) {
                Megaflow f = (Megaflow) SLOT.getAcquire(s, i);
                if (f == null) {
                    return null;
                }
                if (f != TOMBSTONE && f.hash == h && f.key.matchesMasked(key, mask, words)) {
                    return f;
                }
            }
        }

        void insert(Megaflow flow) {
            if ((used + 1) * 2 > slots.length) {
                rehash(live + 1 > slots.length / 4 ? slots.length * 2 : slots.length);
            }
            place(slots, flow);
            used++;
            live++;
        }

        boolean remove(Megaflow flow) {
            Megaflow[] s = slots;
            int m = s.length - 1;
            for (int i = flow.hash & m; ; i = (i + 1) & m) {
                Megaflow f = s[i];
                if (f == null) {
                    return false;
                }
                if (f == flow) {
                    flow.dead = true;
                    SLOT.setRelease(s, i, TOMBSTONE);
                    live--;
                    return true;
                }
            }
        }

        private void rehash(int size) {
            Megaflow[] fresh = new Megaflow[size];
            for (Megaflow f : slots) {
                if (f != null && f != TOMBSTONE) {
                    place(fresh, f);
                }
            }
            used = live;
            slots = fresh;
        }

        private static void place(Megaflow[] s, Megaflow flow) {
            int m = s.length - 1;
            for (int i = flow.hash & m; ; i = (i + 1) & m) {
                if (s[i] == null || s[i] == TOMBSTONE) {
                    SLOT.setRelease(s, i, flow);
                    return;
                }
            }
        }
    }
}
