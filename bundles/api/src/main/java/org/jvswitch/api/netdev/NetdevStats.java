package org.jvswitch.api.netdev;

/** Port counters as in the {@code Interface.statistics} column. */
public record NetdevStats(long rxPackets, long txPackets, long rxBytes, long txBytes,
                          long rxDropped, long txDropped, long rxErrors, long txErrors) {
    public static final NetdevStats ZERO = new NetdevStats(0, 0, 0, 0, 0, 0, 0, 0);
}
