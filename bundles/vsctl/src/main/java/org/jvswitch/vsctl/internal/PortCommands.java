package org.jvswitch.vsctl.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jvswitch.api.ovsdb.DbSchema.Table;

/**
 * The port, bond and interface commands of utilities/ovs-vsctl.c: list-ports, add-port, add-bond,
 * add-bond-iface, del-bond-iface, del-port, port-to-br, list-ifaces and iface-to-br.
 */
final class PortCommands {
    private PortCommands() {
    }

    static List<CommandSyntax> syntaxes() {
        return List.of(
                CommandSyntax.ro("list-ports", 1, 1, "BRIDGE", "", null, PortCommands::listPorts),
                CommandSyntax.rw("add-port", 2, CommandSyntax.UNLIMITED, "BRIDGE NEW-PORT [COLUMN[:KEY]=VALUE]...",
                        "--may-exist", null, PortCommands::addPort),
                CommandSyntax.rw("del-port", 1, 2, "[BRIDGE] PORT|IFACE", "--if-exists,--with-iface", null,
                        PortCommands::delPortCommand),
                CommandSyntax.ro("port-to-br", 1, 1, "PORT", "", null, PortCommands::portToBr),
                CommandSyntax.rw("add-bond", 4, CommandSyntax.UNLIMITED, "BRIDGE BOND IFACE... [COLUMN[:KEY]=VALUE]...",
                        "--may-exist,--fake-iface", null, PortCommands::addBond),
                CommandSyntax.rw("add-bond-iface", 2, 2, "BOND IFACE", "--may-exist", null, PortCommands::addBondIface),
                CommandSyntax.rw("del-bond-iface", 1, 2, "[BOND] IFACE", "--if-exists", null, PortCommands::delBondIface),
                CommandSyntax.ro("list-ifaces", 1, 1, "BRIDGE", "", null, PortCommands::listIfaces),
                CommandSyntax.ro("iface-to-br", 1, 1, "IFACE", "", null, PortCommands::ifaceToBr));
    }

    private static void listPorts(CtlContext ctx) {
        BridgeCache.Bridge br = Lookups.findBridge(ctx, ctx.arg(1), true);
        List<String> names = new ArrayList<>();
        for (BridgeCache.Port port : br.ports) {
            if (!port.name.equals(br.name)) {
                names.add(port.name);
            }
        }
        BridgeCommands.outputSorted(ctx, names);
    }

    private static void addPort(CtlContext ctx) {
        addPort(ctx, ctx.arg(1), ctx.arg(2), ctx.hasOption("--may-exist"), false, List.of(ctx.arg(2)),
                ctx.argv().subList(3, ctx.argc()));
    }

    private static void addBond(CtlContext ctx) {
        int nIfaces = ctx.argc() - 3;
        for (int i = 3; i < ctx.argc(); i++) {
            if (ctx.arg(i).contains("=")) {
                nIfaces = i - 3;
                break;
            }
        }
        if (nIfaces < 2) {
            throw new CtlError("add-bond requires at least 2 interfaces, but only " + nIfaces + " were specified");
        }
        addPort(ctx, ctx.arg(1), ctx.arg(2), ctx.hasOption("--may-exist"), ctx.hasOption("--fake-iface"),
                ctx.argv().subList(3, 3 + nIfaces), ctx.argv().subList(3 + nIfaces, ctx.argc()));
    }

    /** vsctl_context_to_string: the command as typed, for the --may-exist messages. */
    private static String commandString(CtlContext ctx) {
        List<String> words = new ArrayList<>(ctx.options().keySet());
        words.addAll(ctx.argv());
        return Lookups.escapeArgs(words);
    }

    /** add_port. */
    private static void addPort(CtlContext ctx, String brName, String portName, boolean mayExist, boolean fakeIface,
                                List<String> ifaceNames, List<String> settings) {
        if (portName.isEmpty()) {
            throw new CtlError("port name must not be empty string");
        }
        for (String iface : ifaceNames) {
            if (iface.isEmpty()) {
                throw new CtlError("interface name must not be empty string");
            }
        }
        if (mayExist) {
            BridgeCache.Port port = Lookups.findPort(ctx, portName, false);
            if (port != null) {
                List<String> want = new ArrayList<>(ifaceNames);
                Collections.sort(want, AtomOrder::compareStrings);
                List<String> have = new ArrayList<>();
                for (Object u : ctx.txn.read("Port", port.uuid, "interfaces").keys()) {
                    have.add(ctx.txn.readString("Interface", (UUID) u, "name"));
                }
                Collections.sort(have, AtomOrder::compareStrings);
                if (!port.bridge.name.equals(brName)) {
                    throw new CtlError("\"" + commandString(ctx) + "\" but " + portName
                            + " is actually attached to bridge " + port.bridge.name);
                }
                if (!want.equals(have)) {
                    throw new CtlError("\"" + commandString(ctx) + "\" but " + portName
                            + " actually has interface(s) " + String.join(", ", have));
                }
                return;
            }
        }
        Lookups.checkConflicts(ctx, portName, "cannot create a port named " + portName);
        for (String iface : ifaceNames) {
            Lookups.checkConflicts(ctx, iface, "cannot create an interface named " + iface);
        }
        BridgeCache.Bridge bridge = Lookups.findBridge(ctx, brName, true);

        List<UUID> ifaces = new ArrayList<>();
        for (String iface : ifaceNames) {
            UUID uuid = ctx.txn.insert("Interface", Map.of("name", Datum.ofAtom(iface)));
            ifaces.add(uuid);
            ctx.neotericIfaces.add(uuid);
        }
        Map<String, Datum> port = new LinkedHashMap<>();
        port.put("name", Datum.ofAtom(portName));
        port.put("interfaces", Datum.sortUnique(new ArrayList<Object>(ifaces), null));
        port.put("bond_fake_iface", Datum.ofAtom(fakeIface));
        if (bridge.parent != null) {
            port.put("tag", Datum.ofAtom((long) bridge.vlan));
        }
        Table portTable = ctx.schema.table("Port");
        for (String setting : settings) {
            DbCommands.setColumn(ctx, portTable, port, setting);
        }
        UUID portUuid = ctx.txn.insert("Port", port);
        Lookups.addToSet(ctx, "Bridge", bridge.realUuid(), "ports", portUuid);

        Datum tag = port.getOrDefault("tag", Datum.EMPTY);
        Integer vlan = tag.size() == 1 && (Long) tag.key(0) >= 0 && (Long) tag.key(0) <= 4095
                ? (int) (long) (Long) tag.key(0) : null;
        BridgeCache.Port cached = ctx.cache().addPort(bridge, portUuid, portName, vlan);
        for (int i = 0; i < ifaces.size(); i++) {
            ctx.cache().addIface(cached, ifaces.get(i), ifaceNames.get(i));
        }
    }

    /** del_port: off its bridge, with its interfaces. */
    static void delPort(CtlContext ctx, BridgeCache.Port port) {
        Lookups.removeFromSet(ctx, "Bridge", port.bridge.realUuid(), "ports", port.uuid);
        for (BridgeCache.Iface iface : new ArrayList<>(port.ifaces)) {
            ctx.txn.delete("Interface", iface.uuid);
            ctx.cache().removeIface(iface);
        }
        ctx.cache().removePort(port);
        ctx.txn.delete("Port", port.uuid);
    }

    private static void delPortCommand(CtlContext ctx) {
        boolean mustExist = !ctx.hasOption("--if-exists");
        boolean withIface = ctx.hasOption("--with-iface");
        String target = ctx.arg(ctx.argc() - 1);
        BridgeCache.Port port;
        if (Lookups.findBridge(ctx, target, false) != null) {
            if (mustExist) {
                throw new CtlError("cannot delete port " + target + " because it is the local port for bridge "
                        + target + " (deleting this port requires deleting the entire bridge)");
            }
            port = null;
        } else if (!withIface) {
            port = Lookups.findPort(ctx, target, mustExist);
        } else {
            port = Lookups.findPort(ctx, target, false);
            if (port == null) {
                BridgeCache.Iface iface = Lookups.findIface(ctx, target, false);
                if (iface != null) {
                    port = iface.port;
                }
            }
            if (mustExist && port == null) {
                throw new CtlError("no port or interface named " + target);
            }
        }
        if (port == null) {
            return;
        }
        if (ctx.argc() == 3) {
            BridgeCache.Bridge bridge = Lookups.findBridge(ctx, ctx.arg(1), true);
            if (port.bridge != bridge) {
                if (port.bridge.parent == bridge) {
                    throw new CtlError("bridge " + ctx.arg(1) + " does not have a port " + ctx.arg(2)
                            + " (although its child bridge " + port.bridge.name + " does)");
                }
                throw new CtlError("bridge " + ctx.arg(1) + " does not have a port " + ctx.arg(2));
            }
        }
        delPort(ctx, port);
    }

    private static void portToBr(CtlContext ctx) {
        ctx.output.append(Lookups.findPort(ctx, ctx.arg(1), true).bridge.name).append('\n');
    }

    private static void addBondIface(CtlContext ctx) {
        BridgeCache.Port port = Lookups.findPort(ctx, ctx.arg(1), true);
        String ifaceName = ctx.arg(2);
        if (ctx.hasOption("--may-exist")) {
            BridgeCache.Iface iface = Lookups.findIface(ctx, ifaceName, false);
            if (iface != null) {
                if (iface.port == port) {
                    return;
                }
                throw new CtlError("\"" + commandString(ctx) + "\" but " + ifaceName + " is actually attached to port "
                        + iface.port.name);
            }
        }
        Lookups.checkConflicts(ctx, ifaceName, "cannot create an interface named " + ifaceName);
        UUID iface = ctx.txn.insert("Interface", Map.of("name", Datum.ofAtom(ifaceName)));
        Lookups.addToSet(ctx, "Port", port.uuid, "interfaces", iface);
        ctx.neotericIfaces.add(iface);
        ctx.cache().addIface(port, iface, ifaceName);
    }

    private static void delBondIface(CtlContext ctx) {
        String ifaceName = ctx.arg(ctx.argc() - 1);
        boolean mustExist = !ctx.hasOption("--if-exists");
        BridgeCache.Iface iface = Lookups.findIface(ctx, ifaceName, mustExist);
        if (iface == null) {
            return;
        }
        if (ctx.argc() > 2) {
            BridgeCache.Port port = Lookups.findPort(ctx, ctx.arg(1), true);
            if (iface.port != port) {
                throw new CtlError("port " + ctx.arg(1) + " does not have an interface " + ifaceName);
            }
        }
        if (iface.port.ifaces.size() <= 1) {
            throw new CtlError("cannot delete last interface from port " + iface.port.name);
        }
        Lookups.removeFromSet(ctx, "Port", iface.port.uuid, "interfaces", iface.uuid);
        ctx.txn.delete("Interface", iface.uuid);
        ctx.cache().removeIface(iface);
    }

    private static void listIfaces(CtlContext ctx) {
        BridgeCache.Bridge br = Lookups.findBridge(ctx, ctx.arg(1), true);
        List<String> names = new ArrayList<>();
        for (BridgeCache.Port port : br.ports) {
            for (BridgeCache.Iface iface : port.ifaces) {
                if (!iface.name.equals(br.name)) {
                    names.add(iface.name);
                }
            }
        }
        BridgeCommands.outputSorted(ctx, names);
    }

    private static void ifaceToBr(CtlContext ctx) {
        ctx.output.append(Lookups.findIface(ctx, ctx.arg(1), true).port.bridge.name).append('\n');
    }
}
