package org.jvswitch.ofproto;

import java.util.Map;
import java.util.TreeMap;

import org.jvswitch.api.dpif.DpActions;
import org.jvswitch.api.dpif.DpifException;
import org.jvswitch.api.flow.FlowKey;
import org.jvswitch.api.netdev.Netdev;
import org.jvswitch.api.ofproto.Ofproto;
import org.jvswitch.api.ofproto.OfprotoException;
import org.jvswitch.ofproto.ofp.FlowTable;
import org.jvswitch.ofproto.ofp.OfAction;
import org.jvswitch.ofproto.ofp.OfRule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One bridge's OpenFlow switch over a shared datapath (Open vSwitch's {@code ofproto_dpif}). Its
 * flow table holds the default flow {@code priority=0,actions=NORMAL}, which {@link #translate}
 * implements as a learning switch: learn the source, forward to the learned port of the
 * destination, flood unknown and multicast destinations, never back out of the input port.
 *
 * <p>Thread-safety: ports are an immutable map replaced under {@code this} by the bridge's thread;
 * {@link #translate} runs on datapath threads and reads it without locks. Port operations call
 * into the datapath (which waits for polling threads) without holding {@code this} during the wait
 * where an upcall could need it.
 */
final class OfprotoDpif implements Ofproto {
    private static final Logger LOG = LoggerFactory.getLogger(OfprotoDpif.class);
    /** 01:80:c2:00:00:00 to 0f: reserved for bridge protocols (STP, LACP, ...), never forwarded by NORMAL. */
    private static final long RESERVED_MCAST_BASE = 0x0180c2000000L;
    private static final long BROADCAST = 0xffffffffffffL;

    private final String name;
    private final Backer backer;
    private final OfprotoServiceImpl service;
    final MacLearning macs = new MacLearning();
    private volatile Map<String, OfPort> ports = Map.of();
    private volatile Map<Integer, OfPort> byOdp = Map.of();
    private volatile boolean forwardBpdu;
    /** Buffers for packet-out frames; released with the bridge. */
    private final org.jvswitch.api.packet.PacketBufferPool packetOutPool =
            new org.jvswitch.api.packet.PacketBufferPool("packet-out", 64, 2048 + org.jvswitch.api.packet.PacketBufferPool.HEADROOM);

    /**
     * Packet-out: runs {@code frame} through OpenFlow {@code actions} as if received on OpenFlow
     * port {@code ofInPort} (an unknown port, CONTROLLER or NONE count as LOCAL) and executes the
     * result in the datapath. Returns false if no buffer is free or the frame does not fit.
     */
    boolean packetOut(byte[] frame, int ofInPort, java.util.List<org.jvswitch.ofproto.ofp.OfAction> actions) {
        OfPort in = byOfport(ofInPort == 0xfffe ? OFPP_LOCAL : ofInPort);
        if (in == null) {
            in = byOfport(OFPP_LOCAL);
        }
        if (in == null) {
            return false;
        }
        org.jvswitch.api.packet.DpPacket p = packetOutPool.alloc();
        if (p == null) {
            return false;
        }
        if (frame.length > p.capacity() - p.headroom()) {
            p.free();
            return false;
        }
        p.copyFrom(frame, 0, frame.length);
        p.inPort = in.odpPort();
        FlowKey key = new FlowKey();
        key.extract(p, in.odpPort());
        DpActions dp = new Xlate(in, key, new FlowKey()).run(actions);
        backer.dpif.execute(p, dp);
        return true;
    }

    /** Which rule's counters each installed megaflow (masked key, mask) adds to; pruned by the revalidator. */
    private final Map<FlowId, Decision> decisions = new java.util.concurrent.ConcurrentHashMap<>();

    private record Decision(OfRule.Counters counters, long madeMillis) {
    }

    /** A datapath flow's identity: masked key and mask. */
    record FlowId(FlowKey key, FlowKey mask) {
    }

    /** The counters of the rule that decided the megaflow {@code id}, or null. */
    OfRule.Counters countersOf(FlowId id) {
        Decision d = decisions.get(id);
        return d == null ? null : d.counters();
    }

    /**
     * Forgets decisions whose megaflows are gone from the datapath. Decisions younger than
     * {@code graceMillis} are kept: their flows may have been installed after the dump. Revalidator thread.
     */
    void retainDecisions(java.util.Set<FlowId> live, long now, long graceMillis) {
        decisions.entrySet().removeIf(e -> !live.contains(e.getKey()) && now - e.getValue().madeMillis() > graceMillis);
    }

    /** Addresses learned or moved whose flows the revalidator must re-decide. */
    private final java.util.Set<Long> pendingMacs = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** When the default flow was installed, for its OpenFlow duration. */
    final long createdNanos = System.nanoTime();
    /** Packets looked up in the flow table (datapath misses translated), for OpenFlow table stats. */
    final java.util.concurrent.atomic.LongAdder lookups = new java.util.concurrent.atomic.LongAdder();
    /** OpenFlow table 0; every change flushes the backer's datapath flows so packets are decided again. */
    final FlowTable table;

    OfprotoDpif(String name, Backer backer, OfprotoServiceImpl service) {
        this.name = name;
        this.backer = backer;
        this.service = service;
        this.table = new FlowTable(() -> backer.dpif.flowFlush());
    }

    @Override public String name() { return name; }
    @Override public String datapathType() { return backer.type; }
    Backer backer() { return backer; }
    Map<String, OfPort> ports() { return ports; }

    @Override
    public synchronized int portAdd(Netdev netdev, int ofportRequest) throws OfprotoException {
        String n = netdev.name();
        if (ports.containsKey(n)) {
            throw new OfprotoException("could not add network device " + n + " to ofproto (File exists)");
        }
        int ofport = chooseOfport(ofportRequest, n);
        // The port is known here before the datapath polls it: a device that delivers packets
        // the moment it starts (a pcap replay, a busy NIC) must not see them dropped as coming
        // from an unknown port.
        int odp = backer.freeOdpPort();
        OfPort port = new OfPort(n, ofport, odp, netdev, VlanConfig.TRUNK_ALL, System.nanoTime());
        Map<String, OfPort> oldPorts = ports;
        Map<Integer, OfPort> oldByOdp = byOdp;
        Map<String, OfPort> p = new TreeMap<>(ports);
        p.put(n, port);
        Map<Integer, OfPort> o = new TreeMap<>(byOdp);
        o.put(odp, port);
        ports = Map.copyOf(p);
        byOdp = Map.copyOf(o);
        backer.bind(odp, this);
        try {
            backer.dpif.portAdd(netdev, odp);
        } catch (DpifException e) {
            backer.unbind(odp, this);
            ports = oldPorts;
            byOdp = oldByOdp;
            throw new OfprotoException("could not add network device " + n + " to ofproto (" + e.getMessage() + ")");
        }
        // Flooding decisions already installed do not include the new port.
        backer.dpif.flowFlush();
        LOG.info("{}: added interface {} on port {}", name, n, port.ofportText());
        return ofport;
    }

    private int chooseOfport(int request, String netdevName) throws OfprotoException {
        if (request == OFPP_LOCAL) {
            return OFPP_LOCAL;
        }
        if (request > 0 && request < 0xff00) {
            for (OfPort p : ports.values()) {
                if (p.ofport() == request) {
                    LOG.warn("{}: OpenFlow port {} asked for {} is in use by {}; choosing another", name, request, netdevName, p.name());
                    return lowestFree();
                }
            }
            return request;
        }
        return lowestFree();
    }

    private int lowestFree() throws OfprotoException {
        for (int no = 1; no < 0xff00; no++) {
            boolean used = false;
            for (OfPort p : ports.values()) {
                if (p.ofport() == no) {
                    used = true;
                    break;
                }
            }
            if (!used) {
                return no;
            }
        }
        throw new OfprotoException("bridge " + name + " has no free OpenFlow port number");
    }

    @Override
    public void portDel(String portName) {
        OfPort port;
        synchronized (this) {
            port = ports.get(portName);
            if (port == null) {
                return;
            }
            Map<String, OfPort> p = new TreeMap<>(ports);
            p.remove(portName);
            Map<Integer, OfPort> o = new TreeMap<>(byOdp);
            o.remove(port.odpPort());
            ports = Map.copyOf(p);
            byOdp = Map.copyOf(o);
        }
        backer.unbind(port.odpPort(), this);
        // If the netdev's provider stopped, the datapath already dropped the port and may have
        // given its number to another port since: delete only what is still ours.
        boolean stillOurs = backer.dpif.ports().stream()
                .anyMatch(p -> p.portNo() == port.odpPort() && p.netdev() == port.netdev());
        if (stillOurs) {
            backer.dpif.portDel(port.odpPort());
        }
        macs.forgetPort(port.ofport());
        backer.dpif.flowFlush();
        LOG.info("{}: deleted interface {} on port {}", name, portName, port.ofportText());
    }

    @Override
    public synchronized void portSetVlan(String portName, String vlanMode, int tag, java.util.Set<Integer> trunks) {
        OfPort p = ports.get(portName);
        VlanConfig cfg = VlanConfig.of(vlanMode, tag, trunks);
        if (p == null || p.vlan().equals(cfg)) {
            return;
        }
        OfPort q = new OfPort(p.name(), p.ofport(), p.odpPort(), p.netdev(), cfg, p.addedNanos());
        Map<String, OfPort> np = new TreeMap<>(ports);
        np.put(portName, q);
        Map<Integer, OfPort> no = new TreeMap<>(byOdp);
        no.put(q.odpPort(), q);
        ports = Map.copyOf(np);
        byOdp = Map.copyOf(no);
        // Decisions made under the old settings are wrong now.
        backer.dpif.flowFlush();
    }

    @Override
    public void portSetConfig(String portName, Map<String, String> otherConfig) {
        OfPort p = ports.get(portName);
        if (p != null) {
            backer.dpif.portSetConfig(p.odpPort(), otherConfig);
        }
    }

    @Override
    public int ofport(String portName) {
        OfPort p = ports.get(portName);
        return p == null ? -1 : p.ofport();
    }

    private String failMode = "standalone";

    @Override
    public synchronized void setFailMode(String mode) {
        String m = "secure".equals(mode) ? "secure" : "standalone";
        if (!m.equals(failMode)) {
            failMode = m;
            table.flush(m.equals("standalone"));
            LOG.info("{}: fail mode {}: flow table flushed", name, m);
        }
    }

    @Override
    public void setConfig(Map<String, String> otherConfig) {
        int aging = parse(otherConfig.get("mac-aging-time"), MacLearning.DEFAULT_AGING_SECONDS);
        int size = parse(otherConfig.get("mac-table-size"), MacLearning.DEFAULT_MAX_ENTRIES);
        macs.configure(aging, size);
        forwardBpdu = Boolean.parseBoolean(otherConfig.getOrDefault("forward-bpdu", "false"));
    }

    private static int parse(String s, int dflt) {
        try {
            return s == null ? dflt : Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            return dflt;
        }
    }

    @Override
    public void destroy() {
        packetOutPool.release();
        for (String p : ports.keySet()) {
            portDel(p);
        }
        macs.flush();
        service.destroyed(this);
    }

    /**
     * Translates a packet that missed the datapath (Open vSwitch's {@code xlate_actions}): walks
     * table 0 by priority; the first rule whose match the packet meets decides, and its actions
     * become datapath actions. {@code mask} gets the union of the masks of every rule looked at up
     * to and including that one (so the megaflow never covers a packet another rule would take),
     * the exact input port, and what the actions looked at. No matching rule: drop. Runs on a
     * datapath thread without locks.
     */
    DpActions translate(FlowKey key, FlowKey mask) {
        OfPort in = byOdp.get(key.inPort());
        if (in == null) {
            return null;
        }
        lookups.increment();
        mask.setInPort(-1);
        FlowKey ofKey = new FlowKey();
        ofKey.copyFrom(key);
        ofKey.setInPort(in.ofport());
        long[] mw = mask.w;
        long[] kw = ofKey.w;
        for (OfRule r : table.rules()) {
            if (matchesStaged(r, kw, mw)) {
                DpActions actions = new Xlate(in, key, mask).run(r.actions);
                FlowKey masked = new FlowKey();
                masked.setMasked(key, mask);
                FlowKey m = new FlowKey();
                m.copyFrom(mask);
                decisions.put(new FlowId(masked, m), new Decision(r.counters, System.currentTimeMillis()));
                return actions;
            }
        }
        return DpActions.DROP;
    }

    /**
     * The bits of each {@link FlowKey} word that belong to each lookup stage, in the order Open
     * vSwitch's classifier checks them: metadata (in_port, recirc_id, mark), L2 (Ethernet, VLAN),
     * L3 (network header), L4 (transport, TCP flags, neighbour discovery).
     */
    private static final long[][] STAGES = {
        {0xffffffff00000000L, 0, 0, 0, 0, 0, 0, 0, 0, 0xffffffff00000000L, 0xffffffff00000000L, 0, 0, 0},
        {0x00000000ffffffffL, -1L, -1L, 0, 0, 0, 0, 0, 0, 0x00000000ffff0000L, 0, 0, 0, 0},
        {0, 0, 0, -1L, 0xffffffff00000000L, -1L, -1L, -1L, -1L, 0, 0x00000000ffffffffL, 0, 0, 0},
        {0, 0, 0, 0, 0x00000000ffffffffL, 0, 0, 0, 0, 0x000000000000ffffL, 0, -1L, -1L, -1L},
    };

    /**
     * Checks {@code r} against the packet stage by stage (Open vSwitch's staged lookup) and adds
     * to {@code mw} only the rule's bits of the stages it examined: a rule the packet fails on its
     * in_port costs the megaflow nothing but the in_port, so ports that no rule of another port's
     * concerns keep wide flows.
     */
    private static boolean matchesStaged(OfRule r, long[] kw, long[] mw) {
        long[] rw = r.mask.w;
        long[] rm = r.match.w;
        for (long[] stage : STAGES) {
            boolean ok = true;
            for (int i = 0; i < FlowKey.WORDS; i++) {
                long bits = rw[i] & stage[i];
                if (bits != 0) {
                    mw[i] |= bits;
                    if ((kw[i] & bits) != (rm[i] & bits)) {
                        ok = false;
                    }
                }
            }
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** One translation's state: the packet as the actions have changed it, and what was emitted. */
    private final class Xlate {
        private static final int D_ETH_SRC = 1;
        private static final int D_ETH_DST = 2;
        private static final int D_NW_SRC = 4;
        private static final int D_NW_DST = 8;
        private static final int D_NW_TOS = 16;
        private static final int D_TP_SRC = 32;
        private static final int D_TP_DST = 64;

        private final OfPort in;
        private final FlowKey mask;
        /** The packet as the actions so far want it (datapath in_port). */
        private final FlowKey cur = new FlowKey();
        private final DpActions.Builder b = DpActions.builder();
        /** The outer VLAN TCI (with CFI) of the packet as the emitted actions leave it; 0 untagged. */
        private int emittedTci;
        /** Fields changed in {@link #cur} but not yet set by emitted actions. */
        private int dirty;

        Xlate(OfPort in, FlowKey key, FlowKey mask) {
            this.in = in;
            this.mask = mask;
            cur.copyFrom(key);
            emittedTci = key.hasVlan() ? key.vlanTci() : 0;
        }

        DpActions run(java.util.List<OfAction> actions) {
            for (OfAction a : actions) {
                long arg = a.arg();
                switch (a.type()) {
                    case OfAction.OUTPUT -> output((int) arg);
                    case OfAction.SET_VLAN_VID -> {
                        mask.setVlanTci(0xffff);
                        int tci = cur.hasVlan() ? cur.vlanTci() : FlowKey.VLAN_CFI;
                        cur.setVlanTci((tci & ~0xfff) | (int) arg | FlowKey.VLAN_CFI);
                    }
                    case OfAction.SET_VLAN_PCP -> {
                        mask.setVlanTci(0xffff);
                        int tci = cur.hasVlan() ? cur.vlanTci() : FlowKey.VLAN_CFI;
                        cur.setVlanTci((tci & ~0xe000) | ((int) arg << 13) | FlowKey.VLAN_CFI);
                    }
                    case OfAction.STRIP_VLAN -> {
                        mask.setVlanTci(0xffff);
                        cur.setVlanTci(0);
                    }
                    case OfAction.SET_DL_SRC -> {
                        cur.setDlSrc(arg);
                        dirty |= D_ETH_SRC;
                    }
                    case OfAction.SET_DL_DST -> {
                        cur.setDlDst(arg);
                        dirty |= D_ETH_DST;
                    }
                    case OfAction.SET_NW_SRC, OfAction.SET_NW_DST, OfAction.SET_NW_TOS -> setNw(a.type(), arg);
                    case OfAction.SET_TP_SRC, OfAction.SET_TP_DST -> setTp(a.type(), (int) arg);
                    default -> { }
                }
            }
            return b.build();
        }

        /** mod_nw_*: only on IPv4 packets, so the megaflow fixes the EtherType. */
        private void setNw(int type, long arg) {
            mask.setDlType(0xffff);
            if (cur.dlType() != FlowKey.ETH_TYPE_IP) {
                return;
            }
            long[] w = cur.w;
            switch (type) {
                case OfAction.SET_NW_SRC -> {
                    w[3] = (w[3] & 0xffffffffL) | (arg << 32);
                    dirty |= D_NW_SRC;
                }
                case OfAction.SET_NW_DST -> {
                    w[3] = (w[3] & ~0xffffffffL) | (arg & 0xffffffffL);
                    dirty |= D_NW_DST;
                }
                default -> {
                    w[4] = (w[4] & ~(0xfcL << 48)) | ((arg & 0xfc) << 48);
                    dirty |= D_NW_TOS;
                }
            }
        }

        /** mod_tp_*: only on TCP, UDP and SCTP over IPv4, so the megaflow fixes those fields. */
        private void setTp(int type, int port) {
            mask.setDlType(0xffff);
            int p = cur.nwProto();
            if (cur.dlType() != FlowKey.ETH_TYPE_IP) {
                return;
            }
            mask.w[4] |= 0xffL << 56;
            if (p != 6 && p != 17 && p != 132) {
                return;
            }
            long[] w = cur.w;
            if (type == OfAction.SET_TP_SRC) {
                w[4] = (w[4] & ~(0xffffL << 16)) | ((long) port << 16);
                dirty |= D_TP_SRC;
            } else {
                w[4] = (w[4] & ~0xffffL) | port;
                dirty |= D_TP_DST;
            }
        }

        /** Emits the changes made to the packet since the last output (Open vSwitch's commit_odp_actions). */
        private void commit() {
            if ((dirty & D_ETH_SRC) != 0) {
                b.setEthSrc(cur.dlSrc(), 0xffffffffffffL);
            }
            if ((dirty & D_ETH_DST) != 0) {
                b.setEthDst(cur.dlDst(), 0xffffffffffffL);
            }
            int tci = cur.hasVlan() ? cur.vlanTci() : 0;
            if (tci != emittedTci) {
                if (emittedTci != 0) {
                    b.popVlan();
                }
                if (tci != 0) {
                    b.pushVlan(tci);
                }
                emittedTci = tci;
            }
            if ((dirty & D_NW_SRC) != 0) {
                b.setIpv4(DpActions.IPV4_SRC, cur.nwSrc(), -1);
            }
            if ((dirty & D_NW_DST) != 0) {
                b.setIpv4(DpActions.IPV4_DST, cur.nwDst(), -1);
            }
            if ((dirty & D_NW_TOS) != 0) {
                b.setIpv4(DpActions.IPV4_TOS, cur.nwTos() & 0xfc, 0xfc);
            }
            if ((dirty & D_TP_SRC) != 0) {
                b.setL4(cur.nwProto(), DpActions.L4_SRC, cur.tpSrc(), 0xffff);
            }
            if ((dirty & D_TP_DST) != 0) {
                b.setL4(cur.nwProto(), DpActions.L4_DST, cur.tpDst(), 0xffff);
            }
            dirty = 0;
        }

        private void output(int port) {
            switch (port) {
                case OfAction.IN_PORT -> {
                    commit();
                    b.output(in.odpPort());
                }
                case OfAction.NORMAL -> {
                    commit();
                    emittedTci = normal(cur, mask, in, b);
                    cur.setVlanTci(emittedTci);
                }
                case OfAction.FLOOD, OfAction.ALL -> {
                    commit();
                    java.util.List<OfPort> outs = new java.util.ArrayList<>(ports.values());
                    outs.sort((x, y) -> Integer.compare(x.ofport(), y.ofport()));
                    for (OfPort p : outs) {
                        if (p != in) {
                            b.output(p.odpPort());
                        }
                    }
                }
                case OfAction.CONTROLLER, OfAction.TABLE -> {
                    // No controller connection and no resubmit yet: the packet is not sent there.
                }
                default -> {
                    OfPort out = byOfport(port);
                    if (out != null && out != in) {   // output to the input port needs IN_PORT, as in OpenFlow
                        commit();
                        b.output(out.odpPort());
                    }
                }
            }
        }
    }

    /**
     * The NORMAL action (Open vSwitch's {@code xlate_normal}): learn the source, forward to the
     * learned port of the destination, flood unknown and multicast destinations. Appends to
     * {@code actions}; sets in {@code mask} the fields the decision used (both Ethernet addresses
     * and the VLAN). Returns the outer TCI (with CFI; 0 untagged) the packet has after the outputs.
     */
    private int normal(FlowKey key, FlowKey mask, OfPort in, DpActions.Builder actions) {
        int tciNow = key.hasVlan() ? key.vlanTci() : 0;
        mask.setDlSrc(-1L);
        mask.setDlDst(-1L);
        mask.setVlanTci(0xffff);
        long src = key.dlSrc();
        long dst = key.dlDst();
        int vlan = in.vlan().inputVlan(key.hasVlan(), key.vlanVid());
        if (vlan < 0) {
            return tciNow;   // a VLAN this port does not carry
        }
        if ((src & 0x010000000000L) != 0) {
            // A multicast source address is invalid: drop, as Open vSwitch does.
            return tciNow;
        }
        if (!forwardBpdu && (dst & ~0xfL) == RESERVED_MCAST_BASE) {
            return tciNow;
        }
        if (macs.learn(vlan, src, in.ofport(), System.currentTimeMillis())) {
            // Flows that flooded toward this address, or saw it elsewhere, decide differently now.
            invalidateMac(src);
        }
        boolean multicast = (dst & 0x010000000000L) != 0 || dst == BROADCAST;
        int outOfport = multicast ? -1 : macs.lookup(vlan, dst);
        java.util.List<OfPort> outs = new java.util.ArrayList<>();
        if (outOfport >= 0) {
            OfPort out = byOfport(outOfport);
            if (out != null && out != in && out.vlan().carries(vlan)) {
                outs.add(out);
            }
        } else {
            for (OfPort p : ports.values()) {
                if (p != in && p.vlan().carries(vlan)) {
                    outs.add(p);
                }
            }
            outs.sort((a, b) -> Integer.compare(a.ofport(), b.ofport()));
        }
        return outputs(outs, vlan, key, actions);
    }

    /**
     * Output actions for {@code outs}, each port getting the packet tagged or untagged as its VLAN
     * mode wants: tags are popped and pushed between outputs as needed. Returns the final outer TCI.
     */
    private static int outputs(java.util.List<OfPort> outs, int vlan, FlowKey key, DpActions.Builder actions) {
        boolean tagged = key.hasVlan();
        int vid = key.vlanVid();
        int pcp = key.hasVlan() ? key.vlanTci() & 0xe000 : 0;
        int tci = key.hasVlan() ? key.vlanTci() : 0;
        for (OfPort p : outs) {
            boolean wantTagged = p.vlan().sendsTagged(vlan);
            if (tagged && (!wantTagged || vid != vlan)) {
                actions.popVlan();
                tagged = false;
                tci = 0;
            }
            if (wantTagged && !tagged) {
                actions.pushVlan(pcp | vlan);
                tagged = true;
                vid = vlan;
                tci = pcp | vlan | FlowKey.VLAN_CFI;
            }
            actions.output(p.odpPort());
        }
        return tci;
    }

    private OfPort byOfport(int ofport) {
        for (OfPort p : ports.values()) {
            if (p.ofport() == ofport) {
                return p;
            }
        }
        return null;
    }

    /**
     * Queues {@code mac} for revalidation: the revalidator deletes the datapath flows whose source
     * or destination it is, on its next pass. Asynchronous, as in Open vSwitch, so that learning
     * a new address costs the upcall O(1) rather than a dump of every flow.
     */
    void invalidateMac(long mac) {
        pendingMacs.add(mac);
    }

    /** Takes the addresses queued since the last call. Revalidator thread. */
    java.util.Set<Long> takePendingMacs() {
        if (pendingMacs.isEmpty()) {
            return java.util.Set.of();
        }
        java.util.Set<Long> out = new java.util.HashSet<>();
        for (java.util.Iterator<Long> it = pendingMacs.iterator(); it.hasNext(); ) {
            out.add(it.next());
            it.remove();
        }
        return out;
    }

    /** Port by datapath number (for the revalidator). */
    OfPort portByOdp(int odp) {
        return byOdp.get(odp);
    }
}
