package org.jvswitch.ovsdb.server;

import java.io.Closeable;
import java.io.IOException;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts connections on one passive remote, on a virtual thread, handing each to {@code accepted}.
 *
 * <p>A unix socket is bound under a temporary name, given mode 0750 (owner and group, as
 * ovsdb-server's punix sockets), and only then renamed into place, so nobody can connect while it
 * has the umask's mode. A socket file left by a server that died is replaced; one that still
 * accepts connections belongs to a live server and is left alone (the remote fails instead).
 */
final class Listener implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(Listener.class);

    private final Remote remote;
    private final ServerSocketChannel server;
    private final Object fileKey;
    private final Thread thread;

    private Listener(Remote remote, ServerSocketChannel server, Object fileKey, Consumer<SocketChannel> accepted) {
        this.remote = remote;
        this.server = server;
        this.fileKey = fileKey;
        this.thread = Thread.ofVirtual().name("ovsdb-accept " + remote.name()).start(() -> acceptLoop(accepted));
    }

    static Listener open(Remote remote, Consumer<SocketChannel> accepted) throws IOException {
        return switch (remote) {
            case Remote.Unix u -> openUnix(u, accepted);
            case Remote.Tcp t -> {
                ServerSocketChannel server = ServerSocketChannel.open();
                try {
                    server.bind(t.address());
                } catch (IOException e) {
                    server.close();
                    throw new IOException(remote.name() + ": " + e.getMessage(), e);
                }
                LOG.info("{}: listening on {}", remote.name(), server.getLocalAddress());
                yield new Listener(remote, server, null, accepted);
            }
        };
    }

    private static Listener openUnix(Remote.Unix remote, Consumer<SocketChannel> accepted) throws IOException {
        Path path = remote.path().toAbsolutePath();
        Files.createDirectories(path.getParent());
        if (Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            if (isLive(path)) {
                throw new IOException(remote.name() + ": another server is listening there");
            }
            LOG.info("{}: removing stale socket", remote.name());
            Files.delete(path);
        }
        Path temp = path.resolveSibling("." + path.getFileName() + "." + UUID.randomUUID().toString().substring(0, 8));
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            server.bind(UnixDomainSocketAddress.of(temp));
            Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rwxr-x---"));
            try {
                Files.move(temp, path, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, path);
            }
        } catch (IOException e) {
            server.close();
            Files.deleteIfExists(temp);
            throw new IOException(remote.name() + ": " + e.getMessage(), e);
        }
        Object key = Files.readAttributes(path, BasicFileAttributes.class).fileKey();
        LOG.info("{}: listening", remote.name());
        return new Listener(remote, server, key, accepted);
    }

    private static boolean isLive(Path path) {
        try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            return probe.connect(UnixDomainSocketAddress.of(path));
        } catch (IOException e) {
            return false;
        }
    }

    Remote remote() {
        return remote;
    }

    /** Where it listens: the socket's path, or the tcp address (with the port chosen for port 0). */
    SocketAddress localAddress() throws IOException {
        if (remote instanceof Remote.Unix u) {
            return UnixDomainSocketAddress.of(u.path().toAbsolutePath());
        }
        return server.getLocalAddress();
    }

    private void acceptLoop(Consumer<SocketChannel> accepted) {
        while (server.isOpen()) {
            try {
                accepted.accept(server.accept());
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (!server.isOpen()) {
                    return;
                }
                LOG.warn("{}: accept failed: {}", remote.name(), e.toString());
                try {
                    Thread.sleep(100);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        try {
            thread.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (remote instanceof Remote.Unix u) {
            Path path = u.path().toAbsolutePath();
            try {
                // Remove the file only if it is still ours, not a socket a newer server put there.
                if (Objects.equals(Files.readAttributes(path, BasicFileAttributes.class).fileKey(), fileKey)) {
                    Files.delete(path);
                }
            } catch (IOException e) {
                LOG.debug("{}: {}", remote.name(), e.toString());
            }
        }
    }
}
