package org.jvswitch.vsctl.internal;

import java.util.List;

import org.jvswitch.api.ovsdb.DbRow;

/** "init" and "emer-reset" (cmd_init and cmd_emer_reset in utilities/ovs-vsctl.c). */
final class SwitchCommands {
    private static final List<String> EMER_RESET_TABLES = List.of("Mirror", "Controller", "Manager", "NetFlow", "SSL",
            "sFlow", "IPFIX", "Flow_Sample_Collector_Set");

    private SwitchCommands() {
    }

    static List<CommandSyntax> syntaxes() {
        // "init" does nothing itself: every invocation creates the Open_vSwitch row if it is missing.
        return List.of(
                CommandSyntax.rw("init", 0, 0, "", "", null, ctx -> { }),
                CommandSyntax.rw("emer-reset", 0, 0, "", "", null, SwitchCommands::emerReset));
    }

    /** Back to a clean state: no managers, controllers, mirrors, monitoring or QoS policing. */
    private static void emerReset(CtlContext ctx) {
        VsctlTxn txn = ctx.txn;
        txn.write("Open_vSwitch", ctx.ovs, "manager_options", Datum.EMPTY);
        txn.write("Open_vSwitch", ctx.ovs, "ssl", Datum.EMPTY);
        for (DbRow br : txn.rows("Bridge")) {
            for (String column : List.of("controller", "fail_mode", "mirrors", "netflow", "sflow", "ipfix",
                    "flood_vlans")) {
                txn.write("Bridge", br.uuid(), column, Datum.EMPTY);
            }
            // Only the "hwaddr" key of other_config survives.
            Datum other = txn.read(br, "other_config");
            int hwaddr = other.find("hwaddr");
            txn.write("Bridge", br.uuid(), "other_config",
                    hwaddr >= 0 ? Datum.ofPair("hwaddr", other.value(hwaddr)) : Datum.EMPTY);
        }
        for (DbRow port : txn.rows("Port")) {
            txn.write("Port", port.uuid(), "other_config", Datum.EMPTY);
        }
        for (DbRow iface : txn.rows("Interface")) {
            txn.write("Interface", iface.uuid(), "ingress_policing_rate", Datum.ofAtom(0L));
            txn.write("Interface", iface.uuid(), "ingress_policing_burst", Datum.ofAtom(0L));
        }
        for (String table : EMER_RESET_TABLES) {
            for (DbRow row : txn.rows(table)) {
                txn.delete(table, row.uuid());
            }
        }
        ctx.invalidateCache();
    }
}
