package org.jvswitch.ovsdb.server;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.jvswitch.ovsdb.internal.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pending transactions of one database (ovsdb/trigger.c): each is executed again after every
 * commit, and once more when its timeout expires, on one virtual thread, until its "wait"
 * operations are satisfied or time out. The reply then goes to the session that sent it.
 */
final class Triggers implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Triggers.class);

    private final Database db;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    /** Guarded by lock. */
    private final List<Trigger> pending = new ArrayList<>();
    private boolean changed;
    private boolean closed;
    private final Thread thread;

    Triggers(Database db) {
        this.db = db;
        this.thread = Thread.ofVirtual().name("ovsdb-triggers " + db.name()).start(this::run);
    }

    /**
     * Adds a trigger whose first try saw database version {@code triedOn}; if a commit came in
     * since, it is tried again at once rather than after the next commit.
     */
    void add(Trigger t, long triedOn) {
        lock.lock();
        try {
            pending.add(t);
            if (db.snapshot().version() != triedOn) {
                changed = true;
            }
            wake.signal();
        } finally {
            lock.unlock();
        }
    }

    void remove(Trigger t) {
        lock.lock();
        try {
            pending.remove(t);
        } finally {
            lock.unlock();
        }
    }

    /** The database changed: retry everything. Called on the committing thread; does not block. */
    void dbChanged() {
        lock.lock();
        try {
            if (!pending.isEmpty()) {
                changed = true;
                wake.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    private void run() {
        while (true) {
            List<Trigger> due = new ArrayList<>();
            lock.lock();
            try {
                while (!closed && !changed && !anyExpired()) {
                    long waitNanos = nanosToNextDeadline();
                    if (waitNanos == Long.MAX_VALUE) {
                        wake.await();
                    } else {
                        wake.awaitNanos(waitNanos);
                    }
                }
                if (closed) {
                    return;
                }
                long now = System.nanoTime();
                for (Trigger t : pending) {
                    if (changed || t.expired(now)) {
                        due.add(t);
                    }
                }
                changed = false;
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
            for (Trigger t : due) {
                retry(t);
            }
        }
    }

    private boolean anyExpired() {
        long now = System.nanoTime();
        for (Trigger t : pending) {
            if (t.expired(now)) {
                return true;
            }
        }
        return false;
    }

    private long nanosToNextDeadline() {
        long now = System.nanoTime();
        long best = Long.MAX_VALUE;
        for (Trigger t : pending) {
            if (t.timeoutMs != Long.MAX_VALUE) {
                long left = TimeUnit.MILLISECONDS.toNanos(t.timeoutMs) - (now - t.createdNanos);
                best = Math.min(best, Math.max(1, left));
            }
        }
        return best;
    }

    private void retry(Trigger t) {
        try {
            Database.Result r = db.transact(t.params,
                    new Database.Context(t.elapsedMs(System.nanoTime()), t.session::ownsLock, true));
            if (r.pending()) {
                t.timeoutMs = r.timeoutMs();
                return;
            }
            remove(t);
            t.session.triggerDone(t, r.result());
        } catch (RuntimeException e) {
            LOG.error("{}: pending transaction {} failed", db.name(), t.id, e);
            remove(t);
            t.session.close();
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            wake.signal();
        } finally {
            lock.unlock();
        }
        try {
            thread.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
