package org.jvswitch.ofproto.ofp;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import org.jvswitch.api.flow.FlowKey;

/**
 * A bridge's OpenFlow table 0: a copy-on-write list of rules sorted by descending priority (rules of
 * equal priority in insertion order). Readers ({@link #rules()}, the translation on datapath threads)
 * take no lock; changes are serialized on {@code this} and followed by {@code onChange} (which
 * flushes the datapath's flows so packets are decided again).
 */
public final class FlowTable {
    private volatile List<OfRule> rules;
    private final Runnable onChange;

    /** A table holding {@code priority=0 actions=NORMAL}, as Open vSwitch's default flow. */
    public FlowTable(Runnable onChange) {
        this.onChange = onChange;
        rules = List.of(normalRule());
    }

    private static OfRule normalRule() {
        byte[] normal = {0, 0, 0, 8, (byte) 0xff, (byte) 0xfa, 0, 0};
        return new OfRule(0, new FlowKey(), new FlowKey(), 0, 0, 0,
                List.of(new OfAction(OfAction.OUTPUT, OfAction.NORMAL)), normal, System.nanoTime());
    }

    /**
     * Removes every rule, then adds the default {@code priority=0 actions=NORMAL} if
     * {@code withNormal} (Open vSwitch's {@code ofproto_flush_flows} + {@code connmgr_flushed}).
     */
    public void flush(boolean withNormal) {
        synchronized (this) {
            rules = withNormal ? List.of(normalRule()) : List.of();
        }
        onChange.run();
    }

    /** The rules, highest priority first; an immutable snapshot. */
    public List<OfRule> rules() {
        return rules;
    }

    /** Adds {@code r}, replacing a rule with the same priority and match. */
    public void add(OfRule r) {
        synchronized (this) {
            List<OfRule> next = new ArrayList<>(rules.size() + 1);
            boolean inserted = false;
            for (OfRule o : rules) {
                if (o.priority == r.priority && o.sameMatch(r.match, r.mask)) {
                    continue;
                }
                if (!inserted && o.priority < r.priority) {
                    next.add(r);
                    inserted = true;
                }
                next.add(o);
            }
            if (!inserted) {
                next.add(r);
            }
            rules = List.copyOf(next);
        }
        onChange.run();
    }

    /**
     * Replaces the actions of the rules {@code which} selects, and their cookie unless
     * {@code newCookie} is all-ones (OpenFlow 1.0 modify semantics in Open vSwitch); returns how many.
     */
    public int modify(Predicate<OfRule> which, List<OfAction> actions, byte[] actions10, long newCookie) {
        int n = 0;
        synchronized (this) {
            List<OfRule> next = new ArrayList<>(rules.size());
            for (OfRule o : rules) {
                if (which.test(o)) {
                    next.add(o.withActions(actions, actions10, newCookie == -1L ? o.cookie : newCookie));
                    n++;
                } else {
                    next.add(o);
                }
            }
            if (n > 0) {
                rules = List.copyOf(next);
            }
        }
        if (n > 0) {
            onChange.run();
        }
        return n;
    }

    /** Removes the rules {@code which} selects; returns how many. */
    public int delete(Predicate<OfRule> which) {
        int n = 0;
        synchronized (this) {
            List<OfRule> next = new ArrayList<>(rules.size());
            for (OfRule o : rules) {
                if (which.test(o)) {
                    n++;
                } else {
                    next.add(o);
                }
            }
            if (n > 0) {
                rules = List.copyOf(next);
            }
        }
        if (n > 0) {
            onChange.run();
        }
        return n;
    }
}
