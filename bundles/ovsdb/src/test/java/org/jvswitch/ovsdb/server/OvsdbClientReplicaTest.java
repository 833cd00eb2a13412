package org.jvswitch.ovsdb.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jvswitch.api.ovsdb.DbChange;
import org.jvswitch.api.ovsdb.DbRow;
import org.jvswitch.api.ovsdb.DbSnapshot;
import org.jvswitch.api.ovsdb.DbSubscription;
import org.jvswitch.api.ovsdb.DbTransaction;
import org.jvswitch.api.ovsdb.OvsdbException;
import org.jvswitch.ovsdb.client.OvsdbClient;

/**
 * The OVSDB client ({@link OvsdbClient}) against this project's server and against Debian's real
 * ovsdb-server: the replica follows changes made by ovs-vsctl, commits write back (and ovs-vsctl's
 * wait for cur_cfg returns), a stale write fails, and a server restart is survived.
 */
class OvsdbClientReplicaTest {

    /** A server the client talks to. */
    interface Backend extends AutoCloseable {
        String remote();

        void restart() throws Exception;

        @Override
        void close() throws Exception;
    }

    abstract static class Contract {
        @TempDir
        Path dir;
        Backend backend;
        OvsdbClient client;
        ExecutorService switchThread;

        abstract Backend start(Path dir) throws Exception;

        @BeforeEach
        void setUp() throws Exception {
            assumeTrue(Proc.haveOvsClients(), "Open vSwitch clients not installed");
            backend = start(dir);
            client = new OvsdbClient(backend.remote(), Duration.ofSeconds(1)).start();
            assertTrue(client.awaitConnected(Duration.ofSeconds(20)), "client did not connect");
        }

        @AfterEach
        void tearDown() throws Exception {
            if (switchThread != null) {
                switchThread.shutdownNow();
            }
            if (client != null) {
                client.close();
            }
            if (backend != null) {
                backend.close();
            }
        }

        Proc.Result vsctl(String... args) {
            List<String> cmd = new ArrayList<>(List.of(Proc.OVS_VSCTL.toString(), "--db=" + backend.remote(),
                    "--timeout=20"));
            cmd.addAll(List.of(args));
            return Proc.run(Duration.ofSeconds(30), cmd);
        }

        static void await(String what, BooleanSupplier condition) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!condition.getAsBoolean()) {
                assertTrue(System.nanoTime() < deadline, "timed out waiting for " + what);
                Thread.sleep(20);
            }
        }

        @Test
        void replicaFollowsOvsVsctl() throws Exception {
            assertEquals("Open_vSwitch", client.name());
            assertNotNull(client.schema().table("Interface").column("ofport"));
            List<DbChange> changes = new CopyOnWriteArrayList<>();
            try (DbSubscription s = client.subscribe(changes::add)) {
                assertEquals(1, changes.size(), "initial state delivered at once");
                assertEquals(1, client.snapshot().rows("Open_vSwitch").size());
                Proc.Result r = vsctl("--no-wait", "add-br", "br0", "--", "set", "bridge", "br0",
                        "datapath_type=netdev", "other_config:a=b");
                assertEquals(0, r.rc(), r::toString);
                await("br0 in the replica", () -> client.snapshot().find("Bridge", "name", "br0") != null);
                DbRow br = client.snapshot().find("Bridge", "name", "br0");
                assertEquals("netdev", br.getString("datapath_type"));
                assertEquals(Map.of("a", "b"), br.getStringMap("other_config"));
                assertTrue(changes.stream().anyMatch(c -> c.touches("Bridge")));

                r = vsctl("--no-wait", "add-port", "br0", "p1", "--", "set", "Interface", "p1", "type=dummy");
                assertEquals(0, r.rc(), r::toString);
                await("p1", () -> client.snapshot().find("Interface", "name", "p1") != null);
                DbSnapshot snap = client.snapshot();
                DbRow port = snap.find("Port", "name", "p1");
                assertTrue(snap.find("Bridge", "name", "br0").getSet("ports").contains(port.uuid()));
                assertEquals("dummy", snap.find("Interface", "name", "p1").getString("type"));

                r = vsctl("--no-wait", "del-br", "br0");
                assertEquals(0, r.rc(), r::toString);
                await("br0 gone", () -> client.snapshot().rows("Bridge").isEmpty()
                        && client.snapshot().rows("Interface").isEmpty());
            }
        }

        @Test
        void commitWritesStatusBackAndVsctlWaitReturns() throws Exception {
            // Play ovs-vswitchd: after each change, cur_cfg := next_cfg and an ofport per interface.
            switchThread = Executors.newSingleThreadExecutor();
            try (DbSubscription s = client.subscribe(change -> switchThread.submit(this::reconfigure))) {
                Proc.Result r = vsctl("add-br", "br0", "--", "set", "bridge", "br0", "datapath_type=netdev");
                assertEquals(0, r.rc(), r::toString);
                r = vsctl("add-port", "br0", "p1", "--", "set", "Interface", "p1", "type=dummy");
                assertEquals(0, r.rc(), r::toString);
                r = vsctl("get", "Interface", "p1", "ofport");
                assertEquals("1", r.out().strip(), r::toString);
                DbRow root = client.snapshot().rows("Open_vSwitch").iterator().next();
                assertEquals(root.get("next_cfg"), root.get("cur_cfg"));
            }
        }

        private void reconfigure() {
            try {
                DbTransaction t = client.begin();
                DbRow root = t.view().rows("Open_vSwitch").iterator().next();
                long next = 1;
                for (DbRow i : t.view().rows("Interface")) {
                    if (i.getSet("ofport").isEmpty()) {
                        t.update("Interface", i.uuid(), Map.of("ofport", i.getString("type").equals("internal")
                                ? 65534L : next++, "error", Set.of()));
                    }
                }
                if (!root.get("cur_cfg").equals(root.get("next_cfg"))) {
                    t.update("Open_vSwitch", root.uuid(), new HashMap<>(Map.of("cur_cfg", root.get("next_cfg"))));
                }
                t.comment("test switch");
                t.commit();
            } catch (OvsdbException | RuntimeException e) {
                // retried on the next change
            }
        }

        @Test
        void commitIsVisibleWhenItReturnsAndInsertsResolveReferences() throws Exception {
            DbTransaction t = client.begin();
            DbRow root = t.view().rows("Open_vSwitch").iterator().next();
            UUID iface = t.insert("Interface", Map.of("name", "x1", "type", "dummy"));
            UUID port = t.insert("Port", Map.of("name", "x1", "interfaces", Set.of(iface)));
            UUID br = t.insert("Bridge", Map.of("name", "brx", "ports", Set.of(port)));
            t.update("Open_vSwitch", root.uuid(), Map.of("bridges", Set.of(br), "external_ids", Map.of("k", "v")));
            DbSnapshot after = t.commit();
            DbRow bridge = after.find("Bridge", "name", "brx");
            assertNotNull(bridge, "the commit's result shows the commit");
            assertEquals(Map.of("k", "v"), after.rows("Open_vSwitch").iterator().next().getStringMap("external_ids"));
            Proc.Result r = vsctl("list-ports", "brx");
            assertEquals("x1", r.out().strip(), r::toString);
        }

        @Test
        void ownCommitIsHeardOnTheCommittingThreadOthersOnTheReaderThread() throws Exception {
            Map<String, String> heardOn = new java.util.concurrent.ConcurrentHashMap<>();
            try (DbSubscription s = client.subscribe(change -> {
                for (DbRow r : change.after().rows("Open_vSwitch")) {
                    r.getStringMap("external_ids").keySet().forEach(k -> heardOn.putIfAbsent(k,
                            Thread.currentThread().getName()));
                }
            })) {
                DbTransaction t = client.begin();
                DbRow root = t.view().rows("Open_vSwitch").iterator().next();
                t.update("Open_vSwitch", root.uuid(), Map.of("external_ids", Map.of("mine", "1")));
                t.commit();
                assertEquals(Thread.currentThread().getName(), heardOn.get("mine"), "before commit() returned");
                Proc.Result r = vsctl("--no-wait", "set", "Open_vSwitch", ".", "external_ids:theirs=1");
                assertEquals(0, r.rc(), r::toString);
                await("theirs", () -> heardOn.containsKey("theirs"));
                assertTrue(heardOn.get("theirs").startsWith("ovsdb-client"), heardOn::toString);
                // A listener may not commit synchronously wherever it runs.
                DbTransaction t2 = client.begin();
                t2.update("Open_vSwitch", root.uuid(), Map.of("external_ids", Map.of("mine", "2")));
                List<Throwable> thrown = new CopyOnWriteArrayList<>();
                try (DbSubscription s2 = client.subscribe(change -> {
                    if (change.after().rows("Open_vSwitch").iterator().next().getStringMap("external_ids")
                            .containsKey("third")) {
                        try {
                            DbTransaction inner = client.begin();
                            inner.comment("from a listener");
                            inner.update("Open_vSwitch", root.uuid(), Map.of("next_cfg", 42L));
                            inner.commit();
                        } catch (RuntimeException | OvsdbException e) {
                            thrown.add(e);
                        }
                    }
                })) {
                    t2.update("Open_vSwitch", root.uuid(), Map.of("external_ids", Map.of("third", "1")));
                    t2.commit();
                }
                assertEquals(1, thrown.size(), thrown::toString);
                assertTrue(thrown.get(0) instanceof IllegalStateException, thrown::toString);
            }
        }

        @Test
        void staleWriteFailsInsteadOfClobbering() throws Exception {
            DbRow root = client.snapshot().rows("Open_vSwitch").iterator().next();
            DbTransaction stale = client.begin();
            Proc.Result r = vsctl("--no-wait", "set", "Open_vSwitch", ".", "external_ids:owner=vsctl");
            assertEquals(0, r.rc(), r::toString);
            await("owner", () -> client.snapshot().rows("Open_vSwitch").iterator().next()
                    .getStringMap("external_ids").containsKey("owner"));
            stale.update("Open_vSwitch", root.uuid(), Map.of("external_ids", Map.of("owner", "switch")));
            OvsdbException e = assertThrows(OvsdbException.class, stale::commit);
            assertEquals("timed out", e.error(), e::getMessage);
            r = vsctl("get", "Open_vSwitch", ".", "external_ids:owner");
            assertEquals("vsctl", r.out().strip(), r::toString);
        }

        @Test
        void reconnectsAndResynchronizesAfterServerRestart() throws Exception {
            List<DbChange> changes = new CopyOnWriteArrayList<>();
            assertEquals(0, vsctl("--no-wait", "add-br", "br0").rc());
            await("br0", () -> client.snapshot().find("Bridge", "name", "br0") != null);
            long syncs = client.syncCount();
            try (DbSubscription s = client.subscribe(changes::add)) {
                backend.restart();
                Proc.Result r = vsctl("--no-wait", "add-br", "br1");
                assertEquals(0, r.rc(), r::toString);
                await("reconnection", () -> client.syncCount() > syncs);
                await("br1 after restart", () -> client.snapshot().find("Bridge", "name", "br1") != null);
                assertNotNull(client.snapshot().find("Bridge", "name", "br0"));
                assertTrue(changes.stream().anyMatch(c -> c.touches("Bridge") && c.after().find("Bridge", "name",
                        "br1") != null), "listeners heard of br1");
                // And writes work on the new connection.
                assertTrue(client.awaitConnected(Duration.ofSeconds(20)));
                DbTransaction t = client.begin();
                DbRow br1 = t.view().find("Bridge", "name", "br1");
                t.update("Bridge", br1.uuid(), Map.of("external_ids", Map.of("after", "restart")));
                t.commit();
                r = vsctl("get", "Bridge", "br1", "external_ids:after");
                assertEquals("restart", r.out().strip(), r::toString);
            }
        }
    }

    /** jvswitch's own server ({@link OvsdbServer} on an {@code OvsdbService}). */
    @Nested
    class OwnServer extends Contract {
        @Override
        Backend start(Path dir) throws IOException {
            return new Backend() {
                ServerFixture fixture = new ServerFixture(dir);

                @Override
                public String remote() {
                    return fixture.unix();
                }

                @Override
                public void restart() throws IOException {
                    fixture.close();
                    fixture = new ServerFixture(dir);
                }

                @Override
                public void close() throws IOException {
                    fixture.close();
                }
            };
        }
    }

    /** Debian's ovsdb-server on a database made by ovsdb-tool from Debian's vswitch.ovsschema. */
    @Nested
    class DebianServer extends Contract {
        @Override
        Backend start(Path dir) throws Exception {
            assumeTrue(RealOvsdbServer.available(), "ovsdb-server not installed");
            return new Backend() {
                final RealOvsdbServer server = RealOvsdbServer.create(dir);

                @Override
                public String remote() {
                    return "unix:" + server.socket;
                }

                @Override
                public void restart() throws Exception {
                    server.stop();
                    server.start();
                }

                @Override
                public void close() {
                    server.stop();
                }
            };
        }
    }

    /** Debian's ovsdb-server as a child process; stopped by its PID. */
    static final class RealOvsdbServer {
        static final Path OVSDB_SERVER = Path.of("/usr/sbin/ovsdb-server");
        static final Path OVSDB_TOOL = Path.of("/usr/bin/ovsdb-tool");
        static final Path SCHEMA = Path.of("/usr/share/openvswitch/vswitch.ovsschema");

        final Path dir;
        final Path db;
        final Path socket;
        private Process process;

        private RealOvsdbServer(Path dir) {
            this.dir = dir;
            this.db = dir.resolve("conf.db");
            this.socket = dir.resolve("db.sock");
        }

        static boolean available() {
            return Files.isExecutable(OVSDB_SERVER) && Files.isExecutable(OVSDB_TOOL) && Files.exists(SCHEMA);
        }

        static RealOvsdbServer create(Path dir) throws Exception {
            RealOvsdbServer s = new RealOvsdbServer(dir);
            Proc.Result r = Proc.run(Duration.ofSeconds(30), List.of(OVSDB_TOOL.toString(), "create", s.db.toString(),
                    SCHEMA.toString()));
            assertEquals(0, r.rc(), r::toString);
            s.start();
            // ovs-vsctl needs the Open_vSwitch row, which ovs-ctl's "init" would create.
            r = Proc.run(Duration.ofSeconds(30), List.of(Proc.OVS_VSCTL.toString(), "--db=unix:" + s.socket,
                    "--no-wait", "init"));
            assertEquals(0, r.rc(), r::toString);
            return s;
        }

        void start() throws Exception {
            ProcessBuilder pb = new ProcessBuilder(OVSDB_SERVER.toString(), db.toString(),
                    "--remote=punix:" + socket, "--unixctl=" + dir.resolve("ovsdb-server.ctl"),
                    "--pidfile=" + dir.resolve("ovsdb-server.pid"), "--log-file=" + dir.resolve("ovsdb-server.log"),
                    "-vconsole:off", "--no-chdir");
            pb.redirectErrorStream(true).redirectOutput(dir.resolve("ovsdb-server.out").toFile());
            process = pb.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!Files.exists(socket)) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    stop();
                    throw new IllegalStateException("ovsdb-server did not start: "
                            + Files.readString(dir.resolve("ovsdb-server.out")));
                }
                Thread.sleep(20);
            }
        }

        void stop() {
            Process p = process;
            if (p == null) {
                return;
            }
            process = null;
            p.destroy(); // SIGTERM to this PID
            try {
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    p.waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
            try {
                Files.deleteIfExists(socket);
            } catch (IOException e) {
                // ovsdb-server removes it itself on SIGTERM
            }
        }
    }
}
