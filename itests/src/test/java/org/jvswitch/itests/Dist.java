package org.jvswitch.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * One running distribution with a var directory of its own, and the real Open vSwitch clients
 * pointed at it (OVS_RUNDIR). {@link #close()} stops it, kills it by its pid if it would not, and
 * removes the var directory, keeping the log in target/dist-logs/.
 */
final class Dist implements AutoCloseable {
    static final Path DIST = Path.of(System.getProperty("jvswitch.dist", "../runtime/target/jvswitch"));

    record Result(int rc, String out, String err) {
        @Override
        public String toString() {
            return "rc=" + rc + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    /**
     * Runs a command to its end (2 min at most, then it is killed and the test fails), with
     * {@code env} added to the environment and no input; output goes through temporary files, so
     * a chatty command never blocks on a full pipe. The one process runner of the itests.
     */
    static Result exec(Map<String, String> env, List<String> cmd) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().putAll(env);
        Path out = Files.createTempFile("out", ".txt");
        Path err = Files.createTempFile("err", ".txt");
        try {
            pb.redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            Process p = pb.start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("timed out: " + cmd);
            }
            return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    final Path var;

    /** Stops the switch if the test JVM ends (Ctrl-C, SIGTERM) before {@link #close()} did. */
    private final Thread stopOnExit;

    private Dist(Path var) {
        this.var = var;
        this.stopOnExit = new Thread(this::kill, "stop " + var.getFileName());
        Runtime.getRuntime().addShutdownHook(stopOnExit);
    }

    /** Kills the switch by the pid in its pid file, if it is still there. */
    private void kill() {
        try {
            Path pidfile = var.resolve("run/ovs-vswitchd.pid");
            if (Files.exists(pidfile)) {
                String pid = Files.readString(pidfile).trim();
                if (!pid.isEmpty()) {
                    ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
                }
            }
        } catch (IOException | NumberFormatException e) {
            // nothing more to do
        }
    }

    static Dist start(String prefix) throws Exception {
        Dist d = new Dist(Files.createTempDirectory(prefix));
        Result r = d.jvswitch("start");
        if (r.rc() != 0) {
            d.close();
        }
        assertEquals(0, r.rc(), r.out() + r.err());
        return d;
    }

    /**
     * The packaged switch with bridge br0 (netdev datapath, fail_mode secure) and dummy ports
     * p1..p{@code ports} on OpenFlow ports 1..{@code ports}, set up with the real ovs-vsctl.
     */
    static Dist withDummyBridge(String prefix, int ports) throws Exception {
        Dist d = start(prefix);
        try {
            List<String> cmd = new ArrayList<>(List.of("ovs-vsctl", "add-br", "br0", "--", "set", "bridge", "br0",
                    "datapath_type=netdev", "fail_mode=secure"));
            for (int i = 1; i <= ports; i++) {
                cmd.addAll(List.of("--", "add-port", "br0", "p" + i, "--", "set", "Interface", "p" + i, "type=dummy",
                        "ofport_request=" + i));
            }
            d.ovs(cmd.toArray(new String[0]));
            d.await(out -> out.equals(ports + "\n"), "ovs-vsctl", "get", "Interface", "p" + ports, "ofport");
            return d;
        } catch (Exception | AssertionError e) {
            d.close();
            throw e;
        }
    }

    Result run(String... cmd) throws IOException, InterruptedException {
        return exec(Map.of("JVSWITCH_VAR", var.toString(), "OVS_RUNDIR", var.resolve("run").toString()), List.of(cmd));
    }

    Result jvswitch(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(DIST.resolve("bin/jvswitch").toString()));
        cmd.addAll(List.of(args));
        return run(cmd.toArray(new String[0]));
    }

    /** Runs a real Open vSwitch client (ovs-vsctl, ovs-ofctl, ovs-appctl) and asserts it succeeded. */
    String ovs(String... cmd) throws Exception {
        Result r = run(cmd);
        assertEquals(0, r.rc(), List.of(cmd) + ": " + r.out() + r.err());
        return r.out();
    }

    /** Runs {@code cmd} until its output satisfies {@code ok} (20 s at most). */
    String await(Predicate<String> ok, String... cmd) throws Exception {
        long deadline = System.currentTimeMillis() + 20_000;
        Result r;
        do {
            r = run(cmd);
            if (r.rc() == 0 && ok.test(r.out())) {
                return r.out();
            }
            Thread.sleep(100);
        } while (System.currentTimeMillis() < deadline);
        throw new AssertionError(List.of(cmd) + " printed " + r.out() + r.err());
    }

    String log() throws IOException {
        return Files.readString(var.resolve("log/jvswitch.log"), StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws Exception {
        try {
            jvswitch("stop");
        } finally {
            kill();
            try {
                Runtime.getRuntime().removeShutdownHook(stopOnExit);
            } catch (IllegalStateException e) {
                // the JVM is exiting: the hook runs anyway
            }
            deleteVar();
        }
    }

    /**
     * Removes the var directory (database, bundle cache: some MB per run), keeping the switch's
     * log in target/dist-logs/ for a failure's post-mortem.
     */
    private void deleteVar() {
        try {
            Path log = var.resolve("log/jvswitch.log");
            if (Files.exists(log)) {
                Path keep = Path.of("target", "dist-logs");
                Files.createDirectories(keep);
                Files.copy(log, keep.resolve(var.getFileName() + ".log"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            // the log is a courtesy
        }
        try (java.util.stream.Stream<Path> all = Files.walk(var)) {
            for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // a file still held open: leave the rest
        }
    }
}
