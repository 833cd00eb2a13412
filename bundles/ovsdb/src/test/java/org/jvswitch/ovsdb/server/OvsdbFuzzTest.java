package org.jvswitch.ovsdb.server;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.jvswitch.api.ovsdb.DbSnapshot;
import org.jvswitch.ovsdb.internal.Database;
import org.jvswitch.ovsdb.internal.OvsJson;
import org.jvswitch.ovsdb.internal.OvsdbService;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;

/**
 * Fuzzing of the JSON-RPC and transaction path: the bytes a client sends go through the server's
 * message reader and JSON-RPC validation, then through a real {@link Session} (dispatch, transact,
 * monitors, locks), and separately straight into the transaction executor.
 *
 * <p>What must hold for any input: no exception escapes the reader except the documented ones
 * (an {@link IOException} for malformed or oversized JSON, {@link JsonRpcMessage.BadMessage} for a
 * text that is not JSON-RPC; both close the connection), none escapes the dispatch of a request
 * (every bad request gets an error reply), the connection ends (no hang), and a request whose
 * reply is an error leaves the database exactly as it was.
 *
 * <p>Two ways to run it:
 * <ul>
 * <li>Jazzer ({@code @FuzzTest}): in the normal test phase it runs in regression mode, only the
 *     inputs under {@code src/test/resources/.../OvsdbFuzzTestInputs/<method>/} (streams captured
 *     from Debian's ovs-vsctl and ovsdb-client talking to ovsdb-server, and transact params taken
 *     from them). {@code JAZZER_FUZZ=1 mvn -o -pl bundles/ovsdb test -Dtest=OvsdbFuzzTest} fuzzes
 *     with coverage guidance for the {@code maxDuration} given below.</li>
 * <li>{@link #mutatedCaptures}: a seeded mutation loop in plain JUnit over the same captures
 *     ({@code -Dovsdb.fuzz.iterations=N}, default 5000; {@code -Dovsdb.fuzz.seed=S}), so that the
 *     normal test phase covers more than the seeds without Jazzer's instrumentation.</li>
 * </ul>
 */
class OvsdbFuzzTest {
    private static final long MAX_MESSAGE = 1 << 20;
    /** Parses as the server does: exact decimals, Open vSwitch's integer/real rule. */
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).setNodeFactory(OvsJson.NODES);
    private static final Database.Context NO_WAIT = new Database.Context(0, lock -> false, false);

    /** A database and server reused while inputs leave the database unchanged, rebuilt after a change. */
    private static OvsdbService db;
    private static OvsdbServer server;

    @AfterAll
    static void closeAll() {
        if (server != null) {
            server.close();
            db.close();
            server = null;
            db = null;
        }
    }

    /** A fresh database unless the current one is still in its initial state. */
    private static synchronized void freshDatabase() {
        try {
            if (db != null && db.snapshot().version() == 1) {
                return;
            }
            closeAll();
            db = new OvsdbService((java.nio.file.Path) null);
            server = new OvsdbServer(db, new ServerConfig(List.of(), MAX_MESSAGE, ServerConfig.DEFAULT_MAX_BACKLOG, 0));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FuzzTest(maxDuration = "60s")
    void jsonRpc(byte[] data) throws Exception {
        checkJsonRpc(data);
    }

    @FuzzTest(maxDuration = "60s")
    void transact(byte[] data) {
        checkTransact(data);
    }

    @Test
    void mutatedCaptures() throws Exception {
        List<byte[]> streams = seeds("jsonRpc");
        List<byte[]> ops = seeds("transact");
        assertTrue(streams.size() > 10 && ops.size() > 5, "seed inputs are on the test class path");
        int n = Integer.getInteger("ovsdb.fuzz.iterations", 5000);
        Random random = new Random(Long.getLong("ovsdb.fuzz.seed", 7047));
        for (int i = 0; i < n; i++) {
            boolean stream = (i & 1) == 0;
            List<byte[]> corpus = stream ? streams : ops;
            byte[] input = Mutator.mutate(corpus.get(random.nextInt(corpus.size())), corpus, random);
            try {
                if (stream) {
                    checkJsonRpc(input);
                } else {
                    checkTransact(input);
                }
            } catch (Throwable e) {
                throw new AssertionError("input " + i + " (" + (stream ? "jsonRpc" : "transact") + "): "
                        + new String(input, StandardCharsets.UTF_8), e);
            }
        }
    }

    /** The whole stream through reader, validation and a session; see the class comment. */
    static void checkJsonRpc(byte[] data) throws Exception {
        freshDatabase();
        // 1. Reader and JSON-RPC validation, synchronously, so that an unexpected exception shows here.
        List<JsonRpcMessage> messages = new ArrayList<>();
        try {
            // The constructor already reads (Jackson's encoding detection) and may fail like next().
            MessageReader reader = new MessageReader(new ByteArrayInputStream(data), MAX_MESSAGE);
            for (JsonNode json = reader.next(); json != null; json = reader.next()) {
                messages.add(JsonRpcMessage.fromJson(json));
            }
        } catch (IOException | JsonRpcMessage.BadMessage e) {
            // Documented: the connection is closed after the messages before it.
        }
        // 2. The same bytes through a real session, as if from a socket.
        DbSnapshot before = db.snapshot();
        FakeChannel channel = new FakeChannel(data);
        JsonRpcConnection connection = new JsonRpcConnection(channel, "fuzz",
                new JsonRpcConnection.Limits(MAX_MESSAGE, ServerConfig.DEFAULT_MAX_BACKLOG, 0));
        ServerContext context = server.context();
        Session session = new Session(context, connection);
        context.sessionOpened(session);
        List<Throwable> escaped = new CopyOnWriteArrayList<>();
        connection.start(new JsonRpcConnection.Handler() {
            @Override
            public void received(JsonRpcMessage message) {
                try {
                    session.received(message);
                } catch (RuntimeException | Error e) {
                    escaped.add(e);
                    throw e;
                }
            }

            @Override
            public void closed() {
                session.closed();
            }
        });
        if (!channel.closed.await(20, TimeUnit.SECONDS)) {
            connection.close();
            fail("the connection did not end after the input ended");
        }
        if (!escaped.isEmpty()) {
            AssertionError e = new AssertionError("exception escaped request dispatch", escaped.get(0));
            throw e;
        }
        // 3. Every request was answered (pending transactions aside) and errors left the database alone.
        int changing = 0;
        MessageReader replies = new MessageReader(new ByteArrayInputStream(channel.output()), Long.MAX_VALUE / 4);
        for (JsonNode reply = replies.next(); reply != null; reply = replies.next()) {
            JsonNode result = reply.get("result");
            if (result != null && result.isArray() && isTransactResult(result) && !hasError(result)) {
                changing++;
            }
        }
        if (changing == 0) {
            assertSame(before, db.snapshot(), "only rejected or read-only transactions, yet the database changed");
        }
    }

    /** Transact params (operations, the database name prepended) straight into the executor. */
    static void checkTransact(byte[] data) {
        freshDatabase();
        JsonNode ops;
        try {
            ops = JSON.readTree(data);
        } catch (IOException | RuntimeException e) {
            return; // not JSON: the reader's business
        }
        if (ops == null) {
            return;
        }
        ArrayNode params = OvsJson.NODES.arrayNode().add("Open_vSwitch");
        if (ops.isArray()) {
            params.addAll((ArrayNode) ops);
        } else {
            params.add(ops);
        }
        DbSnapshot before = db.snapshot();
        Database.Result r = db.transact(params, NO_WAIT);
        assertNotNull(r.result(), "a transaction that cannot wait is never pending");
        JsonNode result = r.result();
        if (result.isObject()) {
            assertTrue(result.has("error"), "an object result is an error: " + result);
            assertSame(before, db.snapshot(), "a rejected request changed the database");
        } else {
            assertTrue(result.isArray(), "result is an array: " + result);
            assertTrue(result.size() <= params.size(), "at most one result per operation, plus commit's");
            if (hasError(result)) {
                assertSame(before, db.snapshot(), "a transaction with an error changed the database: " + result);
            }
        }
        assertTrue(db.snapshot().rows("Open_vSwitch").size() <= 1, "the schema allows one Open_vSwitch row");
    }

    private static boolean isTransactResult(JsonNode result) {
        for (JsonNode r : result) {
            if (!r.isObject() && !r.isNull()) {
                return false;
            }
        }
        return true;
    }

    private static boolean hasError(JsonNode result) {
        for (JsonNode r : result) {
            if (r.isNull() || r.has("error")) {
                return true;
            }
        }
        return false;
    }

    private static List<byte[]> seeds(String method) throws IOException {
        List<byte[]> out = new ArrayList<>();
        String dir = "OvsdbFuzzTestInputs/" + method + "/";
        for (int i = 0; i < 100; i++) {
            String name = method.equals("jsonRpc") ? "vsctl-cap-%03d".formatted(i) : "vsctl-%03d".formatted(i);
            try (InputStream in = OvsdbFuzzTest.class.getResourceAsStream(dir + name)) {
                if (in != null) {
                    out.add(in.readAllBytes());
                }
            }
        }
        return out;
    }

    /** Byte- and token-level mutations of captured traffic, with splicing, deterministic per seed. */
    static final class Mutator {
        private static final String[] TOKENS = {"0", "-1", "1e400", "9223372036854775808", "1.5", "true", "null",
            "\"\"", "[]", "{}", "[\"set\",[]]", "[\"map\",[[1,2]]]", "[\"uuid\",\"x\"]", "[\"named-uuid\",\"n\"]",
            "\"Open_vSwitch\"", "\"Bridge\"", "\"Interface\"", "\"_uuid\"", "\"_version\"", "\"ofport\"",
            "\"insert\"", "\"delete\"", "\"wait\"", "\"mutate\"", "\"+=\"", "\"includes\"", "\"transact\"",
            "\"monitor_cond_since\"", "\"lock\"", "\"cancel\"", "\"echo\"", "\"\\u0000\"", "\"\\ud800\"",
            "5e55555555555555", "-0.0e-99999",
            "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]"};

        static byte[] mutate(byte[] seed, List<byte[]> corpus, Random r) {
            byte[] b = seed.clone();
            int rounds = 1 + r.nextInt(4);
            for (int k = 0; k < rounds; k++) {
                b = once(b, corpus, r);
            }
            return b;
        }

        private static byte[] once(byte[] b, List<byte[]> corpus, Random r) {
            int len = b.length;
            int at = len == 0 ? 0 : r.nextInt(len);
            switch (r.nextInt(8)) {
                case 0 -> { // flip a byte
                    if (len > 0) {
                        b[at] = (byte) r.nextInt(256);
                    }
                    return b;
                }
                case 1 -> { // delete a range
                    int n = Math.min(len - at, 1 + r.nextInt(16));
                    return concat(slice(b, 0, at), slice(b, at + n, len));
                }
                case 2 -> { // truncate
                    return slice(b, 0, at);
                }
                case 3 -> { // duplicate a range
                    int n = Math.min(len - at, 1 + r.nextInt(64));
                    return concat(slice(b, 0, at + n), slice(b, at, len));
                }
                case 4 -> { // splice with another input
                    byte[] o = corpus.get(r.nextInt(corpus.size()));
                    int from = o.length == 0 ? 0 : r.nextInt(o.length);
                    return concat(slice(b, 0, at), slice(o, from, o.length));
                }
                default -> { // replace a JSON value or member name by a token
                    String s = new String(b, StandardCharsets.ISO_8859_1);
                    int start = at;
                    while (start < len && "\":,[]{}".indexOf(s.charAt(start)) < 0) {
                        start++;
                    }
                    int end = start + 1;
                    while (end < len && ",]}".indexOf(s.charAt(end)) < 0) {
                        end++;
                    }
                    if (start >= len) {
                        return b;
                    }
                    String t = TOKENS[r.nextInt(TOKENS.length)];
                    int valueStart = s.charAt(start) == ':' || s.charAt(start) == ',' || s.charAt(start) == '['
                            ? start + 1 : start;
                    return concat(concat(slice(b, 0, valueStart), t.getBytes(StandardCharsets.UTF_8)),
                            slice(b, Math.min(end, len), len));
                }
            }
        }

        private static byte[] slice(byte[] b, int from, int to) {
            return java.util.Arrays.copyOfRange(b, Math.max(0, Math.min(from, b.length)), Math.max(0,
                    Math.min(to, b.length)));
        }

        private static byte[] concat(byte[] a, byte[] c) {
            byte[] out = java.util.Arrays.copyOf(a, a.length + c.length);
            System.arraycopy(c, 0, out, a.length, c.length);
            return out;
        }
    }

    /** A connection whose peer sends {@code input}, then shuts down its side, and collects what is sent. */
    static final class FakeChannel implements ByteChannel {
        private final ByteBuffer input;
        private final ByteArrayOutputStream output = new ByteArrayOutputStream();
        final CountDownLatch closed = new CountDownLatch(1);

        FakeChannel(byte[] data) {
            this.input = ByteBuffer.wrap(data);
        }

        @Override
        public synchronized int read(ByteBuffer dst) throws IOException {
            if (closed.getCount() == 0) {
                throw new ClosedChannelException();
            }
            if (!input.hasRemaining()) {
                return -1;
            }
            int n = Math.min(dst.remaining(), input.remaining());
            ByteBuffer slice = input.slice(input.position(), n);
            dst.put(slice);
            input.position(input.position() + n);
            return n;
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            synchronized (output) {
                int n = src.remaining();
                byte[] b = new byte[n];
                src.get(b);
                output.write(b, 0, n);
                return n;
            }
        }

        byte[] output() {
            synchronized (output) {
                return output.toByteArray();
            }
        }

        @Override
        public boolean isOpen() {
            return closed.getCount() > 0;
        }

        @Override
        public void close() {
            closed.countDown();
        }
    }
}
