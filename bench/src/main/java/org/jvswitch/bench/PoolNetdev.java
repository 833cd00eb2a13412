package org.jvswitch.bench;

import org.jvswitch.api.netdev.Netdev;
import org.jvswitch.api.netdev.NetdevStats;
import org.jvswitch.api.netdev.Rxq;
import org.jvswitch.api.packet.DpPacket;
import org.jvswitch.api.packet.DpPacketBatch;
import org.jvswitch.api.packet.PacketBufferPool;

/**
 * A netdev for in-process benchmarks: a source whose receive queue fills the batch from a pool of
 * buffers that already hold a frame (no queue, no copy: allocate, set the length, hand over), and
 * a sink whose {@code send} frees every packet (back to the source's pool). Single-threaded: the
 * benchmark thread is the only one that polls or sends.
 */
public final class PoolNetdev implements Netdev {
    private final String name;
    private final PacketBufferPool pool;
    /** Set instead of {@link #pool} for the single-thread pool experiment. */
    private final LocalPool localPool;
    private final int frameLength;
    /** Packets handed out by the receive queue and taken by {@code send}; read after a run. */
    public long rxPackets;
    public long txPackets;
    public long txBatches;

    private final Rxq rxq = new Rxq() {
        @Override
        public int id() {
            return 0;
        }

        @Override
        public int recv(DpPacketBatch batch) {
            int before = batch.count();
            if (pool != null) {
                pool.allocBulk(batch, DpPacketBatch.MAX);   // one lock per burst, as a driver would
            } else {
                while (!batch.isFull()) {
                    DpPacket p = localPool.alloc();
                    if (p == null) {
                        break;
                    }
                    batch.add(p);
                }
            }
            for (int i = before; i < batch.count(); i++) {
                batch.get(i).setLength(frameLength);   // the frame is already in the buffer
            }
            int n = batch.count() - before;
            rxPackets += n;
            return n;
        }
    };

    /** A sink: sends free the packets, nothing is received. */
    public PoolNetdev(String name) {
        this.name = name;
        this.pool = null;
        this.localPool = null;
        this.frameLength = 0;
    }

    /** A source of {@code frame}, from a pool of {@code buffers} buffers each pre-filled with it. */
    public PoolNetdev(String name, byte[] frame, int buffers) {
        this(name, frame, buffers, false);
    }

    /**
     * As above; {@code local} takes the buffers from a {@link LocalPool} (one thread, no lock)
     * instead of the datapath's shared {@link PacketBufferPool}.
     */
    public PoolNetdev(String name, byte[] frame, int buffers, boolean local) {
        this.name = name;
        int size = 2048 + PacketBufferPool.HEADROOM;
        this.pool = local ? null : new PacketBufferPool(name, buffers, size);
        this.localPool = local ? new LocalPool(buffers, size) : null;
        this.frameLength = frame.length;
        DpPacket[] all = new DpPacket[buffers];
        for (int i = 0; i < buffers; i++) {
            all[i] = local ? localPool.alloc() : pool.alloc();
            all[i].copyFrom(frame, 0, frame.length);
        }
        // Free in reverse so the first allocations take the lowest buffers again.
        for (int i = buffers - 1; i >= 0; i--) {
            all[i].free();
        }
    }

    public Rxq rxq() {
        return rxq;
    }

    /** Buffers of the source's pool not given back yet (0 for a sink). */
    public int buffersInUse() {
        return pool != null ? pool.inUse() : localPool != null ? localPool.inUse() : 0;
    }

    @Override public String name() { return name; }
    @Override public String type() { return "bench"; }
    @Override public int nRxq() { return pool == null && localPool == null ? 0 : 1; }
    @Override public Rxq rxq(int i) { return rxq; }
    @Override public int nTxq() { return 1; }

    @Override
    public int send(int txq, DpPacketBatch batch, boolean concurrentTxq) {
        txPackets += batch.count();
        txBatches++;
        batch.freeAll();
        return 0;
    }

    @Override public long mac() { return 0x020000000000L; }
    @Override public int mtu() { return 1500; }
    @Override public boolean carrier() { return true; }
    @Override public NetdevStats stats() { return NetdevStats.ZERO; }

    @Override
    public void destruct() {
        if (pool != null) {
            pool.close();
        }
        if (localPool != null) {
            localPool.close();
        }
    }
}
