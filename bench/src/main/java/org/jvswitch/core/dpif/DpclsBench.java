package org.jvswitch.core.dpif;

import java.util.concurrent.TimeUnit;

import org.jvswitch.api.dpif.DpActions;
import org.jvswitch.api.flow.FlowKey;
import org.jvswitch.bench.BenchJvm;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A megaflow classifier lookup (tuple space search) over {@code subtables} subtables, one per
 * distinct mask. Every mask matches in_port, dl_type and dl_src exactly, plus an nw_src / nw_dst
 * prefix pair that makes it distinct; each subtable holds one flow per lookup key routed to it plus
 * {@code fillers} others (other source MACs), so probes meet occupied tables.
 *
 * <p>{@code hit=last}: every lookup matches in the last subtable searched, so it pays for all of
 * them (the cost of the classifier as it grows, and of a flow the ranking has not promoted).
 * {@code hit=spread}: lookups cycle over keys that match each subtable in turn, (n+1)/2 subtables
 * on average. One operation is one lookup, i.e. one packet.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {BenchJvm.GC, BenchJvm.HEAP_MIN, BenchJvm.HEAP_MAX, BenchJvm.NATIVE, BenchJvm.UNSAFE})
public class DpclsBench {
    @Param({"1", "10", "100"})
    public int subtables;

    @Param("last")
    public String hit;

    @Param("8")
    public int fillers;

    private Dpcls dpcls;
    private FlowKey[] keys;
    private int next;
    private final long[] lookups = new long[1];

    /** Mask {@code i}: in_port, dl_type, dl_src exact; nw_src and nw_dst prefixes from i. */
    static FlowKey mask(int i) {
        int srcPrefix = i % 33;
        int dstPrefix = i / 33;
        if (dstPrefix > 32) {
            throw new IllegalArgumentException("at most 1089 distinct masks");
        }
        FlowKey m = new FlowKey();
        m.w[0] = 0xffff0000L;       // dl_type (in_port added by flow())
        m.setDlSrc(-1L);
        long src = srcPrefix == 0 ? 0 : (0xffffffffL << (32 - srcPrefix)) & 0xffffffffL;
        long dst = dstPrefix == 0 ? 0 : (0xffffffffL << (32 - dstPrefix)) & 0xffffffffL;
        m.w[3] = (src << 32) | dst;
        return m;
    }

    @Setup
    public void setUp() {
        dpcls = new Dpcls();
        DpActions out = DpActions.builder().output(2).build();
        FlowKey[] byTable = new FlowKey[subtables];
        Megaflow[] expect = new Megaflow[subtables];
        for (int t = 0; t < subtables; t++) {
            byTable[t] = BenchDatapath.tcpKey(0x505400200000L + t, 1);
            expect[t] = BenchDatapath.flow(byTable[t], mask(t), out);
            dpcls.insert(expect[t]);
            for (int j = 0; j < fillers; j++) {
                FlowKey other = BenchDatapath.tcpKey(0x505400300000L + (long) t * 1000 + j, 1);
                dpcls.insert(BenchDatapath.flow(other, mask(t), out));
            }
        }
        if (dpcls.subtableCount() != subtables) {
            throw new IllegalStateException("expected " + subtables + " subtables, got " + dpcls.subtableCount());
        }
        for (int t = 0; t < subtables; t++) {
            lookups[0] = 0;
            if (dpcls.lookup(byTable[t], lookups) != expect[t] || lookups[0] != t + 1) {
                throw new IllegalStateException("key " + t + " should match subtable " + t + " after "
                        + (t + 1) + " lookups, took " + lookups[0]);
            }
        }
        keys = switch (hit) {
            case "last" -> new FlowKey[] {byTable[subtables - 1]};
            case "spread" -> byTable;
            default -> throw new IllegalArgumentException("hit must be last or spread, not " + hit);
        };
    }

    @Benchmark
    public Megaflow lookup() {
        FlowKey k = keys[next];
        if (++next == keys.length) {
            next = 0;
        }
        return dpcls.lookup(k, lookups);
    }
}
