package org.jvswitch.ovsdb.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.jvswitch.api.ovsdb.DbTransaction;
import org.jvswitch.api.ovsdb.OvsdbException;
import org.jvswitch.ovsdb.internal.Database;
import org.jvswitch.ovsdb.internal.OvsdbService;

/**
 * The server's own {@code _Server} database (ovsdb-server.c's update_server_status): one row per
 * database served, which the Open vSwitch client library reads before anything else to learn the
 * databases, their schemas and whether they may be written. Every database here is standalone:
 * connected and leader, without cluster id, server id or log index.
 */
final class ServerDatabase {
    private static final String SCHEMA = "/org/jvswitch/ovsdb/server/_server.ovsschema";

    private ServerDatabase() {
    }

    /** A new in-memory {@code _Server} database describing {@code served} and itself. */
    static OvsdbService create(List<Database> served) {
        String schema;
        try (InputStream in = ServerDatabase.class.getResourceAsStream(SCHEMA)) {
            if (in == null) {
                throw new IllegalStateException("resource " + SCHEMA + " missing from the bundle");
            }
            schema = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            OvsdbService server = OvsdbService.inMemory(schema);
            DbTransaction txn = server.begin();
            for (Database db : served) {
                insert(txn, db.name(), db.schema().json());
            }
            insert(txn, server.name(), server.schema().json());
            txn.comment("_Server");
            txn.commit();
            return server;
        } catch (IOException | OvsdbException e) {
            throw new IllegalStateException("cannot create the _Server database", e);
        }
    }

    private static void insert(DbTransaction txn, String name, String schema) throws OvsdbException {
        txn.insert("Database", Map.of("name", name, "model", "standalone", "connected", true, "leader", true,
                "schema", schema));
    }
}
