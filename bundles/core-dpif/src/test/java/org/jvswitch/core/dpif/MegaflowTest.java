package org.jvswitch.core.dpif;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.CyclicBarrier;

import org.jvswitch.api.dpif.DpActions;
import org.jvswitch.api.flow.FlowKey;
import org.junit.jupiter.api.Test;

class MegaflowTest {
    /**
     * The first thread to hit a flow counts with plain stores, the others atomically: hits from
     * several threads at once, and from threads that come after the first has gone, all count.
     */
    @Test
    void hitsFromSeveralThreadsAtOnceAreAllCounted() throws Exception {
        FlowKey mask = new FlowKey();
        mask.setInPort(-1);
        FlowKey key = new FlowKey();
        key.setInPort(1);
        Megaflow f = new Megaflow(key, mask, DpActions.builder().output(2).build());
        int threads = 3;
        int rounds = 200_000;
        CyclicBarrier start = new CyclicBarrier(threads);
        Thread[] ts = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            int flag = 1 << t;
            ts[t] = new Thread(() -> {
                try {
                    start.await();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                for (int i = 0; i < rounds; i++) {
                    f.hit(2, 128, i, i == 0 ? flag : 0);
                }
            });
            ts[t].start();
        }
        for (Thread t : ts) {
            t.join();
        }
        assertEquals(2L * threads * rounds, f.packets());
        assertEquals(128L * threads * rounds, f.bytes());
        assertEquals(0b111, f.tcpFlags());
        assertEquals(rounds - 1, f.usedMillis);

        // The first thread is gone: a later one still counts (atomically).
        Thread late = new Thread(() -> f.hit(5, 300, 1_000_000, 0));
        late.start();
        late.join();
        f.hit(1, 60, 1_000_001, 0);
        assertEquals(2L * threads * rounds + 6, f.packets());
        assertEquals(128L * threads * rounds + 360, f.bytes());
        assertEquals(1_000_001, f.usedMillis);
    }
}
