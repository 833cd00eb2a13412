package org.jvswitch.netdev.vhost;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jvswitch.api.dpdk.DpdkEnvironment;
import org.jvswitch.api.dpdk.MbufPool;
import org.jvswitch.api.netdev.Netdev;
import org.jvswitch.api.netdev.NetdevException;
import org.jvswitch.api.netdev.NetdevStats;
import org.jvswitch.api.netdev.Rxq;
import org.jvswitch.api.packet.DpPacketBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A vhost-user port (Open vSwitch's {@code dpdkvhostuser} and {@code dpdkvhostuserclient}): the
 * switch's end of a virtio-net device whose other end is a virtual machine (or any virtio-user
 * driver). Packets the guest transmits are dequeued into mbufs of the shared mempool; packets for
 * the guest are copied into its receive ring by DPDK (rte_vhost_enqueue_burst) and then freed.
 *
 * <p>The device comes and goes with the guest: DPDK's callbacks (on its own thread) set and clear
 * {@link #vid}. A PMD marks each queue busy around a burst; {@link #detachDevice} waits for those
 * marks to clear, so no burst touches a device DPDK is destroying.
 */
final class VhostNetdev implements Netdev {
    private static final Logger LOG = LoggerFactory.getLogger(VhostNetdev.class);
    static final int MAX_QUEUES = 32;
    static final int DEFAULT_TX_RETRIES = 8;

    private final Vhost vhost;
    private final DpdkEnvironment env;
    private final String name;
    private final String type;
    final Path socket;
    private final boolean client;
    /** Open_vSwitch other_config:vhost-iommu-support, for client ports (as Open vSwitch). */
    private final boolean iommu;
    private final MbufPool pool;
    private volatile int txRetriesMax;

    /** The attached device, or -1. Written by DPDK's vhost thread, read by PMDs each burst. */
    volatile int vid = -1;
    /** Queue pairs the guest set up (from new_device). */
    private volatile int queuePairs;
    /** Per virtqueue: enabled by the guest (vring_state_changed). */
    final boolean[] enabled = new boolean[MAX_QUEUES * 2];
    private volatile int rxqCount = 1;
    private volatile int wantedRxqs = 1;
    private volatile VhostRxq[] rxqs;
    private final VhostTxq[] txqs;
    private volatile boolean reconfigure;
    private volatile boolean registered;
    private volatile Runnable changed;

    /** Counters of queues replaced by a reconfiguration, so statistics carry on. */
    private long rxPacketsGone;
    private long rxBytesGone;

    VhostNetdev(Vhost vhost, DpdkEnvironment env, String name, String type, Path socket, boolean client,
                boolean iommu, Map<String, String> options) throws NetdevException {
        this.iommu = iommu;
        this.vhost = vhost;
        this.env = env;
        this.name = name;
        this.type = type;
        this.socket = socket;
        this.client = client;
        setConfig(options);
        this.pool = env.acquireMempool(1500, 0);
        this.rxqs = new VhostRxq[] {new VhostRxq(this, 0)};
        int nTx = Runtime.getRuntime().availableProcessors() + 2;
        this.txqs = new VhostTxq[nTx];
        for (int i = 0; i < nTx; i++) {
            txqs[i] = new VhostTxq(this, i);
        }
    }

    /** Creates the socket (server) or starts connecting (client); called once VhostPorts knows us. */
    void start() throws NetdevException {
        if (!client) {
            prepareServerPath();
        }
        try (Arena a = Arena.ofConfined()) {
            MemorySegment path = a.allocateFrom(socket.toString());
            long flags = Vhost.LINEARBUF_SUPPORT | (client ? Vhost.CLIENT : 0L) | (client && iommu ? Vhost.IOMMU_SUPPORT : 0L);
            int rc = (int) vhost.register.invokeExact(path, flags);
            if (rc != 0) {
                throw new NetdevException(NetdevException.EINVAL, "vhost-user socket device setup failure for socket " + socket);
            }
            registered = true;
            rc = (int) vhost.disableFeatures.invokeExact(path, Vhost.OFFLOADS);
            rc = (int) vhost.callbackRegister.invokeExact(path, VhostPorts.deviceOps());
            if (rc != 0) {
                throw new NetdevException(NetdevException.EINVAL, "vhost-user callbacks could not be registered for " + socket);
            }
            rc = (int) vhost.start.invokeExact(path);
            if (rc != 0) {
                throw new NetdevException(NetdevException.EINVAL, "Failed to start vhost-user socket " + socket);
            }
        } catch (NetdevException e) {
            throw e;
        } catch (Throwable t) {
            throw Vhost.rethrow(t);
        }
        if (!client) {
            try {
                // Owner and group may connect (QEMU usually runs as a group member); others not.
                Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw----"));
            } catch (IOException | UnsupportedOperationException e) {
                LOG.warn("{}: could not restrict the permissions of {}: {}", name, socket, e.toString());
            }
        }
        LOG.info("vHost User device '{}' created in '{}' mode, using socket '{}'{}", name, client ? "client" : "server",
                socket, client && iommu ? ", IOMMU support enabled" : "");
    }

    /** A stale socket from an earlier run is removed; anything else at the path is an error, never deleted. */
    private void prepareServerPath() throws NetdevException {
        try {
            Files.createDirectories(socket.getParent());
        } catch (IOException e) {
            throw new NetdevException(NetdevException.EINVAL, "cannot create " + socket.getParent() + ": " + e.getMessage());
        }
        if (Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
            boolean isSocket;
            try {
                isSocket = "socket".equals(Files.probeContentType(socket)) || isUnixSocket(socket);
            } catch (IOException e) {
                isSocket = false;
            }
            if (!isSocket) {
                throw new NetdevException(NetdevException.EEXIST, socket + " exists and is not a socket: not removing it");
            }
            try {
                Files.delete(socket);
            } catch (IOException e) {
                throw new NetdevException(NetdevException.EEXIST, "could not remove the stale socket " + socket + ": " + e.getMessage());
            }
        }
    }

    private static boolean isUnixSocket(Path p) throws IOException {
        Object mode = Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        return mode instanceof Integer m && (m & 0170000) == 0140000;
    }

    @Override
    public void setConfig(Map<String, String> options) throws NetdevException {
        if (Boolean.parseBoolean(options.getOrDefault("vhost-postcopy-support", "false"))) {
            throw new NetdevException(NetdevException.EINVAL, "vhost-postcopy-support is not supported: "
                    + "jvswitch's vhost ports do not take part in post-copy live migration");
        }
        String retries = options.get("tx-retries-max");
        int n = DEFAULT_TX_RETRIES;
        if (retries != null) {
            try {
                n = Integer.parseInt(retries.trim());
            } catch (NumberFormatException e) {
                n = -1;
            }
            if (n < 0 || n > 32) {
                throw new NetdevException(NetdevException.EINVAL, "invalid tx-retries-max " + retries + ": expected 0 to 32");
            }
        }
        txRetriesMax = n;
    }

    int txRetriesMax() {
        return txRetriesMax;
    }

    // ---- DPDK's callbacks (vhost-events thread) ----

    void attachDevice(int newVid) {
        int vrings;
        try {
            vrings = (short) vhost.vringNum.invokeExact(newVid) & 0xffff;
        } catch (Throwable t) {
            vrings = 2;
        }
        // No kicks, please (Open vSwitch's set_irq_status): the rings are polled, so a guest that
        // notifies the switch after each transmit pays a system call (a VM exit under QEMU) for
        // nothing. Measured with a testpmd guest looping packets through two ports, the guest
        // was the bottleneck until this.
        for (int i = 0; i < vrings; i++) {
            try {
                int rc = (int) vhost.enableGuestNotification.invokeExact(newVid, (short) i, 0);
                if (rc != 0) {
                    LOG.debug("vHost Device '{}': guest notifications stay on for vring {} ({})", socket, i, rc);
                }
            } catch (Throwable t) {
                LOG.warn("vHost Device '{}': cannot turn guest notifications off", socket, t);
                break;
            }
        }
        int qp = Math.max(1, Math.min(MAX_QUEUES, vrings / 2));
        queuePairs = qp;
        wantQueuePairs(qp);
        vid = newVid;
        LOG.info("vHost Device '{}' has been added on numa node {}", socket, numa(newVid));
        notifyChanged();
    }

    void vringState(int queueId, boolean enable) {
        if (queueId >= 0 && queueId < enabled.length) {
            enabled[queueId] = enable;
        }
    }

    /** destroy_device: the PMDs stop using the device before DPDK frees it. */
    void detachDevice() {
        vid = -1;
        for (VhostRxq q : rxqs) {
            q.awaitIdle();
        }
        for (VhostTxq q : txqs) {
            q.awaitIdle();
        }
        java.util.Arrays.fill(enabled, false);
        LOG.info("vHost Device '{}' has been removed", socket);
        notifyChanged();
    }

    /** Asks the datapath for {@code qp} rx queues if the port has another number. */
    private void wantQueuePairs(int qp) {
        if (qp != rxqCount) {
            wantedRxqs = qp;
            reconfigure = true;
        }
    }

    /**
     * destroy_connection: the guest's socket is gone. As Open vSwitch, the port goes back to one
     * queue pair until the next guest says how many it has.
     */
    void connectionDestroyed() {
        if (vid >= 0) {
            LOG.error("Connection on socket '{}' destroyed while vhost device still attached.", socket);
        }
        wantQueuePairs(1);
        LOG.info("vHost Device '{}' connection has been destroyed", socket);
    }

    private int numa(int v) {
        try {
            return (int) vhost.numaNode.invokeExact(v);
        } catch (Throwable t) {
            return -1;
        }
    }

    @Override
    public void setChangeListener(Runnable listener) {
        changed = listener;
    }

    private void notifyChanged() {
        Runnable r = changed;
        if (r != null) {
            r.run();
        }
    }

    // ---- datapath ----

    @Override public String name() { return name; }
    @Override public String type() { return type; }
    @Override public int nRxq() { return rxqs.length; }
    @Override public Rxq rxq(int i) { return rxqs[i]; }
    @Override public int nTxq() { return txqs.length; }
    @Override public long mac() { return 0; }
    @Override public int mtu() { return 1500; }
    @Override public boolean carrier() { return vid >= 0; }
    MbufPool pool() { return pool; }
    Vhost vhost() { return vhost; }
    DpdkEnvironment env() { return env; }
    int queuePairs() { return Math.max(1, queuePairs); }

    @Override
    public boolean isReconfigureRequired() {
        return reconfigure;
    }

    /** A guest with more queue pairs: one rx queue per pair, polled by PMDs. */
    @Override
    public void reconfigure() {
        reconfigure = false;
        for (VhostRxq q : rxqs) {
            rxPacketsGone += q.packets;
            rxBytesGone += q.bytes;
        }
        int n = wantedRxqs;
        VhostRxq[] next = new VhostRxq[n];
        for (int i = 0; i < n; i++) {
            next[i] = new VhostRxq(this, i);
        }
        rxqs = next;
        rxqCount = n;
    }

    @Override
    public int send(int txq, DpPacketBatch batch, boolean concurrentTxq) {
        VhostTxq q = txqs[txq % txqs.length];
        if (concurrentTxq) {
            synchronized (q) {
                return q.send(batch);
            }
        }
        return q.send(batch);
    }

    @Override
    public NetdevStats stats() {
        long rxp = rxPacketsGone;
        long rxb = rxBytesGone;
        long rxDropped = 0;
        for (VhostRxq q : rxqs) {
            rxp += q.packets;
            rxb += q.bytes;
            rxDropped += q.dropped;
        }
        long txp = 0;
        long txb = 0;
        long txd = 0;
        for (VhostTxq q : txqs) {
            txp += q.packets;
            txb += q.bytes;
            txd += q.dropped;
        }
        return new NetdevStats(rxp, txp, rxb, txb, rxDropped, txd, 0, 0);
    }

    @Override
    public Map<String, Long> customStats() {
        long retries = 0;
        long drops = 0;
        for (VhostTxq q : txqs) {
            retries += q.retried;
            drops += q.dropped;
        }
        return Map.of("ovs_tx_retries", retries, "ovs_tx_failure_drops", drops);
    }

    /** Open vSwitch's netdev_dpdk_vhost_user_get_status keys. */
    @Override
    public Map<String, String> status() {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("mode", client ? "client" : "server");
        s.put("socket", socket.toString());
        int v = vid;
        if (v >= 0) {
            try (Arena a = Arena.ofConfined()) {
                MemorySegment f = a.allocate(JAVA_LONG);
                if ((int) vhost.negotiatedFeatures.invokeExact(v, f) == 0) {
                    s.put("features", String.format("0x%016x", f.get(JAVA_LONG, 0)));
                }
                // Only when the guest negotiated VIRTIO_NET_F_MTU (QEMU's host_mtu).
                MemorySegment m = a.allocate(JAVA_SHORT);
                if ((int) vhost.mtu.invokeExact(v, m) == 0) {
                    s.put("mtu", Integer.toString(m.get(JAVA_SHORT, 0) & 0xffff));
                }
            } catch (Throwable t) {
                // status is best effort
            }
            s.put("num_of_vrings", Integer.toString(queuePairs() * 2));
            s.put("numa", Integer.toString(numa(v)));
            StringBuilder on = new StringBuilder();
            for (int i = 0; i < queuePairs() * 2; i++) {
                if (enabled[i]) {
                    on.append(on.isEmpty() ? "" : ",").append(i);
                }
            }
            s.put("enabled_vrings", on.toString());
        }
        return s;
    }

    @Override
    public void destruct() {
        VhostPorts.forget(this);
        if (registered) {
            try (Arena a = Arena.ofConfined()) {
                int rc = (int) vhost.unregister.invokeExact(a.allocateFrom(socket.toString()));
                if (rc != 0) {
                    LOG.warn("{}: rte_vhost_driver_unregister({}) failed: {}", name, socket, rc);
                }
            } catch (Throwable t) {
                LOG.warn("{}: unregister failed: {}", name, t.toString());
            }
            registered = false;
        }
        if (vid >= 0) {
            detachDevice();
        }
        pool.release();
        LOG.info("vHost User device '{}' destroyed", name);
    }

    // ---- helpers for the queues ----

    static MemorySegment pointers(Arena arena) {
        return arena.allocate(ADDRESS, DpPacketBatch.MAX);
    }
}
