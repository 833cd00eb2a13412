package org.jvswitch.vsctl.internal;

import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.jvswitch.api.ovsdb.DbChange;
import org.jvswitch.api.ovsdb.DbListener;
import org.jvswitch.api.ovsdb.DbRow;
import org.jvswitch.api.ovsdb.DbSchema;
import org.jvswitch.api.ovsdb.DbSchema.AtomicType;
import org.jvswitch.api.ovsdb.DbSchema.BaseType;
import org.jvswitch.api.ovsdb.DbSchema.Column;
import org.jvswitch.api.ovsdb.DbSchema.Table;
import org.jvswitch.api.ovsdb.DbSchema.Type;
import org.jvswitch.api.ovsdb.DbSnapshot;
import org.jvswitch.api.ovsdb.DbSubscription;
import org.jvswitch.api.ovsdb.DbTransaction;
import org.jvswitch.api.ovsdb.Ovsdb;
import org.jvswitch.api.ovsdb.OvsdbException;

/**
 * A small in-memory {@link Ovsdb} for tests, on the real Open vSwitch schema: typed values, immutable
 * columns, referential integrity, garbage collection of unreferenced non-root rows, weak
 * references, unique indexes and listeners. Commits are serialized; a transaction replaces the
 * state it started from (enough for single-threaded tests plus a simulated switch).
 */
final class MemoryOvsdb implements Ovsdb {
    static final String SCHEMA_FILE = "/usr/share/openvswitch/vswitch.ovsschema";
    private static final Comparator<Object> ORDER = (a, b) -> AtomOrder.INSTANCE.compare(a, b);

    private final DbSchema schema;
    private volatile Snap current;
    private final List<DbListener> listeners = new CopyOnWriteArrayList<>();
    /** UUIDs count up, so rows sort (and "show" prints them) in the order they were created. */
    private final java.util.concurrent.atomic.AtomicLong uuids = new java.util.concurrent.atomic.AtomicLong();

    MemoryOvsdb() {
        this.schema = loadSchema(new File(SCHEMA_FILE));
        this.current = new Snap(0, emptyTables());
    }

    private Map<String, Map<UUID, MemRow>> emptyTables() {
        Map<String, Map<UUID, MemRow>> t = new HashMap<>();
        for (String name : schema.tables().keySet()) {
            t.put(name, new LinkedHashMap<>());
        }
        return t;
    }

    // --- schema ---

    static DbSchema loadSchema(File file) {
        try {
            JsonNode root = new ObjectMapper().readTree(file);
            Map<String, Table> tables = new LinkedHashMap<>();
            root.get("tables").fields().forEachRemaining(t -> {
                Map<String, Column> columns = new LinkedHashMap<>();
                t.getValue().get("columns").fields().forEachRemaining(c -> {
                    JsonNode cj = c.getValue();
                    columns.put(c.getKey(), new Column(c.getKey(), type(cj.get("type")),
                            !cj.has("mutable") || cj.get("mutable").asBoolean(),
                            cj.has("ephemeral") && cj.get("ephemeral").asBoolean()));
                });
                List<List<String>> indexes = new ArrayList<>();
                if (t.getValue().has("indexes")) {
                    for (JsonNode idx : t.getValue().get("indexes")) {
                        List<String> cols = new ArrayList<>();
                        idx.forEach(n -> cols.add(n.asText()));
                        indexes.add(cols);
                    }
                }
                JsonNode tj = t.getValue();
                tables.put(t.getKey(), new Table(t.getKey(), columns, tj.has("isRoot") && tj.get("isRoot").asBoolean(),
                        tj.has("maxRows") ? tj.get("maxRows").asLong() : Long.MAX_VALUE, indexes));
            });
            return new DbSchema(root.get("name").asText(), root.get("version").asText(), tables,
                    new ObjectMapper().writeValueAsString(root));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Type type(JsonNode j) {
        if (j.isTextual()) {
            return new Type(base(j), null, 1, 1);
        }
        long min = j.has("min") ? j.get("min").asLong() : 1;
        long max = 1;
        if (j.has("max")) {
            max = j.get("max").isTextual() ? Long.MAX_VALUE : j.get("max").asLong();
        }
        return new Type(base(j.get("key")), j.has("value") ? base(j.get("value")) : null, min, max);
    }

    private static BaseType base(JsonNode j) {
        if (j.isTextual()) {
            return new BaseType(atomic(j.asText()), null, Long.MIN_VALUE, Long.MAX_VALUE, -Double.MAX_VALUE,
                    Double.MAX_VALUE, 0, Long.MAX_VALUE, null, true);
        }
        AtomicType type = atomic(j.get("type").asText());
        Set<Object> enumValues = null;
        if (j.has("enum")) {
            enumValues = new HashSet<>();
            JsonNode e = j.get("enum");
            if (e.isArray() && e.size() == 2 && e.get(0).asText().equals("set")) {
                for (JsonNode v : e.get(1)) {
                    enumValues.add(atomOf(type, v));
                }
            } else {
                enumValues.add(atomOf(type, e));
            }
        }
        return new BaseType(type, enumValues,
                j.has("minInteger") ? j.get("minInteger").asLong() : Long.MIN_VALUE,
                j.has("maxInteger") ? j.get("maxInteger").asLong() : Long.MAX_VALUE,
                j.has("minReal") ? j.get("minReal").asDouble() : -Double.MAX_VALUE,
                j.has("maxReal") ? j.get("maxReal").asDouble() : Double.MAX_VALUE,
                j.has("minLength") ? j.get("minLength").asLong() : 0,
                j.has("maxLength") ? j.get("maxLength").asLong() : Long.MAX_VALUE,
                j.has("refTable") ? j.get("refTable").asText() : null,
                !j.has("refType") || j.get("refType").asText().equals("strong"));
    }

    private static Object atomOf(AtomicType type, JsonNode v) {
        return switch (type) {
            case INTEGER -> v.asLong();
            case REAL -> v.asDouble();
            case BOOLEAN -> v.asBoolean();
            case STRING -> v.asText();
            case UUID -> UUID.fromString(v.get(1).asText());
        };
    }

    private static AtomicType atomic(String s) {
        return AtomicType.valueOf(s.toUpperCase());
    }

    // --- values ---

    private static Object defaultValue(Type type) {
        if (type.isMap()) {
            return Collections.unmodifiableMap(new TreeMap<>(ORDER));
        }
        if (type.isScalar()) {
            return Datum.defaultAtom(type.key().type());
        }
        return Collections.unmodifiableSet(new TreeSet<>(ORDER));
    }

    private static Object atom(BaseType base, Object v) throws OvsdbException {
        Object a = v instanceof Integer i ? Long.valueOf(i) : v;
        if (!DatumParser.isAtomicType(a, base.type())) {
            throw new OvsdbException("syntax error", "expected " + base.type().jsonName() + ", got " + v);
        }
        return a;
    }

    private static Object normalize(Type type, Object v) throws OvsdbException {
        if (type.isMap()) {
            if (!(v instanceof Map<?, ?> m)) {
                throw new OvsdbException("syntax error", "expected a map");
            }
            TreeMap<Object, Object> out = new TreeMap<>(ORDER);
            for (Map.Entry<?, ?> e : m.entrySet()) {
                out.put(atom(type.key(), e.getKey()), atom(type.value(), e.getValue()));
            }
            checkCount(type, out.size());
            return Collections.unmodifiableMap(out);
        }
        Collection<?> elements = v instanceof Collection<?> c ? c : List.of(v);
        TreeSet<Object> out = new TreeSet<>(ORDER);
        for (Object o : elements) {
            out.add(atom(type.key(), o));
        }
        checkCount(type, out.size());
        if (type.isScalar()) {
            return out.first();
        }
        return Collections.unmodifiableSet(out);
    }

    private static void checkCount(Type type, int n) throws OvsdbException {
        if (n < type.min() || n > type.max()) {
            throw new OvsdbException("constraint violation", n + " elements do not fit " + DatumParser.english(type));
        }
    }

    // --- rows and snapshots ---

    final class MemRow implements DbRow {
        private final String table;
        private final UUID uuid;
        private final Map<String, Object> values;

        MemRow(String table, UUID uuid, Map<String, Object> values) {
            this.table = table;
            this.uuid = uuid;
            this.values = values;
        }

        @Override
        public String table() {
            return table;
        }

        @Override
        public UUID uuid() {
            return uuid;
        }

        @Override
        public Object get(String column) {
            Column c = schema.table(table).column(column);
            Object v = values.get(column);
            return v != null ? v : defaultValue(c.type());
        }

        MemRow with(String column, Object value) {
            Map<String, Object> v = new HashMap<>(values);
            v.put(column, value);
            return new MemRow(table, uuid, v);
        }
    }

    static final class Snap implements DbSnapshot {
        final long version;
        final Map<String, Map<UUID, MemRow>> tables;

        Snap(long version, Map<String, Map<UUID, MemRow>> tables) {
            this.version = version;
            this.tables = tables;
        }

        @Override
        public long version() {
            return version;
        }

        @Override
        public Collection<DbRow> rows(String table) {
            Map<UUID, MemRow> t = tables.get(table);
            if (t == null) {
                throw new IllegalArgumentException("unknown table " + table);
            }
            return List.copyOf(t.values());
        }

        @Override
        public DbRow row(String table, UUID uuid) {
            Map<UUID, MemRow> t = tables.get(table);
            if (t == null) {
                throw new IllegalArgumentException("unknown table " + table);
            }
            return t.get(uuid);
        }
    }

    private static Map<String, Map<UUID, MemRow>> copy(Map<String, Map<UUID, MemRow>> tables) {
        Map<String, Map<UUID, MemRow>> out = new HashMap<>();
        tables.forEach((k, v) -> out.put(k, new LinkedHashMap<>(v)));
        return out;
    }

    // --- Ovsdb ---

    @Override
    public String name() {
        return "Open_vSwitch";
    }

    @Override
    public DbSchema schema() {
        return schema;
    }

    @Override
    public DbSnapshot snapshot() {
        return current;
    }

    @Override
    public DbTransaction begin() {
        return new Txn(current);
    }

    @Override
    public DbSubscription subscribe(DbListener listener) {
        Snap now = current;
        Map<String, Set<UUID>> changed = new HashMap<>();
        now.tables.forEach((t, rows) -> changed.put(t, Set.copyOf(rows.keySet())));
        listener.changed(new DbChange(new Snap(0, emptyTables()), now, changed));
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /** Commits a change from outside vsctl (the tests' simulated switch). */
    void apply(TxnBody body) {
        DbTransaction t = begin();
        try {
            body.run(t);
            t.commit();
        } catch (OvsdbException e) {
            throw new IllegalStateException(e.error() + ": " + e.details(), e);
        }
    }

    interface TxnBody {
        void run(DbTransaction t) throws OvsdbException;
    }

    final class Txn implements DbTransaction {
        private final Snap base;
        private final Map<String, Map<UUID, MemRow>> tables;
        private final Map<UUID, String> deleted = new HashMap<>();
        private boolean done;

        Txn(Snap base) {
            this.base = base;
            this.tables = copy(base.tables);
        }

        private Table table(String name) throws OvsdbException {
            Table t = schema.tables().get(name);
            if (t == null) {
                throw new OvsdbException("unknown table", name);
            }
            return t;
        }

        private Column column(Table t, String name) throws OvsdbException {
            Column c = t.columns().get(name);
            if (c == null) {
                throw new OvsdbException("unknown column", name + " in " + t.name());
            }
            return c;
        }

        @Override
        public UUID insert(String table, Map<String, ?> values) throws OvsdbException {
            Table t = table(table);
            Map<String, Object> v = new HashMap<>();
            for (Map.Entry<String, ?> e : values.entrySet()) {
                v.put(e.getKey(), normalize(column(t, e.getKey()).type(), e.getValue()));
            }
            long n = uuids.incrementAndGet();
            UUID uuid = UUID.fromString(String.format("%08x-0000-4000-8000-%012x", n, n));
            tables.get(table).put(uuid, new MemRow(table, uuid, v));
            return uuid;
        }

        @Override
        public void update(String table, UUID row, Map<String, ?> values) throws OvsdbException {
            Table t = table(table);
            MemRow r = tables.get(table).get(row);
            if (r == null) {
                throw new OvsdbException("constraint violation", "no row " + row);
            }
            for (Map.Entry<String, ?> e : values.entrySet()) {
                Column c = column(t, e.getKey());
                if (!c.mutable()) {
                    throw new OvsdbException("constraint violation",
                            "Cannot update immutable column " + c.name() + " in table " + table + ".");
                }
                r = r.with(e.getKey(), normalize(c.type(), e.getValue()));
            }
            tables.get(table).put(row, r);
        }

        @Override
        public void delete(String table, UUID row) throws OvsdbException {
            table(table);
            if (tables.get(table).remove(row) == null) {
                throw new OvsdbException("constraint violation", "no row " + row);
            }
            deleted.put(row, table);
        }

        @Override
        public DbSnapshot view() {
            return new Snap(base.version, tables);
        }

        @Override
        public void comment(String text) {
        }

        @Override
        public DbSnapshot commit() throws OvsdbException {
            if (done) {
                throw new IllegalStateException("committed twice");
            }
            done = true;
            collectGarbage();
            checkReferences();
            checkIndexes();
            synchronized (MemoryOvsdb.this) {
                Snap before = current;
                Snap after = new Snap(before.version + 1, copy(tables));
                Map<String, Set<UUID>> changed = new HashMap<>();
                for (String t : schema.tables().keySet()) {
                    Set<UUID> c = new HashSet<>();
                    Map<UUID, MemRow> a = before.tables.get(t);
                    Map<UUID, MemRow> b = after.tables.get(t);
                    for (UUID u : a.keySet()) {
                        if (!b.containsKey(u) || b.get(u) != a.get(u)) {
                            c.add(u);
                        }
                    }
                    for (UUID u : b.keySet()) {
                        if (!a.containsKey(u)) {
                            c.add(u);
                        }
                    }
                    changed.put(t, c);
                }
                current = after;
                DbChange change = new DbChange(before, after, changed);
                for (DbListener l : listeners) {
                    l.changed(change);
                }
                return after;
            }
        }

        /** Every UUID a row refers to through columns referencing {@code refTable}, strong or weak. */
        private List<Object[]> refs(MemRow r) {
            List<Object[]> out = new ArrayList<>();
            for (Column c : schema.table(r.table()).columns().values()) {
                Type type = c.type();
                Object v = r.get(c.name());
                for (BaseType b : type.isMap() ? List.of(type.key(), type.value()) : List.of(type.key())) {
                    if (b.refTable() == null) {
                        continue;
                    }
                    Collection<?> atoms;
                    if (type.isMap()) {
                        atoms = b == type.key() ? ((Map<?, ?>) v).keySet() : ((Map<?, ?>) v).values();
                    } else {
                        atoms = v instanceof Set<?> s ? s : List.of(v);
                    }
                    for (Object a : atoms) {
                        out.add(new Object[] {b, a, c});
                    }
                }
            }
            return out;
        }

        private void collectGarbage() {
            boolean again = true;
            while (again) {
                again = false;
                Set<UUID> referenced = new HashSet<>();
                for (Map<UUID, MemRow> rows : tables.values()) {
                    for (MemRow r : rows.values()) {
                        for (Object[] ref : refs(r)) {
                            if (((BaseType) ref[0]).refStrong()) {
                                referenced.add((UUID) ref[1]);
                            }
                        }
                    }
                }
                for (Table t : schema.tables().values()) {
                    if (t.isRoot()) {
                        continue;
                    }
                    again |= tables.get(t.name()).keySet().removeIf(u -> !referenced.contains(u));
                }
            }
            // Weak references to rows that are gone disappear.
            for (Map<UUID, MemRow> rows : tables.values()) {
                for (MemRow r : new ArrayList<>(rows.values())) {
                    for (Column c : schema.table(r.table()).columns().values()) {
                        BaseType k = c.type().key();
                        if (k.refTable() != null && !k.refStrong() && !c.type().isMap() && !c.type().isScalar()) {
                            Set<?> s = (Set<?>) r.get(c.name());
                            TreeSet<Object> kept = new TreeSet<>(ORDER);
                            for (Object u : s) {
                                if (tables.get(k.refTable()).containsKey(u)) {
                                    kept.add(u);
                                }
                            }
                            if (kept.size() != s.size()) {
                                rows.put(r.uuid(), r = r.with(c.name(), Collections.unmodifiableSet(kept)));
                            }
                        }
                    }
                }
            }
        }

        private void checkReferences() throws OvsdbException {
            for (Map<UUID, MemRow> rows : tables.values()) {
                for (MemRow r : rows.values()) {
                    for (Object[] ref : refs(r)) {
                        BaseType b = (BaseType) ref[0];
                        if (b.refStrong() && deleted.containsKey(ref[1])) {
                            // ovsdb-server's words for deleting a row that is still referenced.
                            long n = countReferences((UUID) ref[1]);
                            throw new OvsdbException("referential integrity violation", "cannot delete "
                                    + deleted.get(ref[1]) + " row " + ref[1] + " because of " + n
                                    + " remaining reference(s)");
                        }
                        if (b.refStrong() && !tables.get(b.refTable()).containsKey(ref[1])) {
                            throw new OvsdbException("referential integrity violation", "Table " + r.table()
                                    + " column " + ((Column) ref[2]).name() + " row " + r.uuid()
                                    + " references nonexistent row " + ref[1] + " in table " + b.refTable() + ".");
                        }
                    }
                }
            }
        }

        private long countReferences(UUID target) {
            long n = 0;
            for (Map<UUID, MemRow> rows : tables.values()) {
                for (MemRow r : rows.values()) {
                    for (Object[] ref : refs(r)) {
                        if (((BaseType) ref[0]).refStrong() && target.equals(ref[1])) {
                            n++;
                        }
                    }
                }
            }
            return n;
        }

        private void checkIndexes() throws OvsdbException {
            for (Table t : schema.tables().values()) {
                if (tables.get(t.name()).size() > t.maxRows()) {
                    throw new OvsdbException("constraint violation", "Too many rows in table " + t.name());
                }
                for (List<String> index : t.indexes()) {
                    Set<List<Object>> seen = new HashSet<>();
                    for (MemRow r : tables.get(t.name()).values()) {
                        List<Object> key = new ArrayList<>();
                        for (String c : index) {
                            key.add(r.get(c));
                        }
                        if (!seen.add(key)) {
                            throw new OvsdbException("constraint violation", "Transaction causes multiple rows in \""
                                    + t.name() + "\" table to have identical values (" + key + ") for index on "
                                    + index + ".");
                        }
                    }
                }
            }
        }
    }
}
