package org.jvswitch.ovsdb.server;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

import org.jvswitch.api.ovsdb.DbRow;
import org.jvswitch.api.ovsdb.DbSnapshot;
import org.jvswitch.api.ovsdb.DbSchema.Column;
import org.jvswitch.ovsdb.internal.Columns;
import org.jvswitch.ovsdb.internal.Condition;
import org.jvswitch.ovsdb.internal.DatumJson;
import org.jvswitch.ovsdb.internal.OvsJson;
import org.jvswitch.ovsdb.server.MonitorTable.MonitoredColumn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One monitor of one session (ovsdb_jsonrpc_monitor and the composing half of ovsdb/monitor.c):
 * turns the rows that changed between two states into {@code <table-updates>} of its flavour,
 * and sends them to its session.
 *
 * <p>Row updates, as ovsdb-server makes them: "initial"/"insert" carry the row's non-default
 * monitored columns (update2/3) or all of them (update); "modify" carries, per changed column, the
 * new value for a scalar and the difference for a set or map (update2/3), or "old" with the changed
 * columns' old values and "new" with all (update); "delete" is null (update2/3) or the old row
 * (update). With a condition, a modified row that starts or stops matching is reported as an
 * insert or a delete. A modify that changed no monitored column is not reported.
 */
final class Monitor {
    final Session session;
    final Served db;
    final MonitorVersion version;
    final Map<String, MonitorTable> tables;
    /** May change through monitor_cond_change. */
    volatile JsonNode id;

    Monitor(Session session, Served db, MonitorVersion version, JsonNode id, Map<String, MonitorTable> tables) {
        this.session = session;
        this.db = db;
        this.version = version;
        this.id = id;
        this.tables = tables;
    }

    /**
     * Called by the hub, in commit order, for every commit after this monitor was registered.
     * Monitors that watch the same columns the same way get the same updates (only the monitor id
     * differs), so the updates are composed and serialized once per commit and shared through
     * {@code cache}, as ovsdb-server shares them through its monitor JSON cache.
     */
    void changed(DbSnapshot before, DbSnapshot after, Map<String, Set<UUID>> changed, UUID txnId,
                 Map<String, byte[]> cache) {
        String key = cacheKey();
        byte[] updates;
        if (key == null) {
            ObjectNode json = updates(before, after, changed);
            updates = json == null ? NONE : JsonRpcConnection.serialize(json);
        } else {
            updates = cache.computeIfAbsent(key, k -> {
                ObjectNode json = updates(before, after, changed);
                return json == null ? NONE : JsonRpcConnection.serialize(json);
            });
        }
        if (updates != NONE) {
            session.sendBytes(notificationBytes(updates, txnId));
        }
    }

    private static final byte[] NONE = new byte[0];

    /** The notification's text up to the updates, and the monitor id it was made for (the hub's thread only). */
    private byte[] head;
    private JsonNode headId;

    /** {"id":null,"method":M,"params":[ID,(TXN,)UPDATES]} around already serialized updates. */
    private byte[] notificationBytes(byte[] updates, UUID txnId) {
        JsonNode monitorId = id;
        if (head == null || headId != monitorId) {
            byte[] start = ("{\"id\":null,\"method\":\"" + version.notification + "\",\"params\":[")
                    .getBytes(StandardCharsets.UTF_8);
            byte[] idText = JsonRpcConnection.serialize(monitorId);
            head = java.util.Arrays.copyOf(start, start.length + idText.length);
            System.arraycopy(idText, 0, head, start.length, idText.length);
            headId = monitorId;
        }
        byte[] txn = version == MonitorVersion.V3 ? (",\"" + txnId + "\"").getBytes(StandardCharsets.UTF_8)
                : NONE;
        byte[] out = new byte[head.length + txn.length + 1 + updates.length + 2];
        int n = 0;
        System.arraycopy(head, 0, out, n, head.length);
        n += head.length;
        System.arraycopy(txn, 0, out, n, txn.length);
        n += txn.length;
        out[n++] = ',';
        System.arraycopy(updates, 0, out, n, updates.length);
        n += updates.length;
        out[n++] = ']';
        out[n] = '}';
        return out;
    }

    /**
     * What decides this monitor's updates, as text, or null if they are its own (a table has a
     * non-trivial condition, which monitor_cond_change may also change at any time).
     */
    private String cacheKey() {
        StringBuilder sb = new StringBuilder(version == MonitorVersion.V1 ? "1" : "2");
        for (MonitorTable mt : tables.values()) {
            Condition c = mt.condition;
            if (c != null && !c.isEmpty()) {
                return null;
            }
            sb.append('|').append(mt.table.name()).append(':').append(mt.select);
            for (MonitoredColumn col : mt.columns) {
                sb.append(',').append(col.column().name()).append('/').append(col.select());
            }
        }
        return sb.toString();
    }

    ObjectNode notification(ObjectNode updates, UUID txnId) {
        ArrayNode params = OvsJson.NODES.arrayNode().add(id);
        if (version == MonitorVersion.V3) {
            params.add(txnId.toString());
        }
        params.add(updates);
        return JsonRpcMessage.notification(version.notification, params);
    }

    /** Every selected row of {@code now} as "initial" (the reply to a monitor request), or null if none. */
    ObjectNode initial(DbSnapshot now) {
        ObjectNode out = null;
        for (MonitorTable mt : tables.values()) {
            if ((mt.select & MonitorTable.INITIAL) == 0) {
                continue;
            }
            ObjectNode tableJson = null;
            for (DbRow row : now.rows(mt.table.name())) {
                JsonNode update = rowUpdate(mt, null, row, true);
                if (update != null) {
                    if (out == null) {
                        out = OvsJson.NODES.objectNode();
                    }
                    if (tableJson == null) {
                        tableJson = out.putObject(mt.table.name());
                    }
                    tableJson.set(row.uuid().toString(), update);
                }
            }
        }
        return out;
    }

    /** The updates for rows changed between two states, or null if none concerns this monitor. */
    ObjectNode updates(DbSnapshot before, DbSnapshot after, Map<String, Set<UUID>> changed) {
        ObjectNode out = null;
        for (MonitorTable mt : tables.values()) {
            Set<UUID> rows = changed.get(mt.table.name());
            if (rows == null) {
                continue;
            }
            ObjectNode tableJson = null;
            for (UUID uuid : rows) {
                JsonNode update = rowUpdate(mt, before.row(mt.table.name(), uuid), after.row(mt.table.name(), uuid),
                        false);
                if (update != null) {
                    if (out == null) {
                        out = OvsJson.NODES.objectNode();
                    }
                    if (tableJson == null) {
                        tableJson = out.putObject(mt.table.name());
                    }
                    tableJson.set(uuid.toString(), update);
                }
            }
        }
        return out;
    }

    /**
     * The rows that start or stop matching when a table's condition changes (monitor_cond_change),
     * as inserts and deletes, or null if none.
     */
    static ObjectNode conditionChange(MonitorTable mt, Condition was, Condition now, DbSnapshot state,
                                      ObjectNode out) {
        for (DbRow row : state.rows(mt.table.name())) {
            boolean before = was.matchesAny(row);
            boolean after = now.matchesAny(row);
            int type = before == after ? 0 : after ? MonitorTable.INSERT : MonitorTable.DELETE;
            if (type == 0 || (mt.select & type) == 0) {
                continue;
            }
            ObjectNode update = OvsJson.NODES.objectNode();
            if (type == MonitorTable.DELETE) {
                update.putNull("delete");
            } else {
                update.set("insert", newColumns(mt, row, type));
            }
            if (out == null) {
                out = OvsJson.NODES.objectNode();
            }
            ObjectNode tableJson = out.has(mt.table.name()) ? (ObjectNode) out.get(mt.table.name())
                    : out.putObject(mt.table.name());
            tableJson.set(row.uuid().toString(), update);
        }
        return out;
    }

    private JsonNode rowUpdate(MonitorTable mt, DbRow old, DbRow now, boolean initial) {
        int type = initial ? MonitorTable.INITIAL : old == null ? MonitorTable.INSERT
                : now == null ? MonitorTable.DELETE : MonitorTable.MODIFY;
        Condition condition = mt.condition;
        if (condition != null) {
            boolean oldMatches = old != null && condition.matchesAny(old);
            boolean newMatches = now != null && condition.matchesAny(now);
            type = switch (type) {
                case MonitorTable.INITIAL, MonitorTable.INSERT -> newMatches ? type : 0;
                case MonitorTable.MODIFY -> !oldMatches && !newMatches ? 0 : !oldMatches ? MonitorTable.INSERT
                        : !newMatches ? MonitorTable.DELETE : MonitorTable.MODIFY;
                default -> oldMatches ? type : 0;
            };
        }
        if ((mt.select & type) == 0) {
            return null;
        }
        if (type == MonitorTable.MODIFY && !anyChanged(mt, old, now)) {
            return null;
        }
        return version == MonitorVersion.V1 ? rowUpdate1(mt, old, now, type) : rowUpdate2(mt, old, now, type);
    }

    private static boolean anyChanged(MonitorTable mt, DbRow old, DbRow now) {
        for (MonitoredColumn c : mt.columns) {
            if (!Objects.equals(old.get(c.column().name()), now.get(c.column().name()))) {
                return true;
            }
        }
        return false;
    }

    /** RFC 7047 {@code <row-update>}: "old" and/or "new". */
    private static JsonNode rowUpdate1(MonitorTable mt, DbRow old, DbRow now, int type) {
        ObjectNode update = OvsJson.NODES.objectNode();
        ObjectNode oldJson = (type & (MonitorTable.DELETE | MonitorTable.MODIFY)) != 0 ? update.putObject("old") : null;
        ObjectNode newJson = (type & (MonitorTable.INITIAL | MonitorTable.INSERT | MonitorTable.MODIFY)) != 0
                ? update.putObject("new") : null;
        for (MonitoredColumn c : mt.columns) {
            if ((type & c.select()) == 0) {
                continue;
            }
            String name = c.column().name();
            if (type == MonitorTable.DELETE
                    || (type == MonitorTable.MODIFY && !Objects.equals(old.get(name), now.get(name)))) {
                oldJson.set(name, DatumJson.toJson(old.get(name)));
            }
            if (newJson != null) {
                newJson.set(name, DatumJson.toJson(now.get(name)));
            }
        }
        return update;
    }

    /** Open vSwitch's {@code <row-update2>}. */
    private static JsonNode rowUpdate2(MonitorTable mt, DbRow old, DbRow now, int type) {
        ObjectNode update = OvsJson.NODES.objectNode();
        switch (type) {
            case MonitorTable.DELETE -> update.putNull("delete");
            case MonitorTable.MODIFY -> {
                ObjectNode diff = update.putObject("modify");
                for (MonitoredColumn c : mt.columns) {
                    String name = c.column().name();
                    Object was = old.get(name);
                    Object is = now.get(name);
                    if ((type & c.select()) != 0 && !Objects.equals(was, is)) {
                        diff.set(name, DatumJson.toJson(diff(c.column(), was, is)));
                    }
                }
            }
            default -> update.set(type == MonitorTable.INITIAL ? "initial" : "insert", newColumns(mt, now, type));
        }
        return update;
    }

    private static ObjectNode newColumns(MonitorTable mt, DbRow row, int type) {
        ObjectNode json = OvsJson.NODES.objectNode();
        for (MonitoredColumn c : mt.columns) {
            Object v = row.get(c.column().name());
            if ((type & c.select()) != 0 && !Columns.isDefault(c.column(), v)) {
                json.set(c.column().name(), DatumJson.toJson(v));
            }
        }
        return json;
    }

    /**
     * ovsdb_datum_diff: for a set, the elements in exactly one of the two; for a map, the pairs
     * whose key is in one only (with that side's value) or whose value changed (the new value);
     * for a column of at most one element, the new value.
     */
    static Object diff(Column column, Object was, Object is) {
        if (column.type().max() <= 1) {
            return is;
        }
        if (is instanceof Map<?, ?> newMap) {
            Map<?, ?> oldMap = (Map<?, ?>) was;
            TreeMap<Object, Object> out = new TreeMap<>();
            for (Map.Entry<?, ?> e : oldMap.entrySet()) {
                if (!newMap.containsKey(e.getKey())) {
                    out.put(e.getKey(), e.getValue());
                }
            }
            for (Map.Entry<?, ?> e : newMap.entrySet()) {
                if (!oldMap.containsKey(e.getKey()) || !Objects.equals(oldMap.get(e.getKey()), e.getValue())) {
                    out.put(e.getKey(), e.getValue());
                }
            }
            return out;
        }
        TreeSet<Object> out = new TreeSet<>();
        Collection<?> a = (Collection<?>) was;
        Collection<?> b = (Collection<?>) is;
        for (Object x : a) {
            if (!b.contains(x)) {
                out.add(x);
            }
        }
        for (Object x : b) {
            if (!a.contains(x)) {
                out.add(x);
            }
        }
        return out;
    }

    /** The monitor id as the text a log line shows. */
    @Override
    public String toString() {
        return "monitor " + id + " of " + session;
    }
}
