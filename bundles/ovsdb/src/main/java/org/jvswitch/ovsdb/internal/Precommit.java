package org.jvswitch.ovsdb.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jvswitch.api.ovsdb.OvsdbException;

/**
 * What ovsdb-server does to a transaction between its last operation and the commit (Open
 * vSwitch's ovsdb_txn_precommit), in the same order:
 * <ol>
 * <li>every strong reference a changed column holds must name an existing row;</li>
 * <li>garbage collection: a row of a non-root table that no other row references strongly is
 * deleted, which may leave further rows unreferenced (worked off until nothing changes);</li>
 * <li>weak references to rows that do not exist are dropped from sets and maps, failing if that
 * leaves a column below its minimum size;</li>
 * <li>a deleted row must not be referenced strongly any more;</li>
 * <li>row limits ({@code maxRows}), then unique indexes ({@link IndexCheck}).</li>
 * </ol>
 *
 * <p>Cost: proportional to the rows the transaction (and its garbage collection) touches, because
 * reference counts live in the snapshot ({@link Referrers}) and are adjusted by the difference
 * between a row's old and new references; nothing scans whole tables.
 */
final class Precommit {
    private final Map<String, TableSpec> specs;
    private final TxnRows txn;
    private final Snapshot base;
    /** Change in the number of rows strongly referencing each row, against the base snapshot. */
    private final Map<UUID, Integer> strongDelta = new HashMap<>();
    /** Rows that may have become unreferenced. */
    private final ArrayDeque<Target> collect = new ArrayDeque<>();
    /** Rows that may hold weak references to rows that no longer exist. */
    private final ArrayDeque<Target> weakCheck = new ArrayDeque<>();
    /** Set when garbage collection or weak cleanup deleted rows, which changed rows may reference weakly. */
    private boolean deletedSinceCheck;

    private record Target(String table, UUID uuid) {
    }

    private Precommit(Map<String, TableSpec> specs, TxnRows txn) {
        this.specs = specs;
        this.txn = txn;
        this.base = txn.base;
    }

    /** Checks and completes the transaction; the plan says how to make the next snapshot. */
    static CommitPlan run(Map<String, TableSpec> specs, TxnRows txn) throws OvsdbException {
        return new Precommit(specs, txn).run();
    }

    private CommitPlan run() throws OvsdbException {
        checkStrongReferences();
        for (TxnRow r : new ArrayList<>(txn.all())) {
            countReferences(r.old, r.now);
            if (r.now != null) {
                // A row the transaction inserted or changed may itself be unreferenced.
                collect.add(new Target(r.spec.name, r.uuid));
                if (r.spec.weakRefColumns.length > 0) {
                    weakCheck.add(new Target(r.spec.name, r.uuid));
                }
            } else if (r.old != null) {
                queueWeakReferrers(r.uuid);
            }
        }
        do {
            while (!collect.isEmpty() || !weakCheck.isEmpty()) {
                while (!collect.isEmpty()) {
                    collectGarbage(collect.poll());
                }
                while (!weakCheck.isEmpty()) {
                    removeDanglingWeakReferences(weakCheck.poll());
                }
            }
        } while (recheckWeakHolders());
        checkDeletedRows();
        checkMaxRows();
        return new CommitPlan(txn, strongDelta, IndexCheck.run(txn));
    }

    private void checkStrongReferences() throws OvsdbException {
        for (TxnRow r : txn.all()) {
            if (r.now == null) {
                continue;
            }
            for (int c : r.spec.strongRefColumns) {
                if (r.old != null && !Row.differs(r.old, r.now, c)) {
                    continue;
                }
                Target[] missing = new Target[1];
                References.forEach(r.spec.columns[c].type(), r.now.value(c), true, (table, target) -> {
                    if (missing[0] == null && !txn.exists(table, target)) {
                        missing[0] = new Target(table, target);
                    }
                });
                if (missing[0] != null) {
                    throw new OvsdbException("referential integrity violation", "Table " + r.spec.name
                            + " column " + r.spec.columns[c].name() + " row " + r.uuid
                            + " references nonexistent row " + missing[0].uuid + " in table "
                            + missing[0].table + ".");
                }
            }
        }
    }

    /** Records a new version of a row, keeping reference counts and work queues in step. */
    private void setRow(TableSpec spec, UUID uuid, Row now) {
        Row before = txn.set(spec, uuid, now);
        countReferences(before, now);
        if (now == null && before != null) {
            queueWeakReferrers(uuid);
            deletedSinceCheck = true;
        }
    }

    private void countReferences(Row before, Row after) {
        if (!References.differ(before, after, true)) {
            return;
        }
        Map<UUID, String> was = References.targets(before, true);
        Map<UUID, String> is = References.targets(after, true);
        for (Map.Entry<UUID, String> e : was.entrySet()) {
            if (!is.containsKey(e.getKey())) {
                strongDelta.merge(e.getKey(), -1, Integer::sum);
                collect.add(new Target(e.getValue(), e.getKey()));
            }
        }
        for (UUID target : is.keySet()) {
            if (!was.containsKey(target)) {
                strongDelta.merge(target, 1, Integer::sum);
            }
        }
    }

    private int strongReferences(UUID uuid) {
        return base.referrers(uuid).strong() + strongDelta.getOrDefault(uuid, 0);
    }

    private void queueWeakReferrers(UUID deleted) {
        base.referrers(deleted).weak().forEach((referrer, table) -> weakCheck.add(new Target(table, referrer)));
    }

    private void collectGarbage(Target t) {
        TableSpec spec = specs.get(t.table);
        if (spec == null || spec.isRoot() || txn.get(t.table, t.uuid) == null || strongReferences(t.uuid) > 0) {
            return;
        }
        setRow(spec, t.uuid, null);
    }

    private void removeDanglingWeakReferences(Target t) throws OvsdbException {
        Row row = txn.get(t.table, t.uuid);
        if (row == null) {
            return;
        }
        TxnRow txnRow = txn.txnRow(t.uuid);
        Row cleaned = WeakReferences.clean(row, txn::exists, txnRow != null && txnRow.inserted());
        if (cleaned != row) {
            setRow(row.spec, t.uuid, cleaned);
        }
    }

    /**
     * After garbage collection deleted rows, a row changed by this transaction may weakly reference
     * one of them without the base snapshot knowing (the reference is new); look again.
     */
    private boolean recheckWeakHolders() {
        if (!deletedSinceCheck) {
            return false;
        }
        deletedSinceCheck = false;
        for (TxnRow r : txn.all()) {
            if (r.now != null && r.spec.weakRefColumns.length > 0
                    && WeakReferences.hasDangling(r.now, txn::exists)) {
                weakCheck.add(new Target(r.spec.name, r.uuid));
            }
        }
        return !weakCheck.isEmpty();
    }

    private void checkDeletedRows() throws OvsdbException {
        for (TxnRow r : txn.all()) {
            if (r.old != null && r.now == null) {
                int n = strongReferences(r.uuid);
                if (n > 0) {
                    throw new OvsdbException("referential integrity violation", "cannot delete " + r.spec.name
                            + " row " + r.uuid + " because of " + n + " remaining reference(s)");
                }
            }
        }
    }

    private void checkMaxRows() throws OvsdbException {
        Map<String, Integer> growth = new HashMap<>();
        for (TxnRow r : txn.all()) {
            int d = (r.now != null ? 1 : 0) - (r.old != null ? 1 : 0);
            if (d != 0) {
                growth.merge(r.spec.name, d, Integer::sum);
            }
        }
        List<String> tables = new ArrayList<>(growth.keySet());
        for (String table : tables) {
            TableSpec spec = specs.get(table);
            long rows = base.table(table).rows().size() + (long) growth.get(table);
            if (growth.get(table) > 0 && rows > spec.schema.maxRows()) {
                throw new OvsdbException("constraint violation", "transaction causes \"" + table
                        + "\" table to contain " + rows + " rows, greater than the schema-defined limit of "
                        + spec.schema.maxRows() + " row(s)");
            }
        }
    }
}
