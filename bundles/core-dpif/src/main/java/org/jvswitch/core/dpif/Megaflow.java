package org.jvswitch.core.dpif;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

import org.jvswitch.api.dpif.DpActions;
import org.jvswitch.api.flow.FlowKey;

/**
 * A datapath flow: a masked key, its mask and the actions for every packet it covers (Open
 * vSwitch's {@code struct dp_netdev_flow}). Immutable but for the statistics and the dead flag,
 * so PMD threads can read it without locks. Once {@link #dead} is set (the flow was removed),
 * caches that still point at it treat it as a miss.
 */
final class Megaflow {
    private static final VarHandle PACKETS;
    private static final VarHandle BYTES;
    private static final VarHandle SHARED_PACKETS;
    private static final VarHandle SHARED_BYTES;
    private static final VarHandle FLAGS;
    private static final VarHandle USED;
    private static final VarHandle OWNER;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            PACKETS = l.findVarHandle(Megaflow.class, "packets", long.class);
            BYTES = l.findVarHandle(Megaflow.class, "bytes", long.class);
            SHARED_PACKETS = l.findVarHandle(Megaflow.class, "sharedPackets", long.class);
            SHARED_BYTES = l.findVarHandle(Megaflow.class, "sharedBytes", long.class);
            FLAGS = l.findVarHandle(Megaflow.class, "tcpFlags", int.class);
            USED = l.findVarHandle(Megaflow.class, "usedMillis", long.class);
            OWNER = l.findVarHandle(Megaflow.class, "owner", Thread.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final FlowKey key;   // already masked
    final FlowKey mask;
    final int[] words;   // the words the mask covers
    final int hash;      // the classifier's hash of the masked key
    final DpActions actions;
    final int[] program;
    final long created = System.currentTimeMillis();

    volatile boolean dead;
    /**
     * The thread that hit the flow first. Its hits are added with plain stores to
     * {@link #packets} and {@link #bytes}, of which it is the only writer; other threads add to
     * the shared counters atomically. A flow is nearly always hit by one polling thread (its
     * input queue's), so the usual batch pays no locked instruction: with one flow per packet,
     * two atomic adds per flow and batch were a sixth of the per-packet time. (Open vSwitch
     * keeps flows per PMD thread for the same reason.) The owner is never handed over (that
     * would lose counts): when a queue moves to another thread, its flows count atomically
     * until they are replaced.
     */
    private volatile Thread owner;
    private volatile long packets;
    private volatile long bytes;
    private volatile long sharedPackets;
    private volatile long sharedBytes;
    private volatile int tcpFlags;
    volatile long usedMillis;

    Megaflow(FlowKey maskedKey, FlowKey mask, DpActions actions) {
        this.key = maskedKey;
        this.mask = mask;
        this.words = mask.nonZeroWords();
        this.hash = FlowKey.hashMasked(maskedKey, mask, words);
        this.actions = actions;
        this.program = actions.program();
    }

    /** Adds one batch's worth of hits. Called by PMD threads, once per flow per batch. */
    void hit(int packetCount, long byteCount, long nowMillis, int flags) {
        Thread me = Thread.currentThread();
        Thread o = owner;
        if (o == me || (o == null && OWNER.compareAndSet(this, null, me))) {
            PACKETS.setOpaque(this, packets + packetCount);
            BYTES.setOpaque(this, bytes + byteCount);
        } else {
            SHARED_PACKETS.getAndAdd(this, (long) packetCount);
            SHARED_BYTES.getAndAdd(this, byteCount);
        }
        if ((tcpFlags | flags) != tcpFlags) {
            FLAGS.getAndBitwiseOr(this, flags);   // only when a new flag shows up
        }
        if (usedMillis != nowMillis) {
            USED.setOpaque(this, nowMillis);      // no fence: readers only need to see it eventually
        }
    }

    long packets() { return packets + sharedPackets; }
    long bytes() { return bytes + sharedBytes; }
    int tcpFlags() { return tcpFlags; }
}
