package org.jvswitch.api.dpif;

import org.jvswitch.api.flow.FlowKey;
import org.jvswitch.api.packet.DpPacket;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Decides what to do with a packet that matched no datapath flow (Open vSwitch's upcall,
 * {@code dp_netdev_upcall} into ofproto-dpif's translation). Registered on a {@link Dpif} by the
 * OpenFlow layer.
 */
@ConsumerType
public interface UpcallHandler {
    /**
     * Translates a missed packet. Called on the PMD thread (or main loop) that received it, once
     * per packet that misses every cache; may take locks of the OpenFlow layer but must not block
     * on I/O. The packet stays owned by the datapath and must not be kept.
     *
     * @param packet the packet, read-only
     * @param key    its extracted flow key, read-only
     * @param mask   all-zero on entry; set the bits of every field the decision looked at, so
     *               the datapath can install a megaflow that covers every packet deciding alike
     * @return the actions for this packet and the megaflow, or null to drop it without
     *         installing a flow
     */
    DpActions upcall(DpPacket packet, FlowKey key, FlowKey mask);

    /**
     * A {@code userspace} action ran (the controller path, Open vSwitch's action upcall). Called on
     * the datapath thread executing the actions; must not block; the packet stays owned by the
     * datapath, so copy what is needed.
     *
     * @param cookie the action's user data
     */
    default void action(DpPacket packet, long cookie) {
    }
}
