package org.jvswitch.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Open vSwitch's two-daemon layout with jvswitch in ovs-vswitchd's place: Debian's ovsdb-server
 * on a database made by {@code ovsdb-tool create} from Debian's vswitch.ovsschema, and
 * {@code bin/ovs-vswitchd} started with ovs-vswitchd's command line as its client, all in a
 * directory of its own. {@link #close()} stops everything started here by PID (SIGTERM, then
 * SIGKILL) and removes the directory.
 */
final class DropIn implements AutoCloseable {
    static final Path DIST = Path.of(System.getProperty("jvswitch.dist", "../runtime/target/jvswitch"));
    private static final Path SCHEMA = Path.of("/usr/share/openvswitch/vswitch.ovsschema");

    final Path dir;
    final Path serverPid;
    final Path switchPid;
    final Path ctl;
    final Path log;
    final Path monitorPid;

    /** ovsdb-server running on a fresh database with its Open_vSwitch row; no switch yet. */
    DropIn(String prefix) throws Exception {
        this.dir = Files.createTempDirectory(prefix);
        this.serverPid = dir.resolve("ovsdb-server.pid");
        this.switchPid = dir.resolve("ovs-vswitchd.pid");
        this.ctl = dir.resolve("ovs-vswitchd.ctl");
        this.log = dir.resolve("ovs-vswitchd.log");
        this.monitorPid = dir.resolve("var/ovs-vswitchd.monitor.pid");
        try {
            ok(run("ovsdb-tool", "create", dir.resolve("conf.db").toString(), SCHEMA.toString()));
            ok(startOvsdbServer());
            ok(vsctl("--no-wait", "init"));
        } catch (Exception | AssertionError e) {
            close();
            throw e;
        }
    }

    static Dist.Result ok(Dist.Result r) {
        assertEquals(0, r.rc(), r::toString);
        return r;
    }

    Dist.Result run(List<String> cmd) throws IOException, InterruptedException {
        return Dist.exec(Map.of("JVSWITCH_VAR", dir.resolve("var").toString(), "OVS_RUNDIR", dir.resolve("run").toString(),
                "OVS_LOGDIR", dir.resolve("log").toString()), cmd);
    }

    Dist.Result run(String... cmd) throws IOException, InterruptedException {
        return run(List.of(cmd));
    }

    /** ovs-vsctl against ovsdb-server, waiting for the switch (no --no-wait) unless told. */
    Dist.Result vsctl(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("ovs-vsctl", "--db=unix:" + dir.resolve("db.sock"), "--timeout=30"));
        cmd.addAll(List.of(args));
        return run(cmd);
    }

    Dist.Result appctl(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("ovs-appctl", "-t", ctl.toString()));
        cmd.addAll(List.of(args));
        return run(cmd);
    }

    Dist.Result startOvsdbServer() throws Exception {
        return run("/usr/sbin/ovsdb-server", dir.resolve("conf.db").toString(),
                "--remote=punix:" + dir.resolve("db.sock"), "--unixctl=" + dir.resolve("ovsdb-server.ctl"),
                "--pidfile=" + serverPid, "--log-file=" + dir.resolve("ovsdb-server.log"),
                "--detach", "--no-chdir", "-vconsole:off");
    }

    /** bin/ovs-vswitchd as Open vSwitch's ovs-ctl starts ovs-vswitchd, plus {@code extra}. */
    Dist.Result startSwitch(String... extra) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(DIST.resolve("bin/ovs-vswitchd").toString(),
                "unix:" + dir.resolve("db.sock"), "--pidfile=" + switchPid, "--unixctl=" + ctl, "--detach",
                "--log-file=" + log, "--no-chdir"));
        cmd.addAll(List.of(extra));
        return run(cmd);
    }

    static Optional<ProcessHandle> pidOf(Path pidfile) {
        try {
            return ProcessHandle.of(Long.parseLong(Files.readString(pidfile).strip()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** SIGTERM, then SIGKILL if it is still there after 20 s. */
    static void stop(Optional<ProcessHandle> process) {
        process.ifPresent(p -> {
            p.destroy();
            try {
                p.onExit().get(20, TimeUnit.SECONDS);
            } catch (Exception e) {
                p.destroyForcibly();
            }
        });
    }

    /** Stops the switch (and its monitor, if any) and the server; true if the switch removed its pidfile. */
    boolean stopAll() {
        Optional<ProcessHandle> monitor = pidOf(monitorPid);
        stop(pidOf(switchPid));
        stop(monitor);
        stop(pidOf(serverPid));
        return Files.notExists(dir.resolve("run/ovs-vswitchd.pid"));
    }

    @Override
    public void close() throws IOException {
        stopAll();
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
