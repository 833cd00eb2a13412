package org.jvswitch.ovsdb.internal;

import java.nio.file.Path;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the database file lives: framework property {@value #DB_FILE}, else {@code conf.db} in the
 * directory of {@value #VAR} (like Open vSwitch's {@code $OVS_DBDIR/conf.db}), else nowhere: the
 * database is then kept in memory only.
 */
final class DbLocation {
    static final String DB_FILE = "jvswitch.db.file";
    static final String VAR = "jvswitch.var";

    private static final Logger LOG = LoggerFactory.getLogger(DbLocation.class);

    private DbLocation() {
    }

    /** The file, or null for memory only; {@code properties} is BundleContext::getProperty. */
    static Path resolve(Function<String, String> properties) {
        String file = properties.apply(DB_FILE);
        if (file != null && !file.isBlank()) {
            return Path.of(file);
        }
        String var = properties.apply(VAR);
        if (var != null && !var.isBlank()) {
            return Path.of(var, "conf.db");
        }
        LOG.warn("neither {} nor {} is set: the configuration database is kept in memory only and lost"
                + " when the switch stops", DB_FILE, VAR);
        return null;
    }
}
