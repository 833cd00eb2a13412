package org.jvswitch.vswitchd;

import java.util.Map;

import org.jvswitch.api.netdev.Netdev;

/** An interface the bridge has open: its netdev, the config it was opened with, its OpenFlow port. */
record BridgePort(String name, String type, Map<String, String> options, Netdev netdev, int ofport) {
}
