package org.jvswitch.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A flow table change re-decides only the datapath flows it affects, as Open vSwitch's
 * revalidators do: with the packaged switch, dummy ports and the real ovs-ofctl and ovs-appctl,
 * {@code dpctl/dump-flows} shows the megaflow of a changed rule gone (its next packet takes the
 * new path) while the megaflow of an untouched rule stays, with its counters.
 */
class RevalidationIT {
    private Dist dist;

    @BeforeEach
    void start() throws Exception {
        dist = Dist.withDummyBridge("jvswitch-reval", 3);
    }

    @AfterEach
    void stop() throws Exception {
        dist.close();
    }

    private static String udp(int odpIn) {
        return "in_port(" + odpIn + "),eth(src=50:54:00:00:00:01,dst=50:54:00:00:00:02),eth_type(0x0800),"
                + "ipv4(src=10.0.0.1,dst=10.0.0.9,proto=17,tos=0,ttl=64,frag=no),udp(src=1000,dst=2000)";
    }

    /** The datapath flow lines that match in_port({@code odp}). */
    private List<String> dpFlows(int odp) throws Exception {
        return Arrays.stream(dist.ovs("ovs-appctl", "dpctl/dump-flows").split("\n"))
                .filter(l -> l.contains("in_port(" + odp + ")")).toList();
    }

    /** The datapath port of interface {@code name}, from dpctl/show ("port 2: p1 (dummy)"). */
    private int odp(String name) throws Exception {
        for (String l : dist.ovs("ovs-appctl", "dpctl/show").split("\n")) {
            l = l.trim();
            if (l.startsWith("port ") && l.contains(": " + name + " ") || l.endsWith(": " + name)) {
                return Integer.parseInt(l.substring(5, l.indexOf(':')));
            }
        }
        throw new AssertionError("no datapath port for " + name + ":\n" + dist.ovs("ovs-appctl", "dpctl/show"));
    }

    @Test
    void aFlowChangeReDecidesOnlyTheMegaflowsItAffects() throws Exception {
        dist.ovs("ovs-ofctl", "add-flow", "br0", "in_port=1,actions=output:2");
        dist.ovs("ovs-ofctl", "add-flow", "br0", "in_port=3,actions=output:2");
        int p1 = odp("p1");
        int p2 = odp("p2");
        int p3 = odp("p3");
        dist.ovs("ovs-appctl", "netdev-dummy/receive", "p1", udp(p1));
        dist.ovs("ovs-appctl", "netdev-dummy/receive", "p3", udp(p3));
        dist.await(out -> out.contains("in_port(" + p1 + ")") && out.contains("in_port(" + p3 + ")"),
                "ovs-appctl", "dpctl/dump-flows");
        assertTrue(dpFlows(p1).get(0).endsWith("actions:" + p2), dpFlows(p1).toString());

        // The rule for p1 now sends to p3; the rule for p3 is untouched.
        dist.ovs("ovs-ofctl", "mod-flows", "br0", "in_port=1,actions=output:3");
        String after = dist.await(out -> !out.contains("in_port(" + p1 + ")"), "ovs-appctl", "dpctl/dump-flows");
        List<String> kept = dpFlows(p3);
        assertEquals(1, kept.size(), after);
        assertTrue(kept.get(0).contains("packets:1,"), "kept with its counters: " + kept);
        assertTrue(kept.get(0).endsWith("actions:" + p2), kept.toString());

        // The next packet from p1 takes the new path, through a new megaflow.
        dist.ovs("ovs-appctl", "netdev-dummy/receive", "p1", udp(p1));
        dist.await(out -> !out.isEmpty(), "ovs-appctl", "netdev-dummy/tx-dump", "p3");
        List<String> redone = dpFlows(p1);
        assertEquals(1, redone.size(), redone.toString());
        assertTrue(redone.get(0).endsWith("actions:" + p3), redone.toString());
        assertFalse(dpFlows(p3).isEmpty(), "still there");
    }
}
