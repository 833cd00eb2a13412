package org.jvswitch.api.netdev;

import java.util.Map;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A port type (Open vSwitch's {@code struct netdev_class}). A bundle offers a type by registering
 * this service with the property {@link #TYPE_PROPERTY} set to {@link #type()}; the core's netdev
 * registry tracks these services and opens ports through them. When the service goes away, every
 * netdev it constructed is taken out of the datapath and then {@link Netdev#destruct() destructed}
 * before the unregistration returns.
 */
@ConsumerType
public interface NetdevProvider {
    /** Service property holding the type string, e.g. {@code netdev.type=dummy}. */
    String TYPE_PROPERTY = "netdev.type";

    /**
     * The type string users put in {@code Interface.type} ("dummy", "dpdk", "dpdkvhostuser"), the
     * registry's lookup key. Constant for the life of the service.
     */
    String type();

    /**
     * True if ports of this type must be busy-polled by PMD threads (OVS {@code is_pmd}); false
     * if the main loop polls them when they signal readiness.
     */
    boolean isPmd();

    /**
     * Creates a port (OVS {@code alloc} + {@code construct} + {@code set_config}). Called by the
     * registry on the bridge's reconfiguration thread, never by a PMD; may block briefly (opening a
     * device, creating a socket).
     *
     * @param name    the Interface name, unique across the switch
     * @param options the Interface {@code options} column
     * @return the new netdev, owned by the caller until it calls {@link Netdev#destruct()}
     * @throws NetdevException with a user-readable reason (it goes into {@code Interface.error})
     */
    Netdev construct(String name, Map<String, String> options) throws NetdevException;
}
