package org.jvswitch.api.dpif;

/**
 * A datapath meter (Open vSwitch's dpif meter with one drop band): packets beyond {@code rate}
 * (kilobits or packets per second) with bursts up to {@code burst} (kilobits or packets) are
 * dropped. {@code burst} 0 means one second's worth of the rate.
 */
public record DpMeter(boolean packetsPerSecond, long rate, long burst) {
}
