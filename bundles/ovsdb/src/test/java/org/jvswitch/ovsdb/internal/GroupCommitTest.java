package org.jvswitch.ovsdb.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import org.jvswitch.api.ovsdb.DbSnapshot;
import org.jvswitch.api.ovsdb.DbSubscription;
import org.jvswitch.api.ovsdb.DbTransaction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Group commit: concurrent committers share fdatasyncs, yet every acknowledged commit is on disk,
 * listeners see every commit once, in commit order, only after it is durable, and RFC 7047's
 * "wait" is still evaluated on exactly the state the transaction commits on.
 */
class GroupCommitTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int THREADS = 8;
    private static final int PER_THREAD = 100;

    @TempDir
    Path dir;

    @Test
    void concurrentCommitsAreDurableAndListenersSeeThemInOrder() throws Exception {
        Path file = dir.resolve("conf.db");
        Set<UUID> acknowledged = ConcurrentHashMap.newKeySet();
        List<String> problems = new CopyOnWriteArrayList<>();
        List<Long> seen = new CopyOnWriteArrayList<>();
        long forces;
        try (OvsdbService db = new OvsdbService(file)) {
            long start = db.snapshot().version();
            AtomicLong last = new AtomicLong(start);
            DbSubscription sub = db.subscribe(change -> {
                long v = change.after().version();
                if (v == start) {
                    return; // the initial state
                }
                if (v != last.get() + 1 || change.before().version() != v - 1) {
                    problems.add("listener got " + change.before().version() + "->" + v + " after " + last.get());
                }
                last.set(v);
                if (v > db.durableVersion()) {
                    problems.add("listener got version " + v + " before it was durable (" + db.durableVersion() + ")");
                }
                if (db.snapshot().version() != v) {
                    problems.add("listener of " + v + " ran while readers see " + db.snapshot().version());
                }
                seen.add(v);
            });
            CountDownLatch go = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < PER_THREAD; i++) {
                        DbTransaction txn = db.begin();
                        UUID u = txn.insert("QoS", Map.of("type", "t" + (thread * PER_THREAD + i)));
                        DbSnapshot after = txn.commit();
                        if (db.durableVersion() < after.version()) {
                            problems.add("commit " + after.version() + " acknowledged before it was durable");
                        }
                        if (db.snapshot().version() < after.version()) {
                            problems.add("commit " + after.version() + " acknowledged before it was published");
                        }
                        acknowledged.add(u);
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : futures) {
                f.get();
            }
            pool.shutdown();
            sub.close();
            assertEquals(List.of(), problems);
            assertEquals(THREADS * PER_THREAD, seen.size(), "every commit reaches the listener once");
            assertEquals(start + THREADS * PER_THREAD, db.snapshot().version());
            forces = db.forces();
            assertTrue(forces <= THREADS * PER_THREAD, "at most one force per commit: " + forces);
            System.out.println("group commit: " + THREADS * PER_THREAD + " commits, " + forces + " fdatasyncs");
        }
        try (OvsdbService db = new OvsdbService(file)) {
            DbSnapshot s = db.snapshot();
            assertEquals(THREADS * PER_THREAD, s.rows("QoS").size());
            for (UUID u : acknowledged) {
                assertNotNull(s.row("QoS", u), "acknowledged commit lost: " + u);
            }
        }
    }

    /**
     * jvswitch.db.sync=durable, as ovsdb-server: only the transactions whose RFC 7047 "commit" says
     * durable wait for an fdatasync, and each of those is on disk when it returns even if a
     * commit that did not ask published it first; the others are published without one. A clean
     * close forces the tail, so everything is there after reopening.
     */
    @Test
    void durableModeForcesOnlyTheCommitsThatAskForIt() throws Exception {
        Path file = dir.resolve("conf.db");
        List<String> problems = new CopyOnWriteArrayList<>();
        Set<UUID> acknowledged = ConcurrentHashMap.newKeySet();
        Database.Context ctx = new Database.Context(0, l -> false, false);
        try (OvsdbService db = new OvsdbService(file, DbSync.DURABLE)) {
            long before = db.forces();
            for (int i = 0; i < 50; i++) {
                DbTransaction txn = db.begin();
                acknowledged.add(txn.insert("QoS", Map.of("type", "plain" + i)));
                txn.commit();
            }
            assertEquals(before, db.forces(), "commits that did not ask were not forced");

            ExecutorService pool = Executors.newFixedThreadPool(4);
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < 50; i++) {
                        boolean durable = (i + thread) % 2 == 0;
                        JsonNode params = JSON.readTree("""
                                ["Open_vSwitch",
                                 {"op":"insert","table":"QoS","row":{"type":"t%d-%d"}},
                                 {"op":"commit","durable":%b}]
                                """.formatted(thread, i, durable));
                        Database.Result r = Execution.execute(db, params, ctx);
                        UUID u = UUID.fromString(r.result().get(0).get("uuid").get(1).textValue());
                        acknowledged.add(u);
                        // Evaluated against version v under the commit lock, it committed as v + 1.
                        if (durable && db.durableVersion() < r.version() + 1) {
                            problems.add("durable commit " + (r.version() + 1) + " returned before it was forced ("
                                    + db.durableVersion() + ")");
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
            pool.shutdown();
            assertEquals(List.of(), problems);
            long forced = db.forces() - before;
            assertEquals(100, forced, "one force per durable commit (under the commit lock, no grouping)");
        }
        try (OvsdbService db = new OvsdbService(file)) {
            for (UUID u : acknowledged) {
                assertNotNull(db.snapshot().row("QoS", u), "lost: " + u);
            }
            assertEquals(250, db.snapshot().rows("QoS").size());
        }
    }

    @Test
    void syncPropertyValues() {
        assertEquals(DbSync.ALWAYS, DbSync.parse(null));
        assertEquals(DbSync.DURABLE, DbSync.parse(" Durable "));
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> DbSync.parse("never"));
        assertEquals("jvswitch.db.sync=never: expected \"always\" or \"durable\"", e.getMessage());
    }

    /**
     * Read-modify-write through "wait" + "update" from many threads: if "wait" ever saw a state
     * other than the one its transaction commits on, two transactions would both move next_cfg
     * from k to k+1 and the final value would fall short of the number of successes.
     */
    @Test
    void waitSeesTheStateItCommitsOn() throws Exception {
        Path file = dir.resolve("conf.db");
        int threads = 4;
        int perThread = 50;
        AtomicLong successes = new AtomicLong();
        try (OvsdbService db = new OvsdbService(file)) {
            UUID root = Vsctl.root(db.snapshot()).uuid();
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Future<?>> futures = new ArrayList<>();
            Database.Context ctx = new Database.Context(0, l -> false, false);
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(() -> {
                    int done = 0;
                    while (done < perThread) {
                        long k = (Long) Vsctl.root(db.snapshot()).get("next_cfg");
                        JsonNode params = JSON.readTree("""
                                ["Open_vSwitch",
                                 {"op":"wait","table":"Open_vSwitch","where":[],"columns":["next_cfg"],
                                  "until":"==","rows":[{"next_cfg":%d}],"timeout":0},
                                 {"op":"update","table":"Open_vSwitch","where":[],"row":{"next_cfg":%d}}]
                                """.formatted(k, k + 1));
                        Database.Result r = db.transact(params, ctx);
                        boolean failed = false;
                        for (JsonNode res : r.result()) {
                            failed |= res == null || res.isNull() || res.has("error");
                        }
                        if (!failed) {
                            if (r.result().get(1).path("count").asInt() != 1) {
                                throw new AssertionError("update did not count one row: " + r.result());
                            }
                            done++;
                            successes.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
            pool.shutdown();
            assertEquals(threads * perThread, successes.get());
            assertEquals((long) threads * perThread, db.snapshot().row("Open_vSwitch", root).get("next_cfg"));
        }
        try (OvsdbService db = new OvsdbService(file)) {
            assertEquals((long) threads * perThread, Vsctl.root(db.snapshot()).get("next_cfg"));
        }
    }

    @Test
    void inMemoryDatabaseCommitsConcurrentlyToo() throws Exception {
        try (OvsdbService db = new OvsdbService((Path) null)) {
            List<Long> seen = new CopyOnWriteArrayList<>();
            long start = db.snapshot().version();
            db.subscribe(c -> seen.add(c.after().version()));
            ExecutorService pool = Executors.newFixedThreadPool(4);
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < 100; i++) {
                        DbTransaction txn = db.begin();
                        txn.insert("QoS", Map.of("type", "t" + (thread * 100 + i)));
                        txn.commit();
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
            pool.shutdown();
            assertEquals(401, seen.size());
            for (int i = 0; i < seen.size(); i++) {
                assertEquals(start + i, seen.get(i));
            }
        }
    }
}
