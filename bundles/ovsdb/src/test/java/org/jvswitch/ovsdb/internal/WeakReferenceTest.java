package org.jvswitch.ovsdb.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.jvswitch.api.ovsdb.DbSchema;
import org.jvswitch.api.ovsdb.DbTransaction;
import org.jvswitch.api.ovsdb.OvsdbException;
import org.jvswitch.ovsdb.internal.DbFile.CompactionPolicy;
import org.junit.jupiter.api.Test;

/** Weak references whose cleanup would leave a column too small; the vswitch schema has none. */
class WeakReferenceTest {
    private static final DbSchema SCHEMA = SchemaReader.read("{\"name\":\"T\",\"version\":\"1.0.0\",\"tables\":{"
            + "\"A\":{\"isRoot\":true,\"columns\":{"
            + "\"w\":{\"type\":{\"key\":{\"type\":\"uuid\",\"refTable\":\"B\",\"refType\":\"weak\"},\"min\":1,\"max\":2}},"
            + "\"ws\":{\"type\":{\"key\":{\"type\":\"uuid\",\"refTable\":\"B\",\"refType\":\"weak\"},\"min\":0,"
            + "\"max\":\"unlimited\"}},"
            + "\"wm\":{\"type\":{\"key\":\"string\",\"value\":{\"type\":\"uuid\",\"refTable\":\"B\",\"refType\":\"weak\"},"
            + "\"min\":0,\"max\":\"unlimited\"}}}},"
            + "\"B\":{\"isRoot\":true,\"columns\":{\"n\":{\"type\":\"integer\"}}}}}");

    @Test
    void cleanupBelowMinimumFailsAndAboveItSucceeds() throws Exception {
        try (OvsdbService db = new OvsdbService(null, SCHEMA, CompactionPolicy.DEFAULT, DbSync.ALWAYS)) {
            DbTransaction t = db.begin();
            UUID b1 = t.insert("B", Map.of("n", 1));
            UUID b2 = t.insert("B", Map.of("n", 2));
            UUID a = t.insert("A", Map.of("w", Set.of(b1), "ws", Set.of(b1, b2), "wm", Map.of("x", b1, "y", b2)));
            t.commit();

            t = db.begin();
            t.delete("B", b2);
            t.commit();
            assertEquals(Set.of(b1), db.snapshot().row("A", a).getSet("ws"));
            assertEquals(Map.of("x", b1), db.snapshot().row("A", a).getMap("wm"));

            DbTransaction t2 = db.begin();
            t2.delete("B", b1);
            OvsdbException e = assertThrows(OvsdbException.class, t2::commit);
            assertEquals("constraint violation", e.error());
            assertEquals("Deletion of 1 weak reference(s) to deleted (or never-existing) rows from column \"w\" in"
                    + " \"A\" row " + a + " caused this column to become empty, but constraints on this column"
                    + " disallow an empty column.", e.details());
            assertEquals(1, db.snapshot().rows("B").size());
        }
    }

    @Test
    void defaultAllZerosWeakReferenceInAnInsertedRow() throws Exception {
        try (OvsdbService db = new OvsdbService(null, SCHEMA, CompactionPolicy.DEFAULT, DbSync.ALWAYS)) {
            DbTransaction t = db.begin();
            UUID a = t.insert("A", Map.of());
            OvsdbException e = assertThrows(OvsdbException.class, t::commit);
            assertEquals("constraint violation", e.error());
            assertEquals("Weak reference column \"w\" in \"A\" row " + a + " (inserted within this transaction)"
                    + " contained all-zeros UUID (probably as the default value for this column) but deleting this"
                    + " value caused a constraint violation because this column is not allowed to be empty.",
                    e.details());
        }
    }
}
