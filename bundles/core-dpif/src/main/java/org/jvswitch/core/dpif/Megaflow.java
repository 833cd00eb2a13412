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
    private static final VarHandle FLAGS;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            PACKETS = l.findVarHandle(Megaflow.class, "packets", long.class);
            BYTES = l.findVarHandle(Megaflow.class, "bytes", long.class);
            FLAGS = l.findVarHandle(Megaflow.class, "tcpFlags", int.class);
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
    private volatile long packets;
    private volatile long bytes;
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
        PACKETS.getAndAdd(this, (long) packetCount);
        BYTES.getAndAdd(this, byteCount);
        if ((tcpFlags | flags) != tcpFlags) {
            FLAGS.getAndBitwiseOr(this, flags);   // only when a new flag shows up
        }
        if (usedMillis != nowMillis) {
            usedMillis = nowMillis;
        }
    }

    long packets() { return packets; }
    long bytes() { return bytes; }
    int tcpFlags() { return tcpFlags; }
}
