package org.jvswitch.core.dpif;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import org.jvswitch.api.dpif.DpActions;
import org.jvswitch.api.dpif.Dpif;
import org.jvswitch.api.dpif.DpifException;
import org.jvswitch.api.dpif.DpifStats;
import org.jvswitch.api.netdev.Netdev;
import org.jvswitch.core.registry.NetdevRegistryImpl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DpNetdevTest {
    private NetdevRegistryImpl registry;
    private DpNetdevProvider provider;
    private QueueNetdev.Provider plain;
    private QueueNetdev.Provider pmd;
    private Dpif dp;

    @BeforeEach
    void setUp() {
        registry = new NetdevRegistryImpl();
        plain = new QueueNetdev.Provider("q", false);
        pmd = new QueueNetdev.Provider("q-pmd", true);
        registry.addProvider(plain, Map.of());
        registry.addProvider(pmd, Map.of());
        provider = new DpNetdevProvider(registry);
        dp = provider.open("ovs-netdev");
        // Keep PMD threads from spinning a whole core in tests.
        dp.setConfig(Map.of("pmd-maxsleep", "1000", "emc-insert-inv-prob", "1"));
    }

    @AfterEach
    void tearDown() {
        provider.deactivate();
    }

    private static void await(BooleanSupplier cond, String what) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (!cond.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(5);
        }
    }

    private String appctl(String command, String... args) throws Exception {
        return new DpifNetdevCommands(provider).all().stream().filter(c -> c.name().equals(command)).findFirst()
                .orElseThrow().execute(java.util.List.of(args));
    }

    private static long pmdThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("pmd-")).count();
    }

    @Test
    void forwardsThroughOneUpcallThenTheCache() throws Exception {
        QueueNetdev a = (QueueNetdev) registry.open("a", "q", Map.of());
        QueueNetdev b = (QueueNetdev) registry.open("b", "q", Map.of());
        int pa = dp.portAdd(a, -1);
        int pb = dp.portAdd(b, -1);
        AtomicInteger upcalls = new AtomicInteger();
        dp.setUpcallHandler((packet, key, mask) -> {
            upcalls.incrementAndGet();
            mask.setDlDst(-1L);
            return DpActions.builder().output(key.inPort() == pa ? pb : pa).build();
        });
        byte[] frame = Frames.udp(0x505400000001L, 0x505400000002L, 1000);
        for (int i = 0; i < 100; i++) {
            a.offer(frame);
        }
        await(() -> b.sent().size() == 100, "100 packets out of b");
        assertArrayEquals(frame, b.sent().get(0));
        assertEquals(0, a.sent().size(), "nothing goes back out of the input port");
        assertEquals(1, upcalls.get(), "one upcall for one megaflow");
        DpifStats s = dp.stats();
        String show = appctl("dpctl/show");
        assertEquals("netdev@ovs-netdev:\n  lookups: hit:99 missed:1 lost:0\n  flows: 1\n"
                + "  port 1: a (q)\n  port 2: b (q)\n", show);
        assertEquals(99, s.hit());
        assertEquals(1, s.missed());
        assertEquals(1, dp.flowDump().size());
        assertEquals(100, dp.flowDump().get(0).packets());
    }

    @Test
    void signatureMatchCacheServesFlowsTheEmcDoesNotHold() throws Exception {
        QueueNetdev a = (QueueNetdev) registry.open("a", "q", Map.of());
        QueueNetdev b = (QueueNetdev) registry.open("b", "q", Map.of());
        dp.setConfig(Map.of("emc-insert-inv-prob", "0", "smc-enable", "true"));
        int pa = dp.portAdd(a, -1);
        int pb = dp.portAdd(b, -1);
        dp.setUpcallHandler((packet, key, mask) -> {
            mask.setDlDst(-1L);
            if (key.dlType() == 0x0806) {
                mask.setDlType(0xffff);   // a second mask on port a: its flows take the cache path
            }
            return DpActions.builder().output(pb).build();
        });
        byte[] arp = Frames.udp(0x505400000001L, 0x505400000002L, 1);
        arp[12] = 0x08;
        arp[13] = 0x06;
        a.offer(arp);
        await(() -> b.sent().size() == 1, "the ARP frame");
        for (int i = 0; i < 50; i++) {
            a.offer(Frames.udp(0x505400000001L, 0x505400000002L, 1000 + (i % 5)));
        }
        await(() -> b.sent().size() == 51, "50 packets out");
        String stats = appctl("dpif-netdev/pmd-stats-show");
        // 5 source ports = 5 keys, one megaflow: 1 upcall; each key's next packet is found in the
        // classifier (which fills the SMC; the ARP flow's subtable came first, so 2 lookups
        // each), the other 44 in the SMC (the EMC is off).
        assertTrue(stats.contains("  emc hits: 0\n  smc hits: 44\n  megaflow hits: 5\n"
                + "  avg. subtable lookups per megaflow hit: 2.00\n"), stats);
        assertTrue(stats.contains("  miss with success upcall: 2\n"), stats);
    }

    @Test
    void overTheFlowLimitPacketsStillForwardButNoFlowIsInstalled() throws Exception {
        QueueNetdev a = (QueueNetdev) registry.open("a", "q", Map.of());
        QueueNetdev b = (QueueNetdev) registry.open("b", "q", Map.of());
        dp.setConfig(Map.of("flow-limit", "3", "emc-insert-inv-prob", "1"));
        dp.portAdd(a, 1);
        int pb = dp.portAdd(b, 2);
        AtomicInteger upcalls = new AtomicInteger();
        dp.setUpcallHandler((packet, key, mask) -> {
            upcalls.incrementAndGet();
            mask.w[4] = -1L;   // per-port flows
            return DpActions.builder().output(pb).build();
        });
        for (int i = 0; i < 10; i++) {
            a.offer(Frames.udp(1, 2, 2000 + i));
            a.offer(Frames.udp(1, 2, 2000 + i));
        }
        await(() -> b.sent().size() == 20, "every packet forwarded");
        assertEquals(3, dp.flowDump().size(), "no more than flow-limit megaflows");
        assertEquals(3 + 7 * 2, upcalls.get(), "flows over the limit upcall for every packet");
        assertEquals(14, ((DpNetdev) dp).flowLimitHits.get());
    }

    /**
     * A storm of new flows whose translations are slow (2 ms each) while an installed flow keeps
     * forwarding on the same thread: upcalls get about half the time, the misses beyond that are
     * dropped and counted as lost, and every packet of the installed flow goes through.
     */
    @Test
    void aStormOfNewFlowsCannotStarveInstalledFlows() throws Exception {
        QueueNetdev a = (QueueNetdev) registry.open("a", "q", Map.of());
        QueueNetdev b = (QueueNetdev) registry.open("b", "q", Map.of());
        int pa = dp.portAdd(a, -1);
        int pb = dp.portAdd(b, -1);
        AtomicInteger stormUpcalls = new AtomicInteger();
        dp.setUpcallHandler((packet, key, mask) -> {
            mask.w[4] = -1L;   // a flow per UDP port
            if ((key.w[4] & 0xffff) != 1000 && (key.w[4] >>> 16 & 0xffff) != 1000) {
                stormUpcalls.incrementAndGet();
                try {
                    Thread.sleep(2);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return DpActions.builder().output(pb).build();
        });
        byte[] installed = Frames.udp(0x505400000001L, 0x505400000002L, 1000);
        a.offer(installed);
        await(() -> b.sent().size() == 1, "the installed flow");
        int storm = 200;
        for (int i = 0; i < storm; i++) {
            a.offer(Frames.udp(0x505400000001L, 0x505400000002L, 2000 + i));
            a.offer(installed);
        }
        await(() -> dp.stats().lost() + stormUpcalls.get() == storm, "every storm packet upcalled or lost");
        await(() -> b.sent().size() == 1 + storm + stormUpcalls.get(), "the installed flow's packets and the upcalled ones");
        long sentInstalled = b.sent().stream().filter(f -> java.util.Arrays.equals(f, installed)).count();
        assertEquals(1 + storm, sentInstalled, "every packet of the installed flow went through");
        assertTrue(dp.stats().lost() > 0, "misses beyond the budget are dropped and counted");
        assertTrue(stormUpcalls.get() < storm / 2, "upcalls were bounded: " + stormUpcalls.get());
    }

    @Test
    void floodsCopiesAndPushesVlanOnTheLastOutput() throws Exception {
        QueueNetdev a = (QueueNetdev) registry.open("a", "q", Map.of());
        QueueNetdev b = (QueueNetdev) registry.open("b", "q", Map.of());
        QueueNetdev c = (QueueNetdev) registry.open("c", "q", Map.of());
        dp.portAdd(a, 1);
        dp.portAdd(b, 2);
        dp.portAdd(c, 3);
        dp.setUpcallHandler((packet, key, mask) -> DpActions.builder().output(2).pushVlan(5).output(3).build());
        byte[] frame = Frames.udp(1, 2, 7);
        a.offer(frame);
        await(() -> b.sent().size() == 1 && c.sent().size() == 1, "copies on b and c");
        assertArrayEquals(frame, b.sent().get(0));
        byte[] tagged = c.sent().get(0);
        assertEquals(frame.length + 4, tagged.length);
        assertEquals((byte) 0x81, tagged[12]);
        assertEquals(5, tagged[15]);
        assertEquals(0x08, tagged[16]);
    }

    @Test
    void pmdThreadsExistOnlyWhilePmdPortsDo() throws Exception {
        long before = pmdThreads();
        QueueNetdev x = (QueueNetdev) registry.open("x", "q-pmd", Map.of());
        QueueNetdev y = (QueueNetdev) registry.open("y", "q-pmd", Map.of());
        dp.setConfig(Map.of("pmd-cpu-mask", "0x1", "pmd-maxsleep", "1000"));
        int px = dp.portAdd(x, -1);
        int py = dp.portAdd(y, -1);
        assertEquals(before + 1, pmdThreads());
        dp.setUpcallHandler((packet, key, mask) -> DpActions.builder().output(key.inPort() == px ? py : px).build());
        x.offer(Frames.udp(1, 2, 3));
        await(() -> y.sent().size() == 1, "forwarded by the PMD");
        String perf = appctl("dpif-netdev/pmd-perf-show", "-nh");
        assertTrue(perf.contains("pmd thread numa_id 0 core_id 0:\n\n  Iterations:"), perf);
        assertTrue(perf.contains("  Rx packets:                    1  ("), perf);
        assertTrue(perf.contains("  - Upcalls:                     1  (100.0 %"), perf);
        assertTrue(perf.contains("  Tx packets:                    1  ("), perf);
        dp.portDel(px);
        dp.portDel(py);
        await(() -> pmdThreads() == before, "PMD thread ends with the last PMD port");
    }

    private static long field(String text, String name) {
        return Long.parseLong(text.replaceAll("(?s).*\n  " + name + ": (\\d+).*", "$1"));
    }

    /**
     * A busy-polling PMD reads no clock while it finds nothing: its idle time is still all
     * counted (the cycles of pmd-stats-show cover the time since the clear, as in Open vSwitch),
     * and the first packets end the idle streak.
     */
    @Test
    void aBusyPollingPmdCountsItsIdleTimeAndThenItsWork() throws Exception {
        QueueNetdev x = (QueueNetdev) registry.open("x", "q-pmd", Map.of());
        QueueNetdev y = (QueueNetdev) registry.open("y", "q-pmd", Map.of());
        dp.setConfig(Map.of("pmd-cpu-mask", "0x1"));
        int px = dp.portAdd(x, -1);
        int py = dp.portAdd(y, -1);
        dp.setUpcallHandler((packet, key, mask) -> DpActions.builder().output(key.inPort() == px ? py : px).build());
        appctl("dpif-netdev/pmd-stats-clear");
        long t0 = System.nanoTime();
        Thread.sleep(300);
        String idle = appctl("dpif-netdev/pmd-stats-show", "-pmd", "0");
        long window = System.nanoTime() - t0;
        long idleCycles = field(idle, "idle cycles");
        // At most a streak open at the clear (counted after it when it closes) beyond the window.
        assertTrue(idleCycles >= window / 2 && idleCycles <= window + 20_000_000L, window + " ns since the clear: " + idle);
        assertEquals(0, field(idle, "processing cycles"), idle);
        assertEquals(0, field(idle, "packets received"), idle);

        x.offer(Frames.udp(1, 2, 3));
        await(() -> y.sent().size() == 1, "forwarded by the PMD");
        String busy = appctl("dpif-netdev/pmd-stats-show", "-pmd", "0");
        assertEquals(1, field(busy, "packets received"), busy);
        assertTrue(field(busy, "processing cycles") > 0, busy);
        assertTrue(field(busy, "idle cycles") >= idleCycles, busy);
        dp.portDel(px);
        dp.portDel(py);
    }

    @Test
    void pmdPerfShowHasOpenVSwitchsHistogramsWithPmdPerfMetrics() throws Exception {
        QueueNetdev x = (QueueNetdev) registry.open("x", "q-pmd", Map.of());
        QueueNetdev y = (QueueNetdev) registry.open("y", "q-pmd", Map.of());
        dp.setConfig(Map.of("pmd-cpu-mask", "0x1", "pmd-maxsleep", "1000", "pmd-perf-metrics", "true"));
        int px = dp.portAdd(x, -1);
        int py = dp.portAdd(y, -1);
        dp.setUpcallHandler((packet, key, mask) -> DpActions.builder().output(key.inPort() == px ? py : px).build());
        for (int i = 0; i < 3; i++) {
            x.offer(Frames.udp(1, 2, 3 + i));
        }
        await(() -> y.sent().size() == 3, "forwarded by the PMD");
        java.util.function.Function<java.util.List<String>, String> perfShow = args -> {
            try {
                return appctl("dpif-netdev/pmd-perf-show", args.toArray(new String[0]));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        };
        String perf = perfShow.apply(java.util.List.of());
        assertTrue(perf.contains("\nHistograms\n   cycles/it              packets/it             cycles/pkt             "
                + "pkts/batch             max vhost qlen         upcalls/it             cycles/upcall        \n"), perf);
        // Open vSwitch's walls, as Open vSwitch-DPDK 3.1 prints them on this machine: cycles/it
        // 499, 716, 1025, ... (log from 500), cycles/pkt 100, 1096, ... (linear), cycles/upcall
        // 999, 1258, ... (log from 1000), pkts/batch and upcalls/it 0, 1, 2, ...
        String[] rows = perf.substring(perf.indexOf("Histograms")).split("\n");
        assertEquals(1 + 1 + 32 + 1 + 1 + 1, rows.length, perf);
        assertTrue(rows[2].matches("   499       \\d+ +0         \\d+ +100       \\d+ +0         \\d+ +0         0 +"
                + "0         \\d+ +999       \\d+ +"), rows[2]);
        assertTrue(rows[3].matches("   716       \\d+ +1         \\d+ +1096      \\d+ +1         \\d+ +1         0 +"
                + "1         \\d+ +1258      \\d+ +"), rows[3]);
        assertTrue(rows[33].startsWith("   >         "), rows[33]);
        // As many samples as there were upcalls, and as rx batches in pkts/batch.
        long upcalls = Long.parseLong(perf.replaceAll("(?s).*- Upcalls: +(\\d+).*", "$1"));
        long upcallSamples = 0;
        long batchSamples = 0;
        for (int r = 2; r < 34; r++) {
            String[] cols = rows[r].trim().split("\\s+");
            upcallSamples += Long.parseLong(cols[13]);
            batchSamples += Long.parseLong(cols[7]);
        }
        assertTrue(upcalls > 0);
        assertEquals(upcalls, upcallSamples, perf);
        assertTrue(batchSamples >= 1 && batchSamples <= 3, perf);
        assertTrue(rows[35].contains("cycles/it"), rows[35]);
        // -nh leaves the histograms out.
        assertTrue(!perfShow.apply(java.util.List.of("-nh")).contains("Histograms"));
        dp.portDel(px);
        dp.portDel(py);
    }

    @Test
    void portDelReturnsOnlyWhenNoThreadPollsThePort() throws Exception {
        QueueNetdev x = (QueueNetdev) registry.open("x", "q-pmd", Map.of());
        int px = dp.portAdd(x, -1);
        await(() -> x.recvCalls.get() > 0, "PMD polling x");
        dp.portDel(px);
        int calls = x.recvCalls.get();
        Thread.sleep(50);
        assertEquals(calls, x.recvCalls.get(), "no receive after portDel returned");
    }

    @Test
    void refusesTakenPortNumbersAndDuplicates() throws Exception {
        Netdev a = registry.open("a", "q", Map.of());
        Netdev b = registry.open("b", "q", Map.of());
        dp.portAdd(a, 5);
        DpifException e = assertThrows(DpifException.class, () -> dp.portAdd(b, 5));
        assertEquals("port number 5 already in use by a", e.getMessage());
        assertEquals("File exists", assertThrows(DpifException.class, () -> dp.portAdd(a, -1)).getMessage());
        Netdev reserved = registry.open("ovs-netdev", "q", Map.of());
        assertEquals("File exists", assertThrows(DpifException.class, () -> dp.portAdd(reserved, -1)).getMessage());
        assertEquals(1, dp.ports().size());
    }

    @Test
    void providerStoppingTakesItsPortsOutOfTheDatapath() throws Exception {
        QueueNetdev a = (QueueNetdev) registry.open("a", "q", Map.of());
        QueueNetdev x = (QueueNetdev) registry.open("x", "q-pmd", Map.of());
        dp.portAdd(a, -1);
        dp.portAdd(x, -1);
        registry.removeProvider(pmd);
        assertEquals(1, dp.ports().size());
        assertEquals("a", dp.ports().get(0).name());
        assertTrue(!registry.isOpen(x));
        assertEquals(0, ((DpNetdev) dp).pmdCount(), "the PMD that only served x is stopped when x is detached");
    }

    @Test
    void txFlushIntervalBatchesAcrossReceivedBatchesAndStillDelivers() throws Exception {
        QueueNetdev a = (QueueNetdev) registry.open("a", "q-pmd", Map.of());
        QueueNetdev b = (QueueNetdev) registry.open("b", "q", Map.of());
        dp.setConfig(Map.of("pmd-cpu-mask", "0x1", "tx-flush-interval", "50"));
        int pa = dp.portAdd(a, -1);
        int pb = dp.portAdd(b, -1);
        dp.setUpcallHandler((packet, key, mask) -> DpActions.builder().output(key.inPort() == pa ? pb : pa).build());
        for (int i = 0; i < 10; i++) {
            a.offer(Frames.udp(1, 2, 3));
        }
        await(() -> b.sent().size() == 10, "all packets out despite the flush interval");
        dp.portDel(pa);
        dp.portDel(pb);
    }

    @Test
    void rxqAffinityPinsQueuesAndIsolatesTheirCore() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Runtime.getRuntime().availableProcessors() >= 2);
        QueueNetdev x = (QueueNetdev) registry.open("x", "q-pmd", Map.of("n_rxq", "2"));
        QueueNetdev y = (QueueNetdev) registry.open("y", "q-pmd", Map.of());
        dp.setConfig(Map.of("pmd-cpu-mask", "0x3", "pmd-maxsleep", "1000"));
        int px = dp.portAdd(x, -1);
        dp.portAdd(y, -1);
        dp.portSetConfig(px, Map.of("pmd-rxq-affinity", "0:1"));
        String show = appctl("dpif-netdev/pmd-rxq-show");
        assertEquals("pmd thread numa_id 0 core_id 0:\n  isolated : false\n"
                + "  port: x                 queue-id:  1 (enabled)   pmd usage:  0 %\n"
                + "  port: y                 queue-id:  0 (enabled)   pmd usage:  0 %\n"
                + "  overhead:  0 %\n"
                + "pmd thread numa_id 0 core_id 1:\n  isolated : true\n"
                + "  port: x                 queue-id:  0 (enabled)   pmd usage:  0 %\n"
                + "  overhead:  0 %\n", show.replaceAll("pmd usage: +[0-9]+ %", "pmd usage:  0 %"));
        dp.portSetConfig(px, Map.of());
        dp.portDel(px);
    }

    @Test
    void noLeakedBuffersAfterTraffic() throws Exception {
        QueueNetdev a = (QueueNetdev) registry.open("a", "q", Map.of());
        QueueNetdev b = (QueueNetdev) registry.open("b", "q", Map.of());
        QueueNetdev c = (QueueNetdev) registry.open("c", "q", Map.of());
        dp.portAdd(a, 1);
        dp.portAdd(b, 2);
        dp.portAdd(c, 3);
        // Flood to two ports, drop some (handler returns null for odd source ports).
        dp.setUpcallHandler((packet, key, mask) -> {
            mask.w[4] = -1L;
            return (key.tpSrc() & 1) == 1 ? null : DpActions.builder().output(2).output(3).build();
        });
        for (int i = 0; i < 200; i++) {
            a.offer(Frames.udp(1, 2, i));
        }
        await(() -> b.sent().size() == 100 && c.sent().size() == 100, "even packets flooded");
        await(() -> a.pool.inUse() == 0, "input buffers back");
        assertEquals(0, ((DpNetdev) dp).clonePool.inUse());
        assertEquals(100, dp.stats().lost());
    }
}
