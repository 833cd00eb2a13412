package org.jvswitch.ovsdb.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the real Open vSwitch clients; every process is killed by the test that started it. */
final class Proc {
    static final Path OVS_VSCTL = Path.of("/usr/bin/ovs-vsctl");
    static final Path OVSDB_CLIENT = Path.of("/usr/bin/ovsdb-client");

    private Proc() {
    }

    static boolean haveOvsClients() {
        return Files.isExecutable(OVS_VSCTL) && Files.isExecutable(OVSDB_CLIENT);
    }

    /** Exit code and output of a finished command. */
    record Result(int rc, String out, String err) {
        @Override
        public String toString() {
            return "rc=" + rc + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    /** Runs a command to completion; a command still running after {@code timeout} is killed (rc -1). */
    static Result run(Duration timeout, List<String> command) {
        ProcessBuilder pb = new ProcessBuilder(command);
        // No stray log or pid files from the clients, whatever the machine's OVS configuration.
        pb.environment().put("OVS_RUNDIR", System.getProperty("java.io.tmpdir"));
        pb.environment().put("OVS_LOGDIR", System.getProperty("java.io.tmpdir"));
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            p.getOutputStream().close();
            Drain out = new Drain(p.getInputStream());
            Drain err = new Drain(p.getErrorStream());
            boolean done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!done) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
            }
            out.join();
            err.join();
            return new Result(done ? p.exitValue() : -1, out.text(), err.text());
        } catch (InterruptedException | IOException e) {
            throw new IllegalStateException(e);
        } finally {
            if (p.isAlive()) {
                p.destroyForcibly();
            }
        }
    }

    /** A command left running in the background (ovsdb-client monitor); close() kills it. */
    static final class Background implements AutoCloseable {
        private final Process process;
        private final Drain out;
        private final Drain err;

        Background(List<String> command) throws IOException {
            this.process = new ProcessBuilder(command).start();
            process.getOutputStream().close();
            this.out = new Drain(process.getInputStream());
            this.err = new Drain(process.getErrorStream());
        }

        /** Output so far. */
        String out() {
            return out.text();
        }

        String err() {
            return err.text();
        }

        /** Waits until the output contains {@code text}; false after {@code timeout}. */
        boolean awaitOutput(String text, Duration timeout) throws InterruptedException {
            long end = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < end) {
                if (out().contains(text)) {
                    return true;
                }
                Thread.sleep(20);
            }
            return out().contains(text);
        }

        @Override
        public void close() {
            process.destroy();
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Collects a stream on a virtual thread. */
    private static final class Drain {
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        private final Thread thread;

        Drain(InputStream in) {
            this.thread = Thread.ofVirtual().start(() -> {
                byte[] b = new byte[8192];
                try (in) {
                    int n;
                    while ((n = in.read(b)) > 0) {
                        synchronized (buffer) {
                            buffer.write(b, 0, n);
                        }
                    }
                } catch (IOException e) {
                    // the process ended
                }
            });
        }

        String text() {
            synchronized (buffer) {
                return buffer.toString(StandardCharsets.UTF_8);
            }
        }

        void join() throws InterruptedException {
            thread.join(5000);
        }
    }
}
