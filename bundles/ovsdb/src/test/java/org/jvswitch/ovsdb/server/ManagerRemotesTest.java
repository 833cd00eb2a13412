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
    private static int managerPort(ServerFixture f, String target) throws Exception {
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
}
