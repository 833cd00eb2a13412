package org.jvswitch.core.dpif;

import java.util.concurrent.locks.LockSupport;

import org.jvswitch.api.packet.DpPacketBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A polling thread (Open vSwitch's {@code dp_netdev_pmd_thread}). A PMD thread is pinned to a core
 * and busy-polls its receive queues; the one non-PMD thread (the "main thread" of
 * {@code pmd-stats-show}) polls the queues of ports that signal readiness and sleeps otherwise.
 *
 * <p>Reconfiguration never stops the thread: the datapath publishes a new poll list or port table
 * and waits until the thread has passed a quiescent point (the end of a loop iteration, counted
 * in {@link #seq}), after which the thread no longer uses anything the old lists held.
 */
final class PmdThread implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(PmdThread.class);
    static final int NON_PMD_CORE = -1;
    /** Idle iterations of a polling thread between clock reads (a few tens of microseconds). */
    private static final int IDLE_STREAK = 1024;

    final int coreId;
    final PacketProcessor processor;
    private final DpNetdev dp;
    private final DpPacketBatch batch = new DpPacketBatch();
    private final Thread thread;

    volatile RxqPoll[] polls = new RxqPoll[0];
    private volatile DpPort[] portTable = new DpPort[0];
    private volatile int threadCount = 1;
    private volatile int txqId;
    private volatile boolean exit;
    /** Incremented at every quiescent point. */
    volatile long seq;
    /** True while the non-PMD thread sleeps waiting for work (it is quiescent then). */
    private volatile boolean sleeping;

    PmdThread(DpNetdev dp, int coreId, int threadIndex) {
        this.dp = dp;
        this.coreId = coreId;
        this.processor = new PacketProcessor(dp, threadIndex);
        String name = coreId == NON_PMD_CORE ? "dp-main" : "pmd-c" + String.format("%02d", coreId) + "/id:" + threadIndex;
        this.thread = new Thread(this, name);
        this.thread.setDaemon(true);
    }

    boolean isPmd() {
        return coreId != NON_PMD_CORE;
    }

    String name() {
        return thread.getName();
    }

    void start() {
        thread.start();
    }

    /** Publishes a new poll list and port table; the thread picks them up at its next iteration. */
    void update(RxqPoll[] newPolls, DpPort[] ports, int threads, int txq) {
        this.txqId = txq;
        this.threadCount = threads;
        this.portTable = ports;
        this.polls = newPolls;
        wake();
    }

    void wake() {
        LockSupport.unpark(thread);
    }

    /** Waits until the thread has passed a quiescent point after this call (or has ended). */
    void waitQuiesce() {
        long target = seq + 2;
        long start = System.nanoTime();
        boolean warned = false;
        while (seq < target && thread.isAlive() && !(sleeping && seq >= target - 1)) {
            wake();
            LockSupport.parkNanos(20_000);
            if (!warned && System.nanoTime() - start > 1_000_000_000L) {
                LOG.warn("waiting for {} to quiesce", name());
                dp.quiesceWaits.incrementAndGet();
                warned = true;
            }
        }
    }

    /** Ends the thread after its current iteration and waits for it. */
    void stop() {
        exit = true;
        wake();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.error("{} did not stop within 10 s", name());
        }
    }

    boolean isAlive() {
        return thread.isAlive();
    }

    @Override
    public void run() {
        if (isPmd()) {
            CpuAffinity.pinCurrentThread(coreId);
        }
        LOG.info("{} created{}", name(), isPmd() ? " on core " + coreId : "");
        DpPort[] loaded = null;
        int loadedThreads = 0;
        int loadedTxq = -1;
        long idleSleepNanos = 0;
        long lastRank = System.nanoTime();
        long now = lastRank;
        int idleStreak = 0;
        int[] counts = new int[0];
        try {
            while (!exit) {
                DpPort[] ports = portTable;
                int threads = threadCount;
                int txq = txqId;
                if (ports != loaded || threads != loadedThreads || txq != loadedTxq) {
                    processor.reload(ports, threads, txq);
                    loaded = ports;
                    loadedThreads = threads;
                    loadedTxq = txq;
                }
                RxqPoll[] list = polls;
                if (counts.length < list.length) {
                    counts = new int[list.length];
                }
                // One clock read per busy iteration: the iteration's time is shared among the
                // queues that had packets, in proportion to their packets (measuring each queue
                // would cost a clock read per busy queue). Idle iterations of a polling thread
                // read no clock (a read costs 24 ns here, a fifth of an empty poll of two vhost
                // queues): their time is counted when the streak ends, at the first packets or
                // after IDLE_STREAK of them.
                long t0 = now;
                int got = 0;
                processor.setClock(now);
                PmdPerfStats st = processor.stats;
                st.metrics = dp.pmdPerfMetrics;
                long upcallsBefore = st.metrics ? st.total(PmdPerfStats.MISS) : 0;
                for (int i = 0; i < list.length; i++) {
                    RxqPoll poll = list[i];
                    int n = poll.rxq.recv(batch);
                    counts[i] = n;
                    if (n > 0) {
                        if (idleStreak > 0) {
                            // The streak ends here: its time is idle, what follows is busy.
                            long tb = System.nanoTime();
                            st.add(PmdPerfStats.CYCLES_IDLE, tb - t0);
                            idleStreak = 0;
                            t0 = tb;
                            processor.setClock(tb);
                        }
                        st.add(PmdPerfStats.RX_BATCHES, 1);
                        if (st.metrics) {
                            st.pktsPerBatch.add(n);
                        }
                        processor.input(batch, poll.port.portNo);
                        processor.flush();
                        got += n;
                    }
                }
                if (processor.output.hasPending()) {
                    processor.flush();   // batches held back by tx-flush-interval
                }
                if (got == 0 && isPmd() && !st.metrics && idleStreak < IDLE_STREAK
                        && dp.pmdMaxSleepMicros <= 0 && !processor.output.hasPending()) {
                    idleStreak++;
                    st.add(PmdPerfStats.IDLE_ITERS, 1);
                    seq++;
                    continue;
                }
                now = System.nanoTime();
                long t1 = now;
                idleStreak = 0;   // t0 is still the streak's start: its time is counted below
                if (got > 0) {
                    long spent = t1 - t0;
                    for (int i = 0; i < list.length; i++) {
                        if (counts[i] > 0) {
                            list[i].busyNanos += spent * counts[i] / got;
                        }
                    }
                }
                st.add(got > 0 ? PmdPerfStats.CYCLES_BUSY : PmdPerfStats.CYCLES_IDLE, t1 - t0);
                st.add(got > 0 ? PmdPerfStats.BUSY_ITERS : PmdPerfStats.IDLE_ITERS, 1);
                // Open vSwitch's pmd_perf_end_iteration fills these always; they are shown only
                // with pmd-perf-metrics, so they cost nothing here without it.
                if (st.metrics) {
                    st.cyclesPerIt.add(t1 - t0);
                    st.pktsPerIt.add(got);
                    if (got > 0) {
                        st.cyclesPerPkt.add((t1 - t0) / got);
                    }
                    st.upcallsPerIt.add(st.total(PmdPerfStats.MISS) - upcallsBefore);
                }
                seq++;
                if (!isPmd() && t1 - lastRank > 1_000_000_000L) {
                    dp.dpcls.rank();   // the main thread ranks the shared classifier's subtables
                    lastRank = t1;
                }
                if (got == 0) {
                    idleSleepNanos = idle(idleSleepNanos);
                    if (idleSleepNanos != 0 || !isPmd()) {
                        now = System.nanoTime();   // the sleep is not the next iteration's work
                    }
                } else {
                    idleSleepNanos = 0;
                }
            }
        } catch (RuntimeException | Error e) {
            LOG.error("{} died", name(), e);
        } finally {
            batch.freeAll();
            // Per-thread resources netdevs gave this thread (DPDK lcore ids) go back now.
            org.jvswitch.api.netdev.PollThreadExit.runAll();
            seq++;
            LOG.info("{} exits", name());
        }
    }

    /** Sleeping policy when a loop iteration found nothing; returns the next sleep length. */
    private long idle(long lastSleep) {
        if (!isPmd()) {
            processor.output.flush();   // never sleep on packets held back by tx-flush-interval
            sleeping = true;
            seq++;
            if (!exit) {
                LockSupport.parkNanos(100_000_000L);
            }
            sleeping = false;
            return 0;
        }
        long max = dp.pmdMaxSleepMicros * 1000L;
        if (max <= 0) {
            return 0;
        }
        // As Open vSwitch's pmd-maxsleep: back off in steps while idle, up to the configured cap.
        long next = Math.min(max, lastSleep == 0 ? 1_000 : lastSleep * 2);
        long s0 = System.nanoTime();
        LockSupport.parkNanos(next);
        processor.stats.add(PmdPerfStats.SLEEP_ITERS, 1);
        processor.stats.add(PmdPerfStats.CYCLES_SLEEP, System.nanoTime() - s0);
        return next;
    }
}
