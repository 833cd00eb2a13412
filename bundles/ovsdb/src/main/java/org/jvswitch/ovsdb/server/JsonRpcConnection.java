package org.jvswitch.ovsdb.server;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.Channels;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.jvswitch.ovsdb.internal.OvsJson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

/**
 * One JSON-RPC connection (Open vSwitch's lib/jsonrpc.c with the probing of jsonrpc_session): a
 * platform thread reads and handles messages in order. A message sent with nothing queued before
 * it is written at once by the sending thread, as ovsdb-server's single thread writes to every
 * socket: on a unix or tcp socket the write does not block (the socket is non-blocking), and what
 * the kernel does not take is queued for the connection's writer thread, so a commit that
 * notifies monitors never waits for a slow peer. On TLS (a blocking stream) only the reader writes
 * at once, its own replies; everything else goes through the writer.
 *
 * <p>Why: each hand-off to another thread costs a wake-up, and with 50 monitor clients a commit
 * made 50 of them (bench/ovsdb-monitor.sh). The reader is a platform thread because a blocking
 * read is then one system call that the kernel wakes, where a virtual thread goes through the
 * poller and the scheduler on every message (bench/ovsdb-throughput.sh, 1 connection: 12.7k ->
 * 16.6k transactions/s). Open vSwitch deployments have tens of OVSDB clients, not thousands.
 *
 * <p>Garbage closes the connection: malformed JSON, a text over the size limit, a message that
 * is not JSON-RPC, or a send backlog over its limit (a peer that stopped reading). On tcp, after
 * {@code probeMs} without input the server sends an echo request, and closes the connection if
 * nothing arrives for another {@code probeMs} (reconnect.c's inactivity probe).
 */
final class JsonRpcConnection {
    private static final Logger LOG = LoggerFactory.getLogger(JsonRpcConnection.class);
    private static final ObjectMapper WRITER = new ObjectMapper();
    private static final byte[] CLOSE = new byte[0];

    /** What handles a connection's messages; called on its reader thread. */
    interface Handler {
        void received(JsonRpcMessage message);

        /** Called once, when the connection is closed for any reason. */
        void closed();
    }

    /** Size limits and probing. */
    record Limits(long maxMessage, long maxBacklog, long probeMs) {
    }

    private final ByteChannel channel;
    /** The channel when it is a socket, made non-blocking; null for blocking streams (TLS, tests' pipes). */
    private final SocketChannel socket;
    private final Selector readable;
    private final Selector writable;
    private final String name;
    private final Limits limits;
    /** Messages waiting for the writer; a partly written one goes back to the head. */
    private final LinkedBlockingDeque<byte[]> output = new LinkedBlockingDeque<>();
    /**
     * Orders writes and queueing. On a socket it is held only around non-blocking writes (never
     * while waiting for room), so any thread may take it; on a blocking stream, by the writer
     * and by the reader for a direct reply.
     */
    private final java.util.concurrent.locks.ReentrantLock writeLock = new java.util.concurrent.locks.ReentrantLock();
    private volatile Thread reader;
    private final AtomicLong backlog = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile long lastInputNanos = System.nanoTime();
    private Handler handler;

    JsonRpcConnection(ByteChannel channel, String name, Limits limits) {
        this.channel = channel;
        this.name = name;
        this.limits = limits;
        SocketChannel sc = null;
        Selector r = null;
        Selector w = null;
        if (channel instanceof SocketChannel c) {
            try {
                c.configureBlocking(false);
                r = Selector.open();
                w = Selector.open();
                c.register(r, SelectionKey.OP_READ);
                c.register(w, SelectionKey.OP_WRITE);
                sc = c;
            } catch (IOException e) {
                // Stays a blocking channel: every send but the reader's own goes through the writer.
                LOG.debug("{}: cannot make the socket non-blocking: {}", name, e.toString());
                closeQuietly(r);
                closeQuietly(w);
                r = null;
                w = null;
                try {
                    c.configureBlocking(true);
                } catch (IOException | java.nio.channels.IllegalBlockingModeException ignored) {
                    // closed
                }
            }
        }
        this.socket = sc;
        this.readable = r;
        this.writable = w;
    }

    private static void closeQuietly(Selector s) {
        if (s != null) {
            try {
                s.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }

    String name() {
        return name;
    }

    /** Starts the reader and writer threads. */
    void start(Handler h) {
        this.handler = h;
        Thread.ofVirtual().name("ovsdb-write " + name).start(this::writeLoop);
        reader = Thread.ofPlatform().daemon().name("ovsdb-read " + name).unstarted(this::readLoop);
        reader.start();
    }

    /** Sends a message, see {@link #sendBytes}. */
    void send(ObjectNode message) {
        if (!closed.get()) {
            sendBytes(serialize(message));
        }
    }

    static byte[] serialize(JsonNode message) {
        try {
            return WRITER.writeValueAsBytes(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize " + message, e);
        }
    }

    /**
     * Sends a message already serialized (monitor updates shared by several sessions): written at
     * once if nothing is queued before it and the write cannot block this thread, else queued for
     * the writer. Never blocks a thread other than the reader. Dropped once the connection is closed.
     */
    void sendBytes(byte[] bytes) {
        if (closed.get()) {
            return;
        }
        if (socket != null) {
            // Under the lock: the queue's order is the order of sends, and a message is written
            // directly only when nothing is queued (backlog counts queued bytes until written).
            // close() runs after the lock is let go: it calls into the session and the monitor
            // hub, whose lock a committer may hold while it waits for this one.
            boolean failed;
            writeLock.lock();
            try {
                if (closed.get()) {
                    return;
                }
                byte[] rest = bytes;
                if (backlog.get() == 0) {
                    ByteBuffer b = ByteBuffer.wrap(bytes);
                    socket.write(b);
                    if (!b.hasRemaining()) {
                        return;
                    }
                    // The kernel's buffer is full: the rest waits for the writer.
                    rest = new byte[b.remaining()];
                    b.get(rest);
                }
                failed = !enqueue(rest);
            } catch (IOException e) {
                sendFailed(e);
                failed = true;
            } finally {
                writeLock.unlock();
            }
            if (failed) {
                close();
            }
            return;
        }
        if (Thread.currentThread() == reader && backlog.get() == 0 && writeLock.tryLock()) {
            boolean failed = false;
            try {
                // The reader's own reply on a blocking stream, with nothing queued before it.
                if (backlog.get() == 0 && !closed.get()) {
                    writeFully(ByteBuffer.wrap(bytes));
                    return;
                }
            } catch (IOException e) {
                sendFailed(e);
                failed = true;
            } finally {
                writeLock.unlock();
            }
            if (failed) {
                close();
                return;
            }
        }
        if (!enqueue(bytes)) {
            close();
        }
    }

    /** Queues a message for the writer; false (the caller closes) if the backlog grew over its limit. */
    /** Logs a failed write, unless the connection was closed meanwhile (which is why it failed). */
    private void sendFailed(IOException e) {
        if (!closed.get()) {
            LOG.debug("{}: send error: {}", name, e.toString());
        }
    }

    private boolean enqueue(byte[] bytes) {
        long queued = backlog.addAndGet(bytes.length);
        if (queued > limits.maxBacklog()) {
            LOG.warn("{}: sending backlog exceeded maximum size ({} > {} bytes), disconnecting", name, queued,
                    limits.maxBacklog());
            return false;
        }
        output.add(bytes);
        return true;
    }

    boolean isClosed() {
        return closed.get();
    }

    /** Closes the connection; the handler hears of it once. Idempotent, callable from any thread. */
    void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        output.add(CLOSE);
        try {
            channel.close();
        } catch (IOException e) {
            LOG.debug("{}: close: {}", name, e.toString());
        }
        if (readable != null) {
            // Wakes a reader or writer waiting in select; their loops then see the channel closed.
            readable.wakeup();
            writable.wakeup();
        }
        if (handler != null) {
            handler.closed();
        }
    }

    private void readLoop() {
        boolean flushFirst = false;
        try {
            MessageReader reader = new MessageReader(socket != null ? new SocketInput()
                    : Channels.newInputStream(channel), limits.maxMessage());
            while (!closed.get()) {
                JsonNode json = reader.next();
                if (json == null) {
                    // The peer is done sending; it may still read what it asked for, as from ovsdb-server.
                    LOG.debug("{}: connection closed by peer", name);
                    flushFirst = true;
                    break;
                }
                lastInputNanos = System.nanoTime();
                JsonRpcMessage message;
                try {
                    message = JsonRpcMessage.fromJson(json);
                } catch (JsonRpcMessage.BadMessage e) {
                    LOG.warn("{}: received bad JSON-RPC message: {}", name, e.getMessage());
                    break;
                }
                if (!handleLocally(message)) {
                    handler.received(message);
                }
            }
        } catch (BoundedInputStream.TooLong e) {
            LOG.warn("{}: {}, disconnecting", name, e.getMessage());
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            LOG.warn("{}: error parsing stream: {}", name, e.getOriginalMessage());
        } catch (IOException e) {
            if (!closed.get()) {
                LOG.debug("{}: receive error: {}", name, e.toString());
            }
        } catch (RuntimeException e) {
            LOG.error("{}: internal error handling a message, disconnecting", name, e);
        } finally {
            if (flushFirst) {
                // The writer closes the connection once it has written everything queued before this.
                output.add(CLOSE);
            } else {
                close();
            }
            closeQuietly(readable);
        }
    }

    /** jsonrpc_session_recv's share: echo requests are answered here, replies to our probes dropped. */
    private boolean handleLocally(JsonRpcMessage m) {
        if (m.kind() == JsonRpcMessage.Kind.REQUEST && "echo".equals(m.method())) {
            send(JsonRpcMessage.reply(m.params(), m.id()));
            return true;
        }
        return m.kind() == JsonRpcMessage.Kind.REPLY && m.id().isTextual() && "echo".equals(m.id().textValue());
    }

    private void writeLoop() {
        try {
            List<byte[]> batch = new ArrayList<>();
            while (true) {
                if (limits.probeMs() > 0 && !probe()) {
                    return;
                }
                byte[] first = limits.probeMs() > 0
                        ? output.poll(Math.max(1, limits.probeMs() / 5), TimeUnit.MILLISECONDS) : output.take();
                if (first == null) {
                    continue;
                }
                batch.clear();
                batch.add(first);
                output.drainTo(batch, 256);
                if (!write(batch)) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            sendFailed(e);
        } finally {
            close();
            closeQuietly(writable);
        }
    }

    /** When the probe went out, 0 if none is outstanding; writer thread only. */
    private long probeSentNanos;

    /** The inactivity probe; false if the peer failed it and the connection is closed. */
    private boolean probe() {
        long now = System.nanoTime();
        if (probeSentNanos != 0 && lastInputNanos - probeSentNanos > 0) {
            probeSentNanos = 0;
        }
        if (probeSentNanos == 0) {
            if (TimeUnit.NANOSECONDS.toMillis(now - lastInputNanos) >= limits.probeMs()) {
                LOG.debug("{}: idle for {} ms, sending inactivity probe", name, limits.probeMs());
                send(JsonRpcMessage.request("echo", OvsJson.NODES.arrayNode(), TextNode.valueOf("echo")));
                probeSentNanos = now == 0 ? 1 : now;
            }
        } else if (TimeUnit.NANOSECONDS.toMillis(now - probeSentNanos) >= limits.probeMs()) {
            LOG.warn("{}: no response to inactivity probe after {} seconds, disconnecting", name,
                    limits.probeMs() / 1000.0);
            close();
            return false;
        }
        return true;
    }

    /** Writes a batch of queued messages; false once the close marker is reached. */
    private boolean write(List<byte[]> batch) throws IOException {
        int n = batch.indexOf(CLOSE);
        boolean more = n < 0;
        if (more) {
            n = batch.size();
        }
        if (socket == null) {
            long bytes = 0;
            writeLock.lock();
            try {
                for (int i = 0; i < n; i++) {
                    writeFully(ByteBuffer.wrap(batch.get(i)));
                    bytes += batch.get(i).length;
                }
                backlog.addAndGet(-bytes);
            } finally {
                writeLock.unlock();
            }
            return more;
        }
        boolean full = false;
        writeLock.lock();
        try {
            long written = 0;
            for (int i = 0; i < n && !full; i++) {
                ByteBuffer b = ByteBuffer.wrap(batch.get(i));
                written += socket.write(b);
                if (b.hasRemaining()) {
                    // The kernel's buffer is full: what is left goes back to the head, in order, and
                    // the lock is let go while waiting for room.
                    if (!more) {
                        output.addFirst(CLOSE);
                        more = true;
                    }
                    for (int j = n - 1; j > i; j--) {
                        output.addFirst(batch.get(j));
                    }
                    byte[] rest = new byte[b.remaining()];
                    b.get(rest);
                    output.addFirst(rest);
                    full = true;
                }
            }
            backlog.addAndGet(-written);
        } finally {
            writeLock.unlock();
        }
        if (full) {
            writable.select(1000);
            writable.selectedKeys().clear();
            if (!socket.isOpen()) {
                throw new java.nio.channels.ClosedChannelException();
            }
        }
        return more;
    }

    /** Writes all of {@code b} to a blocking stream. */
    private void writeFully(ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            channel.write(b);
        }
    }

    /** A blocking stream over the non-blocking socket, for the reader thread: waits in select when nothing is there. */
    private final class SocketInput extends java.io.InputStream {
        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            ByteBuffer buffer = ByteBuffer.wrap(b, off, len);
            while (true) {
                if (drained) {
                    // The last read left the socket empty: most likely still empty, so wait first.
                    // With a timeout: a close of the channel from outside (an active remote
                    // ending) defers the real close and wakes no one.
                    readable.select(1000);
                    readable.selectedKeys().clear();
                    if (!socket.isOpen()) {
                        throw new java.nio.channels.ClosedChannelException();
                    }
                }
                int n = socket.read(buffer);
                drained = n < len;
                if (n != 0) {
                    return n;
                }
            }
        }

        private boolean drained;
    }
}
