package org.jvswitch.ofproto;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

import org.jvswitch.api.dpif.DpifFlow;
import org.jvswitch.ofproto.ofp.OfRule;

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
    /** Packet and byte counts seen at the previous pass, by flow (masked key + mask). */
    private Map<OfprotoDpif.FlowId, long[]> lastCounts = new HashMap<>();

    Revalidator(OfprotoServiceImpl service) {
        this.service = service;
    }


    void run(Collection<Backer> backers, long now) {
        Map<OfprotoDpif.FlowId, long[]> seen = new HashMap<>();
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
                OfprotoDpif.FlowId id = new OfprotoDpif.FlowId(f.key(), f.mask());
                if (now - used > MAX_IDLE_MILLIS && f.usedMillis() != 0) {
                    b.dpif.flowDel(f.key(), f.mask());
                    continue;
                }
                long[] before = lastCounts.getOrDefault(id, new long[2]);
                if (f.packets() > before[0]) {
                    refresh(b, f, used);
                    // OpenFlow rule statistics come from the datapath flows each rule decided.
                    for (OfprotoDpif o : b.ofprotos) {
                        java.util.List<OfRule.Counters> rules = o.countersOf(id);
                        if (rules != null) {
                            for (OfRule.Counters c : rules) {
                                c.add(f.packets() - before[0], f.bytes() - before[1]);
                            }
                            o.tcpFlagsSeen(id, f.tcpFlags());
                            break;
                        }
                    }
                }
                seen.put(id, new long[] {f.packets(), f.bytes()});
            }
        }
        lastCounts = seen;
        // OpenFlow idle and hard timeouts, checked after the counters were brought up to date.
        long nowNanos = System.nanoTime();
        for (OfprotoDpif o : service.bridges().values()) {
            for (org.jvswitch.ofproto.ofp.OfRule r : o.tables.expire(nowNanos)) {
                if ((r.flags & org.jvswitch.ofproto.ofp.OfRule.FLAG_SEND_FLOW_REM) != 0) {
                    o.connmgr.sendFlowRemoved(r, r.hardExpired(nowNanos) ? org.jvswitch.ofproto.ofp.OfTables.REASON_HARD
                            : org.jvswitch.ofproto.ofp.OfTables.REASON_IDLE);
                }
            }
            o.checkMissInterest();
            o.checkFailOpen(System.currentTimeMillis());
            o.recheck(System.currentTimeMillis());
            o.checkCarriers();
        }
        for (Backer b : backers) {
            for (OfprotoDpif o : b.ofprotos) {
                o.retainDecisions(seen.keySet(), now, 5_000);
            }
        }
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
