package org.jvswitch.core.dpif;

import org.jvswitch.api.flow.FlowKey;

/**
 * Per-PMD exact match cache (Open vSwitch's EMC): full flow key to megaflow, two candidate slots
 * per key. Owned by one thread; no locks. A cached flow that died since is a miss.
 */
final class ExactMatchCache {
    static final int ENTRIES = 8192;
    private static final int MASK = ENTRIES - 1;

    private final long[] keys = new long[ENTRIES * FlowKey.WORDS];
    private final int[] hashes = new int[ENTRIES];
    private final Megaflow[] flows = new Megaflow[ENTRIES];

    Megaflow lookup(FlowKey key, int hash) {
        Megaflow f = probe(key, hash, hash & MASK);
        return f != null ? f : probe(key, hash, (hash >>> 13) & MASK);
    }

    private Megaflow probe(FlowKey key, int hash, int idx) {
        Megaflow f = flows[idx];
        if (f == null || hashes[idx] != hash || f.dead) {
            return null;
        }
        int base = idx * FlowKey.WORDS;
        long[] w = key.w;
        for (int i = 0; i < FlowKey.WORDS; i++) {
            if (keys[base + i] != w[i]) {
                return null;
            }
        }
        return f;
    }

    /** Caches {@code flow} for {@code key}, replacing a dead or the second candidate's entry. */
    void insert(FlowKey key, int hash, Megaflow flow) {
        int a = hash & MASK;
        int b = (hash >>> 13) & MASK;
        int idx = (flows[a] == null || flows[a].dead) ? a : (flows[b] == null || flows[b].dead) ? b : b;
        System.arraycopy(key.w, 0, keys, idx * FlowKey.WORDS, FlowKey.WORDS);
        hashes[idx] = hash;
        flows[idx] = flow;
    }

    void clear() {
        java.util.Arrays.fill(flows, null);
    }
}
