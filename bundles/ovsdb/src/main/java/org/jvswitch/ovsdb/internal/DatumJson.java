package org.jvswitch.ovsdb.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import org.jvswitch.api.ovsdb.DbSchema.AtomicType;
import org.jvswitch.api.ovsdb.DbSchema.Type;
import org.jvswitch.api.ovsdb.OvsdbException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/**
 * Column values in the JSON notation of RFC 7047 section 5.1, as the log file and the wire
 * protocol carry them: a one-element set is written as its bare atom, other sets as
 * {@code ["set",[...]]}, maps as {@code ["map",[[k,v],...]]}, uuids as {@code ["uuid","..."]}.
 */
public final class DatumJson {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final Pattern UUID_TEXT =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private DatumJson() {
    }

    /** A canonical value (or an atom, such as a row's UUID) as RFC 7047 JSON. */
    public static JsonNode toJson(Object value) {
        if (value instanceof Map<?, ?> m) {
            ArrayNode pairs = JSON.arrayNode(m.size());
            for (Map.Entry<?, ?> e : m.entrySet()) {
                pairs.add(JSON.arrayNode(2).add(atomToJson(e.getKey())).add(atomToJson(e.getValue())));
            }
            return JSON.arrayNode(2).add("map").add(pairs);
        }
        if (value instanceof Collection<?> c) {
            if (c.size() == 1) {
                return atomToJson(c.iterator().next());
            }
            ArrayNode atoms = JSON.arrayNode(c.size());
            for (Object atom : c) {
                atoms.add(atomToJson(atom));
            }
            return JSON.arrayNode(2).add("set").add(atoms);
        }
        return atomToJson(value);
    }

    static JsonNode atomToJson(Object atom) {
        return switch (atom) {
            case String s -> JSON.textNode(s);
            case Long n -> JSON.numberNode(n);
            case Double d -> JSON.numberNode(d);
            case Boolean b -> JSON.booleanNode(b);
            case UUID u -> JSON.arrayNode(2).add("uuid").add(u.toString());
            default -> throw new IllegalArgumentException("not an OVSDB atom: " + atom.getClass().getName());
        };
    }

    /**
     * Parses a value of {@code type} into the canonical Java representation, checking it.
     *
     * @throws OvsdbException "syntax error" or "constraint violation", as ovsdb-server reports them
     */
    static Object fromJson(Type type, JsonNode json) throws OvsdbException {
        if (type.isMap()) {
            if (!json.isArray() || json.size() != 2 || !"map".equals(json.get(0).asText(null))
                    || !json.get(1).isArray()) {
                throw new OvsdbException("syntax error", "expected [\"map\", <array>]");
            }
            Map<Object, Object> map = new LinkedHashMap<>();
            for (JsonNode pair : json.get(1)) {
                if (!pair.isArray() || pair.size() != 2) {
                    throw new OvsdbException("syntax error", "expected 2-element array");
                }
                Object key = atomFromJson(type.key().type(), pair.get(0));
                if (map.put(key, atomFromJson(type.value().type(), pair.get(1))) != null) {
                    throw new OvsdbException("ovsdb error", "map contains duplicate key");
                }
            }
            return Datum.normalize(type, map);
        }
        if (json.isArray() && json.size() == 2 && "set".equals(json.get(0).asText(null))) {
            if (!json.get(1).isArray()) {
                throw new OvsdbException("syntax error", "expected [\"set\", <array>]");
            }
            List<Object> atoms = new ArrayList<>(json.get(1).size());
            for (JsonNode a : json.get(1)) {
                Object atom = atomFromJson(type.key().type(), a);
                if (atoms.contains(atom)) {
                    throw new OvsdbException("ovsdb error", "set contains duplicate");
                }
                atoms.add(atom);
            }
            return Datum.normalize(type, atoms);
        }
        return Datum.normalize(type, atomFromJson(type.key().type(), json));
    }

    /** One atom, unchecked against constraints (the caller normalizes). */
    static Object atomFromJson(AtomicType type, JsonNode json) throws OvsdbException {
        switch (type) {
            case INTEGER -> {
                if (json.isIntegralNumber() && json.canConvertToLong()) {
                    return json.longValue();
                }
            }
            case REAL -> {
                if (json.isNumber()) {
                    return json.doubleValue();
                }
            }
            case BOOLEAN -> {
                if (json.isBoolean()) {
                    return json.booleanValue();
                }
            }
            case STRING -> {
                if (json.isTextual()) {
                    return json.textValue();
                }
            }
            case UUID -> {
                if (json.isArray() && json.size() == 2 && "uuid".equals(json.get(0).asText(null))
                        && json.get(1).isTextual() && UUID_TEXT.matcher(json.get(1).textValue()).matches()) {
                    return UUID.fromString(json.get(1).textValue());
                }
            }
        }
        throw new OvsdbException("syntax error", "expected " + type.jsonName());
    }
}
