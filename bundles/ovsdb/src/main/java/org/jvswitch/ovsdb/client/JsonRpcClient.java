package org.jvswitch.ovsdb.client;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One JSON-RPC 1.0 connection to an OVSDB server (RFC 7047 section 4): requests with futures for
 * their replies, and a reader thread that answers the server's {@code echo} and hands every
 * other notification to a handler, in arrival order, on that thread. A reply's future is completed
 * on the reader thread too, so a callback attached before the request is sent runs before the
 * next message is read (the replica relies on it for the initial monitor reply).
 *
 * <p>Reads and writes go straight to the channel (a blocking SocketChannel can read on one thread
 * and write on another; the stream adapters of {@code Channels} would serialize them).
 */
final class JsonRpcClient implements AutoCloseable {
    static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    /** A JSON-RPC "error" reply. */
    static final class RpcError extends IOException {
        private static final long serialVersionUID = 1L;
        final transient JsonNode error;

        RpcError(JsonNode error) {
            super(error.toString());
            this.error = error;
        }
    }

    private final SocketChannel channel;
    private final String name;
    private final Map<Long, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final Object writeLock = new Object();
    private volatile long lastReceivedNanos = System.nanoTime();
    private Thread reader;

    private JsonRpcClient(SocketChannel channel, String name) {
        this.channel = channel;
        this.name = name;
    }

    /** Connects to {@code unix:PATH} or {@code tcp:IP:PORT} (IPv6 as {@code tcp:[ADDR]:PORT}). */
    static JsonRpcClient connect(String remote) throws IOException {
        SocketChannel ch;
        if (remote.startsWith("unix:")) {
            ch = SocketChannel.open(StandardProtocolFamily.UNIX);
            try {
                ch.connect(UnixDomainSocketAddress.of(Path.of(remote.substring(5))));
            } catch (IOException | RuntimeException e) {
                ch.close();
                throw e;
            }
        } else if (remote.startsWith("tcp:")) {
            String hp = remote.substring(4);
            int colon = hp.lastIndexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException(remote + ": expected tcp:IP:PORT");
            }
            String host = hp.substring(0, colon).replaceAll("^\\[|]$", "");
            int port = Integer.parseInt(hp.substring(colon + 1));
            ch = SocketChannel.open();
            try {
                ch.connect(new InetSocketAddress(host, port));
                ch.socket().setTcpNoDelay(true);
            } catch (IOException | RuntimeException e) {
                ch.close();
                throw e;
            }
        } else {
            throw new IllegalArgumentException(remote + ": expected unix:PATH or tcp:IP:PORT");
        }
        return new JsonRpcClient(ch, remote);
    }

    /** Validates a remote's syntax without connecting. */
    static void checkRemote(String remote) {
        if (remote.startsWith("unix:") && remote.length() > 5) {
            return;
        }
        if (remote.startsWith("tcp:")) {
            int colon = remote.lastIndexOf(':');
            if (colon > 4) {
                Integer.parseInt(remote.substring(colon + 1));
                return;
            }
        }
        throw new IllegalArgumentException(remote + ": expected unix:PATH or tcp:IP:PORT");
    }

    /** Starts reading; {@code notifications} gets every request or notification but echo. */
    void start(Consumer<ObjectNode> notifications) {
        reader = Thread.ofPlatform().daemon().name("ovsdb-client " + name).start(() -> readLoop(notifications));
    }

    boolean isReaderThread() {
        return Thread.currentThread() == reader;
    }

    /** Completes when the connection is closed, by either side. */
    CompletableFuture<Void> closedFuture() {
        return closed;
    }

    long nanosSinceLastMessage() {
        return System.nanoTime() - lastReceivedNanos;
    }

    /**
     * Sends a request. {@code onReply}, if not null, is attached before sending, so it runs on the
     * reader thread before any later message is processed.
     */
    <T> CompletableFuture<T> request(String method, JsonNode params, java.util.function.Function<JsonNode, T> onReply) {
        long id = ids.incrementAndGet();
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        CompletableFuture<T> result = reply.thenApply(onReply);
        pending.put(id, reply);
        ObjectNode msg = JSON.objectNode().put("method", method);
        msg.set("params", params);
        msg.put("id", id);
        try {
            send(msg);
        } catch (IOException e) {
            pending.remove(id);
            reply.completeExceptionally(e);
        }
        if (closed.isDone()) {
            failPending(new IOException(name + ": connection closed"));
        }
        return result;
    }

    CompletableFuture<JsonNode> request(String method, JsonNode params) {
        return request(method, params, r -> r);
    }

    private void send(JsonNode msg) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(MAPPER.writeValueAsBytes(msg));
        synchronized (writeLock) {
            while (buf.hasRemaining()) {
                channel.write(buf);
            }
        }
    }

    private void readLoop(Consumer<ObjectNode> notifications) {
        IOException failure = null;
        try (JsonParser parser = MAPPER.getFactory().createParser(new ChannelInput())) {
            while (parser.nextToken() != null) {
                if (parser.currentToken() != JsonToken.START_OBJECT) {
                    throw new IOException(name + ": received a JSON value that is not an object");
                }
                JsonNode node = MAPPER.readTree(parser);
                lastReceivedNanos = System.nanoTime();
                dispatch((ObjectNode) node, notifications);
            }
            failure = new IOException(name + ": connection closed by the server");
        } catch (IOException e) {
            failure = e;
        } catch (RuntimeException e) {
            failure = new IOException(name + ": " + e, e);
        } finally {
            close();
            failPending(failure == null ? new IOException(name + ": connection closed") : failure);
        }
    }

    private void dispatch(ObjectNode msg, Consumer<ObjectNode> notifications) throws IOException {
        JsonNode method = msg.get("method");
        if (method != null && method.isTextual()) {
            if (method.textValue().equals("echo") && msg.hasNonNull("id")) {
                ObjectNode reply = JSON.objectNode();
                reply.set("result", msg.get("params"));
                reply.putNull("error");
                reply.set("id", msg.get("id"));
                send(reply);
                return;
            }
            notifications.accept(msg);
            return;
        }
        JsonNode id = msg.get("id");
        if (id == null || !id.canConvertToLong()) {
            return; // a reply to nothing we sent
        }
        CompletableFuture<JsonNode> f = pending.remove(id.longValue());
        if (f == null) {
            return;
        }
        JsonNode error = msg.get("error");
        if (error != null && !error.isNull()) {
            f.completeExceptionally(new RpcError(error));
        } else {
            f.complete(msg.get("result"));
        }
    }

    private void failPending(IOException e) {
        for (Long id : pending.keySet()) {
            CompletableFuture<JsonNode> f = pending.remove(id);
            if (f != null) {
                f.completeExceptionally(e);
            }
        }
    }

    static ArrayNode params(Object... values) {
        ArrayNode a = JSON.arrayNode();
        for (Object v : values) {
            if (v instanceof JsonNode n) {
                a.add(n);
            } else {
                a.add(String.valueOf(v));
            }
        }
        return a;
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // nothing more to do
        }
        closed.complete(null);
    }

    @Override
    public String toString() {
        return name;
    }

    /** Blocking reads from the channel without the lock a Channels stream would take. */
    private final class ChannelInput extends InputStream {
        @Override
        public int read() throws IOException {
            byte[] b = new byte[1];
            int n = read(b, 0, 1);
            return n < 0 ? -1 : b[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            return channel.read(ByteBuffer.wrap(b, off, len));
        }
    }
}
