package org.jvswitch.ofproto;

import java.util.ArrayList;
import java.util.List;

import org.jvswitch.api.ofproto.Ofproto;
import org.jvswitch.ofproto.ofp.SwitchView;

/** A bridge as its OpenFlow connections see it. */
final class BridgeView implements SwitchView {
    private final OfprotoDpif bridge;

    BridgeView(OfprotoDpif bridge) {
        this.bridge = bridge;
    }

    @Override
    public String name() {
        return bridge.name();
    }

    /**
     * The Ethernet address of the bridge's local port, as Open vSwitch does without
     * other_config:datapath-id; else the lowest-numbered port's nonzero address; else a number made
     * from the bridge's name.
     */
    @Override
    public long datapathId() {
        long best = 0;
        int bestNo = Integer.MAX_VALUE;
        for (OfPort p : bridge.ports().values()) {
            long mac = p.netdev().mac() & 0xffffffffffffL;
            if (mac == 0) {
                continue;
            }
            if (p.ofport() == Ofproto.OFPP_LOCAL) {
                return mac;
            }
            if (p.ofport() < bestNo) {
                bestNo = p.ofport();
                best = mac;
            }
        }
        return best != 0 ? best : (bridge.name().hashCode() & 0xffffffffL) | 0x020000000000L;
    }

    @Override
    public List<Port> ports() {
        List<Port> out = new ArrayList<>();
        for (OfPort p : bridge.ports().values()) {
            out.add(new Port(p.ofport(), p.netdev(), p.addedNanos(), p.config()));
        }
        return out;
    }

    @Override
    public org.jvswitch.ofproto.ofp.OfMeters meters() {
        return bridge.meters;
    }

    @Override
    public org.jvswitch.ofproto.ofp.OfGroups groups() {
        return bridge.groups;
    }

    @Override
    public int portMod(int ofport, long hwAddr, int config, int mask) {
        return bridge.portMod(ofport, hwAddr, config, mask);
    }

    @Override
    public void flowRemoved(org.jvswitch.ofproto.ofp.OfRule rule, int reason) {
        bridge.connmgr.sendFlowRemoved(rule, reason);
    }

    @Override
    public boolean packetOut(byte[] frame, int inPort, List<org.jvswitch.ofproto.ofp.OfAction> actions) {
        return bridge.packetOut(frame, inPort, actions);
    }

    @Override
    public org.jvswitch.ofproto.ofp.OfTables flowTables() {
        return bridge.tables;
    }
}
