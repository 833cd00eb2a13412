package org.jvswitch.api.dpdk;

import java.lang.foreign.MemorySegment;

import org.jvswitch.api.packet.DpPacket;
import org.jvswitch.api.packet.DpPacketBatch;
import org.jvswitch.api.packet.PacketPool;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A DPDK mempool of packet buffers (rte_mbuf), shared by the ports of one MTU and NUMA socket.
 * Each mbuf has one {@link DpPacket} handle for its whole life; a handle is bound to its mbuf
 * when the mbuf comes out of a device or the pool, and freeing the packet gives the mbuf back to
 * DPDK.
 *
 * <p>Thread-safety: {@link #packet}, {@link #toMbuf}, {@link #allocBulk} and frees may be called
 * from any thread, each packet by its one owner; none blocks or allocates on the heap.
 */
@ProviderType
public interface MbufPool extends PacketPool {
    /** The mempool's DPDK name. */
    String name();

    /** The {@code struct rte_mempool *}, to pass to DPDK calls that fill it (rx queue setup, vhost dequeue). */
    MemorySegment mempool();

    /** Bytes of packet data an mbuf holds after its headroom. */
    int dataRoom();

    /**
     * The handle of the mbuf at {@code mbuf}, bound to its current data (offset and length read
     * from the mbuf). The mbuf must come from this pool and have one segment.
     */
    DpPacket packet(long mbuf);

    /**
     * Writes the packet's data offset and length back into its mbuf and returns the mbuf's
     * address, for handing it to DPDK; the packet must come from this pool.
     */
    long toMbuf(DpPacket packet);

    /**
     * Takes up to {@code n} fresh mbufs into {@code out} (an array of pointers); returns how many
     * (0 when the pool is empty: DPDK's alloc_bulk is all or nothing, so this retries smaller).
     */
    int allocBulk(MemorySegment out, int n);

    /**
     * Copies the first {@code n} packets of {@code batch} (packets of other pools) into fresh
     * mbufs of this pool, writes their pointers into {@code out} from index {@code at}, and
     * frees the originals. Packets that do not fit an mbuf, or find none, are dropped.
     *
     * @return how many were dropped; the mbufs written are {@code n} minus that
     */
    int copyIn(DpPacketBatch batch, int n, MemorySegment out, int at);

    /** Frees {@code n} mbufs given as a pointer array, whichever pools they come from (one call). */
    void freeMbufs(MemorySegment mbufs, int n);

    /** Mbufs currently out of the pool (in devices, queues or the switch's hands). */
    int inUse();

    /** Mbufs in the pool (including per-core caches). */
    int available();

    /** The number of mbufs the pool was created with. */
    int size();

    /** Drops the reference taken by {@link DpdkEnvironment#acquireMempool}; the last one frees the pool once every mbuf is back. */
    void release();
}
