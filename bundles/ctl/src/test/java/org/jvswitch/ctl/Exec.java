package org.jvswitch.ctl;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs an external program (ovs-appctl, a client JVM) with a timeout and captures everything. */
public final class Exec {
    public record Result(int rc, String out, String err) {
        @Override
        public String toString() {
            return "rc=" + rc + "\nstdout:\n" + out + "\nstderr:\n" + err;
        }
    }

    private Exec() {
    }

    public static Result run(Map<String, String> env, List<String> command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(env);
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p = pb.start();
        try {
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> slurp(p.getInputStream()));
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> slurp(p.getErrorStream()));
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                throw new AssertionError("timed out: " + command);
            }
            return new Result(p.exitValue(), out.join(), err.join());
        } finally {
            p.destroyForcibly();
        }
    }

    /** {@code ovs-appctl ARGS} with OVS_RUNDIR pointing at {@code rundir}. */
    public static Result appctl(Path rundir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add("/usr/bin/ovs-appctl");
        command.addAll(List.of(args));
        return run(Map.of("OVS_RUNDIR", rundir.toString()), command);
    }

    /** {@code java -cp <this module's classes> UnixctlClient ARGS}, a plain-classpath JVM. */
    public static Result client(String... args) throws IOException, InterruptedException {
        String classes = Path.of(org.jvswitch.ctl.client.UnixctlClient.class.getProtectionDomain().getCodeSource()
                .getLocation().getPath()).toString();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of("-cp", classes, "org.jvswitch.ctl.client.UnixctlClient"));
        command.addAll(List.of(args));
        return run(Map.of(), command);
    }

    private static String slurp(java.io.InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
