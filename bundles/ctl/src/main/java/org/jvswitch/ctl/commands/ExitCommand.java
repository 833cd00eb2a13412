package org.jvswitch.ctl.commands;

import java.util.List;

import org.jvswitch.api.unixctl.UnixctlCommand;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code exit [--cleanup]}, as ovs-vswitchd registers it: stops the whole framework cleanly.
 *
 * <p>The stop runs on its own thread because it deactivates the server that is running this very
 * command; the server lets a command in progress write its reply before closing the connection, so
 * ovs-appctl gets its (empty) answer and exits 0. {@code --cleanup} is accepted for compatibility; the
 * bundles already release everything they hold when they stop.
 */
@Component(service = UnixctlCommand.class, property = UnixctlCommand.NAME_PROPERTY + "=exit")
public final class ExitCommand implements UnixctlCommand {
    private static final Logger LOG = LoggerFactory.getLogger(ExitCommand.class);

    private final Runnable shutdown;

    @Activate
    public ExitCommand(BundleContext context) {
        this(() -> stopFramework(context));
    }

    /** @param shutdown what stopping means; it runs on a new thread */
    public ExitCommand(Runnable shutdown) {
        this.shutdown = shutdown;
    }

    @Override
    public String name() {
        return "exit";
    }

    @Override
    public String usage() {
        return "[--cleanup]";
    }

    @Override
    public int minArgs() {
        return 0;
    }

    @Override
    public int maxArgs() {
        return 1;
    }

    @Override
    public String execute(List<String> args) {
        LOG.info("exit requested through unixctl");
        Thread.ofPlatform().name("unixctl-exit").start(shutdown);
        return "";
    }

    private static void stopFramework(BundleContext context) {
        try {
            context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION).stop();
        } catch (BundleException | IllegalStateException e) {
            LOG.error("exit: could not stop the framework", e);
        }
    }
}
