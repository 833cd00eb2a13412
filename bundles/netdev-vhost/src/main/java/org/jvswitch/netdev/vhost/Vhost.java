package org.jvswitch.netdev.vhost;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * DPDK 22.11's vhost library (librte_vhost) through Panama: every function used here is exported,
 * so no C is needed. DPDK itself is already loaded and initialized by netdev-dpdk (this bundle
 * runs only while its {@code DpdkEnvironment} service does); loading librte_vhost again returns
 * the same library.
 *
 * <p>The device callbacks (struct rte_vhost_device_ops) are Java upcalls that DPDK calls on its
 * own {@code vhost-events} thread; they live in a global arena because DPDK keeps the pointers.
 */
final class Vhost {
    static final String LIBRARY = "/usr/lib/x86_64-linux-gnu/librte_vhost.so.23";
    static final Linker LINKER = Linker.nativeLinker();

    /** rte_vhost_driver_register flags (rte_vhost.h). */
    static final long CLIENT = 1;
    static final long IOMMU_SUPPORT = 1L << 3;
    /** Packets come as one mbuf or not at all: the datapath does not take chained mbufs (as OVS). */
    static final long LINEARBUF_SUPPORT = 1L << 6;
    /** virtio-net features we never offer (checksum and segmentation offloads: packets stay whole). */
    static final long OFFLOADS = (1L << 0) | (1L << 1) | (0xffL << 7);
    /** Virtqueue indexes within a queue pair: the guest receives on 0, transmits on 1. */
    static final int VIRTIO_RXQ = 0;
    static final int VIRTIO_TXQ = 1;

    final MethodHandle register;
    final MethodHandle unregister;
    final MethodHandle callbackRegister;
    final MethodHandle start;
    final MethodHandle disableFeatures;
    final MethodHandle enqueue;
    final MethodHandle dequeue;
    final MethodHandle ifname;
    final MethodHandle vringNum;
    final MethodHandle numaNode;
    final MethodHandle negotiatedFeatures;
    final MethodHandle mtu;
    final MethodHandle enableGuestNotification;

    private Vhost(SymbolLookup lib) {
        register = h(lib, "rte_vhost_driver_register", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
        unregister = h(lib, "rte_vhost_driver_unregister", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        callbackRegister = h(lib, "rte_vhost_driver_callback_register", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        start = h(lib, "rte_vhost_driver_start", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        disableFeatures = h(lib, "rte_vhost_driver_disable_features", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
        Linker.Option critical = Linker.Option.critical(false);
        enqueue = h(lib, "rte_vhost_enqueue_burst",
                FunctionDescriptor.of(JAVA_SHORT, JAVA_INT, JAVA_SHORT, ADDRESS, JAVA_SHORT), critical);
        dequeue = h(lib, "rte_vhost_dequeue_burst",
                FunctionDescriptor.of(JAVA_SHORT, JAVA_INT, JAVA_SHORT, ADDRESS, ADDRESS, JAVA_SHORT), critical);
        ifname = h(lib, "rte_vhost_get_ifname", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_LONG));
        vringNum = h(lib, "rte_vhost_get_vring_num", FunctionDescriptor.of(JAVA_SHORT, JAVA_INT));
        numaNode = h(lib, "rte_vhost_get_numa_node", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
        negotiatedFeatures = h(lib, "rte_vhost_get_negotiated_features", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
        mtu = h(lib, "rte_vhost_get_mtu", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
        enableGuestNotification = h(lib, "rte_vhost_enable_guest_notification",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_SHORT, JAVA_INT));
    }

    private static MethodHandle h(SymbolLookup lib, String name, FunctionDescriptor fd, Linker.Option... options) {
        MemorySegment sym = lib.find(name).orElseThrow(() -> new UnsatisfiedLinkError("symbol " + name + " not found"));
        return LINKER.downcallHandle(sym, fd, options);
    }

    /** Loads librte_vhost (and, through its dependencies, the rest of DPDK, already in the process). */
    static Vhost load() {
        Vhost v = new Vhost(SymbolLookup.libraryLookup(java.nio.file.Path.of(LIBRARY), Arena.global()));
        loaded = v;
        return v;
    }

    private static volatile Vhost loaded;

    /** The per-burst calls as constants for the JIT (initialized on first use, after {@link #load}). */
    static final class Burst {
        static final MethodHandle ENQUEUE = loaded.enqueue;
        static final MethodHandle DEQUEUE = loaded.dequeue;

        private Burst() {
        }
    }

    /** What DPDK's vhost thread calls; implementations must never throw. */
    interface Callbacks {
        int newDevice(int vid);

        void destroyDevice(int vid);

        int vringStateChanged(int vid, int queueId, int enable);

        /** The socket connection ended (after destroy_device, if the guest had a device). */
        void destroyConnection(int vid);
    }

    /**
     * Builds a {@code struct rte_vhost_device_ops} whose entries call {@code callbacks}. The
     * memory and stubs live for the process: DPDK may call until every driver is unregistered.
     */
    static MemorySegment deviceOps(Callbacks callbacks) {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            MethodHandle newDev = l.findVirtual(Callbacks.class, "newDevice", MethodType.methodType(int.class, int.class))
                    .bindTo(callbacks);
            MethodHandle destroy = l.findVirtual(Callbacks.class, "destroyDevice", MethodType.methodType(void.class, int.class))
                    .bindTo(callbacks);
            MethodHandle vring = l.findVirtual(Callbacks.class, "vringStateChanged",
                    MethodType.methodType(int.class, int.class, int.class, int.class)).bindTo(callbacks);
            Arena global = Arena.global();
            MemorySegment ops = global.allocate(64);
            ops.set(ADDRESS, 0, LINKER.upcallStub(newDev, FunctionDescriptor.of(JAVA_INT, JAVA_INT), global));
            ops.set(ADDRESS, 8, LINKER.upcallStub(destroy, FunctionDescriptor.ofVoid(JAVA_INT), global));
            // vring_state_changed(int vid, uint16_t queue_id, int enable): the short widened by a filter.
            MethodHandle vringShort = MethodHandles.filterArguments(vring, 1,
                    l.findStatic(Vhost.class, "unsigned", MethodType.methodType(int.class, short.class)));
            ops.set(ADDRESS, 16, LINKER.upcallStub(vringShort, FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_SHORT, JAVA_INT), global));
            // 24 features_changed and 32 new_connection stay NULL, as in Open vSwitch.
            MethodHandle destroyConnection = l.findVirtual(Callbacks.class, "destroyConnection",
                    MethodType.methodType(void.class, int.class)).bindTo(callbacks);
            ops.set(ADDRESS, 40, LINKER.upcallStub(destroyConnection, FunctionDescriptor.ofVoid(JAVA_INT), global));
            return ops;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unused") // argument filter for the vring upcall
    private static int unsigned(short s) {
        return s & 0xffff;
    }

    /** The socket path DPDK knows device {@code vid} by. */
    String ifname(int vid) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(4096);
            int rc = (int) ifname.invokeExact(vid, buf, 4096L);
            return rc == 0 ? buf.getString(0) : null;
        } catch (Throwable t) {
            return null;
        }
    }

    static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw new IllegalStateException(t);
    }
}
