package org.jvswitch.ovsdb.internal;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The rows a transaction changed against a committed {@link Snapshot}, and the state they give:
 * a row is looked up here first, then in the snapshot. Kept in first-touch order, which is the order
 * the log record lists rows in.
 */
final class TxnRows {
    final Snapshot base;
    private final LinkedHashMap<UUID, TxnRow> rows = new LinkedHashMap<>();
    private final Map<String, Integer> perTable = new HashMap<>();

    TxnRows(Snapshot base) {
        this.base = base;
    }

    /** The row as the transaction leaves it, or null if it does not exist (then). */
    Row get(String table, UUID uuid) {
        TxnRow r = rows.get(uuid);
        if (r != null && r.spec.name.equals(table)) {
            return r.now;
        }
        return base.get(table, uuid);
    }

    boolean exists(String table, UUID uuid) {
        return get(table, uuid) != null;
    }

    TxnRow txnRow(UUID uuid) {
        return rows.get(uuid);
    }

    /** Records the transaction's version of a row (null: deleted); returns the version it replaced. */
    Row set(TableSpec spec, UUID uuid, Row now) {
        TxnRow r = rows.get(uuid);
        if (r == null || !r.spec.name.equals(spec.name)) {
            Row old = base.get(spec.name, uuid);
            rows.put(uuid, new TxnRow(spec, uuid, old, now));
            perTable.merge(spec.name, 1, Integer::sum);
            return old;
        }
        Row before = r.now;
        r.now = now;
        return before;
    }

    Collection<TxnRow> all() {
        return rows.values();
    }

    boolean touches(String table) {
        return perTable.containsKey(table);
    }

    boolean isEmpty() {
        return rows.isEmpty();
    }
}
