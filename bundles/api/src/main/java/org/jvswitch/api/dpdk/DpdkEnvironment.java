package org.jvswitch.api.dpdk;

import org.jvswitch.api.netdev.NetdevException;
import org.osgi.annotation.versioning.ProviderType;

/**
 * DPDK's Environment Abstraction Layer, initialized (Open vSwitch's {@code lib/dpdk.c} after
 * {@code dpdk_init}). Registered as a service by netdev-dpdk only while EAL is up and its bundle
 * runs; a bundle that depends on DPDK takes a static reference to it and so stops with it.
 */
@ProviderType
public interface DpdkEnvironment {
    /** DPDK's own version string, e.g. {@code DPDK 22.11.11}, as in {@code Open_vSwitch.dpdk_version}. */
    String version();

    /**
     * Takes a reference on the mbuf pool for ports of this MTU on this NUMA socket, creating it
     * if none exists (Open vSwitch's shared mempools). Called on the reconfiguration thread; may
     * block while DPDK reserves memory.
     *
     * @param socketId a NUMA socket, or -1 for any
     * @throws NetdevException (ENOMEM) if DPDK cannot reserve the memory even for a small pool
     */
    MbufPool acquireMempool(int mtu, int socketId) throws NetdevException;

    /**
     * Gives the calling thread a DPDK lcore id (rte_thread_register), so mempool per-core caches
     * serve it. Idempotent and cheap once done; called by netdevs from PMD threads before their
     * first burst. Without it everything works, only slower.
     */
    void registerCurrentThread();
}
