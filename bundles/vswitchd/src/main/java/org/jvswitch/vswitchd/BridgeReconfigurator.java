package org.jvswitch.vswitchd;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import org.jvswitch.api.netdev.Netdev;
import org.jvswitch.api.ofproto.ControllerStatus;
import org.jvswitch.api.ofproto.ControllerTarget;
import org.jvswitch.api.ofproto.OfprotoException;
import org.jvswitch.api.ofproto.OfprotoService;
import org.jvswitch.api.ovsdb.ConfigParticipant;
import org.jvswitch.api.ovsdb.DbChange;
import org.jvswitch.api.ovsdb.DbListener;
import org.jvswitch.api.ovsdb.DbRow;
import org.jvswitch.api.ovsdb.DbSnapshot;
import org.jvswitch.api.ovsdb.DbSubscription;
import org.jvswitch.api.ovsdb.DbTransaction;
import org.jvswitch.api.ovsdb.Ovsdb;
import org.jvswitch.api.ovsdb.OvsdbException;
import org.jvswitch.api.registry.NetdevRegistry;
import org.jvswitch.api.registry.NetdevRegistryListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the running switch match the database (Open vSwitch's {@code bridge_reconfigure} and
 * {@code bridge_run}): on every committed change, and whenever a port type comes or goes, the
 * bridge thread creates and destroys ofprotos, opens and closes interfaces, then writes the result
 * back in one transaction: each Interface's {@code ofport}, {@code error}, {@code link_state},
 * {@code statistics}, and {@code Open_vSwitch.cur_cfg = next_cfg}, which {@code ovs-vsctl} waits
 * for. Every {@link #STATS_INTERVAL_MILLIS} it refreshes statistics and link state.
 *
 * <p>Thread-safety: all state is owned by the bridge thread; listeners only wake it.
 */
@Component(immediate = true, service = {})
public final class BridgeReconfigurator implements DbListener, NetdevRegistryListener {
    private static final Logger LOG = LoggerFactory.getLogger(BridgeReconfigurator.class);
    /** Open vSwitch's default {@code stats-update-interval}. */
    static final long STATS_INTERVAL_MILLIS = 5000;
    static final String VERSION = "0.1.0";
    /** How soon a bridge whose datapath type had no provider is tried again. */
    static final long RETRY_INTERVAL_MILLIS = 500;

    private final Ovsdb db;
    private final org.osgi.framework.Bundle framework;
    private final NetdevRegistry registry;
    private final OfprotoService ofprotos;
    private final Map<String, Bridge> bridges = new HashMap<>();
    private final Thread thread;
    private final DbSubscription subscription;
    private final Object signal = new Object();
    private boolean dirty = true;
    private boolean statusDirty;
    /** A bridge's datapath could not be created (its provider not running yet): retry soon. */
    private volatile boolean retryBridges;
    private volatile boolean exit;
    /** Interface errors of the last full pass, by row, kept for the periodic status passes. */
    private final Map<UUID, String> errors = new HashMap<>();
    /** Interfaces of bridges whose datapath could not be created: error shown, ofport kept. */
    private final Map<UUID, String> datapathErrors = new HashMap<>();
    /** Configured from Open_vSwitch before the bridges (DPDK). */
    private final java.util.List<ConfigParticipant> participants = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Activate
    public BridgeReconfigurator(@Reference Ovsdb db, @Reference NetdevRegistry registry,
                                @Reference OfprotoService ofprotos, org.osgi.framework.BundleContext ctx) {
        this.framework = ctx.getBundle(0);
        this.db = db;
        this.registry = registry;
        this.ofprotos = ofprotos;
        this.thread = new Thread(this::loop, "bridge");
        this.thread.setDaemon(true);
        registry.addListener(this);
        this.subscription = db.subscribe(this);
        thread.start();
    }

    @Deactivate
    public void deactivate() {
        subscription.close();
        registry.removeListener(this);
        exit = true;
        kick();
        try {
            thread.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addParticipant(ConfigParticipant p) {
        participants.add(p);
        kick();
    }

    void removeParticipant(ConfigParticipant p) {
        participants.remove(p);
    }

    @Override
    public void changed(DbChange change) {
        // Our own status commits (made on the bridge thread) need no reconfiguration; reacting to
        // them would loop while statistics keep changing.
        if (Thread.currentThread() != thread) {
            kick();
        }
    }

    @Override
    public void typeAdded(String type) {
        kick();
    }

    @Override
    public void typeRemoved(String type) {
        // While the whole switch shuts down, providers leave before the bridge: do not write
        // "unknown type" errors into the database for ports that were fine.
        if (framework.getState() != org.osgi.framework.Bundle.STOPPING) {
            kick();
        }
    }

    /** A netdev's link or status changed by itself: write the status columns, nothing more. */
    private void statusKick() {
        synchronized (signal) {
            statusDirty = true;
            signal.notifyAll();
        }
    }

    private void kick() {
        synchronized (signal) {
            dirty = true;
            signal.notifyAll();
        }
    }

    private void loop() {
        long lastStats = System.currentTimeMillis();
        while (!exit) {
            boolean full;
            synchronized (signal) {
                long interval = retryBridges ? RETRY_INTERVAL_MILLIS : STATS_INTERVAL_MILLIS;
                long wait = interval - (System.currentTimeMillis() - lastStats);
                if (!dirty && !statusDirty && wait > 0) {
                    try {
                        signal.wait(wait);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                full = dirty || retryBridges;
                dirty = false;
                statusDirty = false;
            }
            if (exit) {
                break;
            }
            try {
                run(full);
            } catch (RuntimeException e) {
                LOG.error("bridge reconfiguration failed", e);
            }
            lastStats = System.currentTimeMillis();
        }
        for (Bridge b : bridges.values()) {
            b.destroy();
        }
        bridges.clear();
    }

    /** One pass: reconcile (if {@code full}) and write status back. */
    private void run(boolean full) {
        DbSnapshot s = db.snapshot();
        DbRow ovs = s.rows("Open_vSwitch").stream().findFirst().orElse(null);
        if (ovs == null) {
            return;
        }
        if (full) {
            reconfigure(s, ovs);
        }
        writeStatus(s, ovs);
    }

    private void reconfigure(DbSnapshot s, DbRow ovs) {
        for (ConfigParticipant p : participants) {
            try {
                p.reconfigure(s);
            } catch (RuntimeException e) {
                LOG.error("reconfiguration of {} failed", p, e);
            }
        }
        ofprotos.setDatapathConfig(ovs.getStringMap("other_config"));
        Map<String, DbRow> wantedBridges = new LinkedHashMap<>();
        for (Object ref : ovs.getSet("bridges")) {
            DbRow br = s.row("Bridge", (UUID) ref);
            if (br != null) {
                wantedBridges.put(br.getString("name"), br);
            }
        }
        for (String name : new TreeSet<>(bridges.keySet())) {
            DbRow row = wantedBridges.get(name);
            Bridge b = bridges.get(name);
            if (row == null || !datapathType(row).equals(b.ofproto.datapathType())) {
                LOG.info("bridge {}: deleted", name);
                b.destroy();
                bridges.remove(name);
            }
        }
        errors.clear();
        datapathErrors.clear();
        retryBridges = false;
        // Work out every bridge's wanted interfaces first, then close what is stale everywhere
        // before opening anything, so a freed datapath port number is never reused while the
        // bridge that held it still thinks it has it.
        Set<String> claimed = new HashSet<>();
        Map<String, Map<String, Bridge.Wanted>> wantedByBridge = new LinkedHashMap<>();
        for (DbRow br : wantedBridges.values()) {
            wantedByBridge.put(br.getString("name"), wantedInterfaces(s, br, claimed));
        }
        for (Map.Entry<String, Bridge> e : bridges.entrySet()) {
            e.getValue().removeStale(wantedByBridge.getOrDefault(e.getKey(), Map.of()));
        }
        for (DbRow br : wantedBridges.values()) {
            String name = br.getString("name");
            Map<String, Bridge.Wanted> wanted = wantedByBridge.get(name);
            Bridge b = bridges.get(name);
            if (b == null) {
                try {
                    b = new Bridge(name, ofprotos.create(name, datapathType(br)), registry);
                    b.statusChanged = this::statusKick;
                    b.ofproto.setStatusListener(this::statusKick);
                    bridges.put(name, b);
                    LOG.info("bridge {}: created", name);
                } catch (OfprotoException e) {
                    // The datapath's bundle is not running (yet): retry soon. The interfaces get
                    // the error but keep their ofport, so their numbers survive the outage.
                    LOG.warn("bridge {}: {}", name, e.getMessage());
                    retryBridges = true;
                    for (Bridge.Wanted w : wanted.values()) {
                        datapathErrors.put(w.uuid(), e.getMessage());
                    }
                    continue;
                }
            }
            b.ofproto.setFailMode(br.getString("fail_mode"));
            b.ofproto.setControllers(controllers(s, br));
            b.ofproto.setConfig(br.getStringMap("other_config"));   // mac-aging-time, mac-table-size, forward-bpdu
            for (Bridge.Wanted w : wanted.values()) {
                String error = b.ensure(w);
                if (error != null) {
                    errors.put(w.uuid(), error);
                }
            }
        }
    }

    /**
     * The interfaces a Bridge row asks for, by name. Interfaces that cannot be opened as asked
     * (a bond, a name another bridge already claimed) get their error recorded instead.
     */
    private Map<String, Bridge.Wanted> wantedInterfaces(DbSnapshot s, DbRow br, Set<String> claimed) {
        Map<String, Bridge.Wanted> wanted = new LinkedHashMap<>();
        for (Object portRef : br.getSet("ports")) {
            DbRow port = s.row("Port", (UUID) portRef);
            if (port == null) {
                continue;
            }
            Set<Object> ifaces = port.getSet("interfaces");
            for (Object ifaceRef : ifaces) {
                DbRow iface = s.row("Interface", (UUID) ifaceRef);
                if (iface == null) {
                    continue;
                }
                Bridge.Wanted w = Bridge.Wanted.of(port, iface);
                if (ifaces.size() > 1) {
                    errors.put(w.uuid(), "port " + port.getString("name") + " has " + ifaces.size()
                            + " interfaces: bonds are not supported yet");
                } else if (!claimed.add(w.name())) {
                    errors.put(w.uuid(), "could not open network device " + w.name()
                            + " (File exists): interface " + w.name() + " is already in use");
                } else {
                    wanted.put(w.name(), w);
                }
            }
        }
        return wanted;
    }

    /** The bridge's Controller rows as targets (inactivity_probe and max_backoff in milliseconds). */
    private static List<ControllerTarget> controllers(DbSnapshot s, DbRow br) {
        List<ControllerTarget> out = new ArrayList<>();
        for (Object ref : br.getSet("controller")) {
            DbRow c = s.row("Controller", (UUID) ref);
            if (c != null && !c.getString("target").isEmpty()) {
                out.add(new ControllerTarget(c.getString("target"),
                        (int) c.getLong("inactivity_probe", 5_000), (int) c.getLong("max_backoff", 8_000)));
            }
        }
        return out;
    }

    private static String datapathType(DbRow br) {
        String t = br.getString("datapath_type");
        return t.isEmpty() || t.equals("system") ? "netdev" : t;
    }

    /** Writes interface status and cur_cfg in one transaction, if anything differs. */
    private void writeStatus(DbSnapshot s, DbRow ovs) {
        DbTransaction tx = db.begin();
        boolean changed = false;
        try {
            for (Bridge b : bridges.values()) {
                DbRow br = s.find("Bridge", "name", b.name);
                if (br == null) {
                    continue;
                }
                changed |= update(tx, br, Map.of("datapath_version", "<built-in>"));
                Map<String, ControllerStatus> ctl = b.ofproto.controllerStatus();
                for (Object ref : br.getSet("controller")) {
                    DbRow c = s.row("Controller", (UUID) ref);
                    ControllerStatus st = c == null ? null : ctl.get(c.getString("target"));
                    if (st != null) {
                        Map<String, Object> cols = new LinkedHashMap<>();
                        cols.put("is_connected", st.connected());
                        cols.put("role", st.role() == null ? Set.of() : Set.of(st.role()));
                        cols.put("status", st.status());
                        changed |= update(tx, c, cols);
                    }
                }
            }
            for (DbRow iface : s.rows("Interface")) {
                Map<String, Object> status = statusOf(iface);
                if (status != null) {
                    changed |= update(tx, iface, status);
                }
            }
            Map<String, Object> top = new LinkedHashMap<>();
            top.put("cur_cfg", ovs.get("next_cfg"));
            top.put("ovs_version", Set.of(VERSION));
            top.put("iface_types", new TreeSet<>(registry.types()));
            top.put("datapath_types", Set.of("netdev"));
            changed |= update(tx, ovs, top);
            if (changed) {
                tx.comment("jvswitch: status update");
                tx.commit();
            }
        } catch (OvsdbException e) {
            // A concurrent commit may have deleted a row we updated; the next pass catches up.
            LOG.debug("status update not committed: {} ({})", e.error(), e.details());
            kick();
        }
    }

    private Map<String, Object> statusOf(DbRow iface) {
        String error = errors.get(iface.uuid());
        if (error != null) {
            return InterfaceStatus.failed(error);
        }
        String dpError = datapathErrors.get(iface.uuid());
        if (dpError != null) {
            return Map.of("error", Set.of(dpError));
        }
        String name = iface.getString("name");
        for (Bridge b : bridges.values()) {
            BridgePort p = b.port(name);
            if (p != null) {
                Netdev netdev = p.netdev();
                return InterfaceStatus.up(netdev, p.ofport());
            }
        }
        return null;
    }

    /** Adds an update of the columns that differ; returns whether any did. */
    private static boolean update(DbTransaction tx, DbRow row, Map<String, Object> columns) throws OvsdbException {
        Map<String, Object> diff = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : columns.entrySet()) {
            if (!Objects.equals(normalize(row.get(e.getKey())), normalize(e.getValue()))) {
                diff.put(e.getKey(), e.getValue());
            }
        }
        if (diff.isEmpty()) {
            return false;
        }
        tx.update(row.table(), row.uuid(), diff);
        return true;
    }

    /** Compares a bare atom and a one-element set alike. */
    private static Object normalize(Object v) {
        if (v instanceof Set<?> set && set.size() == 1) {
            return set.iterator().next();
        }
        if (v instanceof Integer i) {
            return i.longValue();
        }
        return v;
    }
}
