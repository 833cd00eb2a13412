package org.jvswitch.core.dpif;

import java.util.concurrent.atomic.AtomicLong;

import org.jvswitch.api.dpif.DpMeter;

/**
 * One datapath meter: a token bucket refilled at the configured rate (bits or packets per
 * second) up to the burst size, shared by every PMD thread (tokens are taken with one CAS per
 * batch). Counters: packets and bytes in, packets and bytes dropped.
 */
final class Meter {
    private final boolean pktps;
    /** Tokens are kept in micro-units: bits or packets times 1,000,000, refilled per nanosecond elapsed. */
    private final long ratePerSecond;
    private final long bucketSize;
    private final AtomicLong tokens;
    private final AtomicLong lastNanos;
    final AtomicLong packetsIn = new AtomicLong();
    final AtomicLong bytesIn = new AtomicLong();
    final AtomicLong packetsDropped = new AtomicLong();
    final AtomicLong bytesDropped = new AtomicLong();

    Meter(DpMeter m, Meter previous) {
        this.pktps = m.packetsPerSecond();
        // kbps: rate in kilobits per second -> bits per second.
        this.ratePerSecond = pktps ? m.rate() : m.rate() * 1000;
        long burst = m.burst() > 0 ? (pktps ? m.burst() : m.burst() * 1000) : ratePerSecond;
        this.bucketSize = Math.max(1, burst) * 1_000_000L;
        this.tokens = new AtomicLong(bucketSize);
        this.lastNanos = new AtomicLong(System.nanoTime());
        if (previous != null) {
            packetsIn.set(previous.packetsIn.get());
            bytesIn.set(previous.bytesIn.get());
            packetsDropped.set(previous.packetsDropped.get());
            bytesDropped.set(previous.bytesDropped.get());
        }
    }

    /**
     * Meters the first {@code count} packets of {@code pkts} at {@code nowNanos}: the bucket is
     * refilled once, the packets that fit (in order) take their tokens in one update, the others
     * are freed, the kept ones are moved to the front. Returns how many are kept. Atomic updates
     * are per batch, not per packet, as Open vSwitch meters a batch under one lock.
     */
    int admit(org.jvswitch.api.packet.DpPacket[] pkts, int count, long nowNanos) {
        long last = lastNanos.get();
        if (nowNanos > last && lastNanos.compareAndSet(last, nowNanos)) {
            // Micro-units per nanosecond elapsed, in floating point: a long idle time times a high
            // rate would overflow a long, and the bucket caps it anyway.
            double add = (double) (nowNanos - last) * ratePerSecond / 1000.0;
            long inc = add >= bucketSize ? bucketSize : (long) add;
            tokens.getAndUpdate(t -> Math.min(bucketSize, t + inc));
        }
        long bytes = 0;
        for (int i = 0; i < count; i++) {
            bytes += pkts[i].length();
        }
        while (true) {
            long t = tokens.get();
            long left = t;
            int kept = 0;
            long keptBytes = 0;
            for (int i = 0; i < count; i++) {
                long cost = cost(pkts[i]);
                if (left >= cost) {
                    left -= cost;
                    kept++;
                    keptBytes += pkts[i].length();
                }
            }
            if (left == t || tokens.compareAndSet(t, left)) {
                packetsIn.addAndGet(count);
                bytesIn.addAndGet(bytes);
                if (kept < count) {
                    packetsDropped.addAndGet(count - kept);
                    bytesDropped.addAndGet(bytes - keptBytes);
                    compact(pkts, count, t);
                }
                return kept;
            }
        }
    }

    /** A packet's tokens: one packet or its bits, in micro-units. */
    private long cost(org.jvswitch.api.packet.DpPacket p) {
        return (pktps ? 1L : 8L * p.length()) * 1_000_000L;
    }

    /** Keeps, in order, the packets that fit in {@code tokens} (as {@link #admit} decided); frees the rest. */
    private void compact(org.jvswitch.api.packet.DpPacket[] pkts, int count, long tokens) {
        int kept = 0;
        for (int i = 0; i < count; i++) {
            long cost = cost(pkts[i]);
            if (tokens >= cost) {
                tokens -= cost;
                pkts[kept++] = pkts[i];
            } else {
                pkts[i].free();
            }
        }
    }
}
