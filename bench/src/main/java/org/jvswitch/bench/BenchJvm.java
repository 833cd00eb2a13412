package org.jvswitch.bench;

/**
 * JVM options of every benchmark fork. The garbage collector is named because bench/run.sh pins
 * the run to one core, and with one visible CPU the JVM would pick SerialGC, whose write barrier
 * is cheaper than the G1 barrier the switch runs with on a real machine (two cores or more).
 */
public final class BenchJvm {
    public static final String GC = "-XX:+UseG1GC";
    public static final String HEAP_MIN = "-Xms1g";
    public static final String HEAP_MAX = "-Xmx1g";
    public static final String NATIVE = "--enable-native-access=ALL-UNNAMED";
    public static final String UNSAFE = "--sun-misc-unsafe-memory-access=allow";

    private BenchJvm() {
    }
}
