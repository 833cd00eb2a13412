package org.jvswitch.vsctl.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** add-aa-mapping, del-aa-mapping and get-aa-mapping (Auto Attach I-SID to VLAN mappings of a bridge). */
final class AutoAttachCommands {
    private AutoAttachCommands() {
    }

    static List<CommandSyntax> syntaxes() {
        return List.of(
                CommandSyntax.rw("add-aa-mapping", 3, 3, "BRIDGE ARG ARG", "", null, AutoAttachCommands::add),
                CommandSyntax.rw("del-aa-mapping", 3, 3, "BRIDGE ARG ARG", "", null, AutoAttachCommands::del),
                CommandSyntax.ro("get-aa-mapping", 1, 1, "BRIDGE", "", null, AutoAttachCommands::get));
    }

    /** strtoull with the check ovs-vsctl makes: some digits must be there. */
    private static long number(String s) {
        String t = s.stripLeading();
        int i = 0;
        boolean negative = false;
        if (i < t.length() && (t.charAt(i) == '+' || t.charAt(i) == '-')) {
            negative = t.charAt(i) == '-';
            i++;
        }
        int digits = i;
        while (i < t.length() && t.charAt(i) >= '0' && t.charAt(i) <= '9') {
            i++;
        }
        if (i == digits) {
            throw new CtlError("Invalid argument " + s);
        }
        long v;
        try {
            v = Long.parseUnsignedLong(t.substring(digits, i));
        } catch (NumberFormatException e) {
            v = -1; // ULLONG_MAX
        }
        return negative ? -v : v;
    }

    private static BridgeCache.Bridge realBridge(CtlContext ctx) {
        BridgeCache.Bridge br = Lookups.findBridge(ctx, ctx.arg(1), true);
        return br.parent != null ? br.parent : br;
    }

    private static void add(CtlContext ctx) {
        long isid = number(ctx.arg(2));
        long vlan = number(ctx.arg(3));
        UUID br = realBridge(ctx).uuid;
        Datum aa = ctx.txn.read("Bridge", br, "auto_attach");
        UUID row;
        if (aa.isEmpty()) {
            row = ctx.txn.insert("AutoAttach", Map.of());
            ctx.txn.write("Bridge", br, "auto_attach", Datum.ofAtom(row));
        } else {
            row = (UUID) aa.key(0);
        }
        Datum mappings = ctx.txn.read("AutoAttach", row, "mappings");
        ctx.txn.write("AutoAttach", row, "mappings", Datum.ofPair(isid, vlan).union(mappings));
    }

    private static void del(CtlContext ctx) {
        long isid = number(ctx.arg(2));
        long vlan = number(ctx.arg(3));
        Datum aa = ctx.txn.read("Bridge", realBridge(ctx).uuid, "auto_attach");
        if (aa.isEmpty()) {
            return;
        }
        UUID row = (UUID) aa.key(0);
        Datum mappings = ctx.txn.read("AutoAttach", row, "mappings");
        int i = mappings.find(isid);
        if (i < 0 || !mappings.value(i).equals(vlan)) {
            return;
        }
        // del_aa_mapping keeps only the pairs whose key and value both differ from the ones removed.
        List<Object> keys = new ArrayList<>();
        List<Object> values = new ArrayList<>();
        for (int j = 0; j < mappings.size(); j++) {
            if (!mappings.key(j).equals(isid) && !mappings.value(j).equals(vlan)) {
                keys.add(mappings.key(j));
                values.add(mappings.value(j));
            }
        }
        ctx.txn.write("AutoAttach", row, "mappings", Datum.ofSorted(keys, values));
    }

    private static void get(CtlContext ctx) {
        Datum aa = ctx.txn.read("Bridge", realBridge(ctx).uuid, "auto_attach");
        if (aa.isEmpty()) {
            return;
        }
        Datum mappings = ctx.txn.read("AutoAttach", (UUID) aa.key(0), "mappings");
        for (int i = 0; i < mappings.size(); i++) {
            ctx.output.append(mappings.key(i)).append(' ').append(mappings.value(i)).append('\n');
        }
    }
}
