package org.jvswitch.ofproto.ofp;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bridge's management socket, {@code <rundir>/<bridge>.mgmt} (Open vSwitch's {@code punix:}
 * service controller): accepts OpenFlow connections, each served by its own virtual thread.
 */
public final class OfpListener implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OfpListener.class);

    private final Path path;
    private final ServerSocketChannel server;
    private final SwitchView sw;
    private final Set<OfpConnection> connections = ConcurrentHashMap.newKeySet();
    private final AtomicLong count = new AtomicLong();
    private final Thread acceptThread;
    private volatile boolean closed;

    private OfpListener(Path path, ServerSocketChannel server, SwitchView sw) {
        this.path = path;
        this.server = server;
        this.sw = sw;
        this.acceptThread = Thread.ofVirtual().name("ofp-accept-" + sw.name()).unstarted(this::acceptLoop);
    }

    /** Listens on {@code path}, replacing a stale socket file left there by an earlier run. */
    public static OfpListener start(Path path, SwitchView sw) throws IOException {
        Files.createDirectories(path.toAbsolutePath().getParent());
        Files.deleteIfExists(path);
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            server.bind(UnixDomainSocketAddress.of(path));
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxr-x---"));
        } catch (IOException | RuntimeException e) {
            server.close();
            Files.deleteIfExists(path);
            throw e;
        }
        OfpListener l = new OfpListener(path, server, sw);
        l.acceptThread.start();
        LOG.info("{}: listening for OpenFlow on {}", sw.name(), path);
        return l;
    }

    public Path path() {
        return path;
    }

    private void acceptLoop() {
        while (!closed) {
            SocketChannel ch;
            try {
                ch = server.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                LOG.warn("{}: accept failed: {}", path, e.toString());
                try {
                    Thread.sleep(100);
                } catch (InterruptedException ie) {
                    return;
                }
                continue;
            }
            String name = sw.name() + "<->unix#" + count.incrementAndGet();
            OfpConnection c = new OfpConnection(name, ch, sw);
            connections.add(c);
            Thread.ofVirtual().name("ofp-" + name).start(() -> {
                try {
                    c.run();
                } finally {
                    connections.remove(c);
                }
            });
            if (closed) {
                c.close();
            }
        }
    }

    /** Stops accepting, closes every connection and deletes the socket file. */
    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            // going away
        }
        for (OfpConnection c : connections) {
            c.close();
        }
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            LOG.warn("{}: could not delete: {}", path, e.toString());
        }
    }
}
