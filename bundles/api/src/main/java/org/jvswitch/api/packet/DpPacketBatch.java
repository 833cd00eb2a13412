package org.jvswitch.api.packet;

/**
 * Up to {@link #MAX} packets moved together from a receive queue through the datapath to a send
 * queue (Open vSwitch's {@code struct dp_packet_batch}, NETDEV_MAX_BURST). Batches are owned by one
 * thread and reused: {@link #clear()} drops the references, never frees packets.
 */
public final class DpPacketBatch {
    public static final int MAX = 32;

    private final DpPacket[] packets = new DpPacket[MAX];
    private int count;

    public int count() { return count; }
    public boolean isEmpty() { return count == 0; }
    public boolean isFull() { return count == MAX; }
    public DpPacket get(int i) { return packets[i]; }

    /** Adds a packet; the caller checks {@link #isFull()} first. */
    public void add(DpPacket p) {
        packets[count++] = p;
    }

    public void set(int i, DpPacket p) { packets[i] = p; }

    /**
     * Appends {@code n} packets of {@code from} starting at {@code at}; the caller checks there is
     * room ({@link #MAX} - {@link #count()}). One array copy instead of a store per packet: on the
     * per-packet path every reference store pays the collector's write barrier.
     */
    public void addAll(DpPacket[] from, int at, int n) {
        System.arraycopy(from, at, packets, count, n);
        count += n;
    }

    /**
     * The batch's own array (its first {@link #count()} slots are the packets), for a datapath
     * that runs actions on a whole batch in place. Slots past the count hold stale references.
     */
    public DpPacket[] packets() { return packets; }

    /**
     * Keeps only the first {@code n} packets (after compaction by a filter). Slots past the count
     * keep stale references: packet handles belong to pools and live as long as them, so nothing
     * is retained that would otherwise be freed.
     */
    public void truncate(int n) {
        count = n;
    }

    public void clear() {
        truncate(0);
    }

    /** Frees every packet in the batch and empties it, one call per run of packets from the same pool. */
    public void freeAll() {
        int i = 0;
        while (i < count) {
            PacketPool pool = packets[i].pool();
            int j = i + 1;
            while (j < count && packets[j].pool() == pool) {
                j++;
            }
            pool.freeBulk(packets, i, j - i);
            i = j;
        }
        truncate(0);
    }
}
