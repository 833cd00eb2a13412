/**
 * The configuration database behind {@link org.jvswitch.api.ovsdb.Ovsdb}; private to the bundle.
 *
 * <p>Where things are, by Open vSwitch's ovsdb/ file:
 * <ul>
 * <li>{@link org.jvswitch.ovsdb.internal.OvsdbService} — the DS component; commit serialization (ovsdb-server).</li>
 * <li>{@link org.jvswitch.ovsdb.internal.SchemaReader}, {@link org.jvswitch.ovsdb.internal.TableSpec} — schema
 * (ovsdb.c, table.c, column.c).</li>
 * <li>{@link org.jvswitch.ovsdb.internal.Datum}, {@link org.jvswitch.ovsdb.internal.DatumJson} — values and their
 * checks (lib/ovsdb-data.c, lib/ovsdb-types.c).</li>
 * <li>{@link org.jvswitch.ovsdb.internal.Row}, {@link org.jvswitch.ovsdb.internal.Snapshot},
 * {@link org.jvswitch.ovsdb.internal.PersistentMap} — rows and immutable states (row.c).</li>
 * <li>{@link org.jvswitch.ovsdb.internal.Txn}, {@link org.jvswitch.ovsdb.internal.Precommit},
 * {@link org.jvswitch.ovsdb.internal.IndexCheck}, {@link org.jvswitch.ovsdb.internal.WeakReferences} —
 * transactions, referential integrity, garbage collection, indexes (transaction.c).</li>
 * <li>{@link org.jvswitch.ovsdb.internal.DbFile}, {@link org.jvswitch.ovsdb.internal.FileRecords},
 * {@link org.jvswitch.ovsdb.internal.DbLog} — durability in the standalone file format (file.c, log.c).</li>
 * <li>{@link org.jvswitch.ovsdb.internal.Database} — what the wire server uses: RFC 7047 "transact",
 * run by {@link org.jvswitch.ovsdb.internal.Execution} (execution.c) under the commit lock, with
 * {@link org.jvswitch.ovsdb.internal.Condition} (condition.c), {@link org.jvswitch.ovsdb.internal.Mutation}
 * (mutation.c), {@link org.jvswitch.ovsdb.internal.ValueParser} and {@link org.jvswitch.ovsdb.internal.RowJson}
 * (ovsdb-data.c, row.c, column.c), {@link org.jvswitch.ovsdb.internal.OpParser} (ovsdb-parser.c),
 * {@link org.jvswitch.ovsdb.internal.Symbols} (uuid-name symbols), {@link org.jvswitch.ovsdb.internal.OvsJson}
 * and {@link org.jvswitch.ovsdb.internal.Errors} (json.c, ovsdb-error.c texts).</li>
 * </ul>
 */
package org.jvswitch.ovsdb.internal;
