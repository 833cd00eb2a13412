package org.jvswitch.ofproto;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.jvswitch.api.dpif.DpActions;
import org.jvswitch.api.dpif.Dpif;
import org.jvswitch.api.dpif.UpcallHandler;
import org.jvswitch.api.flow.FlowKey;
import org.jvswitch.api.packet.DpPacket;

/**
 * The datapath shared by every bridge of one datapath type (Open vSwitch's {@code dpif_backer}):
 * routes each upcall to the bridge that owns the packet's input port.
 */
final class Backer implements UpcallHandler {
    final Dpif dpif;
    final String type;
    private final Map<Integer, OfprotoDpif> byOdpPort = new ConcurrentHashMap<>();
    final List<OfprotoDpif> ofprotos = new CopyOnWriteArrayList<>();

    Backer(String type, Dpif dpif) {
        this.type = type;
        this.dpif = dpif;
        dpif.setUpcallHandler(this);
    }

    /**
     * The lowest datapath port number not in use, chosen before a port is added so that its
     * ofproto knows it before its first packet. Only the bridge thread adds ports.
     */
    int freeOdpPort() {
        java.util.Set<Integer> used = new java.util.HashSet<>();
        for (org.jvswitch.api.dpif.DpifPort p : dpif.ports()) {
            used.add(p.portNo());
        }
        int no = 1;
        while (used.contains(no)) {
            no++;
        }
        return no;
    }

    /** Datapath meter numbers in use (1..65535), shared by the backer's bridges. */
    private final java.util.BitSet meterIds = new java.util.BitSet();

    synchronized int allocateMeter() {
        int id = meterIds.nextClearBit(1);
        meterIds.set(id);
        return id;
    }

    synchronized void freeMeter(int id) {
        meterIds.clear(id);
    }

    void bind(int odpPort, OfprotoDpif ofproto) {
        byOdpPort.put(odpPort, ofproto);
    }

    /** Forgets {@code odpPort} if it still belongs to {@code ofproto} (the number may be reused). */
    void unbind(int odpPort, OfprotoDpif ofproto) {
        byOdpPort.remove(odpPort, ofproto);
    }

    @Override
    public DpActions upcall(DpPacket packet, FlowKey key, FlowKey mask) {
        OfprotoDpif ofproto = byOdpPort.get(key.inPort());
        if (ofproto == null) {
            // A port being removed: drop this packet without installing a flow.
            return null;
        }
        return ofproto.translate(key, mask);
    }

    @Override
    public void action(DpPacket packet, long cookie) {
        OfprotoDpif ofproto = byOdpPort.get(packet.inPort);
        if (ofproto != null) {
            ofproto.packetIn(packet, cookie);
        }
    }

    /** Name as Open vSwitch shows it, e.g. "netdev@ovs-netdev". */
    String fullName() {
        return type + "@" + dpif.name();
    }
}
