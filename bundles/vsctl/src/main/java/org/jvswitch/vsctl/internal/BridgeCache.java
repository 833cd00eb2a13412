package org.jvswitch.vsctl.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.jvswitch.api.ovsdb.DbRow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bridges, ports and interfaces by name as ovs-vsctl's bridge commands see them
 * (vsctl_context_populate_cache): only what Open_vSwitch.bridges reaches, including "fake" VLAN
 * bridges (a port with fake_bridge=true and a tag, standing for a bridge on its parent). Holds
 * UUIDs and names only; column values are always read from the transaction.
 */
final class BridgeCache {
    private static final Logger LOG = LoggerFactory.getLogger(BridgeCache.class);

    /** struct vsctl_bridge. A fake bridge has a parent and no Bridge row. */
    static final class Bridge {
        final UUID uuid;
        final String name;
        final Bridge parent;
        final int vlan;
        final List<Port> ports = new ArrayList<>();
        final Map<Integer, Bridge> children = new LinkedHashMap<>();

        Bridge(UUID uuid, String name, Bridge parent, int vlan) {
            this.uuid = uuid;
            this.name = name;
            this.parent = parent;
            this.vlan = vlan;
        }

        /** The Bridge row holding this bridge's ports: its own, or its parent's for a fake bridge. */
        UUID realUuid() {
            return parent != null ? parent.uuid : uuid;
        }
    }

    /** struct vsctl_port. */
    static final class Port {
        final UUID uuid;
        final String name;
        Bridge bridge;
        final List<Iface> ifaces = new ArrayList<>();

        Port(UUID uuid, String name, Bridge bridge) {
            this.uuid = uuid;
            this.name = name;
            this.bridge = bridge;
        }
    }

    /** struct vsctl_iface. */
    static final class Iface {
        final UUID uuid;
        final String name;
        final Port port;

        Iface(UUID uuid, String name, Port port) {
            this.uuid = uuid;
            this.name = name;
            this.port = port;
        }
    }

    final Map<String, Bridge> bridges = new LinkedHashMap<>();
    final Map<String, Port> ports = new HashMap<>();
    final Map<String, Iface> ifaces = new HashMap<>();

    private BridgeCache() {
    }

    static BridgeCache populate(VsctlTxn txn, UUID ovs) {
        BridgeCache cache = new BridgeCache();
        List<DbRow> bridgeRows = new ArrayList<>();
        for (Object u : txn.read("Open_vSwitch", ovs, "bridges").keys()) {
            DbRow br = txn.row("Bridge", (UUID) u);
            if (br != null) {
                bridgeRows.add(br);
            }
        }

        // First pass: real bridges, then fake bridges (ports with fake_bridge=true and a VLAN tag).
        Set<String> bridgeNames = new HashSet<>();
        Set<String> portNames = new HashSet<>();
        for (DbRow br : bridgeRows) {
            String name = br.getString("name");
            if (!bridgeNames.add(name)) {
                LOG.warn("{}: database contains duplicate bridge name", name);
                continue;
            }
            Bridge bridge = cache.addBridge(br.uuid(), name, null, 0);
            for (DbRow port : portsOf(txn, br)) {
                String portName = port.getString("name");
                if (!portNames.add(portName)) {
                    continue;
                }
                Integer tag = fakeBridgeTag(txn, port);
                if (tag != null && bridgeNames.add(portName)) {
                    cache.addBridge(null, portName, bridge, tag);
                }
            }
        }

        // Second pass: ports and interfaces.
        bridgeNames.clear();
        for (DbRow br : bridgeRows) {
            String name = br.getString("name");
            if (!bridgeNames.add(name)) {
                continue;
            }
            Bridge bridge = cache.bridges.get(name);
            for (DbRow portRow : portsOf(txn, br)) {
                String portName = portRow.getString("name");
                Port existing = cache.ports.get(portName);
                if (existing != null) {
                    if (existing.uuid.equals(portRow.uuid())) {
                        LOG.warn("{}: port is in multiple bridges ({} and {})", portName, bridge.name,
                                existing.bridge.name);
                    } else {
                        LOG.error("{}: database contains duplicate port name", portName);
                    }
                    continue;
                }
                if (fakeBridgeTag(txn, portRow) != null && !bridgeNames.add(portName)) {
                    continue;
                }
                Port port = cache.addPort(bridge, portRow.uuid(), portName, tag(txn, portRow));
                for (Object u : txn.read(portRow, "interfaces").keys()) {
                    DbRow ifaceRow = txn.row("Interface", (UUID) u);
                    if (ifaceRow == null) {
                        continue;
                    }
                    String ifaceName = ifaceRow.getString("name");
                    Iface other = cache.ifaces.get(ifaceName);
                    if (other != null) {
                        if (other.uuid.equals(ifaceRow.uuid())) {
                            LOG.warn("{}: interface is in multiple ports ({} and {})", ifaceName, other.port.name,
                                    port.name);
                        } else {
                            LOG.error("{}: database contains duplicate interface name", ifaceName);
                        }
                        continue;
                    }
                    cache.addIface(port, ifaceRow.uuid(), ifaceName);
                }
            }
        }
        return cache;
    }

    private static List<DbRow> portsOf(VsctlTxn txn, DbRow bridge) {
        List<DbRow> rows = new ArrayList<>();
        for (Object u : txn.read(bridge, "ports").keys()) {
            DbRow port = txn.row("Port", (UUID) u);
            if (port != null) {
                rows.add(port);
            }
        }
        return rows;
    }

    /** The port's VLAN tag if it is 0...4095, else null. */
    private static Integer tag(VsctlTxn txn, DbRow port) {
        Datum tag = txn.read(port, "tag");
        if (tag.isEmpty()) {
            return null;
        }
        long t = (Long) tag.key(0);
        return t >= 0 && t <= 4095 ? (int) t : null;
    }

    /** port_is_fake_bridge: the tag if the port stands for a fake bridge, else null. */
    private static Integer fakeBridgeTag(VsctlTxn txn, DbRow port) {
        Datum fake = txn.read(port, "fake_bridge");
        return !fake.isEmpty() && Boolean.TRUE.equals(fake.key(0)) ? tag(txn, port) : null;
    }

    /** add_bridge_to_cache. */
    Bridge addBridge(UUID uuid, String name, Bridge parent, int vlan) {
        Bridge br = new Bridge(uuid, name, parent, vlan);
        if (parent != null) {
            Bridge conflict = parent.children.get(vlan);
            if (conflict != null) {
                LOG.warn("{}: bridge has multiple VLAN bridges ({} and {}) for VLAN {}, but only one is allowed",
                        parent.name, name, conflict.name, vlan);
            } else {
                parent.children.put(vlan, br);
            }
        }
        bridges.put(name, br);
        return br;
    }

    /** add_port_to_cache: a tagged port of a bridge belongs to that bridge's fake bridge for the tag, if any. */
    Port addPort(Bridge parent, UUID uuid, String name, Integer tag) {
        Bridge owner = parent;
        if (tag != null) {
            Bridge vlanBridge = parent.children.get(tag);
            if (vlanBridge != null) {
                owner = vlanBridge;
            }
        }
        Port port = new Port(uuid, name, owner);
        owner.ports.add(port);
        ports.put(name, port);
        return port;
    }

    Iface addIface(Port port, UUID uuid, String name) {
        Iface iface = new Iface(uuid, name, port);
        port.ifaces.add(iface);
        ifaces.put(name, iface);
        return iface;
    }

    void removeIface(Iface iface) {
        iface.port.ifaces.remove(iface);
        ifaces.remove(iface.name);
    }

    void removePort(Port port) {
        port.bridge.ports.remove(port);
        ports.remove(port.name);
    }

    void removeBridge(Bridge br) {
        if (br.parent != null) {
            br.parent.children.remove(br.vlan);
        }
        bridges.remove(br.name);
    }
}
