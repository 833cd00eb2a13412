package org.jvswitch.ovsdb.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.jvswitch.api.ovsdb.DbRow;
import org.jvswitch.api.ovsdb.DbSchema;
import org.jvswitch.api.ovsdb.DbSchema.AtomicType;
import org.jvswitch.api.ovsdb.DbSchema.BaseType;
import org.jvswitch.api.ovsdb.DbSchema.Column;
import org.jvswitch.api.ovsdb.DbSchema.Type;
import org.jvswitch.api.ovsdb.OvsdbException;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One RFC 7047 mutation, {@code [column, mutator, value]} (Open vSwitch's ovsdb/mutation.c): the
 * arithmetic mutators on integer and real columns (each element of a set), "insert" and
 * "delete" on sets and maps. Texts and checks follow ovsdb-server.
 */
final class Mutation {
    enum Mutator {
        ADD("+="), SUB("-="), MUL("*="), DIV("/="), MOD("%="), INSERT("insert"), DELETE("delete");

        final String text;

        Mutator(String text) {
            this.text = text;
        }
    }

    private final Column column;
    private final Mutator mutator;
    /** The argument, parsed with the relaxed type {@code argType}. */
    private final Type argType;
    private final Object arg;

    private Mutation(Column column, Mutator mutator, Type argType, Object arg) {
        this.column = column;
        this.mutator = mutator;
        this.argType = argType;
        this.arg = arg;
    }

    /** ovsdb_mutation_set_from_json; {@code json} is an array. */
    static List<Mutation> parseAll(DbSchema.Table table, JsonNode json, Symbols symbols) throws OvsdbException {
        List<Mutation> out = new ArrayList<>(json.size());
        for (JsonNode m : json) {
            out.add(parse(table, m, symbols));
        }
        return out;
    }

    private static Mutation parse(DbSchema.Table table, JsonNode json, Symbols symbols) throws OvsdbException {
        if (!json.isArray() || json.size() != 3 || !json.get(0).isTextual() || !json.get(1).isTextual()) {
            throw new OvsdbSyntaxException(json, null, "Parse error in mutation.");
        }
        String name = json.get(0).textValue();
        Column column = Columns.find(table, name);
        if (column == null) {
            throw new OvsdbSyntaxException(json, "unknown column", "No column " + name + " in table "
                    + table.name() + ".");
        }
        if (!column.mutable()) {
            throw new OvsdbSyntaxException(json, "constraint violation", "Cannot mutate immutable column "
                    + name + " in table " + table.name() + ".");
        }
        Mutator mutator = null;
        for (Mutator m : Mutator.values()) {
            if (m.text.equals(json.get(1).textValue())) {
                mutator = m;
            }
        }
        if (mutator == null) {
            throw new OvsdbSyntaxException(null, "unknown mutator", "No mutator named "
                    + json.get(1).textValue() + ".");
        }
        Type type = column.type();
        boolean isSet = !type.isMap() && !type.isScalar();
        switch (mutator) {
            case ADD, SUB, MUL, DIV, MOD -> {
                AtomicType key = type.key().type();
                if ((!type.isScalar() && !isSet) || (key != AtomicType.INTEGER && key != AtomicType.REAL)
                        || (mutator == Mutator.MOD && key == AtomicType.REAL)) {
                    throw typeMismatch(column, mutator, json);
                }
                // The argument is one unconstrained atom; the result is checked against the constraints.
                Type argType = new Type(unconstrained(type.key()), null, 1, 1);
                return new Mutation(column, mutator, argType, ValueParser.parse(argType, json.get(2), symbols));
            }
            default -> {
                if (!isSet && !type.isMap()) {
                    throw typeMismatch(column, mutator, json);
                }
                Type argType = Columns.withCounts(type, 0, mutator == Mutator.DELETE ? Long.MAX_VALUE : type.max());
                try {
                    return new Mutation(column, mutator, argType, ValueParser.parse(argType, json.get(2), symbols));
                } catch (OvsdbException e) {
                    if (!type.isMap() || mutator != Mutator.DELETE) {
                        throw e;
                    }
                    // "delete" from a map also takes a set of keys.
                    Type keys = new Type(type.key(), null, 0, Long.MAX_VALUE);
                    return new Mutation(column, mutator, keys, ValueParser.parse(keys, json.get(2), symbols));
                }
            }
        }
    }

    private static BaseType unconstrained(BaseType b) {
        return new BaseType(b.type(), null, Long.MIN_VALUE, Long.MAX_VALUE, -Double.MAX_VALUE, Double.MAX_VALUE,
                0, Long.MAX_VALUE, b.refTable(), b.refStrong());
    }

    private static OvsdbException typeMismatch(Column column, Mutator mutator, JsonNode json) {
        return new OvsdbSyntaxException(json, null, "Type mismatch: \"" + mutator.text
                + "\" operator may not be applied to column " + column.name() + " of type "
                + Columns.english(column.type()) + ".");
    }

    String column() {
        return column.name();
    }

    /**
     * The column's value after this mutation of {@code current} (ovsdb_mutation_set_execute).
     *
     * @throws OvsdbException "domain error", "range error" or "constraint violation"
     */
    Object apply(Object current) throws OvsdbException {
        Type type = column.type();
        return switch (mutator) {
            case ADD, SUB, MUL, DIV, MOD -> arithmetic(type, current);
            case INSERT -> checkCount(type, union(current));
            case DELETE -> checkCount(type, subtract(current));
        };
    }

    /** Applies every mutation in order to a row's columns, as mutate_row_cb does. */
    static Map<String, Object> applyAll(List<Mutation> mutations, DbRow row) throws OvsdbException {
        Map<String, Object> values = new java.util.LinkedHashMap<>();
        for (Mutation m : mutations) {
            Object current = values.containsKey(m.column()) ? values.get(m.column()) : row.get(m.column());
            values.put(m.column(), m.apply(current));
        }
        return values;
    }

    private Object arithmetic(Type type, Object current) throws OvsdbException {
        BaseType base = type.key();
        if (type.isScalar()) {
            Object v = scalar(base.type(), current);
            Datum.checkConstraints(base, v);
            return v;
        }
        TreeSet<Object> out = new TreeSet<>();
        int n = 0;
        List<Object> results = new ArrayList<>();
        for (Object x : (Collection<?>) current) {
            results.add(scalar(base.type(), x));
        }
        for (Object v : results) {
            Datum.checkConstraints(base, v);
        }
        for (Object v : results) {
            out.add(v);
            n++;
        }
        if (out.size() != n) {
            throw new OvsdbException("constraint violation", "Result of \"" + mutator.text
                    + "\" operation contains duplicates.");
        }
        return out.isEmpty() ? Collections.emptySortedSet() : Collections.unmodifiableSortedSet(out);
    }

    private Object scalar(AtomicType t, Object x) throws OvsdbException {
        if (t == AtomicType.INTEGER) {
            long a = (Long) x;
            long b = (Long) arg;
            try {
                return switch (mutator) {
                    case ADD -> Math.addExact(a, b);
                    case SUB -> Math.subtractExact(a, b);
                    case MUL -> Math.multiplyExact(a, b);
                    case DIV -> {
                        checkDivisor(a, b);
                        yield a / b;
                    }
                    case MOD -> {
                        checkDivisor(a, b);
                        yield a % b;
                    }
                    default -> throw new AssertionError(mutator);
                };
            } catch (ArithmeticException e) {
                throw rangeError();
            }
        }
        double a = (Double) x;
        double b = (Double) arg;
        double r = switch (mutator) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> {
                if (b == 0) {
                    throw domainError();
                }
                yield a / b;
            }
            default -> throw new AssertionError(mutator);
        };
        if (!(r >= -Double.MAX_VALUE && r <= Double.MAX_VALUE)) {
            throw rangeError();
        }
        return r;
    }

    private void checkDivisor(long a, long b) throws OvsdbException {
        if (b == 0) {
            throw domainError();
        }
        if (a == Long.MIN_VALUE && b == -1) {
            throw rangeError();
        }
    }

    private static OvsdbException domainError() {
        return new OvsdbException("domain error", "Division by zero.");
    }

    private OvsdbException rangeError() {
        return new OvsdbException("range error", "Result of \"" + mutator.text + "\" operation is out of range.");
    }

    /** ovsdb_datum_union: new elements added; for maps, keys already present keep their value. */
    private Object union(Object current) {
        if (current instanceof Map<?, ?> m) {
            TreeMap<Object, Object> out = new TreeMap<>(m);
            for (Map.Entry<?, ?> e : ((Map<?, ?>) arg).entrySet()) {
                out.putIfAbsent(e.getKey(), e.getValue());
            }
            return Collections.unmodifiableSortedMap(out);
        }
        TreeSet<Object> out = new TreeSet<>((Collection<?>) current);
        out.addAll(asSet(arg));
        return Collections.unmodifiableSortedSet(out);
    }

    /** ovsdb_datum_subtract: elements removed; map pairs removed by pair, or by key given a set. */
    private Object subtract(Object current) {
        if (current instanceof Map<?, ?> m) {
            TreeMap<Object, Object> out = new TreeMap<>(m);
            if (argType.isMap()) {
                for (Map.Entry<?, ?> e : ((Map<?, ?>) arg).entrySet()) {
                    if (out.containsKey(e.getKey()) && Objects.equals(out.get(e.getKey()), e.getValue())) {
                        out.remove(e.getKey());
                    }
                }
            } else {
                out.keySet().removeAll(asSet(arg));
            }
            return out.isEmpty() ? Collections.emptySortedMap() : Collections.unmodifiableSortedMap(out);
        }
        TreeSet<Object> out = new TreeSet<>((Collection<?>) current);
        out.removeAll(asSet(arg));
        return out.isEmpty() ? Collections.emptySortedSet() : Collections.unmodifiableSortedSet(out);
    }

    private static Set<?> asSet(Object v) {
        return v instanceof Set<?> s ? s : Set.of(v);
    }

    /** ovsdb_mutation_check_count. */
    private static Object checkCount(Type type, Object value) throws OvsdbException {
        int n = Condition.size(value);
        if (n < type.min() || n > type.max()) {
            throw new OvsdbException("constraint violation", "Attempted to store " + n + " elements in "
                    + Columns.english(type) + ".");
        }
        return value;
    }
}
