package org.jvswitch.api.netdev;

import java.util.ArrayList;
import java.util.List;

/**
 * What a polling thread must give back when it ends. A netdev that hands the calling thread a
 * per-thread resource from its rx or tx path (DPDK's lcore id, which are few) registers its
 * release here, on that thread; the datapath's polling threads run the releases as they exit.
 * Thread-confined: every method acts on the calling thread only.
 */
public final class PollThreadExit {
    private static final ThreadLocal<List<Runnable>> RELEASES = new ThreadLocal<>();

    private PollThreadExit() {
    }

    /** Called by a netdev on a polling thread: {@code release} runs on this thread when it ends. */
    public static void onExit(Runnable release) {
        List<Runnable> l = RELEASES.get();
        if (l == null) {
            l = new ArrayList<>(1);
            RELEASES.set(l);
        }
        l.add(release);
    }

    /**
     * Called by a polling thread as it ends: runs its releases, latest first, each once; a failing
     * one does not keep the others from running.
     */
    public static void runAll() {
        List<Runnable> l = RELEASES.get();
        RELEASES.remove();
        if (l == null) {
            return;
        }
        for (int i = l.size() - 1; i >= 0; i--) {
            try {
                l.get(i).run();
            } catch (RuntimeException e) {
                // the thread is ending anyway; the others still run
            }
        }
    }
}
