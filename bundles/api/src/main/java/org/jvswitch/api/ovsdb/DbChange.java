package org.jvswitch.api.ovsdb;

import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * One committed transaction: the states before and after, and the rows that changed, per table.
 * A row in {@code changed} may be inserted (absent in {@code before}), deleted (absent in
 * {@code after}) or modified.
 */
public record DbChange(DbSnapshot before, DbSnapshot after, Map<String, Set<UUID>> changed) {
    public boolean touches(String table) {
        Set<UUID> rows = changed.get(table);
        return rows != null && !rows.isEmpty();
    }
}
