package org.jvswitch.vsctl.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jvswitch.api.ovsdb.DbRow;

/**
 * The conntrack zone timeout policy and datapath capability commands of utilities/ovs-vsctl.c:
 * add-zone-tp, del-zone-tp, list-zone-tp and list-dp-cap (Open_vSwitch.datapaths by name).
 */
final class DatapathCommands {
    private DatapathCommands() {
    }

    static List<CommandSyntax> syntaxes() {
        return List.of(
                CommandSyntax.rw("add-zone-tp", 3, CommandSyntax.UNLIMITED, "", "--may-exist", null,
                        DatapathCommands::addZoneTp),
                CommandSyntax.rw("del-zone-tp", 2, 2, "", "--if-exists", null, DatapathCommands::delZoneTp),
                CommandSyntax.ro("list-zone-tp", 1, 1, "", "", null, DatapathCommands::listZoneTp),
                CommandSyntax.ro("list-dp-cap", 1, 1, "", "", null, DatapathCommands::listDpCap));
    }

    private static UUID findDatapath(CtlContext ctx, String name) {
        Datum dps = ctx.txn.read("Open_vSwitch", ctx.ovs, "datapaths");
        int i = dps.find(name);
        return i < 0 ? null : (UUID) dps.value(i);
    }

    /** ovs_scan(arg, "zone=%i"): the zone number, 0 if the argument does not say. */
    private static long zone(String arg) {
        if (!arg.startsWith("zone=")) {
            return 0;
        }
        Long v = DatumParser.parseLong(arg.substring(5));
        return v == null ? Lookups.atoi(arg.substring(5)) : v;
    }

    private static void addZoneTp(CtlContext ctx) {
        String dpName = ctx.arg(1);
        long zoneId = zone(ctx.arg(2));
        UUID dp = findDatapath(ctx, dpName);
        if (dp == null) {
            throw new CtlError("datapath " + dpName + " does not exist");
        }
        Datum zones = ctx.txn.read("Datapath", dp, "ct_zones");
        int z = zones.find(zoneId);
        if (ctx.argc() - 3 <= 0) {
            throw new CtlError("No timeout policy");
        }
        if (z >= 0 && !ctx.hasOption("--may-exist")) {
            throw new CtlError("zone id " + zoneId + " already exists");
        }
        UUID tp = timeoutPolicy(ctx, ctx.argv().subList(3, ctx.argc()));
        if (z >= 0) {
            ctx.txn.write("CT_Zone", (UUID) zones.value(z), "timeout_policy", Datum.ofAtom(tp));
        } else {
            UUID zone = ctx.txn.insert("CT_Zone", Map.of("timeout_policy", Datum.ofAtom(tp)));
            ctx.txn.write("Datapath", dp, "ct_zones", Datum.ofPair(zoneId, zone).union(zones));
        }
    }

    /** create_timeout_policy: an existing policy with the same timeouts, or a new one. */
    private static UUID timeoutPolicy(CtlContext ctx, List<String> args) {
        Map<Object, Object> timeouts = new LinkedHashMap<>();
        for (String a : args) {
            String s = a.replaceFirst("^[, \t\r\n]+", "");
            if (s.isEmpty()) {
                break;
            }
            int end = 0;
            while (end < s.length() && ":=(, \t\r\n".indexOf(s.charAt(end)) < 0) {
                end++;
            }
            String key = s.substring(0, end);
            String value = end < s.length() ? s.substring(end + 1).replaceFirst("[, \t\r\n)].*$", "") : "";
            timeouts.put(key, (long) Lookups.atoi(value));
        }
        Datum wanted = Datum.sortUnique(new ArrayList<>(timeouts.keySet()), new ArrayList<>(timeouts.values()));
        for (DbRow row : ctx.txn.rows("CT_Timeout_Policy")) {
            if (ctx.txn.read(row, "timeouts").equals(wanted)) {
                return row.uuid();
            }
        }
        return ctx.txn.insert("CT_Timeout_Policy", Map.of("timeouts", wanted));
    }

    private static void delZoneTp(CtlContext ctx) {
        String dpName = ctx.arg(1);
        long zoneId = zone(ctx.arg(2));
        UUID dp = findDatapath(ctx, dpName);
        if (dp == null) {
            throw new CtlError("datapath " + dpName + " does not exist");
        }
        Datum zones = ctx.txn.read("Datapath", dp, "ct_zones");
        if (zones.find(zoneId) < 0) {
            if (!ctx.hasOption("--if-exists")) {
                throw new CtlError("zone id " + zoneId + " does not exist");
            }
            return;
        }
        ctx.txn.write("Datapath", dp, "ct_zones", zones.subtract(Datum.ofAtom(zoneId)));
    }

    private static void listZoneTp(CtlContext ctx) {
        UUID dp = findDatapath(ctx, ctx.arg(1));
        if (dp == null) {
            throw new CtlError("datapath: " + ctx.arg(1) + " record not found");
        }
        Datum zones = ctx.txn.read("Datapath", dp, "ct_zones");
        for (int i = 0; i < zones.size(); i++) {
            StringBuilder line = new StringBuilder("Zone:" + zones.key(i) + ", Timeout Policies: ");
            Datum tp = ctx.txn.read("CT_Zone", (UUID) zones.value(i), "timeout_policy");
            if (!tp.isEmpty()) {
                Datum timeouts = ctx.txn.read("CT_Timeout_Policy", (UUID) tp.key(0), "timeouts");
                for (int j = 0; j < timeouts.size(); j++) {
                    line.append(timeouts.key(j)).append('=').append(timeouts.value(j)).append(' ');
                }
            } else {
                line.append("system default");
            }
            chomp(line);
            ctx.output.append(line).append('\n');
        }
    }

    private static void listDpCap(CtlContext ctx) {
        UUID dp = findDatapath(ctx, ctx.arg(1));
        if (dp == null) {
            throw new CtlError("datapath \"" + ctx.arg(1) + "\" record not found");
        }
        Datum caps = ctx.txn.read("Datapath", dp, "capabilities");
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < caps.size(); i++) {
            line.append(caps.key(i)).append('=').append(caps.value(i)).append(' ');
        }
        chomp(line);
        ctx.output.append(line).append('\n');
    }

    /** ds_chomp(' '): one trailing space goes. */
    private static void chomp(StringBuilder s) {
        if (!s.isEmpty() && s.charAt(s.length() - 1) == ' ') {
            s.setLength(s.length() - 1);
        }
    }
}
