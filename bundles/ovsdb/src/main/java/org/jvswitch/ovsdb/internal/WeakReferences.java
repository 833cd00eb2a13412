package org.jvswitch.ovsdb.internal;

import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.BiPredicate;

import org.jvswitch.api.ovsdb.DbSchema.BaseType;
import org.jvswitch.api.ovsdb.DbSchema.Type;
import org.jvswitch.api.ovsdb.OvsdbException;

/**
 * RFC 7047's weak references: a reference to a row that does not exist is removed from its set
 * (or its key/value pair from the map) instead of failing the transaction, unless that leaves the
 * column with fewer elements than its type's minimum.
 */
final class WeakReferences {
    private WeakReferences() {
    }

    static boolean hasDangling(Row row, BiPredicate<String, UUID> exists) {
        boolean[] found = {false};
        References.forEach(row, false, (c, table, target) -> found[0] |= !exists.test(table, target));
        return found[0];
    }

    /**
     * The row without weak references to missing rows; {@code row} itself if it has none.
     *
     * @param inserted whether this transaction inserted the row (named in the error, as ovsdb-server does)
     * @throws OvsdbException "constraint violation" if a column would drop below its minimum size
     */
    static Row clean(Row row, BiPredicate<String, UUID> exists, boolean inserted) throws OvsdbException {
        Row result = row;
        for (int c : row.spec.weakRefColumns) {
            Type type = row.spec.columns[c].type();
            Object value = row.value(c);
            BaseType key = TableSpec.isRef(type.key(), false) ? type.key() : null;
            BaseType val = TableSpec.isRef(type.value(), false) ? type.value() : null;
            int size;
            Object cleaned;
            int removed = 0;
            boolean onlyZeros = true;
            if (value instanceof Map<?, ?> m) {
                TreeMap<Object, Object> kept = new TreeMap<>();
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    UUID gone = missing(key, e.getKey(), exists);
                    if (gone == null) {
                        gone = missing(val, e.getValue(), exists);
                    }
                    if (gone == null) {
                        kept.put(e.getKey(), e.getValue());
                    } else {
                        removed++;
                        onlyZeros &= gone.equals(Datum.ZERO_UUID);
                    }
                }
                size = kept.size();
                cleaned = kept.isEmpty() ? Collections.emptySortedMap() : Collections.unmodifiableSortedMap(kept);
            } else if (value instanceof Collection<?> set) {
                TreeSet<Object> kept = new TreeSet<>();
                for (Object atom : set) {
                    UUID gone = missing(key, atom, exists);
                    if (gone == null) {
                        kept.add(atom);
                    } else {
                        removed++;
                        onlyZeros &= gone.equals(Datum.ZERO_UUID);
                    }
                }
                size = kept.size();
                cleaned = kept.isEmpty() ? Collections.emptySortedSet() : Collections.unmodifiableSortedSet(kept);
            } else {
                UUID gone = missing(key, value, exists);
                if (gone != null) {
                    removed = 1;
                    onlyZeros = gone.equals(Datum.ZERO_UUID);
                }
                size = gone == null ? 1 : 0;
                cleaned = value;
            }
            if (removed == 0) {
                continue;
            }
            if (size < type.min()) {
                throw tooFew(row, c, removed, onlyZeros, inserted);
            }
            result = result.with(c, cleaned);
        }
        return result;
    }

    private static UUID missing(BaseType ref, Object atom, BiPredicate<String, UUID> exists) {
        if (ref == null) {
            return null;
        }
        UUID target = (UUID) atom;
        return exists.test(ref.refTable(), target) ? null : target;
    }

    private static OvsdbException tooFew(Row row, int c, int removed, boolean onlyZeros, boolean inserted) {
        String column = row.spec.columns[c].name();
        String where = "column \"" + column + "\" in \"" + row.spec.name + "\" row " + row.uuid()
                + (inserted ? " (inserted within this transaction)" : "");
        if (onlyZeros) {
            return new OvsdbException("constraint violation", "Weak reference " + where
                    + " contained all-zeros UUID (probably as the default value for this column) but deleting"
                    + " this value caused a constraint violation because this column is not allowed to be empty.");
        }
        return new OvsdbException("constraint violation", "Deletion of " + removed + " weak reference(s) to"
                + " deleted (or never-existing) rows from " + where + " caused this column to become empty,"
                + " but constraints on this column disallow an empty column.");
    }
}
