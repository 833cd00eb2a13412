package org.jvswitch.api.packet;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * A fixed set of equally sized off-heap packet buffers with their handles, for netdevs that do not
 * bring their own memory (dummy, kernel ports). Allocation and free take no heap memory.
 *
 * <p>Thread-safety: {@link #alloc()} and {@link #free(DpPacket)} may be called from any thread; a
 * short lock guards the free stack. {@link #close()} releases the memory and must only be called
 * once every packet is back ({@link #inUse()} == 0), else it refuses.
 */
public final class PacketBufferPool implements PacketPool, AutoCloseable {
    /** Pools whose memory is not released yet, for {@code memory/show} and leak checks. */
    private static final java.util.Set<PacketBufferPool> LIVE = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** Headroom in front of received data, as DPDK's RTE_PKTMBUF_HEADROOM. */
    public static final int HEADROOM = 128;

    private final String name;
    private final Arena arena;
    private final MemorySegment memory;
    private final int bufSize;
    private final DpPacket[] handles;
    private final int[] freeStack;
    private final boolean[] isFree;
    private int top;
    private boolean released;
    private boolean closed;

    public PacketBufferPool(String name, int buffers, int bufSize) {
        this.name = name;
        this.bufSize = bufSize;
        this.arena = Arena.ofShared();
        this.memory = arena.allocate((long) buffers * bufSize, 64);
        this.handles = new DpPacket[buffers];
        this.freeStack = new int[buffers];
        this.isFree = new boolean[buffers];
        for (int i = 0; i < buffers; i++) {
            handles[i] = new DpPacket();
            handles[i].bind(memory, (long) i * bufSize, bufSize, HEADROOM, this, i);
            freeStack[i] = buffers - 1 - i;
            isFree[i] = true;
        }
        top = buffers;
        LIVE.add(this);
    }

    /** Every pool whose memory is still allocated, in no order. */
    public static java.util.List<PacketBufferPool> livePools() {
        return java.util.List.copyOf(LIVE);
    }

    /** Native bytes this pool holds. */
    public long bytes() {
        return memory.byteSize();
    }

    public String name() { return name; }
    public int size() { return handles.length; }

    /** Takes a buffer, bound with {@link #HEADROOM} and length 0; null when the pool is empty. */
    public DpPacket alloc() {
        int idx;
        synchronized (this) {
            if (top == 0 || released) {
                return null;
            }
            idx = freeStack[--top];
            isFree[idx] = false;
        }
        DpPacket p = handles[idx];
        p.reset(HEADROOM);
        return p;
    }

    /**
     * Fills {@code batch} with up to {@code n} fresh buffers under one lock (a receive burst);
     * returns how many it added (fewer when the pool runs low or the batch fills).
     */
    public int allocBulk(DpPacketBatch batch, int n) {
        int want = Math.min(n, DpPacketBatch.MAX - batch.count());
        int got;
        int start = batch.count();
        synchronized (this) {
            if (released) {
                return 0;
            }
            got = Math.min(want, top);
            for (int i = 0; i < got; i++) {
                int idx = freeStack[--top];
                isFree[idx] = false;
                batch.add(handles[idx]);
            }
        }
        for (int i = start; i < start + got; i++) {
            batch.get(i).reset(HEADROOM);
        }
        return got;
    }

    @Override
    public void freeBulk(DpPacket[] packets, int from, int n) {
        synchronized (this) {
            for (int i = from; i < from + n; i++) {
                release(packets[i]);
            }
            if (released && top == handles.length) {
                closeNow();
            }
        }
    }

    private void release(DpPacket packet) {
        int idx = (int) packet.cookie();
        if (handles[idx] != packet || isFree[idx]) {
            throw new IllegalStateException("double free or foreign packet in pool " + name);
        }
        isFree[idx] = true;
        freeStack[top++] = idx;
    }

    @Override
    public void free(DpPacket packet) {
        synchronized (this) {
            release(packet);
            if (released && top == handles.length) {
                closeNow();
            }
        }
    }

    /**
     * Closes the pool once every buffer is back: at once if none is out, else when the last one is
     * freed (its packets may sit in another port's queue). Allocation fails from now on.
     */
    public synchronized void release() {
        released = true;
        if (top == handles.length) {
            closeNow();
        }
    }

    /** True once the memory is released. */
    public synchronized boolean isClosed() {
        return closed;
    }

    private void closeNow() {
        if (!closed) {
            closed = true;
            LIVE.remove(this);
            arena.close();
        }
    }

    /** Buffers currently taken (for leak checks and statistics). */
    public synchronized int inUse() {
        return handles.length - top;
    }

    @Override
    public synchronized void close() {
        if (inUse() != 0) {
            throw new IllegalStateException("pool " + name + " closed with " + inUse() + " buffers in use");
        }
        released = true;
        closeNow();
    }
}
