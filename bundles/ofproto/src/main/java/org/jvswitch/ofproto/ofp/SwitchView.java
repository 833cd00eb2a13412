package org.jvswitch.ofproto.ofp;

import java.util.List;

import org.jvswitch.api.netdev.Netdev;

/**
 * What an OpenFlow connection may read of its bridge. Implemented by the bridge; every method is
 * called on connection threads and must be safe to call at any time, also after the bridge is gone.
 */
public interface SwitchView {
    /** The bridge's name (for logs and the datapath description). */
    String name();

    /** Datapath id, 64 bits (Open vSwitch derives it from the bridge's Ethernet address). */
    long datapathId();

    /** The ports, in any order; a snapshot. */
    List<Port> ports();

    /**
     * Sends {@code frame} through {@code actions} as if it had arrived on OpenFlow port
     * {@code inPort} (packet-out). Returns false if the bridge cannot (no datapath).
     */
    /** A rule that asked for it (OFPFF_SEND_FLOW_REM) was removed: tell the controllers. Any thread. */
    default void flowRemoved(OfRule rule, int reason) {
    }

    default boolean packetOut(byte[] frame, int inPort, List<OfAction> actions) {
        return false;
    }

    /**
     * The bridge's flow tables, which connections may change; null if the bridge takes no flow
     * changes (connections then show the default flow and refuse FLOW_MOD with OFPBRC_EPERM).
     */
    default OfTables flowTables() {
        return null;
    }

    /** The bridge's meters; null if the bridge takes no meter changes. */
    default OfMeters meters() {
        return null;
    }

    /** The bridge's group table; null if the bridge takes no group changes. */
    default OfGroups groups() {
        return null;
    }

    /**
     * One port: OpenFlow number (16-bit space, LOCAL = 0xfffe), its netdev (name, address, link,
     * counters), {@link System#nanoTime()} when it was added, and its OFPPC_* configuration bits.
     */
    record Port(int ofport, Netdev netdev, long addedNanos, int config) {
        public Port(int ofport, Netdev netdev, long addedNanos) {
            this(ofport, netdev, addedNanos, 0);
        }
    }

    /**
     * OFPT_PORT_MOD: sets the configuration bits (OpenFlow 1.0 numbering) of port {@code ofport}
     * under {@code mask}. Returns 0, -1 for no such port, -2 for a hardware address that is not
     * the port's.
     */
    default int portMod(int ofport, long hwAddr, int config, int mask) {
        return -1;
    }
}
