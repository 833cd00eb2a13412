package org.jvswitch.ovsdb.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.jvswitch.api.ovsdb.DbSchema;
import org.jvswitch.api.ovsdb.DbSchema.AtomicType;
import org.jvswitch.api.ovsdb.DbSchema.BaseType;
import org.jvswitch.api.ovsdb.DbSchema.Column;
import org.jvswitch.api.ovsdb.DbSchema.Table;
import org.jvswitch.api.ovsdb.DbSchema.Type;
import org.jvswitch.api.ovsdb.OvsdbException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reads a database schema (RFC 7047 section 3.2; Open vSwitch's ovsdb_schema_from_json) into a
 * {@link DbSchema}. Defaults follow the RFC and ovsdb-server: min and max 1, mutable, not
 * ephemeral, strong references, no row limit; and, as ovsdb-server does for old schemas, every
 * table is a root when no table says {@code "isRoot": true}.
 */
final class SchemaReader {
    /** The Open vSwitch 8.3.1 schema that ships with the bundle. */
    static final String VSWITCH_SCHEMA = "/org/jvswitch/ovsdb/vswitch.ovsschema";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private SchemaReader() {
    }

    static DbSchema vswitch() {
        try (InputStream in = SchemaReader.class.getResourceAsStream(VSWITCH_SCHEMA)) {
            if (in == null) {
                throw new IllegalStateException("resource " + VSWITCH_SCHEMA + " missing from the bundle");
            }
            return read(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses schema text; IllegalArgumentException describes what is wrong with it. */
    static DbSchema read(String json) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("schema is not valid JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("schema must be a JSON object");
        }
        String name = requiredText(root, "name", "schema");
        String version = root.path("version").asText("");
        JsonNode tables = root.get("tables");
        if (tables == null || !tables.isObject()) {
            throw new IllegalArgumentException("schema " + name + " lacks \"tables\"");
        }
        boolean anyRoot = false;
        for (JsonNode t : tables) {
            anyRoot |= t.path("isRoot").asBoolean(false);
        }
        Map<String, Table> result = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = tables.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            result.put(e.getKey(), table(e.getKey(), e.getValue(), !anyRoot));
        }
        for (Table t : result.values()) {
            for (Column c : t.columns().values()) {
                checkRefTable(t, c, c.type().key(), result);
                if (c.type().value() != null) {
                    checkRefTable(t, c, c.type().value(), result);
                }
            }
        }
        return new DbSchema(name, version, Collections.unmodifiableMap(result), json);
    }

    private static void checkRefTable(Table t, Column c, BaseType base, Map<String, Table> tables) {
        if (base.refTable() != null && !tables.containsKey(base.refTable())) {
            throw new IllegalArgumentException("column " + c.name() + " in table " + t.name()
                    + " refers to undefined table " + base.refTable());
        }
    }

    private static Table table(String name, JsonNode json, boolean allRoots) {
        JsonNode columns = json.get("columns");
        if (columns == null || !columns.isObject() || columns.isEmpty()) {
            throw new IllegalArgumentException("table " + name + " has no columns");
        }
        Map<String, Column> cols = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = columns.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().startsWith("_")) {
                throw new IllegalArgumentException("table " + name + ": column name " + e.getKey()
                        + " begins with reserved character \"_\"");
            }
            cols.put(e.getKey(), column(name, e.getKey(), e.getValue()));
        }
        long maxRows = Long.MAX_VALUE;
        if (json.has("maxRows")) {
            maxRows = json.get("maxRows").asLong();
            if (maxRows < 1) {
                throw new IllegalArgumentException("table " + name + ": maxRows must be at least 1");
            }
        }
        List<List<String>> indexes = new ArrayList<>();
        for (JsonNode index : json.path("indexes")) {
            List<String> names = new ArrayList<>();
            for (JsonNode c : index) {
                if (!cols.containsKey(c.asText())) {
                    throw new IllegalArgumentException("table " + name + ": index names unknown column " + c);
                }
                names.add(c.asText());
            }
            if (names.isEmpty()) {
                throw new IllegalArgumentException("table " + name + ": index must have at least one column");
            }
            indexes.add(List.copyOf(names));
        }
        boolean isRoot = allRoots || json.path("isRoot").asBoolean(false);
        return new Table(name, Collections.unmodifiableMap(cols), isRoot, maxRows, List.copyOf(indexes));
    }

    private static Column column(String table, String name, JsonNode json) {
        String where = "column " + name + " in table " + table;
        JsonNode type = json.get("type");
        if (type == null) {
            throw new IllegalArgumentException(where + " lacks a type");
        }
        return new Column(name, type(where, type), json.path("mutable").asBoolean(true),
                json.path("ephemeral").asBoolean(false));
    }

    private static Type type(String where, JsonNode json) {
        if (json.isTextual()) {
            return new Type(baseType(where, json), null, 1, 1);
        }
        if (!json.isObject() || !json.has("key")) {
            throw new IllegalArgumentException(where + ": type must be a string or an object with \"key\"");
        }
        BaseType key = baseType(where, json.get("key"));
        BaseType value = json.has("value") ? baseType(where, json.get("value")) : null;
        long min = json.path("min").asLong(1);
        long max;
        JsonNode maxNode = json.get("max");
        if (maxNode == null) {
            max = 1;
        } else if (maxNode.isTextual() && maxNode.asText().equals("unlimited")) {
            max = Long.MAX_VALUE;
        } else if (maxNode.isIntegralNumber()) {
            max = maxNode.asLong();
        } else {
            throw new IllegalArgumentException(where + ": max must be an integer or \"unlimited\"");
        }
        if (min < 0 || min > 1 || max < 1 || min > max) {
            throw new IllegalArgumentException(where + ": invalid min " + min + " / max " + maxNode);
        }
        return new Type(key, value, min, max);
    }

    private static BaseType baseType(String where, JsonNode json) {
        if (json.isTextual()) {
            return new BaseType(atomicType(where, json.asText()), null, Long.MIN_VALUE, Long.MAX_VALUE,
                    -Double.MAX_VALUE, Double.MAX_VALUE, 0, Long.MAX_VALUE, null, true);
        }
        if (!json.isObject()) {
            throw new IllegalArgumentException(where + ": base type must be a string or an object");
        }
        AtomicType type = atomicType(where, requiredText(json, "type", where));
        BaseType unconstrained = new BaseType(type, null, Long.MIN_VALUE, Long.MAX_VALUE,
                -Double.MAX_VALUE, Double.MAX_VALUE, 0, Long.MAX_VALUE, null, true);
        Set<Object> enumValues = json.has("enum") ? enumValues(where, unconstrained, json.get("enum")) : null;
        String refTable = json.has("refTable") ? json.get("refTable").asText() : null;
        if (refTable != null && type != AtomicType.UUID) {
            throw new IllegalArgumentException(where + ": refTable is only allowed with type uuid");
        }
        String refType = json.path("refType").asText("strong");
        if (!refType.equals("strong") && !refType.equals("weak")) {
            throw new IllegalArgumentException(where + ": refType must be \"strong\" or \"weak\"");
        }
        return new BaseType(type, enumValues,
                json.path("minInteger").asLong(Long.MIN_VALUE), json.path("maxInteger").asLong(Long.MAX_VALUE),
                json.path("minReal").asDouble(-Double.MAX_VALUE), json.path("maxReal").asDouble(Double.MAX_VALUE),
                json.path("minLength").asLong(0), json.path("maxLength").asLong(Long.MAX_VALUE),
                refTable, refType.equals("strong"));
    }

    /** An enum is written as a set (or a single atom) of the base type. */
    private static Set<Object> enumValues(String where, BaseType base, JsonNode json) {
        try {
            Object v = DatumJson.fromJson(new Type(base, null, 1, Long.MAX_VALUE), json);
            return Collections.unmodifiableSortedSet(new TreeSet<>((Set<?>) v));
        } catch (OvsdbException e) {
            throw new IllegalArgumentException(where + ": bad enum: " + e.details());
        }
    }

    private static AtomicType atomicType(String where, String name) {
        for (AtomicType t : AtomicType.values()) {
            if (t.jsonName().equals(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException(where + ": unknown atomic type " + name);
    }

    private static String requiredText(JsonNode json, String field, String where) {
        JsonNode n = json.get(field);
        if (n == null || !n.isTextual()) {
            throw new IllegalArgumentException(where + " lacks string \"" + field + "\"");
        }
        return n.asText();
    }
}
