package org.jvswitch.netdev.dpdk;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import org.jvswitch.api.netdev.Rxq;
import org.jvswitch.api.packet.DpPacketBatch;

/**
 * A receive queue of a {@code dpdk} port: one rte_eth_rx_burst per call into a pointer array
 * owned by the queue, then each mbuf's handle bound and added to the batch.
 */
final class DpdkRxq implements Rxq {
    private final DpdkNetdev netdev;
    private final int id;
    private final short portId;
    private final short queueId;
    private final DpdkMempool pool;
    private final MemorySegment mbufs;
    private Thread lastThread;
    /** Frames dropped here (chained mbufs: larger than one buffer). Written by the polling thread. */
    volatile long dropped;

    DpdkRxq(DpdkNetdev netdev, int id) {
        this.netdev = netdev;
        this.id = id;
        this.portId = (short) netdev.portId();
        this.queueId = (short) id;
        this.pool = netdev.mempool();
        // The queue lives as long as its netdev's configuration; the GC frees this with it.
        this.mbufs = Arena.ofAuto().allocate(ADDRESS, DpPacketBatch.MAX);
    }

    @Override
    public int id() {
        return id;
    }

    @Override
    public int recv(DpPacketBatch batch) {
        Thread t = Thread.currentThread();
        if (t != lastThread) {
            // A new polling thread (first poll, or a reassignment): give it an lcore id so the
            // mempool's per-core cache serves it.
            netdev.env().registerCurrentThread();
            lastThread = t;
        }
        int n;
        try {
            n = (short) Dpdk.Burst.RX.invokeExact(portId, queueId, mbufs, (short) DpPacketBatch.MAX) & 0xffff;
        } catch (Throwable e) {
            throw Dpdk.rethrow(e);
        }
        MemorySegment all = Dpdk.ALL;
        for (int i = 0; i < n; i++) {
            long m = mbufs.get(JAVA_LONG, (long) i * 8);
            if ((all.get(JAVA_SHORT, m + Dpdk.MBUF_NB_SEGS) & 0xffff) != 1) {
                mbufs.set(JAVA_LONG, 0, m);
                pool.freeMbufs(mbufs.asSlice(0, 8), 1);
                dropped++;
                continue;
            }
            batch.add(pool.packet(m));
        }
        return batch.count();
    }
}
