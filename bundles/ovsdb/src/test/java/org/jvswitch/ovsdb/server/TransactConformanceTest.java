package org.jvswitch.ovsdb.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jvswitch.ovsdb.internal.Database;
import org.jvswitch.ovsdb.internal.OvsJson;
import org.jvswitch.ovsdb.internal.OvsdbService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;

/**
 * Every RFC 7047 operation, its results and its errors, compared with what Debian's ovsdb-server
 * 3.1 answered to the same requests in the same order (the resource file). Runs without any Open
 * vSwitch binary: the transactions go straight to {@link Database#transact}.
 */
class TransactConformanceTest {
    private static final Pattern UUID_TEXT =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final String ADD_BR = "[\"Open_vSwitch\","
            + "{\"op\":\"insert\",\"table\":\"Interface\",\"uuid-name\":\"i\",\"row\":{\"name\":\"br0\",\"type\":\"internal\"}},"
            + "{\"op\":\"insert\",\"table\":\"Port\",\"uuid-name\":\"p\",\"row\":{\"name\":\"br0\",\"interfaces\":[\"named-uuid\",\"i\"]}},"
            + "{\"op\":\"insert\",\"table\":\"Bridge\",\"uuid-name\":\"b\",\"row\":{\"name\":\"br0\",\"ports\":[\"named-uuid\",\"p\"]}},"
            + "{\"op\":\"mutate\",\"table\":\"Open_vSwitch\",\"where\":[],\"mutations\":[[\"bridges\",\"insert\",[\"named-uuid\",\"b\"]]]}]";

    private OvsdbService db;
    private OvsdbService server;
    private final Map<String, Database> databases = new LinkedHashMap<>();

    @BeforeEach
    void open() throws Exception {
        db = new OvsdbService((Path) null);
        server = ServerDatabase.create(List.of(db));
        databases.put(db.name(), db);
        databases.put(server.name(), server);
    }

    @AfterEach
    void close() {
        server.close();
        db.close();
    }

    private record Case(String note, String request, String expected) {
    }

    private static List<Case> cases() throws Exception {
        List<Case> out = new ArrayList<>();
        try (InputStream in = TransactConformanceTest.class.getResourceAsStream("ovsdb-server-3.1-transact.txt")) {
            assertNotNull(in);
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String note = null;
            for (String line; (line = r.readLine()) != null; ) {
                if (line.startsWith("#") || line.isBlank()) {
                    continue;
                }
                if (line.startsWith("@")) {
                    note = line;
                    continue;
                }
                out.add(new Case(note, line, r.readLine()));
                note = null;
            }
        }
        return out;
    }

    private JsonNode transact(String params) throws Exception {
        JsonNode json = RawClient.JSON.readTree(params);
        Database target = databases.get(json.get(0).asText());
        Database.Result r = target.transact(json, new Database.Context(0, lock -> false, true));
        return r.pending() ? null : r.result();
    }

    /** The form the expectations were written in: sorted compact JSON, UUIDs renamed in order. */
    static String normalize(JsonNode result) {
        String text = OvsJson.toString(result, true);
        Map<String, String> names = new LinkedHashMap<>();
        Matcher m = UUID_TEXT.matcher(text);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String u = m.group();
            m.appendReplacement(sb, u.startsWith("2bb1b2c3") ? u : names.computeIfAbsent(u, k -> "U" + names.size()));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    @Test
    void resultsAndErrorsMatchOvsdbServer() throws Exception {
        assertTrue(transact(ADD_BR).toString().contains("\"count\":1"));
        int n = 0;
        for (Case c : cases()) {
            JsonNode result = transact(c.request());
            if ("@pending".equals(c.note())) {
                assertEquals(null, result, c.request());
                continue;
            }
            String actual = normalize(result);
            String expected = c.expected();
            if ("@any-unused-member".equals(c.note())) {
                actual = actual.replaceAll("Member '\\w+'", "Member 'X'");
                expected = expected.replaceAll("Member '\\w+'", "Member 'X'");
            } else if ("@any-row-order".equals(c.note())) {
                actual = normalize(sortRows(result));
                expected = normalize(sortRows(RawClient.JSON.readTree(expected)));
            }
            assertEquals(expected, actual, c.request());
            n++;
        }
        assertTrue(n > 100, n + " cases");
    }

    private static JsonNode sortRows(JsonNode result) {
        for (JsonNode op : result) {
            if (op.has("rows")) {
                List<JsonNode> rows = new ArrayList<>();
                op.get("rows").forEach(rows::add);
                rows.sort((a, b) -> a.toString().compareTo(b.toString()));
                ((ArrayNode) op.get("rows")).removeAll().addAll(rows);
            }
        }
        return result;
    }
}
