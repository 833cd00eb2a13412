package org.jvswitch.ovsdb.internal;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.jvswitch.api.ovsdb.DbChange;
import org.jvswitch.api.ovsdb.DbListener;
import org.jvswitch.api.ovsdb.DbSubscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The subscribers to committed changes. The database calls {@link #fire} under its commit lock,
 * so every listener sees commits in commit order; a listener that throws is logged and skipped,
 * never failing the commit that is already durable.
 */
final class Listeners {
    private static final Logger LOG = LoggerFactory.getLogger(Listeners.class);

    private final List<DbListener> listeners = new CopyOnWriteArrayList<>();

    /** Adds a listener after giving it {@code initial} (the whole database as one change). */
    DbSubscription add(DbListener listener, DbChange initial) {
        call(listener, initial);
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    void fire(DbChange change) {
        for (DbListener l : listeners) {
            call(l, change);
        }
    }

    private static void call(DbListener listener, DbChange change) {
        try {
            listener.changed(change);
        } catch (RuntimeException | LinkageError | AssertionError e) {
            // The change is committed; one broken listener must not hide it from the others.
            LOG.warn("database listener {} failed on change to version {}", listener, change.after().version(), e);
        }
    }
}
