package org.jvswitch.core.dpif;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jvswitch.api.dpif.DpActions;
import org.jvswitch.api.flow.FlowKey;
import org.junit.jupiter.api.Test;

class DpclsTest {
    private static Megaflow flow(FlowKey key, FlowKey mask, int out) {
        FlowKey masked = new FlowKey();
        masked.setMasked(key, mask);
        return new Megaflow(masked, mask, DpActions.builder().output(out).build());
    }

    @Test
    void findsTheFlowWhoseMaskedKeyMatchesInAnySubtable() {
        Dpcls cls = new Dpcls();
        FlowKey dstMask = new FlowKey();
        dstMask.setDlDst(-1L);
        FlowKey srcMask = new FlowKey();
        srcMask.setDlSrc(-1L);
        FlowKey k1 = new FlowKey();
        k1.setDlDst(0x2);
        k1.setDlSrc(0x1);
        FlowKey k2 = new FlowKey();
        k2.setDlSrc(0x9);
        Megaflow f1 = flow(k1, dstMask, 1);
        Megaflow f2 = flow(k2, srcMask, 2);
        cls.insert(f1);
        cls.insert(f2);
        assertEquals(2, cls.subtableCount());
        long[] lookups = new long[1];
        FlowKey probe = new FlowKey();
        probe.setDlDst(0x2);
        probe.setDlSrc(0x77);
        assertSame(f1, cls.lookup(probe, lookups));
        probe.setDlDst(0x3);
        probe.setDlSrc(0x9);
        assertSame(f2, cls.lookup(probe, lookups));
        probe.setDlSrc(0x8);
        assertNull(cls.lookup(probe, lookups));
        assertTrue(cls.remove(f1));
        assertTrue(f1.dead);
        probe.setDlDst(0x2);
        assertNull(cls.lookup(probe, lookups));
        assertEquals(1, cls.subtableCount());
    }

    @Test
    void rankingPutsTheBusiestSubtableFirst() {
        Dpcls cls = new Dpcls();
        FlowKey hot = null;
        for (int i = 0; i < 10; i++) {
            FlowKey mask = new FlowKey();
            mask.w[3] = 1L << i;          // ten distinct masks
            FlowKey k = new FlowKey();
            k.w[3] = 1L << i;
            cls.insert(flow(k, mask, i));
            hot = k;
        }
        long[] lookups = new long[1];
        cls.lookup(hot, lookups);
        assertEquals(10, lookups[0], "the only matching subtable is searched last");
        FlowKey none = new FlowKey();
        none.w[3] = 1L << 40;
        lookups[0] = 0;
        cls.lookup(none, lookups);
        assertEquals(0, lookups[0], "misses are not counted, as in Open vSwitch");
        cls.rank();
        lookups[0] = 0;
        assertEquals("9", cls.lookup(hot, lookups).actions.toString());
        assertEquals(1, lookups[0], "after ranking it is searched first");
    }

    /**
     * Subtables are ranked per in_port, as Open vSwitch ranks each in_port's classifier: port 1's
     * packets hit the dl_src subtable, port 2's the dl_dst one, and after ranking each port finds
     * its flows in the first subtable it searches.
     */
    @Test
    void rankingIsPerInputPort() {
        Dpcls cls = new Dpcls();
        FlowKey dstMask = new FlowKey();
        dstMask.setInPort(-1);
        dstMask.setDlDst(-1L);
        FlowKey srcMask = new FlowKey();
        srcMask.setInPort(-1);
        srcMask.setDlSrc(-1L);
        for (int port = 1; port <= 2; port++) {
            FlowKey byDst = new FlowKey();
            byDst.setInPort(port);
            byDst.setDlDst(0x2);
            cls.insert(flow(byDst, dstMask, 10 + port));
            FlowKey bySrc = new FlowKey();
            bySrc.setInPort(port);
            bySrc.setDlSrc(0x9);
            cls.insert(flow(bySrc, srcMask, 20 + port));
        }
        FlowKey fromPort1 = new FlowKey();
        fromPort1.setInPort(1);
        fromPort1.setDlDst(0x3);
        fromPort1.setDlSrc(0x9);        // only port 1's dl_src flow
        FlowKey fromPort2 = new FlowKey();
        fromPort2.setInPort(2);
        fromPort2.setDlDst(0x2);
        fromPort2.setDlSrc(0x7);        // only port 2's dl_dst flow
        long[] lookups = new long[1];
        for (int i = 0; i < 5; i++) {
            assertEquals("21", cls.lookup(fromPort1, lookups).actions.toString());
            assertEquals("12", cls.lookup(fromPort2, lookups).actions.toString());
        }
        assertEquals(5 * 2 + 5 * 1, lookups[0], "before ranking both ports search dl_dst first");
        cls.rank();
        lookups[0] = 0;
        cls.lookup(fromPort1, lookups);
        assertEquals(1, lookups[0], "port 1 now searches the dl_src subtable first");
        lookups[0] = 0;
        cls.lookup(fromPort2, lookups);
        assertEquals(1, lookups[0], "port 2 still searches the dl_dst subtable first");
        // A port with no flow of its own uses the shared order.
        FlowKey fromPort3 = new FlowKey();
        fromPort3.setInPort(3);
        assertNull(cls.lookup(fromPort3, lookups));
        assertEquals(2, cls.order(3).length);
    }

    @Test
    void growsPastManyFlows() {
        Dpcls cls = new Dpcls();
        FlowKey mask = new FlowKey();
        mask.setDlDst(-1L);
        for (int i = 0; i < 5000; i++) {
            FlowKey k = new FlowKey();
            k.setDlDst(i);
            cls.insert(flow(k, mask, i));
        }
        long[] lookups = new long[1];
        for (int i = 0; i < 5000; i += 97) {
            FlowKey k = new FlowKey();
            k.setDlDst(i);
            assertEquals("" + i, cls.lookup(k, lookups).actions.toString());
        }
        assertEquals(5000, cls.flows().size());
        assertEquals(5000, cls.clear().size());
        assertEquals(0, cls.flows().size());
    }
}
