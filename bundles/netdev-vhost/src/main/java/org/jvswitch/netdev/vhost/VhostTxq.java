package org.jvswitch.netdev.vhost;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import org.jvswitch.api.dpdk.MbufPool;
import org.jvswitch.api.packet.DpPacket;
import org.jvswitch.api.packet.DpPacketBatch;

/**
 * A transmit queue towards the guest (Open vSwitch's {@code __netdev_dpdk_vhost_send}): mbuf
 * packets are handed to rte_vhost_enqueue_burst as they are, others are first copied into mbufs;
 * DPDK copies them into the guest's receive ring, retrying up to {@code tx-retries-max} times
 * while the ring makes progress; then every mbuf is freed (what did not fit is counted dropped).
 * Transmit queues map onto the guest's enabled queue pairs.
 */
final class VhostTxq {
    private final VhostNetdev netdev;
    private final int id;
    private final MbufPool pool;
    private final MemorySegment mbufs;
    volatile boolean busy;
    // One writer at a time (the queue's thread, or the datapath's lock); read by stats().
    volatile long packets;
    volatile long bytes;
    volatile long dropped;
    volatile long retried;

    VhostTxq(VhostNetdev netdev, int id) {
        this.netdev = netdev;
        this.id = id;
        this.pool = netdev.pool();
        this.mbufs = VhostNetdev.pointers(Arena.ofAuto());
    }

    int send(DpPacketBatch batch) {
        int n = batch.count();
        busy = true;
        try {
            int v = netdev.vid;
            short vq = (short) ((id % netdev.queuePairs()) * 2 + Vhost.VIRTIO_RXQ);
            if (v < 0 || !netdev.enabled[vq]) {
                batch.freeAll();
                dropped += n;
                return n;
            }
            int cnt = 0;
            int foreign = 0;
            long bytes = 0;
            for (int i = 0; i < n; i++) {
                DpPacket p = batch.get(i);
                if (p.pool() instanceof MbufPool) {
                    mbufs.set(JAVA_LONG, (long) cnt++ * 8, ((MbufPool) p.pool()).toMbuf(p));
                    bytes += p.length();
                } else {
                    batch.set(foreign++, p);
                }
            }
            int drops = 0;
            if (foreign > 0) {
                for (int i = 0; i < foreign; i++) {
                    int len = batch.get(i).length();
                    bytes += len <= pool.dataRoom() ? len : 0;
                }
                int lost = pool.copyIn(batch, foreign, mbufs, cnt);
                drops += lost;
                cnt += foreign - lost;
            }
            int sent = 0;
            int retries = netdev.txRetriesMax();
            try {
                for (int attempt = 0; sent < cnt; attempt++) {
                    MemorySegment from = sent == 0 ? mbufs : mbufs.asSlice((long) sent * 8);
                    int k = (short) Vhost.Burst.ENQUEUE.invokeExact(v, vq, from, (short) (cnt - sent)) & 0xffff;
                    sent += k;
                    if (k == 0 || attempt >= retries) {
                        break;
                    }
                    if (sent < cnt) {
                        retried++;
                    }
                }
            } catch (Throwable t) {
                throw Vhost.rethrow(t);
            }
            // The guest has its copies: every mbuf goes back, sent or not.
            pool.freeMbufs(mbufs, cnt);
            batch.clear();
            drops += cnt - sent;
            packets += sent;
            this.bytes += bytes;
            if (drops > 0) {
                dropped += drops;
            }
            return drops;
        } finally {
            busy = false;
        }
    }

    void awaitIdle() {
        while (busy) {
            Thread.onSpinWait();
        }
    }
}
