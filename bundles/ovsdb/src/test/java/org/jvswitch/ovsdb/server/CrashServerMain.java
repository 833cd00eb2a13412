package org.jvswitch.ovsdb.server;

import java.nio.file.Path;

import org.jvswitch.ovsdb.internal.DbSync;
import org.jvswitch.ovsdb.internal.OvsdbService;

/** The server in a process of its own, for {@link KillNineTest}: {@code DB_FILE SOCKET}; runs until killed. */
public final class CrashServerMain {
    private CrashServerMain() {
    }

    public static void main(String[] args) throws Exception {
        OvsdbService db = new OvsdbService(Path.of(args[0]), DbSync.parse(System.getProperty(DbSync.PROPERTY)));
        new OvsdbServer(db, ServerConfig.of("punix:" + args[1]));
        Thread.sleep(Long.MAX_VALUE);
    }
}
