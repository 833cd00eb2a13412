package org.jvswitch.vsctl.internal;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jvswitch.api.ovsdb.DbRow;
import org.jvswitch.api.ovsdb.DbSchema.AtomicType;
import org.jvswitch.api.ovsdb.DbSchema.Column;
import org.jvswitch.api.ovsdb.DbSchema.Table;

/**
 * Finds the row a RECORD argument names (ctl_get_row in lib/db-ctl-base.c): a UUID, "." for the
 * only row of a table, a name by the table's row ids (the {@code tables[]} of
 * utilities/ovs-vsctl.c), or a UUID prefix of at least 4 characters.
 */
final class RowLookup {
    /**
     * struct ctl_row_id: the record is the row of {@code table} whose {@code nameColumn} equals it;
     * with a {@code uuidColumn}, the row that column of the named row refers to.
     */
    record RowId(String table, String nameColumn, String uuidColumn) {
    }

    static final Map<String, RowId> ROW_IDS = Map.ofEntries(
            Map.entry("Bridge", new RowId("Bridge", "name", null)),
            Map.entry("Controller", new RowId("Bridge", "name", "controller")),
            Map.entry("Interface", new RowId("Interface", "name", null)),
            Map.entry("Mirror", new RowId("Mirror", "name", null)),
            Map.entry("Manager", new RowId("Manager", "target", null)),
            Map.entry("NetFlow", new RowId("Bridge", "name", "netflow")),
            Map.entry("Port", new RowId("Port", "name", null)),
            Map.entry("QoS", new RowId("Port", "name", "qos")),
            Map.entry("sFlow", new RowId("Bridge", "name", "sflow")),
            Map.entry("Flow_Table", new RowId("Flow_Table", "name", null)),
            Map.entry("IPFIX", new RowId("Bridge", "name", "ipfix")),
            Map.entry("AutoAttach", new RowId("Bridge", "name", "auto_attach")),
            Map.entry("Flow_Sample_Collector_Set", new RowId("Flow_Sample_Collector_Set", "id", null)));

    private RowLookup() {
    }

    /** The row, or null if {@code mustExist} is false and there is none. */
    static DbRow get(VsctlTxn txn, Table table, String recordId, boolean mustExist) {
        DbRow row = null;
        UUID uuid = Uuids.parse(recordId);
        if (uuid != null) {
            row = txn.row(table.name(), uuid);
        }
        if (row == null && recordId.equals(".")) {
            List<DbRow> rows = txn.rows(table.name());
            row = rows.size() == 1 ? rows.get(0) : null;
        }
        if (row == null) {
            RowId id = ROW_IDS.get(table.name());
            if (id != null) {
                row = byName(txn, table, id, recordId);
            }
        }
        if (row == null && Uuids.partialLength(recordId) >= 4) {
            for (DbRow r : txn.rows(table.name())) {
                if (r.uuid().toString().startsWith(recordId)) {
                    if (row == null) {
                        row = r;
                    } else {
                        throw new CtlError(table.name() + " contains 2 or more rows whose UUIDs begin with " + recordId
                                + ": at least " + row.uuid() + " and " + r.uuid());
                    }
                }
            }
        }
        if (mustExist && row == null) {
            throw new CtlError("no row \"" + recordId + "\" in table " + table.name());
        }
        return row;
    }

    /** get_row_by_id. */
    private static DbRow byName(VsctlTxn txn, Table table, RowId id, String recordId) {
        Column nameColumn = txn.column(id.table(), id.nameColumn());
        AtomicType nameType = nameColumn.type().key().type();
        if (nameType == AtomicType.INTEGER && !recordId.matches("[0-9]+")) {
            return null;
        }
        DbRow referrer = null;
        for (DbRow r : txn.rows(id.table())) {
            Datum name = txn.read(r, id.nameColumn());
            if (name.size() != 1 || !matches(name.key(0), recordId)) {
                continue;
            }
            if (referrer != null) {
                throw new CtlError("multiple rows in " + id.table() + " match \"" + recordId + "\"");
            }
            referrer = r;
        }
        if (referrer == null) {
            return null;
        }
        if (id.uuidColumn() == null) {
            return referrer;
        }
        Datum ref = txn.read(referrer, id.uuidColumn());
        return ref.size() == 1 ? txn.row(table.name(), (UUID) ref.key(0)) : null;
    }

    /** record_id_equals: the name, or (for names that are UUIDs) a prefix of at least 4 characters. */
    private static boolean matches(Object name, String recordId) {
        if (name instanceof String s) {
            return s.equals(recordId) || (recordId.length() >= 4 && Uuids.parse(s) != null && s.startsWith(recordId));
        }
        try {
            return (Long) name == parseLeadingLong(recordId);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static long parseLeadingLong(String s) {
        // strtoll(record_id, NULL, 10) on a string of digits (checked by the caller); overflow saturates.
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }
}
