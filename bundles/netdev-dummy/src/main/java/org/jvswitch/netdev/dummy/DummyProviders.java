package org.jvswitch.netdev.dummy;

import java.util.Map;

import org.jvswitch.api.netdev.Netdev;
import org.jvswitch.api.netdev.NetdevException;
import org.jvswitch.api.netdev.NetdevProvider;
import org.osgi.service.component.annotations.Component;

/**
 * The dummy port types: {@code dummy} (polled by the main loop when packets arrive),
 * {@code dummy-pmd} (busy-polled by PMD threads) and {@code dummy-internal} (a bridge's own port in
 * tests), as Open vSwitch's netdev-dummy registers them.
 */
final class DummyProviders {
    private DummyProviders() {
    }

    abstract static class Base implements NetdevProvider {
        @Override
        public Netdev construct(String name, Map<String, String> options) throws NetdevException {
            if (DummyNetdevs.get(name) != null) {
                throw new NetdevException(NetdevException.EEXIST, "dummy netdev " + name + " already exists");
            }
            DummyNetdev netdev = new DummyNetdev(name, type(), options);
            DummyNetdevs.add(netdev);
            return netdev;
        }
    }

    @Component(service = NetdevProvider.class, property = NetdevProvider.TYPE_PROPERTY + "=dummy")
    public static final class Dummy extends Base {
        @Override public String type() { return "dummy"; }
        @Override public boolean isPmd() { return false; }
    }

    @Component(service = NetdevProvider.class, property = NetdevProvider.TYPE_PROPERTY + "=dummy-pmd")
    public static final class DummyPmd extends Base {
        @Override public String type() { return "dummy-pmd"; }
        @Override public boolean isPmd() { return true; }
    }

    @Component(service = NetdevProvider.class, property = NetdevProvider.TYPE_PROPERTY + "=dummy-internal")
    public static final class DummyInternal extends Base {
        @Override public String type() { return "dummy-internal"; }
        @Override public boolean isPmd() { return false; }
    }
}
