package org.jvswitch.ctl.json;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

class JsonWriterTest {
    @Test
    void escapesLikeOpenVswitch() {
        assertEquals("\"a\\\"b\\\\c\\n\\t\\u0001\u00e9\"", JsonWriter.toJson("a\"b\\c\n\t\u0001\u00e9"));
    }

    @Test
    void writesObjectsInOrder() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", new JsonNumber("7"));
        m.put("result", "x\n");
        m.put("error", null);
        m.put("list", Arrays.asList("a", true, 3L));
        assertEquals("{\"id\":7,\"result\":\"x\\n\",\"error\":null,\"list\":[\"a\",true,3]}", JsonWriter.toJson(m));
    }

    @Test
    void roundTrips() throws IOException {
        String s = "line1\nline2 \u00fc \uD83D\uDE00 \u0000 \"q\"";
        String json = JsonWriter.toJson(Map.of("k", s));
        Object back = new JsonReader(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), 1000).read();
        assertEquals(Map.of("k", s), back);
    }
}
