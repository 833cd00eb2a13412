package org.jvswitch.ovsdb.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.jvswitch.api.ovsdb.DbRow;
import org.jvswitch.api.ovsdb.DbTransaction;
import org.jvswitch.ovsdb.internal.DbFile.CompactionPolicy;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file is a real standalone Open vSwitch database: Debian's ovsdb-tool (package
 * openvswitch-common, which the project's test script installs) reads what jvswitch writes, and
 * jvswitch reads what ovsdb-tool writes.
 */
class OvsdbToolTest {
    private static final Path OVSDB_TOOL = Path.of("/usr/bin/ovsdb-tool");

    @TempDir
    Path dir;

    @BeforeAll
    static void requireOvsdbTool() {
        if (!Files.isExecutable(OVSDB_TOOL)) {
            fail(OVSDB_TOOL + " is missing: install openvswitch-common (apt-get install openvswitch-common)");
        }
    }

    @Test
    void showLogListsOurTransactions() throws Exception {
        Path file = dir.resolve("conf.db");
        try (OvsdbService db = new OvsdbService(file)) {
            Vsctl.addBridge(db, "br0", "p1");
            Vsctl.delBridge(db, "br0");
        }
        Result r = run("show-log", "-m", file.toString());
        assertEquals(0, r.rc, r.err);
        String out = r.out;
        assertTrue(out.contains("record 0: \"Open_vSwitch\" schema, version=\"8.3.1\""), out);
        assertTrue(out.contains("record 1: ") && out.contains("\"jvswitch: initialize database\""), out);
        assertTrue(out.contains("table Open_vSwitch insert row"), out);
        assertTrue(out.contains("\"ovs-vsctl add-br br0\""), out);
        assertTrue(out.contains("table Bridge insert row"), out);
        assertTrue(out.contains("table Interface insert row"), out);
        assertTrue(out.contains("\"ovs-vsctl del-br br0\""), out);
        assertTrue(out.contains("table Bridge row") && out.contains("delete row"), out);
        assertTrue(out.contains("record 3: "), out);
        assertEquals("8.3.1", run("db-version", file.toString()).out.trim());
        assertEquals("Open_vSwitch", run("db-name", file.toString()).out.trim());
    }

    @Test
    void queryReadsOurRows() throws Exception {
        Path file = dir.resolve("conf.db");
        try (OvsdbService db = new OvsdbService(file)) {
            Vsctl.addBridge(db, "br0", "p1", "p2");
            DbTransaction t = db.begin();
            DbRow iface = t.view().find("Interface", "name", "p1");
            t.update("Interface", iface.uuid(), Map.of("options", Map.of("n_rxq", "4", "dpdk-devargs", "0000:01:00.0"),
                    "mtu_request", 9000));
            t.commit();
            // ovsdb-tool can read while the switch holds the database open.
            Result r = run("query", file.toString(), "[\"Open_vSwitch\",{\"op\":\"select\",\"table\":\"Interface\","
                    + "\"where\":[[\"name\",\"==\",\"p1\"]],\"columns\":[\"name\",\"options\",\"mtu_request\",\"type\"]}]");
            assertEquals(0, r.rc, r.err);
            assertEquals("[{\"rows\":[{\"mtu_request\":9000,\"name\":\"p1\",\"options\":[\"map\",[[\"dpdk-devargs\","
                    + "\"0000:01:00.0\"],[\"n_rxq\",\"4\"]]],\"type\":\"dummy\"}]}]", r.out.trim());
            r = run("query", file.toString(),
                    "[\"Open_vSwitch\",{\"op\":\"select\",\"table\":\"Bridge\",\"where\":[],\"columns\":[\"name\",\"ports\"]}]");
            assertTrue(r.out.contains("\"name\":\"br0\""), r.out);
        }
    }

    @Test
    void ovsdbToolCannotWriteWhileWeHoldTheDatabase() throws Exception {
        Path file = dir.resolve("conf.db");
        try (OvsdbService db = new OvsdbService(file)) {
            Result r = run("transact", file.toString(), "[\"Open_vSwitch\"]");
            assertEquals(1, r.rc, r.out + r.err);
            assertTrue(r.err.contains("lock"), r.err);
        }
    }

    @Test
    void ourCompactedFileIsReadableToo() throws Exception {
        Path file = dir.resolve("conf.db");
        try (OvsdbService db = new OvsdbService(file, new CompactionPolicy(100, 4))) {
            Vsctl.addBridge(db, "br0", "p1");
            db.compact();
        }
        Result r = run("show-log", "-m", file.toString());
        assertEquals(0, r.rc, r.err);
        assertTrue(r.out.contains("\"compacted by jvswitch\""), r.out);
        assertTrue(r.out.contains("table Port insert row"), r.out);
        r = run("compact", file.toString()); // and ovsdb-tool can take over the file
        assertEquals(0, r.rc, r.err);
    }

    @Test
    void weReadADatabaseWrittenByOvsdbTool() throws Exception {
        Path file = dir.resolve("ovs.db");
        assertEquals(0, run("create", file.toString(), resourceSchema().toString()).rc);
        Result r = run("transact", file.toString(), "[\"Open_vSwitch\","
                + "{\"op\":\"insert\",\"table\":\"Open_vSwitch\",\"row\":{\"bridges\":[\"named-uuid\",\"b\"]}},"
                + "{\"op\":\"insert\",\"table\":\"Bridge\",\"uuid-name\":\"b\",\"row\":{\"name\":\"br0\","
                + "\"ports\":[\"named-uuid\",\"p\"],\"other_config\":[\"map\",[[\"a\",\"1\"],[\"b\",\"2\"]]]}},"
                + "{\"op\":\"insert\",\"table\":\"Port\",\"uuid-name\":\"p\",\"row\":{\"name\":\"br0\","
                + "\"interfaces\":[\"named-uuid\",\"i\"]}},"
                + "{\"op\":\"insert\",\"table\":\"Interface\",\"uuid-name\":\"i\",\"row\":{\"name\":\"br0\","
                + "\"type\":\"internal\"}}]");
        assertEquals(0, r.rc, r.err);
        // ovsdb-server 3.x writes changes as differences ("_is_diff"): map keys and set elements toggle.
        r = run("transact", file.toString(), "[\"Open_vSwitch\",{\"op\":\"mutate\",\"table\":\"Bridge\","
                + "\"where\":[],\"mutations\":[[\"other_config\",\"delete\",[\"set\",[\"a\"]]],"
                + "[\"other_config\",\"insert\",[\"map\",[[\"c\",\"3\"]]]],[\"flood_vlans\",\"insert\",[\"set\",[10,20]]]]}]");
        assertEquals(0, r.rc, r.err);
        try (OvsdbService db = new OvsdbService(file)) {
            DbRow br = db.snapshot().find("Bridge", "name", "br0");
            assertNotNull(br);
            assertEquals(Map.of("b", "2", "c", "3"), br.getStringMap("other_config"));
            assertEquals(java.util.Set.of(10L, 20L), br.getSet("flood_vlans"));
            assertEquals(1, db.snapshot().rows("Open_vSwitch").size());
            assertEquals("internal", db.snapshot().find("Interface", "name", "br0").getString("type"));
        }
    }

    private static Path resourceSchema() throws IOException {
        Path tmp = Files.createTempFile("vswitch", ".ovsschema");
        tmp.toFile().deleteOnExit();
        try (var in = OvsdbToolTest.class.getResourceAsStream(SchemaReader.VSWITCH_SCHEMA)) {
            Files.write(tmp, in.readAllBytes());
        }
        return tmp;
    }

    private record Result(int rc, String out, String err) {
    }

    private static Result run(String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(OVSDB_TOOL.toString());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("ovsdb-tool " + String.join(" ", args) + " did not finish");
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }
}
