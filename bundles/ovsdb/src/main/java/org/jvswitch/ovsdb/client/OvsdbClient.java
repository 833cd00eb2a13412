package org.jvswitch.ovsdb.client;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.jvswitch.api.ovsdb.DbChange;
import org.jvswitch.api.ovsdb.DbListener;
import org.jvswitch.api.ovsdb.DbSchema;
import org.jvswitch.api.ovsdb.DbSnapshot;
import org.jvswitch.api.ovsdb.DbSubscription;
import org.jvswitch.api.ovsdb.DbTransaction;
import org.jvswitch.api.ovsdb.Ovsdb;
import org.jvswitch.api.ovsdb.OvsdbException;
import org.jvswitch.ovsdb.internal.Replica;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

/**
 * The {@code Open_vSwitch} database of a remote ovsdb-server, as the in-process {@link Ovsdb}
 * service (what Open vSwitch's ovsdb-idl is to ovs-vswitchd).
 *
 * <p>A session thread connects to the remote, reads the schema ({@code get_schema}), monitors
 * every column of every table ({@code monitor}, RFC 7047) into a {@link Replica} and waits for the
 * connection to end; then it reconnects with exponential backoff (250 ms doubling to 8 s, reset by
 * a successful synchronization), monitors again and replaces the replica's content, telling
 * listeners what differs. The schema is the one the server gave first; a server that comes back
 * with another schema is still read through the first one (a column it lacks is left at its
 * default, a table it lacks makes the monitor fail and is retried).
 *
 * <p>Transactions ({@link #begin()}) are checked locally like the embedded database's, then sent
 * as one {@code transact} (see {@link Replica}); {@code commit()} returns once the reply arrived
 * and, through an {@code echo} round trip behind it, the monitor update the transaction caused has
 * been applied to the replica, so the returned snapshot shows the commit. A stale write fails with
 * the server's "timed out" error from the guarding {@code wait}; a lost connection fails with
 * "I/O error". UUIDs that {@code insert} returns are local: the server picks its own.
 *
 * <p>Keepalive: a connection silent for {@code probeInterval} gets an {@code echo}; silent for two
 * intervals, it is dropped and re-established (Open vSwitch's inactivity probe).
 *
 * <p>Listeners run on the connection's reader thread and must not block or commit there, except
 * for the update that reports a commit of this client, which they hear on the committing thread
 * before {@code commit()} returns, as with the embedded database.
 */
public final class OvsdbClient implements Ovsdb, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OvsdbClient.class);
    static final String DB = "Open_vSwitch";
    private static final long MIN_BACKOFF_MS = 250;
    private static final long MAX_BACKOFF_MS = 8000;
    private static final long REQUEST_TIMEOUT_MS = 60_000;

    private final String remote;
    private final long probeMs;
    private final ReentrantLock lock = new ReentrantLock();
    /** Serializes commits, so that at most one {@link OwnCommit} is in progress. */
    private final ReentrantLock commitLock = new ReentrantLock();
    private volatile OwnCommit ownCommit;
    private final Condition changed = lock.newCondition();
    /** Completed with the replica after the first synchronization. */
    private final CompletableFuture<Replica> firstSync = new CompletableFuture<>();
    private volatile Replica replica;
    private volatile JsonRpcClient connection;
    private volatile boolean connected;
    private volatile boolean closed;
    private volatile Thread session;
    private long syncs;

    /**
     * @param remote        {@code unix:PATH} or {@code tcp:IP:PORT}
     * @param probeInterval how long a connection may be silent before an echo is sent (0: never)
     */
    public OvsdbClient(String remote, Duration probeInterval) {
        JsonRpcClient.checkRemote(remote);
        this.remote = remote;
        this.probeMs = probeInterval.toMillis();
    }

    public OvsdbClient(String remote) {
        this(remote, Duration.ofSeconds(5));
    }

    /** Starts connecting in the background. */
    public OvsdbClient start() {
        session = Thread.ofPlatform().daemon().name("ovsdb-client " + remote).start(this::run);
        return this;
    }

    /** Completes once the replica holds the remote database for the first time. */
    public CompletableFuture<Replica> firstSync() {
        return firstSync;
    }

    /** Waits until connected and synchronized (the first time or after a reconnection). */
    public boolean awaitConnected(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (!connected) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                changed.awaitNanos(left);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    public boolean isConnected() {
        return connected;
    }

    /** Number of completed synchronizations (1 after the first, +1 per reconnection). */
    public long syncCount() {
        lock.lock();
        try {
            return syncs;
        } finally {
            lock.unlock();
        }
    }

    public String remote() {
        return remote;
    }

    private void run() {
        long backoff = MIN_BACKOFF_MS;
        boolean reported = false;
        while (!closed) {
            JsonRpcClient c = null;
            try {
                c = JsonRpcClient.connect(remote);
                connection = c;
                synchronize(c);
                LOG.info("{}: connected", remote);
                reported = false;
                backoff = MIN_BACKOFF_MS;
                keepAlive(c);
                LOG.warn("{}: connection to the database lost; reconnecting", remote);
            } catch (IOException | RuntimeException e) {
                if (!closed && !reported) {
                    LOG.warn("{}: cannot connect to the database: {}; retrying", remote, e.toString());
                    reported = true;
                } else {
                    LOG.debug("{}: connection attempt failed: {}", remote, e.toString());
                }
            } catch (InterruptedException e) {
                break;
            } finally {
                if (c != null) {
                    c.close();
                }
                setConnected(false);
            }
            if (closed) {
                break;
            }
            try {
                Thread.sleep(backoff);
            } catch (InterruptedException e) {
                break;
            }
            backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
        }
    }

    /** get_schema, then monitor; the initial rows replace the replica's on the reader thread. */
    private void synchronize(JsonRpcClient c) throws IOException, InterruptedException {
        c.start(this::notification);
        JsonNode schema = await(c.request("get_schema", JsonRpcClient.params(DB)));
        Replica r = replica;
        if (r == null) {
            r = new Replica(JsonRpcClient.MAPPER.writeValueAsString(schema));
            replica = r;
        } else if (!schema.path("version").equals(JsonRpcClient.MAPPER.readTree(r.schema().json()).path("version"))) {
            LOG.warn("{}: the server's schema is now version {}; still reading it as version {}", remote,
                    schema.path("version").asText(), r.schema().version());
        }
        Replica target = r;
        await(c.request("monitor", r.monitorParams(TextNode.valueOf("jvswitch")), initial -> {
            try {
                target.reset(initial);
                return initial;
            } catch (OvsdbException e) {
                throw new IllegalStateException(e.error() + ": " + e.details(), e);
            }
        }));
        setConnected(true);
        firstSync.complete(r);
    }

    private void keepAlive(JsonRpcClient c) throws InterruptedException {
        long interval = probeMs > 0 ? probeMs : Long.MAX_VALUE / 2_000_000;
        boolean echoSent = false;
        while (!closed) {
            try {
                c.closedFuture().get(interval, TimeUnit.MILLISECONDS);
                return;
            } catch (ExecutionException e) {
                return;
            } catch (TimeoutException e) {
                long silentMs = c.nanosSinceLastMessage() / 1_000_000;
                if (silentMs < interval) {
                    echoSent = false;
                } else if (!echoSent) {
                    c.request("echo", JsonRpcClient.params("keepalive"));
                    echoSent = true;
                } else {
                    LOG.warn("{}: no response to inactivity probe after {} ms, disconnecting", remote, silentMs);
                    return;
                }
            }
        }
    }

    private void notification(ObjectNode msg) {
        String method = msg.path("method").asText();
        if (method.equals("update")) {
            Replica r = replica;
            JsonNode params = msg.get("params");
            try {
                if (r == null || params == null || params.size() != 2) {
                    throw new OvsdbException("syntax error", "bad update params " + params);
                }
                r.apply(params.get(1), this::deliver);
            } catch (OvsdbException e) {
                // The replica can no longer be trusted: start over with a new monitor.
                LOG.error("{}: cannot apply update: {}: {}; resynchronizing", remote, e.error(), e.details());
                JsonRpcClient c = connection;
                if (c != null) {
                    c.close();
                }
            }
        } else {
            LOG.debug("{}: ignoring {}", remote, method);
        }
    }

    private void setConnected(boolean value) {
        lock.lock();
        try {
            connected = value;
            if (value) {
                syncs++;
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private static JsonNode await(CompletableFuture<JsonNode> f) throws IOException, InterruptedException {
        try {
            return f.get(REQUEST_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            throw new IOException(cause.toString(), cause);
        } catch (TimeoutException e) {
            throw new IOException("no reply within " + REQUEST_TIMEOUT_MS + " ms");
        }
    }

    private Replica replica() {
        Replica r = replica;
        if (r == null) {
            throw new IllegalStateException(remote + ": not synchronized with the database yet");
        }
        return r;
    }

    @Override
    public String name() {
        return DB;
    }

    @Override
    public DbSchema schema() {
        return replica().schema();
    }

    @Override
    public DbSnapshot snapshot() {
        return replica().snapshot();
    }

    @Override
    public DbSubscription subscribe(DbListener listener) {
        return replica().subscribe(listener);
    }

    @Override
    public DbTransaction begin() {
        Replica r = replica();
        return r.begin(this::transact);
    }

    /**
     * Where listeners hear of an update: the update that reports exactly the transaction being
     * committed is handed to the committing thread, which runs the listeners while the reader
     * waits (so order is kept), as the embedded database calls listeners on the committing
     * thread; the bridge relies on that to tell its own status writes from configuration changes.
     * Anything else is delivered here, on the reader thread.
     */
    private void deliver(DbChange change, Runnable fire) {
        OwnCommit oc = ownCommit;
        if (oc == null || oc.done || !oc.own.matches(change)) {
            fire.run();
            return;
        }
        Handoff h = new Handoff(fire);
        oc.tasks.add(h);
        while (!h.finished.isDone()) {
            if (oc.done) {
                h.run(); // the committer left; runs it here unless it already claimed it
            }
            try {
                h.finished.get(10, TimeUnit.MILLISECONDS);
            } catch (TimeoutException | ExecutionException e) {
                // check again
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                h.run();
                return;
            }
        }
    }

    /** A listener call handed to the committing thread; run once, by whoever claims it first. */
    private static final class Handoff implements Runnable {
        final Runnable fire;
        final java.util.concurrent.atomic.AtomicBoolean claimed = new java.util.concurrent.atomic.AtomicBoolean();
        final CompletableFuture<Void> finished = new CompletableFuture<>();

        Handoff(Runnable fire) {
            this.fire = fire;
        }

        @Override
        public void run() {
            if (claimed.compareAndSet(false, true)) {
                try {
                    fire.run();
                } finally {
                    finished.complete(null);
                }
            }
        }
    }

    /** The commit in progress: what it changes, and listener calls handed to its thread. */
    private static final class OwnCommit {
        final Replica.Own own;
        final BlockingQueue<Runnable> tasks = new LinkedBlockingQueue<>();
        volatile boolean done;

        OwnCommit(Replica.Own own) {
            this.own = own;
        }

        /** Waits for {@code f}, running handed-over listener calls meanwhile. */
        JsonNode await(CompletableFuture<JsonNode> f) throws IOException, InterruptedException {
            f.whenComplete((r, e) -> tasks.add(() -> { }));
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(REQUEST_TIMEOUT_MS);
            while (!f.isDone()) {
                long left = deadline - System.nanoTime();
                Runnable t = left > 0 ? tasks.poll(left, TimeUnit.NANOSECONDS) : null;
                if (t == null && !f.isDone()) {
                    throw new IOException("no reply within " + REQUEST_TIMEOUT_MS + " ms");
                }
                if (t != null) {
                    t.run();
                }
            }
            return OvsdbClient.await(f);
        }

        void finish() {
            done = true;
            for (Runnable t; (t = tasks.poll()) != null; ) {
                t.run();
            }
        }
    }

    private DbSnapshot transact(ArrayNode params, Replica.Own own) throws OvsdbException {
        commitLock.lock();
        try {
            OwnCommit oc = new OwnCommit(own);
            ownCommit = oc;
            try {
                return send(params, oc);
            } finally {
                ownCommit = null;
                oc.finish();
            }
        } finally {
            commitLock.unlock();
        }
    }

    private DbSnapshot send(ArrayNode params, OwnCommit oc) throws OvsdbException {
        JsonRpcClient c = connection;
        if (c == null || !connected) {
            throw new OvsdbException("I/O error", remote + ": not connected to the database");
        }
        if (c.isReaderThread()) {
            throw new IllegalStateException("a DbListener must not commit synchronously");
        }
        JsonNode result;
        try {
            result = oc.await(c.request("transact", params));
            // The server sends the monitor update before it answers a later request: once the
            // echo is back, the replica shows this transaction.
            oc.await(c.request("echo", JsonRpcClient.params("sync")));
        } catch (JsonRpcClient.RpcError e) {
            throw new OvsdbException(e.error.isTextual() ? e.error.textValue() : e.error.toString(),
                    "transact failed");
        } catch (IOException e) {
            throw new OvsdbException("I/O error", remote + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OvsdbException("I/O error", remote + ": interrupted");
        }
        if (result == null || !result.isArray()) {
            throw new OvsdbException("I/O error", remote + ": unexpected transact reply " + result);
        }
        for (JsonNode r : result) {
            if (r != null && r.hasNonNull("error")) {
                throw new OvsdbException(r.get("error").asText(), r.path("details").asText(""));
            }
        }
        return replica().snapshot();
    }

    @Override
    public void close() {
        closed = true;
        Thread t = session;
        if (t != null) {
            t.interrupt();
        }
        JsonRpcClient c = connection;
        if (c != null) {
            c.close();
        }
        firstSync.completeExceptionally(new IOException("closed"));
    }

    @Override
    public String toString() {
        return "OvsdbClient[" + remote + (connected ? ", connected" : ", disconnected") + "]";
    }
}
