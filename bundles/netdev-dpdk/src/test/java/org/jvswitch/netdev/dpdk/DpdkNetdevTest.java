package org.jvswitch.netdev.dpdk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.jvswitch.api.netdev.NetdevException;
import org.jvswitch.api.netdev.NetdevStats;
import org.jvswitch.api.packet.DpPacket;
import org.jvswitch.api.packet.DpPacketBatch;
import org.jvswitch.api.packet.PacketBufferPool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dpdk port type against real DPDK (Debian's 22.11, hugepages, virtual devices): EAL starts
 * once for this JVM; each test opens net_pcap or net_null devices and closes them again.
 */
class DpdkNetdevTest {
    private static DpdkEnvironmentImpl env;
    private final List<DpdkNetdev> opened = new ArrayList<>();

    @TempDir
    Path dir;

    @BeforeAll
    static void startEal() throws Exception {
        Path shim = Dpdk.extractShim(Files.createTempDirectory("jvs-dpdk-test"));
        assertNotNull(shim, "the shim was not built: DPDK's headers (libdpdk-dev) must be installed");
        Dpdk dpdk = Dpdk.load(shim);
        DpdkLog log = new DpdkLog(dpdk);
        List<String> args = EalArgs.build(Map.of("dpdk-extra", "--no-pci --no-telemetry"), 0,
                "jvs-utest-" + ProcessHandle.current().pid());
        String reason = Eal.start(dpdk, log, args);
        assertNull(reason, "EAL did not start (hugepages reserved? see ./dev)");
        env = new DpdkEnvironmentImpl(dpdk);
    }

    @AfterEach
    void closeAll() {
        for (DpdkNetdev d : opened) {
            d.destruct();
        }
        opened.clear();
        assertTrue(env.mempools().isEmpty(), "every mempool freed once its ports are gone: " + env.mempools().size() + " left");
    }

    private DpdkNetdev open(String name, String devargs) throws NetdevException {
        return open(name, Map.of("dpdk-devargs", devargs));
    }

    private DpdkNetdev open(String name, Map<String, String> options) throws NetdevException {
        DpdkNetdev d = DpdkNetdev.open(env, name, options);
        opened.add(d);
        return d;
    }

    private static List<byte[]> frames() {
        List<byte[]> frames = new ArrayList<>();
        frames.add(Pcap.udp(1, 60));
        frames.add(Pcap.udp(2, 64));
        frames.add(Pcap.tagged(Pcap.udp(3, 100), 10));
        frames.add(Pcap.udp(4, 1514));
        for (int i = 5; i < 205; i++) {
            frames.add(Pcap.udp(i, 64 + i));
        }
        return frames;
    }

    /** Polls {@code from} and hands each burst to {@code each} until {@code want} packets came. */
    private static int pump(DpdkNetdev from, int want, java.util.function.Consumer<DpPacketBatch> each) {
        DpPacketBatch batch = new DpPacketBatch();
        int got = 0;
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (got < want && System.nanoTime() < deadline) {
            int n = from.rxq(0).recv(batch);
            got += n;
            if (n > 0) {
                each.accept(batch);
                batch.clear();
            }
        }
        return got;
    }

    private Path pcapOut(DpdkNetdev tx, Path out) {
        tx.destruct();       // closes the device: the pcap driver closes (and flushes) its file
        opened.remove(tx);
        return out;
    }

    @Test
    void pcapRoundTripIsByteExact() throws Exception {
        List<byte[]> frames = frames();
        Path in = dir.resolve("in.pcap");
        Path empty = dir.resolve("empty.pcap");
        Path out = dir.resolve("out.pcap");
        Pcap.write(in, frames);
        Pcap.write(empty, List.of());
        DpdkNetdev p0 = open("p0", "net_pcap0,rx_pcap=" + in + ",tx_pcap=/dev/null");
        DpdkNetdev p1 = open("p1", "net_pcap1,rx_pcap=" + empty + ",tx_pcap=" + out);
        assertEquals(1, p0.nRxq());
        assertEquals("net_pcap", p0.status().get("driver_name"));
        int got = pump(p0, frames.size(), b -> assertEquals(0, p1.send(0, b, false)));
        assertEquals(frames.size(), got);
        NetdevStats rx = p0.stats();
        NetdevStats tx = p1.stats();
        assertEquals(frames.size(), rx.rxPackets());
        assertEquals(frames.size(), tx.txPackets());
        assertEquals(frames.stream().mapToLong(f -> f.length).sum(), tx.txBytes());
        List<byte[]> sent = Pcap.read(pcapOut(p1, out));
        assertEquals(frames.size(), sent.size());
        for (int i = 0; i < frames.size(); i++) {
            assertArrayEquals(frames.get(i), sent.get(i), "frame " + i);
        }
    }

    @Test
    void pushedVlanAndRewrittenAddressLeaveAsChanged() throws Exception {
        List<byte[]> frames = List.of(Pcap.udp(1, 64), Pcap.udp(2, 200));
        Path in = dir.resolve("in.pcap");
        Path empty = dir.resolve("empty.pcap");
        Path out = dir.resolve("out.pcap");
        Pcap.write(in, frames);
        Pcap.write(empty, List.of());
        DpdkNetdev p0 = open("p0", "net_pcap0,rx_pcap=" + in + ",tx_pcap=/dev/null");
        DpdkNetdev p1 = open("p1", "net_pcap1,rx_pcap=" + empty + ",tx_pcap=" + out);
        pump(p0, frames.size(), b -> {
            for (int i = 0; i < b.count(); i++) {
                DpPacket p = b.get(i);
                assertTrue(p.pushHead(4));          // into the mbuf's headroom
                p.move(4, 0, 12);
                p.setU16(12, 0x8100);
                p.setU16(14, 42);
                p.setMac(0, 0x0a0b0c0d0e0fL);
            }
            p1.send(0, b, false);
        });
        List<byte[]> sent = Pcap.read(pcapOut(p1, out));
        assertEquals(2, sent.size());
        for (int i = 0; i < 2; i++) {
            byte[] want = Pcap.tagged(frames.get(i), 42);
            System.arraycopy(new byte[] {0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f}, 0, want, 0, 6);
            assertArrayEquals(want, sent.get(i));
        }
    }

    @Test
    void packetsFromOtherPoolsAreCopiedIntoMbufs() throws Exception {
        Path empty = dir.resolve("empty.pcap");
        Path out = dir.resolve("out.pcap");
        Pcap.write(empty, List.of());
        DpdkNetdev p1 = open("p1", "net_pcap1,rx_pcap=" + empty + ",tx_pcap=" + out);
        PacketBufferPool heapless = new PacketBufferPool("test", 64, 2048 + PacketBufferPool.HEADROOM);
        DpPacketBatch b = new DpPacketBatch();
        List<byte[]> frames = List.of(Pcap.udp(7, 64), Pcap.udp(8, 1514), Pcap.udp(9, 128));
        for (byte[] f : frames) {
            DpPacket p = heapless.alloc();
            p.copyFrom(f, 0, f.length);
            b.add(p);
        }
        assertEquals(0, p1.send(0, b, true));
        assertEquals(0, heapless.inUse(), "the originals are freed once copied");
        heapless.close();
        List<byte[]> sent = Pcap.read(pcapOut(p1, out));
        assertEquals(3, sent.size());
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(frames.get(i), sent.get(i));
        }
    }

    @Test
    void nullDeviceForwardsWithoutLeakingMbufs() throws Exception {
        DpdkNetdev p0 = open("p0", "net_null0");
        DpdkNetdev p1 = open("p1", "net_null1");
        DpdkMempool pool = p0.mempool();
        assertTrue(pool == p1.mempool(), "ports of one MTU share a mempool");
        int got = pump(p0, 100_000, b -> p1.send(1, b, false));
        assertTrue(got >= 100_000);
        assertEquals(got, p1.stats().txPackets());
        assertTrue(p0.carrier());
        Map<String, Long> custom = p1.customStats();
        assertEquals(got, custom.get("tx_q1_packets"), "DPDK's per-queue counter of the queue we sent on: " + custom);
        assertEquals(0L, custom.get("ovs_tx_failure_drops"));
        assertFalse(custom.containsKey("tx_good_packets"), "the standard counters are not repeated");
        p0.destruct();
        p1.destruct();
        opened.clear();
        assertTrue(pool.isFreed(), "pool freed: every mbuf came back");
    }

    @Test
    void reconfigureChangesQueuesAndMtu() throws Exception {
        DpdkNetdev p0 = open("p0", Map.of("dpdk-devargs", "net_null0", "n_rxq", "2"));
        assertEquals(2, p0.nRxq());
        DpdkMempool before = p0.mempool();
        p0.setConfig(Map.of("dpdk-devargs", "net_null0", "n_rxq", "4"));
        assertTrue(p0.isReconfigureRequired());
        assertEquals(2, p0.nRxq(), "nothing changes before the datapath lets go");
        assertTrue(p0.setMtu(9000));
        p0.reconfigure();
        assertFalse(p0.isReconfigureRequired());
        assertEquals(4, p0.nRxq());
        assertEquals(9000, p0.mtu());
        assertEquals(9216, p0.mempool().dataRoom());
        assertTrue(before.isFreed(), "the 1500-byte pool went with its last port");
        assertEquals("4", p0.status().get("n_rxq"));
        assertFalse(p0.setMtu(20), "an MTU below 68 is refused");
    }

    /** Raises a device event the way a driver does (rte_eth_dev_callback_process, DPDK-internal but exported). */
    private static void raise(int event, String ethdev) throws Throwable {
        java.lang.foreign.Linker linker = java.lang.foreign.Linker.nativeLinker();
        java.lang.foreign.SymbolLookup eth = java.lang.foreign.SymbolLookup.libraryLookup("librte_ethdev.so.23",
                java.lang.foreign.Arena.global());
        java.lang.invoke.MethodHandle allocated = linker.downcallHandle(eth.find("rte_eth_dev_allocated").orElseThrow(),
                java.lang.foreign.FunctionDescriptor.of(java.lang.foreign.ValueLayout.ADDRESS,
                        java.lang.foreign.ValueLayout.ADDRESS));
        java.lang.invoke.MethodHandle process = linker.downcallHandle(
                eth.find("rte_eth_dev_callback_process").orElseThrow(),
                java.lang.foreign.FunctionDescriptor.of(java.lang.foreign.ValueLayout.JAVA_INT,
                        java.lang.foreign.ValueLayout.ADDRESS, java.lang.foreign.ValueLayout.JAVA_INT,
                        java.lang.foreign.ValueLayout.ADDRESS));
        try (java.lang.foreign.Arena a = java.lang.foreign.Arena.ofConfined()) {
            java.lang.foreign.MemorySegment dev = (java.lang.foreign.MemorySegment) allocated.invokeExact(
                    a.allocateFrom(ethdev));
            assertFalse(dev.equals(java.lang.foreign.MemorySegment.NULL), ethdev + " is not an ethdev");
            int rc = (int) process.invokeExact(dev, event, java.lang.foreign.MemorySegment.NULL);
        }
    }

    /**
     * A device hot-removed (the driver raises RTE_ETH_EVENT_INTR_RMV): the port stops using it,
     * closes and detaches it, gives its mbufs back and keeps the reason, and the switch goes on.
     * Given the device again, the same port runs again.
     */
    @Test
    void hotRemovedDeviceIsReleasedAndThePortKeepsTheReason() throws Throwable {
        DpdkNetdev p0 = open("p0", "net_null7");
        assertEquals(1, p0.nRxq());
        assertTrue(pump(p0, 32, DpPacketBatch::freeAll) >= 32, "net_null makes packets");
        raise(DeviceEvents.INTR_RMV, "net_null7");
        assertTrue(p0.isReconfigureRequired(), "the event asks the datapath for a reconfiguration");
        NetdevException e = assertThrows(NetdevException.class, p0::reconfigure);
        assertEquals("device 'net_null7' was removed; add the port again (ovs-vsctl del-port, add-port) or change"
                + " its options once the device is back", e.getMessage());
        assertEquals(0, p0.nRxq());
        assertFalse(p0.carrier());
        assertEquals("net_null7", p0.status().get("removed"));
        assertTrue(env.mempools().isEmpty(), "its mbufs went back and its mempool with them");
        // Detached: another port can attach the same device now.
        DpdkNetdev p1 = open("p1", "net_null7");
        p1.destruct();
        opened.remove(p1);
        p0.setConfig(Map.of("dpdk-devargs", "net_null7"));
        p0.reconfigure();
        assertEquals(1, p0.nRxq());
        assertNull(p0.status().get("removed"));
        assertTrue(pump(p0, 32, DpPacketBatch::freeAll) >= 32, "runs again");
    }

    /** RTE_ETH_EVENT_INTR_RESET, as Open vSwitch: the next reconfiguration resets the device and starts it again. */
    @Test
    void resetRequestResetsAndRestartsTheDevice() throws Throwable {
        DpdkNetdev p0 = open("p0", "net_null8");
        raise(DeviceEvents.INTR_RESET, "net_null8");
        assertTrue(p0.isReconfigureRequired());
        p0.reconfigure();
        assertEquals(1, p0.nRxq());
        assertTrue(pump(p0, 32, DpPacketBatch::freeAll) >= 32, "runs after the reset");
    }

    @Test
    void devargsChangeMovesToTheNewDevice() throws Exception {
        DpdkNetdev p0 = open("p0", "net_null0");
        p0.setConfig(Map.of("dpdk-devargs", "net_null5"));
        assertTrue(p0.isReconfigureRequired());
        p0.reconfigure();
        assertEquals("net_null5", p0.devargs());
        // net_null0 was detached: another port can take it.
        open("p1", "net_null0");
    }

    /**
     * As in Open vSwitch, dpdk-devargs may name a device DPDK already has by its MAC address
     * (class=eth,mac=...) instead of by its name.
     */
    @Test
    void devargsFindADeviceByItsMacAddressOrDpdksSyntax() throws Exception {
        DpdkNetdev p0 = open("p0", "net_ring0");
        String mac = String.format("%012x", p0.mac()).replaceAll("(..)(?!$)", "$1:");
        NetdevException e = assertThrows(NetdevException.class, () -> open("p1", "class=eth,mac=" + mac));
        assertEquals("'p1' is trying to use device 'class=eth,mac=" + mac + "' which is already in use by 'p0'",
                e.getMessage());
        e = assertThrows(NetdevException.class, () -> open("p1", "class=eth,mac=" + mac.toUpperCase()));
        assertTrue(e.getMessage().endsWith("which is already in use by 'p0'"), e.getMessage());
        e = assertThrows(NetdevException.class, () -> open("p2", "class=eth,mac=02:de:ad:be:ef:99"));
        assertEquals("Error attaching device 'class=eth,mac=02:de:ad:be:ef:99' to DPDK", e.getMessage());
        e = assertThrows(NetdevException.class, () -> open("p2", "class=eth,mac=not-a-mac"));
        assertEquals("Error attaching device 'class=eth,mac=not-a-mac' to DPDK", e.getMessage());
        // DPDK's key=value syntax is not handed to its device iterator, which crashes the process
        // on this one: an error, and the switch goes on.
        e = assertThrows(NetdevException.class, () -> open("p3", "bus=vdev,name=net_ring0"));
        assertEquals("Error attaching device 'bus=vdev,name=net_ring0' to DPDK", e.getMessage());
        assertEquals("net_null4", open("p4", "net_null4").devargs());
    }

    @Test
    void badOptionsGiveOpenVswitchErrors() throws Exception {
        NetdevException e = assertThrows(NetdevException.class, () -> open("dpdk0", Map.of()));
        assertEquals("'dpdk0' is missing 'options:dpdk-devargs'. The old 'dpdk<port_id>' names are not supported",
                e.getMessage());
        e = assertThrows(NetdevException.class, () -> open("dpdk0", "net_bogus0"));
        assertEquals("Error attaching device 'net_bogus0' to DPDK", e.getMessage());
        e = assertThrows(NetdevException.class, () -> open("p9", "net_pcap9,rx_pcap=/nonexistent/x.pcap"));
        assertEquals("Error attaching device 'net_pcap9,rx_pcap=/nonexistent/x.pcap' to DPDK", e.getMessage());
        open("p0", "net_null0");
        e = assertThrows(NetdevException.class, () -> open("p2", "net_null0"));
        assertEquals("'p2' is trying to use device 'net_null0' which is already in use by 'p0'", e.getMessage());
    }

    @Test
    void adminStateDownDropsAndCounts() throws Exception {
        DpdkNetdev p0 = open("p0", "net_null0");
        DpdkNetdev p1 = open("p1", "net_null1");
        p1.setAdminState(false);
        assertFalse(p1.carrier());
        int got = pump(p0, 64, b -> p1.send(0, b, false));
        assertEquals(got, p1.stats().txDropped());
        assertEquals(0, p1.stats().txPackets());
        p1.setAdminState(true);
        assertTrue(p1.carrier());
    }

    @Test
    void ringDeviceLoopsWhatItSendsBack() throws Exception {
        // net_ring without arguments: each queue's tx ring is its rx ring.
        DpdkNetdev r = open("r0", "net_ring0");
        assertEquals("net_ring", r.status().get("driver_name"));
        PacketBufferPool heap = new PacketBufferPool("ring-test", 8, 2048 + PacketBufferPool.HEADROOM);
        DpPacketBatch out = new DpPacketBatch();
        List<byte[]> frames = List.of(Pcap.udp(1, 64), Pcap.tagged(Pcap.udp(2, 300), 7));
        for (byte[] f : frames) {
            DpPacket p = heap.alloc();
            p.copyFrom(f, 0, f.length);
            out.add(p);
        }
        assertEquals(0, r.send(0, out, false));
        heap.close();
        List<byte[]> back = new ArrayList<>();
        pump(r, frames.size(), b -> {
            for (int i = 0; i < b.count(); i++) {
                back.add(b.get(i).toByteArray());
            }
            b.freeAll();
        });
        assertEquals(frames.size(), back.size());
        for (int i = 0; i < frames.size(); i++) {
            assertArrayEquals(frames.get(i), back.get(i));
        }
    }

    @Test
    void tapDeviceIsAKernelInterfaceWhileThePortLives() throws Exception {
        String iface = "jvt" + (ProcessHandle.current().pid() % 100000);
        DpdkNetdev t = open("t0", "net_tap0,iface=" + iface);
        assertEquals("net_tap", t.status().get("driver_name"));
        assertTrue(Files.exists(Path.of("/sys/class/net", iface)), "the kernel sees " + iface);
        DpPacketBatch out = new DpPacketBatch();
        PacketBufferPool heap = new PacketBufferPool("tap-test", 4, 2048 + PacketBufferPool.HEADROOM);
        DpPacket p = heap.alloc();
        byte[] f = Pcap.udp(1, 64);
        p.copyFrom(f, 0, f.length);
        out.add(p);
        t.send(0, out, false);
        heap.close();
        assertEquals(1, t.stats().txPackets() + t.stats().txDropped(), "the frame was handed to the kernel or counted");
        t.destruct();
        opened.remove(t);
        assertFalse(Files.exists(Path.of("/sys/class/net", iface)), "closing the port removes " + iface);
    }

    private static void ip(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("ip"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), cmd + ": " + out);
    }

    @Test
    void afPacketPortsAtBothEndsOfAVethPairExchangeFrames() throws Exception {
        String a = "jva" + (ProcessHandle.current().pid() % 100000);
        String b = "jvb" + (ProcessHandle.current().pid() % 100000);
        ip("link", "add", a, "type", "veth", "peer", "name", b);
        try {
            ip("link", "set", a, "up");
            ip("link", "set", b, "up");
            DpdkNetdev pa = open("pa", "net_af_packet0,iface=" + a);
            DpdkNetdev pb = open("pb", "net_af_packet1,iface=" + b);
            assertEquals("net_af_packet", pa.status().get("driver_name"));
            PacketBufferPool heap = new PacketBufferPool("afp-test", 4, 2048 + PacketBufferPool.HEADROOM);
            byte[] f = Pcap.udp(9, 128);
            List<byte[]> got = new ArrayList<>();
            long deadline = System.nanoTime() + 10_000_000_000L;
            // The kernel may send its own frames on a new link (IPv6 router solicitations): look
            // for ours among whatever arrives, sending again now and then.
            while (got.stream().noneMatch(g -> java.util.Arrays.equals(g, f)) && System.nanoTime() < deadline) {
                DpPacketBatch out = new DpPacketBatch();
                DpPacket p = heap.alloc();
                p.copyFrom(f, 0, f.length);
                out.add(p);
                pa.send(0, out, false);
                pump(pb, 1, bt -> {
                    for (int i = 0; i < bt.count(); i++) {
                        got.add(bt.get(i).toByteArray());
                    }
                    bt.freeAll();
                });
            }
            heap.close();
            assertTrue(got.stream().anyMatch(g -> java.util.Arrays.equals(g, f)), "the frame crossed the veth pair");
        } finally {
            for (DpdkNetdev d : opened) {
                d.destruct();
            }
            opened.clear();
            ip("link", "del", a);
        }
    }

    @Test
    void mempoolInfoIsDpdksDump() throws Exception {
        DpdkNetdev p0 = open("p0", "net_null0");
        String dump = p0.mempool().dump();
        assertTrue(dump.startsWith("mempool <" + p0.mempool().name() + ">@0x"), dump);
        assertTrue(dump.contains("populated_size=" + p0.mempool().size()), dump);
    }

    /**
     * DPDK has RTE_MAX_LCORE (128) lcore ids: 300 polling threads one after another each get one,
     * because each gives it back as it ends (PollThreadExit), as the datapath's PMD threads do.
     */
    @Test
    void pollThreadsGiveTheirLcoreIdsBackWhenTheyEnd() throws Exception {
        for (int i = 0; i < 300; i++) {
            int[] id = new int[1];
            Thread t = new Thread(() -> {
                env.registerCurrentThread();
                try {
                    id[0] = (int) env.dpdk.lcoreId.invokeExact();
                } catch (Throwable e) {
                    throw new AssertionError(e);
                }
                org.jvswitch.api.netdev.PollThreadExit.runAll();
            });
            t.start();
            t.join();
            assertTrue(id[0] >= 0, "thread " + i + " got an lcore id, not " + id[0]);
        }
    }
}
