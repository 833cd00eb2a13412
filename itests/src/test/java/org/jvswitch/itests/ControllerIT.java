package org.jvswitch.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Real OpenFlow controllers drive the packaged switch: Open vSwitch's ovs-testcontroller (a
 * learning switch) and os-ken running a learning-switch application, each connected with
 * {@code ovs-vsctl set-controller}. Frames between two dummy ports are flooded while the
 * destination is unknown, then forwarded by the flows the controller installs; the Controller row
 * shows the connection. Each controller is started by the test and ended by its PID.
 */
class ControllerIT {
    private static final String A = "50:54:00:00:00:01";
    private static final String B = "50:54:00:00:00:02";
    private Dist dist;
    private Process controller;

    @BeforeEach
    void start() throws Exception {
        dist = Dist.withDummyBridge("jvswitch-ctl", 2);
    }

    @AfterEach
    void stop() throws Exception {
        try {
            if (controller != null) {
                controller.destroy();
                if (!controller.waitFor(5, TimeUnit.SECONDS)) {
                    controller.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            }
        } finally {
            dist.close();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return s.getLocalPort();
        }
    }

    /** Starts a controller with its control socket (ovs-testcontroller has one) in the test's run directory. */
    private Process launch(Path log, String... cmd) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().put("OVS_RUNDIR", dist.var.resolve("run").toString());
        return pb.start();
    }

    private static String udp(int inPort, String src, String dst) {
        return "in_port(" + inPort + "),eth(src=" + src + ",dst=" + dst + "),eth_type(0x0800),"
                + "ipv4(src=10.0.0." + inPort + ",dst=10.0.0.9,proto=17,tos=0,ttl=64,frag=no),udp(src=1000,dst=2000)";
    }

    /** Sends {@code flow} into {@code port} until {@code out} transmits a frame (the controller may still be starting). */
    private String deliver(String port, String flow, String out) throws Exception {
        long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline) {
            dist.ovs("ovs-appctl", "netdev-dummy/receive", port, flow);
            long until = System.currentTimeMillis() + 1000;
            while (System.currentTimeMillis() < until) {
                String sent = dist.ovs("ovs-appctl", "netdev-dummy/tx-dump", out);
                if (!sent.isEmpty()) {
                    return sent;
                }
                Thread.sleep(20);
            }
        }
        throw new AssertionError("nothing left " + out + "; switch log:\n" + dist.log());
    }

    /** The learning-switch exchange every controller must get right. */
    private void learnAndForward() throws Exception {
        // Unknown destination: the controller floods it out of p2 with a packet-out.
        String flooded = deliver("p1", udp(1, A, "ff:ff:ff:ff:ff:ff"), "p2");
        assertTrue(flooded.startsWith("ffffffffffff505400000001"), flooded);
        // B answers A: the controller knows A is on port 1, installs a flow and sends the frame there.
        String answer = deliver("p2", udp(2, B, A), "p1");
        assertTrue(answer.startsWith("505400000001505400000002"), answer);
        String flows = dist.await(out -> out.contains("dl_dst=50:54:00:00:00:01") && out.contains("actions=output:1"),
                "ovs-ofctl", "-O", "OpenFlow13", "dump-flows", "br0");
        assertTrue(flows.contains("in_port=2"), flows);
        // The next frame B -> A is forwarded by that flow in the datapath, without the controller.
        String again = deliver("p2", udp(2, B, A), "p1");
        assertTrue(again.startsWith("505400000001505400000002"), again);
        assertEquals("", dist.ovs("ovs-appctl", "netdev-dummy/tx-dump", "p2"), "nothing back out of p2");
        dist.await(out -> out.contains("is_connected        : true") && out.contains("state=ACTIVE"),
                "ovs-vsctl", "--columns=is_connected,role,status", "list", "Controller");
    }

    @Test
    void ovsTestcontrollerLearnsAndForwards() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/ovs-testcontroller")), "needs openvswitch-testcontroller (./dev test installs it)");
        int port = freePort();
        controller = launch(dist.var.resolve("testcontroller.log"), "ovs-testcontroller", "ptcp:" + port + ":127.0.0.1");
        dist.ovs("ovs-vsctl", "set-controller", "br0", "tcp:127.0.0.1:" + port);
        learnAndForward();
        // The controller goes away: the row says so, and the switch keeps trying.
        controller.destroy();
        assertTrue(controller.waitFor(5, TimeUnit.SECONDS));
        dist.await(out -> out.contains("is_connected        : false"),
                "ovs-vsctl", "--columns=is_connected,status", "list", "Controller");
        dist.ovs("ovs-vsctl", "del-controller", "br0");
    }

    @Test
    void osKenLearningSwitchLearnsAndForwards() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/osken-manager")), "needs python3-os-ken (./dev test installs it)");
        Path app = dist.var.resolve("learning_switch.py");
        try (var in = getClass().getResourceAsStream("/osken/learning_switch.py")) {
            Files.copy(in, app);
        }
        int port = freePort();
        controller = launch(dist.var.resolve("osken.log"), "osken-manager", "--ofp-listen-host", "127.0.0.1",
                "--ofp-tcp-listen-port", String.valueOf(port), app.toString());
        dist.ovs("ovs-vsctl", "set-controller", "br0", "tcp:127.0.0.1:" + port);
        learnAndForward();
        String role = dist.ovs("ovs-vsctl", "--columns=role", "list", "Controller");
        assertEquals("role                : other\n", role, "os-ken asked for no role: equal");
    }
}
