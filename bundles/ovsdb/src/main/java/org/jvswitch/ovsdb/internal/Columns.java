package org.jvswitch.ovsdb.internal;

import java.util.ArrayList;
import java.util.List;

import org.jvswitch.api.ovsdb.DbSchema;
import org.jvswitch.api.ovsdb.DbSchema.AtomicType;
import org.jvswitch.api.ovsdb.DbSchema.BaseType;
import org.jvswitch.api.ovsdb.DbSchema.Column;
import org.jvswitch.api.ovsdb.DbSchema.Type;

/**
 * A table's columns as requests name them: the schema's columns plus RFC 7047's {@code _uuid} and
 * {@code _version}, immutable UUIDs that every table has (ovsdb_table_schema_get_column). Their
 * values come from {@link org.jvswitch.api.ovsdb.DbRow#get} like any other column's.
 */
public final class Columns {
    static final Type UUID_TYPE = new Type(new BaseType(AtomicType.UUID, null, Long.MIN_VALUE, Long.MAX_VALUE,
            -Double.MAX_VALUE, Double.MAX_VALUE, 0, Long.MAX_VALUE, null, true), null, 1, 1);
    public static final Column UUID = new Column(Row.UUID_COLUMN, UUID_TYPE, false, false);
    public static final Column VERSION = new Column(Row.VERSION_COLUMN, UUID_TYPE, false, false);

    private Columns() {
    }

    /** The column, or null. */
    public static Column find(DbSchema.Table table, String name) {
        Column c = table.columns().get(name);
        if (c != null) {
            return c;
        }
        return switch (name) {
            case Row.UUID_COLUMN -> UUID;
            case Row.VERSION_COLUMN -> VERSION;
            default -> null;
        };
    }

    /** Every column, {@code _uuid} and {@code _version} first, as ovsdb-server lists a table's columns. */
    public static List<Column> all(DbSchema.Table table) {
        List<Column> all = new ArrayList<>(table.columns().size() + 2);
        all.add(UUID);
        all.add(VERSION);
        all.addAll(table.columns().values());
        return all;
    }

    /** Whether a column holds its type's default (update2 leaves such columns out of new rows). */
    public static boolean isDefault(Column c, Object value) {
        if (c == UUID || c == VERSION) {
            return Datum.ZERO_UUID.equals(value);
        }
        Type t = c.type();
        if (t.isMap()) {
            return ((java.util.Map<?, ?>) value).isEmpty();
        }
        if (t.min() == 0) {
            return ((java.util.Collection<?>) value).isEmpty();
        }
        return Datum.defaultValue(t).equals(value);
    }

    /** ovsdb_type_to_english: "integer", "set of up to 4096 integers", "map of (string, string) pairs". */
    static String english(Type type) {
        String key = type.key().type().jsonName();
        if (type.isScalar()) {
            return key;
        }
        StringBuilder s = new StringBuilder(type.isMap() ? "map" : "set");
        if (type.max() == Long.MAX_VALUE) {
            s.append(type.min() > 0 ? " of " + type.min() + " or more" : " of");
        } else if (type.min() > 0) {
            s.append(" of ").append(type.min()).append(" to ").append(type.max());
        } else {
            s.append(" of up to ").append(type.max());
        }
        if (type.isMap()) {
            s.append(" (").append(key).append(", ").append(type.value().type().jsonName()).append(") pairs");
        } else {
            s.append(' ').append(key).append('s');
        }
        return s.toString();
    }

    /** A type with other element counts (conditions and mutations relax them). */
    static Type withCounts(Type type, long min, long max) {
        return new Type(type.key(), type.value(), min, max);
    }
}
