package org.jvswitch.ctl.shell;

import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.Map;

import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.Function;
import org.jvswitch.api.unixctl.UnixctlCommand;
import org.jvswitch.ctl.unixctl.CommandTable;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mirrors the command table into the Gogo shell: each command serving a name is registered as a
 * {@link Function} service with {@code osgi.command.scope=appctl} and {@code osgi.command.function=NAME},
 * which the Gogo runtime picks up as {@code appctl:NAME}; it is unregistered when the command goes.
 */
public final class ShellCommandRegistrar implements CommandTable.Listener, AutoCloseable {
    public static final String SCOPE = "appctl";
    private static final Logger LOG = LoggerFactory.getLogger(ShellCommandRegistrar.class);

    private final BundleContext context;
    private final Map<String, ServiceRegistration<Function>> registrations = new HashMap<>();

    public ShellCommandRegistrar(BundleContext context) {
        this.context = context;
    }

    @Override
    public synchronized void added(String name, UnixctlCommand command) {
        unregister(name);
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(CommandProcessor.COMMAND_SCOPE, SCOPE);
        props.put(CommandProcessor.COMMAND_FUNCTION, name);
        props.put(Constants.SERVICE_DESCRIPTION, "ovs-appctl " + name);
        registrations.put(name, context.registerService(Function.class, new AppctlFunction(name, command), props));
        LOG.debug("shell command {}:{} registered", SCOPE, name);
    }

    @Override
    public synchronized void removed(String name, UnixctlCommand command) {
        unregister(name);
    }

    @Override
    public synchronized void close() {
        registrations.keySet().stream().toList().forEach(this::unregister);
    }

    private void unregister(String name) {
        ServiceRegistration<Function> registration = registrations.remove(name);
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException e) {
                // Already gone: the framework unregisters a stopping bundle's services itself.
            }
        }
    }
}
