package org.jvswitch.netdev.dpdk;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Classic libpcap files (Ethernet link type), written and read by tests. */
final class Pcap {
    private Pcap() {
    }

    static void write(Path file, List<byte[]> frames) throws IOException {
        int size = 24;
        for (byte[] f : frames) {
            size += 16 + f.length;
        }
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(1);
        int sec = 1;
        for (byte[] f : frames) {
            b.putInt(sec++).putInt(0).putInt(f.length).putInt(f.length).put(f);
        }
        Files.write(file, b.array());
    }

    static List<byte[]> read(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        List<byte[]> out = new ArrayList<>();
        if (b.remaining() < 24) {
            return out;
        }
        int magic = b.getInt();
        if (magic != 0xa1b2c3d4 && magic != 0xa1b23c4d) {
            throw new IOException("not a pcap file: magic " + Integer.toHexString(magic));
        }
        b.position(24);
        while (b.remaining() >= 16) {
            b.getInt();
            b.getInt();
            int incl = b.getInt();
            b.getInt();
            if (b.remaining() < incl) {
                break;
            }
            byte[] f = new byte[incl];
            b.get(f);
            out.add(f);
        }
        return out;
    }

    /** An Ethernet/IPv4/UDP frame of {@code len} bytes, distinct per {@code n}. */
    static byte[] udp(int n, int len) {
        byte[] f = new byte[len];
        ByteBuffer b = ByteBuffer.wrap(f);
        b.put(new byte[] {0x50, 0x54, 0, 0, 0, 2}).put(new byte[] {0x50, 0x54, 0, 0, 0, 1}).putShort((short) 0x0800);
        b.put((byte) 0x45).put((byte) 0).putShort((short) (len - 14)).putShort((short) n).putShort((short) 0)
                .put((byte) 64).put((byte) 17).putShort((short) 0).putInt(0x0a000001).putInt(0x0a010000 + n);
        b.putShort((short) (1000 + n)).putShort((short) 2000).putShort((short) (len - 34)).putShort((short) 0);
        for (int i = 42; i < len; i++) {
            f[i] = (byte) (i * 7 + n);
        }
        return f;
    }

    /** {@code frame} with an 802.1Q tag inserted after the addresses. */
    static byte[] tagged(byte[] frame, int vid) {
        byte[] f = new byte[frame.length + 4];
        System.arraycopy(frame, 0, f, 0, 12);
        f[12] = (byte) 0x81;
        f[13] = 0;
        f[14] = (byte) (vid >> 8);
        f[15] = (byte) vid;
        System.arraycopy(frame, 12, f, 16, frame.length - 12);
        return f;
    }
}
