package org.jvswitch.vsctl.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jvswitch.api.ovsdb.DbRow;

/**
 * The bridge commands of utilities/ovs-vsctl.c: add-br (also fake VLAN bridges), del-br, list-br,
 * br-exists, br-to-vlan, br-to-parent, br-set-external-id and br-get-external-id.
 */
final class BridgeCommands {
    private BridgeCommands() {
    }

    static List<CommandSyntax> syntaxes() {
        return List.of(
                CommandSyntax.rw("add-br", 1, 3, "NEW-BRIDGE [PARENT] [NEW-VLAN]", "--may-exist", null,
                        BridgeCommands::addBr),
                CommandSyntax.rw("del-br", 1, 1, "BRIDGE", "--if-exists", null, BridgeCommands::delBr),
                CommandSyntax.ro("list-br", 0, 0, "", "--real,--fake", null, BridgeCommands::listBr),
                CommandSyntax.ro("br-exists", 1, 1, "BRIDGE", "", null, BridgeCommands::brExists),
                CommandSyntax.ro("br-to-vlan", 1, 1, "BRIDGE", "", null, BridgeCommands::brToVlan),
                CommandSyntax.ro("br-to-parent", 1, 1, "BRIDGE", "", null, BridgeCommands::brToParent),
                CommandSyntax.rw("br-set-external-id", 2, 3, "BRIDGE KEY [VALUE]", "", null,
                        BridgeCommands::brSetExternalId),
                CommandSyntax.ro("br-get-external-id", 1, 2, "BRIDGE [KEY]", "", null,
                        BridgeCommands::brGetExternalId));
    }

    private static void addBr(CtlContext ctx) {
        boolean mayExist = ctx.hasOption("--may-exist");
        String name = ctx.arg(1);
        if (name.isEmpty()) {
            throw new CtlError("bridge name must not be empty string");
        }
        String parentName;
        int vlan;
        if (ctx.argc() == 2) {
            parentName = null;
            vlan = 0;
        } else if (ctx.argc() == 4) {
            parentName = ctx.arg(2);
            vlan = Lookups.atoi(ctx.arg(3));
            if (vlan < 0 || vlan > 4095) {
                throw new CtlError(ctx.arg(0) + ": vlan must be between 0 and 4095");
            }
        } else {
            throw new CtlError("'" + ctx.arg(0) + "' command takes exactly 1 or 3 arguments");
        }

        if (mayExist) {
            BridgeCache.Bridge br = Lookups.findBridge(ctx, name, false);
            if (br != null) {
                if (parentName == null) {
                    if (br.parent != null) {
                        throw new CtlError("\"--may-exist add-br " + name + "\" but " + name
                                + " is a VLAN bridge for VLAN " + br.vlan);
                    }
                } else if (br.parent == null) {
                    throw new CtlError("\"--may-exist add-br " + name + " " + parentName + " " + vlan + "\" but "
                            + name + " is not a VLAN bridge");
                } else if (!br.parent.name.equals(parentName)) {
                    throw new CtlError("\"--may-exist add-br " + name + " " + parentName + " " + vlan + "\" but "
                            + name + " has the wrong parent " + br.parent.name);
                } else if (br.vlan != vlan) {
                    throw new CtlError("\"--may-exist add-br " + name + " " + parentName + " " + vlan + "\" but "
                            + name + " is a VLAN bridge for the wrong VLAN " + br.vlan);
                }
                return;
            }
        }
        Lookups.checkConflicts(ctx, name, "cannot create a bridge named " + name);

        UUID iface;
        if (parentName == null) {
            iface = ctx.txn.insert("Interface", Map.of("name", Datum.ofAtom(name), "type", Datum.ofAtom("internal")));
            UUID port = ctx.txn.insert("Port", Map.of("name", Datum.ofAtom(name), "interfaces", Datum.ofAtom(iface)));
            UUID br = ctx.txn.insert("Bridge", Map.of("name", Datum.ofAtom(name), "ports", Datum.ofAtom(port)));
            Lookups.addToSet(ctx, "Open_vSwitch", ctx.ovs, "bridges", br);
        } else {
            BridgeCache.Bridge parent = Lookups.findBridge(ctx, parentName, false);
            if (parent != null && parent.parent != null) {
                throw new CtlError("cannot create bridge with fake bridge as parent");
            }
            if (parent == null) {
                throw new CtlError("parent bridge " + parentName + " does not exist");
            }
            BridgeCache.Bridge conflict = parent.children.get(vlan);
            if (conflict != null) {
                throw new CtlError("bridge " + parentName + " already has a child VLAN bridge " + conflict.name
                        + " on VLAN " + vlan);
            }
            iface = ctx.txn.insert("Interface", Map.of("name", Datum.ofAtom(name), "type", Datum.ofAtom("internal")));
            Map<String, Datum> port = new LinkedHashMap<>();
            port.put("name", Datum.ofAtom(name));
            port.put("interfaces", Datum.ofAtom(iface));
            port.put("fake_bridge", Datum.ofAtom(true));
            port.put("tag", Datum.ofAtom((long) vlan));
            Lookups.addToSet(ctx, "Bridge", parent.uuid, "ports", ctx.txn.insert("Port", port));
        }
        ctx.neotericIfaces.add(iface);
        ctx.invalidateCache();
    }

    private static void delBr(CtlContext ctx) {
        BridgeCache.Bridge br = Lookups.findBridge(ctx, ctx.arg(1), !ctx.hasOption("--if-exists"));
        if (br != null) {
            delBridge(ctx, br);
        }
    }

    /** del_bridge: its VLAN bridges, its ports, its flow sample collector sets, then itself. */
    static void delBridge(CtlContext ctx, BridgeCache.Bridge br) {
        for (BridgeCache.Bridge child : new ArrayList<>(br.children.values())) {
            delBridge(ctx, child);
        }
        for (BridgeCache.Port port : new ArrayList<>(br.ports)) {
            PortCommands.delPort(ctx, port);
        }
        if (br.uuid != null) {
            for (DbRow fscs : ctx.txn.rows("Flow_Sample_Collector_Set")) {
                Datum bridge = ctx.txn.read(fscs, "bridge");
                if (bridge.size() == 1 && br.uuid.equals(bridge.key(0))) {
                    ctx.txn.delete("Flow_Sample_Collector_Set", fscs.uuid());
                }
            }
        }
        if (br.uuid != null) {
            ctx.txn.delete("Bridge", br.uuid);
            Lookups.removeFromSet(ctx, "Open_vSwitch", ctx.ovs, "bridges", br.uuid);
        }
        ctx.cache().removeBridge(br);
    }

    private static void listBr(CtlContext ctx) {
        boolean real = ctx.hasOption("--real");
        boolean fake = ctx.hasOption("--fake");
        if (!real && !fake) {
            real = fake = true;
        }
        List<String> names = new ArrayList<>();
        for (BridgeCache.Bridge br : ctx.cache().bridges.values()) {
            if (br.parent != null ? fake : real) {
                names.add(br.name);
            }
        }
        outputSorted(ctx, names);
    }

    /** output_sorted: one name per line, sorted as strcmp does. */
    static void outputSorted(CtlContext ctx, List<String> names) {
        List<String> sorted = new ArrayList<>(names);
        Collections.sort(sorted, AtomOrder::compareStrings);
        for (String n : sorted) {
            ctx.output.append(n).append('\n');
        }
    }

    private static void brExists(CtlContext ctx) {
        if (Lookups.findBridge(ctx, ctx.arg(1), false) == null) {
            throw CtlError.exit(2);
        }
    }

    private static void brToVlan(CtlContext ctx) {
        ctx.output.append(Lookups.findBridge(ctx, ctx.arg(1), true).vlan).append('\n');
    }

    private static void brToParent(CtlContext ctx) {
        BridgeCache.Bridge br = Lookups.findBridge(ctx, ctx.arg(1), true);
        ctx.output.append(br.parent != null ? br.parent.name : br.name).append('\n');
    }

    private static void brSetExternalId(CtlContext ctx) {
        BridgeCache.Bridge br = Lookups.findBridge(ctx, ctx.arg(1), true);
        String value = ctx.argc() >= 4 ? ctx.arg(3) : null;
        if (br.uuid != null) {
            setExternalId(ctx, "Bridge", br.uuid, ctx.arg(2), value);
        } else {
            // A fake bridge keeps its external ids on its port, prefixed.
            BridgeCache.Port port = ctx.cache().ports.get(ctx.arg(1));
            setExternalId(ctx, "Port", port.uuid, "fake-bridge-" + ctx.arg(2), value);
        }
    }

    private static void setExternalId(CtlContext ctx, String table, UUID row, String key, String value) {
        Datum ids = ctx.txn.read(table, row, "external_ids");
        ids = ids.subtract(Datum.ofAtom(key));
        if (value != null) {
            ids = ids.union(Datum.ofPair(key, value));
        }
        ctx.txn.write(table, row, "external_ids", ids);
    }

    private static void brGetExternalId(CtlContext ctx) {
        BridgeCache.Bridge br = Lookups.findBridge(ctx, ctx.arg(1), true);
        String key = ctx.argc() >= 3 ? ctx.arg(2) : null;
        if (br.uuid != null) {
            getExternalId(ctx, ctx.txn.read("Bridge", br.uuid, "external_ids"), "", key);
        } else {
            BridgeCache.Port port = ctx.cache().ports.get(ctx.arg(1));
            getExternalId(ctx, ctx.txn.read("Port", port.uuid, "external_ids"), "fake-bridge-", key);
        }
    }

    private static void getExternalId(CtlContext ctx, Datum ids, String prefix, String key) {
        if (key != null) {
            int i = ids.find(prefix + key);
            if (i >= 0) {
                ctx.output.append(ids.value(i)).append('\n');
            }
            return;
        }
        for (int i = 0; i < ids.size(); i++) {
            String k = (String) ids.key(i);
            if (k.startsWith(prefix)) {
                ctx.output.append(k.substring(prefix.length())).append('=').append(ids.value(i)).append('\n');
            }
        }
    }
}
