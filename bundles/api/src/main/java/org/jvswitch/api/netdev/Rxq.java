package org.jvswitch.api.netdev;

import org.jvswitch.api.packet.DpPacketBatch;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A receive queue of a {@link Netdev} (Open vSwitch's {@code struct netdev_rxq}).
 */
@ConsumerType
public interface Rxq {
    /** The queue's index in its netdev. */
    int id();

    /**
     * Fills the (empty) {@code batch} with up to {@link DpPacketBatch#MAX} received packets, which
     * then belong to the caller. Called by one PMD thread or the main loop, in a loop; must not
     * block and must not allocate.
     *
     * @return the number of packets received, 0 if none are waiting
     */
    int recv(DpPacketBatch batch);

    /**
     * Registers who to wake when packets arrive on a queue that the main loop polls (OVS
     * {@code rxq_wait}): non-PMD netdevs call {@code ready.run()} from any thread when data becomes
     * available. PMD netdevs may ignore it. Called on the reconfiguration thread; {@code null}
     * clears it.
     */
    default void setReadyListener(Runnable ready) {
    }
}
