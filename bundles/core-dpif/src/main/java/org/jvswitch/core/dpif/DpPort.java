package org.jvswitch.core.dpif;

import org.jvswitch.api.netdev.Netdev;

/** A datapath port: number, netdev, and what the datapath caches about it. Immutable. */
final class DpPort {
    final int portNo;
    final Netdev netdev;
    final String type;
    final boolean pmd;
    final int nTxq;

    DpPort(int portNo, Netdev netdev, boolean pmd) {
        this.portNo = portNo;
        this.netdev = netdev;
        this.type = netdev.type();
        this.pmd = pmd;
        this.nTxq = Math.max(1, netdev.nTxq());
    }
}
