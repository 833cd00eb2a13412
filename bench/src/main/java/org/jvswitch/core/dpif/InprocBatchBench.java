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
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One PMD iteration's work on a full burst, in process: the source port's rx queue fills a batch
 * of 32 packets of one TCP flow (pooled buffers that already hold the frame), the datapath runs
 * {@link PacketProcessor#input} (key extraction, EMC, classifier, grouping per flow, flow stats,
 * actions) and {@link PacketProcessor#flush} sends the output batch to a sink port, whose send
 * frees the packets back to the pool. One operation is 32 packets: Mpps = 32 000 / (ns/op).
 *
 * <p>The megaflow is installed by the datapath's own upcall path on the first batch; from then on
 * packets hit the EMC (emc-insert-inv-prob stays at its default of 100, as deployed). The trial's
 * teardown checks that every packet received was sent, none lost, and prints the PMD counters.
 *
 * <p>{@code pool=shared} (the default, what run.sh reports) takes buffers from the datapath's
 * {@link org.jvswitch.api.packet.PacketBufferPool}, as the dummy and kernel netdevs do;
 * {@code pool=local} from a one-thread pool without lock (an experiment: what the pool's lock and
 * checks cost).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {BenchJvm.GC, BenchJvm.HEAP_MIN, BenchJvm.HEAP_MAX, BenchJvm.NATIVE, BenchJvm.UNSAFE})
public class InprocBatchBench {
    static final int IN_PORT = 1;
    static final int OUT_PORT = 2;

    @Param("shared")
    public String pool;

    private DpNetdev dp;
    private PoolNetdev source;
    private PoolNetdev sink;
    private Rxq rxq;
    private PacketProcessor processor;
    private final DpPacketBatch batch = new DpPacketBatch();
    private int upcalls;

    @Setup
    public void setUp() {
        dp = BenchDatapath.open("bench-inproc");
        boolean local = switch (pool) {
            case "shared" -> false;
            case "local" -> true;
            default -> throw new IllegalArgumentException("pool must be shared or local, not " + pool);
        };
        source = new PoolNetdev("rx0", BenchFrames.tcp4(BenchFrames.SRC_MAC, BenchFrames.DST_MAC), 256, local);
        sink = new PoolNetdev("tx0");
        rxq = source.rxq();
        DpActions actions = DpActions.builder().output(OUT_PORT).build();
        dp.setUpcallHandler((packet, key, mask) -> {
            upcalls++;
            // What a MAC-learning bridge looks at: the Ethernet addresses and type.
            mask.setDlSrc(-1L);
            mask.setDlDst(-1L);
            mask.setDlType(0xffff);
            return actions;
        });
        processor = new PacketProcessor(dp, 2);
        DpPort[] ports = {null, new DpPort(IN_PORT, source, false), new DpPort(OUT_PORT, sink, false)};
        processor.reload(ports, 3, 2);
    }

    @Benchmark
    public int batch() {
        int n = rxq.recv(batch);
        processor.input(batch, IN_PORT);
        processor.flush();
        return n;
    }

    @TearDown
    public void tearDown() {
        long[] s = processor.stats.read();
        String counters = String.format(
                "inproc-batch check: rx %d, tx %d in %d batches, emc hits %d, megaflow hits %d, misses %d (upcalls %d), lost %d, buffers in use %d",
                source.rxPackets, sink.txPackets, sink.txBatches, s[PmdPerfStats.EXACT_HIT],
                s[PmdPerfStats.MASKED_HIT], s[PmdPerfStats.MISS], upcalls, s[PmdPerfStats.LOST],
                source.buffersInUse());
        System.out.println(counters);
        dp.close();
        if (source.rxPackets != sink.txPackets || s[PmdPerfStats.LOST] != 0 || upcalls != 1
                || source.buffersInUse() != 0 || s[PmdPerfStats.RECV] != source.rxPackets) {
            throw new IllegalStateException("the datapath did not forward every packet once: " + counters);
        }
        source.destruct();
    }
}
