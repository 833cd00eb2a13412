package org.jvswitch.vsctl.internal;

import java.util.Comparator;
import java.util.UUID;

/**
 * The order of atoms in a datum (ovsdb_atom_compare_3way). It decides the order in which sets and
 * maps print, so it must match Open vSwitch's, not Java's: strings compare as UTF-8 bytes (that is,
 * by code point, not by UTF-16 unit) and UUIDs as their unsigned 32-bit words (that is, as their
 * lowercase text; {@link UUID#compareTo} compares signed longs).
 */
final class AtomOrder implements Comparator<Object> {
    static final AtomOrder INSTANCE = new AtomOrder();

    private AtomOrder() {
    }

    @Override
    public int compare(Object a, Object b) {
        if (a instanceof String x && b instanceof String y) {
            return compareStrings(x, y);
        } else if (a instanceof Long x && b instanceof Long y) {
            return Long.compare(x, y);
        } else if (a instanceof Double x && b instanceof Double y) {
            // Not Double.compare: OVS compares with < and >, so -0.0 equals 0.0.
            return x < y ? -1 : x > y ? 1 : 0;
        } else if (a instanceof Boolean x && b instanceof Boolean y) {
            return Boolean.compare(x, y);
        } else if (a instanceof UUID x && b instanceof UUID y) {
            return x.toString().compareTo(y.toString());
        }
        throw new IllegalArgumentException("cannot compare " + a + " and " + b);
    }

    static int compareStrings(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return ca < cb ? -1 : 1;
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Boolean.compare(i < a.length(), j < b.length());
    }
}
