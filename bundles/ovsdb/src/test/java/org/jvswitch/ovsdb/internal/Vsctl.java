package org.jvswitch.ovsdb.internal;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.jvswitch.api.ovsdb.DbRow;
import org.jvswitch.api.ovsdb.DbSnapshot;
import org.jvswitch.api.ovsdb.DbTransaction;
import org.jvswitch.api.ovsdb.Ovsdb;
import org.jvswitch.api.ovsdb.OvsdbException;

/** The transactions ovs-vsctl sends for add-br, add-port and del-br, through the in-process API. */
final class Vsctl {
    private Vsctl() {
    }

    static DbRow root(DbSnapshot s) {
        return s.rows("Open_vSwitch").iterator().next();
    }

    /** add-br NAME plus one port per name in {@code ports} (each with one Interface). */
    static UUID addBridge(Ovsdb db, String name, String... ports) throws OvsdbException {
        DbTransaction t = db.begin();
        Set<UUID> portUuids = new LinkedHashSet<>();
        portUuids.add(insertPort(t, name, "internal"));
        for (String p : ports) {
            portUuids.add(insertPort(t, p, "dummy"));
        }
        UUID bridge = t.insert("Bridge", Map.of("name", name, "ports", portUuids, "datapath_type", "netdev"));
        DbRow ovs = root(t.view());
        Set<UUID> bridges = new LinkedHashSet<>(ovs.getSet("bridges"));
        bridges.add(bridge);
        t.update("Open_vSwitch", ovs.uuid(), Map.of("bridges", bridges));
        t.comment("ovs-vsctl add-br " + name);
        t.commit();
        return bridge;
    }

    static UUID insertPort(DbTransaction t, String name, String type) throws OvsdbException {
        Map<String, Object> iface = new HashMap<>();
        iface.put("name", name);
        iface.put("type", type);
        UUID i = t.insert("Interface", iface);
        return t.insert("Port", Map.of("name", name, "interfaces", i));
    }

    /** del-br: only drops the bridge from Open_vSwitch.bridges; garbage collection does the rest. */
    static void delBridge(Ovsdb db, String name) throws OvsdbException {
        DbTransaction t = db.begin();
        DbRow bridge = t.view().find("Bridge", "name", name);
        DbRow ovs = root(t.view());
        Set<UUID> bridges = new LinkedHashSet<>(ovs.getSet("bridges"));
        bridges.remove(bridge.uuid());
        t.update("Open_vSwitch", ovs.uuid(), Map.of("bridges", bridges));
        t.comment("ovs-vsctl del-br " + name);
        t.commit();
    }
}
