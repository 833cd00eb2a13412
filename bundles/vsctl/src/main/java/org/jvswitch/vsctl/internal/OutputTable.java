package org.jvswitch.vsctl.internal;

import java.util.ArrayList;
import java.util.List;

import org.jvswitch.api.ovsdb.DbSchema.Type;

/** The rows a "list" or "find" command prints (struct table in lib/table.h): cells hold data and their types. */
final class OutputTable {
    /** A cell: a datum with its column type. */
    record Cell(Datum datum, Type type) {
    }

    private final List<String> headings;
    private final List<List<Cell>> rows = new ArrayList<>();

    OutputTable(List<String> headings) {
        this.headings = List.copyOf(headings);
    }

    void addRow(List<Cell> cells) {
        rows.add(List.copyOf(cells));
    }

    List<String> headings() {
        return headings;
    }

    List<List<Cell>> rows() {
        return rows;
    }
}
