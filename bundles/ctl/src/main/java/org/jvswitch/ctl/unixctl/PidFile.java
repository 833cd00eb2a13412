package org.jvswitch.ctl.unixctl;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ovs-vswitchd.pid}, written and locked as lib/daemon-unix.c does: the file holds the pid and a
 * newline, and the process keeps an fcntl write lock on it for its lifetime. ovs-appctl (and
 * ovs-ctl) check that the lock's owner is the pid in the file before trusting it, so a pidfile left by
 * a dead process is recognised as stale. On Linux {@link FileChannel#lock()} is exactly that lock.
 *
 * <p>Caution: POSIX record locks belong to the process and are dropped when <em>any</em> descriptor of
 * the file is closed by it. Nothing else in this JVM may open and close the pidfile while it is held
 * (not even to read it), or ovs-appctl will consider it stale.
 */
public final class PidFile implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PidFile.class);

    /**
     * Pidfiles this JVM holds. Checked before opening the file: merely opening and closing it again
     * to find out it is taken would drop our own lock (see above).
     */
    private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

    private final Path path;
    private final Path key;
    private final FileChannel channel;
    private final Object fileKey;

    private PidFile(Path path, Path key, FileChannel channel, Object fileKey) {
        this.path = path;
        this.key = key;
        this.channel = channel;
        this.fileKey = fileKey;
    }

    /**
     * Locks {@code path} (creating it if needed) and writes {@code pid} into it. A file left by a
     * dead process is taken over; a file locked by a live one is not touched.
     *
     * @throws PidFileLockedException if another process (or another server in this JVM) holds it
     */
    public static PidFile create(Path path, long pid) throws IOException {
        Path key = path.toAbsolutePath().normalize();
        if (!HELD.add(key)) {
            throw new PidFileLockedException(path);
        }
        try {
            return lockAndWrite(path, key, pid);
        } catch (IOException | RuntimeException e) {
            HELD.remove(key);
            throw e;
        }
    }

    private static PidFile lockAndWrite(Path path, Path key, long pid) throws IOException {
        Files.createDirectories(key.getParent());
        // No TRUNCATE_EXISTING: the content must stay intact until we know nobody else owns it.
        FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        try {
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                throw new PidFileLockedException(path);
            }
            channel.truncate(0);
            ByteBuffer content = ByteBuffer.wrap((pid + "\n").getBytes(StandardCharsets.US_ASCII));
            while (content.hasRemaining()) {
                channel.write(content, content.position());
            }
            channel.force(true);
            LOG.debug("{}: written and locked (pid {})", path, pid);
            return new PidFile(path, key, channel, UnixctlServer.fileKey(path));
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    public Path path() {
        return path;
    }

    /** Removes the file (if it is still ours) while holding the lock, then releases the lock. */
    @Override
    public synchronized void close() {
        if (!channel.isOpen()) {
            return;
        }
        try {
            if (Objects.equals(UnixctlServer.fileKey(path), fileKey)) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            LOG.warn("{}: could not remove pidfile: {}", path, e.toString());
        }
        try {
            channel.close();
        } catch (IOException e) {
            LOG.debug("{}: close failed: {}", path, e.toString());
        } finally {
            HELD.remove(key);
        }
    }

    /** The pidfile is held by a live process: another ovs-vswitchd (or jvswitch) uses this run directory. */
    public static final class PidFileLockedException extends IOException {
        private static final long serialVersionUID = 1L;

        PidFileLockedException(Path path) {
            super(path + ": already locked by another running process");
        }
    }
}
