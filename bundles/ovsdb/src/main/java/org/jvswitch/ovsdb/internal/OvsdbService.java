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
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
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
 * never block. Commits use group commit (leader/follower):
 * <ol>
 * <li>Under {@code commitLock}, one commit at a time is checked against the latest appended state
 *     ({@code tip}), its record appended to the log without forcing it, and the new state becomes
 *     the {@code tip} the next commit builds on (so an atomic transaction's "wait"/"where" still
 *     see exactly the state it commits on).</li>
 * <li>The committer then waits until its version is durable and published: whoever holds
 *     {@code syncLock} (the leader) forces the log once for everything appended so far, then
 *     publishes those commits one by one in commit order ({@link #snapshot()} and listener calls);
 *     committers that arrived meanwhile find their commit already published when they get the lock.</li>
 * </ol>
 * So every acknowledged commit is on disk before the call returns, listeners see commits one at
 * a time, in commit order, and only once they are durable, and concurrent committers share
 * fdatasyncs. With {@link DbSync#DURABLE} (as ovsdb-server), a commit is published as soon as it is
 * written, under {@code commitLock} (one lock per commit: ten busy connections contended for
 * three), and only a transaction that asks for it forces the log first. Lock order: syncLock, then commitLock; commitLock is never held while waiting for
 * syncLock. A failed force makes the database refuse every later commit (nobody knows what of
 * the unforced tail is on disk); readers keep the last durable state.
 */
public final class OvsdbService implements Database, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OvsdbService.class);
    private static final String ROOT_TABLE = "Open_vSwitch";

    private final DbSchema schema;
    private final Map<String, TableSpec> specs;
    private final Snapshot empty;
    private final DbFile file;
    private final DbSync sync;
    private final Listeners listeners = new Listeners();
    /** Sequences commits: precommit against {@link #tip}, append, advance {@link #tip}. */
    private final ReentrantLock commitLock = new ReentrantLock();
    /** Held by the one thread that forces the log and publishes; also by listener calls. */
    private final ReentrantLock syncLock = new ReentrantLock();
    /** The durable, published state: what readers and listeners see. Written under syncLock. */
    private volatile Snapshot current;
    /** The latest appended state, maybe not yet durable. Written under commitLock after its append. */
    private volatile Snapshot tip;
    /** Appended, not yet published commits, in commit order. Added under commitLock, drained under syncLock. */
    private final Queue<DbChange> unpublished = new ConcurrentLinkedQueue<>();
    /**
     * The last version whose listeners have run; written after them, under syncLock (sync=always)
     * or commitLock (sync=durable). A committer
     * returns only once its version is here, so its reply goes out after the monitor updates its
     * commit caused ({@link #current} is set before the listeners run: they read it).
     */
    private volatile long notifiedVersion;
    /** The last version known to be on disk (for tests); written under syncLock. */
    private volatile long durableVersion;
    /** How many times the log was forced for commits (for tests and measurements). */
    private volatile long forces;
    /** Set when forcing the log failed; every later commit fails. */
    private volatile IOException syncFailure;
    /** Guarded by commitLock. */
    private boolean closed;

    /**
     * The file comes from framework (or system) properties. Created by {@link EmbeddedDatabase}
     * unless the switch is a client of a remote database.
     */
    public OvsdbService(BundleContext context) throws IOException {
        this(DbLocation.resolve(context::getProperty), DbSync.parse(context.getProperty(DbSync.PROPERTY)));
    }

    /** An in-memory database of the schema {@code schemaJson}, such as the server's own {@code _Server}. */
    public static OvsdbService inMemory(String schemaJson) throws IOException {
        return new OvsdbService(null, SchemaReader.read(schemaJson), CompactionPolicy.DEFAULT, DbSync.ALWAYS);
    }

    /** A database in {@code file}, or in memory only if null; for tests and embedding without OSGi. */
    public OvsdbService(Path file) throws IOException {
        this(file, DbSync.ALWAYS);
    }

    /** The same, forcing commits to disk as {@code sync} says. */
    public OvsdbService(Path file, DbSync sync) throws IOException {
        this(file, SchemaReader.vswitch(), CompactionPolicy.DEFAULT, sync);
    }

    OvsdbService(Path file, CompactionPolicy policy) throws IOException {
        this(file, SchemaReader.vswitch(), policy, DbSync.ALWAYS);
    }

    /** With another schema: tests of behaviour the Open vSwitch schema cannot show. */
    OvsdbService(Path file, DbSchema schema, CompactionPolicy policy, DbSync sync) throws IOException {
        this.schema = schema;
        this.sync = sync;
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
        this.tip = current;
        this.durableVersion = current.version();
        this.notifiedVersion = current.version();
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
        syncLock.lock();
        try {
            if (tip.version() > current.version() || (file != null && tip.version() > durableVersion)) {
                // Commits appended but not yet forced: their committers are about to wait for them.
                try {
                    syncAndPublish(tip.version(), true);
                } catch (OvsdbException e) {
                    LOG.warn("{}: closing: {}", this, e.details());
                }
            }
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
        } finally {
            syncLock.unlock();
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
        // Under both publication locks (the sync lock publishes with sync=always, the commit lock
        // with sync=durable): the listener gets the published state, then every later commit.
        syncLock.lock();
        try {
            commitLock.lock();
            try {
                Snapshot now = current;
                return listeners.add(listener, new DbChange(empty, now, allRows(now)));
            } finally {
                commitLock.unlock();
            }
        } finally {
            syncLock.unlock();
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
        Snapshot result;
        Txn txn;
        commitLock.lock();
        try {
            checkOpen();
            txn = new Txn(this::commit, specs, tip);
            boolean commit = body.run(txn);
            if (commit) {
                txn.finish();
                result = commitLocked(txn);
            } else {
                // Aborted: it read the tip, whose durability the reply must not get ahead of.
                result = null;
            }
        } finally {
            commitLock.unlock();
        }
        awaitDurable(result == null ? tipVersion() : result.version(), sync == DbSync.ALWAYS || txn.durable());
        return result;
    }

    private long tipVersion() {
        return tip.version();
    }

    private void checkNotInListener() {
        if (commitLock.isHeldByCurrentThread() || syncLock.isHeldByCurrentThread()) {
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
        Snapshot result;
        commitLock.lock();
        try {
            checkOpen();
            result = commitLocked(txn);
        } finally {
            commitLock.unlock();
        }
        awaitDurable(result.version(), sync == DbSync.ALWAYS || txn.durable());
        return result;
    }

    /**
     * Precommit against the tip and append, with the commit lock held; the caller then waits for
     * {@link #awaitDurable}. Returns the new tip (the old one if the transaction changed nothing).
     */
    private Snapshot commitLocked(Txn txn) throws OvsdbException {
        checkSyncFailure();
        Snapshot before = tip;
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
        DbChange change = new DbChange(before, after, plan.changedRows());
        tip = after;
        if (sync == DbSync.ALWAYS) {
            unpublished.add(change);
            return after;
        }
        // As ovsdb-server: published at once, in commit order, under the commit lock; a durable
        // commit forces the log first (durable commits are rare, so they need no group commit).
        if (file != null && txn.durable()) {
            force();
            durableVersion = after.version();
        }
        current = after;
        listeners.fire(change);
        notifiedVersion = after.version();
        if (file != null) {
            file.compactIfDue(after);
        }
        return after;
    }

    /**
     * Returns once the state of {@code version} is published (listeners called) and, if
     * {@code force}, on disk; the first waiter to get the sync lock forces the log for every commit
     * appended so far.
     */
    private void awaitDurable(long version, boolean force) throws OvsdbException {
        if (done(version, force)) {
            return;
        }
        syncLock.lock();
        try {
            if (done(version, force)) {
                return;
            }
            syncAndPublish(version, force);
        } finally {
            syncLock.unlock();
        }
    }

    private boolean done(long version, boolean force) {
        // A commit published by a leader that did not force is not durable yet.
        return force ? durableVersion >= version && notifiedVersion >= version : notifiedVersion >= version;
    }

    /**
     * The leader's work, under the sync lock: one force for everything appended (if {@code force}),
     * then publication.
     */
    private void syncAndPublish(long atLeast, boolean force) throws OvsdbException {
        checkSyncFailure();
        // Every commit up to this tip has finished its write (the tip is set after the append).
        long upTo = tip.version();
        if (file == null) {
            durableVersion = upTo;
        } else if (force) {
            force();
            durableVersion = upTo;
        }
        for (DbChange c = unpublished.peek(); c != null && c.after().version() <= upTo; c = unpublished.peek()) {
            unpublished.poll();
            current = (Snapshot) c.after();
            listeners.fire(c);
            notifiedVersion = c.after().version();
        }
        if (current.version() < atLeast) {
            throw new IllegalStateException("commit " + atLeast + " not appended (published " + current.version()
                    + ")");
        }
        if (file != null) {
            commitLock.lock();
            try {
                // What it writes is forced; commits appended since the force are published by the next leader.
                file.compactIfDue(tip);
            } finally {
                commitLock.unlock();
            }
        }
    }

    /**
     * Forces the log. A failure makes the database refuse every later commit (nobody knows what of
     * the unforced tail is on disk) and, when every acknowledged commit was forced, cuts that tail off.
     */
    private void force() throws OvsdbException {
        try {
            file.force();
            forces++;
        } catch (IOException e) {
            syncFailure = e;
            LOG.error("{}: cannot force transactions to disk ({}); refusing further commits until the switch"
                    + " is restarted on a working disk", file.path(), e.getMessage());
            if (sync == DbSync.ALWAYS) {
                // Every commit after the last force is unacknowledged: none of them may come back on restart.
                commitLock.lock();
                try {
                    file.discardUnforced();
                } catch (IOException e2) {
                    LOG.error("{}: cannot cut off the commits that were not acknowledged ({}); they may reappear"
                            + " when the database is opened again", file.path(), e2.getMessage());
                } finally {
                    commitLock.unlock();
                }
            }
            checkSyncFailure();
        }
    }

    /** The newest version known to be durable (on disk, or in memory for an in-memory database). */
    long durableVersion() {
        return durableVersion;
    }

    /** How many times the log was forced for commits since the database was opened. */
    long forces() {
        return forces;
    }

    private void checkSyncFailure() throws OvsdbException {
        IOException e = syncFailure;
        if (e != null) {
            throw new OvsdbException("I/O error", file.path() + ": cannot force transactions to disk ("
                    + e.getMessage() + "); no commit is accepted until jvswitch is restarted on a working disk");
        }
    }

    /** Rewrites the log as one record now (tests; a future appctl ovsdb-server/compact). */
    void compact() throws IOException {
        syncLock.lock();
        try {
            commitLock.lock();
            try {
                if (file != null) {
                    file.compact(tip);
                }
            } finally {
                commitLock.unlock();
            }
        } finally {
            syncLock.unlock();
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
