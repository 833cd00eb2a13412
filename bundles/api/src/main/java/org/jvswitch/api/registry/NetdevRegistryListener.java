package org.jvswitch.api.registry;

import org.jvswitch.api.netdev.Netdev;
import org.osgi.annotation.versioning.ConsumerType;

/** Hears about port types coming and going (the bridge reconfigures on each). */
@ConsumerType
public interface NetdevRegistryListener {
    /** A provider of {@code type} started. Called on the thread that registered the service; must not block. */
    default void typeAdded(String type) {
    }

    /**
     * The provider of {@code type} is stopping and {@code netdev} is about to be destructed. Called
     * synchronously on the thread stopping the provider, before {@link Netdev#destruct()}: when it
     * returns the listener must no longer use the netdev. May block until datapath threads quiesce.
     */
    default void netdevRemoving(Netdev netdev) {
    }

    /** The provider of {@code type} stopped and all its netdevs are destructed. Must not block. */
    default void typeRemoved(String type) {
    }
}
