package org.jvswitch.ovsdb.internal;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ValueNode;

/**
 * JSON the way Open vSwitch's lib/json.c sees it, where that shows in protocol text.
 *
 * <p>Numbers: Open vSwitch lexes any number whose value is an integer that fits in 64 bits as an
 * integer, also when written {@code 1.0} or {@code 1e3}, and everything else as a real. The
 * server's Jackson parser hands decimals over exactly ({@code USE_BIG_DECIMAL_FOR_FLOATS}) to
 * {@link #NODES}, which makes them integer or real nodes by that rule, so the rest of the server
 * sees numbers as ovsdb-server does.
 *
 * <p>Text: {@link #toString} serializes compactly like {@code json_to_string}, with object
 * members sorted for {@code JSSF_SORT}, the form ovsdb-server puts in an error's "syntax" member.
 */
public final class OvsJson {
    public static final JsonNodeFactory NODES = new Nodes();

    /** Decimals become integers where Open vSwitch's lexer makes them integers, reals otherwise. */
    private static final class Nodes extends JsonNodeFactory {
        private static final long serialVersionUID = 1L;

        Nodes() {
            super(true);
        }

        @Override
        public ValueNode numberNode(BigDecimal v) {
            if (v == null) {
                return nullNode();
            }
            Long exact = exactLong(v);
            if (exact != null) {
                return exact == (int) (long) exact ? numberNode((int) (long) exact) : numberNode((long) exact);
            }
            return numberNode(v.doubleValue());
        }

        @Override
        public ValueNode numberNode(BigInteger v) {
            if (v == null) {
                return nullNode();
            }
            // Beyond 64 bits Open vSwitch's lexer falls back to a real.
            return v.bitLength() < 64 ? numberNode(v.longValue()) : numberNode(v.doubleValue());
        }
    }

    private OvsJson() {
    }

    /** Whether Open vSwitch would read this number as an integer. */
    public static boolean isInteger(JsonNode n) {
        if (n.isIntegralNumber()) {
            return n.canConvertToLong();
        }
        if (n.isBigDecimal()) {
            return exactLong(n.decimalValue()) != null;
        }
        return n.isFloatingPointNumber() && n.doubleValue() == Math.rint(n.doubleValue())
                && Math.abs(n.doubleValue()) < 0x1p63;
    }

    /** The value of a number for which {@link #isInteger} holds. */
    public static long integer(JsonNode n) {
        if (n.isIntegralNumber()) {
            return n.longValue();
        }
        if (n.isBigDecimal()) {
            return exactLong(n.decimalValue());
        }
        return (long) n.doubleValue();
    }

    /** Whether Open vSwitch would read this number as a real. */
    public static boolean isReal(JsonNode n) {
        return n.isNumber() && !isInteger(n);
    }

    private static Long exactLong(BigDecimal d) {
        if (d.signum() == 0) {
            return 0L;
        }
        try {
            return d.stripTrailingZeros().longValueExact();
        } catch (ArithmeticException e) {
            return null;
        }
    }

    /** The JSON type name Open vSwitch uses in messages (json_type_to_string). */
    public static String typeName(JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            return "null";
        }
        if (n.isBoolean()) {
            return n.booleanValue() ? "true" : "false";
        }
        if (n.isObject()) {
            return "object";
        }
        if (n.isArray()) {
            return "array";
        }
        if (n.isNumber()) {
            return isInteger(n) ? "integer" : "real";
        }
        return "string";
    }

    /** Compact JSON text; object members sorted by name if {@code sort}. */
    public static String toString(JsonNode n, boolean sort) {
        StringBuilder sb = new StringBuilder();
        write(n, sort, sb);
        return sb.toString();
    }

    private static void write(JsonNode n, boolean sort, StringBuilder sb) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            sb.append("null");
        } else if (n.isBoolean()) {
            sb.append(n.booleanValue());
        } else if (n.isNumber()) {
            if (isInteger(n)) {
                sb.append(integer(n));
            } else {
                sb.append(Datum.realToString(n.doubleValue()));
            }
        } else if (n.isTextual()) {
            string(n.textValue(), sb);
        } else if (n.isArray()) {
            sb.append('[');
            for (int i = 0; i < n.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                write(n.get(i), sort, sb);
            }
            sb.append(']');
        } else {
            List<Map.Entry<String, JsonNode>> members = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                members.add(it.next());
            }
            if (sort) {
                // shash_sort compares with strcmp: UTF-8 byte order, which for strings equals code point order.
                Collections.sort(members, (a, b) -> compareCodePoints(a.getKey(), b.getKey()));
            }
            sb.append('{');
            for (int i = 0; i < members.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                string(members.get(i).getKey(), sb);
                sb.append(':');
                write(members.get(i).getValue(), sort, sb);
            }
            sb.append('}');
        }
    }

    static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int x = a.codePointAt(i);
            int y = b.codePointAt(j);
            if (x != y) {
                return Integer.compare(x, y);
            }
            i += Character.charCount(x);
            j += Character.charCount(y);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }

    /** json_serialize_string: short escapes where JSON has them, \\u00XX for other controls. */
    private static void string(String s, StringBuilder sb) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < ' ') {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
