package org.jvswitch.core.dpif;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Counters of one polling thread (Open vSwitch's {@code pmd_perf_stats}). Written only by the
 * owning thread with opaque stores; read by control threads. Clearing records a baseline that
 * reads subtract, so the writer never races a reset.
 */
final class PmdPerfStats {
    static final int RECV = 0;
    static final int EXACT_HIT = 1;
    static final int MASKED_HIT = 2;
    static final int MASKED_LOOKUP = 3;
    static final int MISS = 4;
    static final int LOST = 5;
    static final int SENT_PKTS = 6;
    static final int SENT_BATCHES = 7;
    static final int CYCLES_IDLE = 8;
    static final int CYCLES_BUSY = 9;
    static final int RECIRC = 10;
    static final int SMC_HIT = 11;
    static final int IDLE_ITERS = 12;
    static final int BUSY_ITERS = 13;
    static final int SLEEP_ITERS = 14;
    static final int CYCLES_SLEEP = 15;
    static final int CYCLES_UPCALL = 16;
    static final int SIMPLE_HIT = 17;
    static final int RX_BATCHES = 18;
    static final int N = 19;

    private static final VarHandle ELEM = MethodHandles.arrayElementVarHandle(long[].class);

    private final long[] counters = new long[N];
    private final long[] baseline = new long[N];
    /**
     * other_config:pmd-perf-metrics, as the owner thread last saw it: the detailed histograms
     * are filled only then, as in Open vSwitch. Times are nanoseconds where Open vSwitch counts
     * TSC cycles, with Open vSwitch's walls.
     */
    boolean metrics;
    final PmdHistogram cyclesPerIt = PmdHistogram.log(500, 24_000_000);
    final PmdHistogram pktsPerIt = PmdHistogram.log(0, 1000);
    final PmdHistogram cyclesPerPkt = PmdHistogram.lin(100, 30_000);
    final PmdHistogram pktsPerBatch = PmdHistogram.lin(0, 32);
    /** Never fed: no rx queue here reports how full it is. */
    final PmdHistogram vhostQfill = PmdHistogram.log(0, 512);
    final PmdHistogram upcallsPerIt = PmdHistogram.lin(0, 30);
    final PmdHistogram cyclesPerUpcall = PmdHistogram.log(1000, 1_000_000);
    /** All of them, in pmd-perf-show's column order. */
    final PmdHistogram[] histograms = {cyclesPerIt, pktsPerIt, cyclesPerPkt, pktsPerBatch, vhostQfill, upcallsPerIt,
        cyclesPerUpcall};

    /** Owner thread: a counter's running total (not since the last clear). */
    long total(int which) {
        return (long) ELEM.getOpaque(counters, which);
    }

    /** Wall-clock start of the current measurement (creation or last clear). */
    private volatile long startMillis = System.currentTimeMillis();

    long startMillis() {
        return startMillis;
    }

    /** Owner thread only. */
    void add(int which, long n) {
        ELEM.setOpaque(counters, which, (long) ELEM.getOpaque(counters, which) + n);
    }

    /** Any thread: the counters since the last clear. */
    long[] read() {
        long[] out = new long[N];
        synchronized (baseline) {
            for (int i = 0; i < N; i++) {
                out[i] = (long) ELEM.getOpaque(counters, i) - baseline[i];
            }
        }
        return out;
    }

    void clear() {
        startMillis = System.currentTimeMillis();
        for (PmdHistogram h : histograms) {
            h.clear();
        }
        synchronized (baseline) {
            for (int i = 0; i < N; i++) {
                baseline[i] = (long) ELEM.getOpaque(counters, i);
            }
        }
    }
}
