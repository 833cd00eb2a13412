package org.jvswitch.netdev.vhost;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import org.jvswitch.api.dpdk.MbufPool;
import org.jvswitch.api.netdev.Rxq;
import org.jvswitch.api.packet.DpPacketBatch;

/**
 * One queue pair's guest-transmit ring, as a receive queue: rte_vhost_dequeue_burst fills mbufs
 * of the shared pool. {@link #busy} brackets each burst so that the device's removal can wait
 * for the PMD to be outside.
 */
final class VhostRxq implements Rxq {
    private final VhostNetdev netdev;
    private final int id;
    private final short virtqueue;
    private final MbufPool pool;
    private final MemorySegment mempool;
    private final MemorySegment mbufs;
    private Thread lastThread;
    volatile boolean busy;
    volatile long dropped;
    volatile long packets;
    volatile long bytes;

    VhostRxq(VhostNetdev netdev, int id) {
        this.netdev = netdev;
        this.id = id;
        this.virtqueue = (short) (id * 2 + Vhost.VIRTIO_TXQ);
        this.pool = netdev.pool();
        this.mempool = pool.mempool();
        this.mbufs = VhostNetdev.pointers(Arena.ofAuto());
    }

    @Override
    public int id() {
        return id;
    }

    @Override
    public int recv(DpPacketBatch batch) {
        Thread t = Thread.currentThread();
        if (t != lastThread) {
            netdev.env().registerCurrentThread();
            lastThread = t;
        }
        busy = true;
        try {
            int v = netdev.vid;
            if (v < 0 || !netdev.enabled[virtqueue]) {
                return 0;
            }
            int n;
            try {
                n = (short) Vhost.Burst.DEQUEUE.invokeExact(v, virtqueue, mempool, mbufs, (short) DpPacketBatch.MAX) & 0xffff;
            } catch (Throwable e) {
                throw Vhost.rethrow(e);
            }
            long bytes = 0;
            for (int i = 0; i < n; i++) {
                var p = pool.packet(mbufs.get(JAVA_LONG, (long) i * 8));
                bytes += p.length();
                batch.add(p);
            }
            if (n > 0) {
                packets += n;      // one writer (the polling thread); read by stats()
                this.bytes += bytes;
            }
            return n;
        } finally {
            busy = false;
        }
    }

    /** Waits until no burst is in progress on this queue (the device is being removed). */
    void awaitIdle() {
        while (busy) {
            Thread.onSpinWait();
        }
    }
}
