package org.jvswitch.vsctl.internal;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The "@name" row ids of one invocation (ovsdb_symbol_table). A name may be used before the
 * {@code --id=@name create} that defines it, as in the manual's mirror example; until then it
 * stands for a random placeholder UUID, which the transaction replaces by the created row's UUID
 * (the database service chooses UUIDs itself, unlike ovsdb-server's named-uuid).
 */
final class Symbols {
    /** One row id. */
    static final class Symbol {
        final String name;
        final UUID placeholder = UUID.randomUUID();
        UUID uuid;
        boolean created;
        boolean strongRef;
        boolean weakRef;

        Symbol(String name) {
            this.name = name;
            this.uuid = placeholder;
        }

        boolean resolved() {
            return !uuid.equals(placeholder);
        }
    }

    private final Map<String, Symbol> symbols = new LinkedHashMap<>();

    Symbol get(String name) {
        return symbols.get(name);
    }

    /** ovsdb_symbol_table_insert: the symbol, created on first use. */
    Symbol insert(String name) {
        return symbols.computeIfAbsent(name, Symbol::new);
    }

    Collection<Symbol> all() {
        return symbols.values();
    }
}
