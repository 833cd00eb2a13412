package org.jvswitch.ovsdb.server;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Where and how the server listens, from framework properties:
 * <ul>
 * <li>{@value #RUNDIR}, else {@code ${jvswitch.var}/run}: the run directory; the server listens on
 * {@code punix:<rundir>/db.sock} there, as ovs-ctl starts ovsdb-server. With neither property,
 * no default socket.</li>
 * <li>{@value #REMOTES}: more remotes, comma separated, {@code punix:PATH} or
 * {@code ptcp:PORT[:IP]}.</li>
 * <li>{@value #MAX_MESSAGE}: the largest JSON text accepted, in bytes (default 32 MiB).</li>
 * <li>{@value #PRIVATE_KEY}, {@value #CERTIFICATE}, {@value #CA_CERT}: the PEM files for
 * {@code pssl:} and {@code ssl:} remotes, as ovsdb-server's {@code --private-key},
 * {@code --certificate} and {@code --ca-cert}. Without them, the {@code SSL} row that
 * {@code Open_vSwitch.ssl} references is used ({@code ovs-vsctl set-ssl}), as ovs-ctl starts
 * ovsdb-server with {@code --private-key=db:Open_vSwitch,SSL,private_key} and so on.</li>
 * </ul>
 *
 * @param remotes    where to listen
 * @param maxMessage the largest JSON text a client may send; a longer one closes its connection
 * @param maxBacklog the most bytes queued for a client that does not read; more closes its connection
 * @param probeMs    tcp inactivity probe interval (Open vSwitch's default 5 s); 0 for none
 */
public record ServerConfig(List<String> remotes, long maxMessage, long maxBacklog, long probeMs, SslFiles ssl) {
    public static final String RUNDIR = "jvswitch.rundir";
    public static final String VAR = "jvswitch.var";
    public static final String REMOTES = "jvswitch.ovsdb.remotes";
    public static final String MAX_MESSAGE = "jvswitch.ovsdb.max-message";
    public static final String PRIVATE_KEY = "jvswitch.ovsdb.private-key";
    public static final String CERTIFICATE = "jvswitch.ovsdb.certificate";
    public static final String CA_CERT = "jvswitch.ovsdb.ca-cert";

    public static final long DEFAULT_MAX_MESSAGE = 32L << 20;
    public static final long DEFAULT_MAX_BACKLOG = 256L << 20;
    public static final long DEFAULT_PROBE_MS = 5000;

    public ServerConfig {
        remotes = List.copyOf(remotes);
    }

    /** No SSL files of its own: SSL remotes use the database's SSL row. */
    public ServerConfig(List<String> remotes, long maxMessage, long maxBacklog, long probeMs) {
        this(remotes, maxMessage, maxBacklog, probeMs, null);
    }

    /** The same with these SSL files (paths; null or blank for none). */
    public ServerConfig withSsl(String privateKey, String certificate, String caCert) {
        return new ServerConfig(remotes, maxMessage, maxBacklog, probeMs, SslFiles.of(privateKey, certificate, caCert));
    }

    /** Only these remotes, default limits. */
    public static ServerConfig of(String... remotes) {
        return new ServerConfig(List.of(remotes), DEFAULT_MAX_MESSAGE, DEFAULT_MAX_BACKLOG, DEFAULT_PROBE_MS);
    }

    /** From properties ({@code BundleContext::getProperty}). */
    public static ServerConfig from(Function<String, String> properties) {
        List<String> remotes = new ArrayList<>();
        String rundir = properties.apply(RUNDIR);
        String var = properties.apply(VAR);
        // As the unixctl socket's run directory: relative paths against the working directory.
        if (rundir != null && !rundir.isBlank()) {
            remotes.add("punix:" + Path.of(rundir.strip()).toAbsolutePath().normalize().resolve("db.sock"));
        } else if (var != null && !var.isBlank()) {
            remotes.add("punix:" + Path.of(var.strip(), "run").toAbsolutePath().normalize().resolve("db.sock"));
        }
        String more = properties.apply(REMOTES);
        if (more != null) {
            for (String r : more.split(",")) {
                if (!r.isBlank() && !remotes.contains(r.strip())) {
                    remotes.add(r.strip());
                }
            }
        }
        String max = properties.apply(MAX_MESSAGE);
        long maxMessage = max == null || max.isBlank() ? DEFAULT_MAX_MESSAGE : Long.parseLong(max.strip());
        return new ServerConfig(remotes, maxMessage, DEFAULT_MAX_BACKLOG, DEFAULT_PROBE_MS)
                .withSsl(properties.apply(PRIVATE_KEY), properties.apply(CERTIFICATE), properties.apply(CA_CERT));
    }
}
