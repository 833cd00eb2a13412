package org.jvswitch.ofproto;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A bridge's learned-MAC table (Open vSwitch's {@code lib/mac-learning.c}): (VLAN, MAC) to the
 * OpenFlow port last seen sending from it, kept in least-recently-used order, aged out after
 * {@code mac-aging-time} seconds and capped at {@code mac-table-size} entries.
 *
 * <p>Thread-safety: every method locks {@code this}; callers never hold the lock while calling
 * into the datapath.
 */
final class MacLearning {
    static final int DEFAULT_AGING_SECONDS = 300;
    static final int DEFAULT_MAX_ENTRIES = 2048;

    /** One learned address. */
    static final class Entry {
        final int vlan;
        final long mac;
        int ofport;
        long lastSeenMillis;

        Entry(int vlan, long mac, int ofport, long now) {
            this.vlan = vlan;
            this.mac = mac;
            this.ofport = ofport;
            this.lastSeenMillis = now;
        }
    }

    /** Iteration runs from least to most recently used: a use re-inserts the entry at the end. */
    private final LinkedHashMap<Long, Entry> entries = new LinkedHashMap<>();
    private int agingSeconds = DEFAULT_AGING_SECONDS;
    private int maxEntries = DEFAULT_MAX_ENTRIES;

    private static long key(int vlan, long mac) {
        return ((long) vlan << 48) | mac;
    }

    synchronized void configure(int agingSeconds, int maxEntries) {
        this.agingSeconds = Math.max(15, Math.min(agingSeconds, 3600 * 24));
        this.maxEntries = Math.max(10, maxEntries);
        while (entries.size() > this.maxEntries) {
            evictOldest();
        }
    }

    /**
     * Records that {@code mac} on {@code vlan} sent from {@code ofport}.
     *
     * @return true if this changed where the address lives (new entry or a move), so that flows
     *         forwarding to it must be revalidated
     */
    synchronized boolean learn(int vlan, long mac, int ofport, long now) {
        Entry e = entries.remove(key(vlan, mac));
        if (e == null) {
            if (entries.size() >= maxEntries) {
                evictOldest();
            }
            entries.put(key(vlan, mac), new Entry(vlan, mac, ofport, now));
            return true;
        }
        entries.put(key(vlan, mac), e);
        e.lastSeenMillis = now;
        if (e.ofport != ofport) {
            e.ofport = ofport;
            return true;
        }
        return false;
    }

    private void evictOldest() {
        Iterator<Entry> it = entries.values().iterator();
        if (it.hasNext()) {
            it.next();
            it.remove();
        }
    }

    /** The port {@code mac} was learned on, or -1. Does not count as a use. */
    synchronized int lookup(int vlan, long mac) {
        Entry e = entries.get(key(vlan, mac));
        return e == null ? -1 : e.ofport;
    }

    /** Removes entries older than the aging time; returns how many. */
    synchronized int expire(long now) {
        int removed = 0;
        for (Iterator<Entry> it = entries.values().iterator(); it.hasNext(); ) {
            Entry e = it.next();
            if (now - e.lastSeenMillis >= agingSeconds * 1000L) {
                it.remove();
                removed++;
            }
        }
        return removed;
    }

    /** Removes every entry on {@code ofport} (the port went away); returns how many. */
    synchronized int forgetPort(int ofport) {
        int before = entries.size();
        entries.values().removeIf(e -> e.ofport == ofport);
        return before - entries.size();
    }

    synchronized void flush() {
        entries.clear();
    }

    /** Entries from least to most recently used, copied, with their age in seconds. */
    synchronized List<Map.Entry<Entry, Integer>> snapshot(long now) {
        List<Map.Entry<Entry, Integer>> out = new ArrayList<>();
        for (Entry e : entries.values()) {
            Entry copy = new Entry(e.vlan, e.mac, e.ofport, e.lastSeenMillis);
            out.add(Map.entry(copy, (int) ((now - e.lastSeenMillis) / 1000)));
        }
        return out;
    }

    synchronized int size() {
        return entries.size();
    }
}
