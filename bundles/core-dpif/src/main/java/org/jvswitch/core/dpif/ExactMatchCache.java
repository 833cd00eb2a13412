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
        if (keys[base] != w[0]) {
            return null;
        }
        // Same in_port, EtherType and VLAN: for IPv4 the IPv6, ARP-address and ND words are zero
        // in both keys, so comparing the others decides.
        if (key.dlType() == FlowKey.ETH_TYPE_IP) {
            return keys[base + 1] == w[1] && keys[base + 2] == w[2] && keys[base + 3] == w[3]
                    && keys[base + 4] == w[4] && keys[base + 9] == w[9] && keys[base + 10] == w[10] ? f : null;
        }
        for (int i = 1; i < FlowKey.WORDS; i++) {
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
}
