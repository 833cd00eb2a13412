package org.jvswitch.vsctl.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;

/**
 * The manager and SSL commands of utilities/ovs-vsctl.c: get-manager, del-manager, set-manager,
 * get-ssl, del-ssl and set-ssl. Both live on the Open_vSwitch row.
 */
final class ManagerCommands {
    private ManagerCommands() {
    }

    static List<CommandSyntax> syntaxes() {
        return List.of(
                CommandSyntax.ro("get-manager", 0, 0, "", "", null, ManagerCommands::getManager),
                CommandSyntax.rw("del-manager", 0, 0, "", "", null, ManagerCommands::delManager),
                CommandSyntax.rw("set-manager", 1, CommandSyntax.UNLIMITED, "TARGET...", "--inactivity-probe=", null,
                        ManagerCommands::setManager),
                CommandSyntax.ro("get-ssl", 0, 0, "", "", null, ManagerCommands::getSsl),
                CommandSyntax.rw("del-ssl", 0, 0, "", "", null, ManagerCommands::delSsl),
                CommandSyntax.rw("set-ssl", 3, 3, "PRIVATE-KEY CERTIFICATE CA-CERT", "--bootstrap", null,
                        ManagerCommands::setSsl));
    }

    private static void getManager(CtlContext ctx) {
        // svec_sort_unique: sorted, each target once.
        TreeSet<String> targets = new TreeSet<>(AtomOrder::compareStrings);
        for (Object u : ctx.txn.read("Open_vSwitch", ctx.ovs, "manager_options").keys()) {
            targets.add(ctx.txn.readString("Manager", (UUID) u, "target"));
        }
        for (String t : targets) {
            ctx.output.append(t).append('\n');
        }
    }

    private static void deleteManagers(CtlContext ctx) {
        for (Object u : ctx.txn.read("Open_vSwitch", ctx.ovs, "manager_options").keys()) {
            ctx.txn.delete("Manager", (UUID) u);
        }
        ctx.txn.write("Open_vSwitch", ctx.ovs, "manager_options", Datum.EMPTY);
    }

    private static void delManager(CtlContext ctx) {
        deleteManagers(ctx);
    }

    private static void setManager(CtlContext ctx) {
        deleteManagers(ctx);
        String probe = ctx.option("--inactivity-probe");
        List<Object> managers = new ArrayList<>();
        for (String target : ctx.argv().subList(1, ctx.argc())) {
            if (!ControllerCommands.knownTarget(target)) {
                ctx.vlog.warn("vsctl", "target type \"" + target + "\" is possibly erroneous");
            }
            Map<String, Datum> values = new LinkedHashMap<>();
            values.put("target", Datum.ofAtom(target));
            if (probe != null) {
                values.put("inactivity_probe", Datum.ofAtom(ControllerCommands.atoll(probe)));
            }
            managers.add(ctx.txn.insert("Manager", values));
        }
        ctx.txn.write("Open_vSwitch", ctx.ovs, "manager_options", Datum.sortUnique(managers, null));
    }

    private static void getSsl(CtlContext ctx) {
        Datum ssl = ctx.txn.read("Open_vSwitch", ctx.ovs, "ssl");
        if (ssl.isEmpty() || ctx.txn.row("SSL", (UUID) ssl.key(0)) == null) {
            return;
        }
        UUID row = (UUID) ssl.key(0);
        ctx.output.append("Private key: ").append(ctx.txn.readString("SSL", row, "private_key")).append('\n');
        ctx.output.append("Certificate: ").append(ctx.txn.readString("SSL", row, "certificate")).append('\n');
        ctx.output.append("CA Certificate: ").append(ctx.txn.readString("SSL", row, "ca_cert")).append('\n');
        Datum bootstrap = ctx.txn.read("SSL", row, "bootstrap_ca_cert");
        ctx.output.append("Bootstrap: ").append(!bootstrap.isEmpty() && Boolean.TRUE.equals(bootstrap.key(0)))
                .append('\n');
    }

    private static void delSsl(CtlContext ctx) {
        Datum ssl = ctx.txn.read("Open_vSwitch", ctx.ovs, "ssl");
        if (!ssl.isEmpty()) {
            ctx.txn.delete("SSL", (UUID) ssl.key(0));
            ctx.txn.write("Open_vSwitch", ctx.ovs, "ssl", Datum.EMPTY);
        }
    }

    private static void setSsl(CtlContext ctx) {
        Datum old = ctx.txn.read("Open_vSwitch", ctx.ovs, "ssl");
        if (!old.isEmpty()) {
            ctx.txn.delete("SSL", (UUID) old.key(0));
        }
        Map<String, Datum> values = new LinkedHashMap<>();
        values.put("private_key", Datum.ofAtom(ctx.arg(1)));
        values.put("certificate", Datum.ofAtom(ctx.arg(2)));
        values.put("ca_cert", Datum.ofAtom(ctx.arg(3)));
        values.put("bootstrap_ca_cert", Datum.ofAtom(ctx.hasOption("--bootstrap")));
        UUID ssl = ctx.txn.insert("SSL", values);
        ctx.txn.write("Open_vSwitch", ctx.ovs, "ssl", Datum.ofAtom(ssl));
    }
}
