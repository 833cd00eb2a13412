package org.jvswitch.core.dpif;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

import org.jvswitch.api.dpif.DpActions;
import org.jvswitch.api.flow.FlowKey;

/**
 * One mask's flows: open addressing with linear probing (a classifier subtable). Lookups run on
 * PMD threads without locks; writers are serialized by their owner and publish with release
 * stores.
 */
final class MaskTable {
    static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Megaflow[].class);
    static final Megaflow TOMBSTONE = new Megaflow(new FlowKey(), new FlowKey(), DpActions.DROP);

    final FlowKey mask;
    /** The mask's non-zero words: hashing and comparing only these keeps lookups short. */
    final int[] words;
    /**
     * The slots with each flow's hash and masked key words alongside, in one object published as
     * a whole (a rehash replaces it): a probe touches a flow only once its inline hash and words
     * match, which spares the cache misses of the flow and its key in large tables.
     */
    private volatile Table table;
    /** Lookups this subtable answered since the last ranking (racy counter). */
    long hits;
    int used;   // live + tombstones, writers only
    int live;

    private static final class Table {
        final Megaflow[] flows;
        final int[] hashes;
        final long[] keys;

        Table(int size, int nWords) {
            flows = new Megaflow[size];
            hashes = new int[size];
            keys = new long[size * nWords];
        }
    }

    MaskTable(FlowKey mask) {
        this.mask = mask;
        this.words = mask.nonZeroWords();
        this.table = new Table(16, words.length);
    }

    /** The slots (null, {@link #TOMBSTONE} or a flow); for writers and dumps. */
    Megaflow[] slots() {
        return table.flows;
    }

    Megaflow lookup(FlowKey key) {
        return lookup(key, hash(key));
    }

    /** The hash of {@code key} under this table's mask. */
    int hash(FlowKey key) {
        return FlowKey.hashMasked(key, mask, words);
    }

    /**
     * Loads the home slot of hash {@code h} (its inline hash and first key word) and returns them
     * folded, for a caller to keep: a batch touches every packet's slot first, so that the cache
     * misses of a large table overlap instead of coming one packet after another (what Open
     * vSwitch's batched cmap lookups prefetch). The probe that follows finds the lines in cache.
     */
    long touch(int h) {
        Table t = table;
        int i = h & (t.hashes.length - 1);
        return t.hashes[i] ^ t.keys[i * words.length];
    }

    /** {@link #lookup(FlowKey)} with the key's {@link #hash} already computed. */
    Megaflow lookup(FlowKey key, int h) {
        Table t = table;
        Megaflow[] s = t.flows;
        int[] hs = t.hashes;
        int m = s.length - 1;
        for (int i = h & m; ; i = (i + 1) & m) {
            Megaflow f = (Megaflow) SLOT.getAcquire(s, i);
            if (f == null) {
                return null;
            }
            // Inline hash and key words: the flow itself is touched only when they match.
            if (hs[i] == h && f != TOMBSTONE && keysMatch(t.keys, i * words.length, key.w)) {
                return f;
            }
        }
    }

    private boolean keysMatch(long[] keys, int base, long[] kw) {
        int[] ws = words;
        long[] mw = mask.w;
        for (int j = 0; j < ws.length; j++) {
            int w = ws[j];
            if ((kw[w] & mw[w]) != keys[base + j]) {
                return false;
            }
        }
        return true;
    }

    void insert(Megaflow flow) {
        Table t = table;
        if ((used + 1) * 2 > t.flows.length) {
            rehash(live + 1 > t.flows.length / 4 ? t.flows.length * 2 : t.flows.length);
            t = table;
        }
        place(t, flow);
        used++;
        live++;
    }

    boolean remove(Megaflow flow) {
        Megaflow[] s = table.flows;
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
        Table fresh = new Table(size, words.length);
        for (Megaflow f : table.flows) {
            if (f != null && f != TOMBSTONE) {
                place(fresh, f);
            }
        }
        used = live;
        table = fresh;
    }

    /** Fills the slot's hash and key words first, then publishes the flow (release). */
    private void place(Table t, Megaflow flow) {
        Megaflow[] s = t.flows;
        int m = s.length - 1;
        for (int i = flow.hash & m; ; i = (i + 1) & m) {
            if (s[i] == null || s[i] == TOMBSTONE) {
                t.hashes[i] = flow.hash;
                int base = i * words.length;
                for (int j = 0; j < words.length; j++) {
                    t.keys[base + j] = flow.key.w[words[j]];
                }
                SLOT.setRelease(s, i, flow);
                return;
            }
        }
    }
}
