package org.jvswitch.vswitchd;

import java.util.Map;

import org.jvswitch.api.netdev.Netdev;

/**
 * An interface the bridge has open: its netdev, the options it was opened with, its OpenFlow
 * port, and the other_config last passed to the datapath.
 */
record BridgePort(String name, String type, Map<String, String> options, Netdev netdev, int ofport,
                  Map<String, String> otherConfig) {
}
