package org.jvswitch.core.dpif;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import org.jvswitch.api.netdev.Netdev;
import org.jvswitch.api.netdev.NetdevProvider;
import org.jvswitch.api.netdev.NetdevStats;
import org.jvswitch.api.netdev.Rxq;
import org.jvswitch.api.packet.DpPacket;
import org.jvswitch.api.packet.DpPacketBatch;
import org.jvswitch.api.packet.PacketBufferPool;

/**
 * A test adapter netdev for the datapath's unit tests: frames offered by the test are received,
 * frames sent are kept. (The real dummy ports live in the netdev-dummy bundle and are exercised
 * across bundles in itests/.)
 */
final class QueueNetdev implements Netdev {
    final String name;
    final String type;
    final PacketBufferPool pool = new PacketBufferPool("test", 512, 2176);
    final ConcurrentLinkedQueue<byte[]> toReceive = new ConcurrentLinkedQueue<>();
    final List<byte[]> sent = new ArrayList<>();
    final AtomicInteger recvCalls = new AtomicInteger();
    volatile Runnable ready;
    private int queues = 1;
    private final Rxq rxq = new Rxq() {
        @Override public int id() { return 0; }

        @Override
        public int recv(DpPacketBatch batch) {
            recvCalls.incrementAndGet();
            if (held) {
                return 0;
            }
            byte[] f;
            while (!batch.isFull() && (f = toReceive.poll()) != null) {
                DpPacket p = pool.alloc();
                p.copyFrom(f, 0, f.length);
                batch.add(p);
            }
            return batch.count();
        }

        @Override
        public void setReadyListener(Runnable r) {
            ready = r;
        }
    };

    QueueNetdev(String name, String type) {
        this.name = name;
        this.type = type;
    }

    /** While held, nothing is received: frames offered meanwhile arrive together, in one batch. */
    private volatile boolean held;

    void hold() {
        held = true;
    }

    void release() {
        held = false;
        Runnable r = ready;
        if (r != null) {
            r.run();
        }
    }

    void offer(byte[] frame) {
        toReceive.add(frame);
        Runnable r = ready;
        if (r != null) {
            r.run();
        }
    }

    synchronized List<byte[]> sent() {
        return new ArrayList<>(sent);
    }

    @Override public String name() { return name; }
    @Override public String type() { return type; }
    @Override public int nRxq() { return queues; }

    /** Queue 0 receives what the test offers; further queues (n_rxq) stay empty. */
    @Override
    public Rxq rxq(int i) {
        if (i == 0) {
            return rxq;
        }
        return extra.computeIfAbsent(i, id -> new Rxq() {
            @Override public int id() { return id; }
            @Override public int recv(DpPacketBatch batch) { return 0; }
        });
    }

    private final Map<Integer, Rxq> extra = new java.util.concurrent.ConcurrentHashMap<>();
    @Override public int nTxq() { return 1; }

    @Override
    public synchronized int send(int txq, DpPacketBatch batch, boolean concurrentTxq) {
        for (int i = 0; i < batch.count(); i++) {
            sent.add(batch.get(i).toByteArray());
        }
        batch.freeAll();
        return 0;
    }

    @Override public long mac() { return 0x020000000001L; }
    @Override public int mtu() { return 1500; }
    @Override public boolean carrier() { return true; }
    @Override public NetdevStats stats() { return NetdevStats.ZERO; }
    @Override public void destruct() { }

    /** A provider of QueueNetdevs, remembering what it made. */
    static final class Provider implements NetdevProvider {
        final String type;
        final boolean pmd;
        final Map<String, QueueNetdev> made = new java.util.concurrent.ConcurrentHashMap<>();

        Provider(String type, boolean pmd) {
            this.type = type;
            this.pmd = pmd;
        }

        @Override public String type() { return type; }
        @Override public boolean isPmd() { return pmd; }

        @Override
        public Netdev construct(String name, Map<String, String> options) {
            QueueNetdev n = new QueueNetdev(name, type);
            n.queues = Integer.parseInt(options.getOrDefault("n_rxq", "1"));
            made.put(name, n);
            return n;
        }
    }
}
