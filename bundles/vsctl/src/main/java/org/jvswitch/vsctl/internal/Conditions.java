package org.jvswitch.vsctl.internal;

import org.jvswitch.api.ovsdb.DbRow;
import org.jvswitch.api.ovsdb.DbSchema.Table;
import org.jvswitch.api.ovsdb.DbSchema.Type;

/**
 * The conditions of "find" and "wait-until" (check_condition and evaluate_relop in
 * lib/db-ctl-base.c): COLUMN[:KEY] OP VALUE, where =, !=, &lt;, &gt;, &lt;=, &gt;= compare whole
 * values (shorter sets first) and {=}, {!=}, {&lt;}, {&gt;}, {&lt;=}, {&gt;=}, {in}, {not-in}
 * compare as sets.
 */
final class Conditions {
    private static final long UINT_MAX = 0xffffffffL;

    private Conditions() {
    }

    static boolean check(CtlContext ctx, Table table, DbRow row, String arg) {
        ColumnArg a = ColumnArg.parse(arg, table, ColumnArg.RELOPS);
        Type columnType = a.column().type();
        Datum have = ctx.txn.read(row, a.column().name());
        if (a.key() == null) {
            Datum want = DatumParser.datum(columnType, a.value(), ctx.symbols());
            return evaluate(have, want, !columnType.isMap(), a.operator());
        }
        if (!columnType.isMap()) {
            throw new CtlError("cannot specify key to check for non-map column " + a.column().name());
        }
        Object key = DatumParser.atom(columnType.key(), a.key(), ctx.symbols());
        // The key's value is compared as a set of the map's value type.
        Type valueSet = new Type(columnType.value(), null, columnType.min(), UINT_MAX);
        Datum want = DatumParser.datum(valueSet, a.value(), ctx.symbols());
        int idx = have.find(key);
        if (idx < 0 && !isSetOperator(a.operator())) {
            return false;
        }
        Datum value = idx < 0 ? Datum.EMPTY : Datum.ofAtom(have.value(idx));
        return evaluate(value, want, true, a.operator());
    }

    private static boolean isSetOperator(int op) {
        return op >= 6;
    }

    private static boolean evaluate(Datum a, Datum b, boolean keysOnly, int op) {
        return switch (ColumnArg.RELOPS[op]) {
            case "=", "{=}" -> Datum.compare3way(a, b, keysOnly) == 0;
            case "!=", "{!=}" -> Datum.compare3way(a, b, keysOnly) != 0;
            case "<" -> Datum.compare3way(a, b, keysOnly) < 0;
            case ">" -> Datum.compare3way(a, b, keysOnly) > 0;
            case "<=" -> Datum.compare3way(a, b, keysOnly) <= 0;
            case ">=" -> Datum.compare3way(a, b, keysOnly) >= 0;
            case "{<}" -> b.size() > a.size() && a.includedIn(b, keysOnly);
            case "{>}" -> a.size() > b.size() && b.includedIn(a, keysOnly);
            case "{<=}", "{in}" -> a.includedIn(b, keysOnly);
            case "{>=}" -> b.includedIn(a, keysOnly);
            case "{not-in}" -> a.disjointFrom(b, keysOnly);
            default -> throw new IllegalStateException();
        };
    }
}
