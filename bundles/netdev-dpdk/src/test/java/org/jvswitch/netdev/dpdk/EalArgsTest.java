package org.jvswitch.netdev.dpdk;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class EalArgsTest {
    @Test
    void defaultsAreInMemoryOwnPrefixAndLowestCore() {
        assertEquals(List.of("jvswitch", "--in-memory", "--file-prefix=p", "-l", "0"), EalArgs.build(Map.of(), 0, "p"));
    }

    @Test
    void databaseKeysMapToEalOptionsAfterExtra() {
        assertEquals(List.of("jvswitch", "--vdev=net_null0", "-c", "0x1", "--huge-dir", "/mnt/h", "--socket-limit", "1024",
                "--socket-mem", "512", "--in-memory", "--file-prefix=p"),
                EalArgs.build(Map.of("dpdk-extra", " --vdev=net_null0 ", "dpdk-lcore-mask", "0x1", "dpdk-hugepage-dir", "/mnt/h",
                        "dpdk-socket-limit", "1024", "dpdk-socket-mem", "512"), 3, "p"));
    }

    @Test
    void extraWinsOverKeysAndDefaults() {
        assertEquals(List.of("jvswitch", "--legacy-mem", "--file-prefix=mine", "-l", "1", "--socket-mem", "64"),
                EalArgs.build(Map.of("dpdk-extra", "--legacy-mem --file-prefix=mine -l 1 --socket-mem 64",
                        "dpdk-socket-mem", "1024"), 0, "p"));
    }
}
