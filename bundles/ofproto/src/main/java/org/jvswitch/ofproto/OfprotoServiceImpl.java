package org.jvswitch.ofproto;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.jvswitch.api.dpif.DpifException;
import org.jvswitch.api.dpif.DpifProvider;
import org.jvswitch.api.ofproto.Ofproto;
import org.jvswitch.api.ofproto.OfprotoException;
import org.jvswitch.api.ofproto.OfprotoService;
import org.jvswitch.api.unixctl.UnixctlCommand;
import org.jvswitch.ofproto.ofp.OfpListener;
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
 * Creates bridges' ofprotos on the datapath of their type, one shared backer per type (Open
 * vSwitch's ofproto-dpif), runs the revalidator, and registers the OpenFlow layer's commands
 * ({@code fdb/show}, {@code fdb/flush}, {@code dpif/show}, {@code dpif/dump-dps}). With a run
 * directory (framework property {@code jvswitch.rundir}, else {@code ${jvswitch.var}/run}) each
 * bridge listens for OpenFlow on {@code <rundir>/<bridge>.mgmt} while it exists.
 */
@Component(service = OfprotoService.class, immediate = true)
public final class OfprotoServiceImpl implements OfprotoService {
    private static final Logger LOG = LoggerFactory.getLogger(OfprotoServiceImpl.class);

    private final Map<String, DpifProvider> providers = new ConcurrentHashMap<>();
    private final Map<String, Backer> backers = new ConcurrentHashMap<>();
    private final Map<String, OfprotoDpif> bridges = new ConcurrentHashMap<>();
    private final List<ServiceRegistration<?>> registrations = new ArrayList<>();
    private final ScheduledExecutorService revalidatorThread;
    private final Revalidator revalidator = new Revalidator(this);
    private final Map<String, OfpListener> listeners = new ConcurrentHashMap<>();
    /** Each bridge's snoop socket, {@code <rundir>/<bridge>.snoop}. */
    private final Map<String, OfpListener> snoops = new ConcurrentHashMap<>();
    private final Path rundir;
    private Map<String, String> datapathConfig = Map.of();

    @Activate
    public OfprotoServiceImpl(BundleContext ctx) {
        this(rundir(ctx));
        for (UnixctlCommand c : new OfprotoCommands(this).all()) {
            registrations.add(ctx.registerService(UnixctlCommand.class, c, UnixctlCommand.properties(c)));
        }
    }

    /** Outside OSGi (tests): no commands registered, no management sockets. */
    public OfprotoServiceImpl() {
        this((Path) null);
    }

    /** Outside OSGi (tests): no commands registered; management sockets in {@code rundir} if not null. */
    public OfprotoServiceImpl(Path rundir) {
        this.rundir = rundir;
        revalidatorThread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "revalidator");
            t.setDaemon(true);
            return t;
        });
        revalidatorThread.scheduleWithFixedDelay(this::revalidate, 500, 500, TimeUnit.MILLISECONDS);
    }

    /** Open vSwitch's ovs_rundir(): {@code jvswitch.rundir}, else {@code ${jvswitch.var}/run}, else none. */
    private static Path rundir(BundleContext ctx) {
        String dir = ctx.getProperty("jvswitch.rundir");
        if (dir != null && !dir.isBlank()) {
            return Path.of(dir.strip()).toAbsolutePath().normalize();
        }
        String var = ctx.getProperty("jvswitch.var");
        if (var != null && !var.isBlank()) {
            return Path.of(var.strip(), "run").toAbsolutePath().normalize();
        }
        return null;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    public void addDpifProvider(DpifProvider provider) {
        providers.put(provider.type(), provider);
    }

    public void removeDpifProvider(DpifProvider provider) {
        providers.remove(provider.type(), provider);
        Backer b = backers.remove(provider.type());
        if (b != null) {
            LOG.warn("datapath type {} went away; bridges on it stop forwarding until it returns", provider.type());
            for (OfprotoDpif o : b.ofprotos) {
                if (bridges.remove(o.name(), o)) {
                    stopListening(o.name());
                }
            }
        }
    }

    @Override
    public synchronized Ofproto create(String name, String datapathType) throws OfprotoException {
        String type = datapathType == null || datapathType.isEmpty() || datapathType.equals("system")
                ? "netdev" : datapathType;
        if (bridges.containsKey(name)) {
            throw new OfprotoException("bridge " + name + " already exists");
        }
        Backer backer = backers.get(type);
        if (backer == null) {
            DpifProvider provider = providers.get(type);
            if (provider == null) {
                throw new OfprotoException("failed to create datapath of type " + type + ": no running bundle provides it");
            }
            try {
                backer = new Backer(type, provider.open("ovs-" + type));
            } catch (DpifException e) {
                throw new OfprotoException("failed to open datapath of type " + type + " (" + e.getMessage() + ")");
            }
            backer.dpif.setConfig(datapathConfig);
            backers.put(type, backer);
        }
        OfprotoDpif ofproto = new OfprotoDpif(name, backer, this);
        backer.ofprotos.add(ofproto);
        bridges.put(name, ofproto);
        listen(ofproto);
        LOG.info("bridge {}: using datapath {}", name, backer.fullName());
        return ofproto;
    }

    @Override
    public synchronized void setDatapathConfig(Map<String, String> otherConfig) {
        if (!otherConfig.equals(datapathConfig)) {
            datapathConfig = Map.copyOf(otherConfig);
            for (Backer b : backers.values()) {
                b.dpif.setConfig(datapathConfig);
            }
        }
    }

    /** Opens the bridge's management socket; a failure is logged, the bridge works without it. */
    private void listen(OfprotoDpif ofproto) {
        if (rundir == null) {
            return;
        }
        Path path = rundir.resolve(ofproto.name() + ".mgmt");
        try {
            listeners.put(ofproto.name(), OfpListener.start(path, new BridgeView(ofproto), ofproto.connmgr));
            snoops.put(ofproto.name(), OfpListener.snoop(rundir.resolve(ofproto.name() + ".snoop"),
                    new BridgeView(ofproto), ofproto.connmgr));
        } catch (IOException | RuntimeException e) {
            LOG.error("{}: could not listen on {} ({})", ofproto.name(), path, e.toString());
        }
    }

    private void stopListening(String bridge) {
        OfpListener l = listeners.remove(bridge);
        if (l != null) {
            l.close();
        }
        OfpListener s = snoops.remove(bridge);
        if (s != null) {
            s.close();
        }
    }

    /** The bridge's management socket, if it has one. */
    Path managementSocket(String bridge) {
        OfpListener l = listeners.get(bridge);
        return l == null ? null : l.path();
    }

    synchronized void destroyed(OfprotoDpif ofproto) {
        if (bridges.remove(ofproto.name(), ofproto)) {
            stopListening(ofproto.name());
        }
        Backer b = backers.get(ofproto.datapathType());
        if (b != null) {
            b.ofprotos.remove(ofproto);
        }
    }

    OfprotoDpif bridge(String name) {
        return bridges.get(name);
    }

    Map<String, OfprotoDpif> bridges() {
        return new TreeMap<>(bridges);
    }

    Map<String, Backer> backers() {
        return new TreeMap<>(backers);
    }

    private void revalidate() {
        try {
            revalidator.run(backers.values(), System.currentTimeMillis());
        } catch (RuntimeException e) {
            LOG.error("revalidator failed", e);
        }
    }

    @Deactivate
    public void deactivate() {
        for (String b : List.copyOf(listeners.keySet())) {
            stopListening(b);
        }
        revalidatorThread.shutdownNow();
        try {
            revalidatorThread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (ServiceRegistration<?> r : registrations) {
            try {
                r.unregister();
            } catch (IllegalStateException alreadyGone) {
                // bundle stopping
            }
        }
        for (Backer b : backers.values()) {
            b.dpif.setUpcallHandler(null);
        }
    }
}
