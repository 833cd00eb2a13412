package org.jvswitch.core.dpif;

import org.jvswitch.api.packet.DpPacket;
import org.jvswitch.api.packet.DpPacketBatch;

/**
 * Packets a polling thread has decided to send, batched per output port and sent once per
 * received batch (Open vSwitch's per-PMD {@code tx_port} output batching). Owned by one thread.
 */
final class OutputBatches {
    private final PmdPerfStats stats;
    /** This thread's tx queue id (mod the port's queue count), dense over the running threads. */
    private int txqId;
    private DpPacketBatch[] byPort = new DpPacketBatch[0];
    private DpPort[] portOf = new DpPort[0];
    private int[] pending = new int[0];
    private long[] deadline = new long[0];
    private int nPending;
    private int threadCount = 1;

    OutputBatches(PmdPerfStats stats, int txqId) {
        this.stats = stats;
        this.txqId = txqId;
    }

    /** Resizes for a new port table; sends what is pending to the old ports first. */
    void reload(DpPort[] ports, int threads, int txqId) {
        flush();
        threadCount = threads;
        this.txqId = txqId;
        if (byPort.length < ports.length) {
            DpPacketBatch[] b = new DpPacketBatch[ports.length];
            System.arraycopy(byPort, 0, b, 0, byPort.length);
            for (int i = byPort.length; i < b.length; i++) {
                b[i] = new DpPacketBatch();
            }
            byPort = b;
            pending = new int[ports.length];
            deadline = new long[ports.length];
        }
        portOf = ports.clone();
    }

    /**
     * Queues {@code p} for {@code port}, which must be in the table given to {@link #reload}.
     * {@code flushAt} is when a batch started now must go out at the latest (tx-flush-interval).
     */
    void add(DpPort port, DpPacket p) {
        add(port, p, 0);
    }

    void add(DpPort port, DpPacket p, long flushAt) {
        int no = port.portNo;
        if (no >= byPort.length || portOf[no] != port) {
            p.free();     // a port newer than our table: cannot happen after reload; be safe
            return;
        }
        DpPacketBatch b = byPort[no];
        if (b.isEmpty()) {
            pending[nPending++] = no;
            deadline[no] = flushAt;
        } else if (b.isFull()) {
            send(port, b);
        }
        b.add(p);
    }

    /** {@link #add(DpPort, DpPacket, long)} for {@code n} packets of {@code pkts}, copied in runs. */
    void addAll(DpPort port, DpPacket[] pkts, int n, long flushAt) {
        int no = port.portNo;
        if (no >= byPort.length || portOf[no] != port) {
            for (int i = 0; i < n; i++) {
                pkts[i].free();
            }
            return;
        }
        DpPacketBatch b = byPort[no];
        int at = 0;
        while (at < n) {
            if (b.isEmpty()) {
                pending[nPending++] = no;
                deadline[no] = flushAt;
            } else if (b.isFull()) {
                send(port, b);   // still pending: it fills again right here
            }
            int k = Math.min(n - at, DpPacketBatch.MAX - b.count());
            b.addAll(pkts, at, k);
            at += k;
        }
    }

    void flush() {
        for (int i = 0; i < nPending; i++) {
            int no = pending[i];
            DpPacketBatch b = byPort[no];
            if (!b.isEmpty()) {
                send(portOf[no], b);
            }
        }
        nPending = 0;
    }

    /** Sends the batches whose deadline has passed (Open vSwitch's tx-flush-interval). */
    void flushDue(long now) {
        int kept = 0;
        for (int i = 0; i < nPending; i++) {
            int no = pending[i];
            DpPacketBatch b = byPort[no];
            if (b.isEmpty()) {
                continue;
            }
            if (deadline[no] <= now) {
                send(portOf[no], b);
            } else {
                pending[kept++] = no;
            }
        }
        nPending = kept;
    }

    boolean hasPending() {
        return nPending > 0;
    }

    private void send(DpPort port, DpPacketBatch b) {
        int n = b.count();
        // Open vSwitch's XPS: a queue of its own when the port has enough, else shared with locking.
        int txq = txqId % port.nTxq;
        port.netdev.send(txq, b, threadCount > port.nTxq);
        b.clear();
        stats.add(PmdPerfStats.SENT_PKTS, n);
        stats.add(PmdPerfStats.SENT_BATCHES, 1);
    }
}
