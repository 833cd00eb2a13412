package org.jvswitch.ctl.unixctl;

import java.io.IOException;
import java.nio.file.Path;

/**
 * What makes a run directory answer to ovs-appctl: the locked pidfile and the control socket named
 * after the pid, created in that order (the lock proves nobody else serves this directory before any
 * socket is replaced) and removed in the opposite order.
 */
public final class UnixctlEndpoint implements AutoCloseable {
    /** ovs-appctl's default target, so plain {@code ovs-appctl CMD} reaches jvswitch. */
    public static final String PROGRAM = "ovs-vswitchd";

    private final PidFile pidFile;
    private final UnixctlServer server;

    private UnixctlEndpoint(PidFile pidFile, UnixctlServer server) {
        this.pidFile = pidFile;
        this.server = server;
    }

    public static UnixctlEndpoint open(Path rundir, long pid, CommandTable table, long maxMessageBytes)
            throws IOException {
        PidFile pidFile = PidFile.create(RunDir.pidFile(rundir, PROGRAM), pid);
        try {
            UnixctlServer server = UnixctlServer.start(RunDir.controlSocket(rundir, PROGRAM, pid), table,
                    maxMessageBytes);
            return new UnixctlEndpoint(pidFile, server);
        } catch (IOException | RuntimeException e) {
            pidFile.close();
            throw e;
        }
    }

    public static UnixctlEndpoint open(Path rundir, CommandTable table) throws IOException {
        return open(rundir, ProcessHandle.current().pid(), table, UnixctlServer.DEFAULT_MAX_MESSAGE_BYTES);
    }

    public Path socketPath() {
        return server.socketPath();
    }

    public Path pidFilePath() {
        return pidFile.path();
    }

    @Override
    public void close() {
        try {
            server.close();
        } finally {
            pidFile.close();
        }
    }
}
