package org.jvswitch.ovsdb.internal;

import java.util.function.Predicate;

import org.jvswitch.api.ovsdb.Ovsdb;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A database as the wire protocol server sees it: the public {@link Ovsdb} plus RFC 7047's
 * {@code transact}, executed atomically with respect to other commits.
 *
 * <p>Registered as a service under this bundle-private interface so that the server binds to the
 * database of this bundle only, never to another bundle's {@code Ovsdb} (for instance a replica
 * that a drop-in switch keeps of a remote ovsdb-server).
 */
public interface Database extends Ovsdb {

    /**
     * Executes the params of a {@code transact} request ({@code [db-name, operation...]}).
     * Never throws for bad input: errors are results, as RFC 7047 section 4.1.3 says.
     */
    Result transact(JsonNode params, Context context);

    /**
     * What a transaction may need from the session that sent it.
     *
     * @param elapsedMs how long ago the request arrived (a retried "wait" compares it with its timeout)
     * @param ownsLock  whether the session holds a lock ("assert")
     * @param canWait   false to fail an unsatisfied "wait" at once instead of leaving it pending
     */
    record Context(long elapsedMs, Predicate<String> ownsLock, boolean canWait) {
    }

    /**
     * The outcome of a {@code transact}.
     *
     * @param result    the JSON-RPC result (array of operation results, or an error object); null if pending
     * @param timeoutMs when pending: the smallest "wait" timeout, Long.MAX_VALUE for none
     * @param version   the database version the transaction was evaluated against
     */
    record Result(JsonNode result, long timeoutMs, long version) {
        public boolean pending() {
            return result == null;
        }
    }
}
