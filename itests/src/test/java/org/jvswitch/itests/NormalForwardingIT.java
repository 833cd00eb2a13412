package org.jvswitch.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/** The bridge's NORMAL forwarding through the real datapath, as a learning switch. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class NormalForwardingIT extends JvswitchTestSupport {
    private static final String A = "50:54:00:00:00:0a";
    private static final String B = "50:54:00:00:00:0b";

    @Configuration
    public Option[] config() {
        return distribution(true);
    }

    private final java.util.Map<String, Integer> totals = new java.util.HashMap<>();

    /** Packets {@code port} sent since the last {@link #reset()} (tx-dump forgets what it printed). */
    private int sent(String port) {
        try {
            String dump = appctl("netdev-dummy/tx-dump", port);
            totals.merge(port, dump.isEmpty() ? 0 : (int) dump.lines().count(), Integer::sum);
            return totals.get(port);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private void reset() {
        for (String p : new String[] {"p1", "p2", "p3"}) {
            sent(p);
        }
        totals.clear();
    }

    @Test
    public void floodsUntilLearnedThenUnicastsWithoutHairpin() throws Exception {
        vsctl("add-br", "br0", "--", "set", "bridge", "br0", "datapath_type=netdev");
        for (String p : new String[] {"p1", "p2", "p3"}) {
            vsctl("add-port", "br0", p, "--", "set", "Interface", p, "type=dummy");
        }
        await(() -> ofport("p3") >= 1, "ports up");

        appctl("netdev-dummy/receive", "p1", frame(A, B));           // B unknown: flooded
        await(() -> fdb().contains(A) && sent("p2") == 1 && sent("p3") == 1, "A learned, B unknown: flooded to p2 and p3");
        reset();
        appctl("netdev-dummy/receive", "p2", frame(B, A));           // A known: only to p1
        await(() -> fdb().contains(B) && sent("p1") == 1, "B learned, B->A unicast to p1");
        assertEquals(0, sent("p3"));
        assertEquals(0, sent("p2"));

        // The flow that flooded A->B is re-decided once B is learned: soon A->B reaches only p2.
        long deadline = System.currentTimeMillis() + 10_000;
        boolean unicast = false;
        while (!unicast && System.currentTimeMillis() < deadline) {
            reset();
            appctl("netdev-dummy/receive", "p1", frame(A, B));
            Thread.sleep(100);
            unicast = sent("p2") == 1 && sent("p3") == 0;
        }
        assertTrue("A->B unicast to p2 after B was learned", unicast);
        assertEquals("no hairpin: nothing from p1 back to p1", 0, sent("p1"));
        String fdb = fdb();
        assertTrue(fdb, fdb.matches("(?s).*\\n +1 +0  " + A + " +[0-9]+\\n.*"));
        assertTrue(fdb, fdb.matches("(?s).*\\n +2 +0  " + B + " +[0-9]+\\n.*"));
    }

    private String fdb() {
        try {
            return appctl("fdb/show", "br0");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
