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
 * An exact match cache hit as the PMD pays it per packet: hash the extracted key, probe the
 * cache, compare the key words. One operation is one packet. With {@code flows} above 1 the
 * lookups cycle through that many flows (those that found a slot: every operation is a hit).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {BenchJvm.GC, BenchJvm.HEAP_MIN, BenchJvm.HEAP_MAX, BenchJvm.NATIVE, BenchJvm.UNSAFE})
public class EmcBench {
    @Param("1")
    public int flows;

    private ExactMatchCache emc;
    private FlowKey[] keys;
    private int next;

    @Setup
    public void setUp() {
        emc = new ExactMatchCache();
        DpActions out = DpActions.builder().output(2).build();
        FlowKey[] all = new FlowKey[flows];
        Megaflow[] expect = new Megaflow[flows];
        for (int i = 0; i < flows; i++) {
            all[i] = BenchDatapath.tcpKey(0x505400100000L + i, 1);
            FlowKey mask = new FlowKey();
            mask.setDlSrc(-1L);
            expect[i] = BenchDatapath.flow(all[i], mask, out);
            emc.insert(all[i], all[i].hash(), expect[i]);
        }
        // With many flows a few lose both candidate slots to later ones (as in Open vSwitch's
        // EMC); look up only the flows that are cached, so every operation is a hit.
        keys = java.util.Arrays.stream(all).filter(k -> emc.lookup(k, k.hash()) != null).toArray(FlowKey[]::new);
        for (int i = 0; i < flows; i++) {
            Megaflow f = emc.lookup(all[i], all[i].hash());
            if (f != null && f != expect[i]) {
                throw new IllegalStateException("flow " + i + " found the wrong EMC entry");
            }
        }
        if (keys.length < flows) {
            System.out.printf("emc-hit: %d of %d flows cached (the others collided); cycling over those%n",
                    keys.length, flows);
        }
    }

    /** The hash alone ({@link FlowKey#hash}), the part of an EMC hit that precedes the probe. */
    @Benchmark
    public int hash() {
        FlowKey k = keys[next];
        if (++next == keys.length) {
            next = 0;
        }
        return k.hash();
    }

    @Benchmark
    public Megaflow hit() {
        FlowKey k = keys[next];
        if (++next == keys.length) {
            next = 0;
        }
        return emc.lookup(k, k.hash());
    }
}
