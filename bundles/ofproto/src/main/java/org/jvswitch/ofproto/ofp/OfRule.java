package org.jvswitch.ofproto.ofp;

import java.util.List;

import org.jvswitch.api.flow.FlowKey;

/**
 * One OpenFlow rule of table 0: priority, match (a masked {@link FlowKey} whose in_port is the
 * OpenFlow port number, plus its mask), cookie, timeouts and actions, immutable. The actions are
 * kept both parsed and in their OpenFlow 1.0 wire form (for flow statistics).
 *
 * <p>Timeouts are enforced by the revalidator ({@link #expired}); flow-removed messages are not
 * sent yet.
 */
public final class OfRule {
    public final int priority;
    /** The match values, already masked ({@code match & mask == match}). */
    public final FlowKey match;
    public final FlowKey mask;
    public final long cookie;
    public final int idleTimeout;
    public final int hardTimeout;
    public final List<OfAction> actions;
    /** The actions as an OpenFlow 1.0 action list. */
    final byte[] actions10;
    public final long createdNanos;
    /** Packets and bytes of the datapath flows this rule decided, added by the revalidator; kept across a modify. */
    public final Counters counters;

    /** A rule's packet and byte counters. */
    public static final class Counters {
        private final java.util.concurrent.atomic.AtomicLong packets = new java.util.concurrent.atomic.AtomicLong();
        private final java.util.concurrent.atomic.AtomicLong bytes = new java.util.concurrent.atomic.AtomicLong();
        /** {@link System#nanoTime()} of the last packet counted, 0 if none (for idle_timeout). */
        private volatile long usedNanos;

        public void add(long p, long b) {
            packets.addAndGet(p);
            bytes.addAndGet(b);
            usedNanos = System.nanoTime();
        }

        public long usedNanos() {
            return usedNanos;
        }

        public long packets() {
            return packets.get();
        }

        public long bytes() {
            return bytes.get();
        }
    }

    public OfRule(int priority, FlowKey match, FlowKey mask, long cookie, int idleTimeout, int hardTimeout,
            List<OfAction> actions, byte[] actions10, long createdNanos) {
        this(priority, match, mask, cookie, idleTimeout, hardTimeout, actions, actions10, createdNanos, new Counters());
    }

    private OfRule(int priority, FlowKey match, FlowKey mask, long cookie, int idleTimeout, int hardTimeout,
            List<OfAction> actions, byte[] actions10, long createdNanos, Counters counters) {
        this.counters = counters;
        this.priority = priority;
        this.match = match;
        this.mask = mask;
        this.cookie = cookie;
        this.idleTimeout = idleTimeout;
        this.hardTimeout = hardTimeout;
        this.actions = List.copyOf(actions);
        this.actions10 = actions10.clone();
        this.createdNanos = createdNanos;
    }

    /**
     * True once the rule has outlived its hard_timeout, or gone idle_timeout seconds without a
     * packet (since it was added or last used), as of {@code nowNanos}.
     */
    public boolean expired(long nowNanos) {
        if (hardTimeout > 0 && nowNanos - createdNanos >= hardTimeout * 1_000_000_000L) {
            return true;
        }
        long last = Math.max(createdNanos, counters.usedNanos());
        return idleTimeout > 0 && nowNanos - last >= idleTimeout * 1_000_000_000L;
    }

    /** The rule with new actions and cookie, everything else kept. */
    OfRule withActions(List<OfAction> acts, byte[] raw, long newCookie) {
        return new OfRule(priority, match, mask, newCookie, idleTimeout, hardTimeout, acts, raw, createdNanos, counters);
    }

    /** True if {@code key} (in_port = OpenFlow port) matches. */
    public boolean matches(FlowKey key) {
        long[] k = key.w;
        long[] m = mask.w;
        long[] v = match.w;
        for (int i = 0; i < FlowKey.WORDS; i++) {
            if ((k[i] & m[i]) != v[i]) {
                return false;
            }
        }
        return true;
    }

    /** True if this rule has the same match as {@code value}/{@code msk}. */
    boolean sameMatch(FlowKey value, FlowKey msk) {
        return match.equals(value) && mask.equals(msk);
    }

    /**
     * True if this rule is at least as specific as the (non-strict) filter {@code value}/{@code msk}:
     * every field the filter fixes, this rule fixes to the same value.
     */
    boolean coveredBy(FlowKey value, FlowKey msk) {
        for (int i = 0; i < FlowKey.WORDS; i++) {
            long fm = msk.w[i];
            if ((mask.w[i] & fm) != fm || (match.w[i] & fm) != value.w[i]) {
                return false;
            }
        }
        return true;
    }

    /** True if an output action sends to {@code port} (OpenFlow 1.0 number); OFPP_NONE selects all. */
    boolean outputsTo(int port) {
        if (port == Ofp.OFPP10_NONE) {
            return true;
        }
        for (OfAction a : actions) {
            if (a.type() == OfAction.OUTPUT && a.arg() == port) {
                return true;
            }
        }
        return false;
    }
}
