package org.jvswitch.ofproto.ofp;

import java.io.IOException;
import java.net.InetSocketAddress;
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
 * A listening OpenFlow socket of a bridge: its management socket {@code <rundir>/<bridge>.mgmt}
 * (Open vSwitch's {@code punix:} service controller), or a passive controller target
 * ({@code ptcp:}, {@code punix:} in {@code Bridge.controller}), whose connections are controller
 * connections. Each connection is served by its own virtual thread and registered with the
 * bridge's {@link Connmgr} for asynchronous messages.
 */
public final class OfpListener implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OfpListener.class);

    private final String label;
    private final Path path;
    private final ServerSocketChannel server;
    private final SwitchView sw;
    private final Connmgr mgr;
    private final boolean primary;
    private final int probeMillis;
    private final Set<OfpConnection> connections = ConcurrentHashMap.newKeySet();
    private final AtomicLong count = new AtomicLong();
    private final Thread acceptThread;
    private volatile boolean closed;

    private OfpListener(String label, Path path, ServerSocketChannel server, SwitchView sw, Connmgr mgr,
            boolean primary, int probeMillis) {
        this.label = label;
        this.path = path;
        this.server = server;
        this.sw = sw;
        this.mgr = mgr;
        this.primary = primary;
        this.probeMillis = probeMillis;
        this.acceptThread = Thread.ofVirtual().name("ofp-accept-" + sw.name()).unstarted(this::acceptLoop);
    }

    private boolean snoop;

    /**
     * The snoop socket at {@code path} (Open vSwitch's {@code <bridge>.snoop}): its clients, such
     * as {@code ovs-ofctl snoop}, get a copy of every message between the bridge and its controllers.
     */
    public static OfpListener snoop(Path path, SwitchView sw, Connmgr mgr) throws IOException {
        OfpListener l = unixUnstarted(path, sw, mgr, false, 0, "rwxr-x---");
        l.snoop = true;
        l.acceptThread.start();
        LOG.info("{}: snoop socket {}", sw.name(), path);
        return l;
    }

    /** The management socket at {@code path}, replacing a stale socket file left there by an earlier run. */
    public static OfpListener start(Path path, SwitchView sw, Connmgr mgr) throws IOException {
        return unix(path, sw, mgr, false, 0, "rwxr-x---");
    }

    /** A Unix socket at {@code path}: service connections unless {@code primary}. */
    static OfpListener unix(Path path, SwitchView sw, Connmgr mgr, boolean primary, int probeMillis, String perms)
            throws IOException {
        OfpListener l = unixUnstarted(path, sw, mgr, primary, probeMillis, perms);
        l.acceptThread.start();
        LOG.info("{}: listening for OpenFlow on {}", sw.name(), path);
        return l;
    }

    private static OfpListener unixUnstarted(Path path, SwitchView sw, Connmgr mgr, boolean primary, int probeMillis,
            String perms) throws IOException {
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.deleteIfExists(path);
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            server.bind(UnixDomainSocketAddress.of(path));
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(perms));
        } catch (IOException | RuntimeException e) {
            server.close();
            Files.deleteIfExists(path);
            throw e;
        }
        return new OfpListener("unix", path, server, sw, mgr, primary, probeMillis);
    }

    /** A TCP listener (a {@code ptcp:} controller target): controller connections. */
    static OfpListener tcp(InetSocketAddress address, SwitchView sw, Connmgr mgr, int probeMillis) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open();
        try {
            server.setOption(java.net.StandardSocketOptions.SO_REUSEADDR, true);
            server.bind(address);
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        OfpListener l = new OfpListener("tcp", null, server, sw, mgr, true, probeMillis);
        l.acceptThread.start();
        LOG.info("{}: listening for OpenFlow controllers on {}", sw.name(), server.getLocalAddress());
        return l;
    }

    public Path path() {
        return path;
    }

    /** Connections open now. */
    int connectionCount() {
        return connections.size();
    }

    /** The live connections. */
    Set<OfpConnection> connections() {
        return connections;
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
            String name = sw.name() + "<->" + label + "#" + count.incrementAndGet();
            OfpSession session = new OfpSession(sw, primary, mgr);
            if (snoop) {
                session.listenOnly();
            }
            OfpConnection c = new OfpConnection(name, ch, session, probeMillis);
            connections.add(c);
            boolean snooper = snoop;
            if (mgr != null) {
                if (snooper) {
                    mgr.addSnooper(c);
                } else {
                    mgr.add(c);
                }
            }
            // A platform thread: a reader blocked in read() answers each request without a trip
            // through the virtual-thread scheduler; ovs-ofctl's flow_mod + barrier round trips
            // (one per flow in add-flows) are latency-bound.
            Thread.ofPlatform().daemon().name("ofp-" + name).start(() -> {
                try {
                    c.run();
                } finally {
                    connections.remove(c);
                    if (mgr != null) {
                        if (snooper) {
                            mgr.removeSnooper(c);
                        } else {
                            mgr.remove(c);
                        }
                    }
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
        if (path != null) {
            try {
                Files.deleteIfExists(path);
            } catch (IOException e) {
                LOG.warn("{}: could not delete: {}", path, e.toString());
            }
        }
    }
}
