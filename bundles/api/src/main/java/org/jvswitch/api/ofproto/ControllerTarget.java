package org.jvswitch.api.ofproto;

/**
 * One {@code Controller} row of a bridge: its {@code target} ("tcp:IP[:PORT]", "unix:PATH" to
 * connect to; "ptcp:PORT[:IP]", "punix:PATH" to listen on), the inactivity probe interval and the
 * longest reconnection backoff, in milliseconds.
 */
public record ControllerTarget(String target, int inactivityProbeMillis, int maxBackoffMillis) {
    /** Open vSwitch's defaults: a probe after 5 s of silence, backoff up to 8 s. */
    public static ControllerTarget of(String target) {
        return new ControllerTarget(target, 5_000, 8_000);
    }
}
