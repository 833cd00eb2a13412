package org.jvswitch.netdev.dpdk;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jvswitch.api.netdev.Netdev;
import org.jvswitch.api.netdev.NetdevException;
import org.jvswitch.api.netdev.NetdevStats;
import org.jvswitch.api.netdev.Rxq;
import org.jvswitch.api.packet.DpPacketBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@code dpdk} port (Open vSwitch's {@code netdev_dpdk} for ethernet devices): a DPDK ethdev
 * named by {@code options:dpdk-devargs} (a PCI address or a virtual device such as
 * {@code net_pcap0,rx_pcap=in.pcap}), probed on demand, with as many rx queues as
 * {@code options:n_rxq} asks (and the device allows) and one tx queue per polling thread.
 *
 * <p>Threads: each {@link DpdkRxq} is polled by one PMD thread; {@link #send} comes from
 * datapath threads, on their own tx queue or, when threads outnumber queues, under the queue's
 * lock. Configuration ({@link #setConfig}, {@link #setMtu}) only records what is wanted and asks
 * the datapath for {@link #reconfigure()}, which it calls once no thread uses the device.
 */
final class DpdkNetdev implements Netdev {
    private static final Logger LOG = LoggerFactory.getLogger(DpdkNetdev.class);
    static final int DEFAULT_DESC = 2048;
    static final int MAX_DESC = 4096;

    private final DpdkEnvironmentImpl env;
    private final Dpdk dpdk;
    private final String name;

    // Applied configuration; changed on the reconfiguration thread only.
    private String devargs;
    private int portId = -1;
    private int nRxqWanted = 1;
    private int rxDesc = DEFAULT_DESC;
    private int txDesc = DEFAULT_DESC;
    private int mtu = 1500;
    private DpdkMempool mempool;
    private volatile DpdkRxq[] rxqs = new DpdkRxq[0];
    private volatile DpdkTxq[] txqs = new DpdkTxq[0];
    private volatile boolean started;
    private long mac;
    private int socketId;
    private final Map<String, String> info = new LinkedHashMap<>();

    // Wanted configuration, applied by reconfigure().
    private String wantedDevargs;
    private int wantedPortId = -1;
    private int wantedNRxq = 1;
    private int wantedRxDesc = DEFAULT_DESC;
    private int wantedTxDesc = DEFAULT_DESC;
    private int wantedMtu = 1500;
    private volatile boolean reconfigureRequired;
    private volatile boolean adminUp = true;
    /** Device events from DPDK's interrupt thread, acted on by the next reconfigure(). */
    private volatile boolean resetNeeded;
    private volatile boolean removedEvent;
    /** The devargs of a device that was hot-removed, until the port is given a device again. */
    private String removed;

    DpdkNetdev(DpdkEnvironmentImpl env, String name) {
        this.env = env;
        this.dpdk = env.dpdk;
        this.name = name;
    }

    /** Opens the device the options name and starts it (construct + set_config + reconfigure). */
    static DpdkNetdev open(DpdkEnvironmentImpl env, String name, Map<String, String> options) throws NetdevException {
        DpdkNetdev d = new DpdkNetdev(env, name);
        try {
            d.setConfig(options);
            d.reconfigure();
        } catch (NetdevException | RuntimeException e) {
            d.destruct();
            throw e;
        }
        return d;
    }

    @Override public String name() { return name; }
    @Override public String type() { return DpdkNetdevProvider.TYPE; }
    @Override public int nRxq() { return rxqs.length; }
    @Override public Rxq rxq(int i) { return rxqs[i]; }
    @Override public int nTxq() { return txqs.length; }
    @Override public long mac() { return mac; }
    @Override public int mtu() { return mtu; }
    int portId() { return portId; }
    String devargs() { return devargs; }
    DpdkMempool mempool() { return mempool; }

    @Override
    public synchronized void setConfig(Map<String, String> options) throws NetdevException {
        String newDevargs = options.get("dpdk-devargs");
        if (newDevargs == null || newDevargs.isBlank()) {
            throw new NetdevException(NetdevException.EINVAL, "'" + name + "' is missing 'options:dpdk-devargs'. "
                    + "The old 'dpdk<port_id>' names are not supported");
        }
        int nRxq = Math.max(1, parseInt(options.get("n_rxq"), 1));
        int rxd = descriptors(options.get("n_rxq_desc"));
        int txd = descriptors(options.get("n_txq_desc"));
        int newPort = wantedPortId;
        if (!newDevargs.equals(wantedDevargs)) {
            newPort = attach(newDevargs);
            if (wantedPortId >= 0 && wantedPortId != portId && wantedPortId != newPort) {
                detach(wantedPortId, wantedDevargs);   // an earlier change that never got applied
            }
        }
        wantedDevargs = newDevargs;
        wantedPortId = newPort;
        if (newPort >= 0) {
            removed = null;
        }
        wantedNRxq = nRxq;
        wantedRxDesc = rxd;
        wantedTxDesc = txd;
        if (newPort != portId || nRxq != nRxqWanted || rxd != rxDesc || txd != txDesc) {
            reconfigureRequired = true;
        }
    }

    private static int parseInt(String s, int dflt) {
        if (s == null) {
            return dflt;
        }
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            return dflt;
        }
    }

    /** Open vSwitch's rule: a power of two up to 4096, else the default (2048). */
    private static int descriptors(String s) {
        int n = parseInt(s, DEFAULT_DESC);
        return n > 0 && n <= MAX_DESC && Integer.bitCount(n) == 1 ? n : DEFAULT_DESC;
    }

    /** Finds the device, probing it first if DPDK does not know it yet; claims it for this port. */
    private int attach(String args) throws NetdevException {
        int id = dpdk.portByDevargs(args);
        if (id < 0 && args.startsWith("class=eth,mac=")) {
            // As Open vSwitch: a MAC names a port DPDK already has; nothing to probe.
            LOG.warn("Error attaching device '{}' to DPDK", args);
            throw new NetdevException(NetdevException.EINVAL, "Error attaching device '" + args + "' to DPDK");
        }
        if (id < 0) {
            int rc;
            try (Arena a = Arena.ofConfined()) {
                rc = (int) dpdk.devProbe.invokeExact(a.allocateFrom(args));
            } catch (Throwable t) {
                throw Dpdk.rethrow(t);
            }
            id = rc < 0 ? -1 : dpdk.portByDevargs(args);
            if (id < 0) {
                LOG.warn("Error attaching device '{}' to DPDK{}", args, rc < 0 ? ": " + dpdk.strerror(rc) : "");
                throw new NetdevException(NetdevException.EINVAL, "Error attaching device '" + args + "' to DPDK");
            }
            LOG.info("Device '{}' attached to DPDK", args);
        }
        String owner = env.claim(id, this);
        if (owner != null) {
            throw new NetdevException("Address already in use", "'" + name + "' is trying to use device '" + args
                    + "' which is already in use by '" + owner + "'");
        }
        return id;
    }

    @Override
    public synchronized boolean setMtu(int newMtu) {
        int min = Integer.parseInt(info.getOrDefault("min_mtu", "68"));
        int max = Integer.parseInt(info.getOrDefault("max_mtu", "9710"));
        if (newMtu < Math.max(68, min) || newMtu > Math.min(9710, max)) {
            LOG.warn("{}: unsupported MTU {} (device allows {} to {})", name, newMtu, min, max);
            return false;
        }
        if (newMtu != wantedMtu) {
            wantedMtu = newMtu;
            reconfigureRequired = true;
        }
        return true;
    }

    /**
     * A device event (DPDK's interrupt thread, through {@link DeviceEvents}): marks the port and
     * asks the datapath for a reconfiguration, which does the work with no thread using the device.
     */
    void deviceEvent(int type) {
        if (type == DeviceEvents.INTR_RESET) {
            LOG.info("{}: Device reset requested.", name);
            resetNeeded = true;
        } else if (type == DeviceEvents.INTR_RMV) {
            LOG.warn("{}: device '{}' was removed; the port stops using it", name, devargs);
            removedEvent = true;
        } else {
            return;
        }
        reconfigureRequired = true;
    }

    @Override
    public boolean isReconfigureRequired() {
        return reconfigureRequired;
    }

    /**
     * Stops the device and starts it again as wanted: the device the devargs name, the queue and
     * descriptor counts, the MTU and its mempool. The datapath calls this with no thread polling
     * or sending here.
     */
    @Override
    public synchronized void reconfigure() throws NetdevException {
        reconfigureRequired = false;
        if (removedEvent) {
            removedEvent = false;
            resetNeeded = false;
            releaseRemovedDevice();
        }
        if (removed != null && wantedPortId < 0) {
            Runnable r = changed;
            if (r != null) {
                r.run();
            }
            throw new NetdevException(NetdevException.ENODEV, "device '" + removed + "' was removed; add the port"
                    + " again (ovs-vsctl del-port, add-port) or change its options once the device is back");
        }
        if (started && resetNeeded) {
            // As Open vSwitch: a reset instead of a stop; the configuration below starts it again.
            // A driver without a reset leaves the device running: it is stopped as usual then.
            resetNeeded = false;
            try {
                int rc = (int) dpdk.devReset.invokeExact((short) portId);
                if (rc == 0) {
                    started = false;
                } else {
                    LOG.info("{}: rte_eth_dev_reset: {}", name, dpdk.strerror(rc));
                }
            } catch (Throwable t) {
                LOG.warn("{}: rte_eth_dev_reset failed: {}", name, t.toString());
            }
        }
        if (started) {
            stopDevice();
        }
        // Until the device runs again it has no queues: if starting fails, nothing polls it.
        rxqs = new DpdkRxq[0];
        txqs = new DpdkTxq[0];
        if (wantedPortId != portId) {
            if (portId >= 0) {
                closeDevice();
            }
            portId = wantedPortId;
            devargs = wantedDevargs;
        }
        nRxqWanted = wantedNRxq;
        rxDesc = wantedRxDesc;
        txDesc = wantedTxDesc;
        try {
            startDevice(wantedMtu);
        } finally {
            Runnable r = changed;   // MTU, queues and status: the bridge writes them now
            if (r != null) {
                r.run();
            }
        }
    }

    /**
     * The device is gone: nothing polls or sends here any more (the datapath calls reconfigure
     * with the port idle); stop it, close and detach it, give back the mempool, and keep the port
     * with the reason. The next dpdk-devargs setting attaches a device again.
     */
    private void releaseRemovedDevice() {
        removed = devargs;
        destruct();
        wantedDevargs = null;
    }

    private void readInfo() throws NetdevException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment di = a.allocate(Dpdk.INFO_SIZE);
            int rc = (int) dpdk.devInfo.invokeExact((short) portId, di);
            if (rc != 0) {
                throw new NetdevException(NetdevException.ENODEV, "could not get device info of '" + devargs + "': "
                        + dpdk.strerror(rc));
            }
            info.clear();
            info.put("port_no", Integer.toString(portId));
            // Virtual devices have no socket (-1): Open vSwitch puts them on socket 0, and so do we,
            // so that they share the mempool of the other ports there.
            socketId = Math.max(0, (int) dpdk.devSocketId.invokeExact((short) portId));
            info.put("numa_id", Integer.toString(socketId));
            info.put("driver_name", Dpdk.string(di.get(ADDRESS, Dpdk.INFO_DRIVER_NAME)));
            info.put("min_rx_bufsize", Integer.toUnsignedString(di.get(JAVA_INT, Dpdk.INFO_MIN_RX_BUFSIZE)));
            info.put("max_rx_pktlen", Integer.toUnsignedString(di.get(JAVA_INT, Dpdk.INFO_MAX_RX_PKTLEN)));
            info.put("max_rx_queues", Integer.toString(di.get(JAVA_SHORT, Dpdk.INFO_MAX_RX_QUEUES) & 0xffff));
            info.put("max_tx_queues", Integer.toString(di.get(JAVA_SHORT, Dpdk.INFO_MAX_TX_QUEUES) & 0xffff));
            info.put("min_mtu", Integer.toString(di.get(JAVA_SHORT, Dpdk.INFO_MIN_MTU) & 0xffff));
            info.put("max_mtu", Integer.toString(di.get(JAVA_SHORT, Dpdk.INFO_MAX_MTU) & 0xffff));
            info.put("if_type", "6");
            info.put("if_descr", env.version() + " " + info.get("driver_name"));
        } catch (NetdevException e) {
            throw e;
        } catch (Throwable t) {
            throw Dpdk.rethrow(t);
        }
    }

    private void startDevice(int wantMtu) throws NetdevException {
        readInfo();
        int maxRx = Integer.parseInt(info.get("max_rx_queues"));
        int maxTx = Integer.parseInt(info.get("max_tx_queues"));
        int nRxq = Math.min(nRxqWanted, maxRx);
        if (nRxq < nRxqWanted) {
            LOG.warn("{}: device '{}' has {} rx queues, n_rxq={} asked", name, devargs, maxRx, nRxqWanted);
        }
        // One tx queue per polling thread (the main thread, the control path, one per core).
        int nTxq = Math.min(maxTx, Runtime.getRuntime().availableProcessors() + 2);
        if (nRxq < 1 || nTxq < 1) {
            throw new NetdevException(NetdevException.EINVAL, "device '" + devargs + "' has no rx or tx queue");
        }
        DpdkMempool oldPool = mempool;
        DpdkMempool pool = (DpdkMempool) env.acquireMempool(wantMtu, socketId);
        mempool = pool;
        if (oldPool != null) {
            oldPool.release();
        }
        try (Arena a = Arena.ofConfined()) {
            MemorySegment conf = a.allocate(Dpdk.CONF_SIZE);
            conf.set(JAVA_INT, Dpdk.CONF_RXMODE_MTU, wantMtu);
            int rc = (int) dpdk.devConfigure.invokeExact((short) portId, (short) nRxq, (short) nTxq, conf);
            // Some devices take fewer queues than they report, or only as many tx as rx queues
            // (net_tap): retry with equal counts, then halving, as Open vSwitch retries; the
            // datapath shares tx queues under a lock when its threads outnumber them.
            int firstRc = rc;
            int firstTx = nTxq;
            while (rc != 0 && (nTxq > nRxq || nTxq > 1)) {
                nTxq = nTxq > nRxq ? nRxq : Math.max(1, nTxq / 2);
                rc = (int) dpdk.devConfigure.invokeExact((short) portId, (short) nRxq, (short) nTxq, conf);
            }
            if (rc != 0) {
                throw failed("Interface " + name + "(rxq:" + nRxq + " txq:" + firstTx + ") configure error: "
                        + dpdk.strerror(firstRc));
            }
            if (nTxq != firstTx) {
                LOG.info("{}: device '{}' took {} tx queues, not {}: threads share them", name, devargs, nTxq, firstTx);
            }
            for (int q = 0; q < nRxq; q++) {
                rc = (int) dpdk.rxQueueSetup.invokeExact((short) portId, (short) q, (short) rxDesc, socketId,
                        MemorySegment.NULL, pool.mempool());
                if (rc != 0) {
                    throw failed("Interface " + name + " unable to setup rxq(" + q + "): " + dpdk.strerror(rc));
                }
            }
            for (int q = 0; q < nTxq; q++) {
                rc = (int) dpdk.txQueueSetup.invokeExact((short) portId, (short) q, (short) txDesc, socketId,
                        MemorySegment.NULL);
                if (rc != 0) {
                    throw failed("Interface " + name + " unable to setup txq(" + q + "): " + dpdk.strerror(rc));
                }
            }
            rc = (int) dpdk.devStart.invokeExact((short) portId);
            if (rc != 0) {
                throw failed("Interface " + name + " start error: " + dpdk.strerror(rc));
            }
            rc = (int) dpdk.promiscuousEnable.invokeExact((short) portId);
            if (rc != 0) {
                LOG.debug("{}: promiscuous mode not enabled: {}", name, dpdk.strerror(rc));
            }
            MemorySegment addr = a.allocate(8);
            rc = (int) dpdk.macaddrGet.invokeExact((short) portId, addr);
            long m = 0;
            for (int i = 0; i < 6; i++) {
                m = (m << 8) | (addr.get(JAVA_BYTE, i) & 0xff);
            }
            mac = m;
        } catch (NetdevException e) {
            throw e;
        } catch (Throwable t) {
            throw Dpdk.rethrow(t);
        }
        mtu = wantMtu;
        DpdkRxq[] rx = new DpdkRxq[nRxq];
        for (int q = 0; q < nRxq; q++) {
            rx[q] = new DpdkRxq(this, q);
        }
        DpdkTxq[] tx = new DpdkTxq[nTxq];
        for (int q = 0; q < nTxq; q++) {
            tx[q] = new DpdkTxq(this, q);
        }
        rxqs = rx;
        txqs = tx;
        started = true;
        LOG.info("{}: port {} ({}) started with {} rx and {} tx queues, MTU {}", name, portId,
                info.get("driver_name"), nRxq, nTxq, mtu);
    }

    private NetdevException failed(String message) {
        LOG.warn("{}", message);
        return new NetdevException(NetdevException.EINVAL, message);
    }

    private void stopDevice() {
        started = false;
        try {
            int rc = (int) dpdk.devStop.invokeExact((short) portId);
        } catch (Throwable t) {
            LOG.warn("{}: rte_eth_dev_stop failed: {}", name, t.toString());
        }
    }

    /** Closes the current device and detaches it from DPDK (Open vSwitch's destruct). */
    private void closeDevice() {
        detach(portId, devargs);
        portId = -1;
    }

    private void detach(int id, String args) {
        env.unclaim(id, this);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment di = a.allocate(Dpdk.INFO_SIZE);
            int rc = (int) dpdk.devInfo.invokeExact((short) id, di);
            MemorySegment device = rc == 0 ? di.get(ADDRESS, Dpdk.INFO_DEVICE) : MemorySegment.NULL;
            rc = (int) dpdk.devClose.invokeExact((short) id);
            if (!device.equals(MemorySegment.NULL)) {
                rc = (int) dpdk.devRemove.invokeExact(device);
                if (rc < 0) {
                    LOG.warn("Device '{}' can not be detached: {}", args, dpdk.strerror(rc));
                } else {
                    LOG.info("Device '{}' has been removed and detached", args);
                }
            }
        } catch (Throwable t) {
            LOG.warn("{}: closing device '{}' failed: {}", name, args, t.toString());
        }
    }

    @Override
    public int send(int txq, DpPacketBatch batch, boolean concurrentTxq) {
        DpdkTxq[] qs = txqs;
        if (!started || !adminUp || qs.length == 0) {
            int n = batch.count();
            DpdkTxq q0 = qs.length > 0 ? qs[0] : null;
            batch.freeAll();
            if (q0 != null) {
                q0.countDropped(n);
            }
            return n;
        }
        DpdkTxq q = qs[txq % qs.length];
        if (concurrentTxq) {
            synchronized (q) {
                return q.send(batch);
            }
        }
        return q.send(batch);
    }

    @Override
    public boolean carrier() {
        if (!started || !adminUp) {
            return false;
        }
        try (Arena a = Arena.ofConfined()) {
            MemorySegment link = a.allocate(8);
            int rc = (int) dpdk.linkGetNowait.invokeExact((short) portId, link);
            return rc == 0 && (link.get(JAVA_BYTE, 4) & 0x4) != 0;
        } catch (Throwable t) {
            return false;
        }
    }

    /** Link speed in Mbps (0 if unknown). */
    private long linkSpeed() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment link = a.allocate(8);
            int rc = (int) dpdk.linkGetNowait.invokeExact((short) portId, link);
            return rc == 0 ? Integer.toUnsignedLong(link.get(JAVA_INT, 0)) : 0;
        } catch (Throwable t) {
            return 0;
        }
    }

    private volatile Runnable changed;

    @Override
    public void setChangeListener(Runnable listener) {
        changed = listener;
    }

    /** netdev-dpdk/set-admin-state: the link goes down (or up) and sends are dropped while down. */
    synchronized void setAdminState(boolean up) {
        adminUp = up;
        Runnable r = changed;
        if (r != null) {
            r.run();
        }
        if (portId < 0) {
            return;
        }
        try {
            int rc = up ? (int) dpdk.setLinkUp.invokeExact((short) portId) : (int) dpdk.setLinkDown.invokeExact((short) portId);
            if (rc != 0) {
                LOG.debug("{}: link {} not supported by the device: {}", name, up ? "up" : "down", dpdk.strerror(rc));
            }
        } catch (Throwable t) {
            LOG.warn("{}: set link state failed: {}", name, t.toString());
        }
    }

    boolean adminUp() {
        return adminUp;
    }

    @Override
    public NetdevStats stats() {
        long rxDropped = 0;
        long txDropped = 0;
        for (DpdkRxq q : rxqs) {
            rxDropped += q.dropped;
        }
        for (DpdkTxq q : txqs) {
            txDropped += q.dropped;
        }
        if (portId < 0) {
            return new NetdevStats(0, 0, 0, 0, rxDropped, txDropped, 0, 0);
        }
        try (Arena a = Arena.ofConfined()) {
            MemorySegment s = a.allocate(Dpdk.STATS_SIZE);
            int rc = (int) dpdk.statsGet.invokeExact((short) portId, s);
            if (rc != 0) {
                return new NetdevStats(0, 0, 0, 0, rxDropped, txDropped, 0, 0);
            }
            long imissed = s.get(JAVA_LONG, 32);
            return new NetdevStats(s.get(JAVA_LONG, 0), s.get(JAVA_LONG, 8), s.get(JAVA_LONG, 16), s.get(JAVA_LONG, 24),
                    rxDropped + imissed + s.get(JAVA_LONG, 56), txDropped, s.get(JAVA_LONG, 40), s.get(JAVA_LONG, 48));
        } catch (Throwable t) {
            throw Dpdk.rethrow(t);
        }
    }

    /** Counted by the standard statistics already, under Open vSwitch's names. */
    private static final java.util.Set<String> STANDARD = java.util.Set.of("rx_good_packets", "tx_good_packets",
            "rx_good_bytes", "tx_good_bytes");

    /**
     * The device's extended statistics (rte_eth_xstats, by DPDK's names) but those the standard
     * counters repeat, and the switch's own drops: {@code ovs_tx_failure_drops} (the device did
     * not take them) and {@code ovs_rx_multiseg_drops} (frames larger than one mbuf).
     */
    @Override
    public Map<String, Long> customStats() {
        Map<String, Long> out = xstats();
        out.keySet().removeAll(STANDARD);
        long txFail = 0;
        for (DpdkTxq q : txqs) {
            txFail += q.dropped;
        }
        long rxSeg = 0;
        for (DpdkRxq q : rxqs) {
            rxSeg += q.dropped;
        }
        out.put("ovs_tx_failure_drops", txFail);
        out.put("ovs_rx_multiseg_drops", rxSeg);
        return out;
    }

    /** The device's extended statistics (rte_eth_xstats), by DPDK's names. */
    Map<String, Long> xstats() {
        Map<String, Long> out = new LinkedHashMap<>();
        if (portId < 0) {
            return out;
        }
        try (Arena a = Arena.ofConfined()) {
            int n = (int) dpdk.xstatsGetNames.invokeExact((short) portId, MemorySegment.NULL, 0);
            if (n <= 0) {
                return out;
            }
            MemorySegment names = a.allocate((long) n * Dpdk.XSTAT_NAME_SIZE);
            MemorySegment values = a.allocate((long) n * Dpdk.XSTAT_SIZE);
            int got = (int) dpdk.xstatsGetNames.invokeExact((short) portId, names, n);
            int vals = (int) dpdk.xstatsGet.invokeExact((short) portId, values, n);
            for (int i = 0; i < Math.min(got, vals); i++) {
                long id = values.get(JAVA_LONG, (long) i * Dpdk.XSTAT_SIZE);
                if (id >= 0 && id < got) {
                    out.put(names.getString(id * Dpdk.XSTAT_NAME_SIZE), values.get(JAVA_LONG, (long) i * Dpdk.XSTAT_SIZE + 8));
                }
            }
        } catch (Throwable t) {
            LOG.debug("{}: xstats: {}", name, t.toString());
        }
        return out;
    }

    @Override
    public synchronized Map<String, String> status() {
        Map<String, String> s = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : info.entrySet()) {
            if (!e.getKey().equals("min_mtu") && !e.getKey().equals("max_mtu")) {
                s.put(e.getKey(), e.getValue());
            }
        }
        if (removed != null) {
            s.put("removed", removed);
        }
        s.put("n_rxq", Integer.toString(rxqs.length));
        s.put("n_txq", Integer.toString(txqs.length));
        if (started) {
            long speed = linkSpeed();
            s.put("link_speed", speed == 0 ? "Unknown" : speed >= 1000 ? speed / 1000 + "Gbps" : speed + "Mbps");
        }
        return s;
    }

    @Override
    public synchronized void destruct() {
        if (started) {
            stopDevice();
        }
        int old = portId;
        if (portId >= 0) {
            closeDevice();
        }
        if (wantedPortId >= 0 && wantedPortId != old) {
            detach(wantedPortId, wantedDevargs);   // a change of devargs that never got applied
        }
        wantedPortId = -1;
        rxqs = new DpdkRxq[0];
        txqs = new DpdkTxq[0];
        if (mempool != null) {
            mempool.release();
            mempool = null;
        }
    }

    Dpdk dpdk() {
        return dpdk;
    }

    DpdkEnvironmentImpl env() {
        return env;
    }
}
