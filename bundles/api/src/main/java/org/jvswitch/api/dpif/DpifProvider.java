package org.jvswitch.api.dpif;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A datapath class (Open vSwitch's {@code struct dpif_class}), registered as a service with
 * {@link #TYPE_PROPERTY}; the bridge's {@code datapath_type} names it ("netdev").
 */
@ConsumerType
public interface DpifProvider {
    String TYPE_PROPERTY = "dpif.type";

    /** The {@code Bridge.datapath_type} this provider serves. */
    String type();

    /**
     * Returns the datapath named {@code name}, creating it on first use; every caller naming the
     * same datapath gets the same instance (all bridges of a type share one datapath, as in Open
     * vSwitch). Called on the control thread.
     */
    Dpif open(String name) throws DpifException;
}
