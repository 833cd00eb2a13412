package org.jvswitch.ctl.unixctl;

import java.nio.file.Path;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Where the pidfile and control socket go, Open vSwitch's ovs_rundir(): framework property
 * {@code jvswitch.rundir}, else {@code ${jvswitch.var}/run}. Relative paths are taken against the
 * working directory, which is the distribution's root when started by bin/jvswitch.
 */
public final class RunDir {
    public static final String RUNDIR_PROPERTY = "jvswitch.rundir";
    public static final String VAR_PROPERTY = "jvswitch.var";

    private RunDir() {
    }

    /** @param properties looks a property up, e.g. {@code BundleContext::getProperty} */
    public static Optional<Path> resolve(UnaryOperator<String> properties) {
        String rundir = properties.apply(RUNDIR_PROPERTY);
        if (rundir != null && !rundir.isBlank()) {
            return Optional.of(Path.of(rundir.strip()).toAbsolutePath().normalize());
        }
        String var = properties.apply(VAR_PROPERTY);
        if (var != null && !var.isBlank()) {
            return Optional.of(Path.of(var.strip(), "run").toAbsolutePath().normalize());
        }
        return Optional.empty();
    }

    public static Path pidFile(Path rundir, String program) {
        return rundir.resolve(program + ".pid");
    }

    /** {@code <rundir>/<program>.<pid>.ctl}, the name ovs-appctl derives from the pidfile. */
    public static Path controlSocket(Path rundir, String program, long pid) {
        return rundir.resolve(program + "." + pid + ".ctl");
    }
}
