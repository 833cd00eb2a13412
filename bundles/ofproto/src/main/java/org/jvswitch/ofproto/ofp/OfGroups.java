package org.jvswitch.ofproto.ofp;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A bridge's OpenFlow group table (OpenFlow 1.1+ groups: all, select, indirect, fast failover),
 * copy-on-write: the translation reads {@link #get} without a lock; GROUP_MODs change it under
 * {@code this} and then run {@code onChange} (which re-decides the datapath's flows).
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
    public record Bucket(int bucketId, int weight, int watchPort, int watchGroup, List<OfAction> actions,
            OfRule.Counters counters) {
        public Bucket(int bucketId, int weight, int watchPort, int watchGroup, List<OfAction> actions) {
            this(bucketId, weight, watchPort, watchGroup, List.copyOf(actions), new OfRule.Counters());
        }
    }

    /** OpenFlow 1.5's command bucket ids: the first, the last, every bucket; real ids go up to {@link #BUCKET_MAX}. */
    public static final int BUCKET_FIRST = 0xfffffffd;
    public static final int BUCKET_LAST = 0xfffffffe;
    public static final int BUCKET_ALL = 0xffffffff;
    public static final int BUCKET_MAX = 0xffffff00;

    /** OFPGMFC_* results of the bucket commands. */
    public static final int UNKNOWN_GROUP = 8;
    public static final int UNKNOWN_BUCKET = 15;
    public static final int BUCKET_EXISTS = 16;

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
            replace(old, g.type(), g.buckets());
        }
        onChange.run();
        return true;
    }

    /** Adds {@code g}, or replaces the group with its id keeping its counters (OVS's ADD_OR_MOD). */
    public void addOrModify(Group g) {
        if (!modify(g)) {
            add(g);
        }
    }

    /**
     * OpenFlow 1.5 INSERT_BUCKET: puts {@code buckets} at the front, the end, or after the bucket
     * {@code where} names. Returns 0, or {@link #UNKNOWN_GROUP}, {@link #UNKNOWN_BUCKET},
     * {@link #BUCKET_EXISTS}.
     */
    public int insertBuckets(int id, int where, List<Bucket> buckets) {
        synchronized (this) {
            Group old = groups.get(id);
            if (old == null) {
                return UNKNOWN_GROUP;
            }
            List<Bucket> next = new java.util.ArrayList<>(old.buckets());
            for (Bucket b : buckets) {
                if (next.stream().anyMatch(o -> o.bucketId() == b.bucketId())) {
                    return BUCKET_EXISTS;
                }
            }
            int at;
            if (where == BUCKET_FIRST) {
                at = 0;
            } else if (where == BUCKET_LAST) {
                at = next.size();
            } else {
                at = indexOf(next, where) + 1;
                if (at == 0) {
                    return UNKNOWN_BUCKET;
                }
            }
            next.addAll(at, buckets);
            replace(old, next);
        }
        onChange.run();
        return 0;
    }

    /**
     * OpenFlow 1.5 REMOVE_BUCKET: removes the first, the last, every bucket, or the one
     * {@code which} names. Returns 0, or {@link #UNKNOWN_GROUP}, {@link #UNKNOWN_BUCKET}.
     */
    public int removeBuckets(int id, int which) {
        synchronized (this) {
            Group old = groups.get(id);
            if (old == null) {
                return UNKNOWN_GROUP;
            }
            List<Bucket> next = new java.util.ArrayList<>(old.buckets());
            if (which == BUCKET_ALL) {
                next.clear();
            } else if (which == BUCKET_FIRST || which == BUCKET_LAST) {
                if (!next.isEmpty()) {
                    next.remove(which == BUCKET_FIRST ? 0 : next.size() - 1);
                }
            } else {
                int i = indexOf(next, which);
                if (i < 0) {
                    return UNKNOWN_BUCKET;
                }
                next.remove(i);
            }
            replace(old, next);
        }
        onChange.run();
        return 0;
    }

    private static int indexOf(List<Bucket> buckets, int bucketId) {
        for (int i = 0; i < buckets.size(); i++) {
            if (buckets.get(i).bucketId() == bucketId) {
                return i;
            }
        }
        return -1;
    }

    /** Under {@code this}: group {@code old} with new buckets, its counters kept. */
    private void replace(Group old, List<Bucket> buckets) {
        replace(old, old.type(), buckets);
    }

    /** Under {@code this}: group {@code old} with a new type and buckets, its creation time and counters kept. */
    private void replace(Group old, int type, List<Bucket> buckets) {
        Map<Integer, Group> next = new TreeMap<>(groups);
        next.put(old.id(), new Group(old.id(), type, List.copyOf(buckets), old.createdNanos(), old.counters()));
        groups = Map.copyOf(next);
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
