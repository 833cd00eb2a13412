package org.jvswitch.vsctl.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jvswitch.api.ovsdb.DbRow;
import org.jvswitch.api.ovsdb.DbSchema.BaseType;
import org.jvswitch.api.ovsdb.DbSchema.Column;
import org.jvswitch.api.ovsdb.DbSchema.Table;
import org.jvswitch.api.ovsdb.DbSchema.Type;

/**
 * The database commands every *-ctl tool shares (lib/db-ctl-base.c): get, list, find, set, add,
 * remove, clear, create, destroy, wait-until and comment. The {@code pre*} methods are the checks
 * ovs-vsctl makes before it starts the transaction, so their errors win over those of commands
 * that run earlier in the same invocation.
 */
final class DbCommands {
    private static final long UINT_MAX = 0xffffffffL;

    private DbCommands() {
    }

    static List<CommandSyntax> syntaxes() {
        return List.of(
                CommandSyntax.ro("comment", 0, CommandSyntax.UNLIMITED, "[ARG]...", "", null, null),
                CommandSyntax.ro("get", 2, CommandSyntax.UNLIMITED, "TABLE RECORD [COLUMN[:KEY]]...",
                        "--if-exists,--id=", DbCommands::preGet, DbCommands::get),
                CommandSyntax.ro("list", 1, CommandSyntax.UNLIMITED, "TABLE [RECORD]...", "--if-exists,--columns=",
                        DbCommands::preList, DbCommands::list),
                CommandSyntax.ro("find", 1, CommandSyntax.UNLIMITED, "TABLE [COLUMN[:KEY]=VALUE]...", "--columns=",
                        DbCommands::preFind, DbCommands::find),
                CommandSyntax.rw("set", 3, CommandSyntax.UNLIMITED, "TABLE RECORD COLUMN[:KEY]=VALUE...", "--if-exists",
                        DbCommands::preSet, DbCommands::set),
                CommandSyntax.rw("add", 4, CommandSyntax.UNLIMITED, "TABLE RECORD COLUMN [KEY=]VALUE...", "--if-exists",
                        DbCommands::preAddRemove, DbCommands::add),
                CommandSyntax.rw("remove", 4, CommandSyntax.UNLIMITED, "TABLE RECORD COLUMN KEY|VALUE|KEY=VALUE...",
                        "--if-exists", DbCommands::preAddRemove, DbCommands::remove),
                CommandSyntax.rw("clear", 3, CommandSyntax.UNLIMITED, "TABLE RECORD COLUMN...", "--if-exists",
                        DbCommands::preClear, DbCommands::clear),
                CommandSyntax.rw("create", 2, CommandSyntax.UNLIMITED, "TABLE COLUMN[:KEY]=VALUE...", "--id=",
                        DbCommands::preCreate, DbCommands::create),
                CommandSyntax.rw("destroy", 1, CommandSyntax.UNLIMITED, "TABLE [RECORD]...", "--if-exists,--all",
                        DbCommands::preTable, DbCommands::destroy),
                CommandSyntax.ro("wait-until", 2, CommandSyntax.UNLIMITED, "TABLE RECORD [COLUMN[:KEY]=VALUE]...", "",
                        DbCommands::preSet, DbCommands::waitUntil));
    }

    // --- prerequisites ---

    private static Table table(CtlContext ctx) {
        return SchemaNames.table(ctx.schema, ctx.arg(1));
    }

    private static void preTable(CtlContext ctx) {
        table(ctx);
    }

    private static boolean isUuidColumn(String arg) {
        return arg.equalsIgnoreCase("_uuid") || arg.equalsIgnoreCase("-uuid");
    }

    private static void preGet(CtlContext ctx) {
        Table table = table(ctx);
        for (int i = 3; i < ctx.argc(); i++) {
            if (!isUuidColumn(ctx.arg(i))) {
                ColumnArg.checkColumn(ctx.arg(i), table);
            }
        }
    }

    private static void preList(CtlContext ctx) {
        columns(table(ctx), ctx.option("--columns"));
    }

    private static void preFind(CtlContext ctx) {
        Table table = table(ctx);
        columns(table, ctx.option("--columns"));
        for (int i = 2; i < ctx.argc(); i++) {
            ColumnArg.checkColumn(ctx.arg(i), table);
        }
    }

    private static void preSet(CtlContext ctx) {
        Table table = table(ctx);
        for (int i = 3; i < ctx.argc(); i++) {
            ColumnArg.checkColumn(ctx.arg(i), table);
        }
    }

    private static void preAddRemove(CtlContext ctx) {
        SchemaNames.column(table(ctx), ctx.arg(3));
    }

    private static void preClear(CtlContext ctx) {
        Table table = table(ctx);
        for (int i = 3; i < ctx.argc(); i++) {
            SchemaNames.column(table, ctx.arg(i));
        }
    }

    private static void preCreate(CtlContext ctx) {
        Table table = table(ctx);
        if (ctx.option("--id") == null && !table.isRoot()) {
            ctx.vlog.warn("db_ctl_base", "applying \"create\" command to table " + table.name()
                    + " without --id option will have no effect");
        }
    }

    // --- get ---

    private static void get(CtlContext ctx) {
        String id = ctx.option("--id");
        boolean mustExist = !ctx.hasOption("--if-exists");
        if (id != null && !mustExist) {
            throw new CtlError("--if-exists and --id may not be specified together");
        }
        Table table = table(ctx);
        String recordId = ctx.arg(2);
        DbRow row = RowLookup.get(ctx.txn, table, recordId, mustExist);
        if (row == null) {
            return;
        }
        if (id != null) {
            boolean isNew = ctx.symbols().get(id) == null;
            Symbols.Symbol symbol = createSymbol(ctx, id);
            if (!isNew) {
                throw new CtlError("row id \"" + id + "\" specified on \"get\" command was used before it was defined");
            }
            symbol.uuid = row.uuid();
            // The row exists already, so it needs no reference to survive.
            symbol.strongRef = true;
        }
        StringBuilder out = ctx.output;
        for (int i = 3; i < ctx.argc(); i++) {
            if (isUuidColumn(ctx.arg(i))) {
                out.append(row.uuid()).append('\n');
                continue;
            }
            ColumnArg a = ColumnArg.parse(ctx.arg(i), table, null);
            Type type = a.column().type();
            Datum datum = ctx.txn.read(row, a.column().name());
            if (a.key() != null) {
                if (!type.isMap()) {
                    throw new CtlError("cannot specify key to get for non-map column " + a.column().name());
                }
                Object key = DatumParser.atom(type.key(), a.key(), ctx.symbols());
                int idx = datum.find(key);
                if (idx < 0) {
                    if (mustExist) {
                        throw new CtlError("no key \"" + a.key() + "\" in " + table.name() + " record \"" + recordId
                                + "\" column " + a.column().name());
                    }
                } else {
                    DatumFormat.atom(out, datum.value(idx));
                }
            } else {
                DatumFormat.string(out, datum, type);
            }
            out.append('\n');
        }
    }

    /** create_symbol. */
    static Symbols.Symbol createSymbol(CtlContext ctx, String id) {
        if (!id.startsWith("@")) {
            throw new CtlError("row id \"" + id + "\" does not begin with \"@\"");
        }
        Symbols.Symbol symbol = ctx.symbols().insert(id);
        if (symbol.created) {
            throw new CtlError("row id \"" + id + "\" may only be specified on one --id option");
        }
        symbol.created = true;
        return symbol;
    }

    // --- list and find ---

    /** parse_column_names: null is every column, after _uuid; "_uuid" stands for the row's UUID (null here). */
    static List<Column> columns(Table table, String names) {
        List<Column> columns = new ArrayList<>();
        if (names == null) {
            columns.add(null);
            columns.addAll(SchemaNames.columns(table));
            return columns;
        }
        for (String name : names.split("[, ]")) {
            if (name.isEmpty()) {
                continue;
            }
            columns.add(name.equalsIgnoreCase("_uuid") ? null : SchemaNames.column(table, name));
        }
        if (columns.isEmpty()) {
            throw new CtlError("must specify at least one column name");
        }
        return columns;
    }

    private static OutputTable makeTable(List<Column> columns) {
        List<String> headings = new ArrayList<>();
        for (Column c : columns) {
            headings.add(c == null ? "_uuid" : c.name());
        }
        return new OutputTable(headings);
    }

    private static final Type UUID_TYPE = new Type(
            new BaseType(org.jvswitch.api.ovsdb.DbSchema.AtomicType.UUID, null, Long.MIN_VALUE, Long.MAX_VALUE,
                    -Double.MAX_VALUE, Double.MAX_VALUE, 0, Long.MAX_VALUE, null, false), null, 1, 1);

    private static void listRecord(CtlContext ctx, DbRow row, List<Column> columns, OutputTable out) {
        List<OutputTable.Cell> cells = new ArrayList<>();
        for (Column c : columns) {
            if (c == null) {
                cells.add(new OutputTable.Cell(Datum.ofAtom(row.uuid()), UUID_TYPE));
            } else {
                cells.add(new OutputTable.Cell(ctx.txn.read(row, c.name()), c.type()));
            }
        }
        out.addRow(cells);
    }

    private static void list(CtlContext ctx) {
        boolean mustExist = !ctx.hasOption("--if-exists");
        Table table = table(ctx);
        List<Column> columns = columns(table, ctx.option("--columns"));
        OutputTable out = makeTable(columns);
        ctx.table = out;
        if (ctx.argc() > 2) {
            for (int i = 2; i < ctx.argc(); i++) {
                DbRow row = RowLookup.get(ctx.txn, table, ctx.arg(i), mustExist);
                if (row != null) {
                    listRecord(ctx, row, columns, out);
                }
            }
        } else {
            for (DbRow row : ctx.txn.rows(table.name())) {
                listRecord(ctx, row, columns, out);
            }
        }
    }

    private static void find(CtlContext ctx) {
        Table table = table(ctx);
        List<Column> columns = columns(table, ctx.option("--columns"));
        OutputTable out = makeTable(columns);
        ctx.table = out;
        rows:
        for (DbRow row : ctx.txn.rows(table.name())) {
            for (int i = 2; i < ctx.argc(); i++) {
                if (!Conditions.check(ctx, table, row, ctx.arg(i))) {
                    continue rows;
                }
            }
            listRecord(ctx, row, columns, out);
        }
    }

    // --- set, add, remove, clear ---

    private static void checkMutable(CtlContext ctx, Table table, DbRow row, Column column) {
        if (!column.mutable() && !ctx.txn.isInserted(table.name(), row.uuid())) {
            throw new CtlError("cannot modify read-only column " + column.name() + " in table " + table.name());
        }
    }

    /** set_column on an existing row. */
    static void setColumn(CtlContext ctx, Table table, DbRow row, String arg) {
        ColumnArg a = ColumnArg.parse(arg, table, ColumnArg.EQUALS);
        checkMutable(ctx, table, row, a.column());
        Datum current = ctx.txn.read(row, a.column().name());
        ctx.txn.write(table.name(), row.uuid(), a.column().name(), newValue(ctx, a, current));
    }

    /** set_column on a row not inserted yet (create, add-port): collects the values to insert. */
    static void setColumn(CtlContext ctx, Table table, Map<String, Datum> values, String arg) {
        ColumnArg a = ColumnArg.parse(arg, table, ColumnArg.EQUALS);
        Datum current = values.getOrDefault(a.column().name(), Datum.defaultFor(a.column().type()));
        values.put(a.column().name(), newValue(ctx, a, current));
    }

    private static Datum newValue(CtlContext ctx, ColumnArg a, Datum current) {
        Type type = a.column().type();
        if (a.key() == null) {
            return DatumParser.datum(type, a.value(), ctx.symbols());
        }
        if (!type.isMap()) {
            throw new CtlError("cannot specify key to set for non-map column " + a.column().name());
        }
        Object key = DatumParser.atom(type.key(), a.key(), ctx.symbols());
        Object value = DatumParser.atom(type.value(), a.value(), ctx.symbols());
        return Datum.ofPair(key, value).union(current);
    }

    private static void set(CtlContext ctx) {
        Table table = table(ctx);
        DbRow row = RowLookup.get(ctx.txn, table, ctx.arg(2), !ctx.hasOption("--if-exists"));
        if (row == null) {
            return;
        }
        for (int i = 3; i < ctx.argc(); i++) {
            setColumn(ctx, table, ctx.txn.row(table.name(), row.uuid()), ctx.arg(i));
        }
        ctx.invalidateCache();
    }

    private static void add(CtlContext ctx) {
        Table table = table(ctx);
        Column column = SchemaNames.column(table, ctx.arg(3));
        DbRow row = RowLookup.get(ctx.txn, table, ctx.arg(2), !ctx.hasOption("--if-exists"));
        if (row == null) {
            return;
        }
        checkMutable(ctx, table, row, column);
        Type type = column.type();
        Type addType = DatumParser.withCount(type, 1, UINT_MAX);
        Datum old = ctx.txn.read(row, column.name());
        // As the last command, ovs-vsctl sends the additions as a mutation, so the server checks the size.
        Datum added = ctx.lastCommand() ? Datum.EMPTY : old;
        for (int i = 4; i < ctx.argc(); i++) {
            added = added.union(DatumParser.datum(addType, ctx.arg(i), ctx.symbols()));
        }
        String what = type.isMap() ? "pairs" : "values";
        if (!ctx.lastCommand()) {
            if (added.size() > type.max()) {
                throw new CtlError("\"add\" operation would put " + added.size() + " " + what + " in column "
                        + column.name() + " of table " + table.name() + " but the maximum number is " + type.max());
            }
            ctx.txn.write(table.name(), row.uuid(), column.name(), added);
        } else {
            if (type.isScalar() && !added.isEmpty()) {
                throw mutationTypeMismatch(column, added);
            }
            Datum result = old.union(added);
            if (result.size() > type.max()) {
                throw ServerError.of("constraint violation", "Attempted to store " + result.size() + " elements in "
                        + DatumParser.english(type) + ".");
            }
            ctx.txn.write(table.name(), row.uuid(), column.name(), result);
        }
        ctx.invalidateCache();
    }

    /** What ovsdb-server answers when "add" mutates a column that is not a set or map. */
    private static ServerError mutationTypeMismatch(Column column, Datum added) {
        StringBuilder syntax = new StringBuilder("[");
        JsonText.appendQuoted(syntax, column.name());
        syntax.append(",\"insert\",[\"set\",[");
        DatumFormat.jsonAtom(syntax, added.key(0));
        syntax.append("]]]");
        return new ServerError("{\"details\":" + JsonText.quote("Type mismatch: \"insert\" operator may not be applied to column "
                + column.name() + " of type " + column.type().key().type().jsonName() + ".")
                + ",\"error\":\"syntax error\",\"syntax\":" + JsonText.quote(syntax.toString()) + "}");
    }

    private static void remove(CtlContext ctx) {
        Table table = table(ctx);
        Column column = SchemaNames.column(table, ctx.arg(3));
        DbRow row = RowLookup.get(ctx.txn, table, ctx.arg(2), !ctx.hasOption("--if-exists"));
        if (row == null) {
            return;
        }
        checkMutable(ctx, table, row, column);
        Type type = column.type();
        Datum old = ctx.txn.read(row, column.name());
        for (int i = 4; i < ctx.argc(); i++) {
            Type rmType = DatumParser.withCount(type, 1, UINT_MAX);
            Datum rm;
            try {
                rm = DatumParser.datum(rmType, ctx.arg(i), ctx.symbols());
            } catch (CtlError e) {
                if (!type.isMap()) {
                    throw e;
                }
                // A map also accepts a set of keys to remove, whatever their values.
                rm = DatumParser.datum(new Type(type.key(), null, 1, UINT_MAX), ctx.arg(i), ctx.symbols());
            }
            old = old.subtract(rm);
        }
        if (old.size() < type.min()) {
            throw new CtlError("\"remove\" operation would put " + old.size() + " " + (type.isMap() ? "pairs" : "values")
                    + " in column " + column.name() + " of table " + table.name() + " but the minimum number is "
                    + type.min());
        }
        ctx.txn.write(table.name(), row.uuid(), column.name(), old);
        ctx.invalidateCache();
    }

    private static void clear(CtlContext ctx) {
        Table table = table(ctx);
        DbRow row = RowLookup.get(ctx.txn, table, ctx.arg(2), !ctx.hasOption("--if-exists"));
        if (row == null) {
            return;
        }
        for (int i = 3; i < ctx.argc(); i++) {
            Column column = SchemaNames.column(table, ctx.arg(i));
            checkMutable(ctx, table, row, column);
            if (column.type().min() > 0) {
                throw new CtlError("\"clear\" operation cannot be applied to column " + column.name() + " of table "
                        + table.name() + ", which is not allowed to be empty");
            }
            ctx.txn.write(table.name(), row.uuid(), column.name(), Datum.EMPTY);
        }
        ctx.invalidateCache();
    }

    // --- create and destroy ---

    private static void create(CtlContext ctx) {
        String id = ctx.option("--id");
        Table table = table(ctx);
        Symbols.Symbol symbol = null;
        if (id != null) {
            if (Uuids.parse(id) != null) {
                // ovs-vsctl would insert the row with this very UUID; DbTransaction.insert chooses UUIDs itself.
                throw new CtlError("--id=" + id + ": creating a row with a given UUID is not supported");
            }
            symbol = createSymbol(ctx, id);
            if (table.isRoot()) {
                // Root rows survive without references, so there is nothing to warn about.
                symbol.strongRef = true;
            }
        }
        Map<String, Datum> values = new LinkedHashMap<>();
        for (int i = 2; i < ctx.argc(); i++) {
            setColumn(ctx, table, values, ctx.arg(i));
        }
        UUID uuid = ctx.txn.insert(table.name(), values);
        if (symbol != null) {
            ctx.txn.resolve(symbol, uuid);
        }
        ctx.output.append(uuid).append('\n');
    }

    private static void destroy(CtlContext ctx) {
        boolean mustExist = !ctx.hasOption("--if-exists");
        boolean all = ctx.hasOption("--all");
        Table table = table(ctx);
        if (all && ctx.argc() > 2) {
            throw new CtlError("--all and records argument should not be specified together");
        }
        if (all && !mustExist) {
            throw new CtlError("--all and --if-exists should not be specified together");
        }
        if (!all && ctx.argc() == 2) {
            ctx.vlog.warn("db_ctl_base", "either --all or records argument should be specified");
            return;
        }
        if (all) {
            for (DbRow row : ctx.txn.rows(table.name())) {
                ctx.txn.delete(table.name(), row.uuid());
            }
        } else {
            for (int i = 2; i < ctx.argc(); i++) {
                DbRow row = RowLookup.get(ctx.txn, table, ctx.arg(i), mustExist);
                if (row != null) {
                    ctx.txn.delete(table.name(), row.uuid());
                }
            }
        }
        ctx.invalidateCache();
    }

    // --- wait-until ---

    private static void waitUntil(CtlContext ctx) {
        Table table = table(ctx);
        DbRow row = RowLookup.get(ctx.txn, table, ctx.arg(2), false);
        if (row == null) {
            ctx.tryAgain = true;
            return;
        }
        for (int i = 3; i < ctx.argc(); i++) {
            if (!Conditions.check(ctx, table, row, ctx.arg(i))) {
                ctx.tryAgain = true;
                return;
            }
        }
    }
}
