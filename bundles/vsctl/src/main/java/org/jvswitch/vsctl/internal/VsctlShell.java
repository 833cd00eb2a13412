package org.jvswitch.vsctl.internal;

import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;

import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.Function;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * Publishes every ovs-vsctl command as the Gogo command {@code vsctl:NAME}, plus {@code vsctl:vsctl}
 * for a whole command line. Each name is its own {@link Function} service: Gogo's CommandProxy
 * calls a Function without telling it which of its osgi.command.function names was typed, so one
 * service for all names could not know the command.
 */
@Component(immediate = true)
public final class VsctlShell {
    static final String SCOPE = "vsctl";

    private final List<ServiceRegistration<Function>> registrations = new ArrayList<>();

    @Activate
    public VsctlShell(@Reference(name = "vsctl") Vsctl vsctl, BundleContext context) {
        List<String> names = new ArrayList<>(Vsctl.commandNames());
        names.add(VsctlFunction.WHOLE_COMMAND_LINE);
        for (String name : names) {
            Dictionary<String, Object> props = new Hashtable<>();
            props.put(CommandProcessor.COMMAND_SCOPE, SCOPE);
            props.put(CommandProcessor.COMMAND_FUNCTION, new String[] {name});
            props.put(Constants.SERVICE_DESCRIPTION, "ovs-vsctl " + name);
            registrations.add(context.registerService(Function.class, new VsctlFunction(vsctl, name), props));
        }
    }

    @Deactivate
    void deactivate() {
        for (ServiceRegistration<Function> r : registrations) {
            try {
                r.unregister();
            } catch (IllegalStateException e) {
                // Already gone: the framework unregisters a stopping bundle's services itself.
            }
        }
        registrations.clear();
    }
}
