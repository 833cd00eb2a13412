package org.jvswitch.ovsdb.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real disk that fails writes on demand: an ext4 file system on a loop device whose backing
 * file lives on a 16 MiB tmpfs. Filling the tmpfs makes the loop device's writes fail, so the next
 * fdatasync on the ext4 returns an error (and the ext4 aborts its journal and turns read-only), as
 * a dying disk does. Needs root, losetup and mkfs.ext4 (CI runs as root). Everything is unmounted
 * and detached on close, also after a failure.
 */
final class FailingDisk implements AutoCloseable {
    private final Path backing;
    private final Path mount;
    private String loop;
    private boolean backingMounted;
    private boolean mounted;

    private FailingDisk(Path dir) {
        this.backing = dir.resolve("backing");
        this.mount = dir.resolve("disk");
    }

    static FailingDisk create(Path dir) throws IOException {
        if (!"root".equals(System.getProperty("user.name"))) {
            throw new IllegalStateException("FailingDisk needs root (mount, losetup); run the tests as CI does");
        }
        FailingDisk d = new FailingDisk(dir);
        try {
            Files.createDirectories(d.backing);
            Files.createDirectories(d.mount);
            run("mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", d.backing.toString());
            d.backingMounted = true;
            Path image = d.backing.resolve("image");
            run("truncate", "-s", "64M", image.toString());
            run("mkfs.ext4", "-q", "-F", image.toString());
            d.loop = run("losetup", "-f", "--show", image.toString()).out().strip();
            run("mount", d.loop, d.mount.toString());
            d.mounted = true;
            return d;
        } catch (IOException | RuntimeException e) {
            d.close();
            throw e;
        }
    }

    /** Where the ext4 is mounted. */
    Path path() {
        return mount;
    }

    /** Fills the tmpfs under the loop device: from now on the disk cannot write. */
    void fill() {
        // dd ends with "No space left on device", which is the point.
        Proc.run(Duration.ofSeconds(30), List.of("dd", "if=/dev/zero", "of=" + backing.resolve("filler"), "bs=1M",
                "count=64"));
    }

    /** Frees the tmpfs again; the ext4 stays read-only until {@link #remount}. */
    void free() throws IOException {
        Files.deleteIfExists(backing.resolve("filler"));
    }

    /** The administrator's repair: space freed, the file system unmounted and mounted again (its journal replayed). */
    void remount() throws IOException {
        free();
        run("umount", mount.toString());
        mounted = false;
        run("mount", loop, mount.toString());
        mounted = true;
    }

    private static Proc.Result run(String... command) throws IOException {
        Proc.Result r = Proc.run(Duration.ofSeconds(60), List.of(command));
        if (r.rc() != 0) {
            throw new IOException(String.join(" ", command) + ": " + r);
        }
        return r;
    }

    @Override
    public void close() {
        if (mounted) {
            Proc.run(Duration.ofSeconds(30), List.of("umount", mount.toString()));
        }
        if (loop != null) {
            Proc.run(Duration.ofSeconds(30), List.of("losetup", "-d", loop));
        }
        if (backingMounted) {
            Proc.run(Duration.ofSeconds(30), List.of("umount", backing.toString()));
        }
    }
}
