package org.jvswitch.vsctl.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

import org.jvswitch.api.ovsdb.DbSchema;
import org.jvswitch.api.ovsdb.DbSchema.Column;
import org.jvswitch.api.ovsdb.DbSchema.Table;

/**
 * Table and column names as users may abbreviate them (get_table, get_column and
 * score_partial_match in lib/db-ctl-base.c): case is ignored, '-' stands for '_', and any unique
 * prefix will do; an exact match always wins.
 */
final class SchemaNames {
    private static final int EXACT = Integer.MAX_VALUE;

    private SchemaNames() {
    }

    /** score_partial_match: higher is better, 0 is no match. */
    static int score(String name, String s) {
        if (name.equals(s)) {
            return EXACT;
        }
        int score = 0;
        for (;; score++) {
            char a = score < name.length() ? fold(name.charAt(score)) : '\0';
            char b = score < s.length() ? fold(s.charAt(score)) : '\0';
            if (a != b) {
                break;
            } else if (a == '\0') {
                return EXACT - 1;
            }
        }
        return score >= s.length() ? score : 0;
    }

    private static char fold(char c) {
        return c == '-' ? '_' : (c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c);
    }

    static Table table(DbSchema schema, String name) {
        String best = bestMatch(schema.tables().keySet(), name);
        if (best == null) {
            throw new CtlError("unknown table \"" + name + "\"");
        }
        if (best.startsWith("\u0000")) {
            throw new CtlError("\"" + name + "\" matches multiple table names: " + best.substring(1));
        }
        return schema.table(best);
    }

    static Column column(Table table, String name) {
        String best = bestMatch(table.columns().keySet(), name);
        if (best == null) {
            throw new CtlError(table.name() + " does not contain a column whose name matches \"" + name + "\"");
        }
        if (best.startsWith("\u0000")) {
            throw new CtlError(table.name() + " contains more than one column whose name matches \"" + name + "\": "
                    + best.substring(1));
        }
        return table.column(best);
    }

    /** The single best name, null if none, or NUL + the sorted ambiguous names joined by ", ". */
    private static String bestMatch(Collection<String> names, String s) {
        TreeSet<String> best = new TreeSet<>();
        int bestScore = 0;
        for (String name : names) {
            int score = score(name, s);
            if (score > 0 && score >= bestScore) {
                if (score > bestScore) {
                    best.clear();
                }
                best.add(name);
                bestScore = score;
            }
        }
        if (best.isEmpty()) {
            return null;
        }
        return best.size() == 1 ? best.first() : "\u0000" + String.join(", ", best);
    }

    /** The columns of a table in the order ovs-vsctl lists them (the IDL's: by name). */
    static List<Column> columns(Table table) {
        List<Column> columns = new ArrayList<>(table.columns().values());
        columns.sort((a, b) -> a.name().compareTo(b.name()));
        return columns;
    }
}
