package org.jvswitch.vsctl.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The controller and fail-mode commands of utilities/ovs-vsctl.c: get-controller,
 * del-controller, set-controller, get-fail-mode, del-fail-mode and set-fail-mode.
 */
final class ControllerCommands {
    private static final Set<String> ACTIVE = Set.of("tcp", "ssl", "unix");
    private static final Set<String> PASSIVE = Set.of("ptcp", "pssl", "punix");

    private ControllerCommands() {
    }

    static List<CommandSyntax> syntaxes() {
        return List.of(
                CommandSyntax.ro("get-controller", 1, 1, "BRIDGE", "", null, ControllerCommands::getController),
                CommandSyntax.rw("del-controller", 1, 1, "BRIDGE", "", null, ControllerCommands::delController),
                CommandSyntax.rw("set-controller", 1, CommandSyntax.UNLIMITED, "BRIDGE TARGET...",
                        "--inactivity-probe=", null, ControllerCommands::setController),
                CommandSyntax.ro("get-fail-mode", 1, 1, "BRIDGE", "", null, ControllerCommands::getFailMode),
                CommandSyntax.rw("del-fail-mode", 1, 1, "BRIDGE", "", null, ControllerCommands::delFailMode),
                CommandSyntax.rw("set-fail-mode", 2, 2, "BRIDGE MODE", "", null, ControllerCommands::setFailMode));
    }

    /** vconn_verify_name/stream_verify_name and their passive twins: is the method known? */
    static boolean knownTarget(String target) {
        int colon = target.indexOf(':');
        if (colon < 0) {
            return false;
        }
        String method = target.substring(0, colon);
        return ACTIVE.contains(method) || PASSIVE.contains(method);
    }

    private static BridgeCache.Bridge realOf(BridgeCache.Bridge br) {
        return br.parent != null ? br.parent : br;
    }

    private static void getController(CtlContext ctx) {
        BridgeCache.Bridge br = realOf(Lookups.findBridge(ctx, ctx.arg(1), true));
        List<String> targets = new ArrayList<>();
        for (Object u : ctx.txn.read("Bridge", br.uuid, "controller").keys()) {
            targets.add(ctx.txn.readString("Controller", (UUID) u, "target"));
        }
        BridgeCommands.outputSorted(ctx, targets);
    }

    private static void deleteControllers(CtlContext ctx, UUID bridge) {
        for (Object u : ctx.txn.read("Bridge", bridge, "controller").keys()) {
            ctx.txn.delete("Controller", (UUID) u);
        }
    }

    private static void delController(CtlContext ctx) {
        UUID br = Lookups.findRealBridge(ctx, ctx.arg(1), true).uuid;
        if (!ctx.txn.read("Bridge", br, "controller").isEmpty()) {
            deleteControllers(ctx, br);
            ctx.txn.write("Bridge", br, "controller", Datum.EMPTY);
        }
    }

    private static void setController(CtlContext ctx) {
        UUID br = Lookups.findRealBridge(ctx, ctx.arg(1), true).uuid;
        deleteControllers(ctx, br);
        String probe = ctx.option("--inactivity-probe");
        List<Object> controllers = new ArrayList<>();
        for (String target : ctx.argv().subList(2, ctx.argc())) {
            if (!knownTarget(target)) {
                ctx.vlog.warn("vsctl", "target type \"" + target + "\" is possibly erroneous");
            }
            controllers.add(ctx.txn.insert("Controller", probe == null
                    ? Map.of("target", Datum.ofAtom(target))
                    : Map.of("target", Datum.ofAtom(target), "inactivity_probe", Datum.ofAtom(atoll(probe)))));
        }
        ctx.txn.write("Bridge", br, "controller", Datum.sortUnique(controllers, null));
    }

    /** C's atoll. */
    static long atoll(String s) {
        String t = s.stripLeading();
        int i = 0;
        if (i < t.length() && (t.charAt(i) == '+' || t.charAt(i) == '-')) {
            i++;
        }
        while (i < t.length() && t.charAt(i) >= '0' && t.charAt(i) <= '9') {
            i++;
        }
        try {
            String digits = t.substring(0, i);
            return digits.isEmpty() || digits.equals("+") || digits.equals("-") ? 0
                    : Long.parseLong(digits.startsWith("+") ? digits.substring(1) : digits);
        } catch (NumberFormatException e) {
            return t.startsWith("-") ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    private static void getFailMode(CtlContext ctx) {
        BridgeCache.Bridge br = realOf(Lookups.findBridge(ctx, ctx.arg(1), true));
        Datum mode = ctx.txn.read("Bridge", br.uuid, "fail_mode");
        if (!mode.isEmpty() && !((String) mode.key(0)).isEmpty()) {
            ctx.output.append(mode.key(0)).append('\n');
        }
    }

    private static void delFailMode(CtlContext ctx) {
        UUID br = Lookups.findRealBridge(ctx, ctx.arg(1), true).uuid;
        ctx.txn.write("Bridge", br, "fail_mode", Datum.EMPTY);
    }

    private static void setFailMode(CtlContext ctx) {
        UUID br = Lookups.findRealBridge(ctx, ctx.arg(1), true).uuid;
        String mode = ctx.arg(2);
        if (!mode.equals("standalone") && !mode.equals("secure")) {
            throw new CtlError("fail-mode must be \"standalone\" or \"secure\"");
        }
        ctx.txn.write("Bridge", br, "fail_mode", Datum.ofAtom(mode));
    }
}
