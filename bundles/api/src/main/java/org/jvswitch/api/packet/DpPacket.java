package org.jvswitch.api.packet;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * A packet: a view over a buffer in native memory, with headroom in front of the data so that
 * headers can be pushed without a copy (Open vSwitch's {@code struct dp_packet}).
 *
 * <p>The handle is reused: a pool owns a fixed set of handles and rebinds them to buffers, so the
 * hot path never allocates. The buffer is addressed as an offset into a larger region (the pool's
 * whole memory), which keeps rebinding free of allocation and every access bounds-checked against
 * the region. Multi-byte accessors use network byte order.
 *
 * <p>Thread-safety: none. A packet has exactly one owner at a time; ownership moves with the batch
 * (a netdev's {@code recv} hands it to the datapath, {@code send} hands it back to the netdev).
 */
public final class DpPacket {
    private static final ValueLayout.OfShort BE16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt BE32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfLong BE64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    /**
     * All of native memory, for the header reads on the hot path: a constant segment lets the
     * JIT drop the per-access scope checks that a field-held segment costs (a third of the
     * per-packet time in a DPDK profile). The packet's own bounds are still checked; the buffer
     * outlives the packet because pools free their memory only once every buffer is back.
     */
    private static final MemorySegment NATIVE = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);

    private MemorySegment region;
    private long base;
    /** Native address of the buffer ({@code region.address() + base}). */
    private long address;
    private int capacity;
    private int dataOff;
    private int length;
    private PacketPool pool;
    private long cookie;
    private int rssHash;
    private boolean rssHashValid;
    /** Datapath metadata: the datapath port the packet came in on. */
    public int inPort;
    /** Datapath metadata: recirculation id (0 on first pass). */
    public int recircId;
    /** Datapath metadata: packet mark (skb_mark). */
    public int mark;
    /** Offset of the L3 header in the data, or -1 (set by flow extraction, kept by VLAN push/pop). */
    public int l3Ofs = -1;
    /** Offset of the L4 header in the data, or -1 if none was parsed (a later fragment, a truncated header). */
    public int l4Ofs = -1;
    /** IP protocol of the header at {@link #l4Ofs} (6, 17, 132, 1, 58), valid when l4Ofs ≥ 0. */
    public int l4Proto;

    /**
     * Binds this handle to a buffer. Called by pools only.
     *
     * @param region   memory containing the buffer
     * @param base     offset of the buffer in {@code region}
     * @param capacity size of the buffer in bytes
     * @param headroom offset of the first data byte from {@code base}
     * @param pool     where {@link #free()} returns the buffer
     * @param cookie   the pool's own reference to the buffer (an index, an mbuf address)
     */
    public void bind(MemorySegment region, long base, int capacity, int headroom, PacketPool pool, long cookie) {
        if (!region.isNative()) {
            throw new IllegalArgumentException("packet buffers live in native memory");
        }
        this.region = region;
        this.base = base;
        this.address = region.address() + base;
        this.capacity = capacity;
        this.dataOff = headroom;
        this.length = 0;
        this.pool = pool;
        this.cookie = cookie;
        this.rssHashValid = false;
        this.inPort = 0;
        this.recircId = 0;
        this.mark = 0;
        this.l3Ofs = -1;
        this.l4Ofs = -1;
    }

    /**
     * Makes a bound handle ready for a new packet in the same buffer: data at {@code headroom},
     * length 0, metadata cleared. Called by pools on every allocation (cheaper than
     * {@link #bind}).
     */
    public void reset(int headroom) {
        this.dataOff = headroom;
        this.length = 0;
        this.rssHashValid = false;
        this.inPort = 0;
        this.recircId = 0;
        this.mark = 0;
        this.l3Ofs = -1;
        this.l4Ofs = -1;
    }

    /** Gives the buffer back to its pool; the handle must not be used afterwards. */
    public void free() {
        pool.free(this);
    }

    public MemorySegment region() { return region; }
    /** Offset in {@link #region()} of the first data byte. */
    public long dataAddress() { return base + dataOff; }
    public long cookie() { return cookie; }
    public PacketPool pool() { return pool; }
    public int length() { return length; }
    public int headroom() { return dataOff; }
    public int tailroom() { return capacity - dataOff - length; }
    public int capacity() { return capacity; }

    public void setLength(int length) {
        if (length < 0 || dataOff + length > capacity) {
            throw new IndexOutOfBoundsException("length " + length + " does not fit buffer of " + capacity);
        }
        this.length = length;
    }

    /** Opens {@code n} bytes in front of the data (for a pushed header); false if no headroom. */
    public boolean pushHead(int n) {
        if (n > dataOff) {
            return false;
        }
        dataOff -= n;
        length += n;
        return true;
    }

    /** Drops {@code n} bytes from the front of the data (for a popped header). */
    public void pullHead(int n) {
        if (n > length) {
            throw new IndexOutOfBoundsException("pull " + n + " of " + length);
        }
        dataOff += n;
        length -= n;
    }

    public int rssHash() { return rssHash; }
    public boolean rssHashValid() { return rssHashValid; }
    public void setRssHash(int hash) { rssHash = hash; rssHashValid = true; }

    private long at(int off, int size) {
        if (off < 0 || off + size > length) {
            throw new IndexOutOfBoundsException("offset " + off + "+" + size + " beyond packet of " + length);
        }
        return base + dataOff + off;
    }

    /** Native address of the byte at {@code off}, after checking {@code size} bytes are in the packet. */
    private long abs(int off, int size) {
        if (off < 0 || off + size > length) {
            throw new IndexOutOfBoundsException("offset " + off + "+" + size + " beyond packet of " + length);
        }
        return address + dataOff + off;
    }

    public int getU8(int off) { return NATIVE.get(ValueLayout.JAVA_BYTE, abs(off, 1)) & 0xff; }
    public int getU16(int off) { return NATIVE.get(BE16, abs(off, 2)) & 0xffff; }
    public int getI32(int off) { return NATIVE.get(BE32, abs(off, 4)); }
    /** Eight bytes at {@code off} in network byte order (several header fields in one load). */
    public long getI64(int off) { return NATIVE.get(BE64, abs(off, 8)); }
    /** Reads a 48-bit MAC address at {@code off} into the low bits of a long. */
    public long getMac(int off) {
        if (off >= 0 && off + 8 <= length) {
            // One 8-byte load instead of two (both Ethernet addresses are followed by 2+ bytes).
            return NATIVE.get(BE64, address + dataOff + off) >>> 16;
        }
        long a = abs(off, 6);
        return ((long) (NATIVE.get(BE16, a) & 0xffff) << 32) | (NATIVE.get(BE32, a + 2) & 0xffffffffL);
    }
    public void setU8(int off, int v) { region.set(ValueLayout.JAVA_BYTE, at(off, 1), (byte) v); }
    public void setU16(int off, int v) { region.set(BE16, at(off, 2), (short) v); }
    public void setI32(int off, int v) { region.set(BE32, at(off, 4), v); }
    public void setMac(int off, long mac) {
        long a = at(off, 6);
        region.set(BE16, a, (short) (mac >>> 32));
        region.set(BE32, a + 2, (int) mac);
    }

    /** Moves {@code n} bytes inside the packet, like memmove (for VLAN push/pop). */
    public void move(int from, int to, int n) {
        MemorySegment.copy(region, at(from, n), region, at(to, n), n);
    }

    /** Replaces the data with {@code bytes}. Control path (tests, packet-out): copies. */
    public void copyFrom(byte[] bytes, int off, int len) {
        setLength(len);
        MemorySegment.copy(bytes, off, region, ValueLayout.JAVA_BYTE, base + dataOff, len);
    }

    /** Replaces the data with {@code len} bytes of {@code src} from {@code srcOff} (no allocation). */
    public void copyFrom(MemorySegment src, long srcOff, int len) {
        setLength(len);
        MemorySegment.copy(src, srcOff, region, base + dataOff, len);
    }

    /** Copies the data out into a new array. Control path only: allocates. */
    public byte[] toByteArray() {
        byte[] out = new byte[length];
        MemorySegment.copy(region, ValueLayout.JAVA_BYTE, base + dataOff, out, 0, length);
        return out;
    }

    /** Copies this packet's data into {@code dst} (which must have room); keeps dst's headroom. */
    public void copyTo(DpPacket dst) {
        dst.setLength(length);
        MemorySegment.copy(region, base + dataOff, dst.region, dst.base + dst.dataOff, length);
        dst.inPort = inPort;
        dst.recircId = recircId;
        dst.mark = mark;
        dst.l3Ofs = l3Ofs;
        dst.l4Ofs = l4Ofs;
        dst.l4Proto = l4Proto;
    }
}
