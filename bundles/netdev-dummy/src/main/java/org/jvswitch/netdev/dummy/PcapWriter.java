package org.jvswitch.netdev.dummy;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.jvswitch.api.packet.DpPacket;

/**
 * Appends packets to a pcap file (options {@code pcap}, {@code rxq_pcap}, {@code tx_pcap} of
 * Open vSwitch's dummy ports), readable by tcpdump and Wireshark. A test facility: the write
 * happens on the thread that received or sent the packet, under a lock, with a reused buffer.
 */
final class PcapWriter implements AutoCloseable {
    private static final int SNAPLEN = 65535;

    private final Path path;
    private final FileChannel channel;
    private final ByteBuffer buf = ByteBuffer.allocateDirect(16 + SNAPLEN).order(ByteOrder.nativeOrder());
    private final MemorySegment bufSegment = MemorySegment.ofBuffer(buf);

    PcapWriter(Path path) throws IOException {
        this.path = path;
        this.channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        if (channel.size() == 0) {
            ByteBuffer header = ByteBuffer.allocate(24).order(ByteOrder.nativeOrder());
            header.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0)
                  .putInt(SNAPLEN).putInt(1).flip();   // linktype 1: Ethernet
            channel.write(header);
        }
    }

    Path path() {
        return path;
    }

    synchronized void write(DpPacket p) {
        int len = Math.min(p.length(), SNAPLEN);
        long now = System.currentTimeMillis();
        buf.clear();
        buf.putInt((int) (now / 1000)).putInt((int) (now % 1000) * 1000).putInt(len).putInt(p.length());
        MemorySegment.copy(p.region(), p.dataAddress(), bufSegment, 16, len);
        buf.position(16 + len).flip();
        try {
            while (buf.hasRemaining()) {
                channel.write(buf);
            }
        } catch (IOException e) {
            // A capture file that cannot be written must not stop the port.
        }
    }

    @Override
    public synchronized void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing a capture file
        }
    }
}
