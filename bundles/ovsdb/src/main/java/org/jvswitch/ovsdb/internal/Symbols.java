package org.jvswitch.ovsdb.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The "uuid-name" symbols of one transaction (Open vSwitch's ovsdb_symbol_table). A name gets its
 * UUID the first time it is seen, whether in an insert's "uuid-name" or in a
 * {@code ["named-uuid", name]} reference, so a reference may come before the insert that defines
 * it: that is what makes ovs-vsctl's forward references work.
 */
final class Symbols {
    static final class Symbol {
        UUID uuid;
        /** Set by the insert that defines the name; a second one is an error. */
        boolean created;

        Symbol(UUID uuid) {
            this.uuid = uuid;
        }
    }

    private final Map<String, Symbol> symbols = new HashMap<>();

    Symbol insert(String name) {
        return symbols.computeIfAbsent(name, n -> new Symbol(UUID.randomUUID()));
    }
}
