package org.jvswitch.ofproto.ofp;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.jvswitch.api.dpif.DpMeter;

/**
 * A bridge's OpenFlow meters (1.3+), each backed by a datapath meter. Meters have drop bands
 * only (as Open vSwitch's userspace datapath); the datapath drops what exceeds the lowest band
 * rate. Copy-on-write; changes under {@code this}.
 */
public final class OfMeters {
    public static final int FLAG_KBPS = 1;
    public static final int FLAG_PKTPS = 2;
    public static final int FLAG_BURST = 4;
    public static final int FLAG_STATS = 8;
    /** OFPM_MAX: the highest id a meter may have here (the datapath's meters number 0..65535). */
    public static final int MAX = 65535;
    /** OFPM_ALL, in delete and statistics requests. */
    public static final int ALL = 0xffffffff;

    /** One drop band. */
    public record Band(int rate, int burst) {
    }

    /** One meter: its flags, bands and datapath meter number. */
    public record Meter(int id, int flags, List<Band> bands, int dpId, long createdNanos) {
        /** The datapath meter: the lowest band's rate and burst. */
        DpMeter datapathMeter() {
            Band low = bands.stream().min((a, b) -> Integer.compareUnsigned(a.rate(), b.rate())).orElseThrow();
            return new DpMeter((flags & FLAG_PKTPS) != 0, low.rate() & 0xffffffffL,
                    (flags & FLAG_BURST) != 0 ? low.burst() & 0xffffffffL : 0);
        }
    }

    /** The datapath side: meter numbers are per datapath, shared by its bridges. */
    public interface Datapath {
        int allocate();

        void set(int dpId, DpMeter meter);

        void delete(int dpId);

        /** Packets and bytes in, packets and bytes dropped; null if unknown. */
        long[] stats(int dpId);
    }

    private volatile Map<Integer, Meter> meters = Map.of();
    private final Datapath dp;

    public OfMeters(Datapath dp) {
        this.dp = dp;
    }

    public Meter get(int id) {
        return meters.get(id);
    }

    /** Every meter by id. */
    public List<Meter> all() {
        return meters.values().stream().sorted((a, b) -> Integer.compareUnsigned(a.id(), b.id())).toList();
    }

    long[] stats(Meter m) {
        return dp.stats(m.dpId());
    }

    /** Adds meter {@code id}; false if it exists. */
    public synchronized boolean add(int id, int flags, List<Band> bands) {
        if (meters.containsKey(id)) {
            return false;
        }
        Meter m = new Meter(id, flags, List.copyOf(bands), dp.allocate(), System.nanoTime());
        dp.set(m.dpId(), m.datapathMeter());
        Map<Integer, Meter> next = new TreeMap<>(meters);
        next.put(id, m);
        meters = Map.copyOf(next);
        return true;
    }

    /** Replaces meter {@code id}'s flags and bands; false if there is none. */
    public synchronized boolean modify(int id, int flags, List<Band> bands) {
        Meter old = meters.get(id);
        if (old == null) {
            return false;
        }
        Meter m = new Meter(id, flags, List.copyOf(bands), old.dpId(), old.createdNanos());
        dp.set(m.dpId(), m.datapathMeter());
        Map<Integer, Meter> next = new TreeMap<>(meters);
        next.put(id, m);
        meters = Map.copyOf(next);
        return true;
    }

    /** Deletes meter {@code id} (every meter for {@link #ALL}); returns the ids deleted. */
    public synchronized List<Integer> delete(int id) {
        List<Integer> gone = id == ALL ? List.copyOf(meters.keySet()) : meters.containsKey(id) ? List.of(id) : List.of();
        if (gone.isEmpty()) {
            return gone;
        }
        Map<Integer, Meter> next = new TreeMap<>(meters);
        for (int g : gone) {
            dp.delete(next.remove(g).dpId());
        }
        meters = Map.copyOf(next);
        return gone;
    }

    /** Deletes every meter (the bridge goes away). */
    public void clear() {
        delete(ALL);
    }
}
