package org.jvswitch.netdev.dummy;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.jvswitch.api.netdev.Netdev;
import org.jvswitch.api.netdev.NetdevException;
import org.jvswitch.api.netdev.NetdevStats;
import org.jvswitch.api.netdev.Rxq;
import org.jvswitch.api.packet.DpPacket;
import org.jvswitch.api.packet.DpPacketBatch;
import org.jvswitch.api.packet.PacketBufferPool;

/**
 * An in-memory port (Open vSwitch's netdev-dummy): packets are injected into its receive queues by
 * {@code netdev-dummy/receive}; what the switch sends to it is kept for {@code netdev-dummy/tx-dump}
 * (the newest {@link #TX_KEEP} packets) and counted.
 */
final class DummyNetdev implements Netdev {
    static final int TX_KEEP = 1024;
    private static final int RXQ_CAPACITY = 1024;

    private final String name;
    private final String type;
    private final long mac;
    private final PacketBufferPool pool;
    private final DummyRxq[] rxqs;
    private final ArrayDeque<DpPacket> sent = new ArrayDeque<>(TX_KEEP);
    private volatile boolean up = true;
    /** False (options:tx-keep=false): what is sent is counted and freed at once, for benchmarks. */
    private final boolean keepSent;
    private final PacketGenerator generator;
    private volatile PcapWriter rxPcap;
    private volatile PcapWriter txPcap;
    private volatile int mtu = 1500;

    private final AtomicLong rxPackets = new AtomicLong();
    private final AtomicLong rxBytes = new AtomicLong();
    private final AtomicLong rxDropped = new AtomicLong();
    private final AtomicLong txPackets = new AtomicLong();
    private final AtomicLong txBytes = new AtomicLong();
    private final AtomicLong txDropped = new AtomicLong();

    DummyNetdev(String name, String type, Map<String, String> options) throws NetdevException {
        this.name = name;
        this.type = type;
        int nRxq = parseQueues(options.get("n_rxq"));
        this.mac = options.containsKey("mac") ? parseMac(options.get("mac")) : defaultMac(name);
        this.pool = new PacketBufferPool("dummy-" + name, 2048, 2048 + PacketBufferPool.HEADROOM);
        this.rxqs = new DummyRxq[nRxq];
        for (int i = 0; i < nRxq; i++) {
            rxqs[i] = new DummyRxq(i, RXQ_CAPACITY);
        }
        this.keepSent = !"false".equals(options.get("tx-keep"));
        try {
            openPcaps(options);
        } catch (NetdevException e) {
            pool.release();
            throw e;
        }
        String gen = options.get("gen-flows");
        if (gen != null) {
            int flows;
            try {
                flows = Integer.parseInt(gen.trim());
            } catch (NumberFormatException e) {
                flows = 0;
            }
            if (flows < 1 || flows > 16_000_000) {
                pool.release();
                throw new NetdevException(NetdevException.EINVAL, "invalid gen-flows " + gen + ": expected 1 to 16000000");
            }
            byte[] frame = PacketSpec.fromFlow("eth(src=" + options.getOrDefault("gen-src", "50:54:00:00:00:01")
                    + ",dst=" + options.getOrDefault("gen-dst", "50:54:00:00:00:02") + "),eth_type(0x0800),"
                    + "ipv4(src=10.0.0.1,dst=10.1.0.1,proto=17,ttl=64),udp(src=1000,dst=2000)", 64);
            generator = new PacketGenerator(pool, frame, flows);
            for (DummyRxq q : rxqs) {
                q.setGenerator(generator);
            }
        } else {
            generator = null;
        }
    }

    private static int parseQueues(String s) throws NetdevException {
        if (s == null) {
            return 1;
        }
        try {
            int n = Integer.parseInt(s.trim());
            if (n >= 1 && n <= 64) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new NetdevException(NetdevException.EINVAL, "invalid n_rxq " + s + ": expected 1 to 64");
    }

    private static long parseMac(String s) throws NetdevException {
        try {
            return org.jvswitch.api.flow.FlowKey.parseMac(s);
        } catch (IllegalArgumentException e) {
            throw new NetdevException(NetdevException.EINVAL, s + ": invalid Ethernet address");
        }
    }

    private static long defaultMac(String name) {
        return 0xaa55aa550000L | (name.hashCode() & 0xffff);
    }

    /** Opens the capture files the options name, closing the previous ones (Open vSwitch's set_config). */
    private void openPcaps(Map<String, String> options) throws NetdevException {
        PcapWriter oldRx = rxPcap;
        PcapWriter oldTx = txPcap;
        try {
            if (options.containsKey("pcap")) {
                PcapWriter both = new PcapWriter(java.nio.file.Path.of(options.get("pcap")));
                rxPcap = both;
                txPcap = both;
            } else {
                rxPcap = options.containsKey("rxq_pcap") ? new PcapWriter(java.nio.file.Path.of(options.get("rxq_pcap"))) : null;
                txPcap = options.containsKey("tx_pcap") ? new PcapWriter(java.nio.file.Path.of(options.get("tx_pcap"))) : null;
            }
        } catch (java.io.IOException | java.nio.file.InvalidPathException e) {
            rxPcap = oldRx;
            txPcap = oldTx;
            throw new NetdevException(NetdevException.EINVAL, "could not open pcap file: " + e.getMessage());
        }
        if (oldRx != null) {
            oldRx.close();
        }
        if (oldTx != null && oldTx != oldRx) {
            oldTx.close();
        }
    }

    @Override
    public void setConfig(Map<String, String> options) throws NetdevException {
        openPcaps(options);
    }

    @Override public String name() { return name; }
    @Override public String type() { return type; }
    @Override public int nRxq() { return rxqs.length; }
    @Override public Rxq rxq(int i) { return rxqs[i]; }
    @Override public int nTxq() { return 1; }
    @Override public long mac() { return mac; }
    @Override public int mtu() { return mtu; }
    @Override public boolean carrier() { return up; }

    @Override
    public boolean setMtu(int mtu) {
        if (mtu < 68 || mtu > 65535) {
            return false;
        }
        this.mtu = mtu;
        return true;
    }

    void setAdminState(boolean up) {
        this.up = up;
    }

    /** Injects a frame into rx queue {@code qid}; false if no buffer or the queue is full. */
    boolean receive(byte[] frame, int qid) {
        DpPacket p = pool.alloc();
        if (p == null) {
            rxDropped.incrementAndGet();
            return false;
        }
        if (frame.length > p.capacity() - p.headroom()) {
            p.free();
            rxDropped.incrementAndGet();
            return false;
        }
        p.copyFrom(frame, 0, frame.length);
        PcapWriter cap = rxPcap;
        if (cap != null) {
            cap.write(p);
        }
        if (!up || !rxqs[qid].enqueue(p)) {
            p.free();
            rxDropped.incrementAndGet();
            return false;
        }
        rxPackets.incrementAndGet();
        rxBytes.addAndGet(frame.length);
        return true;
    }

    @Override
    public int send(int txq, DpPacketBatch batch, boolean concurrentTxq) {
        int n = batch.count();
        if (!up) {
            txDropped.addAndGet(n);
            batch.freeAll();
            return n;
        }
        long bytes = 0;
        PcapWriter cap = txPcap;
        if (cap != null) {
            for (int i = 0; i < n; i++) {
                cap.write(batch.get(i));
            }
        }
        if (!keepSent) {
            for (int i = 0; i < n; i++) {
                bytes += batch.get(i).length();
            }
            batch.freeAll();
            txPackets.addAndGet(n);
            txBytes.addAndGet(bytes);
            return 0;
        }
        synchronized (sent) {
            for (int i = 0; i < n; i++) {
                DpPacket p = batch.get(i);
                bytes += p.length();
                if (sent.size() == TX_KEEP) {
                    sent.pollFirst().free();
                }
                sent.addLast(p);
            }
        }
        batch.clear();
        txPackets.addAndGet(n);
        txBytes.addAndGet(bytes);
        return 0;
    }

    /** Takes the kept sent packets out, oldest first, as byte arrays, freeing their buffers. */
    List<byte[]> takeSent() {
        List<byte[]> out = new ArrayList<>();
        synchronized (sent) {
            DpPacket p;
            while ((p = sent.pollFirst()) != null) {
                out.add(p.toByteArray());
                p.free();
            }
        }
        return out;
    }

    @Override
    public NetdevStats stats() {
        long generated = generator == null ? 0 : generator.generated();
        return new NetdevStats(rxPackets.get() + generated, txPackets.get(), rxBytes.get() + generated * 64, txBytes.get(),
                rxDropped.get(), txDropped.get(), 0, 0);
    }

    /** Buffers of this port's pool still out (for leak checks). */
    int buffersInUse() {
        return pool.inUse();
    }

    @Override
    public void destruct() {
        DummyNetdevs.remove(this);
        for (DummyRxq q : rxqs) {
            q.setReadyListener(null);
            q.drain();
        }
        takeSent();
        pool.release();
        PcapWriter rx = rxPcap;
        PcapWriter tx = txPcap;
        if (rx != null) {
            rx.close();
        }
        if (tx != null && tx != rx) {
            tx.close();
        }
    }
}
