package org.jvswitch.bench;

import org.jvswitch.api.packet.DpPacket;
import org.jvswitch.api.packet.PacketBufferPool;

/**
 * Frames the benchmarks feed the datapath: minimum-size Ethernet frames with real headers, so the
 * key extraction walks the same path as on the wire. MACs are given in the low 48 bits.
 */
public final class BenchFrames {
    public static final long SRC_MAC = 0x505400000001L;
    public static final long DST_MAC = 0x505400000002L;

    private BenchFrames() {
    }

    /** Ethernet / IPv4 (no options) / TCP SYN, 64 bytes. */
    public static byte[] tcp4(long src, long dst) {
        byte[] f = new byte[64];
        int off = ethernet(f, src, dst, 0x0800);
        ipv4Tcp(f, off);
        return f;
    }

    /** Ethernet / 802.1Q (VID 100, PCP 3) / IPv4 / TCP, 68 bytes. */
    public static byte[] vlanTcp4(long src, long dst) {
        byte[] f = new byte[68];
        int off = ethernet(f, src, dst, 0x8100);
        u16(f, off - 2, 0x8100);
        u16(f, off, (3 << 13) | 100);
        u16(f, off + 2, 0x0800);
        ipv4Tcp(f, off + 4);
        return f;
    }

    /** Ethernet / IPv6 (no extension headers) / TCP, 86 bytes (74 of headers and 12 of payload). */
    public static byte[] tcp6(long src, long dst) {
        byte[] f = new byte[86];
        int off = ethernet(f, src, dst, 0x86dd);
        f[off] = 0x60;                       // version 6, traffic class 0, flow label 0
        u16(f, off + 4, 20 + 12);            // payload length
        f[off + 6] = 6;                      // next header: TCP
        f[off + 7] = 64;                     // hop limit
        f[off + 8] = 0x20; f[off + 9] = 0x01; f[off + 10] = 0x0d; f[off + 11] = (byte) 0xb8;   // 2001:db8::1
        f[off + 23] = 1;
        f[off + 24] = 0x20; f[off + 25] = 0x01; f[off + 26] = 0x0d; f[off + 27] = (byte) 0xb8; // 2001:db8::2
        f[off + 39] = 2;
        tcp(f, off + 40);
        return f;
    }

    /** Fills {@code p} (freshly allocated) with {@code frame}. */
    public static DpPacket packet(PacketBufferPool pool, byte[] frame) {
        DpPacket p = pool.alloc();
        p.copyFrom(frame, 0, frame.length);
        return p;
    }

    private static int ethernet(byte[] f, long src, long dst, int type) {
        for (int i = 0; i < 6; i++) {
            f[i] = (byte) (dst >>> (40 - 8 * i));
            f[6 + i] = (byte) (src >>> (40 - 8 * i));
        }
        u16(f, 12, type);
        return 14;
    }

    private static void ipv4Tcp(byte[] f, int off) {
        f[off] = 0x45;
        u16(f, off + 2, f.length - off);    // total length
        u16(f, off + 6, 0x4000);             // DF, not a fragment
        f[off + 8] = 64;                     // TTL
        f[off + 9] = 6;                      // TCP
        f[off + 12] = 10; f[off + 15] = 1;   // 10.0.0.1
        f[off + 16] = 10; f[off + 19] = 2;   // 10.0.0.2
        tcp(f, off + 20);
    }

    private static void tcp(byte[] f, int off) {
        u16(f, off, 40000);                  // source port
        u16(f, off + 2, 80);                 // destination port
        f[off + 12] = 0x50;                  // data offset 5
        f[off + 13] = 0x02;                  // SYN
    }

    private static void u16(byte[] f, int off, int v) {
        f[off] = (byte) (v >>> 8);
        f[off + 1] = (byte) v;
    }
}
