package org.jvswitch.ovsdb.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * A transaction that passed {@link Precommit}: the rows it changes (garbage collection and weak
 * reference cleanup included) and how to derive the next snapshot from the base one.
 */
final class CommitPlan {
    private final TxnRows txn;
    private final Map<UUID, Integer> strongDelta;
    private final Map<String, List<PersistentMap<Object, UUID>>> indexes;
    private final List<TxnRow> changes = new ArrayList<>();

    CommitPlan(TxnRows txn, Map<UUID, Integer> strongDelta, Map<String, List<PersistentMap<Object, UUID>>> indexes) {
        this.txn = txn;
        this.strongDelta = strongDelta;
        this.indexes = indexes;
        for (TxnRow r : txn.all()) {
            if (r.changed()) {
                changes.add(r);
            }
        }
    }

    /** Rows really changed, in first-touch order; no-ops (inserted then deleted, set to the same) left out. */
    List<TxnRow> changes() {
        return changes;
    }

    Snapshot base() {
        return txn.base;
    }

    /** Changed row UUIDs per table, for {@link org.jvswitch.api.ovsdb.DbChange}. */
    Map<String, Set<UUID>> changedRows() {
        Map<String, Set<UUID>> out = new LinkedHashMap<>();
        for (TxnRow r : changes) {
            out.computeIfAbsent(r.spec.name, t -> new LinkedHashSet<>()).add(r.uuid);
        }
        out.replaceAll((t, rows) -> Collections.unmodifiableSet(rows));
        return Collections.unmodifiableMap(out);
    }

    /** The state after this transaction, numbered {@code version}. */
    Snapshot apply(long version) {
        Snapshot base = txn.base;
        Map<String, TableData> tables = new LinkedHashMap<>(base.tables());
        for (TxnRow r : changes) {
            TableData t = tables.get(r.spec.name);
            PersistentMap<UUID, Row> rows = r.now == null ? t.rows().minus(r.uuid) : t.rows().plus(r.uuid, r.now);
            tables.put(r.spec.name, new TableData(t.spec(), rows, t.indexes()));
        }
        indexes.forEach((table, idx) -> {
            TableData t = tables.get(table);
            tables.put(table, new TableData(t.spec(), t.rows(), idx));
        });
        return new Snapshot(version, Collections.unmodifiableMap(tables), referrers(base.refs()));
    }

    private PersistentMap<UUID, Referrers> referrers(PersistentMap<UUID, Referrers> refs) {
        for (Map.Entry<UUID, Integer> e : strongDelta.entrySet()) {
            if (e.getValue() != 0) {
                refs = put(refs, e.getKey(), get(refs, e.getKey()).withStrong(e.getValue()));
            }
        }
        for (TxnRow r : changes) {
            if (!References.differ(r.old, r.now, false)) {
                continue;
            }
            Map<UUID, String> was = References.targets(r.old, false);
            Map<UUID, String> is = References.targets(r.now, false);
            for (UUID target : was.keySet()) {
                if (!is.containsKey(target)) {
                    refs = put(refs, target, get(refs, target).withWeak(r.uuid, r.spec.name, false));
                }
            }
            for (UUID target : is.keySet()) {
                if (!was.containsKey(target)) {
                    refs = put(refs, target, get(refs, target).withWeak(r.uuid, r.spec.name, true));
                }
            }
        }
        for (TxnRow r : changes) {
            if (r.now == null) {
                // Precommit proved nobody references it strongly and cleaned weak referrers.
                refs = refs.minus(r.uuid);
            }
        }
        return refs;
    }

    private static Referrers get(PersistentMap<UUID, Referrers> refs, UUID uuid) {
        Referrers r = refs.get(uuid);
        return r == null ? Referrers.NONE : r;
    }

    private static PersistentMap<UUID, Referrers> put(PersistentMap<UUID, Referrers> refs, UUID uuid, Referrers r) {
        return r.isEmpty() ? refs.minus(uuid) : refs.plus(uuid, r);
    }
}
