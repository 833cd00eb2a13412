package org.jvswitch.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.jvswitch.itests.Dist.Result;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The distribution as users run it: {@code bin/jvswitch start|shell|stop}, driven by the real
 * {@code ovs-appctl} from Debian's openvswitch-common through the run directory.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DistributionIT {
    private static final Path DIST = Path.of(System.getProperty("jvswitch.dist", "../runtime/target/jvswitch"));
    private static Path var;

    static Result run(List<String> cmd, Map<String, String> env) throws IOException, InterruptedException {
        Map<String, String> all = new java.util.HashMap<>(Map.of("JVSWITCH_VAR", var.toString(),
                "OVS_RUNDIR", var.resolve("run").toString()));
        all.putAll(env);
        return Dist.exec(all, cmd);
    }

    static Result jvswitch(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(DIST.resolve("bin/jvswitch").toString()));
        cmd.addAll(List.of(args));
        return run(cmd, Map.of());
    }

    static Result appctl(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("ovs-appctl"));
        cmd.addAll(List.of(args));
        return run(cmd, Map.of());
    }

    @BeforeAll
    static void start() throws Exception {
        var = Files.createTempDirectory("jvswitch-dist");
        long t0 = System.nanoTime();
        Result r = jvswitch("start");
        assertEquals(0, r.rc(), r.out() + r.err());
        System.out.printf("jvswitch start: %d ms to an answering control socket%n", (System.nanoTime() - t0) / 1_000_000);
    }

    @AfterAll
    static void stop() throws Exception {
        Result r = jvswitch("stop");
        Path pidfile = var.resolve("run/ovs-vswitchd.pid");
        if (Files.exists(pidfile)) {
            long pid = Long.parseLong(Files.readString(pidfile).trim());
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
        assertEquals(0, r.rc(), r.out() + r.err());
    }

    @Test
    @Order(1)
    void realOvsAppctlFindsTheSwitchThroughTheRunDirectory() throws Exception {
        Result r = appctl("version");
        assertEquals(0, r.rc(), r.err());
        assertTrue(r.out().startsWith("ovs-vswitchd (jvswitch) "), r.out());
        Result bad = appctl("no-such-command");
        assertEquals(2, bad.rc());
        assertTrue(bad.err().contains("\"no-such-command\" is not a valid command (use \"list-commands\" to see a list of valid commands)"), bad.err());
        Result list = appctl("list-commands");
        for (String c : List.of("dpif-netdev/pmd-stats-show", "dpif/show", "fdb/show", "netdev-dummy/receive", "vlog/list", "memory/show")) {
            assertTrue(list.out().contains("  " + c), c + " in " + list.out());
        }
    }

    @Test
    @Order(2)
    void shellConfiguresABridgeThatForwardsAndLearns() throws Exception {
        Result r = jvswitch("shell", "vsctl:vsctl add-br br0 -- set bridge br0 datapath_type=netdev");
        assertEquals(0, r.rc(), r.out() + r.err());
        r = jvswitch("shell", "vsctl:vsctl add-port br0 p1 -- set Interface p1 type=dummy ofport_request=1");
        assertEquals(0, r.rc(), r.out() + r.err());
        r = jvswitch("shell", "vsctl:vsctl add-port br0 p2 -- set Interface p2 type=dummy ofport_request=2");
        assertEquals(0, r.rc(), r.out() + r.err());

        // netdev-dummy is hot-deployed from deploy/ and may arrive just after start returns.
        awaitShell("vsctl:vsctl get Interface p2 ofport", "2\n");
        awaitShell("vsctl:vsctl get Interface p1 ofport", "1\n");
        Result show = appctl("dpif/show");
        assertEquals(0, show.rc(), show.err());
        assertTrue(show.out().startsWith("netdev@ovs-netdev: hit:0 missed:0\n  br0:\n"), show.out());
        assertTrue(show.out().contains("    br0 65534/"), show.out());
        assertTrue(show.out().contains("    p1 1/"), show.out());

        String flow = "in_port(1),eth(src=50:54:00:00:00:01,dst=ff:ff:ff:ff:ff:ff),eth_type(0x0800),"
                + "ipv4(src=10.0.0.1,dst=10.0.0.2,proto=17,tos=0,ttl=64,frag=no),udp(src=1000,dst=2000)";
        Result recv = appctl("netdev-dummy/receive", "p1", flow);
        assertEquals(0, recv.rc(), recv.err());
        // The packet is forwarded asynchronously by the main loop: wait for it on p2 first.
        String tx = awaitSent("p2");
        assertEquals(1, tx.lines().count(), tx);
        assertTrue(tx.startsWith("ffffffffffff505400000001"), tx);
        Result fdb = appctl("fdb/show", "br0");
        assertTrue(fdb.out().matches(" port  VLAN  MAC                Age\n    1     0  50:54:00:00:00:01  +[0-9]+\n"), fdb.out());

        Result stats = appctl("dpif-netdev/pmd-stats-show");
        assertTrue(stats.out().contains("main thread:\n  packets received: 1\n"), stats.out());
        assertTrue(stats.out().contains("  miss with success upcall: 1\n"), stats.out());

        // The real ovs-ofctl finds the bridge's management socket in the run directory.
        Result ofShow = run(List.of("ovs-ofctl", "show", "br0"), Map.of());
        assertEquals(0, ofShow.rc(), ofShow.err());
        assertTrue(ofShow.out().contains(" 1(p1): addr:") && ofShow.out().contains(" LOCAL(br0): addr:"), ofShow.out());
        Result ofFlows = run(List.of("ovs-ofctl", "-O", "OpenFlow13", "dump-flows", "br0"), Map.of());
        assertEquals(0, ofFlows.rc(), ofFlows.err());
        assertTrue(ofFlows.out().contains("priority=0 actions=NORMAL"), ofFlows.out());

        // An OpenFlow rule from the real ovs-ofctl decides over NORMAL: p1's packets go to p2 tagged.
        Result add = run(List.of("ovs-ofctl", "add-flow", "br0", "priority=100,in_port=1,actions=mod_vlan_vid:5,output:2"), Map.of());
        assertEquals(0, add.rc(), add.err());
        appctl("netdev-dummy/receive", "p1", flow);
        String tagged = awaitSent("p2");
        assertTrue(tagged.startsWith("ffffffffffff505400000001" + "81000005" + "0800"), tagged);
        // The rule's counters come from the datapath flow it decided (revalidator, every 500 ms).
        String counted = "";
        long until = System.currentTimeMillis() + 20_000;
        java.util.regex.Pattern rule = java.util.regex.Pattern.compile(
                "n_packets=1, n_bytes=64, idle_age=[0-9]+, priority=100,in_port=1 ");
        while (!rule.matcher(counted).find() && System.currentTimeMillis() < until) {
            counted = run(List.of("ovs-ofctl", "dump-flows", "br0"), Map.of()).out();
            Thread.sleep(100);
        }
        assertTrue(rule.matcher(counted).find(), counted);
        // packet-out from the real ovs-ofctl: the frame runs through the given actions.
        String frame = "ffffffffffff505400000009080045000014000000004000000000000a0000010a000002";
        Result out = run(List.of("ovs-ofctl", "packet-out", "br0", "LOCAL", "mod_vlan_vid:7,output:2", frame), Map.of());
        assertEquals(0, out.rc(), out.err());
        String sentOut = awaitSent("p2");
        assertEquals("ffffffffffff505400000009" + "81000007" + "080045000014000000004000000000000a0000010a000002\n",
                sentOut);

        Result del = run(List.of("ovs-ofctl", "del-flows", "br0", "in_port=1"), Map.of());
        assertEquals(0, del.rc(), del.err());
        Result left = run(List.of("ovs-ofctl", "dump-flows", "br0"), Map.of());
        assertTrue(left.out().contains("priority=0 actions=NORMAL") && !left.out().contains("in_port=1"), left.out());

        Result noBridge = appctl("fdb/show", "br9");
        assertEquals(2, noBridge.rc());
        assertTrue(noBridge.err().startsWith("no such bridge\n"), noBridge.err());
        Result badPacket = appctl("netdev-dummy/receive", "p1", "eth(src=zz)");
        assertEquals(2, badPacket.rc());
        assertTrue(badPacket.err().startsWith("syntax error"), badPacket.err());
    }

    @Test
    @Order(3)
    void realOvsVsctlConfiguresTheSwitchAndWaitsForIt() throws Exception {
        List<String> base = List.of("ovs-vsctl", "--timeout=20");
        Result add = run(concat(base, "add-port", "br0", "p3", "--", "set", "Interface", "p3", "type=dummy",
                "ofport_request=3"), Map.of());
        assertEquals(0, add.rc(), add.err());
        // ovs-vsctl returned only after the switch applied the change (cur_cfg), so p3 is open now.
        Result ofport = run(concat(base, "get", "Interface", "p3", "ofport"), Map.of());
        assertEquals("3\n", ofport.out());
        Result vhost = run(concat(base, "add-port", "br0", "v1", "--", "set", "Interface", "v1", "type=dpdkvhostuser"), Map.of());
        assertEquals(0, vhost.rc());
        assertTrue(vhost.err().contains("ovs-vsctl: Error detected while setting up 'v1': could not open network device v1 "
                + "(Address family not supported by protocol)"), vhost.err());
        Result shown = jvswitch("shell", "vsctl:vsctl list-ports br0");
        assertEquals("p1\np2\np3\nv1\n", shown.out(), "the shell sees what ovs-vsctl did at once");
        Result del = run(concat(base, "del-port", "br0", "v1", "--", "del-port", "br0", "p3"), Map.of());
        assertEquals(0, del.rc(), del.err());
        Result bad = run(concat(base, "add-port", "br9", "p9"), Map.of());
        assertEquals(1, bad.rc());
        assertEquals("ovs-vsctl: no bridge named br9\n", bad.err());
        Result dbs = run(List.of("ovsdb-client", "list-dbs", "unix:" + var.resolve("run/db.sock")), Map.of());
        assertEquals("Open_vSwitch\n_Server\n", dbs.out());
    }

    private static List<String> concat(List<String> a, String... b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(List.of(b));
        return out;
    }

    @Test
    @Order(3)
    void shellExitsNonZeroWithOvsVsctlsErrorText() throws Exception {
        Result r = jvswitch("shell", "vsctl:vsctl del-port br0 nosuch");
        assertTrue(r.rc() != 0);
        assertTrue((r.out() + r.err()).contains("ovs-vsctl: no port named nosuch"), r.out() + r.err());
    }

    @Test
    @Order(4)
    void configurationSurvivesARestart() throws Exception {
        assertEquals(0, jvswitch("stop").rc());
        assertTrue(!Files.exists(var.resolve("run/ovs-vswitchd.pid")), "pid file removed at stop");
        Result r = jvswitch("start");
        assertEquals(0, r.rc(), r.out() + r.err());
        Result ports = jvswitch("shell", "vsctl:vsctl list-ports br0");
        assertEquals("p1\np2\n", ports.out());
        awaitShell("vsctl:vsctl get Interface p2 ofport", "2\n");
        assertTrue(Files.readString(var.resolve("log/jvswitch.log"), StandardCharsets.UTF_8).contains("added interface p2"));
    }

    @Test
    @Order(5)
    void removingADriverJarFromDeployDetachesItsPortsUntilItIsBack() throws Exception {
        Path jar = DIST.resolve("deploy/jvswitch-netdev-dummy.jar");
        Path aside = Files.createTempDirectory("aside").resolve("jvswitch-netdev-dummy.jar");
        awaitShell("vsctl:vsctl get Interface p1 ofport", "1\n");
        Files.move(jar, aside);
        try {
            awaitShell("vsctl:vsctl get Interface p1 ofport", "-1\n");
            Result err = jvswitch("shell", "vsctl:vsctl get Interface p1 error");
            assertTrue(err.out().startsWith("\"could not open network device p1 (Address family not supported by protocol)"),
                    err.out());
            assertTrue(err.out().contains("of unknown type dummy"), err.out());
        } finally {
            Files.move(aside, jar);
        }
        awaitShell("vsctl:vsctl get Interface p1 ofport", "1\n");
        awaitShell("vsctl:vsctl get Interface p1 error", "[]\n");
    }

    /** What a dummy port sends next, as tx-dump lines; waits for the main loop to forward it. */
    private static String awaitSent(String port) throws Exception {
        long deadline = System.currentTimeMillis() + 20_000;
        String out = "";
        while (out.isEmpty() && System.currentTimeMillis() < deadline) {
            out = appctl("netdev-dummy/tx-dump", port).out();
            Thread.sleep(20);
        }
        return out;
    }

    /** Runs a shell command until it prints {@code expected} (the bridge applies changes asynchronously). */
    private static void awaitShell(String line, String expected) throws Exception {
        long deadline = System.currentTimeMillis() + 20_000;
        Result r;
        do {
            r = jvswitch("shell", line);
            if (r.rc() == 0 && r.out().equals(expected)) {
                return;
            }
            Thread.sleep(200);
        } while (System.currentTimeMillis() < deadline);
        throw new AssertionError("'" + line + "' printed " + r.out() + r.err() + ", expected " + expected);
    }
}
