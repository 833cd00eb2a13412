package org.jvswitch.ovsdb.server;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * The server's named locks (Open vSwitch's ovsdb/server.c): each lock has a queue of waiters whose
 * head owns it. "lock" queues at the tail; "steal" puts itself at the head and the previous owner
 * hears "stolen" (a waiter that had itself stolen the lock leaves the queue then, one that asked
 * politely stays queued). Removing a waiter tells the new head "locked".
 *
 * <p>Thread-safety: every method synchronizes on this object.
 */
final class Locks {
    /** One session's interest in one lock; {@code lock} is null once it left the queue. */
    static final class Waiter {
        final String name;
        final Session session;
        final boolean steal;
        Deque<Waiter> lock;

        Waiter(String name, Session session, boolean steal) {
            this.name = name;
            this.session = session;
            this.steal = steal;
        }
    }

    /** A new waiter and the session it took the lock from, if any. */
    record Locked(Waiter waiter, Session victim) {
    }

    private final Map<String, Deque<Waiter>> locks = new HashMap<>();

    synchronized Locked lock(Session session, String name, boolean steal) {
        Deque<Waiter> queue = locks.computeIfAbsent(name, n -> new ArrayDeque<>());
        Waiter victim = steal && !queue.isEmpty() ? queue.peekFirst() : null;
        Waiter waiter = new Waiter(name, session, steal);
        waiter.lock = queue;
        if (steal) {
            queue.addFirst(waiter);
        } else {
            queue.addLast(waiter);
        }
        if (victim != null && victim.steal) {
            queue.remove(victim);
            victim.lock = null;
        }
        return new Locked(waiter, victim == null ? null : victim.session);
    }

    synchronized boolean owns(Waiter waiter) {
        return waiter.lock != null && waiter.lock.peekFirst() == waiter;
    }

    /**
     * Takes a waiter out of its queue. Returns the session that now heads the queue (which
     * ovsdb-server notifies "locked" even if it already owned the lock), or null.
     */
    synchronized Session unlock(Waiter waiter) {
        Deque<Waiter> queue = waiter.lock;
        if (queue == null) {
            return null;
        }
        queue.remove(waiter);
        waiter.lock = null;
        if (queue.isEmpty()) {
            locks.remove(waiter.name, queue);
            return null;
        }
        return queue.peekFirst().session;
    }
}
