package org.jvswitch.ofproto.ofp;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One OpenFlow rule: table, priority, match, cookie, timeouts, flags and actions. Immutable but
 * for its timeouts, which a fin_timeout may shrink ({@link OfTables#reduceTimeouts}). The
 * counters are shared with the rule a modify replaces it by, as OpenFlow keeps them.
 *
 * <p>Timeouts are enforced by the revalidator ({@link #expired}), which then sends the
 * flow-removed messages asked for.
 */
public final class OfRule {
    /** OFPFF_SEND_FLOW_REM: the controllers are told when the rule goes. */
    public static final int FLAG_SEND_FLOW_REM = 0x1;
    /** OFPFF_RESET_COUNTS: Open vSwitch sets it on every flow added over OpenFlow 1.0. */
    public static final int FLAG_RESET_COUNTS = 0x4;

    public final int tableId;
    public final int priority;
    public final OfMatch match;
    public final long cookie;
    /** Timeouts in seconds (0: none); a fin_timeout action may shrink them later (under the tables' lock). */
    public volatile int idleTimeout;
    public volatile int hardTimeout;
    public final int flags;
    public final List<OfAction> actions;
    public final long createdNanos;
    /** Change numbers (flow monitors): when the rule was added, when its actions or cookie last changed. */
    public final long addSeq;
    public final long modifySeq;
    private static final AtomicLong SEQ = new AtomicLong();

    /** Packets and bytes of the datapath flows this rule decided, added by the revalidator; kept across a modify. */
    public final Counters counters;

    /** A rule's packet and byte counters. */
    public static final class Counters {
        private final AtomicLong packets = new AtomicLong();
        private final AtomicLong bytes = new AtomicLong();
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

    public OfRule(int tableId, int priority, OfMatch match, long cookie, int idleTimeout, int hardTimeout, int flags,
            List<OfAction> actions, long createdNanos) {
        this(tableId, priority, match, cookie, idleTimeout, hardTimeout, flags, actions, createdNanos, new Counters(), 0);
    }

    private OfRule(int tableId, int priority, OfMatch match, long cookie, int idleTimeout, int hardTimeout, int flags,
            List<OfAction> actions, long createdNanos, Counters counters, long addSeq) {
        this.tableId = tableId;
        this.priority = priority;
        this.match = match;
        this.cookie = cookie;
        this.idleTimeout = idleTimeout;
        this.hardTimeout = hardTimeout;
        this.flags = flags;
        this.actions = List.copyOf(actions);
        this.createdNanos = createdNanos;
        this.counters = counters;
        this.modifySeq = SEQ.incrementAndGet();
        this.addSeq = addSeq == 0 ? modifySeq : addSeq;
    }

    /**
     * True once the rule has outlived its hard_timeout, or gone idle_timeout seconds without a
     * packet (since it was added or last used), as of {@code nowNanos}.
     */
    public boolean expired(long nowNanos) {
        if (hardExpired(nowNanos)) {
            return true;
        }
        return idleTimeout > 0 && nowNanos - lastUsedNanos() >= idleTimeout * 1_000_000_000L;
    }

    /** When a packet last matched the rule, or when it was added if none has. */
    public long lastUsedNanos() {
        return Math.max(createdNanos, counters.usedNanos());
    }

    /** True once the rule has outlived its hard_timeout as of {@code nowNanos}. */
    public boolean hardExpired(long nowNanos) {
        return hardTimeout > 0 && nowNanos - createdNanos >= hardTimeout * 1_000_000_000L;
    }

    /** The rule with new actions and cookie, everything else kept. */
    OfRule withActions(List<OfAction> acts, long newCookie) {
        return new OfRule(tableId, priority, match, newCookie, idleTimeout, hardTimeout, flags, acts, createdNanos, counters, addSeq);
    }


    /** True if this rule's match is at least as specific as the non-strict filter {@code filter}. */
    boolean coveredBy(OfMatch filter) {
        return match.coveredBy(filter);
    }

    /** True if a group action sends to {@code groupId}; {@link OfGroups#ANY} selects all. */
    boolean sendsToGroup(int groupId) {
        if (groupId == OfGroups.ANY) {
            return true;
        }
        for (OfAction a : actions) {
            if (a instanceof OfAction.Group g && g.groupId() == groupId) {
                return true;
            }
        }
        return false;
    }

    /** True if a meter instruction or action names {@code meterId}. */
    boolean usesMeter(int meterId) {
        for (OfAction a : actions) {
            if (a instanceof OfAction.Meter m && m.meterId() == meterId) {
                return true;
            }
        }
        return false;
    }

    /** True if an output action sends to {@code port} (OpenFlow 1.0 number); NONE selects all. */
    boolean outputsTo(int port) {
        return OfActions.outputsTo(actions, port);
    }
}
