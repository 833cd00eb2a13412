package org.jvswitch.ovsdb.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

import org.jvswitch.api.ovsdb.DbRow;
import org.jvswitch.api.ovsdb.DbSnapshot;

/**
 * The database as an open transaction would leave it, before garbage collection: the committed
 * snapshot overlaid with the transaction's rows. Live: later operations of the transaction show.
 */
final class TxnView implements DbSnapshot {
    private final TxnRows txn;

    TxnView(TxnRows txn) {
        this.txn = txn;
    }

    @Override
    public long version() {
        return txn.base.version();
    }

    @Override
    public Collection<DbRow> rows(String table) {
        Collection<DbRow> committed = txn.base.rows(table);
        if (!txn.touches(table)) {
            return committed;
        }
        List<DbRow> out = new ArrayList<>(committed.size() + 8);
        for (DbRow r : committed) {
            if (txn.txnRow(r.uuid()) == null) {
                out.add(r);
            }
        }
        for (TxnRow r : txn.all()) {
            if (r.now != null && r.spec.name.equals(table)) {
                out.add(r.now);
            }
        }
        return Collections.unmodifiableList(out);
    }

    /** Through the committed snapshot's index where the transaction did not touch the answer. */
    @Override
    public DbRow find(String table, String column, Object value) {
        if (!txn.touches(table)) {
            return txn.base.find(table, column, value);
        }
        for (TxnRow r : txn.all()) {
            if (r.now != null && r.spec.name.equals(table) && value.equals(r.now.get(column))) {
                return r.now;
            }
        }
        DbRow committed = txn.base.find(table, column, value);
        if (committed == null || txn.txnRow(committed.uuid()) == null) {
            return committed;
        }
        // The committed match was changed by this transaction; another committed row may still match.
        return DbSnapshot.super.find(table, column, value);
    }

    @Override
    public DbRow row(String table, UUID uuid) {
        txn.base.table(table);
        return txn.get(table, uuid);
    }
}
