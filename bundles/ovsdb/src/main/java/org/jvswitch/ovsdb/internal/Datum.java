package org.jvswitch.ovsdb.internal;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

import org.jvswitch.api.ovsdb.DbSchema.AtomicType;
import org.jvswitch.api.ovsdb.DbSchema.BaseType;
import org.jvswitch.api.ovsdb.DbSchema.Type;
import org.jvswitch.api.ovsdb.OvsdbException;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

/**
 * Column values as Java objects (Open vSwitch's ovsdb-data.c): the defaults, the conversion of what
 * callers pass into the canonical representation of {@link org.jvswitch.api.ovsdb.Ovsdb}, and the
 * checks of RFC 7047 section 3.2 with ovsdb-server's error texts.
 *
 * <p>Canonical values: an atom ({@code String}, {@code Long}, {@code Double}, {@code Boolean},
 * {@code UUID}) for a column with min = max = 1; otherwise an unmodifiable sorted set or map. Values
 * are immutable, so rows and snapshots share them freely.
 */
final class Datum {
    /** How ovsdb-server prints "unlimited" in set size errors (UINT_MAX). */
    private static final long UNLIMITED_TEXT = 4294967295L;

    static final UUID ZERO_UUID = new UUID(0, 0);

    private Datum() {
    }

    static Object defaultAtom(AtomicType type) {
        return switch (type) {
            case INTEGER -> 0L;
            case REAL -> 0.0;
            case BOOLEAN -> Boolean.FALSE;
            case STRING -> "";
            case UUID -> ZERO_UUID;
        };
    }

    /** The value a column holds when nobody set it: the atomic default, or an empty set or map. */
    static Object defaultValue(Type type) {
        if (type.isMap()) {
            return Collections.emptySortedMap();
        }
        if (type.isScalar()) {
            return defaultAtom(type.key().type());
        }
        if (type.min() == 1) {
            // A set of at least one element has a one-element default, as in ovsdb-data.c.
            return Collections.unmodifiableSortedSet(new TreeSet<>(Set.of(defaultAtom(type.key().type()))));
        }
        return Collections.emptySortedSet();
    }

    /**
     * Converts {@code value} to the canonical representation for {@code type} and checks it.
     *
     * @throws OvsdbException "syntax error" for a wrong Java type or a wrong number of elements,
     *         "constraint violation" for a value outside its enum, range or length
     */
    static Object normalize(Type type, Object value) throws OvsdbException {
        if (type.isMap()) {
            return normalizeMap(type, value);
        }
        Collection<?> elements;
        if (value == null) {
            elements = Set.of();
        } else if (value instanceof Collection<?> c) {
            elements = c;
        } else if (value instanceof Map<?, ?>) {
            throw new OvsdbException("syntax error", "expected " + type.key().type().jsonName());
        } else {
            elements = null;
        }
        if (elements == null) {
            // A bare atom: the value itself, or a one-element set.
            Object atom = atom(type.key(), value);
            checkSize("set", type, 1);
            return type.isScalar() ? atom : Collections.unmodifiableSortedSet(new TreeSet<>(Set.of(atom)));
        }
        TreeSet<Object> set = new TreeSet<>();
        for (Object e : elements) {
            set.add(atom(type.key(), e));
        }
        checkSize("set", type, set.size());
        if (type.isScalar()) {
            return set.first();
        }
        return set.isEmpty() ? Collections.emptySortedSet() : Collections.unmodifiableSortedSet(set);
    }

    private static Object normalizeMap(Type type, Object value) throws OvsdbException {
        if (value != null && !(value instanceof Map<?, ?>)) {
            throw new OvsdbException("syntax error", "expected [\"map\", <array>]");
        }
        TreeMap<Object, Object> map = new TreeMap<>();
        if (value != null) {
            for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
                map.put(atom(type.key(), e.getKey()), atom(type.value(), e.getValue()));
            }
        }
        checkSize("map", type, map.size());
        return map.isEmpty() ? Collections.emptySortedMap() : Collections.unmodifiableSortedMap(map);
    }

    private static void checkSize(String kind, Type type, int n) throws OvsdbException {
        if (n < type.min() || n > type.max()) {
            long max = type.max() == Long.MAX_VALUE ? UNLIMITED_TEXT : type.max();
            throw new OvsdbException("syntax error",
                    kind + " must have " + type.min() + " to " + max + " members but " + n + " are present");
        }
    }

    /** Converts one atom (Integer to Long, integers to Double for reals) and checks its constraints. */
    static Object atom(BaseType base, Object v) throws OvsdbException {
        Object atom = switch (base.type()) {
            case INTEGER -> v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte
                    ? (Object) ((Number) v).longValue() : null;
            case REAL -> v instanceof Double || v instanceof Float || v instanceof Long || v instanceof Integer
                    || v instanceof Short || v instanceof Byte ? (Object) ((Number) v).doubleValue() : null;
            case BOOLEAN -> v instanceof Boolean ? v : null;
            case STRING -> v instanceof CharSequence s ? s.toString() : null;
            case UUID -> v instanceof UUID ? v : null;
        };
        if (atom == null || (atom instanceof Double d && !Double.isFinite(d))) {
            // JSON, and so the log and the wire, cannot carry NaN or infinities.
            throw new OvsdbException("syntax error", "expected " + base.type().jsonName());
        }
        checkConstraints(base, atom);
        return atom;
    }

    static void checkConstraints(BaseType base, Object atom) throws OvsdbException {
        if (base.enumValues() != null) {
            if (!base.enumValues().contains(atom)) {
                throw new OvsdbException("constraint violation", atomToString(atom)
                        + " is not one of the allowed values ([" + valuesToString(base.enumValues()) + "])");
            }
            return;
        }
        switch (base.type()) {
            case INTEGER -> {
                long n = (Long) atom;
                boolean hasMin = base.minInteger() != Long.MIN_VALUE;
                boolean hasMax = base.maxInteger() != Long.MAX_VALUE;
                if (n < base.minInteger() || n > base.maxInteger()) {
                    throw rangeError(Long.toString(n), hasMin, hasMax, Long.toString(base.minInteger()),
                            Long.toString(base.maxInteger()), n < base.minInteger());
                }
            }
            case REAL -> {
                double d = (Double) atom;
                boolean hasMin = base.minReal() != -Double.MAX_VALUE;
                boolean hasMax = base.maxReal() != Double.MAX_VALUE;
                if (d < base.minReal() || d > base.maxReal()) {
                    throw rangeError(realToString(d), hasMin, hasMax, realToString(base.minReal()),
                            realToString(base.maxReal()), d < base.minReal());
                }
            }
            case STRING -> {
                String s = (String) atom;
                long length = s.codePointCount(0, s.length());
                if (length < base.minLength()) {
                    throw new OvsdbException("constraint violation", quote(s) + " length " + length
                            + " is less than minimum allowed length " + base.minLength());
                }
                if (length > base.maxLength()) {
                    throw new OvsdbException("constraint violation", quote(s) + " length " + length
                            + " is greater than maximum allowed length " + base.maxLength());
                }
            }
            default -> {
            }
        }
    }

    private static OvsdbException rangeError(String value, boolean hasMin, boolean hasMax, String min,
                                             String max, boolean tooSmall) {
        String details;
        if (hasMin && hasMax) {
            details = value + " is not in the valid range " + min + " to " + max + " (inclusive)";
        } else if (tooSmall) {
            details = value + " is less than minimum allowed value " + min;
        } else {
            details = value + " is greater than maximum allowed value " + max;
        }
        return new OvsdbException("constraint violation", details);
    }

    // --- text, as ovsdb-server prints atoms and data in error messages ---

    /** An atom as ovsdb-server prints it: strings bare when they look like identifiers, else quoted. */
    static String atomToString(Object atom) {
        if (atom instanceof String s) {
            return isBareString(s) ? s : quote(s);
        }
        if (atom instanceof Double d) {
            return realToString(d);
        }
        return atom.toString();
    }

    /** A column value: a bare atom if the column holds at most one, else {@code [a, b]} or {@code {k=v}}. */
    static String toString(Type type, Object value) {
        if (!(value instanceof Collection<?>) && !(value instanceof Map<?, ?>)) {
            return atomToString(value);
        }
        StringBuilder sb = new StringBuilder();
        int n = value instanceof Map<?, ?> m ? m.size() : ((Collection<?>) value).size();
        boolean brackets = type.max() > 1 || n == 0;
        if (brackets) {
            sb.append(type.isMap() ? '{' : '[');
        }
        if (value instanceof Map<?, ?> m) {
            Iterator<? extends Map.Entry<?, ?>> it = m.entrySet().iterator();
            while (it.hasNext()) {
                Map.Entry<?, ?> e = it.next();
                sb.append(atomToString(e.getKey())).append('=').append(atomToString(e.getValue()));
                if (it.hasNext()) {
                    sb.append(", ");
                }
            }
        } else {
            sb.append(valuesToString((Collection<?>) value));
        }
        if (brackets) {
            sb.append(type.isMap() ? '}' : ']');
        }
        return sb.toString();
    }

    /** Atoms separated by ", ". */
    private static String valuesToString(Collection<?> atoms) {
        StringBuilder sb = new StringBuilder();
        for (Object atom : atoms) {
            if (!sb.isEmpty()) {
                sb.append(", ");
            }
            sb.append(atomToString(atom));
        }
        return sb.toString();
    }

    /** Letters, digits, '_', '-', '.', starting with a letter or '_', and not a JSON keyword. */
    private static boolean isBareString(String s) {
        if (s.isEmpty() || s.equals("true") || s.equals("false") || s.equals("null")) {
            return false;
        }
        char first = s.charAt(0);
        if (!(isAsciiLetter(first) || first == '_')) {
            return false;
        }
        for (int i = 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(isAsciiLetter(c) || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.')) {
                return false;
            }
        }
        return true;
    }

    private static boolean isAsciiLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    static String quote(String s) {
        return '"' + new String(JsonStringEncoder.getInstance().quoteAsString(s)) + '"';
    }

    /** Like C's {@code %.15g}: "1.5", "3", "1e+20". */
    static String realToString(double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            return Double.toString(d);
        }
        if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString((long) d);
        }
        BigDecimal b = new BigDecimal(d).round(new MathContext(15)).stripTrailingZeros();
        int exponent = b.precision() - b.scale() - 1;
        if (exponent < -4 || exponent >= 15) {
            String unscaled = b.unscaledValue().abs().toString();
            String mantissa = unscaled.length() == 1 ? unscaled : unscaled.charAt(0) + "." + unscaled.substring(1);
            return (b.signum() < 0 ? "-" : "") + mantissa + "e" + (exponent < 0 ? "-" : "+")
                    + (Math.abs(exponent) < 10 ? "0" : "") + Math.abs(exponent);
        }
        return b.toPlainString();
    }
}
