package org.jvswitch.itests;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.jvswitch.api.netdev.Netdev;
import org.jvswitch.api.netdev.NetdevProvider;
import org.jvswitch.api.netdev.NetdevStats;
import org.jvswitch.api.netdev.Rxq;
import org.jvswitch.api.packet.DpPacket;
import org.jvswitch.api.packet.DpPacketBatch;
import org.jvswitch.api.packet.PacketBufferPool;

/**
 * A port type offered by the test probe bundle, standing in for a second vendor driver bundle:
 * its ports take frames the test feeds them and count what the switch sends them. Used to show
 * that stopping one provider bundle leaves other types' traffic alone.
 */
public final class TestPairProvider implements NetdevProvider {
    public static final String TYPE = "test-port";
    final Map<String, Port> ports = new ConcurrentHashMap<>();

    @Override public String type() { return TYPE; }
    @Override public boolean isPmd() { return false; }

    @Override
    public Netdev construct(String name, Map<String, String> options) {
        Port p = new Port(name);
        ports.put(name, p);
        return p;
    }

    public Port port(String name) {
        return ports.get(name);
    }

    /** One port: a bounded receive queue the test fills, and counters of what was sent. */
    public static final class Port implements Netdev, Rxq {
        private final String name;
        private final PacketBufferPool pool;
        private final java.util.concurrent.ArrayBlockingQueue<byte[]> rx = new java.util.concurrent.ArrayBlockingQueue<>(4096);
        private volatile Runnable ready;
        final AtomicLong txPackets = new AtomicLong();

        Port(String name) {
            this.name = name;
            this.pool = new PacketBufferPool("test-" + name, 1024, 2176);
        }

        /** Offers a frame to the switch; false if the queue is full. */
        public boolean inject(byte[] frame) {
            if (!rx.offer(frame)) {
                return false;
            }
            Runnable r = ready;
            if (r != null) {
                r.run();
            }
            return true;
        }

        public long sent() {
            return txPackets.get();
        }

        @Override public String name() { return name; }
        @Override public String type() { return TYPE; }
        @Override public int nRxq() { return 1; }
        @Override public Rxq rxq(int i) { return this; }
        @Override public int nTxq() { return 1; }
        @Override public int id() { return 0; }

        @Override
        public int recv(DpPacketBatch batch) {
            byte[] f;
            while (!batch.isFull() && (f = rx.peek()) != null) {
                DpPacket p = pool.alloc();
                if (p == null) {
                    break;
                }
                rx.poll();
                p.copyFrom(f, 0, f.length);
                batch.add(p);
            }
            return batch.count();
        }

        @Override
        public void setReadyListener(Runnable r) {
            ready = r;
        }

        @Override
        public int send(int txq, DpPacketBatch batch, boolean concurrentTxq) {
            txPackets.addAndGet(batch.count());
            batch.freeAll();
            return 0;
        }

        @Override public long mac() { return 0x020000000099L; }
        @Override public int mtu() { return 1500; }
        @Override public boolean carrier() { return true; }
        @Override public NetdevStats stats() { return new NetdevStats(0, txPackets.get(), 0, 0, 0, 0, 0, 0); }

        @Override
        public void destruct() {
            rx.clear();
            pool.release();
        }
    }
}
