package org.jvswitch.netdev.dpdk;

import java.util.Map;

import org.jvswitch.api.netdev.Netdev;
import org.jvswitch.api.netdev.NetdevException;
import org.jvswitch.api.netdev.NetdevProvider;

/** The {@code dpdk} port type: DPDK ethdevs, busy-polled by PMD threads. */
final class DpdkNetdevProvider implements NetdevProvider {
    static final String TYPE = "dpdk";

    private final DpdkManager manager;

    DpdkNetdevProvider(DpdkManager manager) {
        this.manager = manager;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public boolean isPmd() {
        return true;
    }

    /** Called on the bridge thread; probes and starts the device (tens of milliseconds). */
    @Override
    public Netdev construct(String name, Map<String, String> options) throws NetdevException {
        return manager.open(name, options);
    }
}
