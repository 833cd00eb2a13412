package org.jvswitch.ofproto;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

import org.jvswitch.api.dpif.DpifFlow;
import org.jvswitch.api.flow.FlowKey;

/**
 * Keeps datapath flows and the MAC tables honest (Open vSwitch's revalidator threads): flows
 * about addresses that were learned or moved since they were decided are deleted (the next packet
 * is decided again); flows idle longer than {@link #MAX_IDLE_MILLIS} are deleted; a flow that carried packets since the last
 * pass refreshes the MAC entry of its source, so an address that keeps talking through the fast
 * path never ages out; expired MAC entries invalidate the flows that used them.
 */
final class Revalidator {
    /** Open vSwitch's default {@code max-idle}. */
    static final long MAX_IDLE_MILLIS = 10_000;

    private final OfprotoServiceImpl service;
    /** Packet counts seen at the previous pass, by flow (masked key + mask). */
    private Map<FlowId, Long> lastPackets = new HashMap<>();

    Revalidator(OfprotoServiceImpl service) {
        this.service = service;
    }

    private record FlowId(FlowKey key, FlowKey mask) {
    }

    void run(Collection<Backer> backers, long now) {
        Map<FlowId, Long> seen = new HashMap<>();
        for (Backer b : backers) {
            java.util.Set<Long> macs = new java.util.HashSet<>();
            for (OfprotoDpif o : b.ofprotos) {
                macs.addAll(o.takePendingMacs());
            }
            for (DpifFlow f : b.dpif.flowDump()) {
                if (!macs.isEmpty() && ((f.mask().dlDst() != 0 && macs.contains(f.key().dlDst()))
                        || (f.mask().dlSrc() != 0 && macs.contains(f.key().dlSrc())))) {
                    // Learned or moved since the flow was decided: decide it again.
                    b.dpif.flowDel(f.key(), f.mask());
                    continue;
                }
                long used = f.usedMillis() == 0 ? now : f.usedMillis();
                FlowId id = new FlowId(f.key(), f.mask());
                if (now - used > MAX_IDLE_MILLIS && f.usedMillis() != 0) {
                    b.dpif.flowDel(f.key(), f.mask());
                    continue;
                }
                Long before = lastPackets.get(id);
                if (f.packets() > (before == null ? 0 : before)) {
                    refresh(b, f, used);
                }
                seen.put(id, f.packets());
            }
        }
        lastPackets = seen;
        for (OfprotoDpif o : service.bridges().values()) {
            if (o.macs.expire(now) > 0) {
                // Destinations that aged out must be flooded again: let the flows be re-decided.
                o.backer().dpif.flowFlush();
            }
        }
    }

    private static void refresh(Backer b, DpifFlow f, long used) {
        if (f.mask().dlSrc() == 0) {
            return;
        }
        for (OfprotoDpif o : b.ofprotos) {
            OfPort p = o.portByOdp(f.key().inPort());
            if (p != null) {
                int vlan = p.vlan().inputVlan(f.key().hasVlan(), f.key().vlanVid());
                if (vlan >= 0) {
                    o.macs.learn(vlan, f.key().dlSrc(), p.ofport(), used);
                }
                return;
            }
        }
    }
}
