package org.jvswitch.vsctl.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** The wait for the switch (next_cfg/cur_cfg), its timeout, the check of new interfaces, and wait-until. */
class WaitTest extends VsctlFixture {
    @Test
    void waitsUntilTheSwitchHasAppliedTheChange() throws Exception {
        try (SimulatedSwitch sw = new SimulatedSwitch(db)) {
            assertEquals(new VsctlResult("", "", 0), run("add-br", "br0"));
            assertEquals("1\n1\n", ok("get", "Open_vSwitch", ".", "next_cfg", "cur_cfg"));
            assertEquals("65534\n", ok("get", "Interface", "br0", "ofport"),
                    "vsctl returned after the switch's update");
            assertEquals(new VsctlResult("", "", 0), run("add-port", "br0", "p1"));
            assertEquals("2\n2\n1\n", ok("get", "Open_vSwitch", ".", "next_cfg", "cur_cfg", "--", "get", "Interface",
                    "p1", "ofport"));
        }
    }

    @Test
    void reportsInterfacesTheSwitchCouldNotCreate() throws Exception {
        try (SimulatedSwitch sw = new SimulatedSwitch(db)) {
            run("add-br", "br0");
            VsctlResult r = run("add-port", "br0", "p1", "--", "set", "Interface", "p1", "type=bogus");
            assertEquals(new VsctlResult("", "ovs-vsctl: Error detected while setting up 'p1': could not create netdev"
                    + " p1 of unknown type bogus.  See ovs-vswitchd log for details.\n"
                    + "ovs-vsctl: The default log directory is \"/var/log/openvswitch\".\n", 0), r);
        }
    }

    @Test
    void reportsInterfacesWithoutErrorText() {
        // A switch that sets ofport=-1 but no error text.
        db.subscribe(change -> {
            for (var ovs : change.after().rows("Open_vSwitch")) {
                if (ovs.getLong("next_cfg", 0) > ovs.getLong("cur_cfg", 0)) {
                    CompletableFuture.runAsync(() -> db.apply(t -> {
                        for (var iface : t.view().rows("Interface")) {
                            t.update("Interface", iface.uuid(), Map.of("ofport", -1L));
                        }
                        t.update("Open_vSwitch", ovs.uuid(), Map.of("cur_cfg", ovs.getLong("next_cfg", 0)));
                    }));
                }
            }
        });
        VsctlResult r = run("add-br", "br0");
        assertEquals(new VsctlResult("", "ovs-vsctl: Error detected while setting up 'br0'.  See ovs-vswitchd log for"
                + " details.\novs-vsctl: The default log directory is \"/var/log/openvswitch\".\n", 0), r);
    }

    @Test
    void timeoutWhenTheSwitchDoesNotAnswer() {
        long start = System.nanoTime();
        VsctlResult r = run("--timeout=1", "add-br", "br0");
        assertEquals(new VsctlResult("", "ovs-vsctl: timeout after 1 seconds\n", 142), r);
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(900));
        assertEquals("br0\n", ok("list-br"), "the change was committed; only the wait failed");
        assertEquals("1\n0\n", ok("get", "Open_vSwitch", ".", "next_cfg", "cur_cfg"));
    }

    @Test
    void defaultTimeoutIsTheConfiguredOne() {
        // The fixture's Vsctl waits at most 1 second without --timeout (30 s by default).
        assertEquals(new VsctlResult("", "ovs-vsctl: timeout after 1 seconds\n", 142), run("add-br", "br0"));
    }

    @Test
    void outputIsPrintedBeforeTheWait() {
        VsctlResult r = run("--timeout=1", "add-br", "br0", "--", "list-br");
        assertEquals(new VsctlResult("br0\n", "ovs-vsctl: timeout after 1 seconds\n", 142), r);
    }

    @Test
    void waitUntilRunsAgainAfterEachChange() throws Exception {
        ok("add-br", "br0");
        CompletableFuture<VsctlResult> waiting = CompletableFuture.supplyAsync(
                () -> run("--no-wait", "--timeout=10", "wait-until", "Bridge", "br0", "other_config:ready=yes", "--",
                        "get", "Bridge", "br0", "other_config:ready"));
        Thread.sleep(200);
        assertTrue(!waiting.isDone());
        ok("set", "Bridge", "br0", "other_config:ready=no");
        Thread.sleep(100);
        assertTrue(!waiting.isDone());
        ok("set", "Bridge", "br0", "other_config:ready=yes");
        assertEquals(new VsctlResult("yes\n", "", 0), waiting.get(5, TimeUnit.SECONDS));
    }

    @Test
    void waitUntilForARowThatDoesNotExistYet() throws Exception {
        CompletableFuture<VsctlResult> waiting = CompletableFuture.supplyAsync(
                () -> run("--no-wait", "--timeout=10", "wait-until", "Bridge", "br0"));
        Thread.sleep(200);
        ok("add-br", "br0");
        assertEquals(new VsctlResult("", "", 0), waiting.get(5, TimeUnit.SECONDS));
    }

    @Test
    void waitUntilTimesOut() {
        assertEquals(new VsctlResult("", "ovs-vsctl: timeout after 1 seconds\n", 142),
                run("--no-wait", "--timeout=1", "wait-until", "Bridge", "br0"));
    }

    @Test
    void simulatedSwitchSeesOneTransactionPerInvocation() throws Exception {
        try (SimulatedSwitch sw = new SimulatedSwitch(db)) {
            long before = db.snapshot().version();
            run("add-br", "br0", "--", "add-port", "br0", "p1", "--", "add-port", "br0", "p2");
            // One commit by vsctl and one by the switch.
            assertEquals(before + 2, db.snapshot().version());
            UUID ovs = db.snapshot().rows("Open_vSwitch").iterator().next().uuid();
            assertEquals(1L, db.snapshot().row("Open_vSwitch", ovs).getLong("cur_cfg", 0));
        }
    }
}
