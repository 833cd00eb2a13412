package org.jvswitch.ovsdb.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import org.jvswitch.api.ovsdb.DbRow;
import org.jvswitch.api.ovsdb.DbSchema;
import org.jvswitch.api.ovsdb.DbSchema.Column;
import org.jvswitch.api.ovsdb.OvsdbException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Executes the operations of one {@code transact} request (Open vSwitch's ovsdb/execution.c): every
 * operation of RFC 7047 section 5.2 with ovsdb-server's results, errors and their order, the whole
 * evaluated and committed under the database's commit lock, so a "wait" or "where" sees exactly
 * the state the transaction commits on.
 *
 * <p>An operation that fails stops the transaction: its result is the error, later ones are null,
 * and nothing is committed. A "wait" that is not yet satisfied but has time left makes the whole
 * request pending (the caller retries it after the next commit, as ovsdb-server's triggers do).
 */
final class Execution {
    private static final Pattern UUID_TEXT =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private final OvsdbService db;
    private final Database.Context context;
    private final Symbols symbols = new Symbols();
    private Txn txn;
    /** The smallest "wait" timeout seen, for a pending request. */
    private long timeoutMs = Long.MAX_VALUE;
    /** Set when an unsatisfied "wait" with time left makes the request pending. */
    private boolean pending;

    private Execution(OvsdbService db, Database.Context context) {
        this.db = db;
        this.context = context;
    }

    static Database.Result execute(OvsdbService db, JsonNode params, Database.Context context) {
        if (!params.isArray() || params.isEmpty() || !params.get(0).isTextual()
                || !params.get(0).textValue().equals(db.name())) {
            OvsdbException e = new OvsdbSyntaxException(params, null, params.isArray()
                    ? "database name expected as first parameter" : "array expected");
            return new Database.Result(Errors.toJson(e), Long.MAX_VALUE, db.snapshot().version());
        }
        return new Execution(db, context).run(params);
    }

    private Database.Result run(JsonNode params) {
        ArrayNode results = OvsJson.NODES.arrayNode();
        long[] version = {db.snapshot().version()};
        try {
            db.atomically(t -> {
                txn = t;
                version[0] = t.base().version();
                return operations(params, results);
            });
        } catch (OvsdbException e) {
            // Precommit or the durable write refused the transaction: one more result, after the operations'.
            results.add(Errors.toJson(e));
        }
        if (pending) {
            return new Database.Result(null, timeoutMs, version[0]);
        }
        return new Database.Result(results, Long.MAX_VALUE, version[0]);
    }

    /** Runs the operations into {@code results}; false if one failed or the request is pending. */
    private boolean operations(JsonNode params, ArrayNode results) {
        int n = params.size() - 1;
        OvsdbException error = null;
        for (int i = 1; i <= n; i++) {
            OpParser parser = new OpParser(params.get(i), "ovsdb operation " + i + " of " + n);
            JsonNode op = parser.member("op", OpParser.ID);
            ObjectNode result = OvsJson.NODES.objectNode();
            boolean readOnly = false;
            String name = op == null ? null : op.textValue();
            if (name != null) {
                readOnly = switch (name) {
                    case "select", "wait", "abort", "comment", "assert" -> true;
                    default -> false;
                };
                try {
                    switch (name) {
                        case "insert" -> insert(parser, result);
                        case "select" -> select(parser, result);
                        case "update" -> update(parser, result);
                        case "mutate" -> mutate(parser, result);
                        case "delete" -> delete(parser, result);
                        case "wait" -> await(parser);
                        case "commit" -> {
                            JsonNode durable = parser.member("durable", OpParser.BOOLEAN);
                            if (durable != null && durable.booleanValue()) {
                                txn.requireDurable();
                            }
                        }
                        case "abort" -> throw new OvsdbException("aborted", "aborted by request");
                        case "comment" -> comment(parser);
                        case "assert" -> assertLock(parser);
                        default -> parser.raise("No operation \"" + name + "\"");
                    }
                } catch (OvsdbException e) {
                    error = e;
                }
            }
            // A parse error (an unknown member, say) overrides the operation's own error.
            OvsdbException parseError = parser.finish();
            if (parseError != null) {
                error = parseError;
            }
            if (!readOnly && error == null && db.name().startsWith("_")) {
                error = new OvsdbException("not allowed", name + " operation not allowed on table in reserved"
                        + " database " + db.name());
            }
            if (error != null) {
                if ("not supported".equals(error.error()) && context.canWait()) {
                    pending = true;
                    return false;
                }
                results.add(Errors.toJson(error));
                break;
            }
            results.add(result);
        }
        while (results.size() < n) {
            results.addNull();
        }
        return error == null;
    }

    // --- operations (ovsdb_execute_*) ---

    private void insert(OpParser p, ObjectNode result) throws OvsdbException {
        DbSchema.Table table = table(p, "table");
        JsonNode uuidJson = p.member("uuid", OpParser.STRING | OpParser.OPTIONAL);
        JsonNode uuidName = p.member("uuid-name", OpParser.ID | OpParser.OPTIONAL);
        JsonNode rowJson = p.member("row", OpParser.OBJECT);
        throwIfError(p);
        UUID uuid = null;
        if (uuidJson != null) {
            if (!UUID_TEXT.matcher(uuidJson.textValue()).matches()) {
                throw new OvsdbSyntaxException(uuidJson, null, "bad uuid");
            }
            uuid = UUID.fromString(uuidJson.textValue());
            if (!txn.mayCreate(uuid)) {
                throw new OvsdbSyntaxException(uuidJson, "duplicate uuid", "This UUID would duplicate a UUID"
                        + " already present within the table or deleted within the same transaction.");
            }
        }
        if (uuidName != null) {
            Symbols.Symbol symbol = symbols.insert(uuidName.textValue());
            if (symbol.created) {
                throw new OvsdbSyntaxException(uuidName, "duplicate uuid-name",
                        "This \"uuid-name\" appeared on an earlier \"insert\" operation.");
            }
            if (uuid != null) {
                symbol.uuid = uuid;
            } else {
                uuid = symbol.uuid;
            }
            symbol.created = true;
        } else if (uuid == null) {
            uuid = UUID.randomUUID();
        }
        Map<Column, Object> values = RowJson.parse(table, rowJson, symbols);
        // _uuid and _version given in the row are parsed (and checked) but, as in ovsdb-server, not used.
        txn.insert(table.name(), uuid, byName(values));
        result.set("uuid", DatumJson.toJson(uuid));
    }

    private void select(OpParser p, ObjectNode result) throws OvsdbException {
        DbSchema.Table table = table(p, "table");
        JsonNode where = p.member("where", OpParser.ARRAY);
        JsonNode columnsJson = p.member("columns", OpParser.ARRAY | OpParser.OPTIONAL);
        JsonNode sortJson = p.member("sort", OpParser.ARRAY | OpParser.OPTIONAL);
        throwIfError(p);
        Condition condition = Condition.parse(table, where, symbols);
        List<Column> columns = RowJson.columns(table, columnsJson);
        List<Column> sort = sortJson == null ? List.of() : RowJson.columns(table, sortJson);
        List<DbRow> rows = query(table, condition);
        if (!columns.contains(Columns.UUID)) {
            // Rows are distinct through their UUIDs; without them, equal selections count once.
            Set<List<Object>> seen = new HashSet<>();
            rows.removeIf(r -> !seen.add(RowJson.key(r, columns)));
        }
        if (!sort.isEmpty()) {
            rows.sort((a, b) -> {
                for (Column c : sort) {
                    int cmp = compareValues(a.get(c.name()), b.get(c.name()));
                    if (cmp != 0) {
                        return cmp;
                    }
                }
                return 0;
            });
        }
        ArrayNode out = result.putArray("rows");
        for (DbRow r : rows) {
            out.add(RowJson.toJson(r, columns));
        }
    }

    private void update(OpParser p, ObjectNode result) throws OvsdbException {
        DbSchema.Table table = table(p, "table");
        JsonNode where = p.member("where", OpParser.ARRAY);
        JsonNode rowJson = p.member("row", OpParser.OBJECT);
        throwIfError(p);
        Map<Column, Object> values = RowJson.parse(table, rowJson, symbols);
        for (Column c : values.keySet()) {
            if (!c.mutable()) {
                throw new OvsdbSyntaxException(p.json(), "constraint violation", "Cannot update immutable column "
                        + c.name() + " in table " + table.name() + ".");
            }
        }
        Condition condition = Condition.parse(table, where, symbols);
        Map<String, Object> byName = byName(values);
        int count = 0;
        for (DbRow r : query(table, condition)) {
            count++;
            txn.update(table.name(), r.uuid(), byName);
        }
        result.put("count", count);
    }

    private void mutate(OpParser p, ObjectNode result) throws OvsdbException {
        DbSchema.Table table = table(p, "table");
        JsonNode where = p.member("where", OpParser.ARRAY);
        JsonNode mutationsJson = p.member("mutations", OpParser.ARRAY);
        throwIfError(p);
        List<Mutation> mutations = Mutation.parseAll(table, mutationsJson, symbols);
        Condition condition = Condition.parse(table, where, symbols);
        int count = 0;
        for (DbRow r : query(table, condition)) {
            count++;
            txn.update(table.name(), r.uuid(), Mutation.applyAll(mutations, r));
        }
        result.put("count", count);
    }

    private void delete(OpParser p, ObjectNode result) throws OvsdbException {
        JsonNode where = p.member("where", OpParser.ARRAY);
        DbSchema.Table table = table(p, "table");
        throwIfError(p);
        Condition condition = Condition.parse(table, where, symbols);
        int count = 0;
        for (DbRow r : query(table, condition)) {
            count++;
            txn.delete(table.name(), r.uuid());
        }
        result.put("count", count);
    }

    /** "wait": compares, as sets, the selected rows' columns with the expected rows. */
    private void await(OpParser p) throws OvsdbException {
        JsonNode timeout = p.member("timeout", OpParser.INTEGER | OpParser.OPTIONAL);
        JsonNode where = p.member("where", OpParser.ARRAY);
        JsonNode columnsJson = p.member("columns", OpParser.ARRAY | OpParser.OPTIONAL);
        JsonNode until = p.member("until", OpParser.STRING);
        JsonNode rows = p.member("rows", OpParser.ARRAY);
        DbSchema.Table table = table(p, "table");
        throwIfError(p);
        Condition condition = Condition.parse(table, where, symbols);
        List<Column> columns = RowJson.columns(table, columnsJson);
        long waitMs = Long.MAX_VALUE;
        if (timeout != null) {
            waitMs = OvsJson.integer(timeout);
            if (waitMs < 0) {
                throw new OvsdbSyntaxException(timeout, null, "timeout must be nonnegative");
            }
            timeoutMs = Math.min(timeoutMs, waitMs);
        }
        String untilText = until.textValue();
        if (!untilText.equals("==") && !untilText.equals("!=")) {
            throw new OvsdbSyntaxException(until, null, "\"until\" must be \"==\" or \"!=\"");
        }
        Set<List<Object>> expected = new HashSet<>();
        for (JsonNode rowJson : rows) {
            Map<Column, Object> given = RowJson.parse(table, rowJson, symbols);
            List<Object> key = new ArrayList<>(columns.size());
            for (Column c : columns) {
                key.add(given.containsKey(c) ? given.get(c) : defaultValue(c));
            }
            expected.add(key);
        }
        boolean equal = true;
        Set<List<Object>> actual = new HashSet<>();
        for (DbRow r : query(table, condition)) {
            List<Object> key = RowJson.key(r, columns);
            if (!expected.contains(key)) {
                equal = false;
                break;
            }
            actual.add(key);
        }
        equal &= actual.size() == expected.size();
        if (untilText.equals("==") != equal) {
            if (timeout != null && context.elapsedMs() >= waitMs) {
                throw new OvsdbException("timed out", context.elapsedMs() > 0
                        ? "\"wait\" timed out after " + context.elapsedMs() + " ms" : "\"where\" clause test failed");
            }
            throw new OvsdbException("not supported", "triggers not supported");
        }
    }

    private void comment(OpParser p) {
        JsonNode comment = p.member("comment", OpParser.STRING);
        if (comment != null) {
            txn.comment(comment.textValue());
        }
    }

    private void assertLock(OpParser p) throws OvsdbException {
        JsonNode lock = p.member("lock", OpParser.ID);
        if (lock != null && !context.ownsLock().test(lock.textValue())) {
            throw new OvsdbException("not owner", "Asserted lock " + lock.textValue() + " not held.");
        }
    }

    // --- helpers ---

    /** parse_table: the member names a table of this database. */
    private DbSchema.Table table(OpParser p, String member) {
        JsonNode name = p.member(member, OpParser.ID);
        if (name == null) {
            return null;
        }
        DbSchema.Table table = db.schema().tables().get(name.textValue());
        if (table == null) {
            p.raise("No table named " + name.textValue() + ".");
        }
        return table;
    }

    private static void throwIfError(OpParser p) throws OvsdbException {
        if (p.error() != null) {
            throw p.error();
        }
    }

    /** The rows of the transaction's view of {@code table} that satisfy every clause. */
    private List<DbRow> query(DbSchema.Table table, Condition condition) {
        UUID uuid = condition.uuidLookup();
        List<DbRow> out = new ArrayList<>();
        if (uuid != null) {
            DbRow r = txn.view().row(table.name(), uuid);
            if (r != null && condition.matchesAll(r)) {
                out.add(r);
            }
            return out;
        }
        for (DbRow r : txn.view().rows(table.name())) {
            if (condition.matchesAll(r)) {
                out.add(r);
            }
        }
        return out;
    }

    private static Map<String, Object> byName(Map<Column, Object> values) {
        Map<String, Object> out = new LinkedHashMap<>();
        values.forEach((c, v) -> {
            if (c != Columns.UUID && c != Columns.VERSION) {
                out.put(c.name(), v);
            }
        });
        return out;
    }

    private static Object defaultValue(Column c) {
        return c == Columns.UUID || c == Columns.VERSION ? Datum.ZERO_UUID : Datum.defaultValue(c.type());
    }

    /** ovsdb_datum_compare_3way: fewer elements first, then element by element, keys before values. */
    static int compareValues(Object a, Object b) {
        if (!(a instanceof Collection<?>) && !(a instanceof Map<?, ?>)) {
            return Condition.compareAtoms(a, b);
        }
        int na = Condition.size(a);
        int nb = Condition.size(b);
        if (na != nb) {
            return na < nb ? -1 : 1;
        }
        Iterator<?> x = a instanceof Map<?, ?> m ? m.keySet().iterator() : ((Collection<?>) a).iterator();
        Iterator<?> y = b instanceof Map<?, ?> m ? m.keySet().iterator() : ((Collection<?>) b).iterator();
        while (x.hasNext()) {
            int cmp = Condition.compareAtoms(x.next(), y.next());
            if (cmp != 0) {
                return cmp;
            }
        }
        if (a instanceof Map<?, ?> ma && b instanceof Map<?, ?> mb) {
            Iterator<?> u = ma.values().iterator();
            Iterator<?> v = mb.values().iterator();
            while (u.hasNext()) {
                int cmp = Condition.compareAtoms(u.next(), v.next());
                if (cmp != 0) {
                    return cmp;
                }
            }
        }
        return 0;
    }
}
