package org.jvswitch.ovsdb.server;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.Channels;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
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
 * virtual thread reads and handles messages in order; sends from any thread are serialized at once
 * and queued for a second virtual thread that writes them, so a commit that notifies monitors
 * never waits for a slow peer.
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
    private final String name;
    private final Limits limits;
    private final LinkedBlockingQueue<byte[]> output = new LinkedBlockingQueue<>();
    private final AtomicLong backlog = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile long lastInputNanos = System.nanoTime();
    private Handler handler;

    JsonRpcConnection(ByteChannel channel, String name, Limits limits) {
        this.channel = channel;
        this.name = name;
        this.limits = limits;
    }

    String name() {
        return name;
    }

    /** Starts the reader and writer threads. */
    void start(Handler h) {
        this.handler = h;
        Thread.ofVirtual().name("ovsdb-write " + name).start(this::writeLoop);
        Thread.ofVirtual().name("ovsdb-read " + name).start(this::readLoop);
    }

    /** Queues a message; never blocks. Dropped silently once the connection is closed. */
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

    /** Queues a message already serialized (monitor updates shared by several sessions). */
    void sendBytes(byte[] bytes) {
        if (closed.get()) {
            return;
        }
        long queued = backlog.addAndGet(bytes.length);
        if (queued > limits.maxBacklog()) {
            LOG.warn("{}: sending backlog exceeded maximum size ({} > {} bytes), disconnecting", name, queued,
                    limits.maxBacklog());
            close();
            return;
        }
        output.add(bytes);
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
        if (handler != null) {
            handler.closed();
        }
    }

    private void readLoop() {
        boolean flushFirst = false;
        try {
            MessageReader reader = new MessageReader(Channels.newInputStream(channel), limits.maxMessage());
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
            if (!closed.get()) {
                LOG.debug("{}: send error: {}", name, e.toString());
            }
        } finally {
            close();
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

    /** Writes a batch of messages in one go; false once the close marker is reached. */
    private boolean write(List<byte[]> batch) throws IOException {
        ByteBuffer[] buffers = new ByteBuffer[batch.size()];
        int n = 0;
        long bytes = 0;
        boolean more = true;
        for (byte[] b : batch) {
            if (b == CLOSE) {
                more = false;
                break;
            }
            buffers[n++] = ByteBuffer.wrap(b);
            bytes += b.length;
        }
        for (int i = 0; i < n; i++) {
            while (buffers[i].hasRemaining()) {
                channel.write(buffers[i]);
            }
        }
        backlog.addAndGet(-bytes);
        return more;
    }
}
