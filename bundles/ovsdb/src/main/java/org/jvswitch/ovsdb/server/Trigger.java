package org.jvswitch.ovsdb.server;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A transaction waiting for its "wait" operations to be satisfied (ovsdb_jsonrpc_trigger): the
 * request, when it arrived, and the deadline its smallest "wait" timeout sets.
 */
final class Trigger {
    final Session session;
    final JsonNode id;
    final JsonNode params;
    final long createdNanos;
    /** Milliseconds after creation at which to retry for the last time; Long.MAX_VALUE for never. */
    volatile long timeoutMs;

    Trigger(Session session, JsonNode id, JsonNode params, long createdNanos, long timeoutMs) {
        this.session = session;
        this.id = id;
        this.params = params;
        this.createdNanos = createdNanos;
        this.timeoutMs = timeoutMs;
    }

    long elapsedMs(long nowNanos) {
        return (nowNanos - createdNanos) / 1_000_000;
    }

    boolean expired(long nowNanos) {
        return timeoutMs != Long.MAX_VALUE && elapsedMs(nowNanos) >= timeoutMs;
    }
}
