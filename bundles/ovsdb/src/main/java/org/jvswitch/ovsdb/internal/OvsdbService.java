package org.jvswitch.ovsdb.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;

import org.jvswitch.api.ovsdb.DbChange;
import org.jvswitch.api.ovsdb.DbListener;
import org.jvswitch.api.ovsdb.DbSchema;
import org.jvswitch.api.ovsdb.DbSnapshot;
import org.jvswitch.api.ovsdb.DbSubscription;
import org.jvswitch.api.ovsdb.DbTransaction;
import org.jvswitch.api.ovsdb.Ovsdb;
import org.jvswitch.api.ovsdb.OvsdbException;
import org.jvswitch.ovsdb.internal.DbFile.CompactionPolicy;
import org.osgi.framework.BundleContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The {@code Open_vSwitch} configuration database, in process: the ovsdb-server of jvswitch minus
 * the wire protocol.
 *
 * <p>The file is named by framework property {@code jvswitch.db.file}, else
 * {@code ${jvswitch.var}/conf.db}; with neither, the database lives in memory only. A new
 * database (or one whose Open_vSwitch table is empty) gets its single Open_vSwitch row at once,
 * because ovs-vsctl expects to find it.
 *
 * <p>Thread-safety: readers take {@link #snapshot()} (a volatile read of an immutable object) and
 * never block. Commits are serialized by {@code commitLock}, which is held from precommit through
 * the durable write, the publication of the new snapshot and the listener calls, so listeners see
 * commits one at a time in commit order. Lock order: commitLock only; nothing else is locked.
 */
public final class OvsdbService implements Database, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OvsdbService.class);
    private static final String ROOT_TABLE = "Open_vSwitch";

    private final DbSchema schema;
    private final Map<String, TableSpec> specs;
    private final Snapshot empty;
    private final DbFile file;
    private final Listeners listeners = new Listeners();
    private final ReentrantLock commitLock = new ReentrantLock();
    private volatile Snapshot current;
    /** Guarded by commitLock. */
    private boolean closed;

    /**
     * The file comes from framework (or system) properties. Created by {@link EmbeddedDatabase}
     * unless the switch is a client of a remote database.
     */
    public OvsdbService(BundleContext context) throws IOException {
        this(DbLocation.resolve(context::getProperty));
    }

    /** An in-memory database of the schema {@code schemaJson}, such as the server's own {@code _Server}. */
    public static OvsdbService inMemory(String schemaJson) throws IOException {
        return new OvsdbService(null, SchemaReader.read(schemaJson), CompactionPolicy.DEFAULT);
    }

    /** A database in {@code file}, or in memory only if null; for tests and embedding without OSGi. */
    public OvsdbService(Path file) throws IOException {
        this(file, CompactionPolicy.DEFAULT);
    }

    OvsdbService(Path file, CompactionPolicy policy) throws IOException {
        this(file, SchemaReader.vswitch(), policy);
    }

    /** With another schema: tests of behaviour the Open vSwitch schema cannot show. */
    OvsdbService(Path file, DbSchema schema, CompactionPolicy policy) throws IOException {
        this.schema = schema;
        Map<String, TableSpec> tables = new LinkedHashMap<>();
        for (DbSchema.Table t : schema.tables().values()) {
            tables.put(t.name(), new TableSpec(t));
        }
        this.specs = Collections.unmodifiableMap(tables);
        this.empty = Snapshot.empty(specs);
        if (file == null) {
            this.file = null;
            this.current = empty;
        } else {
            DbFile.Opened opened = DbFile.open(file, schema, specs, policy);
            this.file = opened.file();
            this.current = opened.snapshot();
        }
        try {
            insertRootRowIfMissing();
        } catch (OvsdbException e) {
            close();
            throw new IOException("cannot initialize the " + ROOT_TABLE + " table: " + e.error() + ": "
                    + e.details(), e);
        }
    }

    private void insertRootRowIfMissing() throws OvsdbException {
        if (specs.containsKey(ROOT_TABLE) && current.table(ROOT_TABLE).rows().isEmpty()) {
            DbTransaction txn = begin();
            txn.insert(ROOT_TABLE, Map.of());
            txn.comment("jvswitch: initialize database");
            txn.commit();
        }
    }

    @Override
    public void close() {
        commitLock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            if (file != null) {
                file.close();
            }
        } catch (IOException e) {
            LOG.warn("{}: error closing the database: {}", file.path(), e.toString());
        } finally {
            commitLock.unlock();
        }
    }

    @Override
    public String name() {
        return schema.name();
    }

    @Override
    public DbSchema schema() {
        return schema;
    }

    @Override
    public DbSnapshot snapshot() {
        return current;
    }

    @Override
    public DbTransaction begin() {
        return new Txn(this::commit, specs, current);
    }

    @Override
    public DbSubscription subscribe(DbListener listener) {
        commitLock.lock();
        try {
            Snapshot now = current;
            return listeners.add(listener, new DbChange(empty, now, allRows(now)));
        } finally {
            commitLock.unlock();
        }
    }

    @Override
    public Result transact(JsonNode params, Context context) {
        return Execution.execute(this, params, context);
    }

    /** What an atomic transaction does between begin and commit. */
    interface AtomicBody {
        /** Makes the transaction's changes; false aborts it. */
        boolean run(Txn txn) throws OvsdbException;
    }

    /**
     * Runs {@code body} on a transaction against the latest state and commits it before any other
     * commit can happen, so that what the body read (RFC 7047 "wait", "where") is what it commits
     * on; ovsdb-server gets this from being single threaded.
     *
     * @return the committed state, or null if the body aborted
     * @throws OvsdbException if the commit failed (precommit checks or the write)
     */
    Snapshot atomically(AtomicBody body) throws OvsdbException {
        checkNotInListener();
        commitLock.lock();
        try {
            checkOpen();
            Txn txn = new Txn(this::commit, specs, current);
            if (!body.run(txn)) {
                return null;
            }
            txn.finish();
            return commitLocked(txn);
        } finally {
            commitLock.unlock();
        }
    }

    private void checkNotInListener() {
        if (commitLock.isHeldByCurrentThread()) {
            // Only a listener can get here; committing now would notify out of commit order.
            throw new IllegalStateException("a DbListener must not commit synchronously; hand the work to"
                    + " another thread");
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("database closed");
        }
    }

    /**
     * Precommit, durable write, publication, notification: the whole of ovsdb_txn_commit, under
     * the commit lock. Nothing becomes visible if precommit or the write fails.
     */
    private DbSnapshot commit(Txn txn) throws OvsdbException {
        checkNotInListener();
        commitLock.lock();
        try {
            checkOpen();
            return commitLocked(txn);
        } finally {
            commitLock.unlock();
        }
    }

    /** Called with the commit lock held. */
    private Snapshot commitLocked(Txn txn) throws OvsdbException {
        Snapshot before = current;
        CommitPlan plan = Precommit.run(specs, txn.rowsAgainst(before));
        if (plan.changes().isEmpty()) {
            return before;
        }
        if (file != null) {
            try {
                file.write(plan, txn.comment());
            } catch (IOException e) {
                LOG.error("{}: cannot write transaction: {}", file.path(), e.toString());
                throw new OvsdbException("I/O error", file.path() + ": " + e.getMessage());
            }
        }
        Snapshot after = plan.apply(before.version() + 1);
        current = after;
        listeners.fire(new DbChange(before, after, plan.changedRows()));
        if (file != null) {
            file.compactIfDue(after);
        }
        return after;
    }

    /** Rewrites the log as one record now (tests; a future appctl ovsdb-server/compact). */
    void compact() throws IOException {
        commitLock.lock();
        try {
            if (file != null) {
                file.compact(current);
            }
        } finally {
            commitLock.unlock();
        }
    }

    private static Map<String, Set<UUID>> allRows(Snapshot s) {
        Map<String, Set<UUID>> out = new LinkedHashMap<>();
        for (TableData t : s.tables().values()) {
            if (!t.rows().isEmpty()) {
                Set<UUID> uuids = new LinkedHashSet<>();
                for (Iterator<UUID> it = t.rows().keyIterator(); it.hasNext(); ) {
                    uuids.add(it.next());
                }
                out.put(t.spec().name, Collections.unmodifiableSet(uuids));
            }
        }
        return Collections.unmodifiableMap(out);
    }

    @Override
    public String toString() {
        return "OvsdbService[" + (file == null ? "in memory" : file.path()) + ", " + current + "]";
    }
}
