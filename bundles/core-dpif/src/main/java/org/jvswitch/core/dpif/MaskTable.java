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
    volatile Megaflow[] slots = new Megaflow[16];
    /** Lookups this subtable answered since the last ranking (racy counter). */
    long hits;
    int used;   // live + tombstones, writers only
    int live;

    MaskTable(FlowKey mask) {
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
