package org.jvswitch.ovsdb.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import org.jvswitch.api.ovsdb.DbRow;
import org.jvswitch.api.ovsdb.DbSubscription;
import org.jvswitch.api.ovsdb.DbTransaction;
import org.jvswitch.api.ovsdb.OvsdbException;
import org.jvswitch.ovsdb.internal.OvsdbService;

/**
 * The database and the server on a temporary directory: {@code punix:<dir>/db.sock} and
 * {@code ptcp:0} on loopback. Optionally plays the switch's side of ovs-vsctl's handshake.
 */
final class ServerFixture implements AutoCloseable {
    final Path dir;
    final OvsdbService db;
    final OvsdbServer server;
    final Path socket;
    private ExecutorService switchThread;
    private DbSubscription switchSubscription;

    ServerFixture(Path dir) throws IOException {
        this(dir, ServerConfig.DEFAULT_PROBE_MS, ServerConfig.DEFAULT_MAX_MESSAGE);
    }

    ServerFixture(Path dir, long probeMs, long maxMessage) throws IOException {
        this(dir, probeMs, maxMessage, UnaryOperator.identity());
    }

    /** With the configuration changed by {@code adjust} (more remotes, SSL files). */
    ServerFixture(Path dir, UnaryOperator<ServerConfig> adjust) throws IOException {
        this(dir, ServerConfig.DEFAULT_PROBE_MS, ServerConfig.DEFAULT_MAX_MESSAGE, adjust);
    }

    private ServerFixture(Path dir, long probeMs, long maxMessage, UnaryOperator<ServerConfig> adjust)
            throws IOException {
        this.dir = dir;
        this.socket = dir.resolve("run").resolve("db.sock");
        this.db = new OvsdbService(dir.resolve("conf.db"));
        OvsdbServer s;
        try {
            s = new OvsdbServer(db, adjust.apply(new ServerConfig(List.of("punix:" + socket, "ptcp:0"), maxMessage,
                    ServerConfig.DEFAULT_MAX_BACKLOG, probeMs)));
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
        this.server = s;
    }

    /** The --db argument for the clients. */
    String unix() {
        return "unix:" + socket;
    }

    int tcpPort() throws IOException {
        return server.addresses().values().stream().filter(a -> a instanceof InetSocketAddress)
                .map(a -> ((InetSocketAddress) a).getPort()).findFirst().orElseThrow();
    }

    /** ovs-vsctl with --db set, no --no-wait unless given. */
    Proc.Result vsctl(String... args) {
        List<String> cmd = new ArrayList<>(List.of(Proc.OVS_VSCTL.toString(), "--db=" + unix()));
        cmd.addAll(List.of(args));
        return Proc.run(Duration.ofSeconds(30), cmd);
    }

    /** ovs-vsctl --no-wait ARGS. */
    Proc.Result nowait(String... args) {
        List<String> cmd = new ArrayList<>(List.of("--no-wait"));
        cmd.addAll(List.of(args));
        return vsctl(cmd.toArray(new String[0]));
    }

    Proc.Result client(String... args) {
        List<String> cmd = new ArrayList<>(List.of(Proc.OVSDB_CLIENT.toString()));
        cmd.addAll(List.of(args));
        return Proc.run(Duration.ofSeconds(30), cmd);
    }

    /**
     * Plays ovs-vswitchd's part, from another thread as the switch would: after each change, in
     * one transaction, sets cur_cfg to next_cfg and gives every Interface without one an ofport
     * (65534 for a bridge's internal interface, else the lowest free number from 1).
     */
    void simulateSwitch() {
        switchThread = Executors.newSingleThreadExecutor(r -> Thread.ofPlatform().daemon().name("fake-switch")
                .unstarted(r));
        switchSubscription = db.subscribe(change -> {
            if (change.touches("Open_vSwitch") || change.touches("Interface")) {
                switchThread.submit(this::reconfigure);
            }
        });
    }

    private void reconfigure() {
        try {
            DbTransaction t = db.begin();
            DbRow root = t.view().rows("Open_vSwitch").iterator().next();
            Set<Long> used = new TreeSet<>();
            List<DbRow> pending = new ArrayList<>();
            for (DbRow i : t.view().rows("Interface")) {
                Set<Long> ofport = i.getSet("ofport");
                if (ofport.isEmpty()) {
                    pending.add(i);
                } else {
                    used.addAll(ofport);
                }
            }
            long next = 1;
            for (DbRow i : pending) {
                long port;
                if (i.getString("type").equals("internal")) {
                    port = 65534;
                } else {
                    while (used.contains(next)) {
                        next++;
                    }
                    port = next++;
                }
                t.update("Interface", i.uuid(), Map.of("ofport", port));
            }
            if (!root.get("cur_cfg").equals(root.get("next_cfg"))) {
                t.update("Open_vSwitch", root.uuid(), new HashMap<>(Map.of("cur_cfg", root.get("next_cfg"))));
            }
            t.commit();
        } catch (OvsdbException | RuntimeException e) {
            // A concurrent change; the next notification brings us back.
        }
    }

    @Override
    public void close() throws IOException {
        try {
            if (switchSubscription != null) {
                switchSubscription.close();
                switchThread.shutdownNow();
                switchThread.awaitTermination(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            server.close();
            db.close();
            // A killed client may leave nothing behind, but make sure the socket went with the server.
            Files.deleteIfExists(socket);
        }
    }
}
