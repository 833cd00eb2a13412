package org.jvswitch.ovsdb.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jvswitch.api.ovsdb.OvsdbException;

/**
 * The schema's unique indexes (RFC 7047 "indexes"; Open vSwitch's ovsdb_txn_create_indexes and
 * check_index_uniqueness): after garbage collection, no two rows of a table may have equal values
 * in all columns of an index. Only rows the transaction changed are looked at, against the
 * committed index maps, so the check costs O(changed rows). It also yields the updated maps.
 */
final class IndexCheck {
    private IndexCheck() {
    }

    /** New index maps of every table with indexes the transaction touched. */
    static Map<String, List<PersistentMap<Object, UUID>>> run(TxnRows txn) throws OvsdbException {
        Map<String, List<TxnRow>> byTable = new LinkedHashMap<>();
        for (TxnRow r : txn.all()) {
            if (r.spec.indexes.length > 0 && r.changed()) {
                byTable.computeIfAbsent(r.spec.name, t -> new ArrayList<>()).add(r);
            }
        }
        Map<String, List<PersistentMap<Object, UUID>>> result = new HashMap<>();
        for (Map.Entry<String, List<TxnRow>> e : byTable.entrySet()) {
            TableData committed = txn.base.table(e.getKey());
            List<PersistentMap<Object, UUID>> indexes = new ArrayList<>();
            for (int i = 0; i < committed.spec().indexes.length; i++) {
                indexes.add(update(txn, committed, i, e.getValue()));
            }
            result.put(e.getKey(), List.copyOf(indexes));
        }
        return result;
    }

    private static PersistentMap<Object, UUID> update(TxnRows txn, TableData committed, int index,
                                                      List<TxnRow> changed) throws OvsdbException {
        int[] columns = committed.spec().indexes[index];
        PersistentMap<Object, UUID> map = committed.indexes().get(index);
        Map<Object, TxnRow> newKeys = new HashMap<>();
        for (TxnRow r : changed) {
            if (r.now == null) {
                continue;
            }
            Object key = TableData.indexKey(r.now, columns);
            TxnRow other = newKeys.putIfAbsent(key, r);
            if (other != null) {
                throw duplicate(committed.spec(), columns, key, describe(other, columns), other.uuid,
                        describe(r, columns), r.uuid);
            }
            UUID holder = map.get(key);
            if (holder != null && !holder.equals(r.uuid)) {
                TxnRow h = txn.txnRow(holder);
                // A committed holder that this transaction deleted or moved to another key is no clash;
                // a changed one that keeps the key is caught through newKeys.
                boolean stillHolds = h == null || (h.now != null && key.equals(TableData.indexKey(h.now, columns)));
                if (stillHolds && (h == null || !h.changed())) {
                    throw duplicate(committed.spec(), columns, key,
                            "existed in the database before this transaction and was not modified by the"
                                    + " transaction.", holder, describe(r, columns), r.uuid);
                }
            }
        }
        for (TxnRow r : changed) {
            if (r.old != null) {
                Object oldKey = TableData.indexKey(r.old, columns);
                if (r.uuid.equals(map.get(oldKey))) {
                    map = map.minus(oldKey);
                }
            }
        }
        for (Map.Entry<Object, TxnRow> e : newKeys.entrySet()) {
            map = map.plus(e.getKey(), e.getValue().uuid);
        }
        return map;
    }

    private static String describe(TxnRow r, int[] columns) {
        if (r.old == null) {
            return "was inserted by this transaction.";
        }
        Object oldKey = TableData.indexKey(r.old, columns);
        if (oldKey.equals(TableData.indexKey(r.now, columns))) {
            return "existed in the database before this transaction, which modified some of the row's columns"
                    + " but not any columns in this index.";
        }
        return "had the following index values before the transaction: " + values(r.spec, columns, r.old) + ".";
    }

    private static OvsdbException duplicate(TableSpec spec, int[] columns, Object key, String first,
                                            UUID firstUuid, String second, UUID secondUuid) {
        Object[] values = columns.length == 1 ? new Object[] {key} : ((List<?>) key).toArray();
        StringBuilder sb = new StringBuilder("Transaction causes multiple rows in \"").append(spec.name)
                .append("\" table to have identical values (");
        for (int i = 0; i < columns.length; i++) {
            sb.append(i > 0 ? ", " : "").append(Datum.toString(spec.columns[columns[i]].type(), values[i]));
        }
        sb.append(") for index on column").append(columns.length > 1 ? "s " : " ");
        for (int i = 0; i < columns.length; i++) {
            if (i > 0) {
                sb.append(i == columns.length - 1 ? (columns.length > 2 ? ", and " : " and ") : ", ");
            }
            sb.append('"').append(spec.columns[columns[i]].name()).append('"');
        }
        sb.append(".  First row, with UUID ").append(firstUuid).append(", ").append(first)
                .append("  Second row, with UUID ").append(secondUuid).append(", ").append(second);
        return new OvsdbException("constraint violation", sb.toString());
    }

    private static String values(TableSpec spec, int[] columns, Row row) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < columns.length; i++) {
            sb.append(i > 0 ? ", " : "").append(Datum.toString(spec.columns[columns[i]].type(), row.value(columns[i])));
        }
        return sb.toString();
    }
}
