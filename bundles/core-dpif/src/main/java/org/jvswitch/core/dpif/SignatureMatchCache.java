package org.jvswitch.core.dpif;

import org.jvswitch.api.flow.FlowKey;

/**
 * Per-PMD signature match cache (Open vSwitch's SMC, {@code other_config:smc-enable}): a large
 * direct-mapped table from a key's hash to the megaflow that covered it. Unlike the EMC it keeps
 * no copy of the key, so it is cheap per entry and holds a million flows; a hit is confirmed by
 * matching the key against the megaflow's own masked key. Owned by one thread; no locks.
 */
final class SignatureMatchCache {
    static final int ENTRIES = 1 << 20;
    private static final int MASK = ENTRIES - 1;

    private final int[] signatures = new int[ENTRIES];
    private final Megaflow[] flows = new Megaflow[ENTRIES];

    Megaflow lookup(FlowKey key, int hash) {
        int idx = hash & MASK;
        Megaflow f = flows[idx];
        if (f == null || signatures[idx] != hash || f.dead || !f.key.matchesMasked(key, f.mask, f.words)) {
            return null;
        }
        return f;
    }

    void insert(int hash, Megaflow flow) {
        int idx = hash & MASK;
        signatures[idx] = hash;
        flows[idx] = flow;
    }
}
