package org.jvswitch.ovsdb.server;

import java.io.IOException;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.UUID;

import javax.net.ssl.SSLContext;

import org.jvswitch.api.ovsdb.DbRow;
import org.jvswitch.api.ovsdb.DbSnapshot;

/**
 * The TLS context for pssl: and ssl: connections: from the server's own files when it was given
 * some, else from the {@code SSL} row that {@code Open_vSwitch.ssl} references. Built on the first
 * connection that needs it and again when the files or the row change.
 */
final class SslContexts {
    private final SslFiles configured;
    private volatile SslFiles fromDatabase;
    private SslFiles builtFrom;
    private List<FileTime> builtStamps;
    private SSLContext built;

    SslContexts(SslFiles configured) {
        this.configured = configured;
    }

    /** Takes the SSL row's files from a database snapshot (any thread). */
    void databaseChanged(DbSnapshot s) {
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
        fromDatabase = files;
    }

    /** The context to use now; IOException says which file is missing or wrong. */
    synchronized SSLContext current() throws IOException {
        SslFiles files = configured != null ? configured : fromDatabase;
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
