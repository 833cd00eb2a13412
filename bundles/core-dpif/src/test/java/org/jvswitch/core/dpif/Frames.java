package org.jvswitch.core.dpif;

/** Test frames. */
final class Frames {
    private Frames() {
    }

    /** A 64-byte Ethernet/IPv4/UDP frame from {@code src} to {@code dst} (MACs in the low 48 bits). */
    static byte[] udp(long src, long dst, int sport) {
        byte[] f = new byte[64];
        for (int i = 0; i < 6; i++) {
            f[i] = (byte) (dst >>> (40 - 8 * i));
            f[6 + i] = (byte) (src >>> (40 - 8 * i));
        }
        f[12] = 0x08;
        f[14] = 0x45;
        f[16] = 0;
        f[17] = 50;
        f[22] = 64;
        f[23] = 17;
        f[26] = 10; f[29] = 1;
        f[30] = 10; f[33] = 2;
        f[34] = (byte) (sport >>> 8);
        f[35] = (byte) sport;
        f[37] = 53;
        return f;
    }
}
