package org.jvswitch.api.ovsdb;

import java.util.Map;
import java.util.UUID;

/**
 * A set of changes applied atomically by {@link #commit()}. Reads through {@link #view()} see the
 * transaction's own changes. Not thread-safe: one thread builds and commits a transaction.
 */
public interface DbTransaction {
    /**
     * Inserts a row; columns not given take their defaults. Values are checked at once for type
     * (OvsdbException "syntax error"/"constraint violation"); references are checked at commit.
     *
     * @return the new row's UUID (usable as a reference by later operations of this transaction)
     */
    UUID insert(String table, Map<String, ?> values) throws OvsdbException;

    /** Sets columns of an existing row. Immutable columns refuse ("constraint violation"). */
    void update(String table, UUID row, Map<String, ?> values) throws OvsdbException;

    /** Deletes a row. Strong references to it make the commit fail ("referential integrity violation"). */
    void delete(String table, UUID row) throws OvsdbException;

    /** The database as this transaction would leave it (before garbage collection). */
    DbSnapshot view();

    /** Records a comment in the durable log with the transaction (as {@code comment} in RFC 7047). */
    void comment(String text);

    /**
     * Checks constraints (types, ranges, references, indexes, max rows), removes rows no root row
     * reaches (garbage collection of non-root tables) and makes the result durable and visible.
     *
     * @return the committed state
     * @throws OvsdbException with the RFC 7047 error and details; nothing is committed then
     */
    DbSnapshot commit() throws OvsdbException;
}
