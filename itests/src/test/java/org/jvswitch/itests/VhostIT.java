package org.jvswitch.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * vhost-user ports with a real guest-side driver: {@code dpdk-testpmd} with a
 * {@code net_virtio_user} port plays the virtual machine, forwarding what it receives straight
 * back (io mode). Packets injected on a dummy port go to the guest and return through the switch;
 * the guest is killed and restarted; netdev-dpdk is stopped and started under the vhost port.
 */
class VhostIT {
    private static final String VSCTL = "ovs-vsctl";
    private static final String FRAME = "eth(src=50:54:00:00:00:01,dst=50:54:00:00:00:02),eth_type(0x0800),"
            + "ipv4(src=10.0.0.1,dst=10.0.0.2,proto=17,ttl=64),udp(src=1,dst=2)";

    /** A testpmd guest with its own file prefix; close() kills it by PID and removes its hugepage files. */
    private static final class Guest implements AutoCloseable {
        final Process process;
        final String prefix;

        Guest(Path log, String prefix, String vdev, String... extra) throws Exception {
            this.prefix = prefix;
            // Both testpmd lcores on CPU 0: the switch's PMD has CPU 1.
            List<String> cmd = new ArrayList<>(List.of("dpdk-testpmd", "--no-pci", "--file-prefix=" + prefix,
                    "--single-file-segments", "--vdev=" + vdev, "--lcores=0@0,1@0", "--",
                    "--forward-mode=io", "--auto-start", "--stats-period", "1"));
            cmd.addAll(List.of(extra));
            ProcessBuilder pb = new ProcessBuilder(cmd);
            pb.redirectErrorStream(true).redirectOutput(log.toFile());
            // stdin stays open (testpmd exits on end of input).
            process = pb.start();
        }

        @Override
        public void close() throws Exception {
            process.destroyForcibly();
            process.waitFor(20, TimeUnit.SECONDS);
            File[] left = new File("/dev/hugepages").listFiles((d, n) -> n.startsWith(prefix));
            if (left != null) {
                for (File f : left) {
                    Files.deleteIfExists(f.toPath());
                }
            }
        }
    }

    /** The write system calls a process made so far (/proc/PID/io). */
    private static long writeSyscalls(Process p) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/" + p.pid() + "/io"))) {
            if (line.startsWith("syscw:")) {
                return Long.parseLong(line.substring(6).trim());
            }
        }
        throw new AssertionError("no syscw in /proc/" + p.pid() + "/io");
    }

    private static long stat(String stats, String key) {
        Matcher m = Pattern.compile(key + "=(\\d+)").matcher(stats);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    /**
     * Sends a frame into p1 until it comes back out of p1 through the guest (the first ones may be
     * dropped while the guest's driver is still starting its queues, as with any VM).
     */
    private static void roundTrip(Dist d, int n) throws Exception {
        String frame = FRAME.replace("dst=10.0.0.2", "dst=10.0.0." + (n % 250 + 2));
        String want = String.format("0a0000%02x", n % 250 + 2);
        long deadline = System.currentTimeMillis() + 20_000;
        String sent = "";
        while (System.currentTimeMillis() < deadline) {
            d.ovs("ovs-appctl", "netdev-dummy/receive", "p1", frame);
            for (int i = 0; i < 10 && !sent.contains(want); i++) {
                Thread.sleep(50);
                sent += d.ovs("ovs-appctl", "netdev-dummy/tx-dump", "p1");
            }
            if (sent.contains(want)) {
                assertTrue(sent.contains("505400000002505400000001080045"), sent);
                return;
            }
        }
        throw new AssertionError("frame " + n + " did not come back through the guest: " + sent);
    }

    /**
     * The guest's own traffic (testpmd's --tx-first burst) on port 2 goes straight back to it, so
     * packets circle between guest and switch at full speed and every kill lands while the PMD is
     * inside the device's rings; the test's frames (from 50:54:00:00:00:01) still go out of p1.
     */
    private static void loopGuestTraffic(Dist d) throws Exception {
        d.ovs("ovs-ofctl", "add-flow", "br0", "priority=40000,in_port=2,actions=in_port");
        d.ovs("ovs-ofctl", "add-flow", "br0", "priority=40001,in_port=2,dl_src=50:54:00:00:00:01,actions=output:1");
    }

    private static Dist switchWithBridge(String prefix) throws Exception {
        Dist d = Dist.start(prefix);
        d.ovs(VSCTL, "--timeout=30", "set", "Open_vSwitch", ".", "other_config:dpdk-init=true",
                "other_config:dpdk-extra=--no-pci", "other_config:pmd-cpu-mask=0x2");
        d.ovs(VSCTL, "--timeout=30", "add-br", "br0", "--", "set", "bridge", "br0", "datapath_type=netdev", "fail_mode=secure",
                "--", "add-port", "br0", "p1", "--", "set", "Interface", "p1", "type=dummy", "ofport_request=1");
        d.ovs("ovs-ofctl", "add-flow", "br0", "in_port=1,actions=output:2");
        d.ovs("ovs-ofctl", "add-flow", "br0", "in_port=2,actions=output:1");
        return d;
    }

    @Test
    void serverModeGuestComesAndGoesAndTrafficFollows() throws Exception {
        try (Dist d = switchWithBridge("jvswitch-vhost")) {
            d.ovs(VSCTL, "--timeout=30", "add-port", "br0", "vhost-user1", "--", "set", "Interface", "vhost-user1",
                    "type=dpdkvhostuser", "ofport_request=2");
            Path sock = d.var.resolve("run/vhost-user1");
            assertTrue(Files.exists(sock), "the socket is in the run directory");
            assertEquals("rw-rw----", PosixFilePermissions.toString(Files.getPosixFilePermissions(sock)));
            assertEquals("down\n", d.ovs(VSCTL, "get", "Interface", "vhost-user1", "link_state"), "no guest yet");
            // Another bridge whose PMD port generates traffic to a sink: it must keep forwarding
            // through every guest departure and arrival.
            d.ovs(VSCTL, "--timeout=30", "add-br", "br1", "--", "set", "bridge", "br1", "datapath_type=netdev",
                    "--", "add-port", "br1", "sink", "--", "set", "Interface", "sink", "type=dummy", "options:tx-keep=false",
                    "--", "add-port", "br1", "gen", "--", "set", "Interface", "gen", "type=dummy-pmd",
                    "options:gen-flows=1", "options:gen-dst=ff:ff:ff:ff:ff:ff", "options:tx-keep=false");
            loopGuestTraffic(d);
            long sunk = 0;
            long looped = 0;
            String prefix = "jvs-guest-" + ProcessHandle.current().pid();
            int rounds = Integer.getInteger("vhost.rounds", 50);
            for (int i = 0; i < rounds; i++) {
                long before = sunk;
                sunk = stat(d.await(out -> stat(out, "tx_packets") > before, VSCTL, "get", "Interface", "sink", "statistics"),
                        "tx_packets");
                try (Guest g = new Guest(d.var.resolve("testpmd-" + i + ".log"), prefix, "net_virtio_user0,path=" + sock,
                        "--tx-first")) {
                    d.await(out -> out.equals("up\n"), VSCTL, "get", "Interface", "vhost-user1", "link_state");
                    String status = d.ovs(VSCTL, "get", "Interface", "vhost-user1", "status");
                    assertTrue(status.contains("mode=server") && status.contains("num_of_vrings=\"2\""), status);
                    roundTrip(d, i * 2);
                    roundTrip(d, i * 2 + 1);
                    // The port's live counters (OpenFlow port stats): the loop is running.
                    long was = looped;
                    looped = stat(d.await(out -> stat(out, "rx pkts") > was + 1000, "ovs-ofctl", "dump-ports", "br0", "2"),
                            "rx pkts");
                    if (i == 0) {
                        // The guest does not kick the switch after each transmit (guest
                        // notifications are off, as Open vSwitch sets them): its write system
                        // calls, each kick being one, stay at its log lines while it loops
                        // packets as fast as it can.
                        long w0 = writeSyscalls(g.process);
                        long p0 = stat(d.ovs("ovs-ofctl", "dump-ports", "br0", "2"), "rx pkts");
                        Thread.sleep(1000);
                        long p1 = stat(d.ovs("ovs-ofctl", "dump-ports", "br0", "2"), "rx pkts");
                        long w1 = writeSyscalls(g.process);
                        assertTrue(p1 - p0 > 10_000, "the guest loops packets: " + (p1 - p0) + " in 1 s");
                        assertTrue(w1 - w0 < 100, (w1 - w0) + " write calls by the guest for " + (p1 - p0) + " packets");
                    }
                }
                // Killed: the device goes, as Open vSwitch logs it.
                d.await(out -> out.equals("down\n"), VSCTL, "get", "Interface", "vhost-user1", "link_state");
            }
            String pool = d.ovs("ovs-appctl", "netdev-dpdk/get-mempool-info");
            assertTrue(pool.contains("in use (0)"), "every mbuf back in the pool after the guests: " + pool);
            String log = d.log();
            assertEquals(rounds, count(log, "vHost Device '" + sock + "' has been removed"), log);
            assertEquals(rounds, count(log, "vHost Device '" + sock + "' connection has been destroyed"), log);
            String stats = d.await(out -> stat(out, "rx_packets") >= 2 * rounds, VSCTL, "get", "Interface", "vhost-user1", "statistics");
            assertTrue(stat(stats, "tx_packets") >= 2 * rounds, "statistics carry on across guests: " + stats);

            // netdev-dpdk stopped: the vhost types go with DPDK's environment, and come back.
            String id = bundleId(d, "jvswitch-netdev-dpdk");
            assertEquals(0, d.jvswitch("shell", "stop " + id).rc());
            String err = d.ovs(VSCTL, "get", "Interface", "vhost-user1", "error");
            assertTrue(err.contains("could not create netdev vhost-user1 of unknown type dpdkvhostuser"), err);
            assertEquals(0, d.jvswitch("shell", "start " + id).rc());
            d.await(out -> out.equals("[]\n"), VSCTL, "get", "Interface", "vhost-user1", "error");
            try (Guest g = new Guest(d.var.resolve("testpmd-again.log"), prefix, "net_virtio_user0,path=" + sock)) {
                d.await(out -> out.equals("up\n"), VSCTL, "get", "Interface", "vhost-user1", "link_state");
                roundTrip(d, 100);
            }
        }
    }

    @Test
    void clientModeConnectsToTheGuestsSocketAndReconnects() throws Exception {
        try (Dist d = switchWithBridge("jvswitch-vhostc")) {
            // Offered to the guest as in Open vSwitch (client ports); virtio-user does not take it up.
            d.ovs(VSCTL, "set", "Open_vSwitch", ".", "other_config:vhost-iommu-support=true");
            Path sock = d.var.resolve("guest.sock");
            String prefix = "jvs-guestc-" + ProcessHandle.current().pid();
            try (Guest g = new Guest(d.var.resolve("testpmd-c.log"), prefix, "net_virtio_user0,path=" + sock + ",server=1")) {
                d.ovs(VSCTL, "--timeout=30", "add-port", "br0", "vhu-c", "--", "set", "Interface", "vhu-c",
                        "type=dpdkvhostuserclient", "options:vhost-server-path=" + sock, "ofport_request=2");
                d.await(out -> out.equals("up\n"), VSCTL, "get", "Interface", "vhu-c", "link_state");
                assertTrue(d.ovs(VSCTL, "get", "Interface", "vhu-c", "status").contains("mode=client"));
                assertTrue(d.log().contains("vHost User device 'vhu-c' created in 'client' mode, using socket '" + sock
                        + "', IOMMU support enabled"), "vhost-iommu-support reached the registration");
                roundTrip(d, 1);
                // Restarting the vhost bundle does not need the VM to restart: the port
                // reconnects to the guest's socket and traffic resumes.
                String id = bundleId(d, "jvswitch-netdev-vhost");
                assertEquals(0, d.jvswitch("shell", "stop " + id).rc());
                assertTrue(d.ovs(VSCTL, "get", "Interface", "vhu-c", "error").contains("unknown type dpdkvhostuserclient"));
                assertEquals(0, d.jvswitch("shell", "start " + id).rc());
                d.await(out -> out.equals("up\n"), VSCTL, "get", "Interface", "vhu-c", "link_state");
                roundTrip(d, 3);
            }
            d.await(out -> out.equals("down\n"), VSCTL, "get", "Interface", "vhu-c", "link_state");
            // The guest comes back with a new socket (its manager removes the stale one, as QEMU
            // does), again and again: the switch reconnects by itself each time, with the guest's
            // own traffic circling through the port when it is killed.
            loopGuestTraffic(d);
            int rounds = Integer.getInteger("vhost.rounds", 50);
            for (int i = 0; i < rounds; i++) {
                Files.deleteIfExists(sock);
                try (Guest g = new Guest(d.var.resolve("testpmd-c" + i + ".log"), prefix,
                        "net_virtio_user0,path=" + sock + ",server=1", "--tx-first")) {
                    d.await(out -> out.equals("up\n"), VSCTL, "get", "Interface", "vhu-c", "link_state");
                    roundTrip(d, 20 + i);
                }
                d.await(out -> out.equals("down\n"), VSCTL, "get", "Interface", "vhu-c", "link_state");
            }
            String pool = d.ovs("ovs-appctl", "netdev-dpdk/get-mempool-info");
            assertTrue(pool.contains("in use (0)"), "every mbuf back in the pool after the guests: " + pool);
        }
    }

    @Test
    void oneGuestReachesAnotherThroughTheSwitchOverTwoQueuePairs() throws Exception {
        try (Dist d = switchWithBridge("jvswitch-vhost2")) {
            // p1 -> guest A -> guest B -> p1, each guest with two queue pairs.
            d.ovs("ovs-ofctl", "del-flows", "br0");
            d.ovs("ovs-ofctl", "add-flow", "br0", "in_port=1,actions=output:2");
            d.ovs("ovs-ofctl", "add-flow", "br0", "in_port=2,actions=output:3");
            d.ovs("ovs-ofctl", "add-flow", "br0", "in_port=3,actions=output:1");
            d.ovs(VSCTL, "--timeout=30", "add-port", "br0", "vhu-a", "--", "set", "Interface", "vhu-a",
                    "type=dpdkvhostuser", "ofport_request=2",
                    "--", "add-port", "br0", "vhu-b", "--", "set", "Interface", "vhu-b",
                    "type=dpdkvhostuser", "ofport_request=3");
            String pid = Long.toString(ProcessHandle.current().pid());
            try (Guest a = new Guest(d.var.resolve("testpmd-a.log"), "jvs-ga-" + pid,
                         "net_virtio_user0,path=" + d.var.resolve("run/vhu-a") + ",queues=2", "--rxq=2", "--txq=2");
                 Guest b = new Guest(d.var.resolve("testpmd-b.log"), "jvs-gb-" + pid,
                         "net_virtio_user0,path=" + d.var.resolve("run/vhu-b") + ",queues=2", "--rxq=2", "--txq=2")) {
                d.await(out -> out.equals("up\n"), VSCTL, "get", "Interface", "vhu-a", "link_state");
                d.await(out -> out.equals("up\n"), VSCTL, "get", "Interface", "vhu-b", "link_state");
                // Each guest's two transmit rings became two receive queues of the switch.
                d.await(out -> count(out, "port: vhu-a") == 2 && count(out, "port: vhu-b") == 2,
                        "ovs-appctl", "dpif-netdev/pmd-rxq-show");
                String status = d.ovs(VSCTL, "get", "Interface", "vhu-a", "status");
                assertTrue(status.contains("num_of_vrings=\"4\""), status);
                for (int i = 0; i < 4; i++) {
                    roundTrip(d, 10 + i);
                }
                String sa = d.await(out -> stat(out, "tx_packets") >= 4, VSCTL, "get", "Interface", "vhu-b", "statistics");
                assertTrue(stat(sa, "rx_packets") >= 4, "B sent back what A sent it: " + sa);
            }
            // The guests' connections are gone: each port goes back to one queue pair, as in Open vSwitch.
            d.await(out -> count(out, "port: vhu-a") == 1 && count(out, "port: vhu-b") == 1,
                    "ovs-appctl", "dpif-netdev/pmd-rxq-show");
        }
    }

    @Test
    void badSocketPathsAndOptionsAreRefusedWithoutHarm() throws Exception {
        try (Dist d = switchWithBridge("jvswitch-vhoste")) {
            Path squatter = d.var.resolve("run/vhost-busy");
            Files.writeString(squatter, "not a socket");
            Dist.Result r = d.run(VSCTL, "--timeout=30", "add-port", "br0", "vhost-busy", "--", "set", "Interface", "vhost-busy",
                    "type=dpdkvhostuser");
            assertTrue(r.err().contains(squatter + " exists and is not a socket: not removing it"), r.err());
            assertEquals("not a socket", Files.readString(squatter), "the file is untouched");
            r = d.run(VSCTL, "--timeout=30", "add-port", "br0", "vhu-c", "--", "set", "Interface", "vhu-c",
                    "type=dpdkvhostuserclient");
            assertTrue(r.err().contains("'vhu-c' is missing 'options:vhost-server-path'"), r.err());
            r = d.run(VSCTL, "--timeout=30", "add-port", "br0", "vhu-p", "--", "set", "Interface", "vhu-p",
                    "type=dpdkvhostuser", "options:vhost-postcopy-support=true");
            assertTrue(r.err().contains("vhost-postcopy-support is not supported"), r.err());
            assertEquals("1\n", d.ovs(VSCTL, "get", "Interface", "p1", "ofport"), "the other ports are unaffected");

            // vhost-sock-dir: a directory under the run directory, as in Open vSwitch.
            d.ovs(VSCTL, "--timeout=30", "set", "Open_vSwitch", ".", "other_config:vhost-sock-dir=vsock");
            d.ovs(VSCTL, "--timeout=30", "add-port", "br0", "vhu-d", "--", "set", "Interface", "vhu-d", "type=dpdkvhostuser");
            assertTrue(Files.exists(d.var.resolve("run/vsock/vhu-d")), "socket under vhost-sock-dir");
            assertEquals("[]\n", d.ovs(VSCTL, "get", "Interface", "vhu-d", "error"));
            d.ovs(VSCTL, "--timeout=30", "set", "Open_vSwitch", ".", "other_config:vhost-sock-dir=/etc");
            r = d.run(VSCTL, "--timeout=30", "add-port", "br0", "vhu-e", "--", "set", "Interface", "vhu-e", "type=dpdkvhostuser");
            assertTrue(r.err().contains("vhost-sock-dir /etc must be a directory under the run directory"), r.err());
        }
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    private static String bundleId(Dist d, String name) throws Exception {
        for (String line : d.jvswitch("shell", "lb -s").out().split("\n")) {
            if (line.contains(name)) {
                return line.split("\\|")[0].trim();
            }
        }
        throw new AssertionError(name + " not installed");
    }
}
