package org.jvswitch.core.dpif;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jvswitch.api.dpif.Dpif;
import org.jvswitch.api.dpif.DpifProvider;
import org.jvswitch.api.netdev.Netdev;
import org.jvswitch.api.registry.NetdevRegistry;
import org.jvswitch.api.registry.NetdevRegistryListener;
import org.jvswitch.api.unixctl.UnixctlCommand;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * The "netdev" datapath class (Open vSwitch's {@code dpif_netdev_class}): one userspace datapath
 * per name, shared by every bridge whose {@code datapath_type} is netdev. Takes a port out of its
 * datapath when the port's provider bundle stops, and registers the datapath's control commands.
 */
@Component(service = DpifProvider.class, immediate = true, property = DpifProvider.TYPE_PROPERTY + "=netdev")
public final class DpNetdevProvider implements DpifProvider, NetdevRegistryListener {
    private final NetdevRegistry registry;
    private final Map<String, DpNetdev> datapaths = new ConcurrentHashMap<>();
    private final List<ServiceRegistration<?>> commands = new ArrayList<>();

    @Activate
    public DpNetdevProvider(@Reference NetdevRegistry registry, BundleContext ctx) {
        this.registry = registry;
        registry.addListener(this);
        DpifNetdevCommands cmds = new DpifNetdevCommands(this);
        for (UnixctlCommand c : cmds.all()) {
            commands.add(ctx.registerService(UnixctlCommand.class, c, UnixctlCommand.properties(c)));
        }
    }

    /** For tests outside OSGi. */
    public DpNetdevProvider(NetdevRegistry registry) {
        this.registry = registry;
        registry.addListener(this);
    }

    @Override
    public String type() {
        return "netdev";
    }

    @Override
    public synchronized Dpif open(String name) {
        return datapaths.computeIfAbsent(name, n -> new DpNetdev(n, registry));
    }

    List<DpNetdev> datapaths() {
        return new ArrayList<>(datapaths.values());
    }

    @Override
    public void netdevRemoving(Netdev netdev) {
        for (DpNetdev dp : datapaths.values()) {
            dp.portDelNetdev(netdev);
        }
    }

    @Deactivate
    public synchronized void deactivate() {
        for (ServiceRegistration<?> r : commands) {
            try {
                r.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the framework is tearing the bundle down
            }
        }
        commands.clear();
        registry.removeListener(this);
        for (DpNetdev dp : datapaths.values()) {
            dp.close();
        }
        datapaths.clear();
    }
}
