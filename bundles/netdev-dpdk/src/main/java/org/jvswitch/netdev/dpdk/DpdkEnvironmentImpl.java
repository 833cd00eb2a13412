package org.jvswitch.netdev.dpdk;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.jvswitch.api.dpdk.DpdkEnvironment;
import org.jvswitch.api.dpdk.MbufPool;
import org.jvswitch.api.netdev.NetdevException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * EAL once it is up: the shared mempools, the devices in use, and lcore ids for the threads that
 * poll. EAL can start only once per process (a second rte_eal_init says EALREADY even after
 * rte_eal_cleanup), so whether it ran is remembered in a system property that outlives this
 * bundle: a restarted bundle finds DPDK up and goes on with it.
 */
final class DpdkEnvironmentImpl implements DpdkEnvironment {
    private static final Logger LOG = LoggerFactory.getLogger(DpdkEnvironmentImpl.class);
    /** System property: the EAL arguments DPDK was started with in this process. */
    static final String EAL_PROPERTY = "jvswitch.dpdk.eal.args";
    /** Mempool sizes: Open vSwitch starts at 256K mbufs for shared pools; we start lower (memory is per test run here). */
    static final int MEMPOOL_MBUFS = 32768;
    static final int MEMPOOL_MIN_MBUFS = 4096;
    private static final int LCORE_ID_ANY = -1;

    final Dpdk dpdk;
    private final String version;
    /** Shared mempools by "dataRoom/socket". Guarded by this. */
    private final Map<String, DpdkMempool> mempools = new HashMap<>();
    /** Pools released by their ports but with mbufs still out. Guarded by this. */
    private final List<DpdkMempool> draining = new ArrayList<>();
    /** DPDK port id to the Interface using it. Guarded by this. */
    private final Map<Integer, DpdkNetdev> ports = new TreeMap<>();
    private final ThreadLocal<Boolean> registered = new ThreadLocal<>();

    private final DeviceEvents events;

    DpdkEnvironmentImpl(Dpdk dpdk) {
        this.dpdk = dpdk;
        this.version = versionOf(dpdk);
        this.events = new DeviceEvents(dpdk, this);
        events.register();
    }

    /** The environment goes (the bundle stops): no more device events to this generation. */
    void close() {
        events.unregister();
    }

    static String versionOf(Dpdk dpdk) {
        try {
            return Dpdk.string((MemorySegment) dpdk.version.invokeExact());
        } catch (Throwable t) {
            return "";
        }
    }

    @Override
    public String version() {
        return version;
    }

    /** Open vSwitch's dpdk_buf_size: the frame for this MTU with two VLAN tags, rounded up to 1 KiB. */
    static int dataRoomFor(int mtu) {
        int frame = mtu + 14 + 4 + 8;
        return (frame + 1023) / 1024 * 1024;
    }

    @Override
    public synchronized MbufPool acquireMempool(int mtu, int socketId) throws NetdevException {
        int room = dataRoomFor(mtu);
        String key = room + "/" + socketId;
        DpdkMempool pool = mempools.get(key);
        if (pool != null) {
            if (pool.retain()) {
                return pool;
            }
            draining.add(pool);   // released, waiting for its last mbufs: a new pool takes its place
        }
        String name = "jvs_" + room + "_" + (socketId < 0 ? "any" : Integer.toString(socketId)) + "_" + nextPoolSeq();
        DpdkMempool[] made = new DpdkMempool[1];
        made[0] = DpdkMempool.create(dpdk, name, room, socketId, MEMPOOL_MBUFS, MEMPOOL_MIN_MBUFS, () -> forget(made[0]));
        if (made[0] == null) {
            throw new NetdevException("Cannot allocate memory",
                    "Failed to create mempool \"" + name + "\" with a request of " + MEMPOOL_MIN_MBUFS + " mbufs: "
                            + dpdk.strerror(dpdk.rteErrno()));
        }
        mempools.put(key, made[0]);
        return made[0];
    }

    /** Pool names must be unique for the life of the process, across bundle generations. */
    private static synchronized int nextPoolSeq() {
        int seq = Integer.getInteger("jvswitch.dpdk.mempool.seq", 0) + 1;
        System.setProperty("jvswitch.dpdk.mempool.seq", Integer.toString(seq));
        return seq;
    }

    private synchronized void forget(DpdkMempool pool) {
        mempools.values().remove(pool);
        draining.remove(pool);
    }

    /** Every mempool not freed yet (for get-mempool-info and leak checks). */
    synchronized List<DpdkMempool> mempools() {
        List<DpdkMempool> out = new ArrayList<>(mempools.values());
        for (DpdkMempool p : draining) {
            if (!out.contains(p)) {
                out.add(p);
            }
        }
        return out;
    }

    @Override
    public void registerCurrentThread() {
        if (registered.get() != null) {
            return;
        }
        registered.set(Boolean.TRUE);
        try {
            // A previous generation of this bundle may have registered the thread already.
            if ((int) dpdk.lcoreId.invokeExact() != LCORE_ID_ANY) {
                return;
            }
            int rc = (int) dpdk.threadRegister.invokeExact();
            if (rc != 0) {
                LOG.warn("thread {} could not get a DPDK lcore id ({}): mempool caches will not serve it",
                        Thread.currentThread().getName(), dpdk.strerror(dpdk.rteErrno()));
            } else {
                // lcore ids are few (RTE_MAX_LCORE): the thread gives its back when it ends.
                org.jvswitch.api.netdev.PollThreadExit.onExit(this::unregisterCurrentThread);
            }
        } catch (Throwable t) {
            LOG.warn("rte_thread_register failed: {}", t.toString());
        }
    }

    /** Gives the calling thread's lcore id back (rte_thread_unregister); on the thread that registered. */
    void unregisterCurrentThread() {
        registered.remove();
        try {
            dpdk.threadUnregister.invokeExact();
        } catch (Throwable t) {
            LOG.warn("rte_thread_unregister failed: {}", t.toString());
        }
    }

    /** Claims a DPDK port for an interface; returns the interface already using it, or null. */
    synchronized String claim(int portId, DpdkNetdev netdev) {
        DpdkNetdev owner = ports.get(portId);
        if (owner != null && owner != netdev) {
            return owner.name();
        }
        ports.put(portId, netdev);
        return null;
    }

    synchronized void unclaim(int portId, DpdkNetdev netdev) {
        ports.remove(portId, netdev);
    }

    synchronized DpdkNetdev netdevOfPort(int portId) {
        return ports.get(portId);
    }

    synchronized List<DpdkNetdev> netdevs() {
        return new ArrayList<>(ports.values());
    }

    synchronized DpdkNetdev netdev(String name) {
        for (DpdkNetdev n : ports.values()) {
            if (n.name().equals(name)) {
                return n;
            }
        }
        return null;
    }
}
