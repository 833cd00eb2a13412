package org.jvswitch.vsctl.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import org.jvswitch.api.ovsdb.DbSchema.AtomicType;
import org.jvswitch.api.ovsdb.DbSchema.Type;

/**
 * A column value the way Open vSwitch's {@code struct ovsdb_datum} holds it: keys in
 * {@link AtomOrder}, unique, and for a map the value of each key. One shape for scalars, sets and
 * maps keeps the set algebra of lib/ovsdb-data.c (union, subtract, includes_all, 3-way compare)
 * simple; {@link #fromApi} and {@link #toApi} convert from and to the database service's values.
 * Immutable.
 */
final class Datum {
    private static final UUID ZERO_UUID = new UUID(0, 0);
    static final Datum EMPTY = new Datum(List.of(), null);

    private final List<Object> keys;
    private final List<Object> values; // null for a set

    private Datum(List<Object> keys, List<Object> values) {
        this.keys = keys;
        this.values = values;
    }

    /** A set or map whose keys are already sorted and unique. */
    static Datum ofSorted(List<Object> keys, List<Object> values) {
        return new Datum(List.copyOf(keys), values == null ? null : List.copyOf(values));
    }

    static Datum ofAtom(Object atom) {
        return new Datum(List.of(atom), null);
    }

    static Datum ofPair(Object key, Object value) {
        return new Datum(List.of(key), List.of(value));
    }

    /** Sorts unsorted atoms; returns null if two keys are equal (the caller reports it). */
    static Datum sortUnique(List<Object> keys, List<Object> values) {
        Integer[] order = new Integer[keys.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> AtomOrder.INSTANCE.compare(keys.get(a), keys.get(b)));
        List<Object> k = new ArrayList<>(order.length);
        List<Object> v = values == null ? null : new ArrayList<>(order.length);
        for (int i = 0; i < order.length; i++) {
            Object key = keys.get(order[i]);
            if (i > 0 && AtomOrder.INSTANCE.compare(k.get(i - 1), key) == 0) {
                return null;
            }
            k.add(key);
            if (v != null) {
                v.add(values.get(order[i]));
            }
        }
        return new Datum(Collections.unmodifiableList(k), v == null ? null : Collections.unmodifiableList(v));
    }

    /** Converts a value read from {@link org.jvswitch.api.ovsdb.DbRow#get}. */
    static Datum fromApi(Type type, Object value) {
        if (value == null) {
            return EMPTY;
        }
        if (type.isMap()) {
            Map<?, ?> map = (Map<?, ?>) value;
            List<Object> k = new ArrayList<>(map.size());
            List<Object> v = new ArrayList<>(map.size());
            for (Map.Entry<?, ?> e : map.entrySet()) {
                k.add(normalize(e.getKey()));
                v.add(normalize(e.getValue()));
            }
            return sortUnique(k, v);
        }
        if (value instanceof Collection<?> c) {
            List<Object> k = new ArrayList<>(c.size());
            for (Object o : c) {
                k.add(normalize(o));
            }
            return sortUnique(k, null);
        }
        return ofAtom(normalize(value));
    }

    private static Object normalize(Object atom) {
        return atom instanceof Integer i ? Long.valueOf(i) : atom;
    }

    /** The value to give {@link org.jvswitch.api.ovsdb.DbTransaction}: a bare atom for a scalar column. */
    Object toApi(Type type) {
        if (type.isMap()) {
            Map<Object, Object> map = new LinkedHashMap<>();
            for (int i = 0; i < keys.size(); i++) {
                map.put(keys.get(i), values.get(i));
            }
            return Collections.unmodifiableMap(map);
        }
        if (type.isScalar() && keys.size() == 1) {
            return keys.get(0);
        }
        return keys;
    }

    int size() {
        return keys.size();
    }

    boolean isEmpty() {
        return keys.isEmpty();
    }

    boolean isMap() {
        return values != null;
    }

    List<Object> keys() {
        return keys;
    }

    /** The map's values, in key order; null for a set. */
    List<Object> values() {
        return values;
    }

    Object key(int i) {
        return keys.get(i);
    }

    Object value(int i) {
        return values.get(i);
    }

    /** The index of {@code key} (binary search, as ovsdb_datum_find_key), or -1. */
    int find(Object key) {
        int low = 0;
        int high = keys.size();
        while (low < high) {
            int mid = (low + high) >>> 1;
            int cmp = AtomOrder.INSTANCE.compare(key, keys.get(mid));
            if (cmp < 0) {
                high = mid;
            } else if (cmp > 0) {
                low = mid + 1;
            } else {
                return mid;
            }
        }
        return -1;
    }

    /** Index of element {@code i} of {@code this} in {@code b}, comparing values too unless {@code keysOnly}. */
    private int findIn(int i, Datum b, boolean keysOnly) {
        int j = b.find(keys.get(i));
        if (j < 0 || keysOnly || values == null || b.values == null) {
            return j;
        }
        return AtomOrder.INSTANCE.compare(values.get(i), b.values.get(j)) == 0 ? j : -1;
    }

    /** ovsdb_datum_union: adds b's keys that this lacks (existing keys keep their values). */
    Datum union(Datum b) {
        boolean map = values != null || b.values != null;
        List<Object> k = new ArrayList<>(keys);
        List<Object> v = map ? new ArrayList<>(values != null ? values : List.of()) : null;
        boolean changed = false;
        for (int i = 0; i < b.size(); i++) {
            if (find(b.keys.get(i)) < 0) {
                k.add(b.keys.get(i));
                if (v != null) {
                    v.add(b.values.get(i));
                }
                changed = true;
            }
        }
        return changed ? sortUnique(k, v) : this;
    }

    /**
     * ovsdb_datum_subtract: removes the elements of b; for a map, b may be a set of keys
     * ({@code b.values == null}: remove by key) or a map (remove the pairs that match both).
     */
    Datum subtract(Datum b) {
        List<Object> k = new ArrayList<>();
        List<Object> v = values == null ? null : new ArrayList<>();
        for (int i = 0; i < size(); i++) {
            if (b.findIn0(keys.get(i), values == null ? null : values.get(i)) < 0) {
                k.add(keys.get(i));
                if (v != null) {
                    v.add(values.get(i));
                }
            }
        }
        return k.size() == size() ? this : new Datum(List.copyOf(k), v == null ? null : List.copyOf(v));
    }

    private int findIn0(Object key, Object value) {
        int j = find(key);
        if (j < 0 || values == null || value == null) {
            return j;
        }
        return AtomOrder.INSTANCE.compare(value, values.get(j)) == 0 ? j : -1;
    }

    /** ovsdb_datum_includes_all: every element of this is in b. */
    boolean includedIn(Datum b, boolean keysOnly) {
        if (size() > b.size()) {
            return false;
        }
        for (int i = 0; i < size(); i++) {
            if (findIn(i, b, keysOnly) < 0) {
                return false;
            }
        }
        return true;
    }

    /** ovsdb_datum_excludes_all: no element of this is in b. */
    boolean disjointFrom(Datum b, boolean keysOnly) {
        for (int i = 0; i < size(); i++) {
            if (findIn(i, b, keysOnly) >= 0) {
                return false;
            }
        }
        return true;
    }

    /** ovsdb_datum_compare_3way: shorter first, then keys, then values. */
    static int compare3way(Datum a, Datum b, boolean keysOnly) {
        if (a.size() != b.size()) {
            return a.size() < b.size() ? -1 : 1;
        }
        for (int i = 0; i < a.size(); i++) {
            int c = AtomOrder.INSTANCE.compare(a.keys.get(i), b.keys.get(i));
            if (c != 0) {
                return c;
            }
        }
        if (keysOnly || a.values == null || b.values == null) {
            return 0;
        }
        for (int i = 0; i < a.size(); i++) {
            int c = AtomOrder.INSTANCE.compare(a.values.get(i), b.values.get(i));
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    /** ovsdb_datum_is_default: what "show" leaves out. */
    boolean isDefault(Type type) {
        if (size() != type.min()) {
            return false;
        }
        for (int i = 0; i < size(); i++) {
            if (!isDefaultAtom(keys.get(i)) || (values != null && !isDefaultAtom(values.get(i)))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isDefaultAtom(Object atom) {
        return switch (atom) {
            case Long l -> l == 0;
            case Double d -> d == 0.0;
            case Boolean b -> !b;
            case String s -> s.isEmpty();
            case UUID u -> u.equals(ZERO_UUID);
            default -> false;
        };
    }

    /** The default value of a column (ovsdb_datum_default): empty, or one default atom (pair). */
    static Datum defaultFor(Type type) {
        if (type.min() == 0) {
            return EMPTY;
        }
        Object k = defaultAtom(type.key().type());
        return type.isMap() ? ofPair(k, defaultAtom(type.value().type())) : ofAtom(k);
    }

    static Object defaultAtom(AtomicType type) {
        return switch (type) {
            case INTEGER -> 0L;
            case REAL -> 0.0;
            case BOOLEAN -> false;
            case STRING -> "";
            case UUID -> ZERO_UUID;
        };
    }

    /** A copy with every UUID atom {@code from} replaced by {@code to} (resolving a forward "@name"). */
    Datum replaceUuid(UUID from, UUID to) {
        List<Object> k = replaceAll(keys, from, to);
        List<Object> v = values == null ? null : replaceAll(values, from, to);
        return v == values && k == keys ? this : sortUnique(k, v);
    }

    boolean containsUuid(UUID uuid) {
        return keys.contains(uuid) || (values != null && values.contains(uuid));
    }

    private static List<Object> replaceAll(List<Object> atoms, UUID from, UUID to) {
        if (!atoms.contains(from)) {
            return atoms;
        }
        List<Object> out = new ArrayList<>(atoms.size());
        for (Object a : atoms) {
            out.add(from.equals(a) ? to : a);
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Datum d && keys.equals(d.keys) && Objects.equals(values, d.values);
    }

    @Override
    public int hashCode() {
        return keys.hashCode() * 31 + Objects.hashCode(values);
    }

    @Override
    public String toString() {
        return values == null ? keys.toString() : keys + "->" + values;
    }
}
