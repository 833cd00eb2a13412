package org.jvswitch.ovsdb.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.UUID;

import org.jvswitch.api.ovsdb.DbRow;
import org.jvswitch.api.ovsdb.DbSnapshot;
import org.jvswitch.api.ovsdb.DbTransaction;
import org.jvswitch.ovsdb.internal.DbFile.CompactionPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The database file: what survives a restart, a crash in the middle of a write, and compaction. */
class DurabilityTest {
    @TempDir
    Path dir;

    @Test
    void rowsSurviveReopen() throws Exception {
        Path file = dir.resolve("var/conf.db");
        UUID root;
        try (OvsdbService db = new OvsdbService(file)) {
            root = Vsctl.root(db.snapshot()).uuid();
            Vsctl.addBridge(db, "br0", "p1");
            DbTransaction t = db.begin();
            t.update("Open_vSwitch", root, Map.of("other_config", Map.of("dpdk-init", "true"), "next_cfg", 3));
            t.commit();
        }
        assertTrue(Files.exists(file), "parent directories are created");
        try (OvsdbService db = new OvsdbService(file)) {
            DbSnapshot s = db.snapshot();
            assertEquals(1, s.rows("Open_vSwitch").size(), "no second root row on reopen");
            DbRow r = Vsctl.root(s);
            assertEquals(root, r.uuid());
            assertEquals(3L, r.get("next_cfg"));
            assertEquals("true", r.getStringMap("other_config").get("dpdk-init"));
            DbRow br = s.find("Bridge", "name", "br0");
            assertNotNull(br);
            assertEquals(r.getSet("bridges"), java.util.Set.of(br.uuid()));
            assertEquals("dummy", s.find("Interface", "name", "p1").getString("type"));
            // Indexes and reference counts are rebuilt: garbage collection still works after reopen.
            Vsctl.delBridge(db, "br0");
            assertEquals(0, db.snapshot().rows("Interface").size());
        }
        try (OvsdbService db = new OvsdbService(file)) {
            assertNull(db.snapshot().find("Bridge", "name", "br0"));
            assertEquals(0, db.snapshot().rows("Port").size());
        }
    }

    @Test
    void ephemeralColumnsAreNotWritten() throws Exception {
        Path file = dir.resolve("conf.db");
        try (OvsdbService db = new OvsdbService(file)) {
            Vsctl.addBridge(db, "br0");
            long size = Files.size(file);
            DbTransaction t = db.begin();
            DbRow iface = t.view().find("Interface", "name", "br0");
            t.update("Interface", iface.uuid(), Map.of("link_state", "up", "statistics", Map.of("rx_packets", 5)));
            t.commit();
            assertEquals("up", db.snapshot().find("Interface", "name", "br0").getString("link_state"));
            assertEquals(size, Files.size(file), "a commit of ephemeral columns only writes nothing");
            t = db.begin();
            t.update("Interface", iface.uuid(), Map.of("ofport", 65534, "link_state", "down"));
            t.commit();
        }
        try (OvsdbService db = new OvsdbService(file)) {
            DbRow iface = db.snapshot().find("Interface", "name", "br0");
            assertEquals(65534L, iface.getLong("ofport", -1));
            assertEquals("", iface.getString("link_state"));
        }
    }

    @Test
    void tornLastRecordIsDroppedAndEarlierTransactionsKept() throws Exception {
        Path file = dir.resolve("conf.db");
        try (OvsdbService db = new OvsdbService(file)) {
            Vsctl.addBridge(db, "br0");
        }
        long good = Files.size(file);
        try (OvsdbService db = new OvsdbService(file)) {
            Vsctl.addBridge(db, "br1");
        }
        // A crash while writing the last record: only part of it reached the disk.
        truncate(file, Files.size(file) - 5);
        try (OvsdbService db = new OvsdbService(file)) {
            assertNotNull(db.snapshot().find("Bridge", "name", "br0"));
            assertNull(db.snapshot().find("Bridge", "name", "br1"));
            assertEquals(good, Files.size(file), "file truncated to the last good record");
            Vsctl.addBridge(db, "br2"); // and appending goes on from there
        }
        try (OvsdbService db = new OvsdbService(file)) {
            assertNotNull(db.snapshot().find("Bridge", "name", "br0"));
            assertNotNull(db.snapshot().find("Bridge", "name", "br2"));
        }
    }

    @Test
    void garbageAfterTheLastRecordIsDropped() throws Exception {
        Path file = dir.resolve("conf.db");
        try (OvsdbService db = new OvsdbService(file)) {
            Vsctl.addBridge(db, "br0");
        }
        long good = Files.size(file);
        Files.writeString(file, "OVSDB JSON 999 0123456789abcdef0123456789abcdef01234567\n{\"Bri",
                StandardOpenOption.APPEND);
        try (OvsdbService db = new OvsdbService(file)) {
            assertNotNull(db.snapshot().find("Bridge", "name", "br0"));
        }
        assertEquals(good, Files.size(file));
        Files.write(file, "this is not a record\n".getBytes(StandardCharsets.US_ASCII), StandardOpenOption.APPEND);
        try (OvsdbService db = new OvsdbService(file)) {
            assertNotNull(db.snapshot().find("Bridge", "name", "br0"));
        }
        assertEquals(good, Files.size(file));
    }

    @Test
    void recordWithBadChecksumIsDropped() throws Exception {
        Path file = dir.resolve("conf.db");
        try (OvsdbService db = new OvsdbService(file)) {
            Vsctl.addBridge(db, "br0");
            Vsctl.addBridge(db, "br1");
        }
        byte[] bytes = Files.readAllBytes(file);
        String text = new String(bytes, StandardCharsets.UTF_8);
        int at = text.lastIndexOf("br1");
        bytes[at + 2] = '7'; // flip a byte inside the last record: SHA-1 no longer matches
        Files.write(file, bytes);
        try (OvsdbService db = new OvsdbService(file)) {
            assertNotNull(db.snapshot().find("Bridge", "name", "br0"));
            assertNull(db.snapshot().find("Bridge", "name", "br1"));
            assertNull(db.snapshot().find("Bridge", "name", "br7"));
        }
    }

    @Test
    void damageInTheMiddleKeepsACopyOfTheFile() throws Exception {
        Path file = dir.resolve("conf.db");
        try (OvsdbService db = new OvsdbService(file)) {
            Vsctl.addBridge(db, "br0");
            Vsctl.addBridge(db, "br1");
            Vsctl.addBridge(db, "br2");
        }
        byte[] bytes = Files.readAllBytes(file);
        String text = new String(bytes, StandardCharsets.UTF_8);
        bytes[text.indexOf("br1") + 2] = '7';
        Files.write(file, bytes);
        try (OvsdbService db = new OvsdbService(file)) {
            assertNotNull(db.snapshot().find("Bridge", "name", "br0"));
            assertNull(db.snapshot().find("Bridge", "name", "br2"), "records after the damage are cut off");
        }
        try (var saved = Files.list(dir)) {
            Path copy = saved.filter(p -> p.getFileName().toString().startsWith("conf.db.corrupt-")).findFirst()
                    .orElseThrow();
            assertEquals(bytes.length, Files.size(copy), "the damaged file is kept for the operator");
        }
    }

    @Test
    void compactionKeepsTheContent() throws Exception {
        Path file = dir.resolve("conf.db");
        CompactionPolicy often = new CompactionPolicy(10, 2);
        try (OvsdbService db = new OvsdbService(file, often)) {
            for (int i = 0; i < 30; i++) {
                Vsctl.addBridge(db, "br" + i, "p" + i);
                if (i % 2 == 1) {
                    Vsctl.delBridge(db, "br" + (i - 1));
                }
            }
        }
        long records = countRecords(file);
        assertTrue(records < 30, "the log was compacted: " + records + " records");
        try (OvsdbService db = new OvsdbService(file, often)) {
            DbSnapshot s = db.snapshot();
            assertEquals(15, s.rows("Bridge").size());
            assertEquals(30, s.rows("Port").size());
            for (int i = 1; i < 30; i += 2) {
                assertNotNull(s.find("Bridge", "name", "br" + i), "br" + i);
                assertNull(s.find("Bridge", "name", "br" + (i - 1)), "br" + (i - 1));
            }
            db.compact();
            assertEquals(2, countRecords(file), "schema + one snapshot record");
        }
        try (OvsdbService db = new OvsdbService(file)) {
            assertEquals(15, db.snapshot().rows("Bridge").size());
            assertEquals(15, Vsctl.root(db.snapshot()).getSet("bridges").size());
        }
    }

    @Test
    void fileIsLockedWhileOpen() throws Exception {
        Path file = dir.resolve("conf.db");
        try (OvsdbService db = new OvsdbService(file)) {
            IOException e = assertThrows(IOException.class, () -> new OvsdbService(file));
            assertTrue(e.getMessage().contains("in use"), e.getMessage());
        }
        new OvsdbService(file).close();
    }

    @Test
    void anotherDatabaseIsRefused() throws Exception {
        Path file = dir.resolve("other.db");
        Files.write(file, DbLog.frame("{\"name\":\"OVN_Northbound\",\"version\":\"1.0.0\",\"tables\":{}}"
                .getBytes(StandardCharsets.UTF_8)));
        IOException e = assertThrows(IOException.class, () -> new OvsdbService(file));
        assertTrue(e.getMessage().contains("OVN_Northbound"), e.getMessage());
    }

    @Test
    void locationComesFromFrameworkProperties() {
        assertEquals(Path.of("/x/db"), DbLocation.resolve(Map.of("jvswitch.db.file", "/x/db",
                "jvswitch.var", "/v")::get));
        assertEquals(Path.of("/v/conf.db"), DbLocation.resolve(Map.of("jvswitch.var", "/v")::get));
        assertNull(DbLocation.resolve(Map.<String, String>of()::get));
    }

    static long countRecords(Path file) throws IOException {
        return Files.readAllLines(file, StandardCharsets.UTF_8).stream().filter(l -> l.startsWith("OVSDB JSON ")).count();
    }

    private static void truncate(Path file, long size) throws IOException {
        try (var ch = java.nio.channels.FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(size);
        }
    }
}
