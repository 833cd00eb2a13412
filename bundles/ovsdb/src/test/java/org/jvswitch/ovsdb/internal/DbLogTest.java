package org.jvswitch.ovsdb.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class DbLogTest {
    private static byte[] json(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * After a failed force the database cuts off what was written since the last good one
     * ({@link DbLog#discardUnforced}): reopened, the log holds the forced records only, also
     * when a compaction came between (it forces the whole new file).
     */
    @Test
    void discardUnforcedLeavesOnlyForcedRecords(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path file = dir.resolve("log.db");
        try (DbLog log = DbLog.open(file, java.util.List.of(json("{\"schema\":1}")), new java.util.ArrayList<>())) {
            log.write(json("{\"a\":1}"));
            log.force();
            log.write(json("{\"b\":2}"));
            log.discardUnforced();
            log.replace(java.util.List.of(json("{\"schema\":1}"), json("{\"c\":3}")));
            log.write(json("{\"d\":4}"));
            log.discardUnforced();
            log.write(json("{\"e\":5}"));
            log.force();
        }
        java.util.List<DbLog.Record> records = new java.util.ArrayList<>();
        DbLog.open(file, java.util.List.of(), records).close();
        assertEquals(java.util.List.of("{\"schema\":1}", "{\"c\":3}", "{\"e\":5}"),
                records.stream().map(r -> r.json().toString()).toList());
    }

    @Test
    void recordFramingMatchesOpenVswitch() {
        // A record written by ovsdb-tool 3.1.0 (transact with a comment), header and all.
        String json = "{\"_date\":1795732143784,\"_is_diff\":true,\"Open_vSwitch\":"
                + "{\"686364d3-e4a5-4839-bb40-9c3c625d643f\":{}},\"_comment\":\"hello\"}";
        String framed = new String(DbLog.frame(json.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
        assertEquals("OVSDB JSON 118 e814e9dfe6f2229d148eb847c09f2e226f724a7b\n" + json + "\n", framed);
    }
}
