package org.jvswitch.api.ovsdb;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The configuration database (Open vSwitch's {@code Open_vSwitch} database), in process: rows of
 * the Open vSwitch schema, atomic transactions with referential integrity and garbage collection,
 * durable across restarts, with change notifications. The wire protocol (RFC 7047) is a client of
 * this same service.
 *
 * <p>Values: an atom is a {@code String}, {@code Long}, {@code Double}, {@code Boolean} or
 * {@code java.util.UUID}. A column that holds exactly one value (min = max = 1) holds the atom;
 * any other set column holds an immutable sorted {@code java.util.Set} of atoms; a map column
 * holds an immutable sorted {@code java.util.Map}. Values given to a transaction may use any
 * {@code Set}/{@code Map}/{@code Collection}, an {@code Integer}, or a bare atom for a set; they
 * are converted and checked against the column's type.
 *
 * <p>Thread-safety: every method may be called from any thread. Commits are serialized.
 */
@ProviderType
public interface Ovsdb {
    /** The database name, "Open_vSwitch". */
    String name();

    DbSchema schema();

    /** The latest committed state; immutable. */
    DbSnapshot snapshot();

    /** Starts a transaction against the latest committed state. */
    DbTransaction begin();

    /**
     * Registers a listener called after every commit, in commit order, on the committing thread
     * (so it must not block or commit itself synchronously). Also called once at once with the
     * current state as the change from an empty database.
     */
    DbSubscription subscribe(DbListener listener);
}
