package org.jvswitch.api.dpif;

/**
 * Datapath-wide counters (Open vSwitch's {@code struct dpif_dp_stats}): packets that matched a
 * flow, packets that missed and were upcalled, packets lost (failed upcall), and the flow count.
 */
public record DpifStats(long hit, long missed, long lost, long flows) {
}
