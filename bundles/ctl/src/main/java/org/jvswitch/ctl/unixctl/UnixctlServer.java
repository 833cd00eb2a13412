package org.jvswitch.ctl.unixctl;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control socket, Open vSwitch's unixctl_server: a Unix domain socket accepting JSON-RPC
 * connections, each served on its own virtual thread so a slow or stuck client only ever holds up
 * itself.
 */
public final class UnixctlServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(UnixctlServer.class);

    /** Longest request accepted; ovs-appctl requests are tiny, so anything near this is garbage. */
    public static final long DEFAULT_MAX_MESSAGE_BYTES = 1 << 20;

    /** How long closing waits for commands in progress to send their replies. */
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(2);

    private final Path socketPath;
    private final Object socketFileKey;
    private final ServerSocketChannel listener;
    private final CommandTable table;
    private final long maxMessageBytes;
    private final Map<UnixctlConnection, Thread> connections = new ConcurrentHashMap<>();
    private final AtomicLong connectionCount = new AtomicLong();
    private final Thread acceptThread;
    private volatile boolean closed;

    private UnixctlServer(Path socketPath, ServerSocketChannel listener, CommandTable table, long maxMessageBytes)
            throws IOException {
        this.socketPath = socketPath;
        this.socketFileKey = fileKey(socketPath);
        this.listener = listener;
        this.table = table;
        this.maxMessageBytes = maxMessageBytes;
        this.acceptThread = Thread.ofPlatform().name("unixctl-accept").daemon().unstarted(this::acceptLoop);
    }

    /**
     * Listens on {@code socketPath}, replacing whatever socket file is there: a previous process with
     * the same pid (a container restart) may have left it, and the caller holds the pidfile lock, so no
     * live server can own it. That is also what lib/socket-util-unix.c does before bind().
     */
    public static UnixctlServer start(Path socketPath, CommandTable table, long maxMessageBytes) throws IOException {
        ServerSocketChannel listener = bindPrivately(socketPath);
        try {
            UnixctlServer server = new UnixctlServer(socketPath, listener, table, maxMessageBytes);
            server.acceptThread.start();
            LOG.info("{}: listening", socketPath);
            return server;
        } catch (IOException | RuntimeException e) {
            listener.close();
            Files.deleteIfExists(socketPath);
            throw e;
        }
    }

    public Path socketPath() {
        return socketPath;
    }

    /**
     * Binds in a fresh 0700 directory, sets 0750 and then renames the socket into place. Java cannot
     * set a umask, and a socket bound directly at its final path would be reachable with the process
     * umask's permissions until chmod; rename(2) keeps the bound socket working under its new name and
     * atomically replaces a stale one.
     */
    private static ServerSocketChannel bindPrivately(Path socketPath) throws IOException {
        Path dir = socketPath.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmpDir = dir.resolve(".ctl" + ProcessHandle.current().pid());
        deleteTree(tmpDir); // left over by a crash
        Files.createDirectory(tmpDir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path tmp = tmpDir.resolve("s");
        ServerSocketChannel listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            listener.bind(UnixDomainSocketAddress.of(tmp));
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-x---"));
            Files.move(tmp, socketPath, StandardCopyOption.ATOMIC_MOVE);
            return listener;
        } catch (IOException | RuntimeException e) {
            listener.close();
            throw e;
        } finally {
            deleteTree(tmpDir);
        }
    }

    private void acceptLoop() {
        while (!closed) {
            SocketChannel channel;
            try {
                channel = listener.accept();
            } catch (ClosedChannelException e) { // includes AsynchronousCloseException: close() was called
                return;
            } catch (IOException e) {
                // Like unixctl_server_run(): log and keep accepting (EMFILE and friends are transient).
                LOG.warn("{}: accept failed: {}", socketPath, e.toString());
                sleepQuietly(Duration.ofMillis(100));
                continue;
            }
            String name = "unix#" + connectionCount.incrementAndGet();
            UnixctlConnection conn = new UnixctlConnection(name, channel, table, maxMessageBytes);
            Thread thread = Thread.ofVirtual().name("unixctl-" + name).unstarted(() -> {
                try {
                    conn.run();
                } finally {
                    connections.remove(conn);
                }
            });
            connections.put(conn, thread);
            if (closed) {
                // close() may already have swept the connections; do not leave this one behind.
                connections.remove(conn);
                closeQuietly(channel);
                return;
            }
            thread.start();
        }
    }

    /**
     * Stops listening, lets commands in progress reply (for a bounded time), closes every connection
     * and removes the socket file if it is still the one this server created.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        closeQuietly(listener);
        joinQuietly(acceptThread, CLOSE_GRACE);
        connections.keySet().forEach(UnixctlConnection::requestClose);
        long deadline = System.nanoTime() + CLOSE_GRACE.toNanos();
        for (Map.Entry<UnixctlConnection, Thread> e : connections.entrySet()) {
            if (e.getValue() == Thread.currentThread()) {
                // A command is stopping us (shell/run "update <ctl bundle>"): its connection closes by
                // itself after writing the reply, once this returns.
                continue;
            }
            Duration left = Duration.ofNanos(Math.max(1, deadline - System.nanoTime()));
            joinQuietly(e.getValue(), left);
            if (e.getValue().isAlive()) {
                LOG.warn("{}: command still running after {}; closing the connection", e.getKey().name(),
                        CLOSE_GRACE);
                e.getKey().forceClose();
            }
        }
        try {
            if (Objects.equals(fileKey(socketPath), socketFileKey)) {
                Files.deleteIfExists(socketPath);
            }
        } catch (IOException e) {
            LOG.warn("{}: could not remove socket: {}", socketPath, e.toString());
        }
        LOG.info("{}: closed", socketPath);
    }

    /** Identifies the inode, so close() never deletes a file some later process put at the same path. */
    static Object fileKey(Path path) throws IOException {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return null;
        }
        return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
    }

    private static void deleteTree(Path dir) throws IOException {
        if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            try (var entries = Files.list(dir)) {
                for (Path p : entries.toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
        Files.deleteIfExists(dir);
    }

    private static void joinQuietly(Thread thread, Duration timeout) {
        try {
            thread.join(timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleepQuietly(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            LOG.debug("close failed: {}", e.toString());
        }
    }
}
