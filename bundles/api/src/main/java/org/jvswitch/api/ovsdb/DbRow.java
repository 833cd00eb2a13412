package org.jvswitch.api.ovsdb;

import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * An immutable row. Columns not set hold their type's default: 0, "", false, an empty set or map,
 * or, for a set whose minimum size is 1, one default atom (the all-zero UUID for references), as
 * in Open vSwitch.
 */
public interface DbRow {
    String table();

    UUID uuid();

    /** The column's value, in the representation described in {@link Ovsdb}. Unknown column: IllegalArgumentException. */
    Object get(String column);

    /** A string column, or the single element of an optional string set ("" if empty). */
    default String getString(String column) {
        Object v = get(column);
        if (v instanceof Set<?> s) {
            return s.isEmpty() ? "" : (String) s.iterator().next();
        }
        return (String) v;
    }

    /** An integer column, or the single element of an optional integer set ({@code dflt} if empty). */
    default long getLong(String column, long dflt) {
        Object v = get(column);
        if (v instanceof Set<?> s) {
            return s.isEmpty() ? dflt : (Long) s.iterator().next();
        }
        return (Long) v;
    }

    /** A boolean column, or the single element of an optional boolean set ({@code dflt} if empty). */
    default boolean getBoolean(String column, boolean dflt) {
        Object v = get(column);
        if (v instanceof Set<?> s) {
            return s.isEmpty() ? dflt : (Boolean) s.iterator().next();
        }
        return (Boolean) v;
    }

    /** A set column (a scalar column is returned as a one-element set). */
    @SuppressWarnings("unchecked")
    default <T> Set<T> getSet(String column) {
        Object v = get(column);
        if (v instanceof Set<?> s) {
            return (Set<T>) s;
        }
        return Set.of((T) v);
    }

    /** A map column with string keys and values (other_config, options, external_ids, status). */
    @SuppressWarnings("unchecked")
    default Map<String, String> getStringMap(String column) {
        return (Map<String, String>) get(column);
    }

    /** A map column. */
    @SuppressWarnings("unchecked")
    default <K, V> Map<K, V> getMap(String column) {
        return (Map<K, V>) get(column);
    }
}
