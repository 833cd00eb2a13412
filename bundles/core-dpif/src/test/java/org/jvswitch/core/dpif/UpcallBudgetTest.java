package org.jvswitch.core.dpif;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class UpcallBudgetTest {
    private static final long MS = 1_000_000;

    @Test
    void withoutTrafficToProtectUpcallsAreNeverRefused() {
        UpcallBudget b = new UpcallBudget();
        for (long t = 0; t < 100 * MS; t += MS) {
            assertTrue(b.allow(t), "flow setup alone runs at full speed");
            b.spent(10 * MS);
        }
    }

    @Test
    void whileInstalledFlowsForwardUpcallsGetHalfTheTime() {
        UpcallBudget b = new UpcallBudget();
        b.hit(0);
        assertTrue(b.allow(0));
        b.spent(UpcallBudget.BURST_NANOS + 2 * MS);   // a burst and then some, in one slow translation
        assertFalse(b.allow(1), "owed 2 ms: the miss is dropped");
        assertFalse(b.allow(3 * MS), "3 ms later half of it came back: still owed 0.5 ms");
        assertTrue(b.allow(5 * MS), "5 ms later: 0.5 ms of upcalls again");
        b.hit(5 * MS);
        b.spent(3 * MS);
        assertFalse(b.allow(7 * MS), "owed 2.5 ms, 1 ms refilled");
        assertTrue(b.allow(11 * MS));
        // Traffic to protect stopped 50 ms ago: no more charging.
        b.spent(100 * MS);
        assertTrue(b.allow(5 * MS + UpcallBudget.PROTECT_NANOS));
    }
}
