package org.jvswitch.itests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * The dpdk port type in the distribution, with real DPDK (hugepages, Debian's 22.11) and the real
 * Open vSwitch clients: EAL started and failing from {@code other_config}, net_pcap ports whose
 * output is compared byte for byte, and the bundle stopped and started under traffic.
 */
class DpdkIT {
    private static final String VSCTL = "ovs-vsctl";

    @Test
    void badEalArgumentsLeaveTheSwitchRunningAndTheFixBringsDpdkUp() throws Exception {
        try (Dist d = Dist.start("jvswitch-dpdk-args")) {
            d.ovs(VSCTL, "--timeout=20", "set", "Open_vSwitch", ".", "other_config:dpdk-init=true",
                    "other_config:dpdk-extra=--no-pci --no-such-eal-option");
            assertEquals("false\n", d.ovs(VSCTL, "get", "Open_vSwitch", ".", "dpdk_initialized"));
            assertTrue(d.ovs(VSCTL, "get", "Open_vSwitch", ".", "dpdk_version").startsWith("\"DPDK 22.11"));
            Dist.Result add = d.run(VSCTL, "--timeout=20", "add-br", "br0", "--", "set", "bridge", "br0", "datapath_type=netdev",
                    "--", "add-port", "br0", "n0", "--", "set", "Interface", "n0", "type=dpdk", "options:dpdk-devargs=net_null0",
                    "--", "add-port", "br0", "p1", "--", "set", "Interface", "p1", "type=dummy");
            assertTrue(add.err().contains("Error detected while setting up 'n0': could not open network device n0 "
                    + "(Address family not supported by protocol): DPDK is not initialized: rte_eal_init failed: "
                    + "EAL: Invalid 'command line' arguments."), add.err());
            assertEquals("[]\n", d.ovs(VSCTL, "get", "Interface", "p1", "error"), "other port types are unaffected");
            assertTrue(d.log().contains("Unable to initialize DPDK: EAL: Invalid 'command line' arguments."));

            d.ovs(VSCTL, "--timeout=20", "set", "Open_vSwitch", ".", "other_config:dpdk-extra=--no-pci");
            assertEquals("true\n", d.ovs(VSCTL, "get", "Open_vSwitch", ".", "dpdk_initialized"));
            assertEquals("[]\n", d.ovs(VSCTL, "get", "Interface", "n0", "error"));
            assertEquals("2\n", d.ovs(VSCTL, "get", "Interface", "n0", "ofport"), "p1 opened first and took 1");
            // net_null delivers as fast as it is polled: the PMD counts it.
            d.await(out -> rxPackets(out) > 1000, VSCTL, "get", "Interface", "n0", "statistics");
            // Queues, MTU and device change while the switch runs; only this port is reconfigured.
            d.ovs(VSCTL, "--timeout=20", "set", "Interface", "n0", "options:n_rxq=2", "mtu_request=9000");
            d.await(out -> out.contains("port: n0                queue-id:  1"), "ovs-appctl", "dpif-netdev/pmd-rxq-show");
            d.await(out -> out.equals("9000\n"), VSCTL, "get", "Interface", "n0", "mtu");
            d.ovs(VSCTL, "--timeout=20", "set", "Interface", "n0", "options:dpdk-devargs=net_null7", "options:n_rxq=1");
            d.await(out -> out.contains("driver_name=net_null") && out.contains("n_rxq=\"1\""),
                    VSCTL, "get", "Interface", "n0", "status");
            assertTrue(d.log().contains("Device 'net_null0' has been removed and detached"));
            assertEquals("[]\n", d.ovs(VSCTL, "get", "Interface", "p1", "error"));
        }
    }

    @Test
    void memoryFailureNamesTheCauseAndAsksForARestartThatWorks() throws Exception {
        Dist d = Dist.start("jvswitch-dpdk-mem");
        try {
            d.ovs(VSCTL, "--timeout=20", "set", "Open_vSwitch", ".", "other_config:dpdk-init=try",
                    "other_config:dpdk-extra=--no-pci", "other_config:dpdk-socket-mem=4000000");
            assertEquals("false\n", d.ovs(VSCTL, "get", "Open_vSwitch", ".", "dpdk_initialized"));
            d.ovs(VSCTL, "--timeout=20", "remove", "Open_vSwitch", ".", "other_config", "dpdk-socket-mem");
            Dist.Result add = d.run(VSCTL, "--timeout=20", "add-br", "br0", "--", "set", "bridge", "br0", "datapath_type=netdev",
                    "--", "add-port", "br0", "n0", "--", "set", "Interface", "n0", "type=dpdk", "options:dpdk-devargs=net_null0");
            assertTrue(add.err().contains("DPDK is not initialized: rte_eal_init failed: EAL: Cannot init memory ("), add.err());
            assertTrue(add.err().contains(" hugepages of 2048 kB free, hugetlbfs on "), "the machine's hugepages, for diagnosis: " + add.err());
            assertTrue(add.err().contains("; DPDK cannot start twice in one process: restart jvswitch to apply the new dpdk options"),
                    add.err());
            assertEquals(0, d.jvswitch("stop").rc());
            assertEquals(0, d.jvswitch("start").rc());
            d.await(out -> out.equals("1\n"), VSCTL, "get", "Interface", "n0", "ofport");
            assertEquals("true\n", d.ovs(VSCTL, "get", "Open_vSwitch", ".", "dpdk_initialized"));
        } finally {
            d.close();
        }
    }

    @Test
    void pcapThroughOpenFlowRulesIsByteExactAndTheBundleRestartsCleanly() throws Exception {
        try (Dist d = Dist.start("jvswitch-dpdk-pcap")) {
            Path dir = d.var;
            List<byte[]> untagged = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                untagged.add(udp(i, 64 + i * 20));
            }
            List<byte[]> tagged = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                tagged.add(vlan(udp(100 + i, 80), 77));
            }
            writePcap(dir.resolve("in0.pcap"), untagged);
            writePcap(dir.resolve("in2.pcap"), tagged);
            writePcap(dir.resolve("empty.pcap"), List.of());
            d.ovs(VSCTL, "--timeout=20", "set", "Open_vSwitch", ".", "other_config:dpdk-init=true", "other_config:dpdk-extra=--no-pci");
            d.ovs(VSCTL, "--timeout=20", "add-br", "br0", "--", "set", "bridge", "br0", "datapath_type=netdev", "fail_mode=secure",
                    "--", "add-port", "br0", "out1", "--", "set", "Interface", "out1", "type=dpdk", "ofport_request=2",
                    "options:dpdk-devargs=net_pcap1,rx_pcap=" + dir.resolve("empty.pcap") + ",tx_pcap=" + dir.resolve("out1.pcap"),
                    "--", "add-port", "br0", "out3", "--", "set", "Interface", "out3", "type=dpdk", "ofport_request=4",
                    "options:dpdk-devargs=net_pcap3,rx_pcap=" + dir.resolve("empty.pcap") + ",tx_pcap=" + dir.resolve("out3.pcap"));
            assertEquals("", d.ovs("ovs-ofctl", "dump-flows", "br0", "--no-stats").replaceAll("NXST_FLOW reply.*\n", ""),
                    "a secure bridge has no default flow");
            d.ovs("ovs-ofctl", "add-flow", "br0", "in_port=1,actions=mod_vlan_vid:42,mod_dl_dst:0a:0b:0c:0d:0e:0f,output:2");
            d.ovs("ovs-ofctl", "add-flow", "br0", "in_port=3,dl_vlan=77,actions=strip_vlan,mod_nw_dst:192.168.7.7,output:4");
            // The sources start replaying the moment they are added, after the rules are in place.
            d.ovs(VSCTL, "--timeout=20", "add-port", "br0", "in0", "--", "set", "Interface", "in0", "type=dpdk", "ofport_request=1",
                    "options:dpdk-devargs=net_pcap0,rx_pcap=" + dir.resolve("in0.pcap") + ",tx_pcap=/dev/null",
                    "--", "add-port", "br0", "in2", "--", "set", "Interface", "in2", "type=dpdk", "ofport_request=3",
                    "options:dpdk-devargs=net_pcap2,rx_pcap=" + dir.resolve("in2.pcap") + ",tx_pcap=/dev/null");
            d.await(out -> txPackets(out) == 50, VSCTL, "get", "Interface", "out1", "statistics");
            d.await(out -> txPackets(out) == 20, VSCTL, "get", "Interface", "out3", "statistics");
            String before = d.ovs("ovs-appctl", "netdev-dpdk/get-mempool-info", "out1");
            assertTrue(before.startsWith("mempool <jvs_2048_0_"), before);

            // Commands: the admin state, and detach refused for a device in use.
            assertEquals("OK\n", d.ovs("ovs-appctl", "netdev-dpdk/set-admin-state", "out3", "down"));
            d.await(out -> out.equals("down\n"), VSCTL, "get", "Interface", "out3", "link_state");
            assertEquals("OK\n", d.ovs("ovs-appctl", "netdev-dpdk/set-admin-state", "out3", "up"));
            Dist.Result bad = d.run("ovs-appctl", "netdev-dpdk/set-admin-state", "nosuch", "up");
            assertTrue(bad.err().contains("Not a DPDK Interface"), bad.err());
            Dist.Result busy = d.run("ovs-appctl", "netdev-dpdk/detach", "net_pcap1");
            assertTrue(busy.err().contains("Device 'net_pcap1' is being used by the following interfaces: out1. "
                    + "Remove them before detaching."), busy.err());

            // Another bridge whose PMD port generates traffic to a sink: it must keep forwarding
            // while the dpdk bundle is stopped.
            d.ovs(VSCTL, "--timeout=20", "add-br", "br1", "--", "set", "bridge", "br1", "datapath_type=netdev",
                    "--", "add-port", "br1", "sink", "--", "set", "Interface", "sink", "type=dummy", "options:tx-keep=false",
                    "--", "add-port", "br1", "gen", "--", "set", "Interface", "gen", "type=dummy-pmd",
                    "options:gen-flows=1", "options:gen-dst=ff:ff:ff:ff:ff:ff", "options:tx-keep=false");

            // Stop the bundle: the ports are closed (the pcap driver flushes its files), every
            // mbuf returns and each mempool is freed.
            String id = bundleId(d, "jvswitch-netdev-dpdk");
            assertEquals(0, d.jvswitch("shell", "stop " + id).rc());
            long sunk = txPackets(d.await(out -> txPackets(out) > 0, VSCTL, "get", "Interface", "sink", "statistics"));
            d.await(out -> txPackets(out) > sunk, VSCTL, "get", "Interface", "sink", "statistics");
            String err = d.ovs(VSCTL, "get", "Interface", "out1", "error");
            assertTrue(err.contains("could not create netdev out1 of unknown type dpdk"), err);
            String log = d.log();
            Matcher pools = Pattern.compile("Allocated \"(jvs_[0-9a-z_]+)\" mempool").matcher(log);
            int n = 0;
            while (pools.find()) {
                assertTrue(log.contains("Freed mempool \"" + pools.group(1) + "\""), pools.group(1) + " not freed:\n" + log);
                n++;
            }
            assertTrue(n >= 1);
            assertFalse(log.contains("still holds"), log);

            List<byte[]> out1 = readPcap(dir.resolve("out1.pcap"));
            assertEquals(50, out1.size());
            for (int i = 0; i < 50; i++) {
                byte[] want = vlan(untagged.get(i), 42);
                System.arraycopy(new byte[] {0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f}, 0, want, 0, 6);
                assertArrayEquals(want, out1.get(i), "out1 frame " + i);
            }
            List<byte[]> out3 = readPcap(dir.resolve("out3.pcap"));
            assertEquals(20, out3.size());
            for (int i = 0; i < 20; i++) {
                byte[] want = udp(100 + i, 80);
                setNwDst(want, new byte[] {(byte) 192, (byte) 168, 7, 7});
                assertArrayEquals(want, out3.get(i), "out3 frame " + i);
            }

            // Start it again: the ports come back with their numbers and forward again.
            assertEquals(0, d.jvswitch("shell", "start " + id).rc());
            d.await(out -> out.equals("[]\n"), VSCTL, "get", "Interface", "out1", "error");
            assertEquals("2\n", d.ovs(VSCTL, "get", "Interface", "out1", "ofport"));
            d.await(out -> out.equals("[]\n"), VSCTL, "get", "Interface", "in0", "error");
            // in0 replayed its file while the ports came back in some order: replay it once more.
            d.ovs(VSCTL, "--timeout=20", "del-port", "in0");
            d.ovs(VSCTL, "--timeout=20", "add-port", "br0", "in0", "--", "set", "Interface", "in0", "type=dpdk", "ofport_request=1",
                    "options:dpdk-devargs=net_pcap0,rx_pcap=" + dir.resolve("in0.pcap") + ",tx_pcap=/dev/null");
            d.await(out -> txPackets(out) >= 50, VSCTL, "get", "Interface", "out1", "statistics");
        }
    }

    private static String bundleId(Dist d, String name) throws Exception {
        for (String line : d.jvswitch("shell", "lb -s").out().split("\n")) {
            if (line.contains(name)) {
                return line.split("\\|")[0].trim();
            }
        }
        throw new AssertionError(name + " not installed");
    }

    private static long stat(String stats, String key) {
        Matcher m = Pattern.compile(key + "=(\\d+)").matcher(stats);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    private static long rxPackets(String stats) {
        return stat(stats, "rx_packets");
    }

    private static long txPackets(String stats) {
        return stat(stats, "tx_packets");
    }

    /** Ethernet/IPv4/UDP, {@code len} bytes, with a correct IPv4 header checksum. */
    static byte[] udp(int n, int len) {
        byte[] f = new byte[len];
        ByteBuffer b = ByteBuffer.wrap(f);
        b.put(new byte[] {0x50, 0x54, 0, 0, 0, 2, 0x50, 0x54, 0, 0, 0, 1}).putShort((short) 0x0800);
        b.put((byte) 0x45).put((byte) 0).putShort((short) (len - 14)).putShort((short) n).putShort((short) 0)
                .put((byte) 64).put((byte) 17).putShort((short) 0).putInt(0x0a000001).putInt(0x0a010000 + n);
        b.putShort((short) (1000 + n)).putShort((short) 2000).putShort((short) (len - 34)).putShort((short) 0);
        for (int i = 42; i < len; i++) {
            f[i] = (byte) (i * 7 + n);
        }
        ipChecksum(f);
        return f;
    }

    /** Sets the IPv4 destination and fixes the IP checksum (UDP checksum 0 stays 0). */
    static void setNwDst(byte[] f, byte[] ip) {
        System.arraycopy(ip, 0, f, 30, 4);
        ipChecksum(f);
    }

    private static void ipChecksum(byte[] f) {
        f[24] = 0;
        f[25] = 0;
        int sum = 0;
        for (int i = 14; i < 34; i += 2) {
            sum += ((f[i] & 0xff) << 8) | (f[i + 1] & 0xff);
        }
        while ((sum >> 16) != 0) {
            sum = (sum & 0xffff) + (sum >> 16);
        }
        sum = ~sum & 0xffff;
        f[24] = (byte) (sum >> 8);
        f[25] = (byte) sum;
    }

    static byte[] vlan(byte[] frame, int vid) {
        byte[] f = new byte[frame.length + 4];
        System.arraycopy(frame, 0, f, 0, 12);
        f[12] = (byte) 0x81;
        f[14] = (byte) (vid >> 8);
        f[15] = (byte) vid;
        System.arraycopy(frame, 12, f, 16, frame.length - 12);
        return f;
    }

    static void writePcap(Path file, List<byte[]> frames) throws Exception {
        ByteBuffer b = ByteBuffer.allocate(24 + frames.stream().mapToInt(f -> 16 + f.length).sum()).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(1);
        for (byte[] f : frames) {
            b.putInt(1).putInt(0).putInt(f.length).putInt(f.length).put(f);
        }
        Files.write(file, b.array());
    }

    static List<byte[]> readPcap(Path file) throws Exception {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        List<byte[]> out = new ArrayList<>();
        b.position(24);
        while (b.remaining() >= 16) {
            b.position(b.position() + 8);
            int len = b.getInt();
            b.getInt();
            byte[] f = new byte[len];
            b.get(f);
            out.add(f);
        }
        return out;
    }
}
