package org.jvswitch.netdev.dpdk;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import org.jvswitch.api.dpdk.MbufPool;
import org.jvswitch.api.packet.DpPacket;
import org.jvswitch.api.packet.DpPacketBatch;

/**
 * A transmit queue of a {@code dpdk} port (Open vSwitch's {@code netdev_dpdk_eth_send}): packets
 * that live in mbufs go to the device as they are; packets from other pools (a dummy port, a
 * packet-out) are copied into fresh mbufs of the port's pool first. What the device does not take
 * after retrying while it makes progress is freed and counted as dropped.
 *
 * <p>Used by one thread at a time (the datapath locks it when threads share the queue).
 */
final class DpdkTxq {
    private final short portId;
    private final short queueId;
    private final DpdkMempool pool;
    private final MemorySegment mbufs;
    volatile long dropped;

    DpdkTxq(DpdkNetdev netdev, int id) {
        this.portId = (short) netdev.portId();
        this.queueId = (short) id;
        this.pool = netdev.mempool();
        this.mbufs = Arena.ofAuto().allocate(ADDRESS, DpPacketBatch.MAX);
    }

    void countDropped(long n) {
        dropped += n;
    }

    int send(DpPacketBatch batch) {
        int n = batch.count();
        int cnt = 0;
        int foreign = 0;
        for (int i = 0; i < n; i++) {
            DpPacket p = batch.get(i);
            if (p.pool() instanceof MbufPool mp) {
                mbufs.set(JAVA_LONG, (long) cnt++ * 8, mp.toMbuf(p));
            } else {
                batch.set(foreign++, p);   // compacted at the front; the mbuf ones are recorded already
            }
        }
        int drops = 0;
        if (foreign > 0) {
            drops += pool.copyIn(batch, foreign, mbufs, cnt);
            cnt += foreign - drops;
        }
        int sent = 0;
        try {
            while (sent < cnt) {
                MemorySegment from = sent == 0 ? mbufs : mbufs.asSlice((long) sent * 8);
                int k = (short) Dpdk.Burst.TX.invokeExact(portId, queueId, from, (short) (cnt - sent)) & 0xffff;
                if (k == 0) {
                    break;
                }
                sent += k;
            }
        } catch (Throwable t) {
            throw Dpdk.rethrow(t);
        }
        if (sent < cnt) {
            pool.freeMbufs(mbufs.asSlice((long) sent * 8), cnt - sent);
            drops += cnt - sent;
        }
        batch.clear();
        if (drops > 0) {
            dropped += drops;
        }
        return drops;
    }
}
