package org.jvswitch.vsctl.internal;

import org.jvswitch.api.ovsdb.DbSchema.Column;
import org.jvswitch.api.ovsdb.DbSchema.Table;

/**
 * A COLUMN[:KEY][OP VALUE] argument (parse_column_key_value in lib/db-ctl-base.c): the column
 * (abbreviations allowed), an optional map key, and with operators the longest one that is
 * followed by a value.
 */
record ColumnArg(Column column, String key, int operator, String value) {
    /** The comparison operators of "find" and "wait-until", in db-ctl-base's order. */
    static final String[] RELOPS = {"=", "!=", "<", ">", "<=", ">=", "{=}", "{!=}", "{<}", "{>}", "{<=}", "{>=}",
        "{in}", "{not-in}"};
    static final String[] EQUALS = {"="};

    /** With {@code operators} null, no value may follow ("trailing garbage"). */
    static ColumnArg parse(String arg, Table table, String[] operators) {
        DatumParser.Cursor c = new DatumParser.Cursor(arg);
        String name = DatumParser.token(c);
        if (name.isEmpty()) {
            throw new CtlError(arg + ": missing column name");
        }
        Column column = SchemaNames.column(table, name);
        String key = null;
        if (c.peek() == ':' && !c.atEnd()) {
            c.pos++;
            key = DatumParser.token(c);
        }
        if (operators == null) {
            if (!c.atEnd()) {
                throw new CtlError(arg + ": trailing garbage \"" + c.rest() + "\" in argument");
            }
            return new ColumnArg(column, key, -1, null);
        }
        String rest = c.rest();
        int best = -1;
        int bestLength = 0;
        for (int i = 0; i < operators.length; i++) {
            String op = operators[i];
            if (op.length() > bestLength && rest.startsWith(op) && rest.length() > op.length()) {
                best = i;
                bestLength = op.length();
            }
        }
        if (best < 0) {
            throw new CtlError(missingOperator(arg, operators));
        }
        return new ColumnArg(column, key, best, rest.substring(bestLength));
    }

    /** pre_parse_column_key_value: only the column name is checked before the transaction. */
    static void checkColumn(String arg, Table table) {
        String name = DatumParser.token(new DatumParser.Cursor(arg));
        if (name.isEmpty()) {
            throw new CtlError(arg + ": missing column name");
        }
        SchemaNames.column(table, name);
    }

    private static String missingOperator(String arg, String[] ops) {
        StringBuilder s = new StringBuilder(arg).append(": argument does not end in \"").append(ops[0]).append('"');
        if (ops.length == 2) {
            s.append(" or \"").append(ops[1]).append('"');
        } else if (ops.length > 2) {
            for (int i = 1; i < ops.length - 1; i++) {
                s.append(", \"").append(ops[i]).append('"');
            }
            s.append(", or \"").append(ops[ops.length - 1]).append('"');
        }
        return s.append(" followed by a value.").toString();
    }
}
