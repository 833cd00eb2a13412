package org.jvswitch.vsctl.internal;

import org.jvswitch.api.ovsdb.DbChange;
import org.jvswitch.api.ovsdb.DbListener;
import org.jvswitch.api.ovsdb.DbRow;
import org.jvswitch.api.ovsdb.DbSubscription;
import org.jvswitch.api.ovsdb.Ovsdb;

/**
 * Follows the database while an invocation waits: for any change (wait-until tries again after
 * each) and for Open_vSwitch.cur_cfg, which the switch sets to next_cfg once it has applied a
 * configuration. The listener runs on committing threads and only records and wakes.
 */
final class ChangeWatcher implements DbListener, AutoCloseable {
    private final DbSubscription subscription;
    private long changes;
    private long curCfg = Long.MIN_VALUE;

    ChangeWatcher(Ovsdb db) {
        this.subscription = db.subscribe(this);
    }

    @Override
    public synchronized void changed(DbChange change) {
        changes++;
        long max = Long.MIN_VALUE;
        for (DbRow r : change.after().rows("Open_vSwitch")) {
            max = Math.max(max, r.getLong("cur_cfg", 0));
        }
        curCfg = max;
        notifyAll();
    }

    synchronized long changes() {
        return changes;
    }

    /** Waits until a change after {@code seen}; false at the deadline (System.nanoTime based). */
    synchronized boolean awaitChange(long seen, long deadlineNanos) throws InterruptedException {
        while (changes == seen) {
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }

    /** Waits until some Open_vSwitch row has cur_cfg &gt;= {@code nextCfg}; false at the deadline. */
    synchronized boolean awaitCurCfg(long nextCfg, long deadlineNanos) throws InterruptedException {
        while (curCfg < nextCfg) {
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }

    @Override
    public void close() {
        subscription.close();
    }
}
