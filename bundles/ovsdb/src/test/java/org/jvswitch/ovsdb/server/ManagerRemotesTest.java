package org.jvswitch.ovsdb.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `ovs-vsctl set-manager ptcp:...` makes the server listen there; del-manager closes it. (The
 * fixture already listens on ptcp:0 on 127.0.0.1, so the Manager target uses 127.0.0.2.)
 */
class ManagerRemotesTest {
    static int managerPort(ServerFixture f, String target) throws Exception {
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline) {
            SocketAddress a = f.server.addresses().get(target);
            if (a instanceof InetSocketAddress i) {
                return i.getPort();
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no listener for " + target + ": " + f.server.addresses());
    }

    @Test
    void setManagerOpensARemoteAndDelManagerClosesIt(@TempDir Path dir) throws Exception {
        try (ServerFixture f = new ServerFixture(dir)) {
            assertEquals(0, f.nowait("set-manager", "ptcp:0:127.0.0.2").rc());
            int port = managerPort(f, "ptcp:0:127.0.0.2");
            Proc.Result dbs = Proc.run(Duration.ofSeconds(20),
                    List.of(Proc.OVSDB_CLIENT.toString(), "list-dbs", "tcp:127.0.0.2:" + port));
            assertEquals("Open_vSwitch\n_Server\n", dbs.out(), dbs.err());

            assertEquals(0, f.nowait("del-manager").rc());
            long deadline = System.currentTimeMillis() + 10_000;
            while (f.server.addresses().containsKey("ptcp:0:127.0.0.2") && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(!f.server.addresses().containsKey("ptcp:0:127.0.0.2"), "listener closed");
            Proc.Result refused = Proc.run(Duration.ofSeconds(20),
                    List.of(Proc.OVSDB_CLIENT.toString(), "--timeout=2", "list-dbs", "tcp:127.0.0.2:" + port));
            assertTrue(refused.rc() != 0, "no longer served on " + port);
        }
    }

    static int freePort() throws Exception {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /**
     * An active manager target: `ovs-vsctl set-manager tcp:IP:PORT` makes the server connect out
     * and serve the database on that connection. The real ovsdb-client, waiting passively on
     * ptcp:PORT, lists the databases over it; a unix: target works the same; a manager that is
     * not there yet is retried until it is.
     */
    @Test
    void setManagerTcpConnectsOutToTheManager(@TempDir Path dir) throws Exception {
        try (ServerFixture f = new ServerFixture(dir)) {
            int port = freePort();
            // Set before the manager listens: the server keeps retrying (1 s, then 2 s, ...).
            assertEquals(0, f.nowait("set-manager", "tcp:127.0.0.1:" + port).rc());
            Thread.sleep(300);
            Proc.Result dbs = Proc.run(Duration.ofSeconds(30),
                    List.of(Proc.OVSDB_CLIENT.toString(), "list-dbs", "ptcp:" + port + ":127.0.0.1"));
            assertEquals("Open_vSwitch\n_Server\n", dbs.out(), dbs.err());
            // Again: after the manager closed the connection, the server connects anew.
            Proc.Result again = Proc.run(Duration.ofSeconds(30),
                    List.of(Proc.OVSDB_CLIENT.toString(), "get-schema-version", "ptcp:" + port + ":127.0.0.1", "Open_vSwitch"));
            assertTrue(again.out().matches("\\d+\\.\\d+\\.\\d+\\n"), again.out() + again.err());

            Path sock = dir.resolve("manager.sock");
            assertEquals(0, f.nowait("set-manager", "unix:" + sock).rc());
            Proc.Result overUnix = Proc.run(Duration.ofSeconds(30),
                    List.of(Proc.OVSDB_CLIENT.toString(), "list-dbs", "punix:" + sock));
            assertEquals("Open_vSwitch\n_Server\n", overUnix.out(), overUnix.err());
            assertEquals(0, f.nowait("del-manager").rc());
        }
    }
}
