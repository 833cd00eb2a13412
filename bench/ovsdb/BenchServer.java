import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

import org.jvswitch.ovsdb.internal.DbSync;
import org.jvswitch.ovsdb.internal.OvsdbService;
import org.jvswitch.ovsdb.server.OvsdbServer;
import org.jvswitch.ovsdb.server.ServerConfig;

/**
 * jvswitch's embedded database and OVSDB server without OSGi, for the side-by-side benchmarks:
 * {@code java -cp <bundles/ovsdb classpath> BenchServer DB_FILE|- SOCKET [PIDFILE]}
 * ({@code -}: in memory). Writes its PID to
 * PIDFILE once the socket accepts connections; stops (closing the server and the database) on
 * SIGTERM.
 */
public final class BenchServer {
    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: BenchServer DB_FILE SOCKET [PIDFILE]");
            System.exit(2);
        }
        // "-" for an in-memory database: what the server costs without the log.
        // -Djvswitch.db.sync=durable: commits forced only when they ask, as ovsdb-server.
        OvsdbService db = new OvsdbService(args[0].equals("-") ? null : Path.of(args[0]),
                DbSync.parse(System.getProperty(DbSync.PROPERTY)));
        OvsdbServer server = new OvsdbServer(db, ServerConfig.of("punix:" + args[1]));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            db.close();
            stopped.countDown();
        }));
        if (args.length > 2) {
            Files.writeString(Path.of(args[2]), ProcessHandle.current().pid() + "\n");
        }
        System.out.println("BenchServer ready on " + args[1]);
        stopped.await();
    }
}
