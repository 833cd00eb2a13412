package org.jvswitch.vsctl.internal;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.jvswitch.api.ovsdb.DbRow;
import org.jvswitch.api.ovsdb.DbSchema.Column;
import org.jvswitch.api.ovsdb.DbSchema.Type;

/**
 * "show": the tree of Open_vSwitch, its managers and bridges, their controllers and ports, and the
 * ports' interfaces (cmd_show in lib/db-ctl-base.c with the cmd_show_tables of
 * utilities/ovs-vsctl.c). A row prints as its table and name, then the listed columns that do not
 * hold their default value; references to another listed table print that row one level deeper.
 */
final class ShowCommand {
    /** struct cmd_show_table. */
    private record ShowTable(String table, String nameColumn, List<String> columns) {
    }

    private static final List<ShowTable> TABLES = List.of(
            new ShowTable("Open_vSwitch", null, List.of("manager_options", "bridges", "ovs_version")),
            new ShowTable("Bridge", "name", List.of("controller", "fail_mode", "datapath_type", "ports")),
            new ShowTable("Port", "name", List.of("tag", "trunks", "interfaces")),
            new ShowTable("Interface", "name", List.of("type", "options", "error", "bfd_status")),
            new ShowTable("Controller", "target", List.of("is_connected")),
            new ShowTable("Manager", "target", List.of("is_connected")));

    private ShowCommand() {
    }

    static CommandSyntax syntax() {
        return CommandSyntax.ro("show", 0, 0, "", "", null, ShowCommand::run);
    }

    private static void run(CtlContext ctx) {
        Set<String> shown = new HashSet<>();
        for (DbRow row : ctx.txn.rows(TABLES.get(0).table())) {
            showRow(ctx, row, 0, shown);
        }
    }

    private static ShowTable find(String table) {
        for (ShowTable t : TABLES) {
            if (t.table().equals(table)) {
                return t;
            }
        }
        return null;
    }

    private static void indent(StringBuilder out, int level) {
        out.append(" ".repeat(level * 4));
    }

    private static void showRow(CtlContext ctx, DbRow row, int level, Set<String> shown) {
        StringBuilder out = ctx.output;
        ShowTable show = find(row.table());
        indent(out, level);
        if (show != null && show.nameColumn() != null) {
            out.append(show.table()).append(' ');
            DatumFormat.string(out, ctx.txn.read(row, show.nameColumn()),
                    ctx.txn.column(show.table(), show.nameColumn()).type());
        } else {
            out.append(row.uuid());
        }
        out.append('\n');
        if (show == null || shown.contains(show.table())) {
            return;
        }
        shown.add(show.table());
        for (String name : show.columns()) {
            Column column = ctx.txn.column(show.table(), name);
            Type type = column.type();
            Datum datum = ctx.txn.read(row, name);
            if (type.key().refTable() != null) {
                ShowTable ref = find(type.key().refTable());
                if (ref != null) {
                    for (Object uuid : datum.keys()) {
                        DbRow refRow = ctx.txn.row(ref.table(), (UUID) uuid);
                        if (refRow != null) {
                            showRow(ctx, refRow, level + 1, shown);
                        }
                    }
                    continue;
                }
            } else if (type.isMap() && type.value().refTable() != null) {
                ShowTable ref = find(type.value().refTable());
                if (ref != null && ref.nameColumn() != null) {
                    indent(out, level + 1);
                    out.append(name).append(":\n");
                    for (int j = 0; j < datum.size(); j++) {
                        indent(out, level + 2);
                        DatumFormat.atom(out, datum.key(j));
                        out.append('=');
                        DbRow refRow = ctx.txn.row(ref.table(), (UUID) datum.value(j));
                        if (refRow != null) {
                            DatumFormat.string(out, ctx.txn.read(refRow, ref.nameColumn()),
                                    ctx.txn.column(ref.table(), ref.nameColumn()).type());
                        } else {
                            out.append("\"<null>\"");
                        }
                        out.append('\n');
                    }
                    continue;
                }
            }
            if (!datum.isDefault(type)) {
                indent(out, level + 1);
                out.append(name).append(": ");
                DatumFormat.string(out, datum, type);
                out.append('\n');
            }
        }
        shown.remove(show.table());
    }
}
