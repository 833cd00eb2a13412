package org.jvswitch.ovsdb.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

import org.jvswitch.api.ovsdb.DbSchema;
import org.jvswitch.api.ovsdb.DbSchema.Column;
import org.jvswitch.api.ovsdb.DbSchema.Type;
import org.jvswitch.api.ovsdb.OvsdbException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The contents of log records in Open vSwitch's standalone format (ovsdb/file.c): the schema as
 * the first record, then one record per transaction,
 *
 * <pre>
 * {"Bridge":{"&lt;uuid&gt;":{&lt;columns&gt;} or null}, ..., "_date":&lt;ms&gt;, "_comment":"...", "_is_diff":true}
 * </pre>
 *
 * A new row lists its non-default columns; null deletes a row; a changed row lists the columns
 * that changed, as ovsdb-server 2.15 and later write them ({@code "_is_diff":true}): a scalar
 * column's new value, a set's elements that were added or removed, a map's added or changed keys
 * with their new values and removed keys with their old ones. Differences keep a record small when
 * one port is added to a bridge with 10,000 ports. Ephemeral columns are not written, as in
 * ovsdb-server. Records without {@code _is_diff} (whole new values, as older ovsdb-server versions
 * wrote) are read too.
 */
final class FileRecords {
    private static final Logger LOG = LoggerFactory.getLogger(FileRecords.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private FileRecords() {
    }

    /** The schema record: the schema text as compact JSON. */
    static byte[] schema(DbSchema schema) {
        try {
            return MAPPER.writeValueAsBytes(MAPPER.readTree(schema.json()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A transaction's record, or null if it changes nothing that is persistent. */
    static byte[] transaction(CommitPlan plan, String comment, long date) {
        ObjectNode root = MAPPER.createObjectNode();
        boolean any = false;
        for (TxnRow r : plan.changes()) {
            if (r.now == null) {
                root.withObjectProperty(r.spec.name).putNull(r.uuid.toString());
                any = true;
                continue;
            }
            ObjectNode columns = MAPPER.createObjectNode();
            for (int c = 0; c < r.spec.columns.length; c++) {
                Column column = r.spec.columns[c];
                if (column.ephemeral()) {
                    continue;
                }
                if (r.old == null) {
                    if (!r.now.isDefault(c)) {
                        columns.set(column.name(), DatumJson.toJson(r.now.value(c)));
                    }
                } else if (Row.differs(r.old, r.now, c)) {
                    columns.set(column.name(), DatumJson.toJson(diff(column.type(), r.old.value(c), r.now.value(c))));
                }
            }
            // An insert is written even with no columns set; a change of ephemeral columns only is not.
            if (r.old == null || !columns.isEmpty()) {
                root.withObjectProperty(r.spec.name).set(r.uuid.toString(), columns);
                any = true;
            }
        }
        if (!any) {
            return null;
        }
        root.put("_is_diff", true);
        return finish(root, comment, date);
    }

    /** What ovsdb-server writes for a changed column in a difference record. */
    static Object diff(Type type, Object old, Object now) {
        if (type.isScalar()) {
            return now;
        }
        if (type.isMap()) {
            Map<?, ?> was = (Map<?, ?>) old;
            Map<?, ?> is = (Map<?, ?>) now;
            Map<Object, Object> diff = new TreeMap<>();
            was.forEach((k, v) -> {
                if (!is.containsKey(k)) {
                    diff.put(k, v);
                }
            });
            is.forEach((k, v) -> {
                if (!v.equals(was.get(k))) {
                    diff.put(k, v);
                }
            });
            return diff;
        }
        Collection<?> was = (Collection<?>) old;
        Collection<?> is = (Collection<?>) now;
        Set<Object> diff = new TreeSet<>();
        for (Object atom : was) {
            if (!is.contains(atom)) {
                diff.add(atom);
            }
        }
        for (Object atom : is) {
            if (!was.contains(atom)) {
                diff.add(atom);
            }
        }
        return diff;
    }

    /** The whole database as one record, as compaction writes it. */
    static byte[] snapshot(Snapshot snapshot, String comment, long date) {
        ObjectNode root = MAPPER.createObjectNode();
        for (TableData t : snapshot.tables().values()) {
            if (t.rows().isEmpty()) {
                continue;
            }
            ObjectNode table = root.putObject(t.spec().name);
            for (Iterator<Row> it = t.rows().valueIterator(); it.hasNext(); ) {
                Row row = it.next();
                ObjectNode columns = table.putObject(row.uuid().toString());
                for (int c = 0; c < t.spec().columns.length; c++) {
                    if (!row.isDefault(c) && !t.spec().columns[c].ephemeral()) {
                        columns.set(t.spec().columns[c].name(), DatumJson.toJson(row.value(c)));
                    }
                }
            }
        }
        return finish(root, comment, date);
    }

    private static byte[] finish(ObjectNode root, String comment, long date) {
        root.put("_date", date);
        if (comment != null) {
            root.put("_comment", comment);
        }
        try {
            return MAPPER.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Applies one transaction record to {@code tables} (rows by UUID per table). Tables and columns
     * this schema lacks, and values it rejects, are skipped with a warning: the file may come from
     * another schema version.
     *
     * @throws IOException if the record is not shaped like a transaction
     */
    static void replay(JsonNode record, Map<String, TableSpec> specs, Map<String, Map<UUID, Row>> tables,
                       String where, Set<String> warned) throws IOException {
        boolean isDiff = record.path("_is_diff").asBoolean(false);
        for (Iterator<Map.Entry<String, JsonNode>> it = record.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> t = it.next();
            if (t.getKey().startsWith("_")) {
                continue;
            }
            TableSpec spec = specs.get(t.getKey());
            if (spec == null) {
                if (warned.add(t.getKey())) {
                    LOG.warn("{}: skipping rows of table {}, which the schema lacks", where, t.getKey());
                }
                continue;
            }
            if (!t.getValue().isObject()) {
                throw new IOException(where + ": table " + t.getKey() + " is not a JSON object");
            }
            Map<UUID, Row> rows = tables.computeIfAbsent(spec.name, k -> new LinkedHashMap<>());
            for (Iterator<Map.Entry<String, JsonNode>> rit = t.getValue().fields(); rit.hasNext(); ) {
                Map.Entry<String, JsonNode> r = rit.next();
                UUID uuid = parseUuid(r.getKey(), where);
                if (r.getValue().isNull()) {
                    rows.remove(uuid);
                } else if (r.getValue().isObject()) {
                    Row old = rows.get(uuid);
                    rows.put(uuid, replayRow(spec, uuid, old, r.getValue(), isDiff && old != null, where, warned));
                } else {
                    throw new IOException(where + ": row " + uuid + " is neither an object nor null");
                }
            }
        }
    }

    private static Row replayRow(TableSpec spec, UUID uuid, Row old, JsonNode json, boolean isDiff, String where,
                                 Set<String> warned) {
        Row row = old != null ? old : Row.withDefaults(spec, uuid);
        for (Iterator<Map.Entry<String, JsonNode>> it = json.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            int c = spec.position(e.getKey());
            if (c < 0) {
                if (!e.getKey().startsWith("_") && warned.add(spec.name + "." + e.getKey())) {
                    LOG.warn("{}: skipping column {} of table {}, which the schema lacks", where, e.getKey(),
                            spec.name);
                }
                continue;
            }
            Type type = spec.columns[c].type();
            try {
                Object value = isDiff && !type.isScalar()
                        ? applyDiff(type, row.value(c), DatumJson.fromJson(relaxed(type), e.getValue()))
                        : DatumJson.fromJson(type, e.getValue());
                row = row.with(c, value);
            } catch (OvsdbException ex) {
                LOG.warn("{}: ignoring column {} of {} row {}: {}: {}", where, e.getKey(), spec.name, uuid,
                        ex.error(), ex.details());
            }
        }
        return row;
    }

    /** The same type without size limits, for differences, which may hold more or fewer elements. */
    private static Type relaxed(Type type) {
        return new Type(type.key(), type.value(), 0, Long.MAX_VALUE);
    }

    /**
     * A value with an ovsdb-server difference applied: set elements toggle; map keys are added,
     * replaced when the value differs, removed when it is equal.
     */
    private static Object applyDiff(Type type, Object current, Object diff) throws OvsdbException {
        if (type.isMap()) {
            Map<Object, Object> result = new LinkedHashMap<>((Map<?, ?>) current);
            for (Map.Entry<?, ?> e : ((Map<?, ?>) diff).entrySet()) {
                if (e.getValue().equals(result.get(e.getKey()))) {
                    result.remove(e.getKey());
                } else {
                    result.put(e.getKey(), e.getValue());
                }
            }
            return Datum.normalize(type, result);
        }
        Set<Object> result = new TreeSet<>((Collection<?>) current);
        for (Object atom : (Collection<?>) diff) {
            if (!result.remove(atom)) {
                result.add(atom);
            }
        }
        return Datum.normalize(type, result);
    }

    private static UUID parseUuid(String text, String where) throws IOException {
        try {
            if (text.length() == 36) {
                return UUID.fromString(text);
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new IOException(where + ": \"" + text + "\" is not a row UUID");
    }
}
