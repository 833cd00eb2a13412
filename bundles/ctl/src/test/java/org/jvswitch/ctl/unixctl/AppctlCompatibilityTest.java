package org.jvswitch.ctl.unixctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.jvswitch.api.unixctl.UnixctlException;
import org.jvswitch.ctl.Exec;
import org.jvswitch.ctl.Exec.Result;
import org.jvswitch.ctl.TestCommand;
import org.jvswitch.ctl.commands.ListCommandsCommand;
import org.jvswitch.ctl.commands.VersionCommand;
import org.jvswitch.ctl.json.JsonNumber;
import org.jvswitch.ctl.json.JsonReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The control socket against Debian's real ovs-appctl 3.1 (OVS_RUNDIR pointing at a temp run
 * directory), plus the misbehaving clients ovs-appctl never is. Expected texts were taken from
 * ovs-appctl talking to Debian's ovsdb-server, which runs the same lib/unixctl.c.
 */
class AppctlCompatibilityTest {
    private static final String APPCTL = "/usr/bin/ovs-appctl";

    @TempDir
    Path rundir;

    private CommandTable table;
    private UnixctlEndpoint endpoint;
    private final CountDownLatch release = new CountDownLatch(1);

    @BeforeAll
    static void needsOvsAppctl() {
        assumeTrue(Files.isExecutable(Path.of(APPCTL)), "Debian's openvswitch-common is not installed");
    }

    @BeforeEach
    void start() throws IOException {
        table = new CommandTable();
        table.add(new ListCommandsCommand(table));
        table.add(new VersionCommand("1.2.3"));
        table.add(TestCommand.fdbShow());
        table.add(new TestCommand("test/crash", "", 0, 0, args -> {
            throw new IllegalStateException("boom");
        }));
        table.add(new TestCommand("test/echo", "[arg]...", 0, Integer.MAX_VALUE, args -> String.join("|", args)));
        table.add(new TestCommand("test/block", "", 0, 0, args -> {
            try {
                release.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return "released\n";
        }));
        endpoint = UnixctlEndpoint.open(rundir, table);
    }

    @AfterEach
    void stop() {
        release.countDown();
        if (endpoint != null) {
            endpoint.close();
        }
    }

    private Result appctl(String... args) throws Exception {
        return Exec.appctl(rundir, args);
    }

    @Test
    void version() throws Exception {
        Result r = appctl("version");
        assertEquals(new Result(0, "ovs-vswitchd (jvswitch) 1.2.3\n", ""), r);
    }

    @Test
    void listCommandsHasOpenVswitchLayout() throws Exception {
        Result r = appctl("list-commands");
        assertEquals(new Result(0, """
                The available commands are:
                  fdb/show                bridge
                  list-commands          \s
                  test/block             \s
                  test/crash             \s
                  test/echo               [arg]...
                  version                \s
                """, ""), r);
    }

    @Test
    void unknownCommand() throws Exception {
        Result r = appctl("nosuch");
        assertEquals(new Result(2, "", """
                "nosuch" is not a valid command (use "list-commands" to see a list of valid commands)
                ovs-appctl: ovs-vswitchd: server returned an error
                """), r);
    }

    @Test
    void wrongArgumentCounts() throws Exception {
        assertEquals(new Result(2, "", """
                "version" command takes at most 0 arguments
                ovs-appctl: ovs-vswitchd: server returned an error
                """), appctl("version", "a", "b"));
        assertEquals(new Result(2, "", """
                "fdb/show" command requires at least 1 arguments
                ovs-appctl: ovs-vswitchd: server returned an error
                """), appctl("fdb/show"));
    }

    @Test
    void commandErrorsAndResults() throws Exception {
        assertEquals(new Result(0, " port  VLAN  MAC                Age\n", ""), appctl("fdb/show", "br0"));
        assertEquals(new Result(2, "", "no such bridge\novs-appctl: ovs-vswitchd: server returned an error\n"),
                appctl("fdb/show", "br9"));
        // A reply without a newline gets one, as unixctl_command_reply() adds it; "" prints nothing.
        assertEquals(new Result(0, "a|b c|\u00fc\n", ""), appctl("test/echo", "a", "b c", "\u00fc"));
        assertEquals(new Result(0, "", ""), appctl("test/echo"));
    }

    @Test
    void aCrashingCommandIsAnErrorAndTheServerCarriesOn() throws Exception {
        assertEquals(new Result(2, "", "\"test/crash\" command failed: java.lang.IllegalStateException: boom\n"
                + "ovs-appctl: ovs-vswitchd: server returned an error\n"), appctl("test/crash"));
        assertEquals(0, appctl("version").rc());
    }

    @Test
    void explicitSocketTarget() throws Exception {
        Result r = appctl("-t", endpoint.socketPath().toString(), "version");
        assertEquals(new Result(0, "ovs-vswitchd (jvswitch) 1.2.3\n", ""), r);
    }

    @Test
    void runDirectoryLayoutAndCleanup() throws Exception {
        long pid = ProcessHandle.current().pid();
        Path socket = rundir.resolve("ovs-vswitchd." + pid + ".ctl");
        Path pidFile = rundir.resolve("ovs-vswitchd.pid");
        assertEquals(socket, endpoint.socketPath());
        assertEquals("rwxr-x---", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));
        // Read through another process: closing a descriptor of the pidfile in this JVM would drop the lock.
        assertEquals(new Result(0, pid + "\n", ""), Exec.run(Map.of(), List.of("cat", pidFile.toString())));
        assertEquals(List.of(socket, pidFile), listRundir());

        endpoint.close();
        endpoint = null;
        assertEquals(List.of(), listRundir());
        assertEquals(1, appctl("version").rc());
    }

    @Test
    void aStaleSocketFromADeadProcessIsReplaced() throws Exception {
        endpoint.close();
        endpoint = null;
        Path socket = rundir.resolve("ovs-vswitchd." + ProcessHandle.current().pid() + ".ctl");
        try (ServerSocketChannel old = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            old.bind(UnixDomainSocketAddress.of(socket)); // closed without unlinking: a crashed server
        }
        assertTrue(Files.exists(socket));
        endpoint = UnixctlEndpoint.open(rundir, table);
        assertEquals(0, appctl("version").rc());
    }

    @Test
    void aSecondServerOnTheSameRunDirectoryIsRefusedAndTheFirstKeepsItsLock() throws Exception {
        assertThrows(PidFile.PidFileLockedException.class, () -> UnixctlEndpoint.open(rundir, table));
        assertEquals(0, appctl("version").rc());
    }

    @Test
    void severalRequestsOnOneConnectionEchoTheirIds() throws Exception {
        try (SocketChannel ch = connect()) {
            send(ch, "{\"id\":\"abc\",\"method\":\"test/echo\",\"params\":[\"x\"]}"
                    + "{\"id\":7,\"method\":\"test/echo\",\"params\":[1]}");
            JsonReader in = new JsonReader(Channels.newInputStream(ch), 1 << 20);
            assertEquals(Map.of("id", "abc", "result", "x\n"), withoutNulls(in.read()));
            assertEquals(Map.of("id", new JsonNumber("7"), "error", "\"test/echo\" command has non-string argument\n"),
                    withoutNulls(in.read()));
        }
    }

    @Test
    void malformedJsonClosesOnlyThatConnection() throws Exception {
        for (String bad : List.of("{bad json", "[\"not\",\"an\",\"object\"]", "\"string\"",
                "{\"id\":null,\"method\":\"version\",\"params\":[]}", "{\"id\":1,\"method\":\"version\"}",
                "{\"id\":1,\"method\":\"version\",\"params\":[],\"extra\":1}")) {
            try (SocketChannel ch = connect()) {
                send(ch, bad);
                assertEquals(-1, readToEnd(ch), bad);
            }
            assertEquals(0, appctl("version").rc(), bad);
        }
    }

    @Test
    void anOversizedMessageClosesTheConnection() throws Exception {
        try (SocketChannel ch = connect()) {
            byte[] chunk = "x".repeat(64 * 1024).getBytes(StandardCharsets.US_ASCII);
            send(ch, "{\"id\":0,\"method\":\"version\",\"params\":[\"");
            try {
                for (int i = 0; i < 40; i++) { // 2.5 MiB, past the 1 MiB limit
                    ch.write(ByteBuffer.wrap(chunk));
                }
            } catch (IOException expected) {
                // The server may close before we finish writing.
            }
            assertEquals(-1, readToEnd(ch));
        }
        assertEquals(0, appctl("version").rc());
    }

    @Test
    void slowClientsDoNotBlockOthers() throws Exception {
        try (SocketChannel silent = connect(); SocketChannel partial = connect(); SocketChannel busy = connect()) {
            send(partial, "{\"id\":0,\"meth");
            send(busy, "{\"id\":0,\"method\":\"test/block\",\"params\":[]}");
            long t0 = System.nanoTime();
            assertEquals(new Result(0, "ovs-vswitchd (jvswitch) 1.2.3\n", ""), appctl("version"));
            assertTrue(Duration.ofNanos(System.nanoTime() - t0).toSeconds() < 10);
            release.countDown();
            JsonReader in = new JsonReader(Channels.newInputStream(busy), 1 << 20);
            assertEquals(Map.of("id", new JsonNumber("0"), "result", "released\n"), withoutNulls(in.read()));
            assertTrue(silent.isOpen() && partial.isOpen());
        }
    }

    @Test
    void closingWaitsForARunningCommandToReply() throws Exception {
        try (SocketChannel busy = connect()) {
            send(busy, "{\"id\":0,\"method\":\"test/block\",\"params\":[]}");
            Thread.sleep(200); // let the request reach the command
            Thread closer = Thread.ofPlatform().start(endpoint::close);
            Thread.sleep(200);
            release.countDown();
            JsonReader in = new JsonReader(Channels.newInputStream(busy), 1 << 20);
            assertEquals(Map.of("id", new JsonNumber("0"), "result", "released\n"), withoutNulls(in.read()));
            closer.join(10_000);
            assertFalse(closer.isAlive());
            endpoint = null;
        }
    }

    @Test
    void unixctlExceptionWithoutNewlineGetsOne() throws Exception {
        table.add(new TestCommand("test/fail", "", 0, 0, args -> {
            throw new UnixctlException("bad thing");
        }));
        assertEquals(new Result(2, "", "bad thing\novs-appctl: ovs-vswitchd: server returned an error\n"),
                appctl("test/fail"));
    }

    private List<Path> listRundir() throws IOException {
        try (var s = Files.list(rundir)) {
            return s.sorted().toList();
        }
    }

    private SocketChannel connect() throws IOException {
        return SocketChannel.open(UnixDomainSocketAddress.of(endpoint.socketPath()));
    }

    private static void send(SocketChannel ch, String text) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    /** Reads until the server closes; returns -1 then (a hang fails the test by timeout instead). */
    private static int readToEnd(SocketChannel ch) throws Exception {
        InputStream in = Channels.newInputStream(ch);
        var reader = Thread.ofVirtual().start(() -> {
            try {
                while (in.read() >= 0) {
                    // discard
                }
            } catch (IOException e) {
                // reset by peer counts as closed
            }
        });
        assertTrue(reader.join(Duration.ofSeconds(10)), "server did not close the connection");
        return -1;
    }

    private static Map<?, ?> withoutNulls(Object reply) {
        Map<Object, Object> m = new java.util.LinkedHashMap<>((Map<?, ?>) reply);
        m.values().removeIf(java.util.Objects::isNull);
        return m;
    }
}
