package org.jvswitch.ovsdb.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.jvswitch.api.ovsdb.DbChange;
import org.jvswitch.api.ovsdb.DbSubscription;
import org.jvswitch.api.ovsdb.DbTransaction;
import org.jvswitch.api.ovsdb.OvsdbException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Change notifications: the initial state, then every commit in order, after it is durable. */
class ListenerTest {
    @TempDir
    Path dir;

    @Test
    void listenerSeesInitialStateThenInsertsAndDeletes() throws Exception {
        try (OvsdbService db = new OvsdbService((Path) null)) {
            List<DbChange> changes = new CopyOnWriteArrayList<>();
            DbSubscription sub = db.subscribe(changes::add);
            assertEquals(1, changes.size());
            DbChange initial = changes.get(0);
            assertEquals(0, initial.before().version());
            assertTrue(initial.before().rows("Open_vSwitch").isEmpty());
            assertSame(db.snapshot(), initial.after());
            assertEquals(Set.of(Vsctl.root(db.snapshot()).uuid()), initial.changed().get("Open_vSwitch"));

            UUID br = Vsctl.addBridge(db, "br0", "p1");
            DbChange add = changes.get(1);
            assertTrue(add.touches("Bridge") && add.touches("Port") && add.touches("Interface")
                    && add.touches("Open_vSwitch"));
            assertFalse(add.touches("Mirror"));
            assertNull(add.before().row("Bridge", br));
            assertNotNull(add.after().row("Bridge", br));
            assertSame(db.snapshot(), add.after());
            assertEquals(2, add.changed().get("Port").size());

            Vsctl.delBridge(db, "br0");
            DbChange del = changes.get(2);
            assertEquals(Set.of(br), del.changed().get("Bridge"), "garbage-collected rows are reported");
            assertEquals(2, del.changed().get("Interface").size());
            assertNull(del.after().row("Bridge", br));
            assertNotNull(del.before().row("Bridge", br));
            assertEquals(add.after(), del.before());

            sub.close();
            Vsctl.addBridge(db, "br1");
            assertEquals(3, changes.size());
        }
    }

    @Test
    void failingListenerDoesNotBreakTheCommitOrOtherListeners() throws Exception {
        try (OvsdbService db = new OvsdbService(dir.resolve("conf.db"))) {
            List<Long> seen = new CopyOnWriteArrayList<>();
            db.subscribe(c -> {
                throw new IllegalStateException("listener bug");
            });
            db.subscribe(c -> seen.add(c.after().version()));
            Vsctl.addBridge(db, "br0");
            assertEquals(List.of(db.snapshot().version() - 1, db.snapshot().version()), seen);
            assertNotNull(db.snapshot().find("Bridge", "name", "br0"));
        }
    }

    @Test
    void listenersRunAfterTheCommitIsDurableAndVisible() throws Exception {
        Path file = dir.resolve("conf.db");
        try (OvsdbService db = new OvsdbService(file)) {
            long[] sizeSeen = new long[1];
            boolean[] visible = new boolean[1];
            db.subscribe(c -> {
                try {
                    sizeSeen[0] = java.nio.file.Files.size(file);
                } catch (java.io.IOException e) {
                    throw new RuntimeException(e);
                }
                visible[0] = db.snapshot() == c.after();
            });
            long before = java.nio.file.Files.size(file);
            Vsctl.addBridge(db, "br0");
            assertTrue(sizeSeen[0] > before, "record written before the listener ran");
            assertTrue(visible[0], "snapshot() already returns the new state");
        }
    }

    @Test
    void listenerMayNotCommitSynchronously() throws Exception {
        try (OvsdbService db = new OvsdbService((Path) null)) {
            List<Throwable> errors = new CopyOnWriteArrayList<>();
            UUID root = Vsctl.root(db.snapshot()).uuid();
            db.subscribe(c -> {
                if (c.before().version() == 0) {
                    return;
                }
                try {
                    DbTransaction t = db.begin();
                    t.update("Open_vSwitch", root, Map.of("cur_cfg", c.after().version()));
                    t.commit();
                } catch (OvsdbException | RuntimeException e) {
                    errors.add(e);
                }
            });
            Vsctl.addBridge(db, "br0");
            assertEquals(1, errors.size());
            assertTrue(errors.get(0) instanceof IllegalStateException, errors.get(0).toString());
            assertNotNull(db.snapshot().find("Bridge", "name", "br0"));
        }
    }

    @Test
    void failedCommitNotifiesNobody() throws Exception {
        try (OvsdbService db = new OvsdbService((Path) null)) {
            List<DbChange> changes = new CopyOnWriteArrayList<>();
            db.subscribe(changes::add);
            DbTransaction t = db.begin();
            t.insert("Open_vSwitch", Map.of());
            try {
                t.commit();
            } catch (OvsdbException expected) {
                // maxRows
            }
            assertEquals(1, changes.size());
        }
    }

    @Test
    void commitsFromManyThreadsAreSerializedAndSeenInOrder() throws Exception {
        try (OvsdbService db = new OvsdbService((Path) null)) {
            List<Long> versions = new CopyOnWriteArrayList<>();
            db.subscribe(c -> versions.add(c.after().version()));
            UUID root = Vsctl.root(db.snapshot()).uuid();
            Thread[] threads = new Thread[4];
            for (int n = 0; n < threads.length; n++) {
                int id = n;
                threads[n] = new Thread(() -> {
                    for (int i = 0; i < 50; i++) {
                        try {
                            DbTransaction t = db.begin();
                            t.update("Open_vSwitch", root, Map.of("external_ids", Map.of("t" + id, "" + i)));
                            t.commit();
                        } catch (OvsdbException e) {
                            throw new AssertionError(e);
                        }
                    }
                });
                threads[n].start();
            }
            for (Thread t : threads) {
                t.join();
            }
            for (int i = 1; i < versions.size(); i++) {
                assertEquals(versions.get(i - 1) + 1, versions.get(i));
            }
            assertEquals(db.snapshot().version(), versions.get(versions.size() - 1));
        }
    }
}
