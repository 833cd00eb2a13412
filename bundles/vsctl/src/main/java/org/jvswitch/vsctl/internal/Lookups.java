package org.jvswitch.vsctl.internal;

import java.util.UUID;

/**
 * Name lookups and conflict checks of the bridge commands (find_bridge, find_real_bridge,
 * find_port, find_iface and check_conflicts in utilities/ovs-vsctl.c), with their error texts.
 */
final class Lookups {
    private Lookups() {
    }

    static BridgeCache.Bridge findBridge(CtlContext ctx, String name, boolean mustExist) {
        BridgeCache.Bridge br = ctx.cache().bridges.get(name);
        if (mustExist && br == null) {
            throw new CtlError("no bridge named " + name);
        }
        return br;
    }

    static BridgeCache.Bridge findRealBridge(CtlContext ctx, String name, boolean mustExist) {
        BridgeCache.Bridge br = findBridge(ctx, name, mustExist);
        if (br != null && br.parent != null) {
            throw new CtlError(name + " is a fake bridge");
        }
        return br;
    }

    /** A port by name; a bridge's own local port does not count as a port. */
    static BridgeCache.Port findPort(CtlContext ctx, String name, boolean mustExist) {
        BridgeCache.Port port = ctx.cache().ports.get(name);
        if (port != null && name.equals(port.bridge.name)) {
            port = null;
        }
        if (mustExist && port == null) {
            throw new CtlError("no port named " + name);
        }
        return port;
    }

    static BridgeCache.Iface findIface(CtlContext ctx, String name, boolean mustExist) {
        BridgeCache.Iface iface = ctx.cache().ifaces.get(name);
        if (iface != null && name.equals(iface.port.bridge.name)) {
            iface = null;
        }
        if (mustExist && iface == null) {
            throw new CtlError("no interface named " + name);
        }
        return iface;
    }

    /** check_conflicts: a new bridge, port or interface name must be free among all three. */
    static void checkConflicts(CtlContext ctx, String name, String msg) {
        BridgeCache cache = ctx.cache();
        if (cache.bridges.containsKey(name)) {
            throw new CtlError(msg + " because a bridge named " + name + " already exists");
        }
        BridgeCache.Port port = cache.ports.get(name);
        if (port != null) {
            throw new CtlError(msg + " because a port named " + name + " already exists on bridge " + port.bridge.name);
        }
        BridgeCache.Iface iface = cache.ifaces.get(name);
        if (iface != null) {
            throw new CtlError(msg + " because an interface named " + name + " already exists on bridge "
                    + iface.port.bridge.name);
        }
    }

    /** Adds a UUID to a set column (bridge_insert_port, ovs_insert_bridge). */
    static void addToSet(CtlContext ctx, String table, UUID row, String column, UUID member) {
        ctx.txn.write(table, row, column, ctx.txn.read(table, row, column).union(Datum.ofAtom(member)));
    }

    /** Removes a UUID from a set column (bridge_delete_port, ovs_delete_bridge). */
    static void removeFromSet(CtlContext ctx, String table, UUID row, String column, UUID member) {
        ctx.txn.write(table, row, column, ctx.txn.read(table, row, column).subtract(Datum.ofAtom(member)));
    }

    /** C's atoi: leading blanks, a sign, digits; anything else ends it; nothing is 0. */
    static int atoi(String s) {
        int i = 0;
        while (i < s.length() && DatumParser.isSpace(s.charAt(i))) {
            i++;
        }
        boolean negative = false;
        if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            negative = s.charAt(i) == '-';
            i++;
        }
        long v = 0;
        while (i < s.length() && Character.isDigit(s.charAt(i)) && s.charAt(i) < 128) {
            v = v * 10 + (s.charAt(i) - '0');
            if (v > Integer.MAX_VALUE + 1L) {
                v = Integer.MAX_VALUE + 1L;
            }
            i++;
        }
        long r = negative ? -v : v;
        return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, r));
    }

    /** process_escape_args: words joined by spaces, quoted when they hold blanks, quotes or backslashes. */
    static String escapeArgs(Iterable<String> words) {
        StringBuilder s = new StringBuilder();
        boolean first = true;
        for (String w : words) {
            if (!first) {
                s.append(' ');
            }
            first = false;
            boolean quote = false;
            for (char c : w.toCharArray()) {
                if (" \t\r\n\u000b\\'\"".indexOf(c) >= 0) {
                    quote = true;
                    break;
                }
            }
            if (!quote) {
                s.append(w);
                continue;
            }
            s.append('"');
            for (char c : w.toCharArray()) {
                if (c == '\\' || c == '"') {
                    s.append('\\');
                }
                s.append(c);
            }
            s.append('"');
        }
        return s.toString();
    }
}
