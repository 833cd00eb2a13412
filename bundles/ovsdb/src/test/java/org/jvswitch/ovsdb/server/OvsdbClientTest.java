package org.jvswitch.ovsdb.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Debian's real ovsdb-client against the server; expected texts are Debian ovsdb-server's for the
 * same requests, UUIDs replaced by "UUID".
 */
class OvsdbClientTest {
    @TempDir
    Path tmp;
    private ServerFixture f;

    @BeforeEach
    void start() throws Exception {
        assumeTrue(Proc.haveOvsClients(), "Debian's openvswitch-common/-switch are not installed");
        f = new ServerFixture(tmp);
        Proc.Result r = f.nowait("add-br", "br0", "--", "add-port", "br0", "p1", "--", "set", "Interface", "p1",
                "type=dummy");
        assertEquals(0, r.rc(), r::toString);
    }

    @AfterEach
    void stop() throws Exception {
        if (f != null) {
            f.close();
        }
    }

    static String uuids(String s) {
        return s.replaceAll("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "UUID");
    }

    private static java.util.Set<String> iterable(java.util.Iterator<String> it) {
        java.util.Set<String> out = new java.util.TreeSet<>();
        it.forEachRemaining(out::add);
        return out;
    }

    private void ok(Proc.Result r, String out) {
        assertEquals(0, r.rc(), r::toString);
        assertEquals(out, uuids(r.out()), r::toString);
    }

    @Test
    void listDbsSchemasTablesColumns() throws Exception {
        ok(f.client("list-dbs", f.unix()), "Open_vSwitch\n_Server\n");
        ok(f.client("get-schema-version", f.unix()), "8.3.1\n");
        ok(f.client("get-schema-version", f.unix(), "_Server"), "1.2.0\n");
        Proc.Result schema = f.client("get-schema", f.unix());
        assertEquals(0, schema.rc(), schema::toString);
        // ovsdb-client prints the schema as it parsed it (defaults dropped, keys sorted): compare contents.
        JsonNode served = RawClient.JSON.readTree(schema.out());
        JsonNode stored = RawClient.JSON.readTree(f.db.schema().json());
        assertEquals(stored.get("name"), served.get("name"));
        assertEquals(stored.get("version"), served.get("version"));
        assertEquals(stored.get("cksum"), served.get("cksum"));
        assertEquals(iterable(stored.get("tables").fieldNames()), iterable(served.get("tables").fieldNames()));
        assertEquals(RawClient.JSON.readTree("{\"mutable\":false,\"type\":\"string\"}"),
                served.at("/tables/Bridge/columns/name"));
        Proc.Result tables = f.client("list-tables", f.unix());
        assertEquals(0, tables.rc(), tables::toString);
        assertTrue(tables.out().startsWith("Table\n-------------------------\n"), tables::toString);
        for (String t : f.db.schema().tables().keySet()) {
            assertTrue(tables.out().contains("\n" + t + "\n"), t);
        }
        Proc.Result columns = f.client("list-columns", f.unix(), "Open_vSwitch", "Manager");
        assertEquals(0, columns.rc(), columns::toString);
        assertTrue(columns.out().contains("\ntarget           \"string\"\n"), columns::toString);
        assertTrue(columns.out().contains("\n_version         \"uuid\"\n"), columns::toString);
    }

    @Test
    void dump() {
        ok(f.client("dump", f.unix(), "Open_vSwitch", "Port", "name", "tag"),
                "Port table\nname tag\n---- ---\nbr0  []\np1   []\n");
        Proc.Result all = f.client("dump", f.unix());
        assertEquals(0, all.rc(), all::toString);
        assertTrue(all.out().contains("Interface table\n"), all::toString);
        assertTrue(all.out().contains(" dummy\n"), all::toString);
        Proc.Result server = f.client("dump", f.unix(), "_Server");
        assertTrue(server.out().contains("standalone Open_vSwitch"), server::toString);
        assertTrue(server.out().contains("standalone _Server"), server::toString);
    }

    private void transact(String request, String expected) {
        ok(f.client("transact", f.unix(), request), expected + "\n");
    }

    @Test
    void transactResultsAndErrors() {
        transact("[\"Open_vSwitch\",{\"op\":\"select\",\"table\":\"Interface\",\"where\":[[\"name\",\"==\",\"p1\"]],"
                + "\"columns\":[\"name\",\"type\"]}]", "[{\"rows\":[{\"name\":\"p1\",\"type\":\"dummy\"}]}]");
        // unknown table
        transact("[\"Open_vSwitch\",{\"op\":\"select\",\"table\":\"Nope\",\"where\":[]}]",
                "[{\"details\":\"Parsing ovsdb operation 1 of 1 failed: No table named Nope.\",\"error\":\"syntax error\","
                        + "\"syntax\":\"{\\\"op\\\":\\\"select\\\",\\\"table\\\":\\\"Nope\\\",\\\"where\\\":[]}\"}]");
        // unknown column
        transact("[\"Open_vSwitch\",{\"op\":\"insert\",\"table\":\"Bridge\",\"row\":{\"nope\":1}}]",
                "[{\"details\":\"No column nope in table Bridge.\",\"error\":\"unknown column\",\"syntax\":\"{\\\"nope\\\":1}\"}]");
        // type error
        transact("[\"Open_vSwitch\",{\"op\":\"insert\",\"table\":\"Bridge\",\"row\":{\"name\":1}}]",
                "[{\"details\":\"expected string\",\"error\":\"syntax error\",\"syntax\":\"1\"}]");
        // constraint violation
        transact("[\"Open_vSwitch\",{\"op\":\"insert\",\"table\":\"Bridge\",\"row\":{\"name\":\"x\",\"flood_vlans\":5000}}]",
                "[{\"details\":\"5000 is not in the valid range 0 to 4095 (inclusive)\",\"error\":\"constraint violation\"}]");
        transact("[\"Open_vSwitch\",{\"op\":\"insert\",\"table\":\"Open_vSwitch\",\"row\":{}}]",
                "[{\"uuid\":[\"uuid\",\"UUID\"]},{\"details\":\"transaction causes \\\"Open_vSwitch\\\" table to contain 2 rows,"
                        + " greater than the schema-defined limit of 1 row(s)\",\"error\":\"constraint violation\"}]");
        transact("[\"Open_vSwitch\",{\"op\":\"insert\",\"table\":\"Bridge\",\"uuid-name\":\"b\",\"row\":{\"name\":\"br0\"}},"
                        + "{\"op\":\"mutate\",\"table\":\"Open_vSwitch\",\"where\":[],\"mutations\":[[\"bridges\",\"insert\","
                        + "[\"set\",[[\"named-uuid\",\"b\"]]]]]}]",
                "[{\"uuid\":[\"uuid\",\"UUID\"]},{\"count\":1},{\"details\":\"Transaction causes multiple rows in \\\"Bridge\\\""
                        + " table to have identical values (br0) for index on column \\\"name\\\".  First row, with UUID UUID,"
                        + " existed in the database before this transaction and was not modified by the transaction."
                        + "  Second row, with UUID UUID, was inserted by this transaction.\",\"error\":\"constraint violation\"}]");
        // referential integrity
        transact("[\"Open_vSwitch\",{\"op\":\"insert\",\"table\":\"Bridge\",\"row\":{\"name\":\"x\",\"ports\":[\"uuid\","
                        + "\"2bb1b2c3-0000-0000-0000-000000000001\"]}}]",
                "[{\"uuid\":[\"uuid\",\"UUID\"]},{\"details\":\"Table Bridge column ports row UUID references nonexistent row"
                        + " UUID in table Port.\",\"error\":\"referential integrity violation\"}]");
        transact("[\"Open_vSwitch\",{\"op\":\"delete\",\"table\":\"Interface\",\"where\":[]}]",
                "[{\"count\":2},{\"details\":\"cannot delete Interface row UUID because of 1 remaining reference(s)\","
                        + "\"error\":\"referential integrity violation\"}]");
        Proc.Result unknownDb = f.client("transact", f.unix(), "[\"nope\"]");
        assertEquals(1, unknownDb.rc(), unknownDb::toString);
        assertEquals("ovsdb-client: transaction returned error: {\"details\":\"transact request specifies unknown database"
                + " nope\",\"error\":\"unknown database\",\"syntax\":\"[\\\"nope\\\"]\"}\n", unknownDb.err());
        // None of the failed transactions changed anything.
        assertEquals(1, f.db.snapshot().rows("Bridge").size());
        assertEquals(2, f.db.snapshot().rows("Interface").size());
        assertEquals(1, f.db.snapshot().rows("Open_vSwitch").size());
    }

    @Test
    void monitorStreamsInterfaceChanges() throws Exception {
        try (Proc.Background mon = new Proc.Background(List.of(Proc.OVSDB_CLIENT.toString(), "monitor", f.unix(),
                "Open_vSwitch", "Interface", "name,ofport,error"))) {
            assertTrue(mon.awaitOutput(" initial p1 ", Duration.ofSeconds(10)), mon::err);
            assertEquals(0, f.nowait("add-port", "br0", "p2").rc());
            assertTrue(mon.awaitOutput(" insert p2 ", Duration.ofSeconds(10)), mon::out);
            assertEquals(0, f.nowait("set", "Interface", "p2", "ofport=7", "error=oops").rc());
            assertTrue(mon.awaitOutput("new    p2   7      oops", Duration.ofSeconds(10)), mon::out);
            assertEquals(0, f.nowait("del-port", "p2").rc());
            assertTrue(mon.awaitOutput(" delete p2   7      oops", Duration.ofSeconds(10)), mon::out);
            assertEquals("row                                  action  name ofport error\n"
                    + "------------------------------------ ------- ---- ------ -----\n", mon.out().substring(0, 126));
            assertTrue(uuids(mon.out()).contains("row                                  action name ofport error\n"
                    + "------------------------------------ ------ ---- ------ -----\n"
                    + "UUID old         []     []\n"
                    + "                                     new    p2   7      oops\n"), mon::out);
        }
    }

    @Test
    void monitorCondReportsOnlyMatchingRows() throws Exception {
        try (Proc.Background mon = new Proc.Background(List.of(Proc.OVSDB_CLIENT.toString(), "monitor-cond", f.unix(),
                "Open_vSwitch", "[[\"name\",\"==\",\"p2\"]]", "Interface", "name,ofport"))) {
            Thread.sleep(500);
            assertEquals(0, f.nowait("add-port", "br0", "p2").rc());
            assertEquals(0, f.nowait("add-port", "br0", "p3").rc());
            assertEquals(0, f.nowait("set", "Interface", "p2", "ofport=7").rc());
            assertEquals(0, f.nowait("del-port", "p2").rc());
            assertTrue(mon.awaitOutput(" delete\n", Duration.ofSeconds(10)), mon::out);
            assertEquals("row                                  action name ofport\n"
                    + "------------------------------------ ------ ---- ------\n"
                    + "UUID insert p2\n\n"
                    + "row                                  action name ofport\n"
                    + "------------------------------------ ------ ---- ------\n"
                    + "UUID modify      7\n\n"
                    + "row                                  action name ofport\n"
                    + "------------------------------------ ------ ---- ------\n"
                    + "UUID delete\n", uuids(mon.out()));
        }
    }
}
