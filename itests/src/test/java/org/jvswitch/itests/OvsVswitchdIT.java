package org.jvswitch.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.jvswitch.itests.DropIn.ok;
import static org.jvswitch.itests.DropIn.pidOf;

import java.nio.file.Files;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.jvswitch.itests.Dist.Result;
import org.junit.jupiter.api.Test;

/**
 * jvswitch as a drop-in for ovs-vswitchd ({@link DropIn}): its command line, the real ovs-vsctl
 * (waiting for cur_cfg, without --no-wait) and ovs-appctl, a restart of ovsdb-server, and
 * --monitor restarting a crashed switch. The full ovs-vsctl command list runs against this layout
 * in {@link VsctlCommandsIT}.
 */
class OvsVswitchdIT {
    private static boolean sleep(long ms) throws InterruptedException {
        Thread.sleep(ms);
        return true;
    }

    private static void awaitVsctl(DropIn d, String expected, String... args) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        Result r;
        do {
            r = d.vsctl(args);
        } while (!(r.rc() == 0 && r.out().strip().equals(expected)) && System.nanoTime() < deadline && sleep(100));
        assertEquals(expected, r.out().strip(), r::toString);
    }

    @Test
    void dropsInForOvsVswitchdBesideDebiansOvsdbServer() throws Exception {
        try (DropIn d = new DropIn("jvs-dropin")) {
            String vswitchd = DropIn.DIST.resolve("bin/ovs-vswitchd").toString();
            Result r = ok(d.run(vswitchd, "--version"));
            assertTrue(r.out().startsWith("ovs-vswitchd (jvswitch) "), r::toString);
            r = d.run(vswitchd, "--no-such-option");
            assertEquals(1, r.rc(), r::toString);
            assertTrue(r.err().contains("unrecognized option '--no-such-option'"), r::toString);

            long t0 = System.nanoTime();
            ok(d.startSwitch("--monitor", "-vconsole:off", "-vfile:info", "--mlockall"));
            System.out.printf("ovs-vswitchd --detach: %d ms to an answering control socket%n",
                    (System.nanoTime() - t0) / 1_000_000);
            assertTrue(pidOf(d.switchPid).isPresent(), "pidfile " + d.switchPid);
            Optional<ProcessHandle> monitor = pidOf(d.monitorPid);
            assertTrue(monitor.isPresent(), "--monitor: a monitor process, " + d.monitorPid);

            r = ok(d.appctl("version"));
            assertTrue(r.out().startsWith("ovs-vswitchd (jvswitch) "), r::toString);

            // Without --no-wait: returns because jvswitch sets cur_cfg.
            ok(d.vsctl("add-br", "br0", "--", "set", "bridge", "br0", "datapath_type=netdev"));
            ok(d.vsctl("add-port", "br0", "p1", "--", "set", "Interface", "p1", "type=dummy"));
            // netdev-dummy is hot-deployed from deploy/ and may arrive just after start returned.
            awaitVsctl(d, "1", "get", "Interface", "p1", "ofport");
            awaitVsctl(d, "65534", "get", "Interface", "br0", "ofport");

            r = d.vsctl("add-port", "br0", "v1", "--", "set", "Interface", "v1", "type=dpdkvhostuser");
            String unknown = "could not create netdev v1 of unknown type dpdkvhostuser";
            assertTrue(r.err().contains("Error detected while setting up 'v1'") && r.err().contains(unknown),
                    r::toString);
            assertTrue(d.vsctl("get", "Interface", "v1", "error").out().contains(unknown));
            assertTrue(d.vsctl("get", "Open_vSwitch", ".", "iface_types").out().contains("dummy"));

            // ovsdb-server restarts: the switch reconnects, resynchronizes and keeps answering.
            DropIn.stop(pidOf(d.serverPid));
            ok(d.startOvsdbServer());
            ok(d.vsctl("add-port", "br0", "p2", "--", "set", "Interface", "p2", "type=dummy"));
            awaitVsctl(d, "2", "get", "Interface", "p2", "ofport");
            ok(d.vsctl("del-port", "br0", "p1"));
            r = ok(d.appctl("dpif/show"));
            assertTrue(r.out().contains("p2 2/") && !r.out().contains("p1 1/"), r::toString);
            assertTrue(Files.readString(d.log).contains("connected"));

            // --monitor: a crashed switch (SIGABRT, as a JVM crash ends) is started again and
            // rebuilds its configuration from ovsdb-server.
            long crashed = pidOf(d.switchPid).orElseThrow().pid();
            ok(d.run("kill", "-ABRT", Long.toString(crashed)));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            Optional<ProcessHandle> restarted;
            do {
                Thread.sleep(250);
                restarted = pidOf(d.switchPid).filter(p -> p.pid() != crashed && p.isAlive());
            } while ((restarted.isEmpty() || d.appctl("version").rc() != 0) && System.nanoTime() < deadline);
            assertTrue(restarted.isPresent(), "restarted after the crash");
            // The database still says ofport 2 from before the crash: ask the new switch itself.
            do {
                r = d.appctl("dpif/show");
            } while (!r.out().contains("p2 2/") && System.nanoTime() < deadline && sleep(100));
            assertTrue(r.out().contains("p2 2/"), r::toString);
            assertTrue(Files.readString(d.log).contains("1 crashes: pid " + crashed + " died, killed (Aborted), restarting"));

            // Stopping the switch itself (SIGTERM) is no crash: the monitor ends with it.
            DropIn.stop(restarted);
            monitor.get().onExit().get(30, TimeUnit.SECONDS);
            assertTrue(Files.readString(d.log).contains("died, killed (Terminated), exiting"));
            assertTrue(d.stopAll(), "the switch removed its pidfile on exit");
        }
    }
}
