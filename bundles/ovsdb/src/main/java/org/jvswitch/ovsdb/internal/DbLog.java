package org.jvswitch.ovsdb.internal;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The append-only record file of a standalone Open vSwitch database (Open vSwitch's ovsdb/log.c),
 * byte-compatible with it so that {@code ovsdb-tool} reads what jvswitch writes and the reverse.
 * Each record is
 *
 * <pre>OVSDB JSON &lt;length&gt; &lt;sha1&gt;\n&lt;json&gt;\n</pre>
 *
 * where length and SHA-1 (lower-case hex) cover the JSON text and its trailing newline.
 *
 * <p>Crash safety: a record is appended and forced to disk before the commit returns (several
 * commits may share one force: group commit); a crash in
 * the middle leaves a torn last record, which {@link #open} discards, truncating the file to the
 * last good record. Compaction writes a new file beside the old one and renames it over it, so the
 * file is always either the old or the new complete log.
 *
 * <p>Like ovsdb-server, the log holds an fcntl lock on {@code .NAME.~lock~} in the same directory
 * while open, so that {@code ovsdb-tool transact}/{@code compact} or a second switch refuse to write
 * the same file; {@code ovsdb-tool show-log} and {@code query} still read it.
 *
 * <p>Thread-safety: {@link #write}, {@link #replace} and {@link #close} under the database's commit
 * lock; {@link #force} under its sync lock, possibly concurrently with a {@link #write}.
 */
final class DbLog implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(DbLog.class);
    private static final String MAGIC = "OVSDB JSON";
    /** "OVSDB JSON " + up to 20 length digits + " " + 40 hex digits + "\n", with slack. */
    private static final int MAX_HEADER = 100;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** A record read from the file, at its byte offset. */
    record Record(long offset, JsonNode json) {
    }

    private final Path file;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private volatile FileChannel channel;
    /** Offset just after the last good record: where the next record goes. Volatile: read by {@link #force}. */
    private volatile long end;
    /** Offset up to which the file is known to be on disk (after the last successful force). */
    private volatile long forcedEnd;
    /**
     * Set when a failed append could not be undone or a force failed; then no further appends are
     * attempted. Volatile: {@link #force} may run on another thread than {@link #write}.
     */
    private volatile IOException broken;

    private DbLog(Path file, FileChannel lockChannel, FileLock lock) {
        this.file = file;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /**
     * Locks and opens {@code file}, creating it with {@code initialRecords} if it does not exist or is
     * empty, and returns the log positioned for appending. The records read are passed to
     * {@code reader}; a torn or corrupt tail is logged and cut off.
     */
    static DbLog open(Path file, List<byte[]> initialRecords, List<Record> reader) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path lockFile = dir.resolve("." + file.getFileName() + ".~lock~");
        FileChannel lockChannel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = lockChannel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            lockChannel.close();
            throw new IOException(file + ": database is in use (" + lockFile + " is locked by another process"
                    + " or another database instance in this JVM)");
        }
        DbLog log = new DbLog(file, lockChannel, lock);
        try {
            if (!Files.exists(file) || Files.size(file) == 0) {
                LOG.info("{}: creating database", file);
                writeAtomically(file, initialRecords);
            }
            log.channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
            log.readAll(reader);
            log.forcedEnd = log.end;
            return log;
        } catch (IOException | RuntimeException e) {
            log.close();
            throw e;
        }
    }

    /** Reads every good record; stops at the first bad one and truncates the file there. */
    private void readAll(List<Record> out) throws IOException {
        long size = channel.size();
        long offset = 0;
        while (offset < size) {
            String problem;
            try {
                long next = readRecord(offset, size, out);
                if (next > 0) {
                    offset = next;
                    continue;
                }
                problem = "record is torn (file ends inside it)";
            } catch (BadRecord e) {
                problem = e.getMessage();
            }
            if (holdsMoreRecords(offset, size)) {
                // Not a torn last write but damage in the middle: keep what we are about to cut off.
                Path copy = file.resolveSibling(file.getFileName() + ".corrupt-" + System.currentTimeMillis());
                Files.copy(file, copy);
                LOG.error("{}: {} bytes starting at offset {} have been discarded ({}), including later"
                        + " transactions; the whole file was saved as {}", file, size - offset, offset, problem, copy);
            } else {
                LOG.warn("{}: {} bytes starting at offset {} have been discarded: {}", file, size - offset, offset,
                        problem);
            }
            channel.truncate(offset);
            channel.force(true);
            break;
        }
        end = offset;
    }

    /** True if another record header follows the bad record at {@code offset}. */
    private boolean holdsMoreRecords(long offset, long size) throws IOException {
        byte[] magic = ("\n" + MAGIC + " ").getBytes(StandardCharsets.US_ASCII);
        int chunk = 1 << 20;
        for (long pos = offset; pos < size; pos += chunk - magic.length) {
            byte[] data = read(pos, (int) Math.min(chunk, size - pos));
            for (int i = 0; i + magic.length <= data.length; i++) {
                if (Arrays.equals(data, i, i + magic.length, magic, 0, magic.length)) {
                    return true;
                }
            }
            if (pos + data.length >= size) {
                break;
            }
        }
        return false;
    }

    /** Offset after the record at {@code offset}, or 0 if the file ends inside it. */
    private long readRecord(long offset, long size, List<Record> out) throws IOException, BadRecord {
        byte[] head = read(offset, (int) Math.min(MAX_HEADER, size - offset));
        int nl = indexOf(head, (byte) '\n');
        if (nl < 0) {
            if (size - offset < MAX_HEADER && startsWith(head, MAGIC)) {
                return 0;
            }
            throw new BadRecord("no record header");
        }
        String header = new String(head, 0, nl, StandardCharsets.US_ASCII);
        String[] words = header.split(" ");
        if (words.length != 4 || !(words[0] + " " + words[1]).equals(MAGIC)
                || !words[2].matches("[0-9]{1,18}") || !words[3].matches("[0-9a-f]{40}")) {
            if (header.startsWith("OVSDB CLUSTER")) {
                throw new IOException(file + " is a clustered database; only standalone databases are supported");
            }
            throw new BadRecord("bad record header \"" + header + "\"");
        }
        long length = Long.parseLong(words[2]);
        long dataStart = offset + nl + 1;
        if (dataStart + length > size) {
            return 0;
        }
        if (length > Integer.MAX_VALUE - 8) {
            throw new BadRecord("record of " + length + " bytes is too long");
        }
        byte[] data = read(dataStart, (int) length);
        if (!sha1(data).equals(words[3])) {
            throw new BadRecord("record's SHA-1 does not match its header");
        }
        JsonNode json;
        try {
            json = MAPPER.readTree(data);
        } catch (IOException e) {
            throw new BadRecord("record is not valid JSON: " + e.getMessage());
        }
        if (json == null || !json.isObject()) {
            throw new BadRecord("record is not a JSON object");
        }
        out.add(new Record(offset, json));
        return dataStart + length;
    }

    /** Appends one record and forces it to disk. */
    void append(byte[] json) throws IOException {
        write(json);
        force();
    }

    /**
     * Appends one record without forcing it (group commit: {@link #force} later covers every record
     * written before it started). A failed write is cut off again, so the file still ends with the
     * last complete record.
     */
    void write(byte[] json) throws IOException {
        checkUsable();
        ByteBuffer buf = ByteBuffer.wrap(frame(json));
        try {
            long pos = end;
            while (buf.hasRemaining()) {
                pos += channel.write(buf, pos);
            }
            end = pos;
        } catch (IOException e) {
            try {
                channel.truncate(end);
            } catch (IOException e2) {
                e.addSuppressed(e2);
                broken = e;
            }
            throw e;
        }
    }

    /**
     * Forces every record written so far to disk. May run on another thread than {@link #write}
     * (FileChannel allows that); a record whose write returned before this call started is durable
     * when it returns. A failure makes the log unusable: after a failed fdatasync nobody knows
     * which of the written records are on disk.
     */
    void force() throws IOException {
        checkUsable();
        long upTo = end;
        try {
            // force(false) is fdatasync, which also persists the new file size needed to read the record.
            channel.force(false);
            forcedEnd = upTo;
        } catch (IOException e) {
            broken = e;
            throw e;
        }
    }

    /**
     * After a failed force: cuts off what was written since the last successful one, so that
     * the file holds no commit that was refused. Under the commit lock. Often fails too (a disk
     * that failed a write tends to be read-only now); the caller logs that.
     */
    void discardUnforced() throws IOException {
        channel.truncate(forcedEnd);
        end = forcedEnd;
    }

    private void checkUsable() throws IOException {
        IOException b = broken;
        if (b != null) {
            throw new IOException(file + ": log unusable after an earlier write error", b);
        }
    }

    /**
     * Replaces the whole log by {@code records} (compaction): written to a temporary file, forced,
     * renamed over the log and the directory forced, so a crash leaves one complete log or the other.
     */
    void replace(List<byte[]> records) throws IOException {
        writeAtomically(file, records);
        FileChannel old = channel;
        channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        end = channel.size();
        forcedEnd = end;   // written and forced as a whole
        broken = null;
        old.close();
    }

    long size() {
        return end;
    }

    Path file() {
        return file;
    }

    @Override
    public void close() throws IOException {
        try {
            if (channel != null) {
                channel.close();
            }
        } finally {
            if (lock.isValid()) {
                lock.release();
            }
            lockChannel.close();
        }
    }

    /** The header line followed by the JSON text and a newline, as Open vSwitch frames a record. */
    static byte[] frame(byte[] json) {
        byte[] data = new byte[json.length + 1];
        System.arraycopy(json, 0, data, 0, json.length);
        data[json.length] = '\n';
        byte[] header = (MAGIC + " " + data.length + " " + sha1(data) + "\n").getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[header.length + data.length];
        System.arraycopy(header, 0, out, 0, header.length);
        System.arraycopy(data, 0, out, header.length, data.length);
        return out;
    }

    private static void writeAtomically(Path file, List<byte[]> records) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            for (byte[] r : records) {
                ByteBuffer buf = ByteBuffer.wrap(frame(r));
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
            }
            ch.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        forceDirectory(file.toAbsolutePath().getParent());
    }

    /** Makes a rename durable; Linux allows fsync on a directory opened read-only. */
    private static void forceDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            LOG.debug("cannot fsync directory {}: {}", dir, e.toString());
        }
    }

    private byte[] read(long offset, int n) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(n);
        while (buf.hasRemaining()) {
            if (channel.read(buf, offset + buf.position()) < 0) {
                break;
            }
        }
        return buf.position() == n ? buf.array() : Arrays.copyOf(buf.array(), buf.position());
    }

    static String sha1(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is a required JCA algorithm", e);
        }
    }

    private static int indexOf(byte[] a, byte b) {
        for (int i = 0; i < a.length; i++) {
            if (a[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private static boolean startsWith(byte[] a, String prefix) {
        byte[] p = prefix.getBytes(StandardCharsets.US_ASCII);
        int n = Math.min(a.length, p.length);
        for (int i = 0; i < n; i++) {
            if (a[i] != p[i]) {
                return false;
            }
        }
        return true;
    }

    /** A record that is present but wrong: discarded like a torn one, with the reason logged. */
    private static final class BadRecord extends Exception {
        private static final long serialVersionUID = 1L;

        BadRecord(String message) {
            super(message, null, false, false);
        }
    }
}
