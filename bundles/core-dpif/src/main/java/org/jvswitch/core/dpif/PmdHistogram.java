package org.jvswitch.core.dpif;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One histogram of a polling thread's pmd-perf-show (Open vSwitch's {@code struct histogram}):
 * 32 bins bounded by walls laid out linearly or logarithmically as Open vSwitch lays them out,
 * the last bin open-ended. Samples are added by the owning thread only, without allocating;
 * control threads read and clear it against a baseline, as {@link PmdPerfStats}.
 */
final class PmdHistogram {
    static final int NUM_BINS = 32;
    private static final VarHandle ELEM = MethodHandles.arrayElementVarHandle(long[].class);

    /** Upper bounds (inclusive) of the bins; the last is unbounded. */
    final long[] walls = new long[NUM_BINS];
    private final long[] bins = new long[NUM_BINS];
    private final long[] baseline = new long[NUM_BINS];

    private PmdHistogram() {
    }

    /** Walls min..max in equal steps (histogram_walls_set_lin). */
    static PmdHistogram lin(long min, long max) {
        PmdHistogram h = new PmdHistogram();
        for (int i = 0; i < NUM_BINS - 1; i++) {
            h.walls[i] = min + (i * (max - min)) / (NUM_BINS - 2);
        }
        h.walls[NUM_BINS - 1] = Long.MAX_VALUE;
        return h;
    }

    /** Walls min..max in equal ratios, each at least one above the last (histogram_walls_set_log). */
    static PmdHistogram log(long min, long max) {
        PmdHistogram h = new PmdHistogram();
        int start;
        int nBins;
        double logMin;
        if (min > 0) {
            logMin = Math.log(min);
            start = 0;
            nBins = NUM_BINS - 1;
        } else {
            h.walls[0] = 0;
            logMin = Math.log(1);
            start = 1;
            nBins = NUM_BINS - 2;
        }
        double logMax = Math.log(max);
        long wall = start;
        for (int i = 0; i < nBins; i++) {
            wall = Math.max(wall, (long) Math.exp(logMin + (i * (logMax - logMin)) / (nBins - 1)));
            h.walls[start + i] = wall++;
        }
        if (h.walls[NUM_BINS - 2] < max) {
            h.walls[NUM_BINS - 2] = max;
        }
        h.walls[NUM_BINS - 1] = Long.MAX_VALUE;
        return h;
    }

    /** Owner thread only: counts {@code v} in the first bin whose wall is at least {@code v}. */
    void add(long v) {
        // Binary search over the 31 bounded walls: five steps, where Open vSwitch walks them.
        int lo = 0;
        int hi = NUM_BINS - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (v <= walls[mid]) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        ELEM.setOpaque(bins, lo, (long) ELEM.getOpaque(bins, lo) + 1);
    }

    /** Any thread: the bins since the last clear. */
    long[] read() {
        long[] out = new long[NUM_BINS];
        synchronized (baseline) {
            for (int i = 0; i < NUM_BINS; i++) {
                out[i] = (long) ELEM.getOpaque(bins, i) - baseline[i];
            }
        }
        return out;
    }

    void clear() {
        synchronized (baseline) {
            for (int i = 0; i < NUM_BINS; i++) {
                baseline[i] = (long) ELEM.getOpaque(bins, i);
            }
        }
    }
}
