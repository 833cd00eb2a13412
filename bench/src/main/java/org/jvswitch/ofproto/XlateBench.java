package org.jvswitch.ofproto;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.jvswitch.api.dpif.DpActions;
import org.jvswitch.api.dpif.Dpif;
import org.jvswitch.api.dpif.DpifFlow;
import org.jvswitch.api.dpif.DpifPort;
import org.jvswitch.api.dpif.DpifProvider;
import org.jvswitch.api.dpif.DpifStats;
import org.jvswitch.api.dpif.UpcallHandler;
import org.jvswitch.api.flow.FlowKey;
import org.jvswitch.api.netdev.Netdev;
import org.jvswitch.api.netdev.NetdevStats;
import org.jvswitch.api.ofproto.Ofproto;
import org.jvswitch.api.packet.DpPacket;
import org.jvswitch.api.packet.DpPacketBatch;
import org.jvswitch.bench.BenchJvm;
import org.jvswitch.ofproto.ofp.OfAction;
import org.jvswitch.ofproto.ofp.OfActions;
import org.jvswitch.ofproto.ofp.OfField;
import org.jvswitch.ofproto.ofp.OfMatch;
import org.jvswitch.ofproto.ofp.OfRule;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The OpenFlow translation of an upcall ({@code xlate_actions}): one operation translates one
 * packet that missed the datapath, through 1,000 rules in 3 tables: table 0 (20 rules) sorts by
 * input port and resubmits, table 1 (500 rules) matches the IPv4 destination, loads reg0 and
 * resubmits, table 2 (480 rules) matches reg0 and the TCP destination port and outputs. 4,096
 * distinct packets rotate, so the tables, not one cached path, are measured. Nanoseconds per
 * operation = per upcall translated on one thread (bench/run.sh xlate prints translations per second).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {BenchJvm.GC, BenchJvm.HEAP_MIN, BenchJvm.HEAP_MAX, BenchJvm.NATIVE, BenchJvm.UNSAFE})
public class XlateBench {
    private OfprotoServiceImpl service;
    private OfprotoDpif bridge;
    private final FlowKey[] keys = new FlowKey[4096];
    private final FlowKey mask = new FlowKey();
    private int next;

    /** A datapath that numbers ports and moves no packets: only the translation runs. */
    private static final class NullDpif implements Dpif {
        private final List<DpifPort> ports = new ArrayList<>();
        private int nextPort = 1;

        @Override public String name() { return "ovs-netdev"; }
        @Override public String type() { return "netdev"; }
        @Override public int portAdd(Netdev n, int req) { int no = nextPort++; ports.add(new DpifPort(no, n.name(), n.type(), n)); return no; }
        @Override public void portDel(int no) { ports.removeIf(p -> p.portNo() == no); }
        @Override public List<DpifPort> ports() { return ports; }
        @Override public void setUpcallHandler(UpcallHandler h) { }
        @Override public void flowFlush() { }
        @Override public boolean flowDel(FlowKey k, FlowKey m) { return false; }
        @Override public List<DpifFlow> flowDump() { return List.of(); }
        @Override public void execute(DpPacket p, DpActions a) { p.free(); }
        @Override public DpifStats stats() { return new DpifStats(0, 0, 0, 0); }
    }

    private static Netdev netdev(String name, long mac) {
        return new Netdev() {
            @Override public String name() { return name; }
            @Override public String type() { return "dummy"; }
            @Override public int nRxq() { return 0; }
            @Override public org.jvswitch.api.netdev.Rxq rxq(int i) { throw new IndexOutOfBoundsException(); }
            @Override public int nTxq() { return 1; }
            @Override public int send(int txq, DpPacketBatch b, boolean c) { b.freeAll(); return 0; }
            @Override public long mac() { return mac; }
            @Override public int mtu() { return 1500; }
            @Override public boolean carrier() { return true; }
            @Override public NetdevStats stats() { return NetdevStats.ZERO; }
            @Override public void destruct() { }
        };
    }

    private static OfMatch match(long[] v, long[] k) {
        return OfMatch.of(v, k);
    }

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        service = new OfprotoServiceImpl((Path) null);
        NullDpif dpif = new NullDpif();
        service.addDpifProvider(new DpifProvider() {
            @Override public String type() { return "netdev"; }
            @Override public Dpif open(String name) { return dpif; }
        });
        bridge = (OfprotoDpif) service.create("br0", "netdev");
        bridge.portAdd(netdev("br0", 0x020000000001L), Ofproto.OFPP_LOCAL);
        for (int i = 1; i <= 4; i++) {
            bridge.portAdd(netdev("p" + i, 0x020000000010L + i), i);
        }
        bridge.setFailMode("secure");
        long now = System.nanoTime();
        // Table 0: in_port x 5 tcp destination classes -> resubmit(,1).
        for (int port = 1; port <= 4; port++) {
            for (int c = 0; c < 5; c++) {
                long[] v = new long[OfField.WORDS];
                long[] k = new long[OfField.WORDS];
                OfField.IN_PORT.setMasked(v, 0, port, 0, 0xffff);
                OfField.IN_PORT.orMask(k, 0, 0xffff);
                OfField.ETH_TYPE.setMasked(v, 0, FlowKey.ETH_TYPE_IP, 0, 0xffff);
                OfField.ETH_TYPE.orMask(k, 0, 0xffff);
                OfField.IP_PROTO.setMasked(v, 0, 6, 0, 0xff);
                OfField.IP_PROTO.orMask(k, 0, 0xff);
                OfField.TCP_DST.setMasked(v, 0, 80 + c, 0, 0xffff);
                OfField.TCP_DST.orMask(k, 0, 0xffff);
                bridge.tables.add(new OfRule(0, 100, match(v, k), 0, 0, 0, 0,
                        List.of(new OfAction.Resubmit(OfAction.IN_PORT, 1, true)), now));
            }
        }
        // Table 1: 500 destinations -> reg0 = destination class, resubmit(,2).
        for (int d = 0; d < 500; d++) {
            long[] v = new long[OfField.WORDS];
            long[] k = new long[OfField.WORDS];
            OfField.ETH_TYPE.setMasked(v, 0, FlowKey.ETH_TYPE_IP, 0, 0xffff);
            OfField.ETH_TYPE.orMask(k, 0, 0xffff);
            OfField.IPV4_DST.setMasked(v, 0, 0x0a000000L + d, 0, 0xffffffffL);
            OfField.IPV4_DST.orMask(k, 0, 0xffffffffL);
            bridge.tables.add(new OfRule(1, 200, match(v, k), 0, 0, 0, 0,
                    List.of(OfActions.load(OfField.REG0, 0, 32, d % 96), new OfAction.Resubmit(OfAction.IN_PORT, 2, true)), now));
        }
        // Table 2: reg0 class x 5 TCP destinations -> an output.
        for (int r = 0; r < 96; r++) {
            for (int c = 0; c < 5; c++) {
                long[] v = new long[OfField.WORDS];
                long[] k = new long[OfField.WORDS];
                OfField.REG0.setMasked(v, 0, r, 0, 0xffffffffL);
                OfField.REG0.orMask(k, 0, 0xffffffffL);
                OfField.ETH_TYPE.setMasked(v, 0, FlowKey.ETH_TYPE_IP, 0, 0xffff);
                OfField.ETH_TYPE.orMask(k, 0, 0xffff);
                OfField.IP_PROTO.setMasked(v, 0, 6, 0, 0xff);
                OfField.IP_PROTO.orMask(k, 0, 0xff);
                OfField.TCP_DST.setMasked(v, 0, 80 + c, 0, 0xffff);
                OfField.TCP_DST.orMask(k, 0, 0xffff);
                bridge.tables.add(new OfRule(2, 300, match(v, k), 0, 0, 0, 0,
                        List.of(new OfAction.SetField(OfField.ETH_DST, 0x020000000100L + r, OfAction.SetField.LEGACY),
                                new OfAction.Output(1 + (r + c) % 4)), now));
            }
        }
        int rules = bridge.tables.size();
        if (rules != 1000) {
            throw new IllegalStateException(rules + " rules, not 1000");
        }
        java.util.Random rnd = new java.util.Random(1);
        for (int i = 0; i < keys.length; i++) {
            FlowKey k = new FlowKey();
            k.setInPort(2 + rnd.nextInt(4));        // datapath ports of p1..p4
            k.setDlSrc(0x520000000000L + rnd.nextInt(1 << 20));
            k.setDlDst(0x540000000000L + rnd.nextInt(1 << 20));
            k.setDlType(FlowKey.ETH_TYPE_IP);
            k.w[3] = ((long) (0xc0a80000 + rnd.nextInt(65536)) << 32) | (0x0a000000L + rnd.nextInt(500));
            k.w[4] = (6L << 56) | (64L << 40) | ((long) (1024 + rnd.nextInt(60000)) << 16) | (80 + rnd.nextInt(5));
            keys[i] = k;
        }
        int forwarded = 0;
        for (int i = 0; i < 100; i++) {
            forwarded += bridge.translate(keys[i], new FlowKey()).toString().equals("drop") ? 0 : 1;
        }
        if (forwarded < 50) {     // a quarter output to their own input port, which OpenFlow skips
            throw new IllegalStateException("only " + forwarded + " of 100 packets forwarded");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        service.deactivate();
    }

    @Benchmark
    public DpActions translate() {
        FlowKey k = keys[next++ & (keys.length - 1)];
        mask.clear();
        return bridge.translate(k, mask);
    }
}
