package org.jvswitch.api.netdev;

import java.util.Map;

import org.jvswitch.api.packet.DpPacketBatch;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * An open network device (Open vSwitch's {@code struct netdev}). Created by a
 * {@link NetdevProvider}; driven by the datapath.
 *
 * <p>Threads: {@link #rxq(int)} queues are each polled by exactly one thread at a time (a PMD
 * thread, or the main loop for non-PMD netdevs). {@link #send} is called by datapath threads; if
 * {@code concurrentTxq} is true, several threads may share one tx queue and the netdev must lock.
 * Everything else is called from the reconfiguration or control threads and may block briefly.
 */
@ConsumerType
public interface Netdev {
    /** The Interface name. */
    String name();

    /** The type string of the provider that made this netdev. */
    String type();

    /** Number of receive queues the datapath should poll; constant until {@link #reconfigure()}. */
    int nRxq();

    /** Receive queue {@code i}, 0 ≤ i < {@link #nRxq()}. */
    Rxq rxq(int i);

    /** Number of transmit queues; the datapath maps its threads onto them. */
    int nTxq();

    /**
     * Sends every packet of {@code batch} on tx queue {@code txq} and takes ownership of all of them
     * (sent or dropped, each is freed or kept by the netdev), leaving the batch empty. Called by a
     * PMD thread or the main loop, per burst; must not block and must not allocate.
     *
     * @return the number of packets dropped (also counted in tx_dropped)
     */
    int send(int txq, DpPacketBatch batch, boolean concurrentTxq);

    /** The Ethernet address, in the low 48 bits. */
    long mac();

    /** The MTU in bytes. */
    int mtu();

    /** Asks for a new MTU (the Interface's {@code mtu_request}); returns false if unsupported. */
    default boolean setMtu(int mtu) {
        return false;
    }

    /** True if the link is up; feeds {@code Interface.link_state}. */
    boolean carrier();

    /** Counters; feeds {@code Interface.statistics}. Called from the control thread. */
    NetdevStats stats();

    /**
     * Counters the device keeps beyond {@link #stats()} (DPDK's extended statistics, the
     * switch's own drop reasons), by name; they join {@code Interface.statistics} as Open
     * vSwitch's custom statistics do. Called from the control thread; may be empty.
     */
    default Map<String, Long> customStats() {
        return Map.of();
    }

    /**
     * Registers who to tell when {@link #carrier()} or {@link #status()} change on their own (a
     * guest attaching to a vhost port, a link going down), so that {@code Interface.link_state}
     * follows at once rather than at the next periodic refresh (Open vSwitch's netdev change
     * sequence). Netdevs call {@code changed.run()} from any thread; it never blocks. Called on the
     * reconfiguration thread; {@code null} clears it.
     */
    default void setChangeListener(Runnable changed) {
    }

    /** Type-specific status for {@code Interface.status}; may be empty. */
    default Map<String, String> status() {
        return Map.of();
    }

    /**
     * Applies a changed {@code options} column (OVS {@code set_config}). Called on the
     * reconfiguration thread.
     *
     * @throws NetdevException if the options are invalid; nothing changes then
     */
    default void setConfig(Map<String, String> options) throws NetdevException {
    }

    /**
     * True when a change (queue count, link) needs the datapath to stop polling this netdev and call
     * {@link #reconfigure()} (OVS {@code netdev_is_reconf_required}).
     */
    default boolean isReconfigureRequired() {
        return false;
    }

    /**
     * Applies pending changes. Called on the reconfiguration thread only after every thread that
     * polled or sent on this netdev has stopped using it.
     */
    default void reconfigure() throws NetdevException {
    }

    /**
     * Releases the device and every buffer it holds. Called once, on the reconfiguration thread (or
     * the thread stopping the provider), after the datapath stopped using it. Must not throw.
     */
    void destruct();
}
