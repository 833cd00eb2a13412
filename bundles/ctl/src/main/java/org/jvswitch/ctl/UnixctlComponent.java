package org.jvswitch.ctl;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Optional;

import org.jvswitch.api.unixctl.UnixctlCommand;
import org.jvswitch.ctl.commands.ListCommandsCommand;
import org.jvswitch.ctl.shell.ShellCommandRegistrar;
import org.jvswitch.ctl.unixctl.CommandTable;
import org.jvswitch.ctl.unixctl.RunDir;
import org.jvswitch.ctl.unixctl.UnixctlEndpoint;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control plane's front door: collects every {@link UnixctlCommand} service into one table and
 * serves it on the control socket (for ovs-appctl and bin/jvswitch) and in the Gogo shell (as
 * {@code appctl:NAME}). Also contributes {@code list-commands}, which needs the table.
 *
 * <p>Without a run directory ({@code jvswitch.rundir} or {@code jvswitch.var}) there is no socket,
 * but the shell commands still work; an unusable run directory is logged and treated the same way,
 * so a second jvswitch on the same directory keeps its shell instead of failing to start.
 */
@Component(immediate = true)
public final class UnixctlComponent {
    private static final Logger LOG = LoggerFactory.getLogger(UnixctlComponent.class);

    private final CommandTable table = new CommandTable();
    private ShellCommandRegistrar shell;
    private ServiceRegistration<UnixctlCommand> listCommands;
    private UnixctlEndpoint endpoint;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addCommand(UnixctlCommand command) {
        table.add(command);
    }

    void removeCommand(UnixctlCommand command) {
        table.remove(command);
    }

    @Activate
    void activate(BundleContext context) {
        shell = new ShellCommandRegistrar(context);
        table.addListener(shell);

        ListCommandsCommand list = new ListCommandsCommand(table);
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(UnixctlCommand.NAME_PROPERTY, list.name());
        listCommands = context.registerService(UnixctlCommand.class, list, props);

        Optional<Path> rundir = RunDir.resolve(context::getProperty);
        if (rundir.isEmpty()) {
            LOG.warn("neither {} nor {} is set: not listening for ovs-appctl (the shell's appctl:* commands still work)",
                    RunDir.RUNDIR_PROPERTY, RunDir.VAR_PROPERTY);
            return;
        }
        try {
            endpoint = UnixctlEndpoint.open(rundir.get(), table);
        } catch (IOException | RuntimeException e) {
            LOG.error("{}: cannot serve ovs-appctl: {}", rundir.get(), e.toString());
        }
    }

    @Deactivate
    void deactivate() {
        if (endpoint != null) {
            endpoint.close();
            endpoint = null;
        }
        unregisterQuietly(listCommands);
        table.removeListener(shell);
        shell.close();
    }

    private static void unregisterQuietly(ServiceRegistration<?> registration) {
        try {
            registration.unregister();
        } catch (IllegalStateException e) {
            // The framework already did it (bundle stopping).
        }
    }
}
