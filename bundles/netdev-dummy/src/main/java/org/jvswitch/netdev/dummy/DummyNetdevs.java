package org.jvswitch.netdev.dummy;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** The open dummy netdevs by name, for the commands that address them. */
final class DummyNetdevs {
    private static final ConcurrentMap<String, DummyNetdev> BY_NAME = new ConcurrentHashMap<>();

    private DummyNetdevs() {
    }

    static void add(DummyNetdev netdev) {
        BY_NAME.put(netdev.name(), netdev);
    }

    static void remove(DummyNetdev netdev) {
        BY_NAME.remove(netdev.name(), netdev);
    }

    static DummyNetdev get(String name) {
        return BY_NAME.get(name);
    }

    static Collection<DummyNetdev> all() {
        return List.copyOf(BY_NAME.values());
    }
}
