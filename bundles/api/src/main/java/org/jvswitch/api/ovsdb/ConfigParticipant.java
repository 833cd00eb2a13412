package org.jvswitch.api.ovsdb;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A part of the switch configured from the {@code Open_vSwitch} table that must be ready before
 * bridges and ports are (Open vSwitch's {@code bridge_run} calling {@code dpdk_init} before
 * {@code bridge_reconfigure}). Bundles register it as a service; the bridge calls every one at the
 * start of each reconfiguration, so a command such as
 * {@code ovs-vsctl set Open_vSwitch . other_config:dpdk-init=true} returns only once it is done.
 */
@ConsumerType
public interface ConfigParticipant {
    /**
     * Applies the configuration in {@code snapshot}. Called on the bridge thread, on every
     * reconfiguration and once when this service appears; may block for as long as the work takes
     * (starting DPDK: a few hundred milliseconds) and may commit its own status columns, which
     * does not cause another reconfiguration.
     */
    void reconfigure(DbSnapshot snapshot);
}
