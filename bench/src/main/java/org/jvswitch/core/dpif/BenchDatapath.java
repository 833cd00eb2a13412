package org.jvswitch.core.dpif;

import java.util.Map;
import java.util.Set;

import org.jvswitch.api.flow.FlowKey;
import org.jvswitch.api.netdev.Netdev;
import org.jvswitch.api.registry.NetdevRegistry;
import org.jvswitch.api.registry.NetdevRegistryListener;
import org.jvswitch.bench.BenchFrames;
import org.jvswitch.api.packet.DpPacket;
import org.jvswitch.api.packet.PacketBufferPool;

/**
 * What the datapath benchmarks share: a datapath outside OSGi (its ports are given to a
 * {@link PacketProcessor} directly, so no datapath thread polls them; the benchmark thread plays
 * the PMD), and key helpers.
 */
final class BenchDatapath {
    /** The in_port bits the datapath adds to every megaflow mask. */
    static final long IN_PORT_MASK = 0xffffffff00000000L;

    private BenchDatapath() {
    }

    /** A datapath whose registry knows no netdev types (ports are never added through it). */
    static DpNetdev open(String name) {
        return new DpNetdev(name, new NetdevRegistry() {
            @Override public Set<String> types() { return Set.of(); }
            @Override public boolean isPmd(String type) { return false; }
            @Override public Netdev open(String n, String type, Map<String, String> options) {
                throw new UnsupportedOperationException();
            }
            @Override public void close(Netdev netdev) { }
            @Override public boolean isOpen(Netdev netdev) { return false; }
            @Override public void addListener(NetdevRegistryListener listener) { }
            @Override public void removeListener(NetdevRegistryListener listener) { }
        });
    }

    /** The key of a TCP/IPv4 frame from {@code srcMac} received on {@code inPort}. */
    static FlowKey tcpKey(long srcMac, int inPort) {
        try (PacketBufferPool pool = new PacketBufferPool("bench-key", 1, 2048 + PacketBufferPool.HEADROOM)) {
            DpPacket p = BenchFrames.packet(pool, BenchFrames.tcp4(srcMac, BenchFrames.DST_MAC));
            FlowKey k = new FlowKey();
            k.extract(p, inPort);
            p.free();
            return k;
        }
    }

    /** The megaflow {@code key & mask} (with in_port added to the mask, as the datapath does). */
    static Megaflow flow(FlowKey key, FlowKey mask, org.jvswitch.api.dpif.DpActions actions) {
        mask.w[0] |= IN_PORT_MASK;
        FlowKey masked = new FlowKey();
        masked.setMasked(key, mask);
        return new Megaflow(masked, mask, actions);
    }
}
