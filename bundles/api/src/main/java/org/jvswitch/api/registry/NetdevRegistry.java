package org.jvswitch.api.registry;

import java.util.Map;
import java.util.Set;

import org.jvswitch.api.netdev.Netdev;
import org.jvswitch.api.netdev.NetdevException;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The port types that running bundles offer, looked up by type string (Open vSwitch's
 * {@code lib/netdev.c} class registry), and the netdevs opened through them. Implemented by
 * core-dpif; used by the bridge.
 *
 * <p>Thread-safety: every method may be called from any thread. Provider arrival and departure are
 * reported to {@link NetdevRegistryListener}s.
 */
@ProviderType
public interface NetdevRegistry {
    /** Types whose provider is running now, sorted. */
    Set<String> types();

    /** True if the provider of {@code type} busy-polls (is PMD); false if unknown or not. */
    boolean isPmd(String type);

    /**
     * Opens a netdev through the provider of {@code type} ("" means "system", as in Open vSwitch).
     * Called on the reconfiguration thread.
     *
     * @throws NetdevException with errno "Address family not supported by protocol" and message
     *         "could not create netdev NAME of unknown type TYPE" if no running bundle offers the
     *         type, or the provider's own reason
     */
    Netdev open(String name, String type, Map<String, String> options) throws NetdevException;

    /** Destructs a netdev opened here, unless its provider already took it away. */
    void close(Netdev netdev);

    /** False once the netdev was closed, or taken away because its provider stopped. */
    boolean isOpen(Netdev netdev);

    void addListener(NetdevRegistryListener listener);

    void removeListener(NetdevRegistryListener listener);
}
