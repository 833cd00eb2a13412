package org.jvswitch.itests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Durability: kill -9 the switch in the middle of a stream of ovs-vsctl transactions, start it
 * again, and every transaction ovs-vsctl saw acknowledged is still there — several times over.
 */
class CrashIT {
    private static final Path DIST = Path.of(System.getProperty("jvswitch.dist", "../runtime/target/jvswitch"));
    private Path var;

    private ProcessBuilder builder(List<String> cmd) {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("JVSWITCH_VAR", var.toString());
        pb.environment().put("OVS_RUNDIR", var.resolve("run").toString());
        pb.redirectErrorStream(true);
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        return pb;
    }

    private String run(String... cmd) throws Exception {
        Process p = builder(List.of(cmd)).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + List.of(cmd));
        }
        if (p.exitValue() != 0) {
            throw new AssertionError(List.of(cmd) + " exited " + p.exitValue() + ": " + out);
        }
        return out;
    }

    private long pid() throws Exception {
        return Long.parseLong(Files.readString(var.resolve("run/ovs-vswitchd.pid")).trim());
    }

    @AfterEach
    void stop() throws Exception {
        if (var != null && Files.exists(var.resolve("run/ovs-vswitchd.pid"))) {
            ProcessHandle.of(pid()).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void acknowledgedTransactionsSurviveKillMinus9() throws Exception {
        var = Files.createTempDirectory("jvswitch-crash");
        String jvswitch = DIST.resolve("bin/jvswitch").toString();
        run(jvswitch, "start");
        run("ovs-vsctl", "--no-wait", "add-br", "br0");
        Set<String> acknowledged = new HashSet<>();
        int next = 0;
        for (int round = 0; round < 5; round++) {
            List<String> acked = new CopyOnWriteArrayList<>();
            AtomicBoolean stop = new AtomicBoolean();
            int first = next;
            Thread writer = new Thread(() -> {
                for (int i = first; !stop.get(); i++) {
                    try {
                        Process p = builder(List.of("ovs-vsctl", "--no-wait", "--timeout=5", "add-port", "br0", "p" + i,
                                "--", "set", "Interface", "p" + i, "type=dummy")).start();
                        p.getInputStream().readAllBytes();
                        if (p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0) {
                            acked.add("p" + i);
                        } else {
                            return;  // the switch is gone: stop writing
                        }
                    } catch (Exception e) {
                        return;
                    }
                }
            }, "writer");
            writer.start();
            Thread.sleep(300 + 150L * round);
            long pid = pid();
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            ProcessHandle.of(pid).ifPresent(h -> h.onExit().join());
            stop.set(true);
            writer.join();
            acknowledged.addAll(acked);
            next = first + acked.size() + 1;   // the one in flight may or may not have landed
            assertTrue(acked.size() > 0, "round " + round + ": some transactions were acknowledged before the kill");

            run(jvswitch, "start");
            Set<String> ports = new HashSet<>(List.of(run("ovs-vsctl", "list-ports", "br0").split("\n")));
            for (String p : acknowledged) {
                assertTrue(ports.contains(p), "round " + round + ": acknowledged " + p + " lost after kill -9; have " + ports);
            }
            System.out.printf("crash round %d: %d transactions acknowledged before kill -9, all %d present after restart%n",
                    round, acked.size(), acknowledged.size());
        }
        run(jvswitch, "stop");
    }
}
