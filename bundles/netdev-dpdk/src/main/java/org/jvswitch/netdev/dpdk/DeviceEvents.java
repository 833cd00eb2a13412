package org.jvswitch.netdev.dpdk;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DPDK's ethdev events for every port (RTE_ETH_ALL), as Open vSwitch's dpdk_eth_event_callback:
 * a device that asks to be reset (RTE_ETH_EVENT_INTR_RESET) is reset at its next
 * reconfiguration, and, beyond Open vSwitch 3.1, a device that was hot-removed
 * (RTE_ETH_EVENT_INTR_RMV) is stopped and detached, its port kept with the reason. The callback
 * is a Java upcall on whatever thread the driver raises the event from (DPDK's interrupt thread);
 * it only marks the port and asks the datapath for a reconfiguration. Registered while the
 * environment is up.
 */
final class DeviceEvents {
    private static final Logger LOG = LoggerFactory.getLogger(DeviceEvents.class);
    /** enum rte_eth_event_type. */
    static final int INTR_RESET = 3;
    static final int INTR_RMV = 6;
    /** RTE_ETH_ALL (RTE_MAX_ETHPORTS in Debian's build). */
    static final short ALL_PORTS = 32;

    private final Dpdk dpdk;
    private final DpdkEnvironmentImpl env;
    private final MemorySegment stub;

    DeviceEvents(Dpdk dpdk, DpdkEnvironmentImpl env) {
        this.dpdk = dpdk;
        this.env = env;
        try {
            var handle = MethodHandles.lookup().findVirtual(DeviceEvents.class, "event",
                    MethodType.methodType(int.class, short.class, int.class, MemorySegment.class, MemorySegment.class))
                    .bindTo(this);
            // Global: DPDK may call until it is unregistered, and an interrupt thread could be inside it.
            stub = Linker.nativeLinker().upcallStub(handle,
                    FunctionDescriptor.of(JAVA_INT, JAVA_SHORT, JAVA_INT, ADDRESS, ADDRESS), Arena.global());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    void register() {
        for (int event : new int[] {INTR_RESET, INTR_RMV}) {
            try {
                int rc = (int) dpdk.callbackRegister.invokeExact(ALL_PORTS, event, stub, MemorySegment.NULL);
                if (rc != 0) {
                    LOG.warn("cannot register for DPDK device event {}: {}", event, dpdk.strerror(rc));
                }
            } catch (Throwable t) {
                LOG.warn("cannot register for DPDK device event {}: {}", event, t.toString());
            }
        }
    }

    void unregister() {
        for (int event : new int[] {INTR_RESET, INTR_RMV}) {
            try {
                int rc = (int) dpdk.callbackUnregister.invokeExact(ALL_PORTS, event, stub, MemorySegment.NULL);
            } catch (Throwable t) {
                LOG.debug("cannot unregister DPDK device event {}: {}", event, t.toString());
            }
        }
    }

    /** rte_eth_dev_cb_fn. Never throws: an exception here would end the JVM. */
    @SuppressWarnings("unused")
    private int event(short port, int type, MemorySegment arg, MemorySegment ret) {
        try {
            DpdkNetdev d = env.netdevOfPort(port & 0xffff);
            if (d != null) {
                d.deviceEvent(type);
            }
        } catch (Throwable t) {
            LOG.error("DPDK device event {} of port {} failed", type, port & 0xffff, t);
        }
        return 0;
    }
}
