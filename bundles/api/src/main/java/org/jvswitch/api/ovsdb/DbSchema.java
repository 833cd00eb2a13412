package org.jvswitch.api.ovsdb;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A database schema as RFC 7047 section 3.2 defines it. {@code json} is the schema's JSON text,
 * served as is by {@code get_schema}.
 */
public record DbSchema(String name, String version, Map<String, Table> tables, String json) {

    public Table table(String table) {
        Table t = tables.get(table);
        if (t == null) {
            throw new IllegalArgumentException("unknown table " + table);
        }
        return t;
    }

    /** A table: its columns (without _uuid and _version), whether it is a root, max rows, indexes. */
    public record Table(String name, Map<String, Column> columns, boolean isRoot, long maxRows,
                        List<List<String>> indexes) {
        public Column column(String column) {
            Column c = columns.get(column);
            if (c == null) {
                throw new IllegalArgumentException("unknown column " + column + " in table " + name);
            }
            return c;
        }
    }

    /** A column. */
    public record Column(String name, Type type, boolean mutable, boolean ephemeral) {
        /** By name only: columns are map keys on every transaction, and hashing the type walks its enums. */
        @Override
        public int hashCode() {
            return name.hashCode();
        }
    }

    /**
     * A column type: key type, value type (null unless a map), and the number of elements
     * (min 0 or 1; max ≥ 1, {@link Long#MAX_VALUE} for "unlimited").
     */
    public record Type(BaseType key, BaseType value, long min, long max) {
        public boolean isMap() {
            return value != null;
        }

        /** Exactly one value: the column holds a bare atom. */
        public boolean isScalar() {
            return value == null && min == 1 && max == 1;
        }

        public boolean isOptional() {
            return value == null && min == 0 && max == 1;
        }
    }

    /** The atomic types of RFC 7047. */
    public enum AtomicType {
        INTEGER, REAL, BOOLEAN, STRING, UUID;

        public String jsonName() {
            return name().toLowerCase();
        }
    }

    /**
     * An atomic type with its constraints: enum (null if none), integer/real range, string length,
     * and for uuids the referenced table and whether the reference is strong.
     */
    public record BaseType(AtomicType type, Set<Object> enumValues, long minInteger, long maxInteger,
                           double minReal, double maxReal, long minLength, long maxLength,
                           String refTable, boolean refStrong) {
    }
}
