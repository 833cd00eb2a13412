package org.jvswitch.ovsdb.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Pattern;

import org.jvswitch.api.ovsdb.DbSchema.BaseType;
import org.jvswitch.api.ovsdb.DbSchema.Type;
import org.jvswitch.api.ovsdb.OvsdbException;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Column values from the JSON of a request (Open vSwitch's ovsdb_datum_from_json), with
 * ovsdb-server's checks in its order and with its texts: the element count is checked on the JSON
 * array as given, each atom's type and constraints as it is read, duplicates last. Named UUIDs are
 * resolved through the transaction's {@link Symbols} (none in monitor conditions).
 *
 * <p>The result is in the canonical form of {@link org.jvswitch.api.ovsdb.Ovsdb}: the atom for a
 * type of exactly one element, else an immutable sorted set or map.
 */
public final class ValueParser {
    /** How ovsdb-server prints "unlimited" (UINT_MAX). */
    private static final long UNLIMITED = 4294967295L;
    private static final Pattern UUID_TEXT =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private ValueParser() {
    }

    /** A value of {@code type} without named UUIDs (monitor conditions). */
    public static Object parse(Type type, JsonNode json) throws OvsdbException {
        return parse(type, json, null);
    }

    static Object parse(Type type, JsonNode json, Symbols symbols) throws OvsdbException {
        boolean isMap = type.isMap();
        if (!isMap && !(json.isArray() && json.size() > 0 && "set".equals(json.get(0).textValue()))) {
            Object atom = atom(type.key(), json, symbols);
            if (type.min() == 1 && type.max() == 1) {
                return atom;
            }
            return Collections.unmodifiableSortedSet(new TreeSet<>(List.of(atom)));
        }
        String kind = isMap ? "map" : "set";
        JsonNode inner = unwrap(json, kind, "array");
        int n = inner.size();
        if (n < type.min() || n > type.max()) {
            if (type.min() == 1 && type.max() == 1) {
                throw new OvsdbSyntaxException(json, null,
                        kind + " must have exactly one member but " + n + " are present");
            }
            long max = type.max() == Long.MAX_VALUE ? UNLIMITED : type.max();
            throw new OvsdbSyntaxException(json, null,
                    kind + " must have " + type.min() + " to " + max + " members but " + n + " are present");
        }
        if (isMap) {
            TreeMap<Object, Object> map = new TreeMap<>();
            List<Object> keys = new ArrayList<>(n);
            for (JsonNode element : inner) {
                if (!element.isArray() || element.size() != 2) {
                    throw new OvsdbSyntaxException(element, null, "expected 2-element array");
                }
                Object key = atom(type.key(), element.get(0), symbols);
                Object value = atom(type.value(), element.get(1), symbols);
                keys.add(key);
                map.put(key, value);
            }
            if (map.size() != keys.size()) {
                throw new OvsdbException("ovsdb error", "map contains duplicate key");
            }
            return map.isEmpty() ? Collections.emptySortedMap() : Collections.unmodifiableSortedMap(map);
        }
        TreeSet<Object> set = new TreeSet<>();
        for (JsonNode element : inner) {
            set.add(atom(type.key(), element, symbols));
        }
        if (set.size() != n) {
            throw new OvsdbException("ovsdb error", "set contains duplicate");
        }
        if (type.min() == 1 && type.max() == 1) {
            return set.first();
        }
        return set.isEmpty() ? Collections.emptySortedSet() : Collections.unmodifiableSortedSet(set);
    }

    /** One atom: its JSON type, then its constraints (ovsdb_atom_from_json). */
    static Object atom(BaseType base, JsonNode json, Symbols symbols) throws OvsdbException {
        Object atom = switch (base.type()) {
            case INTEGER -> json.isNumber() && OvsJson.isInteger(json) ? (Object) OvsJson.integer(json) : null;
            case REAL -> json.isNumber() ? (Object) json.doubleValue() : null;
            case BOOLEAN -> json.isBoolean() ? (Object) json.booleanValue() : null;
            case STRING -> json.isTextual() ? json.textValue() : null;
            case UUID -> uuid(json, symbols);
        };
        if (atom == null || (atom instanceof Double d && !Double.isFinite(d))) {
            throw new OvsdbSyntaxException(json, null, "expected " + base.type().jsonName());
        }
        Datum.checkConstraints(base, atom);
        return atom;
    }

    private static UUID uuid(JsonNode json, Symbols symbols) throws OvsdbException {
        OvsdbException notUuid;
        try {
            String text = unwrap(json, "uuid", "string").textValue();
            if (!UUID_TEXT.matcher(text).matches()) {
                throw new OvsdbSyntaxException(json, null, "\"" + text + "\" is not a valid UUID");
            }
            return UUID.fromString(text);
        } catch (OvsdbSyntaxException e) {
            if (!e.details().startsWith("expected")) {
                throw e;
            }
            notUuid = e;
        }
        if (symbols != null && json.isArray() && json.size() == 2 && "named-uuid".equals(json.get(0).textValue())
                && json.get(1).isTextual()) {
            String name = json.get(1).textValue();
            if (!OpParser.isId(name)) {
                throw new OvsdbSyntaxException(json, null, "named-uuid string is not a valid <id>");
            }
            return symbols.insert(name).uuid;
        }
        throw notUuid;
    }

    /** {@code [name, <value of jsonType>]}'s second element (unwrap_json). */
    private static JsonNode unwrap(JsonNode json, String name, String jsonType) throws OvsdbException {
        if (!json.isArray() || json.size() != 2 || !json.get(0).isTextual() || !name.equals(json.get(0).textValue())
                || !OvsJson.typeName(json.get(1)).equals(jsonType)) {
            throw new OvsdbSyntaxException(json, null, "expected [\"" + name + "\", <" + jsonType + ">]");
        }
        return json.get(1);
    }
}
