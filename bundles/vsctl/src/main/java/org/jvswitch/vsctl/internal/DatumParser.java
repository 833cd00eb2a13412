package org.jvswitch.vsctl.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import org.jvswitch.api.ovsdb.DbSchema.AtomicType;
import org.jvswitch.api.ovsdb.DbSchema.BaseType;
import org.jvswitch.api.ovsdb.DbSchema.Type;

/**
 * Reads atoms and data in ovs-vsctl's syntax (ovsdb_token_parse, ovsdb_atom_from_string and
 * ovsdb_datum_from_string in lib/ovsdb-data.c), with their exact error texts: {@code a=b} pairs,
 * sets in {@code []}, maps in {@code {}}, integer ranges {@code 1-5}, strings bare or JSON-quoted,
 * and {@code @name} row ids for UUIDs.
 */
final class DatumParser {
    private static final String DELIMITERS = ":=, []{}!<>";
    /** MAX_OVSDB_ATOM_RANGE_SIZE. */
    private static final long MAX_RANGE = 4096;
    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");
    private static final Pattern HEX = Pattern.compile(
            "[+-]?0[xX]([0-9a-fA-F]+(\\.[0-9a-fA-F]*)?|\\.[0-9a-fA-F]+)([pP][+-]?\\d+)?");
    private static final Pattern INF = Pattern.compile("[+-]?(inf|infinity)", Pattern.CASE_INSENSITIVE);
    private static final Pattern NAN = Pattern.compile("[+-]?nan(\\([0-9A-Za-z_]*\\))?", Pattern.CASE_INSENSITIVE);

    private DatumParser() {
    }

    static boolean isDelimiter(char c) {
        return DELIMITERS.indexOf(c) >= 0;
    }

    /** A position in a string being parsed. */
    static final class Cursor {
        final String s;
        int pos;

        Cursor(String s) {
            this.s = s;
        }

        boolean atEnd() {
            return pos >= s.length();
        }

        char peek() {
            return atEnd() ? '\0' : s.charAt(pos);
        }

        String rest() {
            return s.substring(pos);
        }

        void skipSpaces() {
            while (!atEnd() && isSpace(s.charAt(pos))) {
                pos++;
            }
        }
    }

    static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\u000b' || c == '\f' || c == '\r';
    }

    /**
     * ovsdb_token_parse: up to the next unquoted delimiter. A backslash escapes the next character
     * (and disappears); double quotes protect delimiters and stay in the token.
     */
    static String token(Cursor c) {
        int start = c.pos;
        StringBuilder out = new StringBuilder();
        boolean inQuotes = false;
        while (!c.atEnd()) {
            char ch = c.s.charAt(c.pos++);
            if (ch == '\\') {
                if (inQuotes) {
                    out.append('\\');
                }
                if (c.atEnd()) {
                    throw new CtlError(c.s.substring(start) + ": backslash at end of argument");
                }
                out.append(c.s.charAt(c.pos++));
            } else if (!inQuotes && isDelimiter(ch)) {
                c.pos--;
                break;
            } else {
                out.append(ch);
                if (ch == '"') {
                    inQuotes = !inQuotes;
                }
            }
        }
        if (inQuotes) {
            throw new CtlError(c.s.substring(start) + ": quoted string extends past end of argument");
        }
        return out.toString();
    }

    /** ovsdb_atom_from_string without ranges. */
    static Object atom(BaseType base, String s, Symbols symbols) {
        return atoms(base, s, symbols, false).get(0);
    }

    /**
     * ovsdb_atom_from_string: one atom, or with {@code allowRange} an integer range "A-B" expanded
     * to its atoms. Checks the base type's constraints.
     */
    static List<Object> atoms(BaseType base, String s, Symbols symbols, boolean allowRange) {
        Object atom;
        Long rangeEnd = null;
        switch (base.type()) {
            case INTEGER -> {
                long[] range = allowRange ? parseRange(s) : null;
                if (range != null) {
                    if (range[1] < range[0]) {
                        throw new CtlError("\"" + s + "\" is not a valid range. Range end cannot be before start.");
                    }
                    atom = range[0];
                    rangeEnd = range[1];
                } else {
                    Long v = parseLong(s);
                    if (v == null) {
                        throw new CtlError("\"" + s + "\" is not a valid integer or range");
                    }
                    atom = v;
                }
            }
            case REAL -> {
                Double d = parseDouble(s);
                if (d == null) {
                    throw new CtlError("\"" + s + "\" is not a valid real number");
                }
                // ovsdb maps negative zero to zero, for consistency with its JSON reader.
                atom = d == 0.0 ? 0.0 : d;
            }
            case BOOLEAN -> {
                atom = switch (s) {
                    case "true", "yes", "on", "1" -> Boolean.TRUE;
                    case "false", "no", "off", "0" -> Boolean.FALSE;
                    default -> throw new CtlError("\"" + s + "\" is not a valid boolean (use \"true\" or \"false\")");
                };
            }
            case STRING -> atom = parseString(s);
            case UUID -> atom = parseUuid(base, s, symbols);
            default -> throw new IllegalStateException();
        }
        checkConstraints(atom, base);
        if (rangeEnd == null) {
            return List.of(atom);
        }
        long start = (Long) atom;
        long end = rangeEnd;
        if (base.enumValues() != null) {
            for (long i = start + 1; i <= end; i++) {
                checkConstraints(i, base);
            }
        } else {
            checkConstraints(end, base);
        }
        if (end - start >= MAX_RANGE || end - start < 0) {
            throw new CtlError("constraint violation: Range \"" + start + "-" + end
                    + "\" is too big. Maximum allowed size is " + MAX_RANGE + ".");
        }
        List<Object> out = new ArrayList<>();
        for (long i = start; i <= end; i++) {
            out.add(i);
        }
        return out;
    }

    private static String parseString(String s) {
        if (s.isEmpty()) {
            throw new CtlError("An empty string is not valid as input; use \"\" to represent the empty string");
        }
        if (s.charAt(0) != '"') {
            return s;
        }
        if (s.length() < 2 || s.charAt(s.length() - 1) != '"') {
            throw new CtlError(s + ": missing quote at end of quoted string");
        }
        try {
            return unescape(s.substring(1, s.length() - 1));
        } catch (IllegalArgumentException e) {
            throw new CtlError(s + ": " + e.getMessage());
        }
    }

    private static UUID parseUuid(BaseType base, String s, Symbols symbols) {
        if (s.startsWith("@")) {
            Symbols.Symbol symbol = symbols.insert(s);
            if (base.refTable() != null) {
                if (base.refStrong()) {
                    symbol.strongRef = true;
                } else {
                    symbol.weakRef = true;
                }
            }
            return symbol.uuid;
        }
        UUID uuid = Uuids.parse(s);
        if (uuid == null) {
            throw new CtlError("\"" + s + "\" is not a valid UUID");
        }
        return uuid;
    }

    /** json_string_unescape. */
    static String unescape(String in) {
        StringBuilder out = new StringBuilder(in.length());
        int i = 0;
        while (i < in.length()) {
            char c = in.charAt(i++);
            if (c == '"') {
                throw new IllegalArgumentException("quoted string may not include unescaped \"");
            }
            if (c != '\\') {
                out.append(c);
                continue;
            }
            if (i >= in.length()) {
                throw new IllegalArgumentException("quoted string may not end with backslash");
            }
            char e = in.charAt(i++);
            switch (e) {
                case '"', '\\', '/' -> out.append(e);
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' -> {
                    int c0 = hex4(in, i);
                    i += 4;
                    if (!Character.isHighSurrogate((char) c0)) {
                        out.appendCodePoint(c0);
                        break;
                    }
                    if (i + 2 > in.length() || in.charAt(i) != '\\' || in.charAt(i + 1) != 'u') {
                        throw new IllegalArgumentException("malformed escaped surrogate pair");
                    }
                    i += 2;
                    int c1 = hex4(in, i);
                    i += 4;
                    if (!Character.isLowSurrogate((char) c1)) {
                        throw new IllegalArgumentException("second half of escaped surrogate pair is not trailing surrogate");
                    }
                    out.append((char) c0).append((char) c1);
                }
                default -> throw new IllegalArgumentException("bad escape \\" + e);
            }
        }
        return out.toString();
    }

    private static int hex4(String in, int i) {
        if (i + 4 > in.length()) {
            throw new IllegalArgumentException("quoted string ends within \\u escape");
        }
        int v = 0;
        for (int k = i; k < i + 4; k++) {
            int d = Character.digit(in.charAt(k), 16);
            if (d < 0) {
                throw new IllegalArgumentException("malformed \\u escape");
            }
            v = v * 16 + d;
        }
        if (v == 0) {
            throw new IllegalArgumentException("null bytes not supported in quoted strings");
        }
        return v;
    }

    /** strtoll(s, &tail, 10) as str_to_llong_with_tail uses it: [value, tail index], or null. */
    private static long[] parseLongPrefix(String s, int from) {
        int i = from;
        while (i < s.length() && isSpace(s.charAt(i))) {
            i++;
        }
        int signAt = i;
        if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            i++;
        }
        int digits = i;
        while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            i++;
        }
        if (i == digits) {
            return null;
        }
        try {
            String text = s.substring(signAt, i);
            return new long[] {Long.parseLong(text.startsWith("+") ? text.substring(1) : text), i};
        } catch (NumberFormatException e) {
            return null; // ERANGE
        }
    }

    /** str_to_llong: the whole string is one decimal integer. */
    static Long parseLong(String s) {
        long[] r = parseLongPrefix(s, 0);
        return r != null && r[1] == s.length() ? r[0] : null;
    }

    /** str_to_llong_range: "A-B", or null. */
    private static long[] parseRange(String s) {
        long[] begin = parseLongPrefix(s, 0);
        if (begin == null || begin[1] >= s.length() || s.charAt((int) begin[1]) != '-') {
            return null;
        }
        long[] end = parseLongPrefix(s, (int) begin[1] + 1);
        if (end == null || end[1] != s.length()) {
            return null;
        }
        return new long[] {begin[0], end[0]};
    }

    /** str_to_double: strtod over the whole string; overflow is an error, underflow is not. */
    static Double parseDouble(String s) {
        int i = 0;
        while (i < s.length() && isSpace(s.charAt(i))) {
            i++;
        }
        String t = s.substring(i);
        double d;
        if (DECIMAL.matcher(t).matches()) {
            d = Double.parseDouble(t);
        } else if (HEX.matcher(t).matches()) {
            String h = t.matches(".*[pP].*") ? t : t + "p0";
            if (h.matches("[+-]?0[xX]\\..*")) {
                h = h.replaceFirst("0([xX])\\.", "0$10.");
            }
            d = Double.parseDouble(h);
        } else if (INF.matcher(t).matches()) {
            return t.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        } else if (NAN.matcher(t).matches()) {
            return Double.NaN;
        } else {
            return null;
        }
        return Double.isInfinite(d) ? null : d;
    }

    /** ovsdb_atom_check_constraints, with its texts. */
    static void checkConstraints(Object atom, BaseType base) {
        Set<Object> enumValues = base.enumValues();
        if (enumValues != null && !containsAtom(enumValues, atom)) {
            StringBuilder valid = new StringBuilder("[");
            List<Object> sorted = new ArrayList<>(enumValues);
            sorted.replaceAll(v -> v instanceof Integer n ? (Object) Long.valueOf(n) : v);
            sorted.sort(AtomOrder.INSTANCE);
            for (int i = 0; i < sorted.size(); i++) {
                if (i > 0) {
                    valid.append(", ");
                }
                DatumFormat.atom(valid, sorted.get(i));
            }
            valid.append(']');
            throw new CtlError("constraint violation: " + DatumFormat.atom(atom)
                    + " is not one of the allowed values (" + valid + ")");
        }
        switch (atom) {
            case Long v -> checkInteger(v, base);
            case Double v -> checkReal(v, base);
            case String v -> checkString(v, base);
            default -> {
            }
        }
    }

    private static boolean containsAtom(Set<Object> values, Object atom) {
        for (Object v : values) {
            Object n = v instanceof Integer i ? Long.valueOf(i) : v;
            if (n.getClass() == atom.getClass() && AtomOrder.INSTANCE.compare(n, atom) == 0) {
                return true;
            }
        }
        return false;
    }

    private static void checkInteger(long v, BaseType base) {
        long min = base.minInteger();
        long max = base.maxInteger();
        if (v >= min && v <= max) {
            return;
        }
        if (min != Long.MIN_VALUE) {
            if (max != Long.MAX_VALUE) {
                throw new CtlError("constraint violation: " + v + " is not in the valid range " + min + " to " + max
                        + " (inclusive)");
            }
            throw new CtlError("constraint violation: " + v + " is less than minimum allowed value " + min);
        }
        throw new CtlError("constraint violation: " + v + " is greater than maximum allowed value " + max);
    }

    private static void checkReal(double v, BaseType base) {
        double min = base.minReal();
        double max = base.maxReal();
        if (v >= min && v <= max) {
            return;
        }
        boolean hasMin = min > -Double.MAX_VALUE;
        boolean hasMax = max < Double.MAX_VALUE;
        if (hasMin) {
            if (hasMax) {
                throw new CtlError("constraint violation: " + CFormat.g(v) + " is not in the valid range "
                        + CFormat.g(min) + " to " + CFormat.g(max) + " (inclusive)");
            }
            throw new CtlError("constraint violation: " + CFormat.g(v) + " is less than minimum allowed value "
                    + CFormat.g(min));
        }
        throw new CtlError("constraint violation: " + CFormat.g(v) + " is greater than maximum allowed value "
                + CFormat.g(max));
    }

    private static void checkString(String s, BaseType base) {
        long n = s.codePointCount(0, s.length());
        if (n < base.minLength()) {
            throw new CtlError("constraint violation: \"" + s + "\" length " + n
                    + " is less than minimum allowed length " + base.minLength());
        }
        if (n > base.maxLength()) {
            throw new CtlError("constraint violation: \"" + s + "\" length " + n
                    + " is greater than maximum allowed length " + base.maxLength());
        }
    }

    /**
     * ovsdb_datum_from_string: atoms (or key=value pairs) separated by spaces or commas, a set
     * optionally in [], a map optionally in {}; the brackets are required for an empty value.
     */
    static Datum datum(Type type, String s, Symbols symbols) {
        boolean isMap = type.isMap();
        Cursor c = new Cursor(s);
        c.skipSpaces();
        char endDelimiter;
        if (c.peek() == (isMap ? '{' : '[') && !c.atEnd()) {
            endDelimiter = isMap ? '}' : ']';
            c.pos++;
            c.skipSpaces();
        } else if (c.atEnd()) {
            throw new CtlError(isMap ? "use \"{}\" to specify the empty map" : "use \"[]\" to specify the empty set");
        } else {
            endDelimiter = '\0';
        }

        List<Object> keys = new ArrayList<>();
        List<Object> values = isMap ? new ArrayList<>() : null;
        while (!c.atEnd() && c.peek() != endDelimiter) {
            if (isDelimiter(c.peek())) {
                throw new CtlError(s + ": unexpected \"" + c.peek() + "\" parsing " + english(type));
            }
            int start = c.pos;
            List<Object> key = atoms(type.key(), token(c), symbols, !isMap);
            if (isMap) {
                c.skipSpaces();
                if (c.peek() == '=' && !c.atEnd()) {
                    c.pos++;
                    c.skipSpaces();
                    values.add(atom(type.value(), token(c), symbols));
                } else {
                    // The C code formats the NUL at the end of the string with %c, which ends the message.
                    throw new CtlError(s.substring(start) + ": syntax error at \""
                            + (c.atEnd() ? "" : c.peek() + "\" expecting \"=\""));
                }
            }
            keys.addAll(key);
            c.skipSpaces();
            if (c.peek() == ',' && !c.atEnd()) {
                c.pos++;
                c.skipSpaces();
            }
        }
        if (endDelimiter != '\0') {
            if (c.atEnd()) {
                throw new CtlError(s + ": missing \"" + endDelimiter + "\" at end of data");
            }
            c.pos++;
            c.skipSpaces();
            if (!c.atEnd()) {
                throw new CtlError(s + ": trailing garbage after \"" + endDelimiter + "\"");
            }
        }

        String what = isMap ? "pair(s)" : "value(s)";
        if (keys.size() < type.min()) {
            throw new CtlError(s + ": " + keys.size() + " " + what + " specified but the minimum number is " + type.min());
        }
        if (keys.size() > type.max()) {
            throw new CtlError(s + ": " + keys.size() + " " + what + " specified but the maximum number is " + type.max());
        }
        Datum d = Datum.sortUnique(keys, values);
        if (d == null) {
            throw new CtlError(s + (isMap ? ": map contains duplicate key" : ": set contains duplicate value"));
        }
        return d;
    }

    /** ovsdb_type_to_english. */
    static String english(Type type) {
        String key = type.key().type().jsonName();
        if (type.isScalar()) {
            return key;
        }
        StringBuilder s = new StringBuilder(type.isMap() ? "map" : "set");
        if (type.max() == Long.MAX_VALUE || type.max() >= 0xffffffffL) {
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

    /** A copy of {@code type} with a different element count (db-ctl-base widens types this way). */
    static Type withCount(Type type, long min, long max) {
        return new Type(type.key(), type.value(), min, max);
    }

    /** The type of a map's values alone, as check_condition compares one key's value. */
    static Type valueType(Type type, long max) {
        return new Type(type.value(), null, 0, max);
    }

    static boolean isAtomicType(Object atom, AtomicType type) {
        return switch (type) {
            case INTEGER -> atom instanceof Long;
            case REAL -> atom instanceof Double;
            case BOOLEAN -> atom instanceof Boolean;
            case STRING -> atom instanceof String;
            case UUID -> atom instanceof UUID;
        };
    }
}
