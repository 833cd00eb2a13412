package org.jvswitch.netdev.dummy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

import org.jvswitch.api.packet.DpPacket;
import org.jvswitch.api.packet.DpPacketBatch;
import org.jvswitch.api.packet.PacketBufferPool;

/**
 * A receive queue that produces traffic as fast as it is polled, for benchmarks of the packaged
 * switch (Open vSwitch's tests use netdev-dummy's pcap input for the same purpose): every poll
 * fills the batch with copies of a 64-byte UDP/IPv4 frame whose source IP address cycles through
 * {@code flows} values, so the traffic is 1, 1,000 or 100,000 flows for the caches. Nothing is
 * allocated per packet.
 */
final class PacketGenerator {
    private static final ValueLayout.OfInt BE32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final int SRC_IP_OFFSET = 26;

    private final PacketBufferPool pool;
    private final MemorySegment template;
    private final int length;
    private final int flows;
    private final int baseIp;
    private int next;
    private long generated;

    PacketGenerator(PacketBufferPool pool, byte[] frame, int flows) {
        this.pool = pool;
        this.length = frame.length;
        this.flows = flows;
        this.template = Arena.ofAuto().allocate(frame.length);
        MemorySegment.copy(frame, 0, template, ValueLayout.JAVA_BYTE, 0, frame.length);
        this.baseIp = template.get(BE32, SRC_IP_OFFSET);
    }

    /** Fills the batch; called by the one thread polling the queue. */
    int fill(DpPacketBatch batch) {
        int start = batch.count();
        pool.allocBulk(batch, DpPacketBatch.MAX);
        for (int i = start; i < batch.count(); i++) {
            DpPacket p = batch.get(i);
            p.copyFrom(template, 0, length);
            p.setI32(SRC_IP_OFFSET, baseIp + next);
            if (++next == flows) {
                next = 0;
            }
        }
        int n = batch.count() - start;
        generated += n;
        return n;
    }

    long generated() {
        return generated;
    }
}
