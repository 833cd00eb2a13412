package org.jvswitch.ofproto.ofp;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;

/**
 * A bridge's OpenFlow tables 0 to 253. Readers (the translation on datapath threads) see each
 * table as an immutable list sorted by descending priority (equal priorities in insertion order)
 * and take no lock once it is built. Writers change the rules under {@code this}: rules by
 * priority, and an index by priority and match so that adding a rule that replaces another costs
 * no scan; a change drops the table's list, which the next reader rebuilds, so a file of 100,000
 * flow_mods costs no list copy per flow. {@code onChange} (which flushes the datapath's flows so
 * packets are decided again) runs once no connection {@link #hold}s the tables: a connection holds
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

        List<OfRule> snapshot() {
            List<OfRule> all = new ArrayList<>(index.size());
            for (List<OfRule> bucket : byPriority.values()) {
                all.addAll(bucket);
            }
            return List.copyOf(all);
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
                    work[i] = new Table();
                    work[i].dirty = true;
                }
            }
            if (withNormal) {
                work[0].add(normalRule());
            }
            dirtyAny = true;
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

    /** Adds {@code r} to its table, replacing a rule with the same priority and match. */
    public void add(OfRule r) {
        synchronized (this) {
            work[r.tableId].add(r);
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
        int n = 0;
        synchronized (this) {
            for (int t = 0; t < N_TABLES; t++) {
                Table table = work[t];
                if (table.size() == 0) {
                    continue;
                }
                List<OfRule[]> changes = new ArrayList<>();
                for (OfRule o : table.index.values()) {
                    if (which.test(o)) {
                        changes.add(new OfRule[] {o, o.withActions(actions, newCookie == -1L ? o.cookie : newCookie)});
                    }
                }
                for (OfRule[] c : changes) {
                    table.replace(c[0], c[1]);
                }
                n += changes.size();
            }
            if (n > 0) {
                dirtyAny = true;
            }
        }
        if (n > 0) {
            changed();
        }
        return n;
    }

    /** Removes the rules {@code which} selects; returns them. */
    public List<OfRule> delete(Predicate<OfRule> which) {
        List<OfRule> gone = new ArrayList<>();
        synchronized (this) {
            for (int t = 0; t < N_TABLES; t++) {
                Table table = work[t];
                if (table.size() == 0) {
                    continue;
                }
                for (Iterator<OfRule> it = table.index.values().iterator(); it.hasNext(); ) {
                    OfRule o = it.next();
                    if (which.test(o)) {
                        gone.add(o);
                    }
                }
            }
            for (OfRule o : gone) {
                work[o.tableId].remove(o);
            }
            if (!gone.isEmpty()) {
                dirtyAny = true;
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
        return delete(r -> r.expired(nowNanos));
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
