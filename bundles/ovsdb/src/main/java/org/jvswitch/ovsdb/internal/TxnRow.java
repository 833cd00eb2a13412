package org.jvswitch.ovsdb.internal;

import java.util.UUID;

/**
 * A row a transaction touched (Open vSwitch's ovsdb_txn_row): its committed version {@code old}
 * (null if the transaction inserted it) and the version the transaction leaves, {@code now}
 * (null if deleted).
 */
final class TxnRow {
    final TableSpec spec;
    final UUID uuid;
    final Row old;
    Row now;

    TxnRow(TableSpec spec, UUID uuid, Row old, Row now) {
        this.spec = spec;
        this.uuid = uuid;
        this.old = old;
        this.now = now;
    }

    boolean inserted() {
        return old == null;
    }

    /** False for a row inserted and deleted again, or put back as it was. */
    boolean changed() {
        return old == null ? now != null : !old.equals(now);
    }
}
