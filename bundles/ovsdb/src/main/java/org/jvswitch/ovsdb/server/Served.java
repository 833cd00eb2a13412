package org.jvswitch.ovsdb.server;

import java.io.IOException;
import java.io.UncheckedIOException;

import org.jvswitch.ovsdb.internal.Database;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** A database the server serves, with its monitors, its pending transactions and its schema as JSON. */
final class Served implements AutoCloseable {
    final String name;
    final Database db;
    final Triggers triggers;
    final MonitorHub hub;
    /** The schema text as the bundle stores it, parsed once for get_schema. */
    final JsonNode schema;

    Served(Database db) {
        this.name = db.name();
        this.db = db;
        this.triggers = new Triggers(db);
        this.hub = new MonitorHub(db, triggers::dbChanged);
        try {
            this.schema = new ObjectMapper().readTree(db.schema().json());
        } catch (IOException e) {
            throw new UncheckedIOException("schema of " + name + " is not JSON", e);
        }
    }

    @Override
    public void close() {
        hub.close();
        triggers.close();
    }
}
