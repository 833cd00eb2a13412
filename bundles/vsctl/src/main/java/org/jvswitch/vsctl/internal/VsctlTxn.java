package org.jvswitch.vsctl.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.jvswitch.api.ovsdb.DbRow;
import org.jvswitch.api.ovsdb.DbSchema;
import org.jvswitch.api.ovsdb.DbSchema.Column;
import org.jvswitch.api.ovsdb.DbSnapshot;
import org.jvswitch.api.ovsdb.DbTransaction;
import org.jvswitch.api.ovsdb.Ovsdb;
import org.jvswitch.api.ovsdb.OvsdbException;

/**
 * The one database transaction of an invocation, seen the way ovs-vsctl's IDL replica shows it
 * (lib/ovsdb-idl.c):
 * <ul>
 * <li>Rows of non-root tables are never deleted explicitly: the IDL only hides them and leaves the
 * decision to the server's garbage collection, so {@code destroy Port p1} of a port still on a
 * bridge silently does nothing. Root rows are deleted for real.</li>
 * <li>{@link #anyUpdates()} is false when the transaction would not change the database (only
 * same-value writes or hidden non-root rows): ovs-vsctl then neither commits, nor bumps
 * {@code next_cfg}, nor waits.</li>
 * <li>"@name" row ids used before their {@code create} are written as placeholders and patched
 * when the row is inserted (see {@link Symbols}).</li>
 * </ul>
 * Rows are listed in UUID order: the IDL's hash order cannot be reproduced, and a fixed order
 * keeps output stable.
 */
final class VsctlTxn {
    private record RowKey(String table, UUID uuid) {
    }

    private record Location(String table, UUID uuid, String column) {
    }

    private final DbSchema schema;
    private final DbSnapshot base;
    private final DbTransaction txn;
    private final Symbols symbols;
    private final Set<RowKey> hidden = new HashSet<>();
    private final Set<RowKey> inserted = new HashSet<>();
    private final Map<RowKey, Set<String>> written = new LinkedHashMap<>();
    private final Map<UUID, List<Location>> placeholders = new HashMap<>();
    private boolean deletedRoot;

    VsctlTxn(Ovsdb db, Symbols symbols) {
        this.schema = db.schema();
        this.base = db.snapshot();
        this.txn = db.begin();
        this.symbols = symbols;
    }

    DbSchema schema() {
        return schema;
    }

    Symbols symbols() {
        return symbols;
    }

    Column column(String table, String column) {
        return schema.table(table).column(column);
    }

    /** The visible rows of a table, in UUID order. */
    List<DbRow> rows(String table) {
        List<DbRow> rows = new ArrayList<>();
        for (DbRow r : txn.view().rows(table)) {
            if (!hidden.contains(new RowKey(table, r.uuid()))) {
                rows.add(r);
            }
        }
        rows.sort((a, b) -> a.uuid().toString().compareTo(b.uuid().toString()));
        return rows;
    }

    /** The row as the transaction leaves it, or null if absent or deleted. */
    DbRow row(String table, UUID uuid) {
        if (hidden.contains(new RowKey(table, uuid))) {
            return null;
        }
        return txn.view().row(table, uuid);
    }

    Datum read(DbRow row, String column) {
        return Datum.fromApi(column(row.table(), column).type(), row.get(column));
    }

    /** A column of a row as the transaction leaves it (empty if the row is gone). */
    Datum read(String table, UUID uuid, String column) {
        DbRow r = row(table, uuid);
        return r == null ? Datum.EMPTY : read(r, column);
    }

    String readString(String table, UUID uuid, String column) {
        Datum d = read(table, uuid, column);
        return d.isEmpty() ? "" : (String) d.key(0);
    }

    /** Whether the row was inserted by this transaction (its immutable columns are still writable). */
    boolean isInserted(String table, UUID uuid) {
        return inserted.contains(new RowKey(table, uuid));
    }

    void write(String table, UUID uuid, String column, Datum value) {
        Column c = column(table, column);
        try {
            txn.update(table, uuid, Map.of(column, value.toApi(c.type())));
        } catch (OvsdbException e) {
            throw transactionError(e);
        }
        written.computeIfAbsent(new RowKey(table, uuid), k -> new LinkedHashSet<>()).add(column);
        notePlaceholders(table, uuid, column, value);
    }

    UUID insert(String table, Map<String, Datum> values) {
        Map<String, Object> api = new LinkedHashMap<>();
        for (Map.Entry<String, Datum> e : values.entrySet()) {
            api.put(e.getKey(), e.getValue().toApi(column(table, e.getKey()).type()));
        }
        UUID uuid;
        try {
            uuid = txn.insert(table, api);
        } catch (OvsdbException e) {
            throw transactionError(e);
        }
        inserted.add(new RowKey(table, uuid));
        for (Map.Entry<String, Datum> e : values.entrySet()) {
            notePlaceholders(table, uuid, e.getKey(), e.getValue());
        }
        return uuid;
    }

    /** ovsdb_idl_txn_delete: root rows are deleted, other rows only hidden (see the class comment). */
    void delete(String table, UUID uuid) {
        RowKey key = new RowKey(table, uuid);
        if (schema.table(table).isRoot()) {
            try {
                txn.delete(table, uuid);
            } catch (OvsdbException e) {
                throw transactionError(e);
            }
            deletedRoot |= !inserted.remove(key);
        }
        hidden.add(key);
    }

    /** Replaces a forward-referenced "@name" placeholder by the UUID of the row just created for it. */
    void resolve(Symbols.Symbol symbol, UUID uuid) {
        symbol.uuid = uuid;
        for (Location l : placeholders.getOrDefault(symbol.placeholder, List.of())) {
            DbRow r = row(l.table(), l.uuid());
            if (r != null) {
                write(l.table(), l.uuid(), l.column(), read(r, l.column()).replaceUuid(symbol.placeholder, uuid));
            }
        }
        placeholders.remove(symbol.placeholder);
    }

    private void notePlaceholders(String table, UUID uuid, String column, Datum value) {
        for (Symbols.Symbol s : symbols.all()) {
            if (!s.resolved() && value.containsUuid(s.placeholder)) {
                placeholders.computeIfAbsent(s.placeholder, k -> new ArrayList<>()).add(new Location(table, uuid, column));
            }
        }
    }

    /** Whether committing would change anything (the IDL's any_updates). */
    boolean anyUpdates() {
        if (deletedRoot) {
            return true;
        }
        for (RowKey k : inserted) {
            if (!hidden.contains(k)) {
                return true;
            }
        }
        for (Map.Entry<RowKey, Set<String>> e : written.entrySet()) {
            RowKey k = e.getKey();
            if (hidden.contains(k) || inserted.contains(k)) {
                continue;
            }
            DbRow before = base.row(k.table(), k.uuid());
            DbRow after = txn.view().row(k.table(), k.uuid());
            if (before == null || after == null) {
                return true;
            }
            for (String column : e.getValue()) {
                if (!read(before, column).equals(read(after, column))) {
                    return true;
                }
            }
        }
        return false;
    }

    void comment(String text) {
        txn.comment(text);
    }

    DbSnapshot commit() {
        try {
            return txn.commit();
        } catch (OvsdbException e) {
            throw transactionError(e);
        }
    }

    private static ServerError transactionError(OvsdbException e) {
        return ServerError.of(e.error(), e.details());
    }
}
