package org.jvswitch.ofproto.ofp;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;

/**
 * A bridge's OpenFlow tables 0 to 253, each a copy-on-write list of rules sorted by descending
 * priority (equal priorities in insertion order). Readers (the translation on datapath threads)
 * take no lock; changes are serialized on {@code this} and followed by {@code onChange} (which
 * flushes the datapath's flows so packets are decided again).
 */
public final class OfTables {
    /** Tables 0..253, as Open vSwitch (254 is hidden, 255 means "all"). */
    public static final int N_TABLES = 254;

    private final AtomicReferenceArray<List<OfRule>> tables = new AtomicReferenceArray<>(N_TABLES);
    private final LongAdder[] lookups = new LongAdder[N_TABLES];
    private final LongAdder[] matches = new LongAdder[N_TABLES];
    private final Runnable onChange;

    /** Tables holding only {@code priority=0 actions=NORMAL} in table 0, Open vSwitch's default flow. */
    public OfTables(Runnable onChange) {
        this.onChange = onChange;
        for (int i = 0; i < N_TABLES; i++) {
            tables.set(i, List.of());
            lookups[i] = new LongAdder();
            matches[i] = new LongAdder();
        }
        tables.set(0, List.of(normalRule()));
    }

    private static OfRule normalRule() {
        return new OfRule(0, 0, OfMatch.ANY, 0, 0, 0, 0, List.of(new OfAction.Output(OfAction.NORMAL)), System.nanoTime());
    }

    /**
     * Removes every rule, then adds the default {@code priority=0 actions=NORMAL} if
     * {@code withNormal} (Open vSwitch's {@code ofproto_flush_flows} + {@code connmgr_flushed}).
     */
    public void flush(boolean withNormal) {
        synchronized (this) {
            for (int i = 0; i < N_TABLES; i++) {
                tables.set(i, List.of());
            }
            if (withNormal) {
                tables.set(0, List.of(normalRule()));
            }
        }
        onChange.run();
    }

    /** Table {@code t}'s rules, highest priority first; an immutable snapshot. */
    public List<OfRule> rules(int t) {
        return tables.get(t);
    }

    /** Every rule, table by table. */
    public List<OfRule> all() {
        List<OfRule> out = new ArrayList<>();
        for (int i = 0; i < N_TABLES; i++) {
            out.addAll(tables.get(i));
        }
        return out;
    }

    /** Counts a lookup in table {@code t} (datapath thread), and whether a rule matched. */
    public void countLookup(int t, boolean matched) {
        lookups[t].increment();
        if (matched) {
            matches[t].increment();
        }
    }

    public long lookups(int t) {
        return lookups[t].sum();
    }

    public long matched(int t) {
        return matches[t].sum();
    }

    /** Adds {@code r} to its table, replacing a rule with the same priority and match. */
    public void add(OfRule r) {
        synchronized (this) {
            List<OfRule> rules = tables.get(r.tableId);
            List<OfRule> next = new ArrayList<>(rules.size() + 1);
            boolean inserted = false;
            for (OfRule o : rules) {
                if (o.priority == r.priority && o.match.equals(r.match)) {
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
            tables.set(r.tableId, List.copyOf(next));
        }
        onChange.run();
    }

    /** True if a rule of the same table and priority overlaps {@code r} (OFPFF_CHECK_OVERLAP). */
    public boolean overlaps(OfRule r) {
        for (OfRule o : tables.get(r.tableId)) {
            if (o.priority == r.priority && !o.match.equals(r.match) && OfMatch.overlap(o.match, r.match)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Replaces the actions of the rules {@code which} selects, and their cookie unless
     * {@code newCookie} is all-ones (Open vSwitch's modify semantics); returns how many.
     */
    public int modify(Predicate<OfRule> which, List<OfAction> actions, long newCookie) {
        int n = 0;
        synchronized (this) {
            for (int t = 0; t < N_TABLES; t++) {
                List<OfRule> rules = tables.get(t);
                List<OfRule> next = null;
                for (int i = 0; i < rules.size(); i++) {
                    OfRule o = rules.get(i);
                    if (which.test(o)) {
                        if (next == null) {
                            next = new ArrayList<>(rules);
                        }
                        next.set(i, o.withActions(actions, newCookie == -1L ? o.cookie : newCookie));
                        n++;
                    }
                }
                if (next != null) {
                    tables.set(t, List.copyOf(next));
                }
            }
        }
        if (n > 0) {
            onChange.run();
        }
        return n;
    }

    /** Removes the rules {@code which} selects; returns them. */
    public List<OfRule> delete(Predicate<OfRule> which) {
        List<OfRule> gone = new ArrayList<>();
        synchronized (this) {
            for (int t = 0; t < N_TABLES; t++) {
                List<OfRule> rules = tables.get(t);
                List<OfRule> next = new ArrayList<>(rules.size());
                for (OfRule o : rules) {
                    if (which.test(o)) {
                        gone.add(o);
                    } else {
                        next.add(o);
                    }
                }
                if (next.size() != rules.size()) {
                    tables.set(t, List.copyOf(next));
                }
            }
        }
        if (!gone.isEmpty()) {
            onChange.run();
        }
        return gone;
    }

    /** Rules in use across all tables. */
    public int size() {
        int n = 0;
        for (int i = 0; i < N_TABLES; i++) {
            n += tables.get(i).size();
        }
        return n;
    }
}
