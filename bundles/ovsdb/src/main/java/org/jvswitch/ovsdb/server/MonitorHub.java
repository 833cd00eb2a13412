package org.jvswitch.ovsdb.server;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;

import org.jvswitch.api.ovsdb.DbChange;
import org.jvswitch.api.ovsdb.DbListener;
import org.jvswitch.api.ovsdb.DbSnapshot;
import org.jvswitch.api.ovsdb.DbSubscription;
import org.jvswitch.api.ovsdb.Ovsdb;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The monitors of one database and its recent transactions (the bookkeeping half of Open
 * vSwitch's ovsdb/monitor.c and its transaction history).
 *
 * <p>One database listener feeds every monitor: it runs on a committing thread, in commit order,
 * before the commit returns, so each monitor's update is on its connection before the reply to the
 * transaction that caused it, which ovs-vsctl relies on.
 *
 * <p>Every commit gets a transaction id; the last {@value #HISTORY} are kept with their changes,
 * so that a client reconnecting with monitor_cond_since and the last id it saw receives only what
 * it missed. The ids are random, so they never match across restarts of the server (the history
 * is not persistent): the client then gets the whole state again.
 *
 * <p>Lock order: the database's locks, then this hub's lock. Registering a monitor takes only
 * the hub's lock: its initial contents come from {@link #latest}, the state after the last change
 * the hub dispatched, so nothing is missed or sent twice.
 */
final class MonitorHub implements DbListener, AutoCloseable {
    static final int HISTORY = 100;
    static final UUID ZERO = new UUID(0, 0);

    private static final Logger LOG = LoggerFactory.getLogger(MonitorHub.class);

    private record Entry(UUID id, DbChange change) {
    }

    private final String name;
    private final ReentrantLock lock = new ReentrantLock();
    /** Copy-on-write: a monitor whose session closes during dispatch removes itself while we iterate. */
    private final List<Monitor> monitors = new CopyOnWriteArrayList<>();
    private final ArrayDeque<Entry> history = new ArrayDeque<>();
    private final Runnable afterChange;
    private final DbSubscription subscription;
    private DbSnapshot latest;
    private UUID lastTxnId = ZERO;

    /** {@code afterChange} runs after each commit is dispatched (it wakes pending transactions). */
    MonitorHub(Ovsdb db, Runnable afterChange) {
        this.name = db.name();
        this.afterChange = afterChange;
        this.subscription = db.subscribe(this);
    }

    @Override
    public void changed(DbChange change) {
        lock.lock();
        try {
            if (latest == null) {
                // subscribe()'s first call: the state so far, not a transaction.
                latest = change.after();
                return;
            }
            ThreadLocalRandom r = ThreadLocalRandom.current();
            UUID id = new UUID((r.nextLong() & ~0xf000L) | 0x4000L,
                    (r.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L);
            history.addLast(new Entry(id, change));
            if (history.size() > HISTORY) {
                history.removeFirst();
            }
            latest = change.after();
            lastTxnId = id;
            Map<String, byte[]> cache = new HashMap<>();
            for (Monitor m : monitors) {
                try {
                    m.changed(change.before(), change.after(), change.changed(), id, cache);
                } catch (RuntimeException e) {
                    // One broken monitor must not keep the others from their updates.
                    LOG.error("{}: cannot compose the update for {}", name, m, e);
                    m.session.close();
                }
            }
        } finally {
            lock.unlock();
        }
        afterChange.run();
    }

    /** Runs {@code action} with no commit dispatched meanwhile: for registering monitors and their replies. */
    void locked(Runnable action) {
        lock.lock();
        try {
            action.run();
        } finally {
            lock.unlock();
        }
    }

    /** The state after the last dispatched commit; call under {@link #locked}. */
    DbSnapshot latest() {
        return latest;
    }

    /** The id of the last dispatched commit, zero if none since the server started; under {@link #locked}. */
    UUID lastTxnId() {
        return lastTxnId;
    }

    /**
     * What changed after transaction {@code id}, merged into one change, or null if {@code id} is
     * not in the history (or zero). An empty change if {@code id} is the last one. Under {@link #locked}.
     */
    DbChange changesAfter(UUID id) {
        if (id.equals(ZERO)) {
            return null;
        }
        if (id.equals(lastTxnId)) {
            return new DbChange(latest, latest, Map.of());
        }
        boolean found = false;
        DbSnapshot before = null;
        Map<String, Set<UUID>> changed = new LinkedHashMap<>();
        for (Iterator<Entry> it = history.iterator(); it.hasNext(); ) {
            Entry e = it.next();
            if (found) {
                if (before == null) {
                    before = e.change().before();
                }
                e.change().changed().forEach((t, rows) -> changed.computeIfAbsent(t, k -> new LinkedHashSet<>())
                        .addAll(rows));
            } else if (e.id().equals(id)) {
                found = true;
            }
        }
        return found ? new DbChange(before, latest, Collections.unmodifiableMap(changed)) : null;
    }

    /** Under {@link #locked}. */
    void add(Monitor m) {
        monitors.add(m);
    }

    void remove(Monitor m) {
        lock.lock();
        try {
            monitors.remove(m);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        subscription.close();
    }
}
