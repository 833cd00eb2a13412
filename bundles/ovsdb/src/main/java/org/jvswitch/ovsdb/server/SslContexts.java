package org.jvswitch.ovsdb.server;

import java.io.IOException;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

import javax.net.ssl.SSLContext;

import org.jvswitch.api.ovsdb.DbRow;
import org.jvswitch.api.ovsdb.DbSnapshot;

/**
 * The TLS context for pssl: and ssl: connections: from the server's own files when it was given
 * some, else from the {@code SSL} row that {@code Open_vSwitch.ssl} references, read at each
 * handshake. Built on the first connection that needs it and again when the files or the row
 * change.
 */
final class SslContexts {
    private final SslFiles configured;
    private final Supplier<DbSnapshot> database;
    private SslFiles builtFrom;
    private List<FileTime> builtStamps;
    private SSLContext built;

    SslContexts(SslFiles configured, Supplier<DbSnapshot> database) {
        this.configured = configured;
        this.database = database;
    }

    /** The SSL row's files, or null. */
    private static SslFiles fromDatabase(DbSnapshot s) {
        SslFiles files = null;
        for (DbRow ovs : s.rows("Open_vSwitch")) {
            for (Object ref : ovs.getSet("ssl")) {
                DbRow row = s.row("SSL", (UUID) ref);
                if (row != null) {
                    files = SslFiles.of(row.getString("private_key"), row.getString("certificate"),
                            row.getString("ca_cert"));
                }
            }
        }
        return files;
    }

    /** The context to use now; IOException says which file is missing or wrong. */
    synchronized SSLContext current() throws IOException {
        SslFiles files = configured != null ? configured : fromDatabase(database.get());
        if (files == null) {
            throw new IOException("no private key, certificate and CA certificate configured for SSL"
                    + " (ovs-vsctl set-ssl PRIVKEY CERT CACERT)");
        }
        List<FileTime> stamps = files.stamps();
        if (built == null || !files.equals(builtFrom) || !stamps.equals(builtStamps)) {
            built = files.context();
            builtFrom = files;
            builtStamps = stamps;
        }
        return built;
    }
}
