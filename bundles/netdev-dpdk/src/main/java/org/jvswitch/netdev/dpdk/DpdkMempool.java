package org.jvswitch.netdev.dpdk;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

import org.jvswitch.api.dpdk.MbufPool;
import org.jvswitch.api.packet.DpPacket;
import org.jvswitch.api.packet.DpPacketBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A DPDK packet mempool with one {@link DpPacket} handle per mbuf. Each mbuf carries its handle's
 * index in its private area (written once, when the pool is made), so going from an mbuf address
 * to its handle is two loads and no lookup.
 *
 * <p>Reference counted by the ports that share it (Open vSwitch's {@code dpdk_mp}): the last
 * {@link #release()} frees the DPDK memory as soon as every mbuf is back in the pool.
 */
final class DpdkMempool implements MbufPool {
    private static final Logger LOG = LoggerFactory.getLogger(DpdkMempool.class);
    private static final int FREE_CHUNK = 64;

    private final Dpdk dpdk;
    private final String name;
    private final MemorySegment mp;
    private final int dataRoom;
    private final int socketId;
    private final DpPacket[] handles;
    /** Scratch pointer arrays for freeing, one per thread (a free is per burst, never per packet). */
    private final ThreadLocal<MemorySegment> scratch;
    private final Arena arena = Arena.ofAuto();
    private int refs = 1;
    private volatile boolean released;
    private boolean freed;
    final Runnable onFreed;

    private DpdkMempool(Dpdk dpdk, String name, MemorySegment mp, int dataRoom, int socketId, int n, Runnable onFreed) {
        this.dpdk = dpdk;
        this.name = name;
        this.mp = mp;
        this.dataRoom = dataRoom;
        this.socketId = socketId;
        this.handles = new DpPacket[n];
        this.onFreed = onFreed;
        this.scratch = ThreadLocal.withInitial(() -> arena.allocate(ADDRESS, FREE_CHUNK));
    }

    /**
     * Creates the pool, halving the mbuf count on ENOMEM down to {@code min} (as Open vSwitch).
     *
     * @return the pool, or null if DPDK could not make even the smallest one
     */
    static DpdkMempool create(Dpdk dpdk, String name, int dataRoom, int socketId, int want, int min, Runnable onFreed) {
        for (int n = want; n >= min; n /= 2) {
            MemorySegment mp;
            try (Arena a = Arena.ofConfined()) {
                mp = (MemorySegment) dpdk.poolCreate.invokeExact(a.allocateFrom(name), n - 1, 256,
                        (short) Dpdk.MBUF_PRIV, (short) (dataRoom + Dpdk.HEADROOM), socketId);
            } catch (Throwable t) {
                throw Dpdk.rethrow(t);
            }
            if (!mp.equals(MemorySegment.NULL)) {
                DpdkMempool pool = new DpdkMempool(dpdk, name, mp.reinterpret(256), dataRoom, socketId, n - 1, onFreed);
                pool.indexMbufs();
                LOG.info("Allocated \"{}\" mempool with {} mbufs of {} bytes on socket {}", name, n - 1,
                        dataRoom + Dpdk.HEADROOM, socketId);
                return pool;
            }
            LOG.debug("Failed to create mempool \"{}\" with {} mbufs, retrying smaller", name, n - 1);
        }
        return null;
    }

    /** Writes each mbuf's handle index into its private area (rte_mempool_obj_iter calls us back). */
    private void indexMbufs() {
        try (Arena a = Arena.ofConfined()) {
            var cb = MethodHandles.lookup().findVirtual(DpdkMempool.class, "indexOne",
                    MethodType.methodType(void.class, MemorySegment.class, MemorySegment.class, MemorySegment.class, int.class))
                    .bindTo(this);
            MemorySegment stub = Dpdk.LINKER.upcallStub(cb,
                    FunctionDescriptor.ofVoid(ADDRESS, ADDRESS, ADDRESS, JAVA_INT), a);
            int count = (int) dpdk.objIter.invokeExact(mp, stub, MemorySegment.NULL);
        } catch (Throwable t) {
            throw Dpdk.rethrow(t);
        }
    }

    @SuppressWarnings("unused") // called from DPDK, on this thread, inside indexMbufs
    private void indexOne(MemorySegment pool, MemorySegment opaque, MemorySegment obj, int idx) {
        if (idx >= 0 && idx < handles.length) {
            long m = obj.address();
            Dpdk.ALL.set(JAVA_LONG, m + Dpdk.MBUF_SIZE, idx);
            // A direct mbuf keeps its buffer for life: bind its handle once, here.
            DpPacket p = new DpPacket();
            p.bind(Dpdk.ALL, Dpdk.ALL.get(JAVA_LONG, m + Dpdk.MBUF_BUF_ADDR),
                    Dpdk.ALL.get(JAVA_SHORT, m + Dpdk.MBUF_BUF_LEN) & 0xffff, Dpdk.HEADROOM, this, m);
            handles[idx] = p;
        }
    }

    @Override public String name() { return name; }
    @Override public MemorySegment mempool() { return mp; }
    @Override public int dataRoom() { return dataRoom; }
    @Override public int size() { return handles.length; }
    int socketId() { return socketId; }

    @Override
    public DpPacket packet(long mbuf) {
        MemorySegment all = Dpdk.ALL;
        DpPacket p = handles[(int) all.get(JAVA_LONG, mbuf + Dpdk.MBUF_SIZE)];
        p.reset(all.get(JAVA_SHORT, mbuf + Dpdk.MBUF_DATA_OFF) & 0xffff);
        p.setLength(all.get(JAVA_SHORT, mbuf + Dpdk.MBUF_DATA_LEN) & 0xffff);
        return p;
    }

    @Override
    public long toMbuf(DpPacket p) {
        long m = p.cookie();
        MemorySegment all = Dpdk.ALL;
        int len = p.length();
        all.set(JAVA_SHORT, m + Dpdk.MBUF_DATA_OFF, (short) p.headroom());
        all.set(JAVA_SHORT, m + Dpdk.MBUF_DATA_LEN, (short) len);
        all.set(JAVA_INT, m + Dpdk.MBUF_PKT_LEN, len);
        return m;
    }

    @Override
    public int allocBulk(MemorySegment out, int n) {
        try {
            while (n > 0) {
                if ((int) Dpdk.Burst.ALLOC.invokeExact(mp, out, n) == 0) {
                    return n;
                }
                n /= 2;
            }
            return 0;
        } catch (Throwable t) {
            throw Dpdk.rethrow(t);
        }
    }

    @Override
    public int copyIn(DpPacketBatch batch, int n, MemorySegment out, int at) {
        MemorySegment fresh = scratch.get();
        int got = allocBulk(fresh, n);
        MemorySegment all = Dpdk.ALL;
        int used = 0;
        int drops = 0;
        for (int i = 0; i < n; i++) {
            DpPacket p = batch.get(i);
            int len = p.length();
            if (used < got && len <= dataRoom) {
                long m = fresh.get(JAVA_LONG, (long) used++ * 8);
                long buf = all.get(JAVA_LONG, m + Dpdk.MBUF_BUF_ADDR);
                int off = all.get(JAVA_SHORT, m + Dpdk.MBUF_DATA_OFF) & 0xffff;
                MemorySegment.copy(p.region(), p.dataAddress(), all, buf + off, len);
                all.set(JAVA_SHORT, m + Dpdk.MBUF_DATA_LEN, (short) len);
                all.set(JAVA_INT, m + Dpdk.MBUF_PKT_LEN, len);
                out.set(JAVA_LONG, (long) (at++) * 8, m);
            } else {
                drops++;
            }
        }
        if (used < got) {
            freeMbufs(fresh.asSlice((long) used * 8), got - used);
        }
        // The originals, one call per run of packets from the same pool.
        batch.truncate(n);
        batch.freeAll();
        return drops;
    }

    /** Frees mbufs given as a pointer array (what a device did not take, what vhost copied). */
    @Override
    public void freeMbufs(MemorySegment mbufs, int n) {
        if (n > 0) {
            try {
                Dpdk.Burst.FREE.invokeExact(mbufs, n);
            } catch (Throwable t) {
                throw Dpdk.rethrow(t);
            }
        }
        if (released) {
            maybeFree();
        }
    }

    @Override
    public void free(DpPacket packet) {
        MemorySegment s = scratch.get();
        s.set(JAVA_LONG, 0, packet.cookie());
        freeMbufs(s, 1);
    }

    @Override
    public void freeBulk(DpPacket[] packets, int from, int n) {
        MemorySegment s = scratch.get();
        while (n > 0) {
            int k = Math.min(n, FREE_CHUNK);
            for (int i = 0; i < k; i++) {
                s.set(JAVA_LONG, (long) i * 8, packets[from + i].cookie());
            }
            freeMbufs(s, k);
            from += k;
            n -= k;
        }
    }

    @Override
    public int inUse() {
        synchronized (this) {
            if (freed) {
                return 0;
            }
            try {
                return (int) dpdk.inUseCount.invokeExact(mp);
            } catch (Throwable t) {
                throw Dpdk.rethrow(t);
            }
        }
    }

    @Override
    public int available() {
        synchronized (this) {
            if (freed) {
                return 0;
            }
            try {
                return (int) dpdk.availCount.invokeExact(mp);
            } catch (Throwable t) {
                throw Dpdk.rethrow(t);
            }
        }
    }

    /** Takes another reference (a second port of the same MTU and socket); false if already released. */
    synchronized boolean retain() {
        if (released) {
            return false;
        }
        refs++;
        return true;
    }

    @Override
    public void release() {
        synchronized (this) {
            if (released || --refs > 0) {
                return;
            }
            released = true;
        }
        maybeFree();
    }

    synchronized boolean isFreed() {
        return freed;
    }

    /** Frees the DPDK memory if every mbuf is back; else the last free does it. */
    private synchronized void maybeFree() {
        if (freed || !released) {
            return;
        }
        int out;
        try {
            out = (int) dpdk.inUseCount.invokeExact(mp);
            if (out > 0) {
                return;
            }
            dpdk.mempoolFree.invokeExact(mp);
        } catch (Throwable t) {
            throw Dpdk.rethrow(t);
        }
        freed = true;
        LOG.info("Freed mempool \"{}\"", name);
        onFreed.run();
    }

    /** rte_mempool_dump's text (netdev-dpdk/get-mempool-info). */
    String dump() {
        synchronized (this) {
            if (freed) {
                return "";
            }
            try (Arena a = Arena.ofConfined()) {
                MemorySegment bufp = a.allocate(ADDRESS);
                MemorySegment sizep = a.allocate(JAVA_LONG);
                MemorySegment f = (MemorySegment) dpdk.openMemstream.invokeExact(bufp, sizep);
                dpdk.mempoolDump.invokeExact(f, mp);
                int rc = (int) dpdk.fclose.invokeExact(f);
                MemorySegment buf = bufp.get(ADDRESS, 0);
                String text = Dpdk.string(buf);
                dpdk.free.invokeExact(buf);
                return text;
            } catch (Throwable t) {
                throw Dpdk.rethrow(t);
            }
        }
    }
}
