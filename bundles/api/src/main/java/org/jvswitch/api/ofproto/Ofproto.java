package org.jvswitch.api.ofproto;

import java.util.Map;

import org.jvswitch.api.netdev.Netdev;
import org.osgi.annotation.versioning.ProviderType;

/**
 * One bridge's OpenFlow switch: its ports (OpenFlow port numbers, mapped onto datapath ports),
 * its flow tables (by default one flow, {@code priority=0,actions=NORMAL}) and its MAC learning
 * table. Every method is called on the bridge's reconfiguration thread.
 */
@ProviderType
public interface Ofproto {
    /** OpenFlow port number of a bridge's local port ("LOCAL"). */
    int OFPP_LOCAL = 0xfffe;

    String name();

    String datapathType();

    /**
     * Adds a port for {@code netdev}, also adding it to the datapath.
     *
     * @param ofportRequest the Interface's {@code ofport_request}, or -1 for the lowest free number
     *                      (the bridge's own internal port passes {@link #OFPP_LOCAL})
     * @return the OpenFlow port number
     * @throws OfprotoException with a user-readable reason ("could not add network device ... to ofproto (...)")
     */
    int portAdd(Netdev netdev, int ofportRequest) throws OfprotoException;

    /** Removes the port (from the datapath too); returns once no datapath thread uses the netdev. */
    void portDel(String name);

    /**
     * Sets a port's VLAN settings from its Port row: {@code vlanMode} ("", "trunk", "access",
     * "native-tagged", "native-untagged"), {@code tag} (-1 if none) and {@code trunks} (empty: all).
     */
    default void portSetVlan(String name, String vlanMode, int tag, java.util.Set<Integer> trunks) {
    }

    /** Passes a port's {@code Interface.other_config} down to its datapath port. */
    default void portSetConfig(String name, Map<String, String> otherConfig) {
    }

    /** OpenFlow port number of the named port, or -1. */
    int ofport(String name);

    /**
     * Applies {@code Bridge.fail_mode} ("standalone", the default, or "secure"). Changing it flushes
     * the flow table; in standalone mode the table then holds {@code priority=0 actions=NORMAL}, in
     * secure mode nothing (Open vSwitch's {@code connmgr_set_fail_mode} with no controller). Called on
     * the bridge thread.
     */
    default void setFailMode(String failMode) {
    }

    /** Applies Bridge.other_config (mac-aging-time, mac-table-size, ...). */
    default void setConfig(Map<String, String> otherConfig) {
    }

    /**
     * Sets the bridge's controllers ({@code Bridge.controller}): connects to the active targets
     * (and keeps reconnecting with backoff), listens on the passive ones; targets no longer listed
     * are disconnected. Called on the bridge thread; returns without waiting for connections.
     */
    default void setControllers(java.util.List<ControllerTarget> controllers) {
    }

    /**
     * Registers what to run when a controller connects, disconnects or changes role (the bridge
     * then rewrites the Controller rows). Called on the bridge thread; the listener runs on
     * connection threads and must not block.
     */
    default void setStatusListener(Runnable listener) {
    }

    /** The state of each configured controller, by target. Called on the bridge thread. */
    default Map<String, ControllerStatus> controllerStatus() {
        return Map.of();
    }

    /** Removes every port and the bridge. */
    void destroy();
}
