package org.jvswitch.api.packet;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Where a packet's buffer goes back to when the packet is freed. A netdev that brings its own
 * buffers (DPDK mbufs, a guest's descriptors) implements this; others use {@link PacketBufferPool}.
 */
@ConsumerType
public interface PacketPool {
    /**
     * Returns the buffer of {@code packet} to this pool. Called by whichever thread owns the packet
     * last (a PMD thread after send, the main loop after a drop); must not block and must not
     * allocate. After the call the packet handle belongs to the pool again.
     */
    void free(DpPacket packet);

    /**
     * Returns {@code n} buffers at once, {@code packets[from..from+n)}, all from this pool. Pools
     * that lock override it to lock once per batch.
     */
    default void freeBulk(DpPacket[] packets, int from, int n) {
        for (int i = from; i < from + n; i++) {
            free(packets[i]);
        }
    }
}
