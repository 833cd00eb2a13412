package org.jvswitch.core.registry;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.jvswitch.api.netdev.Netdev;
import org.jvswitch.api.netdev.NetdevProvider;
import org.jvswitch.api.netdev.NetdevStats;
import org.jvswitch.api.netdev.Rxq;
import org.jvswitch.api.packet.DpPacketBatch;
import org.osgi.service.component.annotations.Component;

/**
 * The bridge's own port, type "internal", when no bundle offers a kernel-backed one: a port with
 * no device behind it. What the bridge sends to it is counted and dropped; it never receives.
 * A kernel provider (netdev-linux's tap) replaces it by registering "internal" with a higher
 * service ranking.
 */
@Component(service = NetdevProvider.class, property = {NetdevProvider.TYPE_PROPERTY + "=internal",
        "service.ranking:Integer=-100"})
public final class InternalNetdevProvider implements NetdevProvider {
    @Override
    public String type() {
        return "internal";
    }

    @Override
    public boolean isPmd() {
        return false;
    }

    @Override
    public Netdev construct(String name, Map<String, String> options) {
        return new InternalNetdev(name);
    }

    private static final class InternalNetdev implements Netdev {
        private final String name;
        private final long mac;
        private final AtomicLong txPackets = new AtomicLong();
        private final AtomicLong txBytes = new AtomicLong();

        InternalNetdev(String name) {
            this.name = name;
            // A locally administered address derived from the name, stable across restarts.
            this.mac = 0x020000000000L | (name.hashCode() & 0xffffffffL) << 8 & 0xffffffffffL;
        }

        @Override public String name() { return name; }
        @Override public String type() { return "internal"; }
        @Override public int nRxq() { return 0; }
        @Override public Rxq rxq(int i) { throw new IndexOutOfBoundsException("internal port has no rx queue"); }
        @Override public int nTxq() { return 1; }

        @Override
        public int send(int txq, DpPacketBatch batch, boolean concurrentTxq) {
            long bytes = 0;
            for (int i = 0; i < batch.count(); i++) {
                bytes += batch.get(i).length();
            }
            txPackets.addAndGet(batch.count());
            txBytes.addAndGet(bytes);
            batch.freeAll();
            return 0;
        }

        @Override public long mac() { return mac; }
        @Override public int mtu() { return 1500; }
        @Override public boolean carrier() { return true; }

        @Override
        public NetdevStats stats() {
            return new NetdevStats(0, txPackets.get(), 0, txBytes.get(), 0, 0, 0, 0);
        }

        @Override
        public void destruct() {
        }
    }
}
