package org.jvswitch.core.dpif;

import java.util.concurrent.atomic.AtomicLong;

import org.jvswitch.api.dpif.DpMeter;

/**
 * One datapath meter: a token bucket refilled at the configured rate (bits or packets per
 * second) up to the burst size, shared by every PMD thread (tokens are taken with a CAS, once
 * per packet of a burst). Counters: packets and bytes in, packets and bytes dropped.
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

    /** True if a packet of {@code bytes} may pass at {@code nowNanos}; takes its tokens if so. */
    boolean admit(int bytes, long nowNanos) {
        packetsIn.incrementAndGet();
        bytesIn.addAndGet(bytes);
        long last = lastNanos.get();
        if (nowNanos > last && lastNanos.compareAndSet(last, nowNanos)) {
            // Micro-units per nanosecond elapsed, in floating point: a long idle time times a high
            // rate would overflow a long, and the bucket caps it anyway.
            double add = (double) (nowNanos - last) * ratePerSecond / 1000.0;
            long inc = add >= bucketSize ? bucketSize : (long) add;
            tokens.getAndUpdate(t -> Math.min(bucketSize, t + inc));
        }
        long cost = (pktps ? 1L : 8L * bytes) * 1_000_000L;
        while (true) {
            long t = tokens.get();
            if (t < cost) {
                packetsDropped.incrementAndGet();
                bytesDropped.addAndGet(bytes);
                return false;
            }
            if (tokens.compareAndSet(t, t - cost)) {
                return true;
            }
        }
    }
}
