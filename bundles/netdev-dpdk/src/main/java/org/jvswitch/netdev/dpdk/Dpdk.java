package org.jvswitch.netdev.dpdk;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BOOLEAN;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * DPDK 22.11's functions as method handles (Panama downcalls), and the layouts of the few structs
 * the switch reads. Loading the shim library (jvs_dpdk.c: the header inlines) also loads DPDK's
 * own libraries, on which it depends, so one lookup finds every symbol.
 *
 * <p>Handles marked critical are the per-burst calls: short, non-blocking, off-heap arguments only.
 */
final class Dpdk {
    static final Linker LINKER = Linker.nativeLinker();
    /** The whole address space, for reading mbufs and device memory at the addresses DPDK hands out. */
    static final MemorySegment ALL = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);
    static final String SHIM = "libjvsdpdk.so";

    // struct rte_mbuf (rte_mbuf_core.h), 128 bytes; the mempool's private area follows it.
    static final int MBUF_BUF_ADDR = 0;
    static final int MBUF_DATA_OFF = 16;
    static final int MBUF_NB_SEGS = 20;
    static final int MBUF_PKT_LEN = 36;
    static final int MBUF_DATA_LEN = 40;
    static final int MBUF_BUF_LEN = 54;
    static final int MBUF_POOL = 56;
    static final int MBUF_SIZE = 128;
    /** Bytes of private area we ask every mbuf to carry: our handle index. */
    static final int MBUF_PRIV = 8;
    static final int HEADROOM = 128;

    // struct rte_eth_dev_info, 376 bytes
    static final int INFO_SIZE = 376;
    static final int INFO_DEVICE = 0;
    static final int INFO_DRIVER_NAME = 8;
    static final int INFO_IF_INDEX = 16;
    static final int INFO_MIN_MTU = 20;
    static final int INFO_MAX_MTU = 22;
    static final int INFO_MIN_RX_BUFSIZE = 32;
    static final int INFO_MAX_RX_PKTLEN = 36;
    static final int INFO_MAX_RX_QUEUES = 44;
    static final int INFO_MAX_TX_QUEUES = 46;
    // struct rte_eth_conf, 2272 bytes: rxmode.mtu at 8 + 4
    static final int CONF_SIZE = 2272;
    static final int CONF_RXMODE_MTU = 12;
    // struct rte_eth_stats, 704 bytes
    static final int STATS_SIZE = 704;
    static final int XSTAT_SIZE = 16;
    static final int XSTAT_NAME_SIZE = 64;

    final MethodHandle ealInit;
    final MethodHandle version;
    final MethodHandle openlogStream;
    final MethodHandle mpDisable;
    final MethodHandle devProbe;
    final MethodHandle devRemove;
    final MethodHandle devReset;
    final MethodHandle callbackRegister;
    final MethodHandle callbackUnregister;
    final MethodHandle portByName;
    final MethodHandle iteratorInit;
    final MethodHandle iteratorNext;
    final MethodHandle iteratorCleanup;
    final MethodHandle isValidPort;
    final MethodHandle findNextOwnedBy;
    final MethodHandle devInfo;
    final MethodHandle devConfigure;
    final MethodHandle rxQueueSetup;
    final MethodHandle txQueueSetup;
    final MethodHandle devStart;
    final MethodHandle devStop;
    final MethodHandle devClose;
    final MethodHandle devSocketId;
    final MethodHandle macaddrGet;
    final MethodHandle linkGetNowait;
    final MethodHandle promiscuousEnable;
    final MethodHandle statsGet;
    final MethodHandle xstatsGetNames;
    final MethodHandle xstatsGet;
    final MethodHandle setLinkUp;
    final MethodHandle setLinkDown;
    final MethodHandle poolCreate;
    final MethodHandle objIter;
    final MethodHandle mempoolFree;
    final MethodHandle availCount;
    final MethodHandle inUseCount;
    final MethodHandle mempoolDump;
    final MethodHandle threadRegister;
    final MethodHandle threadUnregister;
    final MethodHandle strerror;
    // shim (header inlines)
    final MethodHandle rxBurst;
    final MethodHandle txBurst;
    final MethodHandle allocBulk;
    final MethodHandle freeBulk;
    final MethodHandle errno;
    final MethodHandle lcoreId;
    // libc
    final MethodHandle pipe;
    final MethodHandle fdopen;
    final MethodHandle setvbuf;
    final MethodHandle fputs;
    final MethodHandle fflush;
    final MethodHandle fclose;
    final MethodHandle close;
    final MethodHandle openMemstream;
    final MethodHandle free;

    private final SymbolLookup lookup;

    private Dpdk(SymbolLookup lookup) {
        this.lookup = lookup;
        ealInit = h("rte_eal_init", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
        version = h("rte_version", FunctionDescriptor.of(ADDRESS));
        openlogStream = h("rte_openlog_stream", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        mpDisable = h("rte_mp_disable", FunctionDescriptor.of(JAVA_BOOLEAN));
        devProbe = h("rte_dev_probe", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        devRemove = h("rte_dev_remove", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        devReset = h("rte_eth_dev_reset", FunctionDescriptor.of(JAVA_INT, JAVA_SHORT));
        callbackRegister = h("rte_eth_dev_callback_register",
                FunctionDescriptor.of(JAVA_INT, JAVA_SHORT, JAVA_INT, ADDRESS, ADDRESS));
        callbackUnregister = h("rte_eth_dev_callback_unregister",
                FunctionDescriptor.of(JAVA_INT, JAVA_SHORT, JAVA_INT, ADDRESS, ADDRESS));
        portByName = h("rte_eth_dev_get_port_by_name", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        iteratorInit = h("rte_eth_iterator_init", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        iteratorNext = h("rte_eth_iterator_next", FunctionDescriptor.of(JAVA_SHORT, ADDRESS));
        iteratorCleanup = h("rte_eth_iterator_cleanup", FunctionDescriptor.ofVoid(ADDRESS));
        isValidPort = h("rte_eth_dev_is_valid_port", FunctionDescriptor.of(JAVA_INT, JAVA_SHORT));
        findNextOwnedBy = h("rte_eth_find_next_owned_by",
                FunctionDescriptor.of(java.lang.foreign.ValueLayout.JAVA_LONG, JAVA_SHORT, java.lang.foreign.ValueLayout.JAVA_LONG));
        devInfo = h("rte_eth_dev_info_get", FunctionDescriptor.of(JAVA_INT, JAVA_SHORT, ADDRESS));
        devConfigure = h("rte_eth_dev_configure", FunctionDescriptor.of(JAVA_INT, JAVA_SHORT, JAVA_SHORT, JAVA_SHORT, ADDRESS));
        rxQueueSetup = h("rte_eth_rx_queue_setup",
                FunctionDescriptor.of(JAVA_INT, JAVA_SHORT, JAVA_SHORT, JAVA_SHORT, JAVA_INT, ADDRESS, ADDRESS));
        txQueueSetup = h("rte_eth_tx_queue_setup",
                FunctionDescriptor.of(JAVA_INT, JAVA_SHORT, JAVA_SHORT, JAVA_SHORT, JAVA_INT, ADDRESS));
        devStart = h("rte_eth_dev_start", FunctionDescriptor.of(JAVA_INT, JAVA_SHORT));
        devStop = h("rte_eth_dev_stop", FunctionDescriptor.of(JAVA_INT, JAVA_SHORT));
        devClose = h("rte_eth_dev_close", FunctionDescriptor.of(JAVA_INT, JAVA_SHORT));
        devSocketId = h("rte_eth_dev_socket_id", FunctionDescriptor.of(JAVA_INT, JAVA_SHORT));
        macaddrGet = h("rte_eth_macaddr_get", FunctionDescriptor.of(JAVA_INT, JAVA_SHORT, ADDRESS));
        linkGetNowait = h("rte_eth_link_get_nowait", FunctionDescriptor.of(JAVA_INT, JAVA_SHORT, ADDRESS));
        promiscuousEnable = h("rte_eth_promiscuous_enable", FunctionDescriptor.of(JAVA_INT, JAVA_SHORT));
        statsGet = h("rte_eth_stats_get", FunctionDescriptor.of(JAVA_INT, JAVA_SHORT, ADDRESS));
        xstatsGetNames = h("rte_eth_xstats_get_names", FunctionDescriptor.of(JAVA_INT, JAVA_SHORT, ADDRESS, JAVA_INT));
        xstatsGet = h("rte_eth_xstats_get", FunctionDescriptor.of(JAVA_INT, JAVA_SHORT, ADDRESS, JAVA_INT));
        setLinkUp = h("rte_eth_dev_set_link_up", FunctionDescriptor.of(JAVA_INT, JAVA_SHORT));
        setLinkDown = h("rte_eth_dev_set_link_down", FunctionDescriptor.of(JAVA_INT, JAVA_SHORT));
        poolCreate = h("rte_pktmbuf_pool_create",
                FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_INT, JAVA_INT, JAVA_SHORT, JAVA_SHORT, JAVA_INT));
        objIter = h("rte_mempool_obj_iter", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS));
        mempoolFree = h("rte_mempool_free", FunctionDescriptor.ofVoid(ADDRESS));
        availCount = h("rte_mempool_avail_count", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        inUseCount = h("rte_mempool_in_use_count", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        mempoolDump = h("rte_mempool_dump", FunctionDescriptor.ofVoid(ADDRESS, ADDRESS));
        threadRegister = h("rte_thread_register", FunctionDescriptor.of(JAVA_INT));
        threadUnregister = h("rte_thread_unregister", FunctionDescriptor.ofVoid());
        strerror = h("rte_strerror", FunctionDescriptor.of(ADDRESS, JAVA_INT));
        Linker.Option critical = Linker.Option.critical(false);
        rxBurst = h("jvs_rx_burst", FunctionDescriptor.of(JAVA_SHORT, JAVA_SHORT, JAVA_SHORT, ADDRESS, JAVA_SHORT), critical);
        txBurst = h("jvs_tx_burst", FunctionDescriptor.of(JAVA_SHORT, JAVA_SHORT, JAVA_SHORT, ADDRESS, JAVA_SHORT), critical);
        allocBulk = h("jvs_pktmbuf_alloc_bulk", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT), critical);
        freeBulk = h("rte_pktmbuf_free_bulk", FunctionDescriptor.ofVoid(ADDRESS, JAVA_INT), critical);
        errno = h("jvs_errno", FunctionDescriptor.of(JAVA_INT));
        lcoreId = h("jvs_lcore_id", FunctionDescriptor.of(JAVA_INT));
        SymbolLookup libc = LINKER.defaultLookup();
        pipe = libc("pipe", libc, FunctionDescriptor.of(JAVA_INT, ADDRESS));
        fdopen = libc("fdopen", libc, FunctionDescriptor.of(ADDRESS, JAVA_INT, ADDRESS));
        setvbuf = libc("setvbuf", libc, FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, java.lang.foreign.ValueLayout.JAVA_LONG));
        fputs = libc("fputs", libc, FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        fflush = libc("fflush", libc, FunctionDescriptor.of(JAVA_INT, ADDRESS));
        fclose = libc("fclose", libc, FunctionDescriptor.of(JAVA_INT, ADDRESS));
        close = libc("close", libc, FunctionDescriptor.of(JAVA_INT, JAVA_INT));
        openMemstream = libc("open_memstream", libc, FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS));
        free = libc("free", libc, FunctionDescriptor.ofVoid(ADDRESS));
    }

    private MethodHandle h(String name, FunctionDescriptor fd, Linker.Option... options) {
        MemorySegment sym = lookup.find(name).orElseThrow(() -> new UnsatisfiedLinkError("DPDK symbol " + name + " not found"));
        return LINKER.downcallHandle(sym, fd, options);
    }

    private static MethodHandle libc(String name, SymbolLookup libc, FunctionDescriptor fd) {
        return LINKER.downcallHandle(libc.find(name).orElseThrow(() -> new UnsatisfiedLinkError(name)), fd);
    }

    /**
     * Loads the shim from {@code dir} (where {@link #extractShim} put it) and DPDK with it.
     *
     * @throws UnsatisfiedLinkError with the loader's reason when DPDK's libraries are missing
     */
    static Dpdk load(Path shim) {
        // Arena.global(): DPDK's libraries cannot be unloaded once EAL ran (it keeps threads and
        // memory); the shim is tiny and stateless.
        Dpdk d = new Dpdk(SymbolLookup.libraryLookup(shim, Arena.global()));
        loaded = d;
        return d;
    }

    private static volatile Dpdk loaded;

    /** The bindings this bundle generation loaded (for {@link Burst}'s constants). */
    static Dpdk loaded() {
        Dpdk d = loaded;
        if (d == null) {
            throw new IllegalStateException("DPDK not loaded");
        }
        return d;
    }

    /**
     * The per-burst calls as static finals: constants to the JIT, which then inlines the
     * downcall into the polling loop instead of going through a method handle per call. Loaded
     * on first use, after {@link #load}.
     */
    static final class Burst {
        static final MethodHandle RX = loaded().rxBurst;
        static final MethodHandle TX = loaded().txBurst;
        static final MethodHandle FREE = loaded().freeBulk;
        static final MethodHandle ALLOC = loaded().allocBulk;

        private Burst() {
        }
    }

    /**
     * Copies the shim out of the bundle (or the test class path) into {@code dir}, under a fresh
     * name so that a library a previous bundle generation loaded is never overwritten in place.
     *
     * @return the file, or null if this build has no shim (DPDK's headers were not installed)
     */
    static Path extractShim(Path dir) throws IOException {
        try (InputStream in = Dpdk.class.getResourceAsStream("/native/" + SHIM)) {
            if (in == null) {
                return null;
            }
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, "libjvsdpdk-", ".so");
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            tmp.toFile().deleteOnExit();
            return tmp;
        }
    }

    /** struct rte_dev_iterator: seven pointers. */
    private static final long DEV_ITERATOR_SIZE = 7 * 8;

    /**
     * The ethdev port that {@code devargs} names, as Open vSwitch finds it: {@code class=eth,mac=}
     * by the port's MAC address, anything else through DPDK's device iterator, which knows a PCI
     * address in its short and long forms as well as a virtual device's name; -1 if none.
     */
    int portByDevargs(String devargs) {
        if (devargs.startsWith("class=eth,mac=")) {
            return portByMac(devargs.substring("class=eth,mac=".length()));
        }
        String first = devargs.split(",", 2)[0].trim();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment it = a.allocate(DEV_ITERATOR_SIZE, 8);
            // Only the classic syntax (a device name or PCI address first) goes to the iterator:
            // DPDK 22.11's iterator crashes the process on some of its own key=value forms
            // (bus=vdev,name=... measured).
            if (!first.contains("=") && (int) iteratorInit.invokeExact(it, a.allocateFrom(devargs)) == 0) {
                int id = (short) iteratorNext.invokeExact(it) & 0xffff;
                if ((int) isValidPort.invokeExact((short) id) != 0) {
                    iteratorCleanup.invokeExact(it);   // stopped before the end (the end cleans up itself)
                    return id;
                }
                return -1;
            }
            // Devargs the iterator cannot parse: the device's name, as DPDK's ethdev knows it.
            MemorySegment id = a.allocate(JAVA_SHORT);
            int rc = (int) portByName.invokeExact(a.allocateFrom(first), id);
            return rc == 0 ? id.get(JAVA_SHORT, 0) & 0xffff : -1;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** The port whose MAC address is {@code mac} (xx:xx:xx:xx:xx:xx), or -1. */
    private int portByMac(String mac) {
        long want = parseMac(mac);
        if (want < 0) {
            return -1;
        }
        try (Arena a = Arena.ofConfined()) {
            MemorySegment addr = a.allocate(8);
            // The ports no other driver owns, as RTE_ETH_FOREACH_DEV walks them: a bond's members
            // carry the bond's MAC and must not be found in its place.
            for (long p = (long) findNextOwnedBy.invokeExact((short) 0, 0L);
                    p >= 0 && p <= 0xffff && (int) isValidPort.invokeExact((short) p) != 0;
                    p = (long) findNextOwnedBy.invokeExact((short) (p + 1), 0L)) {
                if ((int) macaddrGet.invokeExact((short) p, addr) != 0) {
                    continue;
                }
                long have = 0;
                for (int i = 0; i < 6; i++) {
                    have = have << 8 | (addr.get(JAVA_BYTE, i) & 0xff);
                }
                if (have == want) {
                    return (int) p;
                }
            }
            return -1;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** A MAC address as 48 bits, or -1 if {@code s} is not one. */
    static long parseMac(String s) {
        String[] parts = s.trim().split(":", -1);
        if (parts.length != 6) {
            return -1;
        }
        long v = 0;
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 2) {
                return -1;
            }
            try {
                v = v << 8 | Integer.parseInt(part, 16);
            } catch (NumberFormatException e) {
                return -1;
            }
        }
        return v;
    }

    /** The C string at {@code p}, or "" for NULL. */
    static String string(MemorySegment p) {
        return p.equals(MemorySegment.NULL) ? "" : p.reinterpret(Integer.MAX_VALUE).getString(0);
    }

    /** DPDK's text for an error number (rte_strerror covers DPDK's own codes too). */
    String strerror(int err) {
        try {
            return string((MemorySegment) strerror.invokeExact(Math.abs(err)));
        } catch (Throwable t) {
            return "error " + err;
        }
    }

    /** rte_errno of the calling thread. */
    int rteErrno() {
        try {
            return (int) errno.invokeExact();
        } catch (Throwable t) {
            return 0;
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
