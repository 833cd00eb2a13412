package org.jvswitch.ovsdb.internal;

import java.util.UUID;

/**
 * Who references a row: the number of other rows holding a strong reference to it (Open vSwitch's
 * {@code n_refs}, which decides garbage collection and blocks deletion), and the rows holding weak
 * references to it by table (its {@code dst_refs}, which are cleaned when it is deleted).
 */
record Referrers(int strong, PersistentMap<UUID, String> weak) {
    static final Referrers NONE = new Referrers(0, PersistentMap.empty());

    Referrers withStrong(int delta) {
        return new Referrers(strong + delta, weak);
    }

    Referrers withWeak(UUID referrer, String table, boolean add) {
        return new Referrers(strong, add ? weak.plus(referrer, table) : weak.minus(referrer));
    }

    boolean isEmpty() {
        return strong == 0 && weak.isEmpty();
    }
}
