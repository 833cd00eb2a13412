package org.jvswitch.ovsdb.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.jvswitch.api.ovsdb.DbSchema;
import org.jvswitch.api.ovsdb.DbSchema.BaseType;
import org.jvswitch.api.ovsdb.DbSchema.Column;
import org.jvswitch.api.ovsdb.OvsdbException;

/**
 * A table's schema laid out for fast row access (Open vSwitch's ovsdb_table_schema with column
 * indexes): columns by position, their defaults, which of them hold references, and the column
 * positions of each unique index. One per table, shared by every row and snapshot.
 */
final class TableSpec {
    final DbSchema.Table schema;
    final String name;
    final Column[] columns;
    /** Default value of each column (shared, immutable). */
    final Object[] defaults;
    /** Non-null where a column's default violates its own constraints, so an insert must set it. */
    final OvsdbException[] defaultErrors;
    /** Columns with a reference in the key or value, per strength. */
    final int[] strongRefColumns;
    final int[] weakRefColumns;
    /** Column positions of each index of the schema. */
    final int[][] indexes;
    private final Map<String, Integer> positions;

    TableSpec(DbSchema.Table schema) {
        this.schema = schema;
        this.name = schema.name();
        this.columns = schema.columns().values().toArray(new Column[0]);
        this.defaults = new Object[columns.length];
        this.defaultErrors = new OvsdbException[columns.length];
        Map<String, Integer> pos = new HashMap<>();
        List<Integer> strong = new ArrayList<>();
        List<Integer> weak = new ArrayList<>();
        for (int i = 0; i < columns.length; i++) {
            Column c = columns[i];
            pos.put(c.name(), i);
            defaults[i] = Datum.defaultValue(c.type());
            defaultErrors[i] = checkDefault(c);
            if (isRef(c.type().key(), true) || isRef(c.type().value(), true)) {
                strong.add(i);
            }
            if (isRef(c.type().key(), false) || isRef(c.type().value(), false)) {
                weak.add(i);
            }
        }
        this.positions = Collections.unmodifiableMap(pos);
        this.strongRefColumns = strong.stream().mapToInt(Integer::intValue).toArray();
        this.weakRefColumns = weak.stream().mapToInt(Integer::intValue).toArray();
        this.indexes = new int[schema.indexes().size()][];
        for (int i = 0; i < indexes.length; i++) {
            indexes[i] = schema.indexes().get(i).stream().mapToInt(pos::get).toArray();
        }
    }

    /** ovsdb-server rejects an insert that leaves a column at a default its constraints forbid. */
    private static OvsdbException checkDefault(Column c) {
        try {
            Datum.normalize(c.type(), c.type().isMap() ? null : Datum.defaultValue(c.type()));
            return null;
        } catch (OvsdbException e) {
            return e;
        }
    }

    static boolean isRef(BaseType base, boolean strong) {
        return base != null && base.refTable() != null && base.refStrong() == strong;
    }

    boolean isRoot() {
        return schema.isRoot();
    }

    /** Column position, or -1. */
    int position(String column) {
        Integer i = positions.get(column);
        return i == null ? -1 : i;
    }

    /** Column position for a transaction; "unknown column" as ovsdb-server words it. */
    int positionOrFail(String column) throws OvsdbException {
        int i = position(column);
        if (i < 0) {
            throw new OvsdbException("unknown column", "No column " + column + " in table " + name + ".");
        }
        return i;
    }
}
