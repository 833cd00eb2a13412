package org.jvswitch.netdev.dummy;

import org.jvswitch.api.netdev.Rxq;
import org.jvswitch.api.packet.DpPacket;
import org.jvswitch.api.packet.DpPacketBatch;

/**
 * A dummy receive queue: packets injected by {@code netdev-dummy/receive} wait here until the
 * datapath polls. Bounded; a full queue drops (counted as rx_dropped by the netdev).
 */
final class DummyRxq implements Rxq {
    private final int id;
    private final DpPacket[] ring;
    private int head;
    private int count;
    private volatile Runnable ready;
    private PacketGenerator generator;

    DummyRxq(int id, int capacity) {
        this.id = id;
        this.ring = new DpPacket[capacity];
    }

    @Override
    public int id() {
        return id;
    }

    /** Queues a packet; false if the queue is full (the caller keeps ownership then). */
    boolean enqueue(DpPacket p) {
        synchronized (this) {
            if (count == ring.length) {
                return false;
            }
            ring[(head + count) % ring.length] = p;
            count++;
        }
        Runnable r = ready;
        if (r != null) {
            r.run();
        }
        return true;
    }

    /** Makes this queue a traffic source (options:gen-flows); set before the datapath polls it. */
    void setGenerator(PacketGenerator generator) {
        this.generator = generator;
    }

    @Override
    public int recv(DpPacketBatch batch) {
        if (generator != null) {
            return generator.fill(batch);
        }
        if (count == 0) {   // racy peek keeps the idle poll lock-free
            return 0;
        }
        synchronized (this) {
            int n = Math.min(count, DpPacketBatch.MAX);
            for (int i = 0; i < n; i++) {
                batch.add(ring[head]);
                ring[head] = null;
                head = (head + 1) % ring.length;
            }
            count -= n;
            return n;
        }
    }

    @Override
    public void setReadyListener(Runnable ready) {
        this.ready = ready;
        if (ready != null && count > 0) {
            ready.run();
        }
    }

    /** Frees everything still queued. */
    synchronized void drain() {
        while (count > 0) {
            ring[head].free();
            ring[head] = null;
            head = (head + 1) % ring.length;
            count--;
        }
    }
}
