package org.jvswitch.ovsdb.internal;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.jvswitch.api.ovsdb.DbSchema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A database kept in a standalone Open vSwitch database file (Open vSwitch's ovsdb/file.c): replays
 * the log on open, appends one record per commit, and compacts the log when it has grown.
 *
 * <p>Compaction follows ovsdb-server (ovsdb/storage.c): once at least
 * {@link CompactionPolicy#minRecords} transactions were appended since the last snapshot, the file is
 * {@link CompactionPolicy#growthFactor} times the size it had then, and
 * {@link CompactionPolicy#minIntervalMs} have passed since the file was opened or last compacted
 * (ovsdb-server: 10 minutes), the whole database is rewritten as one record. Without that interval a
 * stream of small transactions on a small database would compact several times a second.
 *
 * <p>Thread-safety: {@link #write} under the database's commit lock, {@link #force} under its sync
 * lock (possibly at the same time), compaction and {@link #close} under both.
 */
final class DbFile implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(DbFile.class);

    /**
     * When to compact: after {@code minRecords} appends, once the log is {@code growthFactor} times its
     * base size, and no sooner than {@code minIntervalMs} after the last compaction (or the open).
     */
    record CompactionPolicy(int minRecords, long growthFactor, long minIntervalMs) {
        static final CompactionPolicy DEFAULT = new CompactionPolicy(100, 4, 10 * 60 * 1000L);

        /** Without a minimum interval (tests). */
        CompactionPolicy(int minRecords, long growthFactor) {
            this(minRecords, growthFactor, 0);
        }
    }

    private final DbLog log;
    private final DbSchema schema;
    private final CompactionPolicy policy;
    /** Transactions appended since the last snapshot record, and the file size just after it. */
    private int recordsSinceSnapshot;
    private long snapshotSize;
    private int failedCompactions;
    /** System.nanoTime() of the open or the last compaction. */
    private long lastCompactionNanos = System.nanoTime();

    private DbFile(DbLog log, DbSchema schema, CompactionPolicy policy) {
        this.log = log;
        this.schema = schema;
        this.policy = policy;
    }

    /** An open file and the state it held. */
    record Opened(DbFile file, Snapshot snapshot) {
    }

    /**
     * Opens (or creates) the database file for {@code schema}. A file written for another version of
     * the schema is read with this one and rewritten at once (columns this schema lacks are dropped).
     *
     * @throws IOException if the file cannot be used: unreadable, locked, another database, or a
     *         record that is intact but not a transaction
     */
    static Opened open(Path path, DbSchema schema, Map<String, TableSpec> specs, CompactionPolicy policy)
            throws IOException {
        List<DbLog.Record> records = new ArrayList<>();
        DbLog log = DbLog.open(path, List.of(FileRecords.schema(schema)), records);
        DbFile file = new DbFile(log, schema, policy);
        try {
            Snapshot snapshot = file.load(records, specs);
            return new Opened(file, snapshot);
        } catch (IOException | RuntimeException e) {
            log.close();
            throw e;
        }
    }

    private Snapshot load(List<DbLog.Record> records, Map<String, TableSpec> specs) throws IOException {
        if (records.isEmpty()) {
            throw new IOException(log.file() + ": no schema record; the file is not an OVSDB database");
        }
        JsonNode fileSchema = records.get(0).json();
        String name = fileSchema.path("name").asText("");
        String version = fileSchema.path("version").asText("");
        if (!name.equals(schema.name())) {
            throw new IOException(log.file() + " holds database \"" + name + "\", not \"" + schema.name() + "\"");
        }
        Map<String, Map<UUID, Row>> tables = new LinkedHashMap<>();
        Set<String> warned = new HashSet<>();
        for (int i = 1; i < records.size(); i++) {
            FileRecords.replay(records.get(i).json(), specs, tables,
                    log.file() + ": record " + i + " at offset " + records.get(i).offset(), warned);
        }
        // The first transaction record is the base snapshot (after compaction it holds everything).
        snapshotSize = records.size() > 2 ? records.get(2).offset() : log.size();
        recordsSinceSnapshot = Math.max(0, records.size() - 2);
        Map<String, List<Row>> rows = new LinkedHashMap<>();
        tables.forEach((t, byUuid) -> rows.put(t, new ArrayList<>(byUuid.values())));
        Snapshot snapshot = Snapshot.build(specs, records.size() - 1, rows);
        LOG.info("{}: opened database {} {} ({} transactions, {} bytes)", log.file(), name, version,
                records.size() - 1, log.size());
        if (!version.equals(schema.version())) {
            LOG.info("{}: converting from schema version {} to {}", log.file(), version, schema.version());
            compact(snapshot);
        } else {
            compactIfDue(snapshot);
        }
        return snapshot;
    }

    /**
     * Appends the transaction, not yet forced to disk (see {@link #force}), unless it changed only
     * ephemeral columns.
     */
    void write(CommitPlan plan, String comment) throws IOException {
        byte[] record = FileRecords.transaction(plan, comment, System.currentTimeMillis());
        if (record != null) {
            log.write(record);
            recordsSinceSnapshot++;
        }
    }

    /** See {@link DbLog#discardUnforced}. */
    void discardUnforced() throws IOException {
        log.discardUnforced();
    }

    /** Forces every transaction written so far to disk (one fdatasync for a whole group of commits). */
    void force() throws IOException {
        log.force();
    }

    /** Compacts if the log has grown enough; a failure is logged and retried after more growth. */
    void compactIfDue(Snapshot snapshot) {
        int due = policy.minRecords() * (1 + failedCompactions);
        if (recordsSinceSnapshot < due || log.size() < policy.growthFactor() * snapshotSize
                || System.nanoTime() - lastCompactionNanos < policy.minIntervalMs() * 1_000_000L) {
            return;
        }
        try {
            compact(snapshot);
            failedCompactions = 0;
        } catch (IOException e) {
            failedCompactions++;
            LOG.warn("{}: compacting failed, the log keeps growing: {}", log.file(), e.toString());
        }
    }

    /** Rewrites the file as the schema plus one record holding {@code snapshot}. */
    void compact(Snapshot snapshot) throws IOException {
        long before = log.size();
        log.replace(List.of(FileRecords.schema(schema),
                FileRecords.snapshot(snapshot, "compacted by jvswitch", System.currentTimeMillis())));
        LOG.info("{}: compacted {} transactions, {} bytes -> {} bytes", log.file(), recordsSinceSnapshot, before,
                log.size());
        snapshotSize = log.size();
        recordsSinceSnapshot = 0;
        lastCompactionNanos = System.nanoTime();
    }

    Path path() {
        return log.file();
    }

    @Override
    public void close() throws IOException {
        log.close();
    }
}
