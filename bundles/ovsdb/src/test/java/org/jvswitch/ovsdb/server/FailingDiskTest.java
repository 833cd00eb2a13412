package org.jvswitch.ovsdb.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.jvswitch.api.ovsdb.DbRow;
import org.jvswitch.ovsdb.internal.OvsdbService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The disk under the database fails an fdatasync (a real one: {@link FailingDisk}). The commit
 * that needed it is refused with the reason, readers keep the last acknowledged state, every
 * later commit is refused until the switch is restarted (nobody knows what of the unforced tail
 * reached the disk), and after the disk is repaired the database holds exactly what was
 * acknowledged.
 */
class FailingDiskTest {
    private static Proc.Result vsctl(Path socket, String... args) {
        List<String> cmd = new ArrayList<>(List.of(Proc.OVS_VSCTL.toString(), "--db=unix:" + socket, "--no-wait",
                "--timeout=10"));
        cmd.addAll(List.of(args));
        return Proc.run(Duration.ofSeconds(30), cmd);
    }

    @Test
    void aFailedFdatasyncRefusesItsCommitAndEveryLaterOne(@TempDir Path tmp) throws Exception {
        Path socket = tmp.resolve("db.sock");
        try (FailingDisk disk = FailingDisk.create(tmp)) {
            Path file = disk.path().resolve("conf.db");
            try (OvsdbService db = new OvsdbService(file);
                 OvsdbServer server = new OvsdbServer(db, ServerConfig.of("punix:" + socket))) {
                assertEquals(0, vsctl(socket, "add-br", "br0").rc());

                disk.fill();
                // Larger than a block, so the record needs blocks the disk has not written before.
                Proc.Result refused = vsctl(socket, "add-br", "br1", "--", "set", "Bridge", "br1",
                        "external_ids:filler=" + "x".repeat(16_384));
                assertNotEquals(0, refused.rc(), refused.toString());
                assertTrue(refused.err().contains("\"error\":\"I/O error\"")
                        && refused.err().contains(file + ": cannot force transactions to disk ("), refused.err());
                assertEquals("br0\n", vsctl(socket, "list-br").out(), "readers keep the acknowledged state");

                disk.free();
                Proc.Result later = vsctl(socket, "add-br", "br2", "--", "set", "Bridge", "br2",
                        "external_ids:filler=" + "x".repeat(16_384));
                assertNotEquals(0, later.rc(), later.toString());
                assertTrue(later.err().contains("no commit is accepted until jvswitch is restarted on a working disk"),
                        later.err());
                assertEquals("br0\n", vsctl(socket, "list-br").out());
            }
            disk.remount();
            try (OvsdbService db = new OvsdbService(file)) {
                List<String> bridges = db.snapshot().rows("Bridge").stream().map(r -> r.getString("name")).toList();
                assertEquals(List.of("br0"), bridges, "exactly the acknowledged commits after the repair");
            }
        }
    }
}
