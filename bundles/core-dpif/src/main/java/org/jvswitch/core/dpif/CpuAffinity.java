package org.jvswitch.core.dpif;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pins the calling thread to one core with Linux {@code sched_setaffinity(0, ...)}, through
 * Panama. Used by PMD threads at start, as Open vSwitch's {@code ovs_numa_thread_setaffinity_core}.
 */
final class CpuAffinity {
    private static final Logger LOG = LoggerFactory.getLogger(CpuAffinity.class);
    private static final int SET_BYTES = 128; // cpu_set_t: 1024 CPUs
    private static final MethodHandle SCHED_SETAFFINITY;

    static {
        MethodHandle h = null;
        try {
            Linker linker = Linker.nativeLinker();
            h = linker.downcallHandle(linker.defaultLookup().find("sched_setaffinity").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG,
                            ValueLayout.ADDRESS));
        } catch (RuntimeException | Error e) {
            LOG.warn("sched_setaffinity unavailable; PMD threads will not be pinned: {}", e.toString());
        }
        SCHED_SETAFFINITY = h;
    }

    private CpuAffinity() {
    }

    /** Pins the calling thread to {@code core}; returns false (and logs) if the kernel refused. */
    static boolean pinCurrentThread(int core) {
        if (SCHED_SETAFFINITY == null || core < 0 || core >= SET_BYTES * 8) {
            return false;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment set = arena.allocate(SET_BYTES);
            set.set(ValueLayout.JAVA_BYTE, core / 8, (byte) (1 << (core % 8)));
            int rc = (int) SCHED_SETAFFINITY.invokeExact(0, (long) SET_BYTES, set);
            if (rc != 0) {
                LOG.warn("could not pin thread {} to core {}", Thread.currentThread().getName(), core);
                return false;
            }
            return true;
        } catch (Throwable t) {
            LOG.warn("could not pin thread to core {}: {}", core, t.toString());
            return false;
        }
    }
}
