package org.jvswitch.ovsdb.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jvswitch.api.ovsdb.DbSchema.Column;
import org.jvswitch.api.ovsdb.DbSnapshot;
import org.jvswitch.api.ovsdb.DbTransaction;
import org.jvswitch.api.ovsdb.OvsdbException;

/**
 * A transaction being built (Open vSwitch's ovsdb_txn): values are converted and checked as each
 * operation arrives; references, garbage collection, indexes and row limits are left to
 * {@link Precommit} at commit time.
 *
 * <p>The operations are also kept as a list. If another transaction commits between
 * {@link OvsdbService#begin} and {@link #commit}, they are replayed onto the newer state, as
 * ovsdb-server would have executed them after the other one: an update or delete of a row that
 * the other transaction deleted does nothing (like a {@code where} clause that no longer matches),
 * and for columns both wrote, the later commit wins.
 *
 * <p>Not thread-safe, like the interface says: one thread builds and commits it.
 */
final class Txn implements DbTransaction {
    /** What commits a transaction; the database. */
    interface Committer {
        DbSnapshot commit(Txn txn) throws OvsdbException;
    }

    private final Committer committer;
    private final Map<String, TableSpec> specs;
    private final List<Op> ops = new ArrayList<>();
    private final TxnRows rows;
    private String comment;
    private boolean durable;
    private boolean finished;

    Txn(Committer committer, Map<String, TableSpec> specs, Snapshot base) {
        this.committer = committer;
        this.specs = specs;
        this.rows = new TxnRows(base);
    }

    @Override
    public UUID insert(String table, Map<String, ?> values) throws OvsdbException {
        return insert(table, UUID.randomUUID(), values);
    }

    /**
     * Inserts a row with a UUID the caller chose (RFC 7047 "uuid-name" symbols, Open vSwitch's
     * "uuid" extension). The caller checks {@link #mayCreate} first.
     */
    UUID insert(String table, UUID uuid, Map<String, ?> values) throws OvsdbException {
        checkOpen();
        TableSpec spec = spec(specs, table);
        Object[] row = spec.defaults.clone();
        boolean[] given = new boolean[row.length];
        for (Map.Entry<String, ?> e : values.entrySet()) {
            int c = spec.positionOrFail(e.getKey());
            row[c] = Datum.normalize(spec.columns[c].type(), e.getValue());
            given[c] = true;
        }
        for (int c = 0; c < row.length; c++) {
            if (!given[c] && spec.defaultErrors[c] != null) {
                throw spec.defaultErrors[c];
            }
        }
        Row inserted = new Row(spec, uuid, row);
        rows.set(spec, uuid, inserted);
        ops.add(new Op.Insert(inserted));
        return uuid;
    }

    @Override
    public void update(String table, UUID uuid, Map<String, ?> values) throws OvsdbException {
        checkOpen();
        TableSpec spec = spec(specs, table);
        Row current = existing(spec, uuid);
        int[] columns = new int[values.size()];
        Object[] newValues = new Object[values.size()];
        int n = 0;
        for (Map.Entry<String, ?> e : values.entrySet()) {
            int c = spec.positionOrFail(e.getKey());
            Column column = spec.columns[c];
            if (!column.mutable()) {
                throw new OvsdbException("constraint violation",
                        "Cannot update immutable column " + column.name() + " in table " + spec.name + ".");
            }
            columns[n] = c;
            newValues[n++] = Datum.normalize(column.type(), e.getValue());
        }
        Op.Update op = new Op.Update(spec, uuid, columns, newValues);
        rows.set(spec, uuid, op.applyTo(current));
        ops.add(op);
    }

    @Override
    public void delete(String table, UUID uuid) throws OvsdbException {
        checkOpen();
        TableSpec spec = spec(specs, table);
        existing(spec, uuid);
        rows.set(spec, uuid, null);
        ops.add(new Op.Delete(spec, uuid));
    }

    @Override
    public DbSnapshot view() {
        return new TxnView(rows);
    }

    @Override
    public void comment(String text) {
        comment = comment == null ? text : comment + "\n" + text;
    }

    @Override
    public DbSnapshot commit() throws OvsdbException {
        checkOpen();
        finished = true;
        return committer.commit(this);
    }

    /**
     * Whether a row may be inserted with this UUID: no row has it, and this transaction did not
     * delete one that had it (ovsdb_txn_may_create_row). Rows of every table are looked at, not
     * only the target table, because rows are keyed by UUID alone (references, referrer counts).
     */
    boolean mayCreate(UUID uuid) {
        if (rows.txnRow(uuid) != null) {
            return false;
        }
        for (TableData t : rows.base.tables().values()) {
            if (t.rows().get(uuid) != null) {
                return false;
            }
        }
        return true;
    }

    // --- for the committer ---

    /** Marks the transaction as committed by its owner (the atomic path commits it directly). */
    void finish() {
        checkOpen();
        finished = true;
    }

    Snapshot base() {
        return rows.base;
    }

    /** RFC 7047's {@code "commit"} with {@code "durable": true}: the commit waits until it is on disk. */
    void requireDurable() {
        durable = true;
    }

    boolean durable() {
        return durable;
    }

    String comment() {
        return comment;
    }

    /** The rows this transaction changes against {@code current}: its own if nothing committed since begin. */
    TxnRows rowsAgainst(Snapshot current) {
        if (current == rows.base) {
            return rows;
        }
        TxnRows replayed = new TxnRows(current);
        for (Op op : ops) {
            op.replay(replayed);
        }
        return replayed;
    }

    // --- helpers ---

    static TableSpec spec(Map<String, TableSpec> specs, String table) throws OvsdbException {
        TableSpec spec = specs.get(table);
        if (spec == null) {
            throw new OvsdbException("unknown table", "No table named " + table + ".");
        }
        return spec;
    }

    private Row existing(TableSpec spec, UUID uuid) throws OvsdbException {
        Row current = rows.get(spec.name, uuid);
        if (current == null) {
            // RFC 7047 has no "no such row" error; ovsdb-server's where clause would match nothing.
            throw new OvsdbException("constraint violation", "No row " + uuid + " in table " + spec.name + ".");
        }
        return current;
    }

    private void checkOpen() {
        if (finished) {
            throw new IllegalStateException("transaction already finished: commit() was called");
        }
    }

    /** An operation as given, for replay onto a newer state. */
    sealed interface Op {
        void replay(TxnRows rows);

        record Insert(Row row) implements Op {
            @Override
            public void replay(TxnRows rows) {
                rows.set(row.spec, row.uuid(), row);
            }
        }

        record Update(TableSpec spec, UUID uuid, int[] columns, Object[] values) implements Op {
            Row applyTo(Row row) {
                Row r = row;
                for (int i = 0; i < columns.length; i++) {
                    r = r.with(columns[i], values[i]);
                }
                return r;
            }

            @Override
            public void replay(TxnRows rows) {
                Row current = rows.get(spec.name, uuid);
                if (current != null) {
                    rows.set(spec, uuid, applyTo(current));
                }
            }
        }

        record Delete(TableSpec spec, UUID uuid) implements Op {
            @Override
            public void replay(TxnRows rows) {
                if (rows.exists(spec.name, uuid)) {
                    rows.set(spec, uuid, null);
                }
            }
        }
    }
}
