package org.jvswitch.ovsdb.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.UUID;

import org.jvswitch.api.ovsdb.DbRow;
import org.jvswitch.api.ovsdb.DbSnapshot;
import org.jvswitch.api.ovsdb.DbTransaction;
import org.jvswitch.api.ovsdb.OvsdbException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Transactions as a user of the service sees them, on an in-memory database. */
class TransactionTest {
    private OvsdbService db;

    @BeforeEach
    void open() throws Exception {
        db = new OvsdbService((java.nio.file.Path) null);
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void newDatabaseHasOneEmptyOpenVswitchRow() {
        assertEquals("Open_vSwitch", db.name());
        assertEquals(1, db.snapshot().rows("Open_vSwitch").size());
        DbRow root = Vsctl.root(db.snapshot());
        assertEquals(Set.of(), root.getSet("bridges"));
        assertEquals(0L, root.get("next_cfg"));
        assertEquals(Map.of(), root.getStringMap("other_config"));
    }

    @Test
    void addBridgeIsVisibleAfterCommitWithCanonicalValues() throws Exception {
        Vsctl.addBridge(db, "br0", "p1", "p2");
        DbSnapshot s = db.snapshot();
        DbRow br = s.find("Bridge", "name", "br0");
        assertNotNull(br);
        assertEquals("netdev", br.getString("datapath_type"));
        assertTrue(br.get("ports") instanceof SortedSet<?>, "set columns are sorted sets");
        assertEquals(3, br.getSet("ports").size());
        assertTrue(br.get("other_config") instanceof SortedMap<?, ?>, "map columns are sorted maps");
        assertEquals(3, s.rows("Port").size());
        assertEquals(3, s.rows("Interface").size());
        assertEquals("dummy", s.find("Interface", "name", "p1").getString("type"));
        assertEquals(Set.of(br.uuid()), Vsctl.root(s).getSet("bridges"));
        // Unset optional columns hold empty sets; getters give defaults.
        assertEquals(-1, s.find("Interface", "name", "p1").getLong("ofport", -1));
    }

    @Test
    void removingBridgeFromOpenVswitchCollectsBridgePortsAndInterfaces() throws Exception {
        Vsctl.addBridge(db, "br0", "p1", "p2");
        Vsctl.addBridge(db, "br1", "q1");
        Vsctl.delBridge(db, "br0");
        DbSnapshot s = db.snapshot();
        assertNull(s.find("Bridge", "name", "br0"));
        assertNotNull(s.find("Bridge", "name", "br1"));
        assertEquals(2, s.rows("Port").size());
        assertEquals(2, s.rows("Interface").size());
        assertNull(s.find("Interface", "name", "p1"));
        assertNotNull(s.find("Interface", "name", "q1"));
    }

    @Test
    void rowsInsertedButNotReferencedAreCollectedAtCommit() throws Exception {
        DbTransaction t = db.begin();
        UUID port = Vsctl.insertPort(t, "orphan", "dummy");
        assertNotNull(t.view().row("Port", port), "the view shows the row before garbage collection");
        DbSnapshot after = t.commit();
        assertEquals(0, after.rows("Port").size());
        assertEquals(0, after.rows("Interface").size());
    }

    @Test
    void strongReferenceToMissingRowFailsAndChangesNothing() throws Exception {
        DbSnapshot before = db.snapshot();
        DbTransaction t = db.begin();
        UUID missing = UUID.fromString("11111111-1111-1111-1111-111111111111");
        UUID br = t.insert("Bridge", Map.of("name", "br0", "ports", Set.of(missing)));
        DbRow ovs = Vsctl.root(t.view());
        t.update("Open_vSwitch", ovs.uuid(), Map.of("bridges", br));
        OvsdbException e = assertThrows(OvsdbException.class, t::commit);
        assertEquals("referential integrity violation", e.error());
        assertEquals("Table Bridge column ports row " + br + " references nonexistent row " + missing
                + " in table Port.", e.details());
        assertSame(before, db.snapshot());
        assertEquals(0, db.snapshot().rows("Bridge").size());
    }

    @Test
    void portWithoutInterfacesReferencesTheAllZeroUuid() throws Exception {
        DbTransaction t = db.begin();
        UUID port = t.insert("Port", Map.of("name", "p"));
        UUID br = t.insert("Bridge", Map.of("name", "br0", "ports", port));
        t.update("Open_vSwitch", Vsctl.root(t.view()).uuid(), Map.of("bridges", br));
        OvsdbException e = assertThrows(OvsdbException.class, t::commit);
        assertEquals("referential integrity violation", e.error());
        assertTrue(e.details().contains("references nonexistent row 00000000-0000-0000-0000-000000000000"),
                e.details());
    }

    @Test
    void deletingAStronglyReferencedRowFails() throws Exception {
        UUID br = Vsctl.addBridge(db, "br0");
        DbTransaction t = db.begin();
        t.delete("Bridge", br);
        OvsdbException e = assertThrows(OvsdbException.class, t::commit);
        assertEquals("referential integrity violation", e.error());
        assertEquals("cannot delete Bridge row " + br + " because of 1 remaining reference(s)", e.details());
    }

    @Test
    void duplicateBridgeNameFailsWithIndexError() throws Exception {
        UUID br0 = Vsctl.addBridge(db, "br0");
        DbTransaction t = db.begin();
        UUID dup = t.insert("Bridge", Map.of("name", "br0"));
        DbRow ovs = Vsctl.root(t.view());
        t.update("Open_vSwitch", ovs.uuid(), Map.of("bridges", Set.of(br0, dup)));
        OvsdbException e = assertThrows(OvsdbException.class, t::commit);
        assertEquals("constraint violation", e.error());
        assertEquals("Transaction causes multiple rows in \"Bridge\" table to have identical values (br0) for index"
                + " on column \"name\".  First row, with UUID " + br0 + ", existed in the database before this"
                + " transaction and was not modified by the transaction.  Second row, with UUID " + dup
                + ", was inserted by this transaction.", e.details());
        assertEquals(1, db.snapshot().rows("Bridge").size());
    }

    @Test
    void duplicateNameOfAnUnreferencedRowIsCollectedBeforeTheIndexCheck() throws Exception {
        Vsctl.addBridge(db, "br0");
        DbTransaction t = db.begin();
        t.insert("Bridge", Map.of("name", "br0"));
        t.commit(); // as ovsdb-server: the unreferenced duplicate is garbage, not a clash
        assertEquals(1, db.snapshot().rows("Bridge").size());
    }

    @Test
    void twoNewRowsWithTheSameNameClash() throws Exception {
        DbTransaction t = db.begin();
        UUID a = Vsctl.insertPort(t, "same", "dummy");
        UUID b = Vsctl.insertPort(t, "same", "dummy");
        UUID br = t.insert("Bridge", Map.of("name", "br0", "ports", Set.of(a, b)));
        t.update("Open_vSwitch", Vsctl.root(t.view()).uuid(), Map.of("bridges", br));
        OvsdbException e = assertThrows(OvsdbException.class, t::commit);
        assertEquals("constraint violation", e.error());
        assertTrue(e.details().startsWith("Transaction causes multiple rows in \"Interface\" table")
                || e.details().startsWith("Transaction causes multiple rows in \"Port\" table"), e.details());
    }

    @Test
    void swappingIndexedValuesInOneTransactionIsAllowed() throws Exception {
        Vsctl.addBridge(db, "br0");
        DbTransaction t = db.begin();
        // Interface.name is immutable, so exercise a rename by delete + insert of the same name.
        DbRow port = t.view().find("Port", "name", "br0");
        DbRow bridge = t.view().find("Bridge", "name", "br0");
        UUID replacement = Vsctl.insertPort(t, "br0", "internal");
        t.update("Bridge", bridge.uuid(), Map.of("ports", replacement));
        t.commit();
        DbSnapshot s = db.snapshot();
        assertNull(s.row("Port", port.uuid()));
        assertEquals(replacement, s.find("Port", "name", "br0").uuid());
        assertEquals(1, s.rows("Interface").size());
    }

    @Test
    void secondOpenVswitchRowExceedsMaxRows() throws Exception {
        DbTransaction t = db.begin();
        t.insert("Open_vSwitch", Map.of());
        OvsdbException e = assertThrows(OvsdbException.class, t::commit);
        assertEquals("constraint violation", e.error());
        assertEquals("transaction causes \"Open_vSwitch\" table to contain 2 rows, greater than the"
                + " schema-defined limit of 1 row(s)", e.details());
    }

    @Test
    void immutableColumnCannotBeUpdated() throws Exception {
        UUID br = Vsctl.addBridge(db, "br0");
        DbTransaction t = db.begin();
        OvsdbException e = assertThrows(OvsdbException.class, () -> t.update("Bridge", br, Map.of("name", "x")));
        assertEquals("constraint violation", e.error());
        assertEquals("Cannot update immutable column name in table Bridge.", e.details());
    }

    @Test
    void valuesAreCheckedWhenGiven() throws Exception {
        DbTransaction t = db.begin();
        assertError("syntax error", "expected boolean",
                () -> t.insert("Bridge", Map.of("name", "x", "stp_enable", "yes")));
        assertError("constraint violation", "bogus is not one of the allowed values ([secure, standalone])",
                () -> t.insert("Bridge", Map.of("name", "x", "fail_mode", "bogus")));
        assertError("constraint violation", "foo is not one of the allowed values ([OpenFlow10, OpenFlow11,"
                        + " OpenFlow12, OpenFlow13, OpenFlow14, OpenFlow15])",
                () -> t.insert("Bridge", Map.of("name", "x", "protocols", List.of("OpenFlow10", "foo"))));
        assertError("constraint violation", "0 is not in the valid range 1 to 65279 (inclusive)",
                () -> t.insert("Interface", Map.of("name", "x", "ofport_request", 0)));
        assertError("constraint violation", "5000 is not in the valid range 0 to 4095 (inclusive)",
                () -> t.insert("Port", Map.of("name", "x", "tag", 5000L)));
        assertError("syntax error", "expected integer",
                () -> t.insert("Interface", Map.of("name", "x", "ofport_request", 1.5)));
        assertError("syntax error", "expected string",
                () -> t.insert("Interface", Map.of("name", "x", "options", Map.of("a", 1))));
        assertError("syntax error", "set must have 0 to 1 members but 2 are present",
                () -> t.insert("Bridge", Map.of("name", "x", "datapath_id", Set.of("a", "b"))));
        assertError("syntax error", "set must have 1 to 4294967295 members but 0 are present",
                () -> t.insert("Port", Map.of("name", "x", "interfaces", Set.of())));
        assertError("unknown table", "No table named Bridgex.", () -> t.insert("Bridgex", Map.of()));
        assertError("unknown column", "No column namex in table Bridge.",
                () -> t.insert("Bridge", Map.of("namex", "x")));
        // Nothing above reached the transaction.
        assertEquals(0, t.view().rows("Bridge").size());
    }

    @Test
    void valuesAreConvertedToTheCanonicalForm() throws Exception {
        DbTransaction t = db.begin();
        UUID i = t.insert("Interface", Map.of("name", "p", "ofport_request", 7,
                "options", Map.of("n_rxq", "2"), "mtu_request", List.of(9000)));
        DbRow row = t.view().row("Interface", i);
        assertEquals(Set.of(7L), row.get("ofport_request"), "optional integer: a one-element set of Long");
        assertEquals(7L, row.getLong("ofport_request", -1));
        assertEquals(Map.of("n_rxq", "2"), row.getStringMap("options"));
        assertEquals(9000L, row.getLong("mtu_request", 0));
        assertThrows(UnsupportedOperationException.class, () -> row.getSet("ofport_request").add(1L));
        assertThrows(IllegalArgumentException.class, () -> row.get("nope"));
        assertEquals(i, row.get("_uuid"));
    }

    @Test
    void updateAndDeleteOfMissingRowsFail() throws Exception {
        DbTransaction t = db.begin();
        UUID nobody = UUID.randomUUID();
        assertError("constraint violation", "No row " + nobody + " in table Bridge.",
                () -> t.update("Bridge", nobody, Map.of("stp_enable", true)));
        assertError("constraint violation", "No row " + nobody + " in table Bridge.", () -> t.delete("Bridge", nobody));
    }

    @Test
    void weakReferencesToDeletedRowsAreRemoved() throws Exception {
        Vsctl.addBridge(db, "br0", "p1", "p2");
        DbTransaction t = db.begin();
        DbSnapshot v = t.view();
        UUID p1 = v.find("Port", "name", "p1").uuid();
        UUID p2 = v.find("Port", "name", "p2").uuid();
        UUID ghost = UUID.randomUUID();
        UUID mirror = t.insert("Mirror", Map.of("name", "m0", "select_src_port", Set.of(p1, p2, ghost),
                "output_port", p2));
        DbRow br = v.find("Bridge", "name", "br0");
        t.update("Bridge", br.uuid(), Map.of("mirrors", mirror));
        t.commit();
        // The reference to a row that never existed was dropped silently at commit.
        assertEquals(Set.of(p1, p2), db.snapshot().row("Mirror", mirror).getSet("select_src_port"));

        // del-port p2: the Port goes (garbage), and so do the mirror's weak references to it.
        t = db.begin();
        br = t.view().find("Bridge", "name", "br0");
        Set<UUID> ports = new java.util.HashSet<>(br.getSet("ports"));
        ports.remove(p2);
        t.update("Bridge", br.uuid(), Map.of("ports", ports));
        t.commit();
        DbRow m = db.snapshot().row("Mirror", mirror);
        assertEquals(Set.of(p1), m.getSet("select_src_port"));
        assertEquals(Set.of(), m.getSet("output_port"));
        assertNull(db.snapshot().row("Port", p2));
    }

    @Test
    void concurrentCommitsAreReplayedInOrder() throws Exception {
        DbTransaction a = db.begin();
        DbTransaction b = db.begin();
        UUID root = Vsctl.root(db.snapshot()).uuid();
        a.update("Open_vSwitch", root, Map.of("other_config", Map.of("pmd-cpu-mask", "0x6")));
        b.update("Open_vSwitch", root, Map.of("external_ids", Map.of("hostname", "h1"), "next_cfg", 5));
        a.commit();
        b.commit(); // began before a's commit: replayed onto it, column by column
        DbRow r = Vsctl.root(db.snapshot());
        assertEquals("0x6", r.getStringMap("other_config").get("pmd-cpu-mask"));
        assertEquals("h1", r.getStringMap("external_ids").get("hostname"));
        assertEquals(5L, r.get("next_cfg"));
    }

    @Test
    void transactionIsSingleUse() throws Exception {
        DbTransaction t = db.begin();
        t.commit();
        assertThrows(IllegalStateException.class, t::commit);
        assertThrows(IllegalStateException.class, () -> t.insert("Bridge", Map.of()));
    }

    @Test
    void emptyTransactionDoesNotBumpTheVersion() throws Exception {
        long v = db.snapshot().version();
        DbTransaction t = db.begin();
        t.update("Open_vSwitch", Vsctl.root(t.view()).uuid(), Map.of("next_cfg", 0));
        assertEquals(v, t.commit().version());
    }

    @Test
    void snapshotsAreImmutable() throws Exception {
        DbSnapshot before = db.snapshot();
        Vsctl.addBridge(db, "br0", "p1");
        assertEquals(0, before.rows("Bridge").size());
        assertEquals(1, db.snapshot().rows("Bridge").size());
        assertTrue(db.snapshot().version() > before.version());
        assertThrows(IllegalArgumentException.class, () -> before.rows("Nope"));
    }

    @Test
    void tenThousandInterfacesAndCheapSmallCommits() throws Exception {
        DbTransaction t = db.begin();
        Set<UUID> ports = new java.util.HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            ports.add(Vsctl.insertPort(t, "p" + i, "dummy"));
        }
        UUID br = t.insert("Bridge", Map.of("name", "br0", "ports", ports));
        t.update("Open_vSwitch", Vsctl.root(t.view()).uuid(), Map.of("bridges", br));
        t.commit();
        assertEquals(10_000, db.snapshot().rows("Interface").size());

        long start = System.nanoTime();
        for (int i = 0; i < 1000; i++) {
            DbTransaction u = db.begin();
            DbRow iface = u.view().find("Interface", "name", "p" + i);
            u.update("Interface", iface.uuid(), Map.of("ofport", (long) i + 1, "link_state", "up"));
            u.commit();
        }
        long perCommitMicros = (System.nanoTime() - start) / 1000 / 1000;
        assertEquals(1L, db.snapshot().find("Interface", "name", "p0").getLong("ofport", -1));
        // Generous bound: a deep copy of 20,000 rows per commit would take far longer.
        assertTrue(perCommitMicros < 5_000, "a one-row commit took " + perCommitMicros + " us");

        Vsctl.delBridge(db, "br0");
        assertEquals(0, db.snapshot().rows("Interface").size());
    }

    private static void assertError(String error, String details, org.junit.jupiter.api.function.Executable op) {
        OvsdbException e = assertThrows(OvsdbException.class, op);
        assertEquals(error, e.error());
        assertEquals(details, e.details());
    }
}
