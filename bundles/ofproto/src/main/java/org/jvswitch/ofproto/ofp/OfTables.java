package org.jvswitch.ofproto.ofp;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;

/**
 * A bridge's OpenFlow tables 0 to 253. Readers (the translation on datapath threads) see each
 * table as an immutable list sorted by descending priority (equal priorities in insertion order)
 * and take no lock once it is built. Writers change the rules under {@code this}: rules by
 * priority, and an index by priority and match so that adding a rule that replaces another costs
 * no scan; a change drops the table's list, which the next reader rebuilds, so a file of 100,000
 * flow_mods costs no list copy per flow. {@code onChange} (which re-decides the datapath's flows)
 * runs once no connection {@link #hold}s the tables: a connection holds
 * them while it works through the messages of one read.
 */
public final class OfTables {
    /** Tables 0..253, as Open vSwitch (254 is hidden, 255 means "all"). */
    public static final int N_TABLES = 254;

    /** Each table's rules in lookup order, or null until a reader rebuilds them after a change. */
    private final AtomicReferenceArray<List<OfRule>> published = new AtomicReferenceArray<>(N_TABLES);
    /** Each table's lookup structure, or null until a lookup rebuilds it after a change. */
    private final AtomicReferenceArray<OfClassifier> classifiers = new AtomicReferenceArray<>(N_TABLES);
    private final LongAdder[] lookups = new LongAdder[N_TABLES];
    private final LongAdder[] matches = new LongAdder[N_TABLES];
    private final Runnable onChange;
    /** Working state, guarded by {@code this}: per table, rules by descending priority, and the index. */
    private final Table[] work = new Table[N_TABLES];
    private int holds;
    private boolean dirtyAny;
    /** Who hears of each rule change (the bridge's flow monitors), or null. */
    private volatile Monitor monitor;
    /** Changes not yet handed to {@link #monitor}, guarded by {@code this}. */
    private List<FlowUpdate> pending = new ArrayList<>();

    /** A rule was added ({@link #ADDED}), removed ({@link #REMOVED}, with an OFPRR_* reason) or modified. */
    public static final int ADDED = 1;
    public static final int REMOVED = 2;
    public static final int MODIFIED = 3;

    /**
     * One rule change, as flow monitors report it: the event (OpenFlow 1.4's numbers), the reason
     * of a removal, the rule as it is now (as it was, when removed), the actions it had before a
     * modification, and who asked for it: a connection and the xid of its request, or null.
     */
    public record FlowUpdate(int event, int reason, OfRule rule, List<OfAction> oldActions, Object origin, int xid) {
    }

    /** Hears of rule changes: Open vSwitch's ofmonitor_report. */
    public interface Monitor {
        /** True if anyone monitors flows now; changes are not even recorded otherwise. Any thread, under the tables' lock. */
        boolean active();

        /** The changes of one operation, in order. Runs on the thread that made them, after the tables' lock is let go. */
        void updates(List<FlowUpdate> updates);
    }

    /** Sets who hears of rule changes; null for nobody. */
    public void setMonitor(Monitor m) {
        monitor = m;
    }

    /** Records a change for the monitor, under {@code this}. */
    private void report(int event, int reason, OfRule r, List<OfAction> old, Object origin, int xid) {
        Monitor m = monitor;
        if (m != null && m.active()) {
            pending.add(new FlowUpdate(event, reason, r, old, origin, xid));
        }
    }

    /** Hands the recorded changes to the monitor; outside {@code this}. */
    private void deliver() {
        List<FlowUpdate> u;
        synchronized (this) {
            if (pending.isEmpty()) {
                return;
            }
            u = pending;
            pending = new ArrayList<>();
        }
        Monitor m = monitor;
        if (m != null) {
            m.updates(u);
        }
    }

    private record RuleId(int priority, OfMatch match) {
    }

    private static final class Table {
        final TreeMap<Integer, List<OfRule>> byPriority = new TreeMap<>((a, b) -> Integer.compare(b, a));
        final Map<RuleId, OfRule> index = new HashMap<>();
        boolean dirty;
        /** Rules with an idle or hard timeout. */
        int timed;

        private static int timed(OfRule r) {
            return r.idleTimeout > 0 || r.hardTimeout > 0 ? 1 : 0;
        }

        void add(OfRule r) {
            OfRule old = index.put(new RuleId(r.priority, r.match), r);
            timed += timed(r) - (old == null ? 0 : timed(old));
            List<OfRule> bucket = byPriority.computeIfAbsent(r.priority, p -> new ArrayList<>(1));
            if (old != null) {
                bucket.set(bucket.indexOf(old), r);
            } else {
                bucket.add(r);
            }
            dirty = true;
        }

        void remove(OfRule r) {
            index.remove(new RuleId(r.priority, r.match));
            timed -= timed(r);
            List<OfRule> bucket = byPriority.get(r.priority);
            bucket.remove(r);
            if (bucket.isEmpty()) {
                byPriority.remove(r.priority);
            }
            dirty = true;
        }

        void replace(OfRule old, OfRule r) {
            index.put(new RuleId(r.priority, r.match), r);
            List<OfRule> bucket = byPriority.get(r.priority);
            bucket.set(bucket.indexOf(old), r);
            dirty = true;
        }

        int size() {
            return index.size();
        }

        List<OfRule> rulesByPriority() {
            List<OfRule> all = new ArrayList<>(index.size());
            for (List<OfRule> bucket : byPriority.values()) {
                all.addAll(bucket);
            }
            return all;
        }

        List<OfRule> snapshot() {
            return List.copyOf(rulesByPriority());
        }
    }

    /** Tables holding only {@code priority=0 actions=NORMAL} in table 0, Open vSwitch's default flow. */
    public OfTables(Runnable onChange) {
        this.onChange = onChange;
        for (int i = 0; i < N_TABLES; i++) {
            published.set(i, List.of());
            lookups[i] = new LongAdder();
            matches[i] = new LongAdder();
            work[i] = new Table();
        }
        work[0].add(normalRule());
        published.set(0, work[0].snapshot());
        work[0].dirty = false;
    }

    private static OfRule normalRule() {
        return new OfRule(0, 0, OfMatch.ANY, 0, 0, 0, 0, List.of(new OfAction.Output(OfAction.NORMAL)), System.nanoTime());
    }

    /** Defers publication of changes until {@link #release}; holds nest across connections. */
    public synchronized void hold() {
        holds++;
    }

    /** Ends a {@link #hold}; publishes what changed meanwhile, so the holder's replies come after it. */
    public void release() {
        synchronized (this) {
            holds--;
        }
        publish();
    }

    /** Re-decides datapath flows once for everything changed since the last time. */
    private void publish() {
        boolean changed;
        synchronized (this) {
            changed = dirtyAny;
            dirtyAny = false;
        }
        if (changed) {
            onChange.run();
        }
    }

    /**
     * Something the translation reads beside the rules changed (the group table): the datapath's
     * flows are re-decided with the next publication, once per read of messages like a rule change.
     */
    public void touched() {
        changed();
    }

    /** After a change under {@code this}: drops the lists of changed tables; publishes unless held. */
    private void changed() {
        boolean now;
        synchronized (this) {
            for (int i = 0; i < N_TABLES; i++) {
                if (work[i].dirty) {
                    published.set(i, null);
                    classifiers.set(i, null);
                    work[i].dirty = false;
                }
            }
            dirtyAny = true;
            now = holds == 0;
        }
        deliver();
        if (now) {
            publish();
        }
    }

    /**
     * Removes every rule, then adds the default {@code priority=0 actions=NORMAL} if
     * {@code withNormal} (Open vSwitch's {@code ofproto_flush_flows} + {@code connmgr_flushed}).
     */
    public void flush(boolean withNormal) {
        synchronized (this) {
            for (int i = 0; i < N_TABLES; i++) {
                if (work[i].size() > 0) {
                    for (List<OfRule> bucket : work[i].byPriority.values()) {
                        for (OfRule r : bucket) {
                            report(REMOVED, REASON_DELETE, r, null, null, 0);
                        }
                    }
                    work[i] = new Table();
                    work[i].dirty = true;
                }
            }
            if (withNormal) {
                OfRule n = normalRule();
                work[0].add(n);
                report(ADDED, 0, n, null, null, 0);
            }
        }
        changed();
    }

    /** Table {@code t}'s rules, highest priority first; an immutable snapshot. */
    public List<OfRule> rules(int t) {
        List<OfRule> r = published.get(t);
        if (r != null) {
            return r;
        }
        synchronized (this) {
            r = published.get(t);
            if (r == null) {
                r = work[t].snapshot();
                published.set(t, r);
            }
            return r;
        }
    }

    /** Table {@code t}'s lookup structure (translation, datapath threads). */
    public OfClassifier classifier(int t) {
        OfClassifier c = classifiers.get(t);
        if (c != null) {
            return c;
        }
        synchronized (this) {
            c = classifiers.get(t);
            if (c == null) {
                c = OfClassifier.build(rules(t));
                classifiers.set(t, c);
            }
            return c;
        }
    }

    /** Every rule, table by table. */
    public List<OfRule> all() {
        List<OfRule> out = new ArrayList<>();
        for (int i = 0; i < N_TABLES; i++) {
            out.addAll(rules(i));
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

    /** OFPRR_* reasons of a removal. */
    public static final int REASON_IDLE = 0;
    public static final int REASON_HARD = 1;
    public static final int REASON_DELETE = 2;
    public static final int REASON_GROUP_DELETE = 3;
    public static final int REASON_METER_DELETE = 4;

    /** Adds {@code r} to its table, replacing a rule with the same priority and match. */
    public void add(OfRule r) {
        add(r, null, 0);
    }

    /** {@link #add(OfRule)} asked for by {@code origin}'s request {@code xid} (for flow monitors). */
    public void add(OfRule r, Object origin, int xid) {
        synchronized (this) {
            OfRule old = work[r.tableId].index.get(new RuleId(r.priority, r.match));
            work[r.tableId].add(r);
            // A replaced rule is reported as added, with the actions it had if they changed.
            report(ADDED, 0, r, old != null && !old.actions.equals(r.actions) ? old.actions : null, origin, xid);
        }
        changed();
    }

    /** True if a rule of the same table and priority overlaps {@code r} (OFPFF_CHECK_OVERLAP). */
    public synchronized boolean overlaps(OfRule r) {
        List<OfRule> bucket = work[r.tableId].byPriority.get(r.priority);
        if (bucket != null) {
            for (OfRule o : bucket) {
                if (!o.match.equals(r.match) && OfMatch.overlap(o.match, r.match)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The rule of table {@code t} with exactly this priority and match, or null (strict selection). */
    public synchronized OfRule find(int t, int priority, OfMatch match) {
        return work[t].index.get(new RuleId(priority, match));
    }

    /**
     * Replaces the actions of the rules {@code which} selects, and their cookie unless
     * {@code newCookie} is all-ones (Open vSwitch's modify semantics); returns how many.
     */
    public int modify(Predicate<OfRule> which, List<OfAction> actions, long newCookie) {
        return modify(which, actions, newCookie, null, 0);
    }

    /** {@link #modify(Predicate, List, long)} asked for by {@code origin}'s request {@code xid}. */
    public int modify(Predicate<OfRule> which, List<OfAction> actions, long newCookie, Object origin, int xid) {
        int n = 0;
        synchronized (this) {
            for (int t = 0; t < N_TABLES; t++) {
                Table table = work[t];
                if (table.size() == 0) {
                    continue;
                }
                List<OfRule[]> changes = new ArrayList<>();
                for (OfRule o : table.rulesByPriority()) {
                    if (which.test(o)) {
                        changes.add(new OfRule[] {o, o.withActions(actions, newCookie == -1L ? o.cookie : newCookie)});
                    }
                }
                for (OfRule[] c : changes) {
                    table.replace(c[0], c[1]);
                    boolean newActions = !c[0].actions.equals(c[1].actions);
                    if (newActions || c[0].cookie != c[1].cookie) {
                        report(MODIFIED, 0, c[1], newActions ? c[0].actions : null, origin, xid);
                    }
                }
                n += changes.size();
            }
        }
        if (n > 0) {
            changed();
        }
        return n;
    }

    /** Removes the rules {@code which} selects; returns them. */
    public List<OfRule> delete(Predicate<OfRule> which) {
        return delete(which, r -> REASON_DELETE, null, 0);
    }

    /**
     * Removes the rules {@code which} selects, each for the OFPRR_* {@code reason} gives, as asked
     * by {@code origin}'s request {@code xid} (or null); returns them.
     */
    public List<OfRule> delete(Predicate<OfRule> which, ToIntFunction<OfRule> reason, Object origin, int xid) {
        List<OfRule> gone = new ArrayList<>();
        synchronized (this) {
            for (int t = 0; t < N_TABLES; t++) {
                Table table = work[t];
                if (table.size() == 0) {
                    continue;
                }
                // Highest priority first, as Open vSwitch reports them to flow monitors.
                for (List<OfRule> bucket : table.byPriority.values()) {
                    for (OfRule o : bucket) {
                        if (which.test(o)) {
                            gone.add(o);
                        }
                    }
                }
            }
            for (OfRule o : gone) {
                work[o.tableId].remove(o);
                report(REMOVED, reason.applyAsInt(o), o, null, origin, xid);
            }
        }
        if (!gone.isEmpty()) {
            changed();
        }
        return gone;
    }

    /**
     * Removes the rules whose idle or hard timeout passed as of {@code nowNanos}; costs nothing
     * when no rule has a timeout. Revalidator thread.
     */
    public List<OfRule> expire(long nowNanos) {
        synchronized (this) {
            boolean any = false;
            for (int i = 0; i < N_TABLES && !any; i++) {
                any = work[i].timed > 0;
            }
            if (!any) {
                return List.of();
            }
        }
        return delete(r -> r.expired(nowNanos), r -> r.hardExpired(nowNanos) ? REASON_HARD : REASON_IDLE, null, 0);
    }

    /**
     * A TCP FIN or RST went through {@code r}'s fin_timeout action: its idle and hard timeouts
     * become {@code idle} and {@code hard} where those are set and shorter (or the rule had none),
     * as Open vSwitch's ofproto_rule_reduce_timeouts. The revalidator then expires it.
     */
    public synchronized void reduceTimeouts(OfRule r, int idle, int hard) {
        Table table = work[r.tableId];
        if (table.index.get(new RuleId(r.priority, r.match)) != r) {
            return;                                   // replaced or gone meanwhile
        }
        table.timed -= Table.timed(r);
        if (idle != 0 && (r.idleTimeout == 0 || r.idleTimeout > idle)) {
            r.idleTimeout = idle;
        }
        if (hard != 0 && (r.hardTimeout == 0 || r.hardTimeout > hard)) {
            r.hardTimeout = hard;
        }
        table.timed += Table.timed(r);
    }

    /** Rules in use across all tables (working state). */
    public synchronized int size() {
        int n = 0;
        for (int i = 0; i < N_TABLES; i++) {
            n += work[i].size();
        }
        return n;
    }
}
