package org.jvswitch.ovsdb.internal;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import org.jvswitch.api.ovsdb.DbSchema.BaseType;
import org.jvswitch.api.ovsdb.DbSchema.Type;

/** The references a row holds, strong or weak, found through its table's reference columns. */
final class References {
    private References() {
    }

    @FunctionalInterface
    interface Visitor {
        void visit(int column, String refTable, UUID target);
    }

    /** Calls {@code visitor} for every reference of the given strength in {@code row}, self included. */
    static void forEach(Row row, boolean strong, Visitor visitor) {
        TableSpec spec = row.spec;
        for (int c : strong ? spec.strongRefColumns : spec.weakRefColumns) {
            forEach(spec.columns[c].type(), row.value(c), strong, (ref, target) -> visitor.visit(c, ref, target));
        }
    }

    /** Calls {@code visitor} for every reference of the given strength within one column value. */
    static void forEach(Type type, Object value, boolean strong,
                        java.util.function.BiConsumer<String, UUID> visitor) {
        BaseType key = type.key();
        BaseType val = type.value();
        boolean keyRef = TableSpec.isRef(key, strong);
        boolean valueRef = TableSpec.isRef(val, strong);
        if (value instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (keyRef) {
                    visitor.accept(key.refTable(), (UUID) e.getKey());
                }
                if (valueRef) {
                    visitor.accept(val.refTable(), (UUID) e.getValue());
                }
            }
        } else if (value instanceof Collection<?> c) {
            if (keyRef) {
                for (Object atom : c) {
                    visitor.accept(key.refTable(), (UUID) atom);
                }
            }
        } else if (keyRef) {
            visitor.accept(key.refTable(), (UUID) value);
        }
    }

    /**
     * The distinct rows {@code row} references with the given strength, not counting itself (RFC
     * 7047 keeps a non-root row alive only through references "from a different row"), mapped to
     * their tables. Empty for a null row.
     */
    static Map<UUID, String> targets(Row row, boolean strong) {
        if (row == null || (strong ? row.spec.strongRefColumns : row.spec.weakRefColumns).length == 0) {
            return Map.of();
        }
        Map<UUID, String> out = new HashMap<>();
        forEach(row, strong, (c, table, target) -> {
            if (!target.equals(row.uuid())) {
                out.put(target, table);
            }
        });
        return out;
    }

    /** True if some reference column of the given strength differs between two versions of a row. */
    static boolean differ(Row a, Row b, boolean strong) {
        if (a == null || b == null) {
            return a != b;
        }
        for (int c : strong ? a.spec.strongRefColumns : a.spec.weakRefColumns) {
            if (Row.differs(a, b, c)) {
                return true;
            }
        }
        return false;
    }
}
