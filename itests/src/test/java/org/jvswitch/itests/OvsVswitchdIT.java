package org.jvswitch.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * jvswitch as a drop-in for ovs-vswitchd: Debian's ovsdb-server on a database made by
 * {@code ovsdb-tool create} from Debian's vswitch.ovsschema, and {@code bin/ovs-vswitchd} started
 * with ovs-vswitchd's command line as its client; then the real ovs-vsctl (waiting for cur_cfg,
 * without --no-wait) and ovs-appctl. Everything started is stopped by PID, also on failure.
 */
class OvsVswitchdIT {
    private static final Path DIST = Path.of(System.getProperty("jvswitch.dist", "../runtime/target/jvswitch"));
    private static final Path SCHEMA = Path.of("/usr/share/openvswitch/vswitch.ovsschema");

    record Result(int rc, String out, String err) {
        @Override
        public String toString() {
            return "rc=" + rc + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private Path dir;

    private Result run(List<String> cmd) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().putAll(Map.of("JVSWITCH_VAR", dir.resolve("var").toString(),
                "OVS_RUNDIR", dir.resolve("run").toString(), "OVS_LOGDIR", dir.resolve("log").toString()));
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(new File("/dev/null"));
        Process p = pb.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + cmd);
        }
        Result r = new Result(p.exitValue(), Files.readString(out), Files.readString(err));
        Files.delete(out);
        Files.delete(err);
        return r;
    }

    private Result run(String... cmd) throws IOException, InterruptedException {
        return run(List.of(cmd));
    }

    private Result vsctl(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("ovs-vsctl", "--db=unix:" + dir.resolve("db.sock"), "--timeout=30"));
        cmd.addAll(List.of(args));
        return run(cmd);
    }

    private Result startOvsdbServer() throws Exception {
        return run("/usr/sbin/ovsdb-server", dir.resolve("conf.db").toString(),
                "--remote=punix:" + dir.resolve("db.sock"), "--unixctl=" + dir.resolve("ovsdb-server.ctl"),
                "--pidfile=" + dir.resolve("ovsdb-server.pid"), "--log-file=" + dir.resolve("ovsdb-server.log"),
                "--detach", "--no-chdir", "-vconsole:off");
    }

    private static Optional<ProcessHandle> pidOf(Path pidfile) {
        try {
            return ProcessHandle.of(Long.parseLong(Files.readString(pidfile).strip()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** SIGTERM, then SIGKILL if it is still there after 20 s. */
    private static void stop(Optional<ProcessHandle> process) {
        process.ifPresent(p -> {
            p.destroy();
            try {
                p.onExit().get(20, TimeUnit.SECONDS);
            } catch (Exception e) {
                p.destroyForcibly();
            }
        });
    }

    private static boolean sleep(long ms) throws InterruptedException {
        Thread.sleep(ms);
        return true;
    }

    private void awaitVsctl(String expected, String... args) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        Result r;
        do {
            r = vsctl(args);
            if (r.rc() == 0 && r.out().strip().equals(expected)) {
                return;
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("expected " + expected + " from ovs-vsctl " + String.join(" ", args) + ": " + r);
    }

    @Test
    void dropsInForOvsVswitchdBesideDebiansOvsdbServer() throws Exception {
        dir = Files.createTempDirectory("jvs-dropin");
        String vswitchd = DIST.resolve("bin/ovs-vswitchd").toString();
        Result r = run(vswitchd, "--version");
        assertEquals(0, r.rc(), r::toString);
        assertTrue(r.out().startsWith("ovs-vswitchd (jvswitch) "), r::toString);
        r = run(vswitchd, "--no-such-option");
        assertEquals(1, r.rc(), r::toString);
        assertTrue(r.err().contains("unrecognized option '--no-such-option'"), r::toString);

        r = run("ovsdb-tool", "create", dir.resolve("conf.db").toString(), SCHEMA.toString());
        assertEquals(0, r.rc(), r::toString);
        Path serverPid = dir.resolve("ovsdb-server.pid");
        Path switchPid = dir.resolve("ovs-vswitchd.pid");
        Path ctl = dir.resolve("ovs-vswitchd.ctl");
        Path monitorPid = dir.resolve("var/ovs-vswitchd.monitor.pid");
        Optional<ProcessHandle> monitor = Optional.empty();
        try {
            r = startOvsdbServer();
            assertEquals(0, r.rc(), r::toString);
            r = vsctl("--no-wait", "init");
            assertEquals(0, r.rc(), r::toString);

            long t0 = System.nanoTime();
            r = run(vswitchd, "unix:" + dir.resolve("db.sock"), "--pidfile=" + switchPid, "--unixctl=" + ctl,
                    "--detach", "--log-file=" + dir.resolve("ovs-vswitchd.log"), "--no-chdir", "--monitor",
                    "-vconsole:off", "-vfile:info", "--mlockall");
            assertEquals(0, r.rc(), r::toString);
            System.out.printf("ovs-vswitchd --detach: %d ms to an answering control socket%n",
                    (System.nanoTime() - t0) / 1_000_000);
            assertTrue(pidOf(switchPid).isPresent(), "pidfile " + switchPid);
            monitor = pidOf(monitorPid);
            assertTrue(monitor.isPresent(), "--monitor: a monitor process, " + monitorPid);

            r = run("ovs-appctl", "-t", ctl.toString(), "version");
            assertEquals(0, r.rc(), r::toString);
            assertTrue(r.out().startsWith("ovs-vswitchd (jvswitch) "), r::toString);

            // Without --no-wait: returns because jvswitch sets cur_cfg.
            r = vsctl("add-br", "br0", "--", "set", "bridge", "br0", "datapath_type=netdev");
            assertEquals(0, r.rc(), r::toString);
            r = vsctl("add-port", "br0", "p1", "--", "set", "Interface", "p1", "type=dummy");
            assertEquals(0, r.rc(), r::toString);
            // netdev-dummy is hot-deployed from deploy/ and may arrive just after start returned.
            awaitVsctl("1", "get", "Interface", "p1", "ofport");
            awaitVsctl("65534", "get", "Interface", "br0", "ofport");

            r = vsctl("add-port", "br0", "v1", "--", "set", "Interface", "v1", "type=dpdkvhostuser");
            String unknown = "could not create netdev v1 of unknown type dpdkvhostuser";
            assertTrue(r.err().contains("Error detected while setting up 'v1'") && r.err().contains(unknown),
                    r::toString);
            r = vsctl("get", "Interface", "v1", "error");
            assertTrue(r.out().contains(unknown), r::toString);

            r = vsctl("get", "Open_vSwitch", ".", "iface_types");
            assertTrue(r.out().contains("dummy"), r::toString);

            // ovsdb-server restarts: the switch reconnects, resynchronizes and keeps answering.
            stop(pidOf(serverPid));
            r = startOvsdbServer();
            assertEquals(0, r.rc(), r::toString);
            r = vsctl("add-port", "br0", "p2", "--", "set", "Interface", "p2", "type=dummy");
            assertEquals(0, r.rc(), r::toString);
            awaitVsctl("2", "get", "Interface", "p2", "ofport");
            r = vsctl("del-port", "br0", "p1");
            assertEquals(0, r.rc(), r::toString);
            r = run("ovs-appctl", "-t", ctl.toString(), "dpif/show");
            assertEquals(0, r.rc(), r::toString);
            assertTrue(r.out().contains("p2 2/") && !r.out().contains("p1 1/"), r::toString);
            assertTrue(Files.readString(dir.resolve("ovs-vswitchd.log")).contains("connected"));

            // --monitor: a crashed switch (SIGABRT, as a JVM crash ends) is started again and
            // rebuilds its configuration from ovsdb-server.
            long crashed = pidOf(switchPid).orElseThrow().pid();
            r = run("kill", "-ABRT", Long.toString(crashed));
            assertEquals(0, r.rc(), r::toString);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            Optional<ProcessHandle> restarted;
            do {
                Thread.sleep(250);
                restarted = pidOf(switchPid).filter(p -> p.pid() != crashed && p.isAlive());
            } while ((restarted.isEmpty() || run("ovs-appctl", "-t", ctl.toString(), "version").rc() != 0)
                    && System.nanoTime() < deadline);
            assertTrue(restarted.isPresent(), "restarted after the crash");
            // The database still says ofport 2 from before the crash: ask the new switch itself.
            do {
                r = run("ovs-appctl", "-t", ctl.toString(), "dpif/show");
            } while (!r.out().contains("p2 2/") && System.nanoTime() < deadline && sleep(100));
            assertTrue(r.out().contains("p2 2/"), r::toString);
            assertTrue(Files.readString(dir.resolve("ovs-vswitchd.log"))
                    .contains("1 crashes: pid " + crashed + " died, killed (Aborted), restarting"));

            // Stopping the switch itself (SIGTERM) is no crash: the monitor ends with it.
            stop(restarted);
            monitor.get().onExit().get(30, TimeUnit.SECONDS);
            assertTrue(Files.readString(dir.resolve("ovs-vswitchd.log")).contains("died, killed (Terminated), exiting"));
        } finally {
            stop(pidOf(switchPid));
            stop(monitor);
            stop(pidOf(serverPid));
        }
        assertTrue(Files.notExists(dir.resolve("run/ovs-vswitchd.pid")), "the switch removed its pidfile on exit");
        deleteRecursively(dir);
    }

    private static void deleteRecursively(Path root) throws IOException {
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
