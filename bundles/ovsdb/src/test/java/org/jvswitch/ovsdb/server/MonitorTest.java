package org.jvswitch.ovsdb.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The three monitor flavours on the same changes, with the updates Debian's ovsdb-server 3.1 sent
 * for the same session (recorded side by side): "update" rows with "old" (changed columns) and
 * "new" (all), "update2" diffs of sets and maps, conditions turning modifications into inserts and
 * deletes, monitor_cond_change and monitor_cancel.
 */
class MonitorTest {
    private static final String DB = "\"Open_vSwitch\"";

    @TempDir
    Path tmp;
    private ServerFixture f;
    private final List<RawClient> clients = new ArrayList<>();
    private String bridge;
    private String bridgePort;

    @BeforeEach
    void start() throws Exception {
        f = new ServerFixture(tmp);
        RawClient c = unix();
        JsonNode r = c.call(1, "transact", "[" + DB + ","
                + "{\"op\":\"insert\",\"table\":\"Interface\",\"uuid-name\":\"i\",\"row\":{\"name\":\"br0\",\"type\":\"internal\"}},"
                + "{\"op\":\"insert\",\"table\":\"Port\",\"uuid-name\":\"p\",\"row\":{\"name\":\"br0\",\"interfaces\":[\"named-uuid\",\"i\"]}},"
                + "{\"op\":\"insert\",\"table\":\"Bridge\",\"uuid-name\":\"b\",\"row\":{\"name\":\"br0\",\"ports\":[\"named-uuid\",\"p\"]}},"
                + "{\"op\":\"mutate\",\"table\":\"Open_vSwitch\",\"where\":[],\"mutations\":[[\"bridges\",\"insert\",[\"named-uuid\",\"b\"]]]}]");
        bridgePort = r.at("/result/1/uuid/1").asText();
        bridge = r.at("/result/2/uuid/1").asText();
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

    private JsonNode update(String method, String params) throws IOException {
        return json("{\"id\":null,\"method\":\"" + method + "\",\"params\":" + params + "}");
    }

    private static void transact(RawClient c, int id, String ops) throws Exception {
        JsonNode r = c.call(id, "transact", "[" + DB + "," + ops + "]");
        assertEquals(null, r.get("error").textValue(), r.toString());
    }

    @Test
    void updateUpdate2AndConditions() throws Exception {
        RawClient v1 = unix();
        RawClient v2 = unix();
        RawClient v3 = unix();
        RawClient writer = unix();
        String b = "\"" + bridge + "\"";
        String p0 = "\"" + bridgePort + "\"";
        assertEquals(json("{\"Bridge\":{" + b + ":{\"new\":{\"datapath_type\":\"\",\"name\":\"br0\",\"other_config\":[\"map\",[]],"
                        + "\"ports\":[\"uuid\"," + p0 + "]}}}}"),
                v1.call(1, "monitor", "[" + DB + ",\"m1\",{\"Bridge\":{\"columns\":[\"name\",\"ports\",\"other_config\","
                        + "\"datapath_type\"]},\"Port\":{\"columns\":[\"name\",\"tag\",\"trunks\"],\"select\":{\"initial\":false}}}]")
                        .get("result"));
        assertEquals(json("{\"Bridge\":{" + b + ":{\"initial\":{\"name\":\"br0\",\"ports\":[\"uuid\"," + p0 + "]}}}}"),
                v2.call(1, "monitor_cond", "[" + DB + ",[\"m\",\"2\"],{\"Bridge\":[{\"columns\":[\"name\",\"ports\","
                        + "\"other_config\"]}],\"Port\":[{\"columns\":[\"name\",\"tag\",\"trunks\"],\"where\":[[\"name\",\"!=\","
                        + "\"br0\"]]}]}]").get("result"));
        JsonNode since = v3.call(1, "monitor_cond_since", "[" + DB + ",null,{\"Bridge\":[{\"columns\":[\"name\","
                + "\"other_config\",\"flood_vlans\"]}]},\"00000000-0000-0000-0000-000000000000\"]").get("result");
        // ovsdb-server (standalone) says the zero UUID; here the id of the last commit, to resume from.
        assertEquals(json("false"), since.get(0));
        assertEquals(json("{\"Bridge\":{" + b + ":{\"initial\":{\"name\":\"br0\"}}}}"), since.get(2));

        String updateBr0 = "{\"op\":\"update\",\"table\":\"Bridge\",\"where\":[[\"name\",\"==\",\"br0\"]],\"row\":%s}";
        transact(writer, 1, String.format(updateBr0,
                "{\"other_config\":[\"map\",[[\"a\",\"1\"],[\"b\",\"2\"]]],\"flood_vlans\":[\"set\",[10,20]]}"));
        assertEquals(update("update", "[\"m1\",{\"Bridge\":{" + b + ":{\"new\":{\"datapath_type\":\"\",\"name\":\"br0\","
                + "\"other_config\":[\"map\",[[\"a\",\"1\"],[\"b\",\"2\"]]],\"ports\":[\"uuid\"," + p0 + "]},"
                + "\"old\":{\"other_config\":[\"map\",[]]}}}}]"), v1.next());
        assertEquals(update("update2", "[[\"m\",\"2\"],{\"Bridge\":{" + b + ":{\"modify\":{\"other_config\":[\"map\","
                + "[[\"a\",\"1\"],[\"b\",\"2\"]]]}}}}]"), v2.next());
        JsonNode u3 = v3.next();
        assertEquals("update3", u3.get("method").asText());
        assertEquals(json("{\"Bridge\":{" + b + ":{\"modify\":{\"flood_vlans\":[\"set\",[10,20]],\"other_config\":[\"map\","
                + "[[\"a\",\"1\"],[\"b\",\"2\"]]]}}}}"), u3.at("/params/2"));

        // Diffs: for a set the elements added or removed, for a map changed and added keys with their
        // new value and removed keys with their old one.
        transact(writer, 2, String.format(updateBr0,
                "{\"other_config\":[\"map\",[[\"a\",\"9\"],[\"c\",\"3\"]]],\"flood_vlans\":[\"set\",[20,30]]}"));
        v1.next();
        assertEquals(update("update2", "[[\"m\",\"2\"],{\"Bridge\":{" + b + ":{\"modify\":{\"other_config\":[\"map\","
                + "[[\"a\",\"9\"],[\"b\",\"2\"],[\"c\",\"3\"]]]}}}}]"), v2.next());
        assertEquals(json("{\"Bridge\":{" + b + ":{\"modify\":{\"flood_vlans\":[\"set\",[10,30]],\"other_config\":[\"map\","
                + "[[\"a\",\"9\"],[\"b\",\"2\"],[\"c\",\"3\"]]]}}}}"), v3.next().at("/params/2"));

        // A change to a column only the plain monitor watches.
        transact(writer, 3, String.format(updateBr0, "{\"datapath_type\":\"netdev\"}"));
        assertEquals(json("{\"datapath_type\":\"\"}"), v1.next().at("/params/1/Bridge/" + bridge + "/old"));
        assertNull(v2.next(Duration.ofMillis(300)));
        assertNull(v3.next(Duration.ofMillis(10)));

        JsonNode inserted = writer.call(4, "transact", "[" + DB + ","
                + "{\"op\":\"insert\",\"table\":\"Port\",\"uuid-name\":\"p\",\"row\":{\"name\":\"p1\",\"interfaces\":[\"named-uuid\","
                + "\"i\"],\"tag\":5}},{\"op\":\"insert\",\"table\":\"Interface\",\"uuid-name\":\"i\",\"row\":{\"name\":\"p1\"}},"
                + "{\"op\":\"mutate\",\"table\":\"Bridge\",\"where\":[[\"name\",\"==\",\"br0\"]],\"mutations\":[[\"ports\","
                + "\"insert\",[\"set\",[[\"named-uuid\",\"p\"]]]]]}]");
        String p1 = "\"" + inserted.at("/result/0/uuid/1").asText() + "\"";
        JsonNode v1Insert = v1.next();
        assertEquals(json("{\"new\":{\"name\":\"p1\",\"tag\":5,\"trunks\":[\"set\",[]]}}"),
                v1Insert.at("/params/1/Port/" + p1.replace("\"", "")));
        assertEquals(json("{\"ports\":[\"uuid\"," + p0 + "]}"), v1Insert.at("/params/1/Bridge/" + bridge + "/old"));
        assertEquals(update("update2", "[[\"m\",\"2\"],{\"Bridge\":{" + b + ":{\"modify\":{\"ports\":[\"uuid\"," + p1
                + "]}}},\"Port\":{" + p1 + ":{\"insert\":{\"name\":\"p1\",\"tag\":5}}}}]"), v2.next());

        transact(writer, 5, "{\"op\":\"update\",\"table\":\"Port\",\"where\":[[\"name\",\"==\",\"p1\"]],\"row\":{\"tag\":"
                + "[\"set\",[]],\"trunks\":[\"set\",[1,2]]}}");
        assertEquals(update("update", "[\"m1\",{\"Port\":{" + p1 + ":{\"new\":{\"name\":\"p1\",\"tag\":[\"set\",[]],"
                + "\"trunks\":[\"set\",[1,2]]},\"old\":{\"tag\":5,\"trunks\":[\"set\",[]]}}}}]"), v1.next());
        assertEquals(update("update2", "[[\"m\",\"2\"],{\"Port\":{" + p1 + ":{\"modify\":{\"tag\":[\"set\",[]],"
                + "\"trunks\":[\"set\",[1,2]]}}}}]"), v2.next());

        // New conditions: rows that stop matching are deleted, rows that start matching inserted.
        v2.request(2, "monitor_cond_change", "[[\"m\",\"2\"],\"m3\",{\"Port\":[{\"where\":[[\"name\",\"==\",\"br0\"]]}]}]");
        assertEquals(update("update2", "[\"m3\",{\"Port\":{" + p1 + ":{\"delete\":null}," + p0 + ":{\"insert\":"
                + "{\"name\":\"br0\"}}}}]"), v2.next());
        assertEquals(json("{\"id\":2,\"result\":{},\"error\":null}"), v2.next());
        v2.request(3, "monitor_cond_change", "[\"m3\",\"m3\",{\"Port\":[{\"where\":[]}]}]");
        assertEquals(update("update2", "[\"m3\",{\"Port\":{" + p1 + ":{\"insert\":{\"name\":\"p1\",\"trunks\":[\"set\","
                + "[1,2]]}}}}]"), v2.next());
        assertEquals(json("{\"id\":3,\"result\":{},\"error\":null}"), v2.next());
        assertEquals(json("{\"id\":4,\"result\":{},\"error\":null}"), v2.call(4, "monitor_cancel", "[\"m3\"]"));
        assertEquals(json("{\"id\":5,\"error\":\"unknown monitor\"}"), v2.call(5, "monitor_cancel", "[\"m3\"]"));
        transact(writer, 6, String.format(updateBr0, "{\"other_config\":[\"map\",[]]}"));
        assertNull(v2.next(Duration.ofMillis(300)), "no updates after monitor_cancel");
    }

    @Test
    void monitorRequestErrors() throws Exception {
        RawClient c = unix();
        c.call(1, "monitor", "[" + DB + ",\"m1\",{}]");
        assertEquals(json("{\"error\":\"syntax error\",\"details\":\"duplicate monitor ID\",\"syntax\":\"\\\"m1\\\"\"}"),
                c.call(2, "monitor", "[" + DB + ",\"m1\",{}]").get("error"));
        assertEquals(json("{\"error\":\"syntax error\",\"details\":\"no table named Nope\"}"),
                c.call(3, "monitor", "[" + DB + ",\"m2\",{\"Nope\":{}}]").get("error"));
        assertEquals(json("{\"error\":\"syntax error\",\"details\":\"column name mentioned more than once\","
                + "\"syntax\":\"[\\\"name\\\"]\"}"),
                c.call(4, "monitor", "[" + DB + ",\"m2\",{\"Bridge\":[{\"columns\":[\"name\"]},{\"columns\":[\"name\"]}]}]")
                        .get("error"));
        assertEquals(json("{\"error\":\"syntax error\",\"details\":\"Parsing table Bridge select failed: Member 'x' is"
                + " present but not allowed here.\",\"syntax\":\"{\\\"x\\\":true}\"}"),
                c.call(5, "monitor", "[" + DB + ",\"m2\",{\"Bridge\":{\"columns\":[\"name\"],\"select\":{\"x\":true}}}]")
                        .get("error"));
        assertEquals(json("{\"error\":\"unknown column\",\"details\":\"No column nope in table Bridge.\","
                + "\"syntax\":\"[\\\"nope\\\",\\\"==\\\",1]\"}"),
                c.call(6, "monitor_cond", "[" + DB + ",\"m2\",{\"Bridge\":{\"columns\":[\"name\"],\"where\":[[\"nope\","
                        + "\"==\",1]]}}]").get("error"));
        assertEquals(json("{\"error\":\"syntax error\",\"details\":\"last-txn-id must be UUID format.\",\"syntax\":\"\\\"x\\\"\"}"),
                c.call(7, "monitor_cond_since", "[" + DB + ",\"m2\",{},\"x\"]").get("error"));
    }
}
