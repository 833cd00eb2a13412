package org.jvswitch.ofproto.ofp;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.jvswitch.api.ofproto.ControllerStatus;
import org.jvswitch.api.ofproto.ControllerTarget;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bridge's OpenFlow connections (Open vSwitch's {@code connmgr}): the service connections of
 * its management socket and its controllers ({@code Bridge.controller}): active targets
 * ({@code tcp:IP[:PORT]}, {@code unix:PATH}) it connects to and reconnects with exponential
 * backoff, passive ones ({@code ptcp:PORT[:IP]}, {@code punix:PATH}) it listens on. Delivers
 * packet-ins to the connections that want them and elects the master among controllers.
 *
 * <p>Thread-safety: {@link #setControllers} and {@link #status} are called on the bridge thread;
 * {@link #sendPacketIn} and {@link #wantsTableMisses} on datapath threads; connections come and go
 * on their own threads.
 */
public final class Connmgr implements OfpSession.Roles, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Connmgr.class);
    /** OpenFlow's registered port, Open vSwitch's default for tcp: and ptcp: targets. */
    public static final int DEFAULT_PORT = 6653;

    private final SwitchView sw;
    private final Set<OfpConnection> conns = ConcurrentHashMap.newKeySet();
    private final Map<String, Controller> controllers = new ConcurrentHashMap<>();
    private final Object generationLock = new Object();
    private boolean generationSet;
    private long maxGeneration;
    private volatile boolean closed;
    private volatile Runnable statusListener = () -> { };

    /** {@code r} runs (on a connection thread) when a controller connects, disconnects or changes role. */
    public void setStatusListener(Runnable r) {
        statusListener = r == null ? () -> { } : r;
    }

    private void statusChanged() {
        try {
            statusListener.run();
        } catch (RuntimeException e) {
            LOG.warn("{}: controller status listener failed", sw.name(), e);
        }
    }

    public Connmgr(SwitchView sw) {
        this.sw = sw;
        OfTables t = sw.flowTables();
        if (t != null) {
            t.setMonitor(new OfTables.Monitor() {
                @Override
                public boolean active() {
                    for (OfpConnection c : conns) {
                        if (c.session.monitoring()) {
                            return true;
                        }
                    }
                    return false;
                }

                @Override
                public void updates(List<OfTables.FlowUpdate> updates) {
                    sendFlowUpdates(updates);
                }
            });
        }
    }

    /**
     * Queues flow monitor updates on every connection that monitors the changed rules. A
     * connection whose queue is half full is paused first (Open vSwitch's flow control): it gets
     * PAUSED, then only removals of rules it was told of, until its writer catches up and sends
     * what changed meanwhile and RESUMED.
     */
    private void sendFlowUpdates(List<OfTables.FlowUpdate> updates) {
        for (OfpConnection c : conns) {
            OfpSession s = c.session;
            if (!s.monitoring()) {
                continue;
            }
            if (!s.monitorsPaused() && c.backlog() > OfpConnection.ASYNC_QUEUE / 2) {
                long first = Long.MAX_VALUE;
                for (OfTables.FlowUpdate u : updates) {
                    first = Math.min(first, u.rule().modifySeq);
                }
                c.offer(s.pauseMonitors(first - 1));
            }
            for (byte[] m : s.flowUpdates(updates)) {
                c.offer(m);
            }
        }
    }

    void add(OfpConnection c) {
        if (c.session.isPrimary()) {
            c.snoop = this::snoop;
        }
        conns.add(c);
        statusChanged();
    }

    /** Clients of the bridge's snoop socket: each gets a copy of all controller traffic. */
    private final Set<OfpConnection> snoopers = ConcurrentHashMap.newKeySet();

    /** A connection on {@code <bridge>.snoop}: it receives copies, its own messages are ignored. */
    void addSnooper(OfpConnection c) {
        snoopers.add(c);
    }

    void removeSnooper(OfpConnection c) {
        snoopers.remove(c);
    }

    private void snoop(byte[] m) {
        for (OfpConnection s : snoopers) {
            s.offer(m);
        }
    }

    void remove(OfpConnection c) {
        conns.remove(c);
        statusChanged();
    }

    /** True if some connection takes packet-ins for table misses (then a miss goes to the controller). */
    public boolean wantsTableMisses() {
        for (OfpConnection c : conns) {
            if (c.session.wantsTableMisses()) {
                return true;
            }
        }
        return false;
    }

    /** Queues {@code pi} on every connection that takes packet-ins; never blocks. Datapath thread. */
    public void sendPacketIn(PacketIn pi) {
        for (OfpConnection c : conns) {
            OfpSession s = c.session;
            if (s.wantsPacketIns()) {
                c.offer(s.packetIn(pi));
            }
        }
    }

    /** Queues OFPT_FLOW_REMOVED for {@code r} on every connection that takes asynchronous messages. */
    public void sendFlowRemoved(OfRule r, int reason) {
        for (OfpConnection c : conns) {
            byte[] m = c.session.flowRemoved(r, reason);
            if (m != null) {
                c.offer(m);
            }
        }
    }

    @Override
    public void becameMaster(OfpSession s) {
        for (OfpConnection c : conns) {
            if (c.session != s) {
                c.session.demote();
            }
        }
        statusChanged();
    }

    @Override
    public void negotiated(OfpSession s) {
        statusChanged();
    }

    @Override
    public boolean generation(long generationId) {
        synchronized (generationLock) {
            if (generationSet && generationId - maxGeneration < 0) {
                return false;
            }
            generationSet = true;
            maxGeneration = generationId;
            return true;
        }
    }

    /** Connects to, listens on, or drops controllers so that exactly {@code targets} remain. */
    public synchronized void setControllers(List<ControllerTarget> targets) {
        if (controllers.isEmpty() && !targets.isEmpty()) {
            lonelySinceMillis = System.currentTimeMillis();     // fail-open counts from now
        }
        Map<String, ControllerTarget> wanted = new LinkedHashMap<>();
        for (ControllerTarget t : targets) {
            wanted.put(t.target(), t);
        }
        for (Map.Entry<String, Controller> e : Map.copyOf(controllers).entrySet()) {
            ControllerTarget t = wanted.get(e.getKey());
            if (t == null || !t.equals(e.getValue().config)) {
                controllers.remove(e.getKey()).close();
                LOG.info("{}: removed controller {}", sw.name(), e.getKey());
            }
        }
        for (ControllerTarget t : wanted.values()) {
            if (!controllers.containsKey(t.target())) {
                controllers.put(t.target(), new Controller(t));
            }
        }
        probeMillis = wanted.values().stream().mapToInt(ControllerTarget::inactivityProbeMillis)
                .filter(p -> p > 0).min().orElse(5_000);
    }

    /** When the last controller connection ended or controllers were configured; 0 while one is connected. */
    private volatile long lonelySinceMillis = System.currentTimeMillis();
    /** The shortest inactivity probe among the controllers (Open vSwitch's fail-open delay is three). */
    private volatile int probeMillis = 5_000;

    /**
     * True if controllers are configured but none has been connected for three inactivity
     * probe intervals: a standalone bridge then fails open (Open vSwitch's fail_open).
     */
    public boolean failedOpen(long nowMillis) {
        if (controllers.isEmpty()) {
            return false;
        }
        for (OfpConnection c : conns) {
            if (c.session.isPrimary() && c.session.version() != 0) {
                lonelySinceMillis = 0;
                return false;
            }
        }
        long since = lonelySinceMillis;
        if (since == 0) {
            lonelySinceMillis = nowMillis;
            return false;
        }
        return nowMillis - since >= 3L * probeMillis;
    }

    /** Each controller's state for its Controller row. */
    public Map<String, ControllerStatus> status() {
        Map<String, ControllerStatus> out = new LinkedHashMap<>();
        for (Controller c : controllers.values()) {
            out.put(c.config.target(), c.status());
        }
        return out;
    }

    @Override
    public synchronized void close() {
        closed = true;
        for (Controller c : controllers.values()) {
            c.close();
        }
        controllers.clear();
    }

    /** One Controller row's connection(s). */
    private final class Controller {
        final ControllerTarget config;
        private final String name;
        private volatile boolean stopped;
        private volatile OfpConnection current;
        private volatile OfpListener listener;
        private volatile String state = "BACKOFF";
        private volatile String lastError;
        private volatile long connectedAt;
        private volatile long disconnectedAt;
        private final Thread thread;

        Controller(ControllerTarget config) {
            this.config = config;
            this.name = sw.name() + "<->" + config.target();
            String t = config.target();
            if (t.startsWith("ptcp:") || t.startsWith("punix:")) {
                thread = null;
                listen();
            } else {
                thread = Thread.ofPlatform().daemon().name("ofp-ctl-" + name).start(this::connectLoop);
            }
        }

        private void listen() {
            String t = config.target();
            try {
                if (t.startsWith("punix:")) {
                    listener = OfpListener.unix(Path.of(t.substring(6)), sw, Connmgr.this, true,
                            config.inactivityProbeMillis(), "rwxr-x---");
                } else {
                    listener = OfpListener.tcp(passiveAddress(t.substring(5)), sw, Connmgr.this,
                            config.inactivityProbeMillis());
                }
                state = "ACTIVE";
            } catch (IOException | RuntimeException e) {
                lastError = e.getMessage() == null ? e.toString() : e.getMessage();
                state = "VOID";
                LOG.warn("{}: {}: listen failed: {}", sw.name(), t, lastError);
            }
        }

        private void connectLoop() {
            long backoff = 1000;
            while (!stopped && !closed) {
                state = "CONNECTING";
                LOG.info("{}: connecting...", name);
                SocketChannel ch = null;
                try {
                    ch = open(config.target());
                } catch (IOException | RuntimeException e) {
                    lastError = e.getMessage() == null ? e.toString() : e.getMessage();
                    LOG.info("{}: connection failed ({})", name, lastError);
                }
                if (ch != null) {
                    OfpConnection c = new OfpConnection(name, ch, new OfpSession(sw, true, Connmgr.this),
                            config.inactivityProbeMillis());
                    current = c;
                    connectedAt = System.currentTimeMillis();
                    state = "ACTIVE";
                    LOG.info("{}: connected", name);
                    add(c);
                    try {
                        if (!stopped) {
                            c.run();
                        }
                    } finally {
                        remove(c);
                        current = null;
                        disconnectedAt = System.currentTimeMillis();
                    }
                    if (!stopped) {
                        LOG.info("{}: connection dropped", name);
                    }
                    if (disconnectedAt - connectedAt > backoff) {
                        backoff = 1000;
                    }
                }
                state = "BACKOFF";
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException e) {
                    return;
                }
                backoff = Math.min(backoff * 2, Math.max(1000, config.maxBackoffMillis()));
            }
        }

        ControllerStatus status() {
            long now = System.currentTimeMillis();
            Map<String, String> st = new LinkedHashMap<>();
            boolean connected;
            String role = null;
            OfpListener l = listener;
            if (l != null) {
                connected = l.connectionCount() > 0;
                for (OfpConnection c : l.connections()) {
                    role = c.session.roleName();
                    break;
                }
                st.put("state", state);
            } else {
                OfpConnection c = current;
                connected = c != null && c.session.version() != 0 && !c.isDone();
                if (connected) {
                    role = c.session.roleName();
                    st.put("sec_since_connect", String.valueOf((now - connectedAt) / 1000));
                }
                if (disconnectedAt != 0) {
                    st.put("sec_since_disconnect", String.valueOf((now - disconnectedAt) / 1000));
                }
                st.put("state", connected ? "ACTIVE" : state);
            }
            if (lastError != null) {
                st.put("last_error", lastError);
            }
            return new ControllerStatus(connected, role, st);
        }

        void close() {
            stopped = true;
            if (thread != null) {
                thread.interrupt();
            }
            OfpConnection c = current;
            if (c != null) {
                c.close();
            }
            OfpListener l = listener;
            if (l != null) {
                l.close();
            }
        }
    }

    /** Connects to an active target: "tcp:IP[:PORT]" or "unix:PATH". */
    private static SocketChannel open(String target) throws IOException {
        if (target.startsWith("unix:")) {
            SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
            try {
                ch.connect(UnixDomainSocketAddress.of(target.substring(5)));
            } catch (IOException e) {
                ch.close();
                throw e;
            }
            return ch;
        }
        if (!target.startsWith("tcp:")) {
            throw new IOException("unsupported controller target " + target);
        }
        String rest = target.substring(4);
        String host;
        int port = DEFAULT_PORT;
        if (rest.startsWith("[")) {
            int end = rest.indexOf(']');
            host = rest.substring(1, end);
            if (rest.length() > end + 1 && rest.charAt(end + 1) == ':') {
                port = Integer.parseInt(rest.substring(end + 2));
            }
        } else {
            int colon = rest.lastIndexOf(':');
            host = colon < 0 ? rest : rest.substring(0, colon);
            if (colon >= 0) {
                port = Integer.parseInt(rest.substring(colon + 1));
            }
        }
        SocketChannel ch = SocketChannel.open();
        try {
            ch.socket().connect(new InetSocketAddress(InetAddress.getByName(host), port), 5000);
            ch.setOption(java.net.StandardSocketOptions.TCP_NODELAY, true);
        } catch (IOException e) {
            ch.close();
            throw e;
        }
        return ch;
    }

    /** "PORT[:IP]" of a ptcp: target; no address means every address, as Open vSwitch. */
    private static InetSocketAddress passiveAddress(String rest) throws IOException {
        int colon = rest.indexOf(':');
        int port = colon < 0 ? (rest.isEmpty() ? DEFAULT_PORT : Integer.parseInt(rest)) : Integer.parseInt(rest.substring(0, colon));
        if (colon < 0) {
            return new InetSocketAddress(port);
        }
        String ip = rest.substring(colon + 1);
        if (ip.startsWith("[") && ip.endsWith("]")) {
            ip = ip.substring(1, ip.length() - 1);
        }
        return new InetSocketAddress(InetAddress.getByName(ip), port);
    }
}
