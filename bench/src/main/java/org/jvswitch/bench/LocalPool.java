package org.jvswitch.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import org.jvswitch.api.packet.DpPacket;
import org.jvswitch.api.packet.PacketPool;

/**
 * An experiment, not a product: a packet pool owned by one thread (no lock, no double-free
 * bookkeeping), the way a DPDK mempool's per-lcore cache serves a PMD. inproc-batch runs with it
 * under {@code -p pool=local} to show what the shared {@link org.jvswitch.api.packet.PacketBufferPool}'s
 * lock and checks cost per packet. Same buffer layout and the same {@link DpPacket#bind} per
 * allocation as the real pool.
 */
public final class LocalPool implements PacketPool, AutoCloseable {
    private final Arena arena = Arena.ofShared();
    private final MemorySegment memory;
    private final int bufSize;
    private final DpPacket[] handles;
    private final int[] freeStack;
    private int top;

    public LocalPool(int buffers, int bufSize) {
        this.bufSize = bufSize;
        this.memory = arena.allocate((long) buffers * bufSize, 64);
        this.handles = new DpPacket[buffers];
        this.freeStack = new int[buffers];
        for (int i = 0; i < buffers; i++) {
            handles[i] = new DpPacket();
            freeStack[i] = buffers - 1 - i;
        }
        top = buffers;
    }

    public DpPacket alloc() {
        if (top == 0) {
            return null;
        }
        int idx = freeStack[--top];
        DpPacket p = handles[idx];
        p.bind(memory, (long) idx * bufSize, bufSize, org.jvswitch.api.packet.PacketBufferPool.HEADROOM, this, idx);
        return p;
    }

    @Override
    public void free(DpPacket packet) {
        freeStack[top++] = (int) packet.cookie();
    }

    public int inUse() {
        return handles.length - top;
    }

    @Override
    public void close() {
        arena.close();
    }
}
