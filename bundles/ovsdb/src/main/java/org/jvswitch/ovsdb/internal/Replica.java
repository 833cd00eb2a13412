package org.jvswitch.ovsdb.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;

import org.jvswitch.api.ovsdb.DbChange;
import org.jvswitch.api.ovsdb.DbListener;
import org.jvswitch.api.ovsdb.DbRow;
import org.jvswitch.api.ovsdb.DbSchema;
import org.jvswitch.api.ovsdb.DbSnapshot;
import org.jvswitch.api.ovsdb.DbSubscription;
import org.jvswitch.api.ovsdb.DbTransaction;
import org.jvswitch.api.ovsdb.OvsdbException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A local copy of a remote database (the replica half of Open vSwitch's ovsdb-idl), built from
 * RFC 7047 {@code monitor} table-updates into the same immutable {@link Snapshot}s the embedded
 * database hands out, with the same listener semantics. Transactions are built with the embedded
 * {@link Txn} (so values are checked the same way) and turned into a {@code transact} request by
 * {@link #toOperations}; the caller sends it.
 *
 * <p>Public for {@code org.jvswitch.ovsdb.client} only; not exported from the bundle.
 *
 * <p>Thread-safety: updates are applied under {@code lock}, which is also held while listeners
 * run, so they see changes one at a time in order. Readers take the volatile snapshot.
 */
public final class Replica {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    /** Set while listeners run (possibly on a thread that does not hold the lock, see {@link Delivery}). */
    private static final ThreadLocal<Boolean> FIRING = new ThreadLocal<>();

    private final DbSchema schema;
    private final Map<String, TableSpec> specs;
    private final Snapshot empty;
    private final Listeners listeners = new Listeners();
    private final ReentrantLock lock = new ReentrantLock();
    private volatile Snapshot current;

    public Replica(String schemaJson) {
        this(SchemaReader.read(schemaJson));
    }

    Replica(DbSchema schema) {
        this.schema = schema;
        Map<String, TableSpec> tables = new LinkedHashMap<>();
        for (DbSchema.Table t : schema.tables().values()) {
            tables.put(t.name(), new TableSpec(t));
        }
        this.specs = Collections.unmodifiableMap(tables);
        this.empty = Snapshot.empty(specs);
        this.current = empty;
    }

    public DbSchema schema() {
        return schema;
    }

    public DbSnapshot snapshot() {
        return current;
    }

    /** The {@code monitor} request for every column of every table: [db, id, requests]. */
    public ArrayNode monitorParams(JsonNode monitorId) {
        ArrayNode params = JSON.arrayNode();
        params.add(schema.name());
        params.add(monitorId);
        ObjectNode requests = params.addObject();
        for (DbSchema.Table t : schema.tables().values()) {
            ArrayNode columns = requests.putObject(t.name()).putArray("columns");
            t.columns().keySet().forEach(columns::add);
        }
        return params;
    }

    public DbSubscription subscribe(DbListener listener) {
        lock.lock();
        try {
            Snapshot now = current;
            return listeners.add(listener, new DbChange(empty, now, changedRows(empty, now)));
        } finally {
            lock.unlock();
        }
    }

    /** True on the thread applying an update, and in listeners wherever they run. */
    public boolean isApplyingOnThisThread() {
        return lock.isHeldByCurrentThread() || FIRING.get() != null;
    }

    /**
     * Replaces the whole content with the initial reply of a (new) monitor, telling listeners what
     * differs from before (after a reconnection, possibly nothing).
     */
    public void reset(JsonNode tableUpdates) throws OvsdbException {
        lock.lock();
        try {
            Map<String, Map<UUID, Row>> rows = new LinkedHashMap<>();
            for (TableSpec spec : specs.values()) {
                rows.put(spec.name, new LinkedHashMap<>());
            }
            applyTo(rows, tableUpdates);
            publish(rows, null);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Decides on which thread listeners hear a change: {@code fire.run()} must have been called
     * exactly once, on any thread, when {@code deliver} returns.
     */
    public interface Delivery {
        void deliver(DbChange change, Runnable fire);
    }

    /**
     * Applies an {@code update} notification's table-updates (RFC 7047 section 4.1.6); listeners
     * hear of it through {@code delivery} (null: on this thread).
     */
    public void apply(JsonNode tableUpdates, Delivery delivery) throws OvsdbException {
        lock.lock();
        try {
            Snapshot before = current;
            Map<String, Map<UUID, Row>> rows = new LinkedHashMap<>();
            for (TableData t : before.tables().values()) {
                Map<UUID, Row> m = new LinkedHashMap<>();
                for (Iterator<Row> it = t.rows().valueIterator(); it.hasNext(); ) {
                    Row r = it.next();
                    m.put(r.uuid(), r);
                }
                rows.put(t.spec().name, m);
            }
            applyTo(rows, tableUpdates);
            publish(rows, delivery);
        } finally {
            lock.unlock();
        }
    }

    private void applyTo(Map<String, Map<UUID, Row>> rows, JsonNode tableUpdates) throws OvsdbException {
        if (tableUpdates == null || !tableUpdates.isObject()) {
            throw new OvsdbException("syntax error", "table-updates is not an object");
        }
        for (Map.Entry<String, JsonNode> t : tableUpdates.properties()) {
            TableSpec spec = specs.get(t.getKey());
            if (spec == null) {
                throw new OvsdbException("unknown table", "update for unknown table " + t.getKey());
            }
            Map<UUID, Row> tableRows = rows.get(spec.name);
            for (Map.Entry<String, JsonNode> r : t.getValue().properties()) {
                UUID uuid = UUID.fromString(r.getKey());
                JsonNode newJson = r.getValue().get("new");
                if (newJson == null || newJson.isNull()) {
                    tableRows.remove(uuid);
                    continue;
                }
                // "new" holds every monitored column (all of them) for initial, insert and modify.
                Row base = tableRows.get(uuid);
                Object[] values = base == null ? spec.defaults.clone() : null;
                Row row = base == null ? null : base;
                for (Map.Entry<String, JsonNode> c : newJson.properties()) {
                    int i = spec.position(c.getKey());
                    if (i < 0) {
                        continue; // _version or a column this schema lacks
                    }
                    Object value = DatumJson.fromJson(spec.columns[i].type(), c.getValue());
                    if (values != null) {
                        values[i] = value;
                    } else {
                        row = row.with(i, value);
                    }
                }
                tableRows.put(uuid, values != null ? new Row(spec, uuid, values) : row);
            }
        }
    }

    private void publish(Map<String, Map<UUID, Row>> rows, Delivery delivery) {
        Snapshot before = current;
        Map<String, List<Row>> lists = new HashMap<>();
        rows.forEach((t, m) -> lists.put(t, new ArrayList<>(m.values())));
        Snapshot after = Snapshot.build(specs, before.version() + 1, lists);
        Map<String, Set<UUID>> changed = changedRows(before, after);
        if (changed.isEmpty()) {
            return;
        }
        current = after;
        DbChange change = new DbChange(before, after, changed);
        Runnable fire = () -> {
            FIRING.set(Boolean.TRUE);
            try {
                listeners.fire(change);
            } finally {
                FIRING.remove();
            }
        };
        if (delivery == null) {
            fire.run();
        } else {
            delivery.deliver(change, fire);
        }
    }

    private static Map<String, Set<UUID>> changedRows(Snapshot before, Snapshot after) {
        Map<String, Set<UUID>> out = new LinkedHashMap<>();
        for (TableData t : after.tables().values()) {
            TableData b = before.table(t.spec().name);
            Set<UUID> uuids = new LinkedHashSet<>();
            for (Iterator<Row> it = t.rows().valueIterator(); it.hasNext(); ) {
                Row r = it.next();
                Row old = b.rows().get(r.uuid());
                if (old == null || !old.equals(r)) {
                    uuids.add(r.uuid());
                }
            }
            for (Iterator<UUID> it = b.rows().keyIterator(); it.hasNext(); ) {
                UUID u = it.next();
                if (t.rows().get(u) == null) {
                    uuids.add(u);
                }
            }
            if (!uuids.isEmpty()) {
                out.put(t.spec().name, Collections.unmodifiableSet(uuids));
            }
        }
        return Collections.unmodifiableMap(out);
    }

    /** What sends a transaction's operations to the server and waits for the outcome. */
    public interface Sender {
        /**
         * Sends {@code params} as a {@code transact} and returns once the server replied and the
         * replica has caught up with the outcome.
         *
         * @throws OvsdbException the first error of the reply, or a connection failure
         */
        DbSnapshot transact(ArrayNode params, Own own) throws OvsdbException;
    }

    /**
     * What a transaction changes, to recognize the monitor update that reports it (and nothing
     * else): rows it updates with the columns written, rows it deletes, tables it inserts into.
     */
    public static final class Own {
        private final Map<UUID, Set<String>> updated = new HashMap<>();
        private final Set<UUID> deleted = new HashSet<>();
        private final Set<String> insertedTables = new HashSet<>();

        /** True if every row {@code change} touches is one this transaction changed, as it changed it. */
        public boolean matches(DbChange change) {
            for (Map.Entry<String, Set<UUID>> e : change.changed().entrySet()) {
                String table = e.getKey();
                for (UUID uuid : e.getValue()) {
                    DbRow b = change.before().row(table, uuid);
                    DbRow a = change.after().row(table, uuid);
                    if (b == null) {
                        if (!insertedTables.contains(table)) {
                            return false;
                        }
                    } else if (a == null) {
                        if (!deleted.contains(uuid)) {
                            return false;
                        }
                    } else {
                        Set<String> columns = updated.get(uuid);
                        if (columns == null) {
                            return false;
                        }
                        Row old = (Row) b;
                        Row now = (Row) a;
                        for (int i = 0; i < old.spec.columns.length; i++) {
                            if (Row.differs(old, now, i) && !columns.contains(old.spec.columns[i].name())) {
                                return false;
                            }
                        }
                    }
                }
            }
            return true;
        }
    }

    /** A transaction against the current replica state, committed through {@code sender}. */
    public DbTransaction begin(Sender sender) {
        return new Txn(txn -> {
            if (isApplyingOnThisThread()) {
                throw new IllegalStateException("a DbListener must not commit synchronously; hand the work to"
                        + " another thread");
            }
            Own own = new Own();
            ArrayNode ops = toOperations(txn, own);
            if (ops.size() <= 1) {
                return current; // nothing changed
            }
            return sender.transact(ops, own);
        }, specs, current);
    }

    /**
     * The {@code transact} params for {@code txn}: for each row it changes, an update of the
     * changed columns guarded by a {@code wait} that those columns still hold the values this
     * transaction read (so a write based on a stale replica fails instead of overwriting someone
     * else's change, as ovsdb-idl's verify does), an insert with a {@code uuid-name} (references
     * to it within the transaction become {@code named-uuid}s), or a delete; then the comment.
     * The first element is the database name; nothing else means "no change".
     */
    ArrayNode toOperations(Txn txn, Own own) {
        TxnRows rows = txn.rowsAgainst(txn.base());
        ArrayNode ops = JSON.arrayNode();
        ops.add(schema.name());
        Map<UUID, String> names = new HashMap<>();
        for (TxnRow r : rows.all()) {
            if (r.changed() && r.inserted()) {
                names.put(r.uuid, "row" + r.uuid.toString().replace('-', '_'));
            }
        }
        for (TxnRow r : rows.all()) {
            if (!r.changed()) {
                continue;
            }
            TableSpec spec = r.spec;
            if (r.inserted()) {
                ObjectNode op = ops.addObject().put("op", "insert").put("table", spec.name);
                ObjectNode row = op.putObject("row");
                for (int i = 0; i < spec.columns.length; i++) {
                    if (!r.now.isDefault(i)) {
                        row.set(spec.columns[i].name(), named(DatumJson.toJson(r.now.value(i)), names));
                    }
                }
                op.put("uuid-name", names.get(r.uuid));
                own.insertedTables.add(spec.name);
            } else if (r.now == null) {
                ObjectNode op = ops.addObject().put("op", "delete").put("table", spec.name);
                op.set("where", whereUuid(r.uuid));
                own.deleted.add(r.uuid);
            } else {
                ObjectNode wait = JSON.objectNode().put("op", "wait").put("table", spec.name);
                wait.put("timeout", 0);
                wait.set("where", whereUuid(r.uuid));
                ArrayNode columns = wait.putArray("columns");
                ObjectNode expected = wait.putArray("rows").addObject();
                wait.put("until", "==");
                ObjectNode update = JSON.objectNode().put("op", "update").put("table", spec.name);
                update.set("where", whereUuid(r.uuid));
                ObjectNode row = update.putObject("row");
                for (int i = 0; i < spec.columns.length; i++) {
                    if (Row.differs(r.old, r.now, i)) {
                        String name = spec.columns[i].name();
                        columns.add(name);
                        own.updated.computeIfAbsent(r.uuid, u -> new HashSet<>()).add(name);
                        expected.set(name, DatumJson.toJson(r.old.value(i)));
                        row.set(name, named(DatumJson.toJson(r.now.value(i)), names));
                    }
                }
                ops.add(wait);
                ops.add(update);
            }
        }
        if (ops.size() > 1 && txn.comment() != null) {
            ops.addObject().put("op", "comment").put("comment", txn.comment());
        }
        return ops;
    }

    private static ArrayNode whereUuid(UUID uuid) {
        ArrayNode where = JSON.arrayNode();
        ArrayNode clause = where.addArray();
        clause.add("_uuid").add("==");
        clause.addArray().add("uuid").add(uuid.toString());
        return where;
    }

    /** Replaces ["uuid", U] by ["named-uuid", name] for rows this transaction inserts. */
    private static JsonNode named(JsonNode json, Map<UUID, String> names) {
        if (names.isEmpty() || !json.isArray()) {
            return json;
        }
        if (json.size() == 2 && "uuid".equals(json.get(0).asText(null)) && json.get(1).isTextual()) {
            try {
                String name = names.get(UUID.fromString(json.get(1).textValue()));
                return name == null ? json : JSON.arrayNode().add("named-uuid").add(name);
            } catch (IllegalArgumentException e) {
                return json; // a set of strings that happens to hold "uuid"
            }
        }
        ArrayNode copy = JSON.arrayNode();
        for (JsonNode e : json) {
            copy.add(named(e, names));
        }
        return copy;
    }
}
