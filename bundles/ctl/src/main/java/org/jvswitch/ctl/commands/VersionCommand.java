package org.jvswitch.ctl.commands;

import java.util.List;

import org.jvswitch.api.unixctl.UnixctlCommand;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/**
 * {@code version}: "ovs-vswitchd (jvswitch) VERSION", shaped like ovs_get_program_version()'s
 * "ovs-vswitchd (Open vSwitch) 3.1.0" so scripts that parse it keep working.
 */
@Component(service = UnixctlCommand.class, property = UnixctlCommand.NAME_PROPERTY + "=version")
public final class VersionCommand implements UnixctlCommand {
    private final String version;

    @Activate
    public VersionCommand(BundleContext context) {
        this(context.getBundle().getVersion().toString());
    }

    public VersionCommand(String version) {
        this.version = version;
    }

    @Override
    public String name() {
        return "version";
    }

    @Override
    public String usage() {
        return "";
    }

    @Override
    public int minArgs() {
        return 0;
    }

    @Override
    public int maxArgs() {
        return 0;
    }

    @Override
    public String execute(List<String> args) {
        return "ovs-vswitchd (jvswitch) " + version + "\n";
    }
}
