package org.jvswitch.ovsdb.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A JSON-RPC client that sends whatever bytes a test wants and collects every message the server
 * sends, in order, on a virtual thread; {@link #closed()} tells whether the server hung up.
 */
final class RawClient implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNode EOF = JSON.createObjectNode().put("EOF", true);

    private final SocketChannel channel;
    private final OutputStream out;
    private final LinkedBlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
    private volatile boolean closed;

    private RawClient(SocketChannel channel) {
        this.channel = channel;
        this.out = Channels.newOutputStream(channel);
        InputStream in = Channels.newInputStream(channel);
        Thread.ofVirtual().start(() -> {
            try (JsonParser p = JSON.createParser(in)) {
                while (p.nextToken() != null) {
                    received.add(JSON.readTree(p));
                }
            } catch (IOException e) {
                // closed
            } finally {
                closed = true;
                received.add(EOF);
            }
        });
    }

    static RawClient unix(Path socket) throws IOException {
        SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX);
        c.connect(UnixDomainSocketAddress.of(socket));
        return new RawClient(c);
    }

    static RawClient tcp(int port) throws IOException {
        return new RawClient(SocketChannel.open(new InetSocketAddress("127.0.0.1", port)));
    }

    void sendText(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    void send(JsonNode message) throws IOException {
        sendText(JSON.writeValueAsString(message));
    }

    /** Sends a request; its reply is found with {@link #reply}. */
    void request(int id, String method, String paramsJson) throws IOException {
        sendText("{\"id\":" + id + ",\"method\":\"" + method + "\",\"params\":" + paramsJson + "}");
    }

    /** The next message, or null after {@code timeout}; an {"EOF":true} object once the server closed. */
    JsonNode next(Duration timeout) throws InterruptedException {
        JsonNode n = received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (n == EOF) {
            received.add(EOF);
        }
        return n;
    }

    JsonNode next() throws InterruptedException {
        JsonNode n = next(Duration.ofSeconds(10));
        if (n == null) {
            throw new AssertionError("no message from the server within 10 s");
        }
        return n;
    }

    /** Sends a request and returns the next message, which must be its reply. */
    JsonNode call(int id, String method, String paramsJson) throws IOException, InterruptedException {
        request(id, method, paramsJson);
        JsonNode reply = next();
        if (!reply.path("id").isIntegralNumber() || reply.get("id").asInt() != id) {
            throw new AssertionError("expected the reply to " + id + ", got " + reply);
        }
        return reply;
    }

    static boolean isEof(JsonNode n) {
        return n == EOF;
    }

    /** Whether the server closed the connection, waiting up to {@code timeout} for it. */
    boolean awaitClosed(Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (!closed && System.nanoTime() < end) {
            Thread.sleep(10);
        }
        return closed;
    }

    /** Half-closes: the server sees the end of the requests but can still answer. */
    void shutdownOutput() throws IOException {
        channel.shutdownOutput();
    }

    boolean closed() {
        return closed;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
