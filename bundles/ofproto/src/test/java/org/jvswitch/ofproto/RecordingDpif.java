package org.jvswitch.ofproto;

import java.util.ArrayList;
import java.util.List;

import org.jvswitch.api.dpif.DpActions;
import org.jvswitch.api.dpif.Dpif;
import org.jvswitch.api.dpif.DpifFlow;
import org.jvswitch.api.dpif.DpifPort;
import org.jvswitch.api.dpif.DpifStats;
import org.jvswitch.api.dpif.UpcallHandler;
import org.jvswitch.api.flow.FlowKey;
import org.jvswitch.api.netdev.Netdev;
import org.jvswitch.api.packet.DpPacket;

/** A test adapter datapath: numbers ports from 1 and counts flushes; no packets move. */
final class RecordingDpif implements Dpif {
    final List<DpifPort> ports = new ArrayList<>();
    UpcallHandler handler;
    int flushes;
    private int next = 1;

    @Override public String name() { return "ovs-netdev"; }
    @Override public String type() { return "netdev"; }

    @Override
    public int portAdd(Netdev netdev, int requestedPortNo) {
        int no = next++;
        ports.add(new DpifPort(no, netdev.name(), netdev.type(), netdev));
        return no;
    }

    @Override public void portDel(int portNo) { ports.removeIf(p -> p.portNo() == portNo); }
    @Override public List<DpifPort> ports() { return ports; }
    @Override public void setUpcallHandler(UpcallHandler h) { handler = h; }
    @Override public void flowFlush() { flushes++; }
    /** Datapath flows a test installs by hand; flowDel removes from here. */
    final List<DpifFlow> flows = new ArrayList<>();

    @Override
    public synchronized boolean flowDel(FlowKey maskedKey, FlowKey mask) {
        return flows.removeIf(f -> f.key().equals(maskedKey) && f.mask().equals(mask));
    }

    @Override public synchronized List<DpifFlow> flowDump() { return List.copyOf(flows); }

    /** Installs the datapath flow an upcall of {@code key} decides, as the datapath would. */
    synchronized DpifFlow install(FlowKey key) {
        FlowKey mask = new FlowKey();
        DpActions a = handler.upcall(null, key, mask);
        FlowKey masked = new FlowKey();
        masked.setMasked(key, mask);
        DpifFlow f = new DpifFlow(masked, mask, a, 0, 0, 0);
        flows.add(f);
        return f;
    }
    @Override public void execute(DpPacket packet, DpActions actions) { packet.free(); }
    @Override public DpifStats stats() { return new DpifStats(0, 0, 0, 0); }
}
