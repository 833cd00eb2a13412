package org.jvswitch.ovsdb.internal;

import java.util.AbstractCollection;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jvswitch.api.ovsdb.DbRow;
import org.jvswitch.api.ovsdb.DbSnapshot;

/**
 * An immutable committed state: every table's rows and indexes, and who references each row.
 * Taking one is free (the database hands out its current instance); a commit derives the next one
 * by path copying, so old snapshots stay valid without locks.
 */
final class Snapshot implements DbSnapshot {
    private final long version;
    private final Map<String, TableData> tables;
    /** Referrers of every row that has any; rows absent here are referenced by nobody. */
    private final PersistentMap<UUID, Referrers> refs;

    Snapshot(long version, Map<String, TableData> tables, PersistentMap<UUID, Referrers> refs) {
        this.version = version;
        this.tables = tables;
        this.refs = refs;
    }

    static Snapshot empty(Map<String, TableSpec> specs) {
        Map<String, TableData> tables = new LinkedHashMap<>();
        for (TableSpec spec : specs.values()) {
            tables.put(spec.name, TableData.empty(spec));
        }
        return new Snapshot(0, Collections.unmodifiableMap(tables), PersistentMap.empty());
    }

    /** A snapshot holding {@code rows} (as replayed from the log), with indexes and referrers derived. */
    static Snapshot build(Map<String, TableSpec> specs, long version, Map<String, ? extends Collection<Row>> rows) {
        Map<String, TableData> tables = new LinkedHashMap<>();
        PersistentMap<UUID, Referrers> refs = PersistentMap.empty();
        for (TableSpec spec : specs.values()) {
            PersistentMap<UUID, Row> byUuid = PersistentMap.empty();
            List<PersistentMap<Object, UUID>> indexes = new ArrayList<>(TableData.empty(spec).indexes());
            Collection<Row> tableRows = rows.get(spec.name);
            for (Row row : tableRows == null ? List.<Row>of() : tableRows) {
                byUuid = byUuid.plus(row.uuid(), row);
                for (int i = 0; i < spec.indexes.length; i++) {
                    indexes.set(i, indexes.get(i).plus(TableData.indexKey(row, spec.indexes[i]), row.uuid()));
                }
                for (UUID target : References.targets(row, true).keySet()) {
                    refs = refs.plus(target, refs(refs, target).withStrong(1));
                }
                for (UUID target : References.targets(row, false).keySet()) {
                    refs = refs.plus(target, refs(refs, target).withWeak(row.uuid(), spec.name, true));
                }
            }
            tables.put(spec.name, new TableData(spec, byUuid, List.copyOf(indexes)));
        }
        return new Snapshot(version, Collections.unmodifiableMap(tables), refs);
    }

    private static Referrers refs(PersistentMap<UUID, Referrers> refs, UUID row) {
        Referrers r = refs.get(row);
        return r == null ? Referrers.NONE : r;
    }

    @Override
    public long version() {
        return version;
    }

    @Override
    public Collection<DbRow> rows(String table) {
        PersistentMap<UUID, Row> rows = table(table).rows();
        return new AbstractCollection<>() {
            @Override
            public Iterator<DbRow> iterator() {
                Iterator<Row> it = rows.valueIterator();
                return new Iterator<>() {
                    @Override
                    public boolean hasNext() {
                        return it.hasNext();
                    }

                    @Override
                    public DbRow next() {
                        return it.next();
                    }
                };
            }

            @Override
            public int size() {
                return rows.size();
            }
        };
    }

    @Override
    public DbRow row(String table, UUID uuid) {
        return get(table, uuid);
    }

    /** Uses the table's unique index when {@code column} alone is one (Bridge name, Interface name). */
    @Override
    public DbRow find(String table, String column, Object value) {
        TableData data = table(table);
        int c = data.spec().position(column);
        for (int i = 0; c >= 0 && i < data.spec().indexes.length; i++) {
            int[] index = data.spec().indexes[i];
            if (index.length == 1 && index[0] == c) {
                UUID uuid = data.indexes().get(i).get(value);
                return uuid == null ? null : data.rows().get(uuid);
            }
        }
        return DbSnapshot.super.find(table, column, value);
    }

    Row get(String table, UUID uuid) {
        return table(table).rows().get(uuid);
    }

    /** Unknown table: IllegalArgumentException, as {@link DbSnapshot#rows} documents. */
    TableData table(String table) {
        TableData t = tables.get(table);
        if (t == null) {
            throw new IllegalArgumentException("unknown table " + table);
        }
        return t;
    }

    Map<String, TableData> tables() {
        return tables;
    }

    Referrers referrers(UUID row) {
        return refs(refs, row);
    }

    PersistentMap<UUID, Referrers> refs() {
        return refs;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Snapshot v").append(version).append(" {");
        String sep = "";
        for (TableData t : tables.values()) {
            if (!t.rows().isEmpty()) {
                sb.append(sep).append(t.spec().name).append('=').append(t.rows().size());
                sep = ", ";
            }
        }
        return sb.append('}').toString();
    }
}
