package org.jvswitch.ovsdb.server;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import org.jvswitch.api.ovsdb.DbChange;
import org.jvswitch.api.ovsdb.DbSchema;
import org.jvswitch.api.ovsdb.OvsdbException;
import org.jvswitch.ovsdb.internal.Condition;
import org.jvswitch.ovsdb.internal.Database;
import org.jvswitch.ovsdb.internal.Errors;
import org.jvswitch.ovsdb.internal.OpParser;
import org.jvswitch.ovsdb.internal.OvsJson;
import org.jvswitch.ovsdb.internal.OvsdbSyntaxException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

/**
 * One client connection's OVSDB session (Open vSwitch's ovsdb_jsonrpc_session in
 * ovsdb/jsonrpc-server.c): dispatches its requests, and owns its monitors, pending transactions
 * and locks, which all end with it.
 *
 * <p>Requests are handled one at a time on the connection's reader thread, in arrival order; a
 * transaction whose "wait" is not yet satisfied does not hold up later requests (its reply comes
 * when it completes). Replies, monitor updates and lock notifications go through the connection's
 * send queue, which keeps their order.
 */
final class Session implements JsonRpcConnection.Handler {
    private static final Logger LOG = LoggerFactory.getLogger(Session.class);
    private static final Pattern UUID_TEXT =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private final ServerContext server;
    private final JsonRpcConnection connection;
    private final Map<JsonNode, Monitor> monitors = new ConcurrentHashMap<>();
    private final Map<JsonNode, Trigger> triggers = new ConcurrentHashMap<>();
    private final Map<String, Locks.Waiter> waiters = new ConcurrentHashMap<>();
    /** set_db_change_aware: the client wants "canceled" replies and monitor_canceled notifications. */
    private volatile boolean dbChangeAware;
    /**
     * Set once the connection closed. Monitors, pending transactions and lock waiters are only
     * added while holding this object's monitor and seeing it false, so that nothing is added
     * after {@link #closed} collected what to release.
     */
    private boolean ended;

    Session(ServerContext server, JsonRpcConnection connection) {
        this.server = server;
        this.connection = connection;
    }

    void send(ObjectNode message) {
        connection.send(message);
    }

    void sendBytes(byte[] message) {
        connection.sendBytes(message);
    }

    void close() {
        connection.close();
    }

    @Override
    public String toString() {
        return connection.name();
    }

    @Override
    public void received(JsonRpcMessage m) {
        switch (m.kind()) {
            case REQUEST -> request(m);
            case NOTIFY -> {
                if ("cancel".equals(m.method())) {
                    cancel(m.params());
                }
            }
            default -> {
                LOG.warn("{}: received unexpected {} message", this, m.kind() == JsonRpcMessage.Kind.REPLY
                        ? "reply" : "error");
                close();
            }
        }
    }

    /** ovsdb_jsonrpc_session_got_request. */
    private void request(JsonRpcMessage m) {
        ObjectNode reply = switch (m.method()) {
            case "transact" -> transact(m);
            case "monitor" -> monitor(m, MonitorVersion.V1);
            case "monitor_cond" -> monitor(m, MonitorVersion.V2);
            case "monitor_cond_since" -> monitor(m, MonitorVersion.V3);
            case "monitor_cond_change" -> monitorCondChange(m);
            case "monitor_cancel" -> monitorCancel(m);
            case "get_schema" -> {
                Served db = server.db(m.params());
                yield db == null ? unknownDb(m) : JsonRpcMessage.reply(db.schema, m.id());
            }
            case "list_dbs" -> {
                ArrayNode names = OvsJson.NODES.arrayNode();
                server.databases().forEach(db -> names.add(db.name));
                yield JsonRpcMessage.reply(names, m.id());
            }
            case "get_server_id" -> JsonRpcMessage.reply(TextNode.valueOf(server.id().toString()), m.id());
            case "lock" -> lock(m, false);
            case "steal" -> lock(m, true);
            case "unlock" -> unlock(m);
            case "set_db_change_aware" -> {
                ArrayNode p = m.params();
                if (p.size() != 1 || !p.get(0).isBoolean()) {
                    yield syntaxErrorReply(m, "true or false parameter expected");
                }
                dbChangeAware = p.get(0).booleanValue();
                yield JsonRpcMessage.reply(OvsJson.NODES.objectNode(), m.id());
            }
            case "echo" -> JsonRpcMessage.reply(m.params(), m.id());
            default -> JsonRpcMessage.error(TextNode.valueOf("unknown method"), m.id());
        };
        if (reply != null) {
            send(reply);
        }
    }

    // --- databases ---

    /** ovsdb_jsonrpc_lookup_db's error reply (the caller found no database). */
    private static ObjectNode unknownDb(JsonRpcMessage m) {
        ArrayNode p = m.params();
        OvsdbException e = p.isEmpty() || !p.get(0).isTextual()
                ? new OvsdbSyntaxException(p, null, m.method() + " request params must begin with <db-name>")
                : new OvsdbSyntaxException(p, "unknown database", m.method() + " request specifies unknown database "
                        + p.get(0).textValue());
        return JsonRpcMessage.error(Errors.toJson(e), m.id());
    }

    private static ObjectNode syntaxErrorReply(JsonRpcMessage m, String details) {
        return JsonRpcMessage.error(Errors.toJson(new OvsdbSyntaxException(m.params(), null,
                m.method() + ": " + details)), m.id());
    }

    private static ObjectNode error(OvsdbException e, JsonNode id) {
        return JsonRpcMessage.error(Errors.toJson(e), id);
    }

    // --- transactions ---

    private ObjectNode transact(JsonRpcMessage m) {
        Served db = server.db(m.params());
        if (db == null) {
            return unknownDb(m);
        }
        if (triggers.containsKey(m.id())) {
            return syntaxErrorReply(m, "duplicate request ID");
        }
        long created = System.nanoTime();
        Database.Result r = db.db.transact(m.params(), new Database.Context(0, this::ownsLock, true));
        if (!r.pending()) {
            return JsonRpcMessage.reply(r.result(), m.id());
        }
        Trigger t = new Trigger(this, m.id(), m.params(), created, r.timeoutMs());
        synchronized (this) {
            if (!ended) {
                triggers.put(m.id(), t);
                db.triggers.add(t, r.version());
            }
        }
        return null;
    }

    /** A pending transaction completed (on the triggers' thread). */
    void triggerDone(Trigger t, JsonNode result) {
        if (triggers.remove(t.id, t)) {
            send(JsonRpcMessage.reply(result, t.id));
        }
    }

    /**
     * The "cancel" notification. As in ovsdb-server, the request is answered "canceled" only if
     * the client declared itself change aware; otherwise it is dropped without a reply.
     */
    private void cancel(ArrayNode params) {
        if (params.size() != 1) {
            return;
        }
        Trigger t = triggers.remove(params.get(0));
        if (t != null) {
            for (Served db : server.databases()) {
                db.triggers.remove(t);
            }
            if (dbChangeAware) {
                send(JsonRpcMessage.error(TextNode.valueOf("canceled"), t.id));
            }
        }
    }

    // --- monitors ---

    /** ovsdb_jsonrpc_monitor_create. */
    private ObjectNode monitor(JsonRpcMessage m, MonitorVersion version) {
        Served db = server.db(m.params());
        if (db == null) {
            return unknownDb(m);
        }
        ArrayNode params = m.params();
        // Plain "monitor" has no fixed count in ovsdb-server (which crashes on fewer than 3).
        if ((version == MonitorVersion.V1 && params.size() < 3) || (version == MonitorVersion.V2 && params.size() != 3)
                || (version == MonitorVersion.V3 && params.size() != 4)) {
            return error(new OvsdbSyntaxException(params, null, "invalid parameters"), m.id());
        }
        JsonNode id = params.get(1);
        JsonNode requests = params.get(2);
        if (!requests.isObject()) {
            return error(new OvsdbSyntaxException(requests, null, "monitor-requests must be object"), m.id());
        }
        if (monitors.containsKey(id)) {
            return error(new OvsdbSyntaxException(id, null, "duplicate monitor ID"), m.id());
        }
        Map<String, MonitorTable> tables = new LinkedHashMap<>();
        UUID lastId = MonitorHub.ZERO;
        try {
            for (Map.Entry<String, JsonNode> e : requests.properties()) {
                DbSchema.Table table = db.db.schema().tables().get(e.getKey());
                if (table == null) {
                    throw new OvsdbSyntaxException(null, null, "no table named " + e.getKey());
                }
                MonitorTable mt = tables.computeIfAbsent(table.name(), n -> new MonitorTable(table));
                boolean conditional = version != MonitorVersion.V1;
                if (e.getValue().isArray()) {
                    for (JsonNode request : e.getValue()) {
                        mt.add(request, conditional);
                    }
                } else {
                    mt.add(e.getValue(), conditional);
                }
            }
            if (version == MonitorVersion.V3) {
                JsonNode last = params.get(3);
                if (!last.isTextual()) {
                    throw new OvsdbSyntaxException(last, null, "last-txn-id must be string");
                }
                if (!UUID_TEXT.matcher(last.textValue()).matches()) {
                    throw new OvsdbSyntaxException(last, null, "last-txn-id must be UUID format.");
                }
                lastId = UUID.fromString(last.textValue());
            }
        } catch (OvsdbException e) {
            return error(e, m.id());
        }
        Monitor monitor = new Monitor(this, db, version, id, tables);
        UUID since = lastId;
        db.hub.locked(() -> {
            // Under the hub's lock: the reply is queued before any update the monitor will send.
            DbChange missed = db.hub.changesAfter(since);
            ObjectNode updates = missed == null ? monitor.initial(db.hub.latest())
                    : monitor.updates(missed.before(), missed.after(), missed.changed());
            JsonNode result = updates == null ? OvsJson.NODES.objectNode() : updates;
            if (version == MonitorVersion.V3) {
                result = OvsJson.NODES.arrayNode().add(missed != null).add(db.hub.lastTxnId().toString()).add(result);
            }
            synchronized (this) {
                if (ended) {
                    return;
                }
                monitors.put(id, monitor);
                db.hub.add(monitor);
            }
            send(JsonRpcMessage.reply(result, m.id()));
        });
        return null;
    }

    /** ovsdb_jsonrpc_monitor_cond_change: new conditions (and maybe a new id) for a monitor. */
    private ObjectNode monitorCondChange(JsonRpcMessage m) {
        ArrayNode params = m.params();
        if (params.size() != 3) {
            return error(new OvsdbSyntaxException(params, null, "invalid parameters"), m.id());
        }
        Monitor monitor = monitors.get(params.get(0));
        if (monitor == null) {
            return error(new OvsdbSyntaxException(params.get(0), null, "unknown monitor session"), m.id());
        }
        JsonNode newId = params.get(1);
        boolean changingId = !newId.equals(monitor.id);
        if (changingId && monitors.containsKey(newId)) {
            return error(new OvsdbSyntaxException(newId, null, "duplicate monitor ID"), m.id());
        }
        JsonNode requests = params.get(2);
        if (!requests.isObject()) {
            return error(new OvsdbSyntaxException(null, null, "monitor-cond-change-requests must be object"), m.id());
        }
        Map<MonitorTable, Condition> changes = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, JsonNode> e : requests.properties()) {
                DbSchema.Table table = monitor.db.db.schema().tables().get(e.getKey());
                if (table == null) {
                    throw new OvsdbSyntaxException(null, null, "no table named " + e.getKey());
                }
                MonitorTable mt = monitor.tables.get(table.name());
                if (mt == null) {
                    throw new OvsdbSyntaxException(null, null, "no table named " + e.getKey() + " in monitor session");
                }
                if (!e.getValue().isArray()) {
                    throw new OvsdbSyntaxException(null, null, "table " + e.getKey()
                            + " no monitor-cond-change JSON array");
                }
                for (JsonNode request : e.getValue()) {
                    OpParser p = new OpParser(request, "table " + table.name());
                    JsonNode columns = p.member("columns", OpParser.ARRAY | OpParser.OPTIONAL);
                    JsonNode where = p.member("where", OpParser.ARRAY | OpParser.OPTIONAL);
                    OvsdbException pe = p.finish();
                    if (pe != null) {
                        throw pe;
                    }
                    if (columns != null) {
                        throw new OvsdbSyntaxException(request, null, "changing columns is unsupported");
                    }
                    if (monitor.version == MonitorVersion.V1) {
                        continue;
                    }
                    changes.put(mt, Condition.parse(table, where == null ? OvsJson.NODES.arrayNode() : where));
                }
            }
        } catch (OvsdbException e) {
            return error(e, m.id());
        }
        if (changingId) {
            monitors.remove(monitor.id);
            monitor.id = newId;
            monitors.put(newId, monitor);
        }
        monitor.db.hub.locked(() -> {
            ObjectNode updates = null;
            for (Map.Entry<MonitorTable, Condition> c : changes.entrySet()) {
                updates = Monitor.conditionChange(c.getKey(), c.getKey().condition, c.getValue(),
                        monitor.db.hub.latest(), updates);
                c.getKey().condition = c.getValue();
            }
            if (updates != null) {
                send(monitor.notification(updates, monitor.db.hub.lastTxnId()));
            }
            send(JsonRpcMessage.reply(OvsJson.NODES.objectNode(), m.id()));
        });
        return null;
    }

    private ObjectNode monitorCancel(JsonRpcMessage m) {
        if (m.params().size() != 1) {
            return JsonRpcMessage.error(TextNode.valueOf("invalid parameters"), m.id());
        }
        Monitor monitor = monitors.remove(m.params().get(0));
        if (monitor == null) {
            return JsonRpcMessage.error(TextNode.valueOf("unknown monitor"), m.id());
        }
        monitor.db.hub.remove(monitor);
        return JsonRpcMessage.reply(OvsJson.NODES.objectNode(), m.id());
    }

    // --- locks ---

    private ObjectNode lock(JsonRpcMessage m, boolean steal) {
        String name = lockName(m);
        if (name == null) {
            return error(new OvsdbSyntaxException(m.params(), null, m.method() + " request params must be <id>"),
                    m.id());
        }
        if (waiters.containsKey(name)) {
            return error(new OvsdbSyntaxException(m.params(), null, "must issue \"unlock\" before new \""
                    + m.method() + "\""), m.id());
        }
        Locks.Locked locked;
        synchronized (this) {
            if (ended) {
                return null;
            }
            locked = server.locks().lock(this, name, steal);
            waiters.put(name, locked.waiter());
        }
        if (locked.victim() != null) {
            locked.victim().notifyLock(name, "stolen");
        }
        ObjectNode result = OvsJson.NODES.objectNode();
        result.put("locked", server.locks().owns(locked.waiter()));
        return JsonRpcMessage.reply(result, m.id());
    }

    private ObjectNode unlock(JsonRpcMessage m) {
        String name = lockName(m);
        if (name == null) {
            return error(new OvsdbSyntaxException(m.params(), null, m.method() + " request params must be <id>"),
                    m.id());
        }
        Locks.Waiter waiter = waiters.remove(name);
        if (waiter == null) {
            return syntaxErrorReply(m, "\"unlock\" without \"lock\" or \"steal\"");
        }
        release(waiter);
        return JsonRpcMessage.reply(OvsJson.NODES.objectNode(), m.id());
    }

    private static String lockName(JsonRpcMessage m) {
        ArrayNode p = m.params();
        if (p.size() != 1 || !p.get(0).isTextual() || !OpParser.isId(p.get(0).textValue())) {
            return null;
        }
        return p.get(0).textValue();
    }

    private void release(Locks.Waiter waiter) {
        Session owner = server.locks().unlock(waiter);
        if (owner != null) {
            owner.notifyLock(waiter.name, "locked");
        }
    }

    void notifyLock(String name, String method) {
        send(JsonRpcMessage.notification(method, OvsJson.NODES.arrayNode().add(name)));
    }

    /** For "assert": whether this session holds {@code lock}. */
    boolean ownsLock(String lock) {
        Locks.Waiter w = waiters.get(lock);
        return w != null && server.locks().owns(w);
    }

    // --- end of the session ---

    @Override
    public void closed() {
        List<Monitor> ms;
        List<Trigger> pending;
        List<Locks.Waiter> held;
        synchronized (this) {
            ended = true;
            ms = new ArrayList<>(monitors.values());
            pending = new ArrayList<>(triggers.values());
            held = new ArrayList<>(waiters.values());
            monitors.clear();
            triggers.clear();
            waiters.clear();
        }
        for (Monitor m : ms) {
            m.db.hub.remove(m);
        }
        for (Trigger t : pending) {
            for (Served db : server.databases()) {
                db.triggers.remove(t);
            }
        }
        for (Locks.Waiter w : held) {
            release(w);
        }
        server.sessionClosed(this);
    }
}
