package org.jvswitch.api.dpif;

import org.jvswitch.api.flow.FlowKey;

/**
 * A datapath flow as dumped: masked key, mask, actions and statistics (copies; the caller owns
 * them). {@code usedMillis} is the wall-clock time of the last hit, 0 if never hit.
 */
public record DpifFlow(FlowKey key, FlowKey mask, DpActions actions, long packets, long bytes, long usedMillis) {
}
