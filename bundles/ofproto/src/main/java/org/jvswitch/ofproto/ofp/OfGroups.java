package org.jvswitch.ofproto.ofp;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A bridge's OpenFlow group table (OpenFlow 1.1+ groups: all, select, indirect, fast failover),
 * copy-on-write: the translation reads {@link #get} without a lock; GROUP_MODs change it under
 * {@code this} and then run {@code onChange} (which flushes the datapath's flows).
 */
public final class OfGroups {
    public static final int ALL = 0;
    public static final int SELECT = 1;
    public static final int INDIRECT = 2;
    public static final int FAST_FAILOVER = 3;
    /** OFPG_ANY: "no group" in a watch_group or a filter. */
    public static final int ANY = 0xffffffff;
    /** OFPG_ALL: every group, in delete and statistics requests. */
    public static final int ALL_GROUPS = 0xfffffffc;
    /** OFPG_MAX: the highest id a group may have. */
    public static final int MAX = 0xffffff00;

    /**
     * One bucket: its weight (select), the port and group whose liveness it watches (fast
     * failover), its actions, and the packets and bytes that went through it.
     */
    public record Bucket(int weight, int watchPort, int watchGroup, List<OfAction> actions, OfRule.Counters counters) {
        public Bucket(int weight, int watchPort, int watchGroup, List<OfAction> actions) {
            this(weight, watchPort, watchGroup, List.copyOf(actions), new OfRule.Counters());
        }
    }

    /** One group; its counters (and its buckets') get the datapath's packets through it from the revalidator. */
    public record Group(int id, int type, List<Bucket> buckets, long createdNanos, OfRule.Counters counters) {
    }

    private volatile Map<Integer, Group> groups = Map.of();
    private final Runnable onChange;

    public OfGroups(Runnable onChange) {
        this.onChange = onChange;
    }

    public Group get(int id) {
        return groups.get(id);
    }

    /** Every group by id (unsigned order). */
    public List<Group> all() {
        return groups.values().stream().sorted((a, b) -> Integer.compareUnsigned(a.id(), b.id())).toList();
    }

    /** Adds {@code g}; false if a group with its id exists. */
    public boolean add(Group g) {
        synchronized (this) {
            if (groups.containsKey(g.id())) {
                return false;
            }
            Map<Integer, Group> next = new TreeMap<>(groups);
            next.put(g.id(), g);
            groups = Map.copyOf(next);
        }
        onChange.run();
        return true;
    }

    /** Replaces group {@code g.id()}, keeping its counters; false if there is none. */
    public boolean modify(Group g) {
        synchronized (this) {
            Group old = groups.get(g.id());
            if (old == null) {
                return false;
            }
            Map<Integer, Group> next = new TreeMap<>(groups);
            next.put(g.id(), new Group(g.id(), g.type(), g.buckets(), old.createdNanos(), old.counters()));
            groups = Map.copyOf(next);
        }
        onChange.run();
        return true;
    }

    /** Deletes group {@code id} (or every group for {@link #ALL_GROUPS}); returns the ids deleted. */
    public List<Integer> delete(int id) {
        List<Integer> gone;
        synchronized (this) {
            if (id == ALL_GROUPS) {
                gone = List.copyOf(groups.keySet());
                groups = Map.of();
            } else if (groups.containsKey(id)) {
                Map<Integer, Group> next = new TreeMap<>(groups);
                next.remove(id);
                groups = Map.copyOf(next);
                gone = List.of(id);
            } else {
                gone = List.of();
            }
        }
        if (!gone.isEmpty()) {
            onChange.run();
        }
        return gone;
    }

    public int size() {
        return groups.size();
    }
}
