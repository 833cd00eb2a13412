package org.jvswitch.ovsdb.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import org.jvswitch.api.ovsdb.DbRow;

/**
 * An immutable row (Open vSwitch's ovsdb_row): the table layout, the UUID and one canonical value
 * per column, by column position. A change makes a new row; unchanged values are shared.
 *
 * <p>RFC 7047's {@code _version} column is this object's identity: a change makes a new Row, so
 * a UUID drawn the first time someone asks (and kept) changes exactly when the row changes,
 * without storing or logging anything (ovsdb-server does not log it either).
 */
final class Row implements DbRow {
    static final String UUID_COLUMN = "_uuid";
    static final String VERSION_COLUMN = "_version";

    private static final VarHandle VERSION;

    static {
        try {
            VERSION = MethodHandles.lookup().findVarHandle(Row.class, "version", UUID.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final TableSpec spec;
    private final UUID uuid;
    private final Object[] values;
    /** Drawn on first use; see the class comment. */
    @SuppressWarnings("unused")
    private volatile UUID version;

    /** Takes ownership of {@code values}. */
    Row(TableSpec spec, UUID uuid, Object[] values) {
        this.spec = spec;
        this.uuid = uuid;
        this.values = values;
    }

    static Row withDefaults(TableSpec spec, UUID uuid) {
        return new Row(spec, uuid, spec.defaults.clone());
    }

    @Override
    public String table() {
        return spec.name;
    }

    @Override
    public UUID uuid() {
        return uuid;
    }

    @Override
    public Object get(String column) {
        int i = spec.position(column);
        if (i < 0) {
            if (column.equals(UUID_COLUMN)) {
                return uuid;
            }
            if (column.equals(VERSION_COLUMN)) {
                return version();
            }
            throw new IllegalArgumentException("unknown column " + column + " in table " + spec.name);
        }
        return values[i];
    }

    /** The {@code _version} column: stable for this object, new for every changed copy. */
    UUID version() {
        UUID v = version;
        if (v == null) {
            ThreadLocalRandom r = ThreadLocalRandom.current();
            // A version 4 UUID, like uuid_generate(); randomUUID() would cost a SecureRandom call.
            UUID fresh = new UUID((r.nextLong() & ~0xf000L) | 0x4000L,
                    (r.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L);
            v = VERSION.compareAndExchange(this, (UUID) null, fresh) instanceof UUID won ? won : fresh;
        }
        return v;
    }

    Object value(int column) {
        return values[column];
    }

    /** This row with one column changed; {@code this} if the value is already equal. */
    Row with(int column, Object value) {
        if (Objects.equals(values[column], value)) {
            return this;
        }
        Object[] copy = values.clone();
        copy[column] = value;
        return new Row(spec, uuid, copy);
    }

    /** True if column {@code i} differs between the rows (cheap when the value object is shared). */
    static boolean differs(Row a, Row b, int i) {
        Object x = a.values[i];
        Object y = b.values[i];
        return x != y && !x.equals(y);
    }

    boolean isDefault(int column) {
        Object v = values[column];
        return v == spec.defaults[column] || v.equals(spec.defaults[column]);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Row r && r.spec == spec && r.uuid.equals(uuid) && Arrays.equals(r.values, values);
    }

    @Override
    public int hashCode() {
        return uuid.hashCode();
    }

    /** The table, UUID and non-default columns, for logs and test failures. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(spec.name).append(' ').append(uuid).append(" {");
        String sep = "";
        for (int i = 0; i < values.length; i++) {
            if (!isDefault(i)) {
                sb.append(sep).append(spec.columns[i].name()).append('=')
                        .append(Datum.toString(spec.columns[i].type(), values[i]));
                sep = ", ";
            }
        }
        return sb.append('}').toString();
    }
}
