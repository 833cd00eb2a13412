package org.jvswitch.vswitchd;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import org.jvswitch.api.netdev.Netdev;
import org.jvswitch.api.netdev.NetdevException;
import org.jvswitch.api.ofproto.Ofproto;
import org.jvswitch.api.ofproto.OfprotoException;
import org.jvswitch.api.ovsdb.DbRow;
import org.jvswitch.api.registry.NetdevRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One bridge as the switch runs it (Open vSwitch's {@code struct bridge} in vswitchd/bridge.c):
 * its ofproto and the interfaces it has open, reconciled against the Bridge row and the rows it
 * references. Used only by the bridge thread.
 */
final class Bridge {
    private static final Logger LOG = LoggerFactory.getLogger(Bridge.class);

    final String name;
    final Ofproto ofproto;
    private final NetdevRegistry registry;
    private final Map<String, BridgePort> ports = new HashMap<>();

    /** Called by netdevs whose link or status changed by itself; wakes a status pass. */
    Runnable statusChanged = () -> { };

    Bridge(String name, Ofproto ofproto, NetdevRegistry registry) {
        this.name = name;
        this.ofproto = ofproto;
        this.registry = registry;
    }

    /** The wanted state of one interface, read from its row. */
    record Wanted(UUID uuid, String name, String type, Map<String, String> options, int ofportRequest,
                  int mtuRequest, Map<String, String> otherConfig, String vlanMode, int tag,
                  java.util.Set<Integer> trunks) {
        /** The wanted state of {@code iface}, a member of {@code port}. */
        static Wanted of(DbRow port, DbRow iface) {
            String type = iface.getString("type");
            java.util.Set<Integer> trunks = new java.util.TreeSet<>();
            for (Object t : port.getSet("trunks")) {
                trunks.add(((Long) t).intValue());
            }
            // Like Open vSwitch's iface_pick_ofport: ofport_request, else the number the interface
            // had before (a restart of the switch or of a provider bundle keeps port numbers).
            long request = iface.getLong("ofport_request", -1);
            if (request <= 0) {
                request = iface.getLong("ofport", -1);
            }
            return new Wanted(iface.uuid(), iface.getString("name"), type.isEmpty() ? "system" : type,
                    iface.getStringMap("options"), (int) request,
                    (int) iface.getLong("mtu_request", 0), iface.getStringMap("other_config"),
                    port.getString("vlan_mode"), (int) port.getLong("tag", -1), trunks);
        }
    }

    BridgePort port(String name) {
        return ports.get(name);
    }

    /** Closes interfaces that are no longer wanted, whose type changed, or whose provider took them away. */
    void removeStale(Map<String, Wanted> wanted) {
        for (BridgePort p : ports.values().toArray(new BridgePort[0])) {
            Wanted w = wanted.get(p.name());
            boolean gone = !registry.isOpen(p.netdev());
            if (w == null || gone || !w.type().equals(p.type())) {
                if (gone) {
                    LOG.warn("{}: interface {} lost its netdev ({} provider stopped)", name, p.name(), p.type());
                }
                close(p);
            }
        }
    }

    /**
     * Opens or updates one interface.
     *
     * @return null on success, else the text for the Interface's error column
     */
    String ensure(Wanted w) {
        BridgePort p = ports.get(w.name());
        if (p != null) {
            if (!Objects.equals(p.options(), w.options())) {
                try {
                    p.netdev().setConfig(w.options());
                    p = new BridgePort(p.name(), p.type(), w.options(), p.netdev(), p.ofport(), p.otherConfig());
                    ports.put(w.name(), p);
                } catch (NetdevException e) {
                    LOG.warn("{}: could not configure network device {} ({})", name, w.name(), e.getMessage());
                    return "could not configure network device " + w.name() + " (" + e.errno() + "): " + e.getMessage();
                }
            }
            applyMtu(p.netdev(), w);
            applyOtherConfig(ports.get(w.name()), w);
            ofproto.portSetVlan(w.name(), w.vlanMode(), w.tag(), w.trunks());
            return null;
        }
        Netdev netdev;
        try {
            netdev = registry.open(w.name(), w.type(), w.options());
        } catch (NetdevException e) {
            String error = "could not open network device " + w.name() + " (" + e.errno() + ")";
            if (e.getMessage() != null && !e.getMessage().isEmpty()) {
                error += ": " + e.getMessage();
            }
            LOG.warn("{}: {}", name, error);
            return error;
        }
        int request = w.name().equals(name) && w.type().endsWith("internal") ? Ofproto.OFPP_LOCAL : w.ofportRequest();
        int ofport;
        try {
            ofport = ofproto.portAdd(netdev, request);
        } catch (OfprotoException e) {
            registry.close(netdev);
            LOG.warn("{}: {}", name, e.getMessage());
            return e.getMessage();
        }
        ports.put(w.name(), new BridgePort(w.name(), w.type(), w.options(), netdev, ofport, Map.of()));
        netdev.setChangeListener(statusChanged);
        applyMtu(netdev, w);
        applyOtherConfig(ports.get(w.name()), w);
        ofproto.portSetVlan(w.name(), w.vlanMode(), w.tag(), w.trunks());
        return null;
    }

    private void applyOtherConfig(BridgePort p, Wanted w) {
        if (!p.otherConfig().equals(w.otherConfig())) {
            ofproto.portSetConfig(w.name(), w.otherConfig());
            ports.put(w.name(), new BridgePort(p.name(), p.type(), p.options(), p.netdev(), p.ofport(), w.otherConfig()));
        }
    }

    private void applyMtu(Netdev netdev, Wanted w) {
        if (w.mtuRequest() > 0 && netdev.mtu() != w.mtuRequest() && !netdev.setMtu(w.mtuRequest())) {
            LOG.warn("{}: interface {}: could not set MTU {}", name, w.name(), w.mtuRequest());
        }
    }

    private void close(BridgePort p) {
        p.netdev().setChangeListener(null);
        ofproto.portDel(p.name());
        registry.close(p.netdev());
        ports.remove(p.name());
    }

    /** Closes every interface and the ofproto. */
    void destroy() {
        for (BridgePort p : ports.values().toArray(new BridgePort[0])) {
            close(p);
        }
        ofproto.destroy();
    }
}
