package org.jvswitch.netdev.vhost;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;

import org.jvswitch.api.dpdk.DpdkEnvironment;
import org.jvswitch.api.netdev.Netdev;
import org.jvswitch.api.netdev.NetdevException;
import org.jvswitch.api.netdev.NetdevProvider;
import org.jvswitch.api.ovsdb.DbRow;
import org.jvswitch.api.ovsdb.Ovsdb;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * The {@code dpdkvhostuser} (jvswitch creates the socket, the guest connects) and
 * {@code dpdkvhostuserclient} (the guest's socket at {@code options:vhost-server-path}, jvswitch
 * connects and reconnects) port types. Active only while DPDK is: with netdev-dpdk stopped its
 * {@link DpdkEnvironment} is gone, this component with it, and the ports show the unknown-type
 * error until it returns.
 */
@Component(immediate = true, service = {})
public final class VhostProviders {
    private final List<ServiceRegistration<?>> registrations = new ArrayList<>();
    private final Vhost vhost;
    private final DpdkEnvironment env;
    private final Ovsdb db;
    private final Path rundir;

    @Activate
    public VhostProviders(@Reference DpdkEnvironment env, @Reference Ovsdb db, BundleContext ctx) {
        this.env = env;
        this.db = db;
        this.vhost = Vhost.load();
        VhostPorts.use(vhost);
        String run = ctx.getProperty("jvswitch.rundir");
        String var = ctx.getProperty("jvswitch.var");
        this.rundir = run != null ? Path.of(run) : var != null ? Path.of(var, "run") : Path.of("/var/run/openvswitch");
        for (String type : List.of("dpdkvhostuser", "dpdkvhostuserclient")) {
            registrations.add(ctx.registerService(NetdevProvider.class, new Provider(type),
                    new Hashtable<>(Map.of(NetdevProvider.TYPE_PROPERTY, type))));
        }
    }

    @Deactivate
    public void deactivate() {
        for (ServiceRegistration<?> r : registrations) {
            try {
                r.unregister();
            } catch (IllegalStateException gone) {
                // the framework is stopping this bundle
            }
        }
        registrations.clear();
    }

    private Map<String, String> otherConfig() {
        DbRow ovs = db.snapshot().rows("Open_vSwitch").stream().findFirst().orElse(null);
        return ovs == null ? Map.of() : ovs.getStringMap("other_config");
    }

    /** Open vSwitch's vhost-sock-dir: relative to the run directory; absolute paths and ".." refused. */
    private Path sockDir() throws NetdevException {
        String dir = otherConfig().get("vhost-sock-dir");
        if (dir == null || dir.isBlank()) {
            return rundir;
        }
        if (dir.startsWith("/") || dir.contains("..")) {
            throw new NetdevException(NetdevException.EINVAL, "vhost-sock-dir " + dir
                    + " must be a directory under the run directory " + rundir);
        }
        return rundir.resolve(dir);
    }

    private final class Provider implements NetdevProvider {
        private final String type;

        Provider(String type) {
            this.type = type;
        }

        @Override
        public String type() {
            return type;
        }

        @Override
        public boolean isPmd() {
            return true;
        }

        /** Bridge thread: creates the socket or starts connecting; returns at once either way. */
        @Override
        public Netdev construct(String name, Map<String, String> options) throws NetdevException {
            boolean client = type.equals("dpdkvhostuserclient");
            Path socket;
            if (client) {
                String path = options.get("vhost-server-path");
                if (path == null || path.isBlank()) {
                    throw new NetdevException(NetdevException.EINVAL, "'" + name + "' is missing 'options:vhost-server-path'");
                }
                socket = Path.of(path);
            } else {
                if (name.contains("/")) {
                    throw new NetdevException(NetdevException.EINVAL, "'" + name + "' is not a valid vhost-user port name");
                }
                socket = sockDir().resolve(name);
            }
            boolean iommu = Boolean.parseBoolean(otherConfig().getOrDefault("vhost-iommu-support", "false"));
            VhostNetdev n = new VhostNetdev(vhost, env, name, type, socket, client, iommu, options);
            VhostPorts.add(n);
            try {
                n.start();
            } catch (NetdevException | RuntimeException e) {
                n.destruct();
                throw e;
            }
            return n;
        }
    }
}
