package org.jvswitch.core.dpif;

/**
 * How much of a polling thread's time upcalls may take while it also has packets of installed
 * flows to forward, so that a storm of new flows cannot starve them (Open vSwitch 3.1 runs
 * upcalls on the PMD without a bound). A token bucket of time: it fills at {@link #SHARE} of the
 * elapsed time, up to {@link #BURST_NANOS}, and every upcall made while there is such traffic
 * takes the time it spent. While the bucket is empty, a miss is dropped without an upcall and
 * counted as lost ("miss with failed upcall" and "lost" in pmd-stats-show). With no hit in the
 * last {@link #PROTECT_NANOS} there is nothing to protect, and upcalls run unbounded (flow setup
 * at full speed). Owned by one polling thread; no locks, no allocation.
 */
final class UpcallBudget {
    /** Upcalls may take half of the thread's time over any stretch longer than the burst. */
    static final double SHARE = 0.5;
    /** What may be spent at once after a quiet stretch: 5 ms of upcalls (hundreds of translations). */
    static final long BURST_NANOS = 5_000_000;
    /**
     * Hits this recent mean there is forwarding to protect. Generous, because a hit is stamped
     * with its iteration's start, which a long run of upcalls in the same iteration makes old.
     */
    static final long PROTECT_NANOS = 50_000_000;

    private long tokens = BURST_NANOS;
    private long refilledAt;
    private long lastHitAt = Long.MIN_VALUE / 2;
    private boolean charging;

    /** Packets of installed flows were forwarded at {@code now}. */
    void hit(long now) {
        lastHitAt = now;
    }

    /** True if an upcall may run now; {@code now} from System.nanoTime. */
    boolean allow(long now) {
        long elapsed = now - refilledAt;
        if (elapsed > 0) {
            tokens = Math.min(BURST_NANOS, tokens + (long) (elapsed * SHARE));
            refilledAt = now;
        }
        charging = now - lastHitAt < PROTECT_NANOS;
        return !charging || tokens > 0;
    }

    /** The upcall just allowed took {@code nanos}. */
    void spent(long nanos) {
        if (charging) {
            tokens -= nanos;
        }
    }
}
