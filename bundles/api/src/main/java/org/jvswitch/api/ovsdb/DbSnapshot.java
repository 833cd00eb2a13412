package org.jvswitch.api.ovsdb;

import java.util.Collection;
import java.util.UUID;

/** An immutable state of the database. */
public interface DbSnapshot {
    /** Monotonic number of the commit that produced this state (0 for the empty database). */
    long version();

    /** Every row of {@code table}, in no particular order. Unknown table: IllegalArgumentException. */
    Collection<DbRow> rows(String table);

    /** The row, or null. */
    DbRow row(String table, UUID uuid);

    /** The first row whose column {@code column} equals {@code value}, or null (e.g. a Bridge by name). */
    default DbRow find(String table, String column, Object value) {
        for (DbRow r : rows(table)) {
            if (value.equals(r.get(column))) {
                return r;
            }
        }
        return null;
    }
}
