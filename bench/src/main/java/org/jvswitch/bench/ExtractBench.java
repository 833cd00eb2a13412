package org.jvswitch.bench;

import java.util.concurrent.TimeUnit;

import org.jvswitch.api.flow.FlowKey;
import org.jvswitch.api.packet.DpPacket;
import org.jvswitch.api.packet.PacketBufferPool;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Flow key extraction ({@link FlowKey#extract}, Open vSwitch's miniflow_extract) of one packet
 * in native memory: one operation is one packet. The key is a field (its stores escape, so the
 * compiler must keep them) and its transport word is returned to JMH's blackhole.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {BenchJvm.GC, BenchJvm.HEAP_MIN, BenchJvm.HEAP_MAX, BenchJvm.NATIVE, BenchJvm.UNSAFE})
public class ExtractBench {
    private PacketBufferPool pool;
    private DpPacket tcp;
    private DpPacket vlan;
    private DpPacket ipv6;
    private final FlowKey key = new FlowKey();

    @Setup
    public void setUp() {
        pool = new PacketBufferPool("bench-extract", 4, 2048 + PacketBufferPool.HEADROOM);
        tcp = BenchFrames.packet(pool, BenchFrames.tcp4(BenchFrames.SRC_MAC, BenchFrames.DST_MAC));
        vlan = BenchFrames.packet(pool, BenchFrames.vlanTcp4(BenchFrames.SRC_MAC, BenchFrames.DST_MAC));
        ipv6 = BenchFrames.packet(pool, BenchFrames.tcp6(BenchFrames.SRC_MAC, BenchFrames.DST_MAC));
        // The frames must take the whole path (L2, L3 and L4), else we would time an early exit.
        check(tcp, FlowKey.ETH_TYPE_IP, false);
        check(vlan, FlowKey.ETH_TYPE_IP, true);
        check(ipv6, FlowKey.ETH_TYPE_IPV6, false);
    }

    private void check(DpPacket p, int dlType, boolean vlanTag) {
        key.extract(p, 1);
        if (key.dlType() != dlType || key.hasVlan() != vlanTag || key.nwProto() != 6
                || key.tpSrc() != 40000 || key.tpDst() != 80 || key.dlSrc() != BenchFrames.SRC_MAC) {
            throw new IllegalStateException("bench frame parsed wrong: " + key);
        }
        if (vlanTag && key.vlanVid() != 100) {
            throw new IllegalStateException("VLAN frame parsed wrong: " + key);
        }
    }

    @TearDown
    public void tearDown() {
        tcp.free();
        vlan.free();
        ipv6.free();
        pool.close();
    }

    /** The key's words are stores to a field's array, which the compiler must keep; word 4 (L4) also goes to JMH's blackhole. */
    private long fold() {
        return key.w[4];
    }

    @Benchmark
    public long tcp() {
        key.extract(tcp, 1);
        return fold();
    }

    @Benchmark
    public long vlan() {
        key.extract(vlan, 1);
        return fold();
    }

    @Benchmark
    public long ipv6() {
        key.extract(ipv6, 1);
        return fold();
    }
}
