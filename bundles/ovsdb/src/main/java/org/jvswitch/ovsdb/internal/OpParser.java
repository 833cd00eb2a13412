package org.jvswitch.ovsdb.internal;

import java.util.HashSet;
import java.util.Iterator;
import java.util.Set;

import org.jvswitch.api.ovsdb.OvsdbException;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Reads the members of a JSON object the way Open vSwitch's lib/ovsdb-parser.c does, so that
 * errors carry its texts: the first problem wins, later lookups return null, and {@link #finish}
 * complains about members nobody asked for.
 */
public final class OpParser {
    public static final int NULL = 1;
    public static final int FALSE = 1 << 1;
    public static final int TRUE = 1 << 2;
    public static final int OBJECT = 1 << 3;
    public static final int ARRAY = 1 << 4;
    public static final int STRING = 1 << 5;
    public static final int INTEGER = 1 << 6;
    public static final int REAL = 1 << 7;
    public static final int BOOLEAN = FALSE | TRUE;
    public static final int NUMBER = INTEGER | REAL;
    /** A string that is an RFC 7047 {@code <id>}. */
    public static final int ID = 1 << 8;
    public static final int OPTIONAL = 1 << 9;

    private final JsonNode json;
    private final String name;
    private final Set<String> used = new HashSet<>();
    private OvsdbException error;

    /** {@code name} completes "Parsing %s failed", e.g. "ovsdb operation 1 of 2". */
    public OpParser(JsonNode json, String name) {
        this.json = json != null && json.isObject() ? json : null;
        this.name = name;
        if (this.json == null) {
            raise("Object expected.");
        }
    }

    /** The JSON being parsed, or null if it is not an object. */
    public JsonNode json() {
        return json;
    }

    /** A member of one of {@code types}, or null (a missing optional member, or an error raised). */
    public JsonNode member(String member, int types) {
        if (json == null) {
            return null;
        }
        JsonNode value = json.get(member);
        if (value == null) {
            if ((types & OPTIONAL) == 0) {
                raise("Required '" + member + "' member is missing.");
            }
            return null;
        }
        if ((types & typeBit(value)) != 0
                || ((types & ID) != 0 && value.isTextual() && isId(value.textValue()))) {
            used.add(member);
            return value;
        }
        raise("Type mismatch for member '" + member + "'.");
        return null;
    }

    private static int typeBit(JsonNode v) {
        if (v.isNull()) {
            return NULL;
        }
        if (v.isBoolean()) {
            return v.booleanValue() ? TRUE : FALSE;
        }
        if (v.isObject()) {
            return OBJECT;
        }
        if (v.isArray()) {
            return ARRAY;
        }
        if (v.isTextual()) {
            return STRING;
        }
        return OvsJson.isInteger(v) ? INTEGER : REAL;
    }

    /** ovsdb_parser_is_id: a letter or '_', then letters, digits and '_'. */
    public static boolean isId(String s) {
        if (s.isEmpty() || !(isAlpha(s.charAt(0)) || s.charAt(0) == '_')) {
            return false;
        }
        for (int i = 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!isAlpha(c) && !(c >= '0' && c <= '9') && c != '_') {
                return false;
            }
        }
        return true;
    }

    private static boolean isAlpha(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    /** Records an error unless one is already recorded. */
    public void raise(String message) {
        if (error == null) {
            error = new OvsdbSyntaxException(json, null, "Parsing " + name + " failed: " + message);
        }
    }

    /** Records {@code e} unless an error is already recorded. */
    void put(OvsdbException e) {
        if (error == null) {
            error = e;
        }
    }

    public OvsdbException error() {
        return error;
    }

    /** The recorded error, or one for members that were present but not asked for. */
    public OvsdbException finish() {
        if (error == null && json != null) {
            int unused = json.size() - used.size();
            if (unused > 0) {
                for (Iterator<String> it = json.fieldNames(); it.hasNext(); ) {
                    String m = it.next();
                    if (!used.contains(m)) {
                        raise(unused > 1
                                ? "Member '" + m + "' and " + (unused - 1) + " other member" + (unused > 2 ? "s" : "")
                                        + " are present but not allowed here."
                                : "Member '" + m + "' is present but not allowed here.");
                        break;
                    }
                }
            }
        }
        return error;
    }
}
