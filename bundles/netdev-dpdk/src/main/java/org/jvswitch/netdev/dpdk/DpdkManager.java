package org.jvswitch.netdev.dpdk;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.jvswitch.api.dpdk.DpdkEnvironment;
import org.jvswitch.api.netdev.NetdevException;
import org.jvswitch.api.netdev.NetdevProvider;
import org.jvswitch.api.ovsdb.ConfigParticipant;
import org.jvswitch.api.ovsdb.DbRow;
import org.jvswitch.api.ovsdb.DbSnapshot;
import org.jvswitch.api.ovsdb.DbTransaction;
import org.jvswitch.api.ovsdb.Ovsdb;
import org.jvswitch.api.ovsdb.OvsdbException;
import org.jvswitch.api.unixctl.UnixctlCommand;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DPDK's life in the switch (Open vSwitch's {@code dpdk_init} and {@code dpdk_status}): at the start
 * of every bridge reconfiguration, reads {@code Open_vSwitch other_config} for {@code dpdk-init},
 * starts EAL on a thread of its own with
 * the arguments the dpdk-* keys give, writes {@code dpdk_initialized} and {@code dpdk_version}
 * back, and publishes the {@link DpdkEnvironment} service while EAL is up. The {@code dpdk} port
 * type is offered throughout: until EAL is up its ports carry the reason in their error, and the
 * bridge opens them on the reconfiguration that the status write causes.
 *
 * <p>If EAL cannot start, nothing else stops: the reason is logged and shown in the ports' error;
 * a changed configuration is tried again, and when DPDK refuses a second start in the same process
 * the error says to restart.
 */
@Component(immediate = true, service = ConfigParticipant.class)
public final class DpdkManager implements ConfigParticipant {
    private static final Logger LOG = LoggerFactory.getLogger(DpdkManager.class);

    private final Ovsdb db;
    private final BundleContext ctx;
    private final Dpdk dpdk;
    private final DpdkLog log;
    private final List<ServiceRegistration<?>> registrations = new ArrayList<>();
    private volatile boolean exit;

    private volatile DpdkEnvironmentImpl env;
    private ServiceRegistration<DpdkEnvironment> envRegistration;
    /** Why dpdk ports cannot open now (when env is null). */
    private volatile String unavailable;
    private List<String> lastTried;
    /** Why the last start of EAL failed, quoted again when DPDK refuses to try twice. */
    private String lastFailure;
    private boolean warnedRestart;

    @Activate
    public DpdkManager(@Reference Ovsdb db, BundleContext ctx) {
        this.db = db;
        this.ctx = ctx;
        Dpdk loaded = null;
        DpdkLog dpdkLog = null;
        try {
            Path shim = Dpdk.extractShim(ctx.getDataFile("native").toPath());
            if (shim == null) {
                unavailable = "this jvswitch was built without DPDK support (install libdpdk-dev and rebuild)";
            } else {
                loaded = Dpdk.load(shim);
                dpdkLog = new DpdkLog(loaded);
                unavailable = "DPDK is not initialized: set other_config:dpdk-init=true in the Open_vSwitch table";
            }
        } catch (IOException | RuntimeException | LinkageError e) {
            unavailable = "DPDK's libraries could not be loaded (install Debian's dpdk package): " + e.getMessage();
            LOG.warn("{}", unavailable);
        }
        this.dpdk = loaded;
        this.log = dpdkLog;
        if (dpdk != null && System.getProperty(DpdkEnvironmentImpl.EAL_PROPERTY) != null) {
            // A previous generation of this bundle started EAL; it stays up for the process.
            LOG.info("DPDK already initialized in this process with: {}", System.getProperty(DpdkEnvironmentImpl.EAL_PROPERTY));
            up(new DpdkEnvironmentImpl(dpdk));
        }
        registrations.add(ctx.registerService(NetdevProvider.class, new DpdkNetdevProvider(this),
                new java.util.Hashtable<>(Map.of(NetdevProvider.TYPE_PROPERTY, DpdkNetdevProvider.TYPE))));
        for (UnixctlCommand c : new DpdkCommands(this).commands()) {
            registrations.add(ctx.registerService(UnixctlCommand.class, c, UnixctlCommand.properties(c)));
        }
    }

    @Deactivate
    public void deactivate() {
        synchronized (this) {
            exit = true;
        }
        // Providers first: the registry closes every dpdk port (stopping and detaching devices,
        // releasing mempools) before the unregistration returns.
        for (ServiceRegistration<?> r : registrations) {
            unregister(r);
        }
        registrations.clear();
        synchronized (this) {
            if (envRegistration != null) {
                unregister(envRegistration);
                envRegistration = null;
            }
        }
        DpdkEnvironmentImpl e = env;
        if (e != null) {
            e.close();
            for (DpdkMempool p : e.mempools()) {
                LOG.warn("mempool \"{}\" still holds {} mbufs out of {} at stop", p.name(), p.inUse(), p.size());
            }
        }
        if (log != null) {
            log.close();
        }
    }

    private static void unregister(ServiceRegistration<?> r) {
        try {
            r.unregister();
        } catch (IllegalStateException alreadyGone) {
            // the framework is stopping the bundle
        }
    }

    /** On the bridge thread, before bridges and ports: starts EAL when dpdk-init asks for it. */
    @Override
    public synchronized void reconfigure(DbSnapshot s) {
        if (!exit) {
            apply(s);
        }
    }

    private void apply(DbSnapshot s) {
        DbRow ovs = s.rows("Open_vSwitch").stream().findFirst().orElse(null);
        if (ovs == null) {
            return;
        }
        Map<String, String> oc = ovs.getStringMap("other_config");
        String init = oc.getOrDefault("dpdk-init", "false");
        boolean wanted = init.equalsIgnoreCase("true") || init.equalsIgnoreCase("try");
        if (dpdk != null) {
            List<String> args = EalArgs.build(oc, lowestAllowedCpu(), "jvswitch-" + ProcessHandle.current().pid());
            if (env == null && wanted && !args.equals(lastTried)) {
                lastTried = args;
                initEal(args);
            } else if (env != null && wanted && !warnedRestart
                    && !String.join(" ", args).equals(System.getProperty(DpdkEnvironmentImpl.EAL_PROPERTY))) {
                warnedRestart = true;
                LOG.warn("DPDK is already initialized; the changed dpdk-* options take effect after a restart of jvswitch");
            } else if (env == null && !wanted) {
                lastTried = null;
                unavailable = "DPDK is not initialized: set other_config:dpdk-init=true in the Open_vSwitch table";
            }
        }
        writeStatus(ovs);
    }

    private void initEal(List<String> args) {
        LOG.info("DPDK Enabled - initializing...");
        LOG.info("EAL ARGS: {}", String.join(" ", args));
        String reason = Eal.start(dpdk, log, args);
        if (reason != null) {
            if (!reason.contains(Eal.TWICE)) {
                lastFailure = reason;
            } else if (lastFailure != null) {
                reason = lastFailure + "; " + Eal.TWICE + ": restart jvswitch to apply the new dpdk options";
            }
            unavailable = "DPDK is not initialized: rte_eal_init failed: " + reason;
            LOG.error("Unable to initialize DPDK: {}", reason);
            return;
        }
        DpdkEnvironmentImpl e = new DpdkEnvironmentImpl(dpdk);
        LOG.info("DPDK Enabled - initialized ({})", e.version());
        up(e);
    }

    private synchronized void up(DpdkEnvironmentImpl e) {
        env = e;
        unavailable = null;
        if (!exit) {
            envRegistration = ctx.registerService(DpdkEnvironment.class, e, null);
        }
    }

    /** Open vSwitch's dpdk_status: dpdk_initialized and dpdk_version, written when they differ. */
    private void writeStatus(DbRow ovs) {
        boolean initialized = env != null;
        Set<String> version = dpdk == null ? Set.of() : Set.of(DpdkEnvironmentImpl.versionOf(dpdk));
        Map<String, Object> want = new LinkedHashMap<>();
        if (!Objects.equals(ovs.get("dpdk_initialized"), initialized)) {
            want.put("dpdk_initialized", initialized);
        }
        Object cur = ovs.get("dpdk_version");
        Set<?> curSet = cur instanceof Set<?> cs ? cs : cur == null ? Set.of() : Set.of(cur);
        if (!curSet.equals(version)) {
            want.put("dpdk_version", version);
        }
        if (want.isEmpty()) {
            return;
        }
        try {
            DbTransaction tx = db.begin();
            tx.update("Open_vSwitch", ovs.uuid(), want);
            tx.comment("jvswitch: dpdk status");
            tx.commit();
        } catch (OvsdbException e) {
            // A concurrent change to the row: the reconfiguration it causes writes it again.
            LOG.debug("dpdk status not written: {}", e.getMessage());
        }
    }

    /** The lowest CPU this process may run on (Open vSwitch's default DPDK main core). */
    static int lowestAllowedCpu() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Cpus_allowed_list:")) {
                    String list = line.substring(line.indexOf(':') + 1).trim();
                    return Integer.parseInt(list.split("[-,]")[0].trim());
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("could not read the CPU affinity: {}", e.toString());
        }
        return 0;
    }

    /** The environment, or null while EAL is not up. */
    DpdkEnvironmentImpl environment() {
        return env;
    }

    /** Opens a dpdk port, or says why DPDK cannot. */
    DpdkNetdev open(String name, Map<String, String> options) throws NetdevException {
        DpdkEnvironmentImpl e = env;
        if (e == null) {
            throw new NetdevException(NetdevException.EAFNOSUPPORT, unavailable);
        }
        return DpdkNetdev.open(e, name, options);
    }
}
