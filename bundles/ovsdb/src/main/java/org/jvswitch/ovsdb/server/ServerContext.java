package org.jvswitch.ovsdb.server;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What the sessions of one server share (Open vSwitch's struct ovsdb_server): the databases by
 * name, the locks, the server's id and the live sessions.
 */
final class ServerContext {
    private final Map<String, Served> databases = new LinkedHashMap<>();
    private final Locks locks = new Locks();
    private final UUID id = UUID.randomUUID();
    private final Set<Session> sessions = ConcurrentHashMap.newKeySet();

    ServerContext(Collection<Served> served) {
        for (Served s : served) {
            databases.put(s.name, s);
        }
    }

    /** The database a request's params name first, or null if none (or the params do not start with a name). */
    Served db(JsonNode params) {
        if (params.isEmpty() || !params.get(0).isTextual()) {
            return null;
        }
        return databases.get(params.get(0).textValue());
    }

    Collection<Served> databases() {
        return databases.values();
    }

    Locks locks() {
        return locks;
    }

    UUID id() {
        return id;
    }

    void sessionOpened(Session s) {
        sessions.add(s);
    }

    void sessionClosed(Session s) {
        sessions.remove(s);
    }

    Collection<Session> sessions() {
        return sessions;
    }
}
