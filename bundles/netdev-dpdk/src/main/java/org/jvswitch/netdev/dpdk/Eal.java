package org.jvswitch.netdev.dpdk;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts DPDK's Environment Abstraction Layer (rte_eal_init), once per process. */
final class Eal {
    private static final Logger LOG = LoggerFactory.getLogger(Eal.class);
    private static final int EALREADY = 114;
    static final String TWICE = "DPDK cannot start twice in one process";

    private Eal() {
    }

    /**
     * What the machine offers DPDK, for a memory failure's message: free and total hugepages of
     * the default size, and whether hugetlbfs is mounted.
     */
    static String hugepageDiagnosis() {
        long total = -1;
        long free = -1;
        String size = "?";
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/meminfo"))) {
                String[] f = line.split(":\\s*");
                if (f.length < 2) {
                    continue;
                }
                switch (f[0]) {
                    case "HugePages_Total" -> total = Long.parseLong(f[1].trim());
                    case "HugePages_Free" -> free = Long.parseLong(f[1].trim());
                    case "Hugepagesize" -> size = f[1].trim();
                    default -> { }
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            return "hugepages unknown: " + e.getMessage();
        }
        String mount = "hugetlbfs not mounted";
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/mounts"))) {
                String[] f = line.split(" ");
                if (f.length > 2 && f[2].equals("hugetlbfs")) {
                    mount = "hugetlbfs on " + f[1];
                    break;
                }
            }
        } catch (java.io.IOException e) {
            mount = "mounts unknown";
        }
        return free + " of " + total + " hugepages of " + size + " free, " + mount
                + (total <= 0 ? "; reserve some: echo 1024 > /proc/sys/vm/nr_hugepages (./dev dpdk does)" : "");
    }

    /**
     * Runs rte_eal_init with {@code args} (argv[0] first) on a thread of its own: EAL pins the
     * calling thread to the main lcore, and every thread that one creates later inherits it, so
     * no other Java thread must make the call.
     *
     * @return null when EAL is up, else the reason: the last error DPDK logged, or rte_errno's text
     */
    static String start(Dpdk dpdk, DpdkLog log, List<String> args) {
        log.clearRecent();
        int[] result = new int[2];
        Thread t = new Thread(() -> {
            try (Arena a = Arena.ofConfined()) {
                MemorySegment argv = a.allocate(ValueLayout.ADDRESS, args.size() + 1);
                for (int i = 0; i < args.size(); i++) {
                    argv.setAtIndex(ValueLayout.ADDRESS, i, a.allocateFrom(args.get(i)));
                }
                result[0] = (int) dpdk.ealInit.invokeExact(args.size(), argv);
                result[1] = result[0] < 0 ? dpdk.rteErrno() : 0;
            } catch (Throwable e) {
                result[0] = -1;
                LOG.error("rte_eal_init failed", e);
            }
        }, "dpdk-eal-init");
        t.start();
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
        log.sync();
        if (result[0] >= 0) {
            try {
                boolean disabled = (boolean) dpdk.mpDisable.invokeExact();
                if (!disabled) {
                    LOG.warn("Could not disable DPDK multiprocess");
                }
            } catch (Throwable e) {
                LOG.warn("rte_mp_disable: {}", e.toString());
            }
            System.setProperty(DpdkEnvironmentImpl.EAL_PROPERTY, String.join(" ", args));
            return null;
        }
        String said = DpdkLog.lastError(log.recent());
        String reason = said != null ? said : dpdk.strerror(result[1]);
        if (reason.contains("memory") || reason.contains("huge")) {
            reason += " (" + hugepageDiagnosis() + ")";
        }
        if (result[1] == EALREADY) {
            reason += " (" + TWICE + ": restart jvswitch to apply the new dpdk options)";
        }
        return reason;
    }
}
