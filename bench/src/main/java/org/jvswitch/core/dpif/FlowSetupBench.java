package org.jvswitch.core.dpif;

import java.util.concurrent.TimeUnit;

import org.jvswitch.api.dpif.DpActions;
import org.jvswitch.api.netdev.Rxq;
import org.jvswitch.api.packet.DpPacketBatch;
import org.jvswitch.bench.BenchFrames;
import org.jvswitch.bench.BenchJvm;
import org.jvswitch.bench.PoolNetdev;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Flow setup through the datapath's upcall path: every packet has a source MAC never seen before,
 * so it misses the EMC and the classifier and goes up to the upcall handler, which answers
 * "output to port 2, looking at dl_src" — the datapath then builds and installs one megaflow per
 * packet ({@link DpNetdev#upcall}). The handler itself is trivial, so this is the datapath's share
 * of flow setup (an ofproto translation comes on top).
 *
 * <p>Single-shot, 10 + 10 iterations: one measured operation is {@code batchSize} invocations of 32 packets each
 * (default 3125, so 100,000 new megaflows) into a classifier flushed before the iteration. Flows
 * per second = 32 * batchSize / (seconds per operation). The iteration's teardown checks that
 * every packet installed exactly one flow.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 10, batchSize = FlowSetupBench.BATCHES)
@Measurement(iterations = 10, batchSize = FlowSetupBench.BATCHES)
@Fork(value = 1, jvmArgsAppend = {BenchJvm.GC, BenchJvm.HEAP_MIN, BenchJvm.HEAP_MAX, BenchJvm.NATIVE, BenchJvm.UNSAFE})
public class FlowSetupBench {
    static final int BATCHES = 3125;
    static final int IN_PORT = 1;
    static final int OUT_PORT = 2;

    private DpNetdev dp;
    private PoolNetdev source;
    private PoolNetdev sink;
    private Rxq rxq;
    private PacketProcessor processor;
    private final DpPacketBatch batch = new DpPacketBatch();
    private long nextMac = 0x020000000000L;
    private long upcalls;
    private long upcallsAtIteration;
    private long rxAtIteration;

    @Setup
    public void setUp() {
        dp = BenchDatapath.open("bench-flow-setup");
        source = new PoolNetdev("rx0", BenchFrames.tcp4(BenchFrames.SRC_MAC, BenchFrames.DST_MAC), 256);
        sink = new PoolNetdev("tx0");
        rxq = source.rxq();
        DpActions actions = DpActions.builder().output(OUT_PORT).build();
        dp.setUpcallHandler((packet, key, mask) -> {
            upcalls++;
            mask.setDlSrc(-1L);
            return actions;
        });
        processor = new PacketProcessor(dp, 2);
        DpPort[] ports = {null, new DpPort(IN_PORT, source, false), new DpPort(OUT_PORT, sink, false)};
        processor.reload(ports, 3, 2);
    }

    @Setup(Level.Iteration)
    public void flush() {
        dp.flowFlush();
        upcallsAtIteration = upcalls;
        rxAtIteration = source.rxPackets;
    }

    @Benchmark
    public int install() {
        int n = rxq.recv(batch);
        for (int i = 0; i < n; i++) {
            batch.get(i).setMac(6, nextMac++);
        }
        processor.input(batch, IN_PORT);
        processor.flush();
        return n;
    }

    @TearDown(Level.Iteration)
    public void check() {
        long packets = source.rxPackets - rxAtIteration;
        long installed = dp.dpcls.flows().size();
        if (installed != packets || upcalls - upcallsAtIteration != packets) {
            throw new IllegalStateException("expected " + packets + " new megaflows, the classifier has "
                    + installed + " after " + (upcalls - upcallsAtIteration) + " upcalls");
        }
    }

    @TearDown
    public void tearDown() {
        long[] s = processor.stats.read();
        System.out.printf("flow-setup check: rx %d, tx %d, misses (flows installed) %d, lost %d%n",
                source.rxPackets, sink.txPackets, s[PmdPerfStats.MISS], s[PmdPerfStats.LOST]);
        dp.close();
        if (source.buffersInUse() != 0 || sink.txPackets != source.rxPackets) {
            throw new IllegalStateException("packets not all forwarded and freed");
        }
        source.destruct();
    }
}
