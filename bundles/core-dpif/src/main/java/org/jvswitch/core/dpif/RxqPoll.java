package org.jvswitch.core.dpif;

import org.jvswitch.api.netdev.Rxq;

/**
 * One receive queue as a polling thread sees it (Open vSwitch's {@code dp_netdev_rxq}), with the
 * time spent processing its packets, which the "cycles" assignment balances on.
 */
final class RxqPoll {
    final DpPort port;
    final Rxq rxq;
    /** Nanoseconds spent processing this queue's packets; written by its polling thread only. */
    volatile long busyNanos;

    RxqPoll(DpPort port, Rxq rxq) {
        this.port = port;
        this.rxq = rxq;
    }

    String name() {
        return port.netdev.name() + " queue-id " + rxq.id();
    }
}
