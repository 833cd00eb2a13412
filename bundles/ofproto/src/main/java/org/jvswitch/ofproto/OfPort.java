package org.jvswitch.ofproto;

import org.jvswitch.api.netdev.Netdev;

/**
 * A bridge port: OpenFlow number, datapath number, netdev, VLAN settings, when it was added
 * ({@link System#nanoTime()}, for OpenFlow's port durations) and its OpenFlow configuration bits
 * (OFPPC_*, OpenFlow 1.0 numbering: PORT_DOWN, NO_RECV, NO_FLOOD, NO_FWD, NO_PACKET_IN). Immutable.
 */
record OfPort(String name, int ofport, int odpPort, Netdev netdev, VlanConfig vlan, long addedNanos, int config) {
    static final int PORT_DOWN = 0x1;
    static final int NO_RECV = 0x4;
    static final int NO_FLOOD = 0x10;
    static final int NO_FWD = 0x20;
    static final int NO_PACKET_IN = 0x40;

    OfPort(String name, int ofport, int odpPort, Netdev netdev, VlanConfig vlan, long addedNanos) {
        this(name, ofport, odpPort, netdev, vlan, addedNanos, 0);
    }

    /** Packets received here are dropped (port down or no-receive). */
    boolean dropsInput() {
        return (config & (PORT_DOWN | NO_RECV)) != 0;
    }

    /** Nothing is sent here (port down or no-forward). */
    boolean refusesOutput() {
        return (config & (PORT_DOWN | NO_FWD)) != 0;
    }

    /** OpenFlow's text for a port number: the number, or LOCAL. */
    String ofportText() {
        return ofport == org.jvswitch.api.ofproto.Ofproto.OFPP_LOCAL ? "LOCAL" : Integer.toString(ofport);
    }
}
