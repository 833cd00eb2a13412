package org.jvswitch.ovsdb.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.jvswitch.api.ovsdb.DbRow;
import org.jvswitch.api.ovsdb.DbTransaction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debian's real ovs-vsctl against the server. Expected outputs are those Debian's ovsdb-server
 * gives for the same commands (checked side by side with ovsdb-server 3.1 on a scratch database).
 */
class VsctlTest {
    @TempDir
    Path tmp;
    private ServerFixture f;

    @BeforeEach
    void start() throws Exception {
        assumeTrue(Proc.haveOvsClients(), "Debian's openvswitch-common/-switch are not installed");
        f = new ServerFixture(tmp);
    }

    @AfterEach
    void stop() throws Exception {
        if (f != null) {
            f.close();
        }
    }

    private static void ok(Proc.Result r, String out) {
        assertEquals(0, r.rc(), r::toString);
        assertEquals(out, r.out(), r::toString);
        assertEquals("", r.err(), r::toString);
    }

    private static void fails(Proc.Result r, int rc, String err) {
        assertEquals(rc, r.rc(), r::toString);
        assertEquals("", r.out(), r::toString);
        assertEquals(err, r.err(), r::toString);
    }

    @Test
    void bridgesAndPorts() {
        ok(f.nowait("init"), "");
        ok(f.nowait("add-br", "br0"), "");
        ok(f.nowait("add-br", "br1", "--", "set", "bridge", "br1", "datapath_type=netdev"), "");
        ok(f.nowait("add-port", "br0", "p1", "--", "set", "Interface", "p1", "type=dummy", "options:n_rxq=2",
                "options:foo=bar"), "");
        ok(f.nowait("add-port", "br0", "p2"), "");
        ok(f.nowait("list-br"), "br0\nbr1\n");
        ok(f.nowait("list-ports", "br0"), "p1\np2\n");
        ok(f.nowait("list-ports", "br1"), "");
        ok(f.nowait("iface-to-br", "p1"), "br0\n");
        ok(f.nowait("port-to-br", "p2"), "br0\n");
        ok(f.nowait("br-exists", "br0"), "");
        fails(f.nowait("br-exists", "nope"), 2, "");
        ok(f.nowait("get", "bridge", "br1", "datapath_type"), "netdev\n");
        ok(f.nowait("get", "Interface", "p1", "type", "options"), "dummy\n{foo=bar, n_rxq=\"2\"}\n");

        fails(f.nowait("add-br", "br0"), 1,
                "ovs-vsctl: cannot create a bridge named br0 because a bridge named br0 already exists\n");
        ok(f.nowait("--may-exist", "add-br", "br0"), "");
        fails(f.nowait("add-port", "br0", "p1"), 1,
                "ovs-vsctl: cannot create a port named p1 because a port named p1 already exists on bridge br0\n");
        ok(f.nowait("--may-exist", "add-port", "br0", "p1"), "");

        ok(f.nowait("del-port", "br0", "p2"), "");
        fails(f.nowait("del-port", "br0", "p2"), 1, "ovs-vsctl: no port named p2\n");
        ok(f.nowait("--if-exists", "del-port", "br0", "p2"), "");
        fails(f.nowait("del-br", "nope"), 1, "ovs-vsctl: no bridge named nope\n");
        ok(f.nowait("--if-exists", "del-br", "nope"), "");
        ok(f.nowait("del-br", "br1"), "");
        ok(f.nowait("list-br"), "br0\n");

        // Garbage collection removed what del-port and del-br only unreferenced.
        assertEquals(Set.of("br0", "p1"), names("Port"));
        assertEquals(Set.of("br0", "p1"), names("Interface"));
    }

    private Set<String> names(String table) {
        return f.db.snapshot().rows(table).stream().map(r -> r.getString("name"))
                .collect(java.util.stream.Collectors.toSet());
    }

    @Test
    void databaseCommands() {
        ok(f.nowait("add-br", "br0", "--", "add-port", "br0", "p1", "--", "set", "Interface", "p1", "type=dummy"), "");
        ok(f.nowait("set", "Interface", "p1", "options:n_rxq=4", "mtu_request=9000"), "");
        ok(f.nowait("get", "Interface", "p1", "options", "mtu_request"), "{n_rxq=\"4\"}\n9000\n");
        ok(f.nowait("get", "Interface", "p1", "options:n_rxq"), "\"4\"\n");
        fails(f.nowait("get", "Interface", "p1", "options:nokey"), 1,
                "ovs-vsctl: no key \"nokey\" in Interface record \"p1\" column options\n");
        fails(f.nowait("get", "Interface", "nope", "type"), 1, "ovs-vsctl: no row \"nope\" in table Interface\n");
        ok(f.nowait("--if-exists", "get", "Interface", "nope", "type"), "");
        fails(f.nowait("set", "Interface", "p1", "nocolumn=1"), 1,
                "ovs-vsctl: Interface does not contain a column whose name matches \"nocolumn\"\n");
        // Checked by the server: the error is ovsdb-server's, relayed by ovs-vsctl.
        fails(f.nowait("set", "Interface", "p1", "ofport_request=0"), 1,
                "ovs-vsctl: constraint violation: 0 is not in the valid range 1 to 65279 (inclusive)\n");
        fails(f.nowait("set", "Port", "p1", "tag=5000"), 1,
                "ovs-vsctl: constraint violation: 5000 is not in the valid range 0 to 4095 (inclusive)\n");

        ok(f.nowait("set", "Bridge", "br0", "other_config:a=1", "other_config:b=2", "external_ids:x=y"), "");
        ok(f.nowait("remove", "Bridge", "br0", "other_config", "a"), "");
        ok(f.nowait("get", "Bridge", "br0", "other_config"), "{b=\"2\"}\n");
        ok(f.nowait("add", "Bridge", "br0", "flood_vlans", "10", "20"), "");
        ok(f.nowait("add", "Bridge", "br0", "flood_vlans", "30"), "");
        ok(f.nowait("get", "Bridge", "br0", "flood_vlans"), "[10, 20, 30]\n");
        ok(f.nowait("remove", "Bridge", "br0", "flood_vlans", "20"), "");
        ok(f.nowait("get", "Bridge", "br0", "flood_vlans"), "[10, 30]\n");
        ok(f.nowait("clear", "Bridge", "br0", "flood_vlans", "other_config"), "");
        ok(f.nowait("get", "Bridge", "br0", "flood_vlans", "other_config"), "[]\n{}\n");

        ok(f.nowait("--columns=name,type", "find", "Interface", "type=dummy"), "name                : p1\n"
                + "type                : dummy\n");
        ok(f.nowait("--bare", "--columns=name", "find", "Interface", "type=internal"), "br0\n");
        Proc.Result list = f.nowait("list", "Open_vSwitch");
        assertEquals(0, list.rc(), list::toString);
        assertTrue(list.out().contains("next_cfg            : 0\n"), list::toString);

        Proc.Result created = f.nowait("create", "Queue", "dscp=5");
        assertEquals(0, created.rc(), created::toString);
        String queue = created.out().strip();
        UUID.fromString(queue);
        ok(f.nowait("get", "Queue", queue, "dscp"), "5\n");
        ok(f.nowait("destroy", "Queue", queue), "");
        fails(f.nowait("destroy", "Queue", queue), 1, "ovs-vsctl: no row \"" + queue + "\" in table Queue\n");
        ok(f.nowait("--if-exists", "destroy", "Queue", queue), "");
        assertTrue(f.db.snapshot().rows("Queue").isEmpty());
    }

    @Test
    void showManagerControllerEmerReset() {
        ok(f.nowait("add-br", "br0", "--", "add-port", "br0", "p1", "--", "set", "Interface", "p1", "type=dummy",
                "options:n_rxq=4", "--", "set", "Port", "p1", "tag=5"), "");
        Proc.Result show = f.nowait("show");
        assertEquals(0, show.rc(), show::toString);
        String uuid = f.db.snapshot().rows("Open_vSwitch").iterator().next().uuid().toString();
        assertTrue(show.out().startsWith(uuid + "\n    Bridge br0\n"), show::toString);
        assertTrue(show.out().contains("        Port p1\n            tag: 5\n            Interface p1\n"
                + "                type: dummy\n                options: {n_rxq=\"4\"}\n"), show::toString);
        assertTrue(show.out().contains("        Port br0\n            Interface br0\n                type: internal\n"),
                show::toString);

        ok(f.nowait("set-manager", "ptcp:6641", "ptcp:6642"), "");
        ok(f.nowait("get-manager"), "ptcp:6641\nptcp:6642\n");
        ok(f.nowait("set-controller", "br0", "tcp:127.0.0.1:6653"), "");
        ok(f.nowait("get-controller", "br0"), "tcp:127.0.0.1:6653\n");
        ok(f.nowait("set-fail-mode", "br0", "secure"), "");
        ok(f.nowait("get-fail-mode", "br0"), "secure\n");
        ok(f.nowait("br-set-external-id", "br0", "k", "v"), "");
        ok(f.nowait("br-get-external-id", "br0"), "k=v\n");
        assertEquals(2, f.db.snapshot().rows("Manager").size());
        assertEquals(1, f.db.snapshot().rows("Controller").size());

        ok(f.nowait("emer-reset"), "");
        ok(f.nowait("get-manager"), "");
        ok(f.nowait("get-controller", "br0"), "");
        ok(f.nowait("get-fail-mode", "br0"), "");
        ok(f.nowait("list-br"), "br0\n");
        // Unreferenced Manager and Controller rows are garbage collected.
        assertTrue(f.db.snapshot().rows("Manager").isEmpty());
        assertTrue(f.db.snapshot().rows("Controller").isEmpty());

        ok(f.nowait("del-manager"), "");
        ok(f.nowait("del-controller", "br0"), "");
    }

    @Test
    void withoutNoWaitReturnsOnceTheSwitchAppliedTheChange() {
        f.simulateSwitch();
        ok(f.vsctl("add-br", "br0", "--", "set", "bridge", "br0", "datapath_type=netdev"), "");
        ok(f.vsctl("add-port", "br0", "p1", "--", "set", "Interface", "p1", "type=dummy"), "");
        DbRow root = f.db.snapshot().rows("Open_vSwitch").iterator().next();
        assertEquals(root.get("next_cfg"), root.get("cur_cfg"));
        assertEquals(2L, root.get("next_cfg"));
        assertEquals(Set.of(65534L), f.db.snapshot().find("Interface", "name", "br0").getSet("ofport"));
        assertEquals(Set.of(1L), f.db.snapshot().find("Interface", "name", "p1").getSet("ofport"));
        ok(f.vsctl("list-ports", "br0"), "p1\n");
        ok(f.vsctl("del-br", "br0"), "");
    }

    @Test
    void reportsInterfaceErrorsTheSwitchWritesBack() throws Exception {
        // The switch's side, by hand: it could not open the port, and says why in the row.
        Thread helper = Thread.ofVirtual().start(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    DbRow p1 = f.db.snapshot().find("Interface", "name", "p1");
                    if (p1 != null) {
                        DbTransaction t = f.db.begin();
                        DbRow root = t.view().rows("Open_vSwitch").iterator().next();
                        t.update("Interface", p1.uuid(), Map.of("ofport", -1L,
                                "error", "could not create netdev p1 of unknown type dpdkvhostuser"));
                        t.update("Open_vSwitch", root.uuid(), Map.of("cur_cfg", root.get("next_cfg")));
                        t.commit();
                        return;
                    }
                    Thread.sleep(20);
                }
            } catch (InterruptedException e) {
                // the test is over
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        try {
            f.nowait("add-br", "br0");
            Proc.Result r = f.vsctl("add-port", "br0", "p1", "--", "set", "Interface", "p1", "type=dpdkvhostuser");
            assertEquals(0, r.rc(), r::toString);
            assertTrue(r.err().contains("ovs-vsctl: Error detected while setting up 'p1': could not create netdev p1"
                    + " of unknown type dpdkvhostuser.  See ovs-vswitchd log for details."), r::toString);
        } finally {
            helper.interrupt();
            helper.join();
        }
    }

    @Test
    void timesOutWhenNoSwitchAppliesTheChange() {
        long start = System.nanoTime();
        Proc.Result r = f.vsctl("--timeout=1", "add-br", "br0");
        assertEquals(142, r.rc(), r::toString);
        assertTrue(r.err().contains("terminating with signal 14 (Alarm clock)"), r::toString);
        assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() < 10_000);
        // The change itself was committed; only the switch's acknowledgement is missing.
        assertEquals(List.of("br0"), f.db.snapshot().rows("Bridge").stream().map(b -> b.getString("name")).toList());
    }

    @Test
    void inProcessAndWireClientsSeeEachOthersChanges() throws Exception {
        ok(f.nowait("add-br", "br0"), "");
        DbRow br0 = f.db.snapshot().find("Bridge", "name", "br0");
        assertFalse(br0 == null);
        DbTransaction t = f.db.begin();
        t.update("Bridge", br0.uuid(), Map.of("external_ids", Map.of("from", "shell")));
        t.commit();
        ok(f.nowait("br-get-external-id", "br0", "from"), "shell\n");
        ok(f.nowait("br-set-external-id", "br0", "from", "vsctl"), "");
        assertEquals(Map.of("from", "vsctl"), f.db.snapshot().find("Bridge", "name", "br0").getStringMap("external_ids"));
    }
}
