package org.jvswitch.ovsdb.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jvswitch.api.ovsdb.DbSnapshot;
import org.jvswitch.ovsdb.internal.DbSync;
import org.jvswitch.ovsdb.internal.OvsdbService;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * kill -9 of the server in the middle of a stream of transactions from several connections (so
 * commits share fdatasyncs), then a restart: every acknowledged transaction is there. Several
 * rounds on the same file ({@code -Dovsdb.crash.rounds=N}, default 3). SIGKILL keeps the page
 * cache, so this checks that no reply gets ahead of its record and that a torn tail is dropped,
 * not the fsync itself.
 */
class KillNineTest {
    private static final int CONNECTIONS = 4;

    @TempDir
    Path dir;

    @Test
    void acknowledgedTransactionsSurviveKill9() throws Exception {
        killNineRounds("always");
    }

    /** As ovsdb-server: commits are not forced, but each is written before its reply. */
    @Test
    void acknowledgedTransactionsSurviveKill9WithoutFdatasync() throws Exception {
        killNineRounds("durable");
    }

    private void killNineRounds(String sync) throws Exception {
        Path file = dir.resolve("conf.db");
        Set<UUID> acknowledged = ConcurrentHashMap.newKeySet();
        Random random = new Random(9);
        int rounds = Integer.getInteger("ovsdb.crash.rounds", 3);
        for (int round = 0; round < rounds; round++) {
            Path socket = dir.resolve("db" + round + ".sock");
            Process server = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                    "-D" + DbSync.PROPERTY + "=" + sync, CrashServerMain.class.getName(), file.toString(), socket.toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("server" + round + ".log").toFile()).start();
            try {
                for (int i = 0; i < 400 && !Files.exists(socket); i++) {
                    Thread.sleep(50);
                }
                assertTrue(Files.exists(socket), "server did not start: " + Files.readString(
                        dir.resolve("server" + round + ".log")));
                int r = round;
                List<Thread> clients = new ArrayList<>();
                int[] sent = new int[CONNECTIONS];
                for (int c = 0; c < CONNECTIONS; c++) {
                    int conn = c;
                    clients.add(Thread.ofPlatform().start(() -> {
                        try (RawClient client = RawClient.unix(socket)) {
                            for (int i = 1; ; i++) {
                                sent[conn]++;
                                JsonNode reply = client.call(i, "transact", "[\"Open_vSwitch\",{\"op\":\"insert\","
                                        + "\"table\":\"QoS\",\"row\":{\"type\":\"r" + r + "-c" + conn + "-" + i + "\"}}]");
                                JsonNode uuid = reply.path("result").path(0).path("uuid").path(1);
                                if (!uuid.isTextual()) {
                                    throw new AssertionError("insert failed: " + reply);
                                }
                                acknowledged.add(UUID.fromString(uuid.textValue()));
                            }
                        } catch (Throwable e) {
                            // The server was killed: the connection ends, or a reply never comes.
                        }
                    }));
                }
                Thread.sleep(300 + random.nextInt(500));
                server.destroyForcibly();
                assertTrue(server.waitFor(10, TimeUnit.SECONDS));
                for (Thread t : clients) {
                    t.join(15_000);
                }
                assertTrue(sent[0] > 1, "the clients got going before the kill");
            } finally {
                server.destroyForcibly();
            }
            try (OvsdbService db = new OvsdbService(file)) {
                DbSnapshot s = db.snapshot();
                for (UUID u : acknowledged) {
                    assertNotNull(s.row("QoS", u), "round " + round + ": acknowledged insert lost: " + u);
                }
                assertTrue(s.rows("QoS").size() >= acknowledged.size());
                assertEquals(1, s.rows("Open_vSwitch").size());
            }
        }
        assertTrue(acknowledged.size() > rounds, "transactions were acknowledged: " + acknowledged.size());
        System.out.println("kill -9 (sync " + sync + "): " + rounds + " rounds, " + acknowledged.size() + " acknowledged inserts, all kept");
    }
}
