package org.jvswitch.netdev.dpdk;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

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
    private final DpdkNetdev netdev;
    private final short portId;
    private final short queueId;
    private final DpdkMempool pool;
    private final MemorySegment mbufs;
    private final MemorySegment copies;
    volatile long dropped;

    DpdkTxq(DpdkNetdev netdev, int id) {
        this.netdev = netdev;
        this.portId = (short) netdev.portId();
        this.queueId = (short) id;
        this.pool = netdev.mempool();
        Arena arena = Arena.ofAuto();
        this.mbufs = arena.allocate(ADDRESS, DpPacketBatch.MAX);
        this.copies = arena.allocate(ADDRESS, DpPacketBatch.MAX);
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
            drops += copyForeign(batch, foreign, cnt);
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

    /**
     * Copies the first {@code foreign} packets of the batch into new mbufs appended to the pointer
     * array at {@code at}, frees the originals, and returns how many could not be copied (no mbuf,
     * or too big for one).
     */
    private int copyForeign(DpPacketBatch batch, int foreign, int at) {
        int got = pool.allocBulk(copies, foreign);
        MemorySegment all = Dpdk.ALL;
        int room = pool.dataRoom() + Dpdk.HEADROOM;
        int out = at;
        int used = 0;
        int drops = 0;
        for (int i = 0; i < foreign; i++) {
            DpPacket p = batch.get(i);
            int len = p.length();
            if (used < got && len <= room - Dpdk.HEADROOM) {
                long m = copies.get(JAVA_LONG, (long) used++ * 8);
                long buf = all.get(JAVA_LONG, m + Dpdk.MBUF_BUF_ADDR);
                int off = all.get(JAVA_SHORT, m + Dpdk.MBUF_DATA_OFF) & 0xffff;
                MemorySegment.copy(p.region(), p.dataAddress(), all, buf + off, len);
                all.set(JAVA_SHORT, m + Dpdk.MBUF_DATA_LEN, (short) len);
                all.set(JAVA_INT, m + Dpdk.MBUF_PKT_LEN, len);
                mbufs.set(JAVA_LONG, (long) out++ * 8, m);
            } else {
                drops++;
            }
        }
        if (used < got) {
            pool.freeMbufs(copies.asSlice((long) used * 8), got - used);
        }
        batch.truncate(foreign);
        batch.freeAll();
        return drops;
    }
}
