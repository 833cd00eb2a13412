package org.jvswitch.ovsdb.server;

import java.util.ArrayList;
import java.util.List;

import org.jvswitch.api.ovsdb.DbSchema;
import org.jvswitch.api.ovsdb.DbSchema.Column;
import org.jvswitch.api.ovsdb.OvsdbException;
import org.jvswitch.ovsdb.internal.Columns;
import org.jvswitch.ovsdb.internal.Condition;
import org.jvswitch.ovsdb.internal.OpParser;
import org.jvswitch.ovsdb.internal.OvsJson;
import org.jvswitch.ovsdb.internal.OvsdbSyntaxException;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What one monitor watches in one table (Open vSwitch's ovsdb_monitor_table): columns, each with
 * the kinds of change it is reported for, and, for monitor_cond, the condition rows must meet.
 */
final class MonitorTable {
    static final int INITIAL = 1;
    static final int INSERT = 2;
    static final int DELETE = 4;
    static final int MODIFY = 8;

    /** A monitored column and the changes (bits above) it is reported for. */
    record MonitoredColumn(Column column, int select) {
    }

    final DbSchema.Table table;
    final List<MonitoredColumn> columns = new ArrayList<>();
    /** The union of the columns' selections. */
    int select;
    /** Rows reported; never null for monitor_cond (empty: every row), null for plain monitor. */
    volatile Condition condition;

    MonitorTable(DbSchema.Table table) {
        this.table = table;
    }

    /**
     * Adds one {@code <monitor-request>} (ovsdb_jsonrpc_parse_monitor_request).
     *
     * @param conditional whether "where" is allowed (monitor_cond and monitor_cond_since)
     */
    void add(JsonNode request, boolean conditional) throws OvsdbException {
        String where = "table " + table.name();
        OpParser m = new OpParser(request, where);
        JsonNode whereJson = conditional ? m.member("where", OpParser.ARRAY | OpParser.OPTIONAL) : null;
        JsonNode columnsJson = m.member("columns", OpParser.ARRAY | OpParser.OPTIONAL);
        JsonNode selectJson = m.member("select", OpParser.OBJECT | OpParser.OPTIONAL);
        throwIf(m.finish());
        int sel = INITIAL | INSERT | DELETE | MODIFY;
        if (selectJson != null) {
            OpParser s = new OpParser(selectJson, where + " select");
            sel = flag(s, "initial", INITIAL) | flag(s, "insert", INSERT) | flag(s, "delete", DELETE)
                    | flag(s, "modify", MODIFY);
            throwIf(s.finish());
        }
        select |= sel;
        if (columnsJson != null) {
            for (JsonNode name : columnsJson) {
                if (!name.isTextual()) {
                    throw new OvsdbSyntaxException(columnsJson, null, "array of column names expected");
                }
                Column c = Columns.find(table, name.textValue());
                if (c == null) {
                    throw new OvsdbSyntaxException(columnsJson, null, name.textValue() + " is not a valid column name");
                }
                addColumn(c, sel, columnsJson);
            }
        } else {
            for (Column c : Columns.all(table)) {
                if (c != Columns.UUID) {
                    addColumn(c, sel, null);
                }
            }
        }
        if (conditional && condition == null) {
            condition = Condition.parse(table, whereJson == null ? OvsJson.NODES.arrayNode() : whereJson);
        }
    }

    private static int flag(OpParser s, String name, int bit) {
        JsonNode v = s.member(name, OpParser.BOOLEAN | OpParser.OPTIONAL);
        return v == null || v.booleanValue() ? bit : 0;
    }

    private static void throwIf(OvsdbException e) throws OvsdbException {
        if (e != null) {
            throw e;
        }
    }

    private void addColumn(Column c, int sel, JsonNode columnsJson) throws OvsdbException {
        for (MonitoredColumn mc : columns) {
            if (mc.column().equals(c)) {
                throw new OvsdbSyntaxException(columnsJson, null, "column " + c.name() + " mentioned more than once");
            }
        }
        columns.add(new MonitoredColumn(c, sel));
    }
}
