package org.jvswitch.ofproto;

import org.jvswitch.api.netdev.Netdev;

/**
 * A bridge port: OpenFlow number, datapath number, netdev, VLAN settings and when it was added
 * ({@link System#nanoTime()}, for OpenFlow's port durations). Immutable.
 */
record OfPort(String name, int ofport, int odpPort, Netdev netdev, VlanConfig vlan, long addedNanos) {
    /** OpenFlow's text for a port number: the number, or LOCAL. */
    String ofportText() {
        return ofport == org.jvswitch.api.ofproto.Ofproto.OFPP_LOCAL ? "LOCAL" : Integer.toString(ofport);
    }
}
