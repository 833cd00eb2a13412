package org.jvswitch.vsctl.internal;

import java.io.File;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jvswitch.api.ovsdb.Ovsdb;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ovs-vsctl in process: runs an ovs-vsctl command line against the configuration database and
 * returns what ovs-vsctl would print and its exit status. See {@link Invocation} for the steps.
 *
 * <p>Configuration (component properties): {@value #TIMEOUT_PROPERTY}, the longest wait in seconds
 * when no --timeout is given (default {@value #DEFAULT_TIMEOUT_SECONDS}; ovs-vsctl would wait
 * forever), and {@value #LOGDIR_PROPERTY}, the log directory named when an interface could not be
 * set up (default: {@code log} under the directory in the {@code jvswitch.var} system property,
 * where the distribution logs, else under the working directory).
 */
@Component(service = Vsctl.class, configurationPid = "org.jvswitch.vsctl")
public final class Vsctl {
    static final String TIMEOUT_PROPERTY = "vsctl.default.timeout";
    static final String LOGDIR_PROPERTY = "vsctl.logdir";
    static final int DEFAULT_TIMEOUT_SECONDS = 30;
    private static final Logger LOG = LoggerFactory.getLogger(Vsctl.class);

    private final Ovsdb db;
    private final int defaultTimeoutSeconds;
    private final String logDir;

    @Activate
    public Vsctl(@Reference(name = "ovsdb") Ovsdb db, Map<String, Object> properties) {
        this(db, intProperty(properties.get(TIMEOUT_PROPERTY), DEFAULT_TIMEOUT_SECONDS),
                properties.get(LOGDIR_PROPERTY) != null ? String.valueOf(properties.get(LOGDIR_PROPERTY))
                        : defaultLogDir());
    }

    Vsctl(Ovsdb db, int defaultTimeoutSeconds, String logDir) {
        this.db = db;
        this.defaultTimeoutSeconds = defaultTimeoutSeconds;
        this.logDir = logDir;
    }

    private static String defaultLogDir() {
        String var = System.getProperty("jvswitch.var");
        return new File(var != null ? new File(var) : new File("."), "log").getAbsoluteFile().toPath().normalize()
                .toString();
    }

    private static int intProperty(Object value, int dflt) {
        if (value == null) {
            return dflt;
        }
        try {
            int v = Integer.parseInt(String.valueOf(value).trim());
            return v > 0 ? v : dflt;
        } catch (NumberFormatException e) {
            LOG.warn("{}={} is not a positive number of seconds; using {}", TIMEOUT_PROPERTY, value, dflt);
            return dflt;
        }
    }

    /**
     * Runs one command line. {@code argv} is what follows "ovs-vsctl": global options, then
     * commands separated by "--". All commands run in one transaction: all or nothing.
     */
    public VsctlResult run(List<String> argv) {
        VsctlResult r = new Invocation(db, argv, defaultTimeoutSeconds, logDir).run();
        if (r.status() != 0) {
            LOG.debug("ovs-vsctl {} exited {}: {}", argv, r.status(), r.stderr().strip());
        }
        return r;
    }

    /** The names of all commands, for the shell. */
    public static Set<String> commandNames() {
        return CommandTable.COMMANDS.keySet();
    }
}
