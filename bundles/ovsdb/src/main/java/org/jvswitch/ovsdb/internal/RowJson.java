package org.jvswitch.ovsdb.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jvswitch.api.ovsdb.DbRow;
import org.jvswitch.api.ovsdb.DbSchema;
import org.jvswitch.api.ovsdb.DbSchema.Column;
import org.jvswitch.api.ovsdb.OvsdbException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Rows and column lists in request and reply JSON (Open vSwitch's ovsdb_row_from_json,
 * ovsdb_row_to_json and ovsdb_column_set_from_json).
 */
final class RowJson {
    private RowJson() {
    }

    /**
     * A {@code <row>}: the given columns' values by column, in the order given. {@code _uuid} and
     * {@code _version} may appear, as in ovsdb-server; the callers decide what they mean.
     */
    static Map<Column, Object> parse(DbSchema.Table table, JsonNode json, Symbols symbols) throws OvsdbException {
        if (!json.isObject()) {
            throw new OvsdbSyntaxException(json, null, "row must be JSON object");
        }
        Map<Column, Object> values = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = json.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            Column column = Columns.find(table, e.getKey());
            if (column == null) {
                throw new OvsdbSyntaxException(json, "unknown column", "No column " + e.getKey() + " in table "
                        + table.name() + ".");
            }
            values.put(column, ValueParser.parse(column.type(), e.getValue(), symbols));
        }
        return values;
    }

    /**
     * A list of distinct column names, or every column ({@code _uuid}, {@code _version} included)
     * if {@code json} is null.
     */
    static List<Column> columns(DbSchema.Table table, JsonNode json) throws OvsdbException {
        if (json == null) {
            return Columns.all(table);
        }
        List<Column> out = new ArrayList<>();
        boolean ok = json.isArray();
        for (int i = 0; ok && i < json.size(); i++) {
            JsonNode name = json.get(i);
            if (!name.isTextual()) {
                ok = false;
                break;
            }
            Column column = Columns.find(table, name.textValue());
            if (column == null) {
                throw new OvsdbSyntaxException(json, null, name.textValue() + " is not a valid column name");
            }
            if (out.contains(column)) {
                ok = false;
                break;
            }
            out.add(column);
        }
        if (!ok) {
            throw new OvsdbSyntaxException(json, null, "array of distinct column names expected");
        }
        return out;
    }

    /** A row's columns as a JSON object. */
    static ObjectNode toJson(DbRow row, Collection<Column> columns) {
        ObjectNode json = OvsJson.NODES.objectNode();
        for (Column c : columns) {
            json.set(c.name(), DatumJson.toJson(row.get(c.name())));
        }
        return json;
    }

    /** The values of {@code columns} in a row, for hashing and comparing rows on those columns. */
    static List<Object> key(DbRow row, List<Column> columns) {
        List<Object> key = new ArrayList<>(columns.size());
        for (Column c : columns) {
            key.add(row.get(c.name()));
        }
        return key;
    }
}
