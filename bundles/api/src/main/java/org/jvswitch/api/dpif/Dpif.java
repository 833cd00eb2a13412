package org.jvswitch.api.dpif;

import java.util.List;
import java.util.Map;

import org.jvswitch.api.netdev.Netdev;
import org.jvswitch.api.packet.DpPacket;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A datapath: ports, flows and the threads that move packets between them (Open vSwitch's
 * {@code struct dpif}). All methods are called from control threads (bridge reconfiguration,
 * OpenFlow, unixctl) and may block until datapath threads quiesce; none is called per packet.
 */
@ConsumerType
public interface Dpif {
    String name();

    String type();

    /**
     * Adds {@code netdev} as a port and starts polling it (on PMD threads if it needs polling,
     * starting them if none runs).
     *
     * @param requestedPortNo the port number to use, or -1 for the lowest free one
     * @return the port number
     * @throws DpifException if the number is taken or the netdev is already a port
     */
    int portAdd(Netdev netdev, int requestedPortNo) throws DpifException;

    /**
     * Removes a port. Returns once no datapath thread uses its netdev any more, so the caller may
     * destruct it. Flows that output to it stop doing so. No-op for an unknown port.
     */
    void portDel(int portNo);

    List<DpifPort> ports();

    /**
     * Applies a port's {@code Interface.other_config} (pmd-rxq-affinity, ...). Called on the
     * reconfiguration thread; may move rx queues between polling threads.
     */
    default void portSetConfig(int portNo, Map<String, String> otherConfig) {
    }

    /** Sets who translates packets that miss every flow; null drops them. */
    void setUpcallHandler(UpcallHandler handler);

    /** Removes every datapath flow (after an OpenFlow or MAC table change). */
    void flowFlush();

    /** Removes the flows whose masked key and mask equal these. */
    boolean flowDel(org.jvswitch.api.flow.FlowKey maskedKey, org.jvswitch.api.flow.FlowKey mask);

    /** A snapshot of all datapath flows with their statistics. */
    List<DpifFlow> flowDump();

    /**
     * Executes {@code actions} on {@code packet} (packet-out) on the calling thread, taking
     * ownership of the packet.
     */
    void execute(DpPacket packet, DpActions actions);

    /** Counters summed over every polling thread. */
    DpifStats stats();

    /**
     * Creates or replaces datapath meter {@code id} (0 to 65535); its counters carry on across a
     * replacement. Called on the OpenFlow layer's threads.
     */
    default void meterSet(int id, DpMeter meter) {
    }

    /** Deletes datapath meter {@code id}; a {@code meter} action naming it then passes packets. */
    default void meterDel(int id) {
    }

    /** Packets and bytes that went into meter {@code id}, and packets and bytes it dropped; null if none. */
    default long[] meterStats(int id) {
        return null;
    }

    /**
     * Applies {@code Open_vSwitch.other_config} (pmd-cpu-mask, pmd-rxq-assign, pmd-maxsleep, ...).
     * Called on the reconfiguration thread.
     */
    default void setConfig(Map<String, String> otherConfig) {
    }
}
