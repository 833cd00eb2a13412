package org.jvswitch.ovsdb.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class DbLogTest {
    @Test
    void recordFramingMatchesOpenVswitch() {
        // A record written by ovsdb-tool 3.1.0 (transact with a comment), header and all.
        String json = "{\"_date\":1795732143784,\"_is_diff\":true,\"Open_vSwitch\":"
                + "{\"686364d3-e4a5-4839-bb40-9c3c625d643f\":{}},\"_comment\":\"hello\"}";
        String framed = new String(DbLog.frame(json.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
        assertEquals("OVSDB JSON 118 e814e9dfe6f2229d148eb847c09f2e226f724a7b\n" + json + "\n", framed);
    }
}
