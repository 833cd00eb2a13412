package org.jvswitch.ovsdb.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

import org.jvswitch.api.ovsdb.DbRow;
import org.jvswitch.api.ovsdb.DbSchema;
import org.jvswitch.api.ovsdb.DbSchema.AtomicType;
import org.jvswitch.api.ovsdb.DbSchema.Column;
import org.jvswitch.api.ovsdb.DbSchema.Type;
import org.jvswitch.api.ovsdb.OvsdbException;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A list of RFC 7047 clauses (Open vSwitch's ovsdb/condition.c). A transaction's "where" selects
 * rows that satisfy every clause; a monitor_cond "where" selects rows that satisfy any clause, or
 * every row if there is none. Besides {@code [column, function, value]} a clause may be the JSON
 * {@code true} or {@code false} (an Open vSwitch extension for monitor conditions).
 */
public final class Condition {
    /** The functions of RFC 7047 section 5.1 plus the two constant clauses. */
    enum Function {
        FALSE("false"), TRUE("true"), EQ("=="), INCLUDES("includes"), LE("<="), LT("<"), GE(">="), GT(">"),
        EXCLUDES("excludes"), NE("!=");

        final String text;

        Function(String text) {
            this.text = text;
        }

        static Function parse(String name) throws OvsdbException {
            for (Function f : values()) {
                if (f != FALSE && f != TRUE && f.text.equals(name)) {
                    return f;
                }
            }
            throw new OvsdbSyntaxException(null, "unknown function", "No function named " + name + ".");
        }
    }

    record Clause(Function function, Column column, Object arg) {
    }

    private static final Condition EMPTY = new Condition(List.of());

    private final List<Clause> clauses;

    private Condition(List<Clause> clauses) {
        this.clauses = clauses;
    }

    /** A monitor condition: no named UUIDs. */
    public static Condition parse(DbSchema.Table table, JsonNode where) throws OvsdbException {
        return parse(table, where, null);
    }

    /** {@code where} is a JSON array (callers check that with their own error text). */
    static Condition parse(DbSchema.Table table, JsonNode where, Symbols symbols) throws OvsdbException {
        if (where.isEmpty()) {
            return EMPTY;
        }
        List<Clause> clauses = new ArrayList<>(where.size());
        for (JsonNode json : where) {
            clauses.add(clause(table, json, symbols));
        }
        return new Condition(Collections.unmodifiableList(clauses));
    }

    private static Clause clause(DbSchema.Table table, JsonNode json, Symbols symbols) throws OvsdbException {
        if (json.isBoolean()) {
            return new Clause(json.booleanValue() ? Function.TRUE : Function.FALSE, Columns.UUID, null);
        }
        if (!json.isArray() || json.size() != 3 || !json.get(0).isTextual() || !json.get(1).isTextual()) {
            throw new OvsdbSyntaxException(json, null, "Parse error in condition.");
        }
        String name = json.get(0).textValue();
        Column column = Columns.find(table, name);
        if (column == null) {
            throw new OvsdbSyntaxException(json, "unknown column", "No column " + name + " in table "
                    + table.name() + ".");
        }
        Function function = Function.parse(json.get(1).textValue());
        Type type = column.type();
        // Type-check, and relax the argument's element counts where the function allows it.
        switch (function) {
            case LT, LE, GT, GE -> {
                boolean scalarish = type.isScalar() || type.isOptional();
                AtomicType key = type.key().type();
                if (!scalarish || (key != AtomicType.INTEGER && key != AtomicType.REAL)) {
                    throw new OvsdbSyntaxException(json, null, "Type mismatch: \"" + function.text
                            + "\" operator may not be applied to column " + column.name() + " of type "
                            + Columns.english(type) + ".");
                }
                type = Columns.withCounts(type, 1, type.max());
            }
            case EXCLUDES -> {
                if (!type.isScalar()) {
                    type = Columns.withCounts(type, 0, Long.MAX_VALUE);
                }
            }
            case INCLUDES -> {
                if (!type.isScalar()) {
                    type = Columns.withCounts(type, 0, type.max());
                }
            }
            default -> {
            }
        }
        return new Clause(function, column, ValueParser.parse(type, json.get(2), symbols));
    }

    /** True if there are no clauses. */
    public boolean isEmpty() {
        return clauses.isEmpty();
    }

    /** A transaction's "where": every clause holds. */
    public boolean matchesAll(DbRow row) {
        for (Clause c : clauses) {
            if (!evaluate(c, row)) {
                return false;
            }
        }
        return true;
    }

    /** A monitor condition: no clauses, or some clause holds. */
    public boolean matchesAny(DbRow row) {
        if (clauses.isEmpty()) {
            return true;
        }
        for (Clause c : clauses) {
            if (evaluate(c, row)) {
                return true;
            }
        }
        return false;
    }

    /** The UUID of a {@code ["_uuid", "==", U]} clause, for a direct lookup instead of a scan; or null. */
    UUID uuidLookup() {
        for (Clause c : clauses) {
            if (c.function == Function.EQ && c.column == Columns.UUID) {
                return (UUID) c.arg;
            }
        }
        return null;
    }

    /** ovsdb_clause_evaluate. */
    private static boolean evaluate(Clause c, DbRow row) {
        if (c.function == Function.TRUE || c.function == Function.FALSE) {
            return c.function == Function.TRUE;
        }
        Type type = c.column.type();
        Object field = row.get(c.column.name());
        int n = size(field);
        boolean ordered = c.function == Function.LT || c.function == Function.LE || c.function == Function.GT
                || c.function == Function.GE;
        if (type.isOptional() && n == 0 && ordered) {
            return false;
        }
        if ((type.isScalar() || type.isOptional()) && n == 1 && size(c.arg) == 1) {
            int cmp = compareAtoms(single(field), single(c.arg));
            return switch (c.function) {
                case LT -> cmp < 0;
                case LE -> cmp <= 0;
                case EQ, INCLUDES -> cmp == 0;
                case NE, EXCLUDES -> cmp != 0;
                case GE -> cmp >= 0;
                case GT -> cmp > 0;
                default -> throw new AssertionError(c.function);
            };
        }
        return switch (c.function) {
            case EQ -> Objects.equals(field, c.arg);
            case NE -> !Objects.equals(field, c.arg);
            case INCLUDES -> includesAll(field, c.arg);
            case EXCLUDES -> excludesAll(field, c.arg);
            default -> throw new AssertionError(c.function);
        };
    }

    static int size(Object v) {
        if (v instanceof Collection<?> c) {
            return c.size();
        }
        if (v instanceof Map<?, ?> m) {
            return m.size();
        }
        return 1;
    }

    private static Object single(Object v) {
        return v instanceof Collection<?> c ? c.iterator().next() : v;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static int compareAtoms(Object a, Object b) {
        return ((Comparable) a).compareTo(b);
    }

    /** Every element (or pair) of {@code arg} is in {@code field}. */
    private static boolean includesAll(Object field, Object arg) {
        if (field instanceof Map<?, ?> f && arg instanceof Map<?, ?> a) {
            for (Map.Entry<?, ?> e : a.entrySet()) {
                if (!f.containsKey(e.getKey()) || !Objects.equals(f.get(e.getKey()), e.getValue())) {
                    return false;
                }
            }
            return true;
        }
        return asSet(field).containsAll(asSet(arg));
    }

    /** No element (or pair) of {@code arg} is in {@code field}. */
    private static boolean excludesAll(Object field, Object arg) {
        if (field instanceof Map<?, ?> f && arg instanceof Map<?, ?> a) {
            for (Map.Entry<?, ?> e : a.entrySet()) {
                if (f.containsKey(e.getKey()) && Objects.equals(f.get(e.getKey()), e.getValue())) {
                    return false;
                }
            }
            return true;
        }
        Set<?> f = asSet(field);
        for (Object x : asSet(arg)) {
            if (f.contains(x)) {
                return false;
            }
        }
        return true;
    }

    private static Set<?> asSet(Object v) {
        return v instanceof Set<?> s ? s : Set.of(v);
    }
}
