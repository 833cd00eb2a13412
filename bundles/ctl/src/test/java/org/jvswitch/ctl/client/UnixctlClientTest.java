package org.jvswitch.ctl.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.jvswitch.ctl.Exec;
import org.jvswitch.ctl.Exec.Result;
import org.jvswitch.ctl.TestCommand;
import org.jvswitch.ctl.commands.VersionCommand;
import org.jvswitch.ctl.unixctl.CommandTable;
import org.jvswitch.ctl.unixctl.UnixctlEndpoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UnixctlClientTest {
    @TempDir
    Path rundir;

    private UnixctlEndpoint endpoint;

    @BeforeEach
    void start() throws IOException {
        CommandTable table = new CommandTable();
        table.add(new VersionCommand("9.9"));
        table.add(TestCommand.fdbShow());
        table.add(new TestCommand("test/utf8", "", 0, 0, args -> "gr\u00fc\u00df \u20ac\n"));
        endpoint = UnixctlEndpoint.open(rundir, table);
    }

    @AfterEach
    void stop() {
        endpoint.close();
    }

    /** Runs the client in this JVM; only with a socket path, since reading the pidfile here drops its lock. */
    private static Result inProcess(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = UnixctlClient.run(args, new PrintStream(out, true), new PrintStream(err, true));
        return new Result(rc, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void resultGoesToStdoutVerbatim() {
        String socket = endpoint.socketPath().toString();
        assertEquals(new Result(0, "ovs-vswitchd (jvswitch) 9.9\n", ""), inProcess(socket, "version"));
        assertEquals(new Result(0, "gr\u00fc\u00df \u20ac\n", ""), inProcess(socket, "test/utf8"));
    }

    @Test
    void errorGoesToStderrWithStatus2() {
        String socket = endpoint.socketPath().toString();
        assertEquals(new Result(2, "", "no such bridge\n"), inProcess(socket, "fdb/show", "br9"));
        assertEquals(new Result(2, "", "\"version\" command takes at most 0 arguments\n"),
                inProcess(socket, "version", "x"));
    }

    @Test
    void noServerIsStatus1() {
        Result r = inProcess(rundir.resolve("nothing.ctl").toString(), "version");
        assertEquals(1, r.rc());
        assertTrue(r.err().startsWith("UnixctlClient: cannot connect to "), r.err());
        assertEquals(1, inProcess().rc());
    }

    @Test
    void runDirectoryFromAPlainClasspathJvm() throws Exception {
        assertEquals(new Result(0, "ovs-vswitchd (jvswitch) 9.9\n", ""), Exec.client(rundir.toString(), "version"));
        assertEquals(new Result(0, " port  VLAN  MAC                Age\n", ""),
                Exec.client(rundir.toString(), "fdb/show", "br0"));
        assertEquals(new Result(2, "", "no such bridge\n"), Exec.client(rundir.toString(), "fdb/show", "br1"));
    }

    @Test
    void runDirectoryWithoutPidfileIsStatus1(@TempDir Path empty) throws Exception {
        Result r = Exec.client(empty.toString(), "version");
        assertEquals(1, r.rc());
        assertEquals("UnixctlClient: cannot read pidfile \"" + empty.resolve("ovs-vswitchd.pid")
                + "\" (No such file or directory)\n", r.err());
        assertTrue(Files.exists(rundir.resolve("ovs-vswitchd.pid")));
    }
}
