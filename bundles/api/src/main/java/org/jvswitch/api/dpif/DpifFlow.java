package org.jvswitch.api.dpif;

import org.jvswitch.api.flow.FlowKey;

/**
 * A datapath flow as dumped: masked key, mask, actions and statistics (copies; the caller owns
 * them). {@code usedMillis} is the wall-clock time of the last hit, 0 if never hit;
 * {@code tcpFlags} the OR of the TCP flags of every packet it matched (Open vSwitch's
 * {@code dpif_flow_stats.tcp_flags}).
 */
public record DpifFlow(FlowKey key, FlowKey mask, DpActions actions, long packets, long bytes, long usedMillis,
                       int tcpFlags) {
    /** A flow with no TCP flags seen (the form of version 1.0). */
    public DpifFlow(FlowKey key, FlowKey mask, DpActions actions, long packets, long bytes, long usedMillis) {
        this(key, mask, actions, packets, bytes, usedMillis, 0);
    }
}
