package org.jvswitch.ovsdb.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * One table in one {@link Snapshot}: its rows by UUID and, per unique index of the schema, the row
 * holding each index value. Both are persistent maps, so a commit copies only the paths it touches.
 */
record TableData(TableSpec spec, PersistentMap<UUID, Row> rows, List<PersistentMap<Object, UUID>> indexes) {

    static TableData empty(TableSpec spec) {
        List<PersistentMap<Object, UUID>> indexes = new ArrayList<>();
        for (int i = 0; i < spec.indexes.length; i++) {
            indexes.add(PersistentMap.empty());
        }
        return new TableData(spec, PersistentMap.empty(), List.copyOf(indexes));
    }

    /** The value a row has for an index: the column value itself for one column, else a list. */
    static Object indexKey(Row row, int[] columns) {
        if (columns.length == 1) {
            return row.value(columns[0]);
        }
        Object[] key = new Object[columns.length];
        for (int i = 0; i < columns.length; i++) {
            key[i] = row.value(columns[i]);
        }
        return List.of(key);
    }
}
