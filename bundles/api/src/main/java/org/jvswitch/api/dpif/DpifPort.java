package org.jvswitch.api.dpif;

import org.jvswitch.api.netdev.Netdev;

/** A port of a datapath: its datapath port number and the netdev behind it. */
public record DpifPort(int portNo, String name, String type, Netdev netdev) {
}
