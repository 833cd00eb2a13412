package org.jvswitch.ovsdb.server;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.channels.ByteChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.jvswitch.ovsdb.internal.Database;
import org.jvswitch.ovsdb.internal.OvsdbService;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OVSDB wire protocol server (Open vSwitch's ovsdb-server minus the storage, which
 * {@link OvsdbService} is): RFC 7047 JSON-RPC with Open vSwitch's extensions, on unix and tcp
 * sockets, serving the {@code Open_vSwitch} database and the server's own {@code _Server}.
 *
 * <p>A component of its own, with a static reference to the database: the database lives on
 * whether or not anything listens (the switch uses it in process), the server can be stopped and
 * started without touching it, and when the database goes away the server is deactivated first,
 * closing every session. The reference is to the bundle-private {@link Database} interface so that
 * the server serves this bundle's database, never another bundle's {@code Ovsdb}.
 *
 * <p>Remotes come from framework properties, see {@link ServerConfig}.
 */
@Component(service = {}, immediate = true)
public final class OvsdbServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OvsdbServer.class);

    private final ServerConfig config;
    private final ServerContext context;
    private final List<Served> served = new ArrayList<>();
    private final OvsdbService serverDb;
    private final List<Listener> listeners = new ArrayList<>();
    /** Listeners for Manager rows' targets, by target; changed only by {@link ManagerRemotes}'s thread. */
    private final Map<String, Listener> managerListeners = new java.util.concurrent.ConcurrentHashMap<>();
    /** Outgoing connections to active Manager targets (tcp:, ssl:, unix:), by target. */
    private final Map<String, ActiveRemote> managerConnections = new java.util.concurrent.ConcurrentHashMap<>();
    private final ManagerRemotes managerRemotes;
    private final SslContexts ssl;
    /** Numbers unix connections in log lines, as ovsdb-server's "unix#N". */
    private final AtomicInteger unixConnections = new AtomicInteger();
    private volatile boolean closed;

    @Activate
    public OvsdbServer(BundleContext bundle, @Reference Database db) {
        this(db, ServerConfig.from(bundle::getProperty));
    }

    /** A server for {@code db} listening where {@code config} says; for tests and embedding without OSGi. */
    public OvsdbServer(Database db, ServerConfig config) {
        this.config = config;
        this.serverDb = ServerDatabase.create(List.of(db));
        served.add(new Served(db));
        served.add(new Served(serverDb));
        this.context = new ServerContext(served);
        this.ssl = new SslContexts(config.ssl(), db::snapshot);
        for (String r : config.remotes()) {
            // A remote that cannot be opened is reported, not fatal: the switch keeps its database
            // (used in process) and the other remotes, as ovsdb-server keeps running.
            try {
                Remote remote = Remote.parse(r);
                listeners.add(Listener.open(remote, channel -> accepted(remote, channel)));
            } catch (IOException | IllegalArgumentException e) {
                LOG.error("{}: cannot listen: {}", r, e.getMessage());
            }
        }
        if (config.remotes().isEmpty()) {
            LOG.info("no OVSDB remote configured (set jvswitch.rundir, jvswitch.var or jvswitch.ovsdb.remotes):"
                    + " the database is not served on any socket");
        }
        this.managerRemotes = new ManagerRemotes(db, this::applyManagerTargets);
    }

    /** Opens listeners for new Manager targets and closes those no longer wanted. */
    private synchronized void applyManagerTargets(java.util.Set<String> wanted) {
        if (closed) {
            return;
        }
        for (String target : new ArrayList<>(managerListeners.keySet())) {
            if (!wanted.contains(target)) {
                Listener l = managerListeners.remove(target);
                try {
                    l.close();
                    LOG.info("{}: manager remote closed", target);
                } catch (IOException e) {
                    LOG.warn("{}: {}", target, e.toString());
                }
            }
        }
        for (String target : new ArrayList<>(managerConnections.keySet())) {
            if (!wanted.contains(target)) {
                managerConnections.remove(target).close();
                LOG.info("{}: manager connection closed", target);
            }
        }
        for (String target : wanted) {
            if (managerListeners.containsKey(target) || managerConnections.containsKey(target)) {
                continue;
            }
            if (ActiveRemote.isActive(target)) {
                try {
                    managerConnections.put(target, new ActiveRemote(target, (channel, ended) -> {
                        if (!target.startsWith("unix:")) {
                            noDelay(channel);
                        }
                        if (target.startsWith("ssl:")) {
                            serveSsl(channel, target, false, ended);
                        } else {
                            serve(channel, target, target.startsWith("tcp:"), ended);
                        }
                    }));
                    LOG.info("{}: connecting (Manager row)", target);
                } catch (IllegalArgumentException e) {
                    LOG.error("{}", e.getMessage());
                }
                continue;
            }
            try {
                Remote remote = Remote.parse(target);
                managerListeners.put(target, Listener.open(remote, channel -> accepted(remote, channel)));
                LOG.info("{}: listening (Manager row)", target);
            } catch (IOException | IllegalArgumentException e) {
                LOG.error("{}: cannot listen: {}", target, e.getMessage());
            }
        }
    }

    /** Serves the database on a connection accepted on one of our listeners. */
    private void accepted(Remote remote, SocketChannel channel) {
        String name = switch (remote) {
            case Remote.Tcp t -> (t.ssl() ? "ssl:" : "tcp:") + address(channel);
            case Remote.Unix u -> "unix#" + unixConnections.incrementAndGet();
        };
        LOG.debug("{}: connection accepted on {}", name, remote.name());
        if (remote instanceof Remote.Tcp) {
            noDelay(channel);
        }
        if (remote instanceof Remote.Tcp t && t.ssl()) {
            serveSsl(channel, name, true, () -> { });
        } else {
            serve(channel, name, remote instanceof Remote.Tcp, () -> { });
        }
    }

    /**
     * An update and the reply after it go out as two writes: without this, Nagle's algorithm
     * holds the reply until the update is acknowledged.
     */
    private static void noDelay(SocketChannel channel) {
        try {
            channel.setOption(java.net.StandardSocketOptions.TCP_NODELAY, true);
        } catch (IOException e) {
            LOG.debug("TCP_NODELAY: {}", e.toString());
        }
    }

    /**
     * Runs the TLS handshake on a virtual thread of its own (the accept loop goes on), then the
     * session. A failed handshake (no or wrong certificate, no SSL files) is logged and the
     * connection closed, as ovsdb-server's stream-ssl does.
     */
    private void serveSsl(SocketChannel channel, String name, boolean server, Runnable ended) {
        Thread.ofVirtual().name("ovsdb-ssl " + name).start(() -> {
            SslChannel tls;
            try {
                tls = SslChannel.handshake(channel, ssl.current(), server);
            } catch (IOException e) {
                String reason = e.getMessage() == null || e.getMessage().equals("readHandshakeRecord")
                        ? "the peer closed the connection during the handshake" : e.getMessage();
                LOG.warn("{}: SSL {} failed: {}", name, server ? "accept" : "connect", reason);
                closeQuietly(channel);
                ended.run();
                return;
            }
            serve(tls, name, true, ended);
        });
    }

    /**
     * Runs a database session on {@code channel} (accepted or connected out); tcp connections are
     * probed for inactivity. {@code ended} runs once the session is over.
     */
    private void serve(ByteChannel channel, String name, boolean tcp, Runnable ended) {
        if (closed) {
            closeQuietly(channel);
            ended.run();
            return;
        }
        JsonRpcConnection connection = new JsonRpcConnection(channel, name, new JsonRpcConnection.Limits(
                config.maxMessage(), config.maxBacklog(), tcp ? config.probeMs() : 0));
        Session session = new Session(context, connection);
        context.sessionOpened(session);
        connection.start(new JsonRpcConnection.Handler() {
            @Override
            public void received(JsonRpcMessage message) {
                session.received(message);
            }

            @Override
            public void closed() {
                try {
                    session.closed();
                } finally {
                    ended.run();
                }
            }
        });
    }

    private static String address(SocketChannel channel) {
        try {
            SocketAddress a = channel.getRemoteAddress();
            return a == null ? "?" : a.toString().replaceFirst("^/", "");
        } catch (IOException e) {
            return "?";
        }
    }

    private static void closeQuietly(ByteChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // nothing to do
        }
    }

    /** Where the server listens, by remote as configured (ptcp port 0 shows the port chosen). */
    public Map<String, SocketAddress> addresses() throws IOException {
        Map<String, SocketAddress> out = new java.util.LinkedHashMap<>();
        for (Listener l : listeners) {
            out.put(l.remote().name(), l.localAddress());
        }
        for (Map.Entry<String, Listener> e : managerListeners.entrySet()) {
            out.put(e.getKey(), e.getValue().localAddress());
        }
        return out;
    }

    /** What the sessions share; tests drive a session over a channel of their own (fuzzing). */
    ServerContext context() {
        return context;
    }

    /** Number of open client sessions. */
    public int sessions() {
        return context == null ? 0 : context.sessions().size();
    }

    @Deactivate
    @Override
    public void close() {
        managerRemotes.close();
        synchronized (this) {
            closed = true;
            for (Listener l : managerListeners.values()) {
                try {
                    l.close();
                } catch (IOException e) {
                    LOG.warn("{}: {}", l.remote().name(), e.toString());
                }
            }
            managerListeners.clear();
            managerConnections.values().forEach(ActiveRemote::close);
            managerConnections.clear();
        }
        for (Listener l : listeners) {
            try {
                l.close();
            } catch (IOException e) {
                LOG.warn("{}: {}", l.remote().name(), e.toString());
            }
        }
        listeners.clear();
        if (context != null) {
            for (Session s : new ArrayList<>(context.sessions())) {
                s.close();
            }
        }
        for (Served s : served) {
            s.close();
        }
        serverDb.close();
    }
}
