package org.jvswitch.ovsdb.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The wire protocol with a raw client: framing, bad input, keepalive, notification order,
 * monitor_cond_since resumption, pending "wait"s, locks and atomicity. Expected replies are those
 * Debian's ovsdb-server 3.1 sends for the same bytes.
 */
class ProtocolTest {
    private static final String WAIT_OP = "{\"op\":\"wait\",\"table\":\"Open_vSwitch\",\"where\":[],"
            + "\"columns\":[\"next_cfg\"],\"until\":\"==\",\"rows\":[{\"next_cfg\":%d}],\"timeout\":%d}";
    private static final String BUMP_OP = "{\"op\":\"mutate\",\"table\":\"Open_vSwitch\",\"where\":[],"
            + "\"mutations\":[[\"next_cfg\",\"+=\",1]]}";
    private static final String WAIT_NEXT_CFG = txn(WAIT_OP);
    private static final String BUMP = txn(BUMP_OP);

    /** The params of a transact request with these operations. */
    private static String txn(String... ops) {
        return "[\"Open_vSwitch\"," + String.join(",", ops) + "]";
    }

    @TempDir
    Path tmp;
    private ServerFixture f;
    private final List<RawClient> clients = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        f = new ServerFixture(tmp, 300, ServerConfig.DEFAULT_MAX_MESSAGE);
    }

    @AfterEach
    void stop() throws Exception {
        for (RawClient c : clients) {
            c.close();
        }
        if (f != null) {
            f.close();
        }
    }

    private RawClient unix() throws IOException {
        RawClient c = RawClient.unix(f.socket);
        clients.add(c);
        return c;
    }

    private static JsonNode json(String s) throws IOException {
        return RawClient.JSON.readTree(s);
    }

    private void assertServes() throws Exception {
        RawClient c = unix();
        assertEquals(json("{\"id\":1,\"result\":[\"Open_vSwitch\",\"_Server\"],\"error\":null}"),
                c.call(1, "list_dbs", "[]"));
    }

    @Test
    void socketIsOwnerAndGroupOnly() throws Exception {
        Set<PosixFilePermission> mode = Files.getPosixFilePermissions(f.socket);
        assertFalse(mode.contains(PosixFilePermission.OTHERS_READ) || mode.contains(PosixFilePermission.OTHERS_WRITE)
                || mode.contains(PosixFilePermission.GROUP_WRITE), mode.toString());
    }

    @Test
    void backToBackMessagesAndEcho() throws Exception {
        RawClient c = unix();
        c.sendText("{\"id\":1,\"method\":\"echo\",\"params\":[]}{\"id\":2,\"method\":\"echo\",\"params\":[1.5,1e3,\"\\u0001\"]}"
                + "\n  {\"id\":\"x\",\"method\":\"list_dbs\",\"params\":[]}");
        assertEquals(json("{\"id\":1,\"result\":[],\"error\":null}"), c.next());
        // Numbers as Open vSwitch reads them: 1e3 is the integer 1000.
        assertEquals(json("{\"id\":2,\"result\":[1.5,1000,\"\\u0001\"],\"error\":null}"), c.next());
        assertEquals(json("{\"id\":\"x\",\"result\":[\"Open_vSwitch\",\"_Server\"],\"error\":null}"), c.next());
    }

    @Test
    void repliesReachAClientThatStoppedSending() throws Exception {
        // As with `... | socat - UNIX-CONNECT:db.sock`: requests, then end of input.
        RawClient c = unix();
        c.sendText("{\"id\":1,\"method\":\"list_dbs\",\"params\":[]}{\"id\":2,\"method\":\"transact\",\"params\":"
                + BUMP + "}");
        c.shutdownOutput();
        assertEquals(1, c.next().get("id").asInt());
        assertEquals(json("{\"id\":2,\"result\":[{\"count\":1}],\"error\":null}"), c.next());
        assertTrue(c.awaitClosed(Duration.ofSeconds(5)));
    }

    @Test
    void wrongRequestsGetRfcErrors() throws Exception {
        RawClient c = unix();
        assertEquals(json("{\"id\":1,\"error\":\"unknown method\"}"), c.call(1, "foo", "[]"));
        assertEquals(json("{\"id\":2,\"error\":{\"error\":\"syntax error\",\"details\":\"invalid parameters\","
                + "\"syntax\":\"[\\\"Open_vSwitch\\\",\\\"m\\\"]\"}}"), c.call(2, "monitor_cond", "[\"Open_vSwitch\",\"m\"]"));
        assertEquals(json("{\"id\":3,\"error\":\"invalid parameters\"}"), c.call(3, "monitor_cancel", "[]"));
        assertEquals(json("{\"id\":4,\"error\":{\"error\":\"syntax error\",\"details\":\"set_db_change_aware: true or"
                + " false parameter expected\",\"syntax\":\"[]\"}}"), c.call(4, "set_db_change_aware", "[]"));
        assertEquals(json("{\"id\":5,\"error\":{\"error\":\"unknown database\",\"details\":\"get_schema request specifies"
                + " unknown database x\",\"syntax\":\"[\\\"x\\\"]\"}}"), c.call(5, "get_schema", "[\"x\"]"));
        assertEquals(json("{\"id\":6,\"error\":{\"error\":\"syntax error\",\"details\":\"transact request params must begin"
                + " with <db-name>\",\"syntax\":\"[]\"}}"), c.call(6, "transact", "[]"));
        assertEquals(json("{\"id\":7,\"result\":[{\"error\":\"syntax error\",\"details\":\"Parsing ovsdb operation 1 of 1"
                + " failed: No operation \\\"foo\\\"\",\"syntax\":\"{\\\"op\\\":\\\"foo\\\"}\"}],\"error\":null}"),
                c.call(7, "transact", "[\"Open_vSwitch\",{\"op\":\"foo\"}]"));
        // Plain "monitor" with too few params crashes ovsdb-server 3.1; here it is an error.
        assertEquals("invalid parameters", c.call(8, "monitor", "[\"Open_vSwitch\",3]").at("/error/details").asText());
        assertEquals(json("{\"id\":9,\"result\":[{\"error\":\"not allowed\",\"details\":\"insert operation not allowed"
                + " on table in reserved database _Server\"}],\"error\":null}"),
                c.call(9, "transact", "[\"_Server\",{\"op\":\"insert\",\"table\":\"Database\",\"row\":{\"name\":\"x\","
                        + "\"model\":\"standalone\"}}]"));
        assertFalse(c.closed());
    }

    @Test
    void garbageClosesOnlyThatConnection() throws Exception {
        long version = f.db.snapshot().version();
        RawClient bystander = unix();
        assertEquals(1, bystander.call(1, "echo", "[]").get("id").asInt());
        for (String garbage : List.of("{bad json", "[1,2]", "\"hello\"", "{\"id\":1,\"method\":\"list_dbs\"}",
                "{\"id\":1,\"method\":\"list_dbs\",\"params\":{}}", "{\"id\":1,\"method\":5,\"params\":[]}",
                "{\"id\":1,\"method\":\"echo\",\"params\":[],\"extra\":1}", "{\"id\":1,\"result\":[]}",
                "\u00ff\u00fe{}")) {
            RawClient c = unix();
            c.sendText(garbage);
            assertTrue(c.awaitClosed(Duration.ofSeconds(5)), garbage);
        }
        assertEquals(2, bystander.call(2, "echo", "[]").get("id").asInt());
        assertEquals(version, f.db.snapshot().version());
    }

    @Test
    void hugeLineClosesTheConnectionAndNothingElse() throws Exception {
        long version = f.db.snapshot().version();
        RawClient bystander = unix();
        RawClient big = unix();
        AtomicInteger sent = new AtomicInteger();
        Thread writer = Thread.ofVirtual().start(() -> {
            byte[] chunk = new byte[1 << 20];
            Arrays.fill(chunk, (byte) 'x');
            try {
                big.sendText("{\"id\":1,\"method\":\"transact\",\"params\":[\"Open_vSwitch\",\"");
                for (int i = 0; i < 100; i++) {
                    big.sendText(new String(chunk, StandardCharsets.US_ASCII));
                    sent.incrementAndGet();
                }
                big.sendText("\"]}");
            } catch (IOException e) {
                // expected: the server hung up
            }
        });
        // Meanwhile another client transacts as usual.
        JsonNode r = bystander.call(1, "transact", BUMP);
        assertEquals(json("[{\"count\":1}]"), r.get("result"));
        assertTrue(big.awaitClosed(Duration.ofSeconds(30)));
        writer.join(30_000);
        assertTrue(sent.get() < 100, "the server read all " + sent.get() + " MB before closing");
        assertEquals(version + 1, f.db.snapshot().version());
        assertServes();
    }

    @Test
    void tcpIdleClientIsProbedWithEchoAndDroppedIfSilent() throws Exception {
        RawClient c = RawClient.tcp(f.tcpPort());
        clients.add(c);
        JsonNode probe = c.next(Duration.ofSeconds(5));
        assertEquals(json("{\"id\":\"echo\",\"method\":\"echo\",\"params\":[]}"), probe);
        c.sendText("{\"id\":\"echo\",\"result\":[],\"error\":null}");
        assertEquals(json("{\"id\":\"echo\",\"method\":\"echo\",\"params\":[]}"), c.next(Duration.ofSeconds(5)));
        assertFalse(c.closed());
        // No answer this time: the server gives up after another interval.
        assertTrue(c.awaitClosed(Duration.ofSeconds(5)));
        // Unix clients are never probed.
        RawClient u = unix();
        assertNull(u.next(Duration.ofMillis(1000)));
    }

    /**
     * A client that does not read while a 2 MB monitor reply and a hundred updates are sent to it
     * from two threads: the kernel's buffer fills, writes are partial, the rest waits in the
     * queue. When it reads at last, every message is whole and in order: the reply, then the
     * updates in commit order.
     */
    @Test
    @org.junit.jupiter.api.Timeout(60)   // a broken order would otherwise leave the read waiting
    void aSlowReaderGetsWholeMessagesInOrder() throws Exception {
        List<java.util.UUID> rows = new ArrayList<>();
        for (int batch = 0; batch < 10; batch++) {
            org.jvswitch.api.ovsdb.DbTransaction t = f.db.begin();
            for (int i = 0; i < 300; i++) {
                rows.add(t.insert("QoS", java.util.Map.of("type", "q" + batch + "-" + i,
                        "external_ids", java.util.Map.of("filler", "x".repeat(600)))));
            }
            t.commit();
        }
        try (java.nio.channels.SocketChannel c = java.nio.channels.SocketChannel.open(
                java.net.StandardProtocolFamily.UNIX)) {
            c.connect(java.net.UnixDomainSocketAddress.of(f.socket));
            c.write(java.nio.ByteBuffer.wrap(("{\"id\":1,\"method\":\"monitor\",\"params\":[\"Open_vSwitch\",null,"
                    + "{\"QoS\":{\"columns\":[\"type\",\"external_ids\"]}}]}").getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            Thread.sleep(300);   // the server writes what the kernel takes and queues the rest
            for (int i = 0; i < 100; i++) {
                org.jvswitch.api.ovsdb.DbTransaction t = f.db.begin();
                t.update("QoS", rows.get(i), java.util.Map.of("type", "updated-" + i));
                t.commit();
            }
            try (com.fasterxml.jackson.core.JsonParser p = RawClient.JSON.createParser(
                    java.nio.channels.Channels.newInputStream(c))) {
                p.nextToken();
                JsonNode reply = RawClient.JSON.readTree(p);
                assertEquals(1, reply.get("id").asInt(), "the reply first");
                assertEquals(3000, reply.get("result").get("QoS").size());
                for (int i = 0; i < 100; i++) {
                    p.nextToken();
                    JsonNode update = RawClient.JSON.readTree(p);
                    assertEquals("update", update.get("method").asText(), update.toString());
                    JsonNode row = update.at("/params/1/QoS/" + rows.get(i));
                    assertEquals("updated-" + i, row.at("/new/type").asText(), "update " + i + " in commit order");
                }
            }
        }
    }

    @Test
    void updatesGoOutBeforeTheReplyThatCausedThem() throws Exception {
        RawClient c = unix();
        JsonNode reply = c.call(1, "monitor_cond", "[\"Open_vSwitch\",\"m\",{\"Open_vSwitch\":[{\"columns\":[\"next_cfg\"]}]}]");
        String root = reply.get("result").get("Open_vSwitch").fieldNames().next();
        for (int i = 1; i <= 20; i++) {
            c.request(100 + i, "transact", BUMP);
            JsonNode update = c.next();
            assertEquals("update2", update.get("method").asText(), update.toString());
            assertEquals(json("{\"" + root + "\":{\"modify\":{\"next_cfg\":" + i + "}}}"),
                    update.at("/params/1/Open_vSwitch"));
            assertEquals(100 + i, c.next().get("id").asInt());
        }
    }

    @Test
    void serverDatabaseDescribesTheDatabases() throws Exception {
        RawClient c = unix();
        JsonNode reply = c.call(1, "monitor_cond", "[\"_Server\",[\"monid\",\"_Server\"],{\"Database\":[{\"columns\":"
                + "[\"name\",\"model\",\"connected\",\"leader\",\"schema\",\"cid\",\"index\"]}]}]");
        int n = 0;
        for (JsonNode row : reply.get("result").get("Database")) {
            JsonNode r = row.get("initial");
            assertEquals("standalone", r.get("model").asText());
            assertTrue(r.get("connected").asBoolean() && r.get("leader").asBoolean());
            assertFalse(r.has("cid") || r.has("index"), r.toString());
            assertEquals(r.get("name").asText(), json(r.get("schema").asText()).get("name").asText());
            n++;
        }
        assertEquals(2, n);
    }

    @Test
    void monitorCondSinceResumesFromTheLastTransactionSeen() throws Exception {
        String request = "[\"Open_vSwitch\",\"%s\",{\"Open_vSwitch\":[{\"columns\":[\"next_cfg\"]}]},\"%s\"]";
        RawClient a = unix();
        JsonNode first = a.call(1, "monitor_cond_since", String.format(request, "m", "00000000-0000-0000-0000-000000000000"));
        assertFalse(first.at("/result/0").asBoolean());
        String root = first.at("/result/2/Open_vSwitch").fieldNames().next();
        // next_cfg is 0, its default, so the initial row carries no column.
        assertEquals(json("{\"initial\":{}}"), first.at("/result/2/Open_vSwitch/" + root));
        a.request(2, "transact", BUMP);
        JsonNode update = a.next();
        assertEquals("update3", update.get("method").asText());
        String seen = update.at("/params/1").asText();
        assertEquals(2, a.next().get("id").asInt());
        a.close();

        RawClient b = unix();
        b.call(1, "transact", BUMP);
        b.call(2, "transact", BUMP);
        JsonNode resumed = b.call(3, "monitor_cond_since", String.format(request, "m", seen));
        assertTrue(resumed.at("/result/0").asBoolean(), resumed.toString());
        assertEquals(json("{\"" + root + "\":{\"modify\":{\"next_cfg\":3}}}"), resumed.at("/result/2/Open_vSwitch"));
        JsonNode current = b.call(4, "monitor_cond_since", String.format(request, "m2", resumed.at("/result/1").asText()));
        assertTrue(current.at("/result/0").asBoolean());
        assertEquals(json("{}"), current.at("/result/2"));
        // An id the server does not know (another server's, or from before a restart): everything again.
        JsonNode unknown = b.call(5, "monitor_cond_since", String.format(request, "m3",
                "2bb1b2c3-0000-0000-0000-000000000001"));
        assertFalse(unknown.at("/result/0").asBoolean());
        assertEquals(json("{\"initial\":{\"next_cfg\":3}}"), unknown.at("/result/2/Open_vSwitch/" + root));
    }

    @Test
    void waitWithTimeoutIsRetriedAfterCommitsUntilSatisfiedOrTimedOut() throws Exception {
        RawClient waiter = unix();
        RawClient writer = unix();
        waiter.request(1, "transact", String.format(WAIT_NEXT_CFG, 2, 10_000));
        assertNull(waiter.next(Duration.ofMillis(300)));
        writer.call(1, "transact", BUMP);
        assertNull(waiter.next(Duration.ofMillis(300)), "next_cfg is 1, the wait wants 2");
        writer.call(2, "transact", BUMP);
        assertEquals(json("{\"id\":1,\"result\":[{}],\"error\":null}"), waiter.next());

        long start = System.nanoTime();
        waiter.request(2, "transact", String.format(WAIT_NEXT_CFG, 99, 200));
        JsonNode timedOut = waiter.next();
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertTrue(ms >= 200, ms + " ms");
        assertEquals("timed out", timedOut.at("/result/0/error").asText());
        assertTrue(timedOut.at("/result/0/details").asText().matches("\"wait\" timed out after \\d+ ms"),
                timedOut.toString());
        waiter.request(3, "transact", String.format(WAIT_NEXT_CFG, 99, 0));
        assertEquals(json("{\"id\":3,\"result\":[{\"error\":\"timed out\",\"details\":\"\\\"where\\\" clause test"
                + " failed\"}],\"error\":null}"), waiter.next());

        // A pending request holds its id; "cancel" drops it (answered only for change-aware clients).
        waiter.request(4, "transact", String.format(WAIT_NEXT_CFG, 99, 60_000));
        assertEquals("transact: duplicate request ID", waiter.call(4, "transact", "[\"Open_vSwitch\"]")
                .at("/error/details").asText());
        waiter.sendText("{\"id\":null,\"method\":\"cancel\",\"params\":[4]}");
        assertNull(waiter.next(Duration.ofMillis(300)));
        waiter.call(5, "set_db_change_aware", "[true]");
        waiter.request(6, "transact", String.format(WAIT_NEXT_CFG, 99, 60_000));
        waiter.sendText("{\"id\":null,\"method\":\"cancel\",\"params\":[6]}");
        assertEquals(json("{\"id\":6,\"error\":\"canceled\"}"), waiter.next());
    }

    @Test
    void locksAreGrantedStolenAndHandedOver() throws Exception {
        RawClient a = unix();
        RawClient b = unix();
        RawClient c = unix();
        String assertL = "[\"Open_vSwitch\",{\"op\":\"assert\",\"lock\":\"L\"}]";
        assertEquals(json("{\"locked\":true}"), a.call(1, "lock", "[\"L\"]").get("result"));
        assertEquals(json("{\"locked\":false}"), b.call(1, "lock", "[\"L\"]").get("result"));
        assertEquals("must issue \"unlock\" before new \"lock\"", b.call(2, "lock", "[\"L\"]").at("/error/details").asText());
        assertEquals(json("[{}]"), a.call(2, "transact", assertL).get("result"));
        assertEquals(json("[{\"error\":\"not owner\",\"details\":\"Asserted lock L not held.\"}]"),
                b.call(3, "transact", assertL).get("result"));
        assertEquals(json("{\"locked\":true}"), c.call(1, "steal", "[\"L\"]").get("result"));
        assertEquals(json("{\"id\":null,\"method\":\"stolen\",\"params\":[\"L\"]}"), a.next());
        c.call(2, "unlock", "[\"L\"]");
        assertEquals(json("{\"id\":null,\"method\":\"locked\",\"params\":[\"L\"]}"), a.next());
        a.close();
        assertEquals(json("{\"id\":null,\"method\":\"locked\",\"params\":[\"L\"]}"), b.next());
        assertEquals(json("[{}]"), b.call(4, "transact", assertL).get("result"));
        assertEquals("unlock: \"unlock\" without \"lock\" or \"steal\"", c.call(3, "unlock", "[\"L\"]")
                .at("/error/details").asText());
    }

    @Test
    void waitAndCommitAreAtomicAcrossClients() throws Exception {
        // Compare-and-swap on next_cfg from several connections: with "wait" evaluated on the state
        // the transaction commits on, every success moves the counter by exactly one.
        int clientsN = 4;
        int attempts = 40;
        AtomicInteger successes = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < clientsN; t++) {
            RawClient c = unix();
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    for (int i = 0; i < attempts; i++) {
                        long seen = (Long) f.db.snapshot().rows("Open_vSwitch").iterator().next().get("next_cfg");
                        JsonNode r = c.call(i, "transact", txn(String.format(WAIT_OP, seen, 0), BUMP_OP));
                        if (!r.at("/result/1/count").isMissingNode()) {
                            successes.incrementAndGet();
                        }
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        for (Thread t : threads) {
            t.join(60_000);
        }
        long nextCfg = (Long) f.db.snapshot().rows("Open_vSwitch").iterator().next().get("next_cfg");
        assertTrue(successes.get() > 0);
        assertEquals(successes.get(), nextCfg);
    }
}
