package org.jvswitch.ovsdb.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Where the server listens, from framework properties, and the remote syntax. */
class ServerConfigTest {
    private static ServerConfig from(Map<String, String> props) {
        return ServerConfig.from(props::get);
    }

    @Test
    void defaultSocketInTheRunDirectory() {
        assertEquals(List.of("punix:/r/db.sock"), from(Map.of("jvswitch.rundir", "/r", "jvswitch.var", "/v")).remotes());
        assertEquals(List.of("punix:/v/run/db.sock"), from(Map.of("jvswitch.var", "/v")).remotes());
        assertEquals(List.of(), from(Map.of()).remotes());
    }

    @Test
    void moreRemotesFromTheProperty() {
        ServerConfig c = from(Map.of("jvswitch.var", "/v", "jvswitch.ovsdb.remotes",
                " ptcp:6640 , punix:/v/run/db.sock,ptcp:6641:0.0.0.0,", "jvswitch.ovsdb.max-message", "1024"));
        assertEquals(List.of("punix:/v/run/db.sock", "ptcp:6640", "ptcp:6641:0.0.0.0"), c.remotes());
        assertEquals(1024, c.maxMessage());
        assertEquals(ServerConfig.DEFAULT_PROBE_MS, c.probeMs());
    }

    @Test
    void remotes() {
        assertEquals("punix:/x/db.sock", Remote.parse("punix:/x/db.sock").name());
        // Loopback unless an address is given.
        assertEquals("ptcp:6640:127.0.0.1", Remote.parse("ptcp:6640").name());
        assertEquals("ptcp:6640:0.0.0.0", Remote.parse("ptcp:6640:0.0.0.0").name());
        assertEquals("ptcp:0:[0:0:0:0:0:0:0:1]", Remote.parse("ptcp:0:[::1]").name());
        for (String bad : List.of("punix:", "ptcp:x", "ptcp:70000", "tcp:1.2.3.4:6640", "unix:/x", "")) {
            assertThrows(IllegalArgumentException.class, () -> Remote.parse(bad), bad);
        }
    }
}
