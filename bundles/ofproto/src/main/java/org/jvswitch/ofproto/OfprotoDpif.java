package org.jvswitch.ofproto;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.jvswitch.api.dpif.DpActions;
import org.jvswitch.api.dpif.DpifException;
import org.jvswitch.api.flow.FlowKey;
import org.jvswitch.api.netdev.Netdev;
import org.jvswitch.api.ofproto.Ofproto;
import org.jvswitch.api.ofproto.OfprotoException;
import org.jvswitch.ofproto.ofp.Connmgr;
import org.jvswitch.ofproto.ofp.OfField;
import org.jvswitch.ofproto.ofp.PacketIn;
import org.jvswitch.ofproto.ofp.OfTables;
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
        Xlate x = new Xlate(in, key, new FlowKey());
        x.run(actions);
        backer.dpif.execute(p, x.b.build());
        return true;
    }

    /** Which rule's counters each installed megaflow (masked key, mask) adds to; pruned by the revalidator. */
    private final Map<FlowId, Decision> decisions = new java.util.concurrent.ConcurrentHashMap<>();

    private record Decision(java.util.List<OfRule.Counters> counters, long madeMillis,
            java.util.List<FinTimeoutRef> fins) {
    }

    /** A fin_timeout action a datapath flow went through: its rule and the timeouts to shrink to. */
    record FinTimeoutRef(OfRule rule, int idleTimeout, int hardTimeout) {
    }

    static final int TCP_FIN = 0x01;
    static final int TCP_RST = 0x04;

    /**
     * The revalidator saw TCP flags on datapath flow {@code id}: with FIN or RST, the fin_timeout
     * actions it went through shrink their rules' timeouts (Open vSwitch's XC_FIN_TIMEOUT).
     */
    void tcpFlagsSeen(FlowId id, int tcpFlags) {
        if ((tcpFlags & (TCP_FIN | TCP_RST)) == 0) {
            return;
        }
        Decision d = decisions.get(id);
        if (d != null) {
            for (FinTimeoutRef f : d.fins()) {
                tables.reduceTimeouts(f.rule(), f.idleTimeout(), f.hardTimeout());
            }
        }
    }

    /** A datapath flow's identity: masked key and mask. */
    record FlowId(FlowKey key, FlowKey mask) {
    }

    /** The counters of the rules that decided the megaflow {@code id}, or null. */
    java.util.List<OfRule.Counters> countersOf(FlowId id) {
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
    /** The OpenFlow tables; every change flushes the backer's datapath flows so packets are decided again. */
    final OfTables tables;
    /** The bridge's OpenFlow connections: management socket clients and controllers. */
    final Connmgr connmgr;
    /** Adds learned flows off the datapath threads (a table change flushes the datapath's flows). */
    private final java.util.concurrent.ExecutorService learner = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "learn");
        t.setDaemon(true);
        return t;
    });
    /** The bridge's meters, each a meter of the backer's datapath. */
    final org.jvswitch.ofproto.ofp.OfMeters meters;
    /** The bridge's group table; a change flushes the datapath's flows. */
    final org.jvswitch.ofproto.ofp.OfGroups groups;
    /** Whether table misses went to the controller when flows were last decided. */
    private volatile boolean missesToController;

    OfprotoDpif(String name, Backer backer, OfprotoServiceImpl service) {
        this.name = name;
        this.backer = backer;
        this.service = service;
        this.tables = new OfTables(this::revalidate);
        this.connmgr = new Connmgr(new BridgeView(this));
        // Group changes are published with the tables', once per read of OpenFlow messages.
        this.groups = new org.jvswitch.ofproto.ofp.OfGroups(tables::touched);
        this.meters = new org.jvswitch.ofproto.ofp.OfMeters(new org.jvswitch.ofproto.ofp.OfMeters.Datapath() {
            @Override public int allocate() { return backer.allocateMeter(); }
            @Override public void set(int dpId, org.jvswitch.api.dpif.DpMeter m) { backer.dpif.meterSet(dpId, m); }
            @Override public void delete(int dpId) { backer.dpif.meterDel(dpId); backer.freeMeter(dpId); }
            @Override public long[] stats(int dpId) { return backer.dpif.meterStats(dpId); }
        });
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
        // Flooding decisions already installed do not include the new port: re-decide them.
        revalidate();
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
        if (stillOurs) {
            // The packets that came in on the port are gone with it; the flows that sent to it
            // are re-decided. (A port number the datapath may already have given to another
            // port gets a flush instead.)
            for (org.jvswitch.api.dpif.DpifFlow f : backer.dpif.flowDump()) {
                if (f.key().inPort() == port.odpPort()) {
                    backer.dpif.flowDel(f.key(), f.mask());
                }
            }
            revalidate();
        } else {
            backer.dpif.flowFlush();
        }
        LOG.info("{}: deleted interface {} on port {}", name, portName, port.ofportText());
    }

    @Override
    public synchronized void portSetVlan(String portName, String vlanMode, int tag, java.util.Set<Integer> trunks) {
        OfPort p = ports.get(portName);
        VlanConfig cfg = VlanConfig.of(vlanMode, tag, trunks);
        if (p == null || p.vlan().equals(cfg)) {
            return;
        }
        OfPort q = new OfPort(p.name(), p.ofport(), p.odpPort(), p.netdev(), cfg, p.addedNanos(), p.config());
        Map<String, OfPort> np = new TreeMap<>(ports);
        np.put(portName, q);
        Map<Integer, OfPort> no = new TreeMap<>(byOdp);
        no.put(q.odpPort(), q);
        ports = Map.copyOf(np);
        byOdp = Map.copyOf(no);
        // Decisions made under the old settings may be wrong now.
        revalidate();
    }

    @Override
    public void portSetConfig(String portName, Map<String, String> otherConfig) {
        OfPort p = ports.get(portName);
        if (p != null) {
            backer.dpif.portSetConfig(p.odpPort(), otherConfig);
        }
    }

    /**
     * OFPT_PORT_MOD: sets the port's configuration bits under {@code mask}. Returns 0, or -1 if
     * there is no such port, -2 if {@code hwAddr} is not the port's address. Connection thread.
     */
    synchronized int portMod(int ofport, long hwAddr, int config, int mask) {
        OfPort p = byOfport(ofport);
        if (p == null) {
            return -1;
        }
        if ((hwAddr & 0xffffffffffffL) != (p.netdev().mac() & 0xffffffffffffL)) {
            return -2;
        }
        int next = (p.config() & ~mask) | (config & mask);
        if (next == p.config()) {
            return 0;
        }
        OfPort q = new OfPort(p.name(), p.ofport(), p.odpPort(), p.netdev(), p.vlan(), p.addedNanos(), next);
        Map<String, OfPort> np = new TreeMap<>(ports);
        np.put(p.name(), q);
        Map<Integer, OfPort> no = new TreeMap<>(byOdp);
        no.put(q.odpPort(), q);
        ports = Map.copyOf(np);
        byOdp = Map.copyOf(no);
        LOG.info("{}: port {} config {}", name, p.ofportText(), Integer.toHexString(next));
        revalidate();
        return 0;
    }

    @Override
    public int ofport(String portName) {
        OfPort p = ports.get(portName);
        return p == null ? -1 : p.ofport();
    }

    private volatile String failMode = "standalone";

    @Override
    public synchronized void setFailMode(String mode) {
        String m = "secure".equals(mode) ? "secure" : "standalone";
        if (!m.equals(failMode)) {
            failMode = m;
            tables.flush(m.equals("standalone"));
            LOG.info("{}: fail mode {}: flow table flushed", name, m);
        }
    }

    @Override
    public void setControllers(java.util.List<org.jvswitch.api.ofproto.ControllerTarget> controllers) {
        connmgr.setControllers(controllers);
    }

    @Override
    public void setStatusListener(Runnable listener) {
        connmgr.setStatusListener(listener);
    }

    @Override
    public Map<String, org.jvswitch.api.ofproto.ControllerStatus> controllerStatus() {
        return connmgr.status();
    }

    /** Above this many datapath flows a table change flushes them instead of re-deciding each. */
    static final int REVALIDATE_LIMIT = 4096;

    /**
     * After a flow table or group change (Open vSwitch's revalidation): every datapath flow of this
     * bridge is translated again, without side effects, from its masked key; a flow is kept if the
     * tables still give the same actions and look at no bit outside its mask (then every packet
     * it covers is decided alike), and deleted otherwise, so the next packet is decided anew.
     * Flows that still hold keep forwarding and keep their counters, with no upcall storm. With
     * more than {@link #REVALIDATE_LIMIT} flows they are flushed instead. Runs on the thread that
     * changed the tables, before its barrier reply.
     */
    void revalidate() {
        // A datapath thread may install a flow it decided just before the change, after the dump
        // below: the revalidator looks once more shortly after.
        recheckAtMillis = System.currentTimeMillis() + 100;
        revalidateNow();
    }

    /** When the revalidator should re-decide the datapath flows again after a change; 0 if not. */
    private volatile long recheckAtMillis;

    /** The revalidator's second look after a table change (see {@link #revalidate}). */
    void recheck(long nowMillis) {
        long at = recheckAtMillis;
        if (at != 0 && nowMillis >= at) {
            recheckAtMillis = 0;
            revalidateNow();
        }
    }

    private void revalidateNow() {
        java.util.List<org.jvswitch.api.dpif.DpifFlow> flows = backer.dpif.flowDump();
        if (flows.size() > REVALIDATE_LIMIT) {
            backer.dpif.flowFlush();
            return;
        }
        for (org.jvswitch.api.dpif.DpifFlow f : flows) {
            OfPort in = byOdp.get(f.key().inPort());
            if (in == null) {
                continue;                         // another bridge's flow on the shared datapath
            }
            FlowKey mask = new FlowKey();
            mask.setInPort(-1);
            Xlate x = new Xlate(in, f.key(), mask);
            x.dry = true;
            if (!in.dropsInput()) {
                // (A dropping port is decided by its configuration, which a table change does not touch.)
                decide(x);
            }
            DpActions now = in.dropsInput() ? DpActions.DROP : x.b.build();
            boolean covered = true;
            for (int i = 0; i < FlowKey.WORDS; i++) {
                covered &= (mask.w[i] & ~f.mask().w[i]) == 0;
            }
            if (covered && now.equals(f.actions())) {
                decisions.put(new FlowId(f.key(), f.mask()), new Decision(x.rules, System.currentTimeMillis(), x.fins));
            } else {
                backer.dpif.flowDel(f.key(), f.mask());
            }
        }
    }

    /** Standalone and cut off from every controller for three probe intervals: NORMAL switching. */
    private volatile boolean failOpen;

    /**
     * Enters or leaves fail-open (Open vSwitch's fail_open): a standalone bridge whose
     * controllers have all been away for three inactivity probe intervals forwards as a NORMAL
     * switch, ahead of its flow table, until a controller is back. Revalidator thread.
     */
    void checkFailOpen(long nowMillis) {
        boolean now = "standalone".equals(failMode) && connmgr.failedOpen(nowMillis);
        if (now != failOpen) {
            failOpen = now;
            LOG.warn("{}: {}", name, now ? "could not connect to any controller: fail-open, switching as a NORMAL switch"
                    : "a controller is back: leaving fail-open");
            revalidate();
        }
    }

    /**
     * Re-decides the datapath's flows when whether table misses go to a controller changed (an
     * OpenFlow 1.0 controller came or went), since misses were decided one way or the other.
     * Revalidator thread.
     */
    void checkMissInterest() {
        boolean now = connmgr.wantsTableMisses();
        if (now != missesToController) {
            missesToController = now;
            revalidate();
        }
    }

    /** Each port's carrier when last looked at, for fast-failover groups. */
    private final Map<String, Boolean> carriers = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * Re-decides the datapath's flows when a port's carrier changed and a fast-failover or select
     * group watches ports (their choice of bucket depends on it). Revalidator thread.
     */
    void checkCarriers() {
        boolean changed = false;
        for (OfPort p : ports.values()) {
            boolean up = p.netdev().carrier();
            Boolean was = carriers.put(p.name(), up);
            changed |= was != null && was != up;
        }
        if (changed && groups.size() > 0) {
            revalidate();
        }
    }

    /**
     * What each userspace(controller) action a translation emitted sends, by its cookie's low bits:
     * the spec's number, handed out once per distinct spec (computeIfAbsent is atomic per key, the
     * counter across keys, so two translations never share one; no lock on the upcall path).
     */
    private final Map<PacketInSpec, Integer> pinIds = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<Integer, PacketInSpec> pinSpecs = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicInteger pinNext = new java.util.concurrent.atomic.AtomicInteger();

    /** Userspace cookies of controller actions carry this tag above the spec's number. */
    static final long CONTROLLER_COOKIE = 0x4f46L << 48;

    /** A packet-in's reason, table, rule cookie and pipeline words; equal by content. */
    private record PacketInSpec(int reason, int tableId, long cookie, long[] pipeline) {
        @Override
        public boolean equals(Object o) {
            return o instanceof PacketInSpec p && p.reason == reason && p.tableId == tableId && p.cookie == cookie
                    && java.util.Arrays.equals(p.pipeline, pipeline);
        }

        @Override
        public int hashCode() {
            return ((reason * 31 + tableId) * 31 + Long.hashCode(cookie)) * 31 + java.util.Arrays.hashCode(pipeline);
        }
    }

    /** The userspace cookie for a packet-in with these fields, registering it the first time. */
    private long pinCookie(int reason, int tableId, long ruleCookie, long[] pipeline) {
        int id = pinIds.computeIfAbsent(new PacketInSpec(reason, tableId, ruleCookie, pipeline), spec -> {
            int n = pinNext.getAndIncrement();
            pinSpecs.put(n, spec);
            return n;
        });
        return CONTROLLER_COOKIE | id;
    }

    /**
     * A userspace action of ours ran: the packet goes to the controllers that want it. On the
     * datapath thread: copies the frame and queues it, never blocks.
     */
    void packetIn(org.jvswitch.api.packet.DpPacket packet, long cookie) {
        if ((cookie & ~0xffffffffL) != CONTROLLER_COOKIE) {
            return;
        }
        PacketInSpec spec = pinSpecs.get((int) cookie);
        OfPort in = byOdp.get(packet.inPort);
        if (spec == null || in == null) {
            return;
        }
        connmgr.sendPacketIn(new PacketIn(packet.toByteArray(), in.ofport(), spec.reason(), spec.tableId(),
                spec.cookie(), spec.pipeline()));
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
        learner.shutdownNow();
        meters.clear();
        connmgr.close();
        packetOutPool.release();
        for (String p : ports.keySet()) {
            portDel(p);
        }
        macs.flush();
        service.destroyed(this);
    }

    /**
     * Translates a packet that missed the datapath (Open vSwitch's {@code xlate_actions}): looks
     * the packet up in table 0 and runs the actions of the rule it meets, through resubmits and
     * goto_table into later tables. {@code mask} gets the bits every subtable lookup examined
     * ({@link org.jvswitch.ofproto.ofp.OfClassifier}: staged, so a subtable the packet fails early
     * costs few bits), the exact input port, and what the actions looked at, so the megaflow never
     * covers a packet the tables would treat differently. Runs on a datapath thread without locks.
     */
    DpActions translate(FlowKey key, FlowKey mask) {
        OfPort in = byOdp.get(key.inPort());
        if (in == null) {
            return null;
        }
        mask.setInPort(-1);
        if (in.dropsInput()) {
            return DpActions.DROP;            // port down or no-receive (OFPPC_PORT_DOWN, OFPPC_NO_RECV)
        }
        Xlate x = new Xlate(in, key, mask);
        decide(x);
        DpActions actions = x.b.build();
        FlowKey masked = new FlowKey();
        masked.setMasked(key, mask);
        FlowKey m = new FlowKey();
        m.copyFrom(mask);
        decisions.put(new FlowId(masked, m), new Decision(x.rules, System.currentTimeMillis(), x.fins));
        return actions;
    }

    private static final java.util.List<OfAction> NORMAL_ONLY = java.util.List.of(new OfAction.Output(OfAction.NORMAL));

    /**
     * Runs the pipeline on a translation: NORMAL alone while fail-open (standalone, no controller
     * connected), else the tables from table 0. The one decision the upcall, the revalidator and
     * ofproto/trace share, so that trace shows what the datapath gets.
     */
    private void decide(Xlate x) {
        if (failOpen) {
            x.run(NORMAL_ONLY);
        } else {
            x.lookup(0);
        }
    }

    /**
     * ofproto/trace: the path of a packet of {@code flowText} (Open vSwitch's flow syntax) through
     * the tables, the datapath actions and the megaflow, in Open vSwitch's words. Learns nothing,
     * counts nothing, installs nothing.
     *
     * @throws IllegalArgumentException with the reason when the flow cannot be read
     */
    String trace(String flowText) {
        long[] v = org.jvswitch.ofproto.ofp.FlowParser.parse(flowText, this::ofport);
        int ofIn = (int) (v[0] >>> 32) & 0xffff;
        OfPort in = byOfport(ofIn);
        if (in == null) {
            throw new IllegalArgumentException("in_port " + org.jvswitch.ofproto.ofp.OfFormat.action(
                    new OfAction.Output(ofIn)).replace("output:", "") + " is not a port of " + name);
        }
        FlowKey key = new FlowKey();
        System.arraycopy(v, 0, key.w, 0, FlowKey.WORDS);
        key.setInPort(in.odpPort());
        FlowKey mask = new FlowKey();
        mask.setInPort(-1);
        Xlate x = new Xlate(in, key, mask);
        System.arraycopy(v, FlowKey.WORDS, x.flow, FlowKey.WORDS, OfField.WORDS - FlowKey.WORDS);
        TraceNode bridge = new TraceNode(TraceNode.Type.BRIDGE, "bridge(\"" + name + "\")");
        x.trace = bridge.subs;
        decide(x);
        StringBuilder out = new StringBuilder("Flow: ").append(org.jvswitch.ofproto.ofp.OfFormat.flow(v)).append('\n');
        TraceNode.print(out, java.util.List.of(bridge), 0);
        out.append("\nFinal flow: ");
        out.append(java.util.Arrays.equals(v, x.flow) ? "unchanged" : org.jvswitch.ofproto.ofp.OfFormat.flow(x.flow));
        long[] mv = new long[OfField.WORDS];
        long[] mk = new long[OfField.WORDS];
        for (int i = 0; i < FlowKey.WORDS; i++) {
            mk[i] = mask.w[i];
            mv[i] = v[i] & mask.w[i];
        }
        mk[9] &= ~0xffff0000L;            // the second VLAN header is not a field of OpenFlow 1.x matches
        out.append("\nMegaflow: ").append(org.jvswitch.ofproto.ofp.OfFormat.megaflow(mv, mk));
        out.append("\nDatapath actions: ").append(x.b.build()).append('\n');
        return out.toString();
    }

    /** Open vSwitch's limits on one translation: nested resubmits, and resubmits in all. */
    private static final int MAX_DEPTH = 64;
    private static final int MAX_RESUBMITS = 64 * 64;

    /** One translation's state: the packet as the actions have changed it, and what was emitted. */
    private final class Xlate {
        private final OfPort in;
        private final FlowKey mask;
        /** The pipeline key: the packet as the actions so far want it (in_port = OpenFlow port), metadata, registers. */
        private final long[] flow = new long[OfField.WORDS];
        /** The packet as the emitted actions leave it (datapath key words). */
        private final long[] emitted = new long[FlowKey.WORDS];
        final DpActions.Builder b = DpActions.builder();
        /** Counters of every rule the packet met. */
        final java.util.List<OfRule.Counters> rules = new java.util.ArrayList<>(2);
        /** The fin_timeout actions the packet went through, with their rules: applied when FIN or RST is seen. */
        java.util.List<FinTimeoutRef> fins = java.util.List.of();
        /** The rule whose actions run now. */
        private OfRule current;
        private int depth;
        private int resubmits;
        private boolean exit;
        /** Past the depth or resubmit limit: nothing more runs, not even after a group's bucket. */
        private boolean overflowed;
        private int table;
        /** Cookie of the rule whose actions run (for packet-ins). */
        private long ruleCookie;
        /** The rule whose actions run is a table-miss rule (priority 0, matching everything). */
        private boolean tableMissRule;
        /** Where trace lines go (ofproto/trace), or null: a trace also learns nothing and counts nothing. */
        private java.util.List<TraceNode> trace;
        /** A revalidation: decides like a translation but learns nothing and counts nothing. */
        boolean dry;

        private void trace(TraceNode.Type type, String text) {
            if (trace != null) {
                trace.add(new TraceNode(type, text));
            }
        }

        Xlate(OfPort in, FlowKey key, FlowKey mask) {
            this.in = in;
            this.mask = mask;
            System.arraycopy(key.w, 0, flow, 0, FlowKey.WORDS);
            System.arraycopy(key.w, 0, emitted, 0, FlowKey.WORDS);
            setInPort(in.ofport());
        }

        private int inPort() {
            return (int) (flow[0] >>> 32);
        }

        private void setInPort(int ofport) {
            flow[0] = (flow[0] & 0xffffffffL) | ((long) ofport << 32);
        }

        /** Looks the packet up in table {@code t} and runs the actions of the rule it meets; a miss drops. */
        void lookup(int t) {
            if (depth >= MAX_DEPTH || ++resubmits > MAX_RESUBMITS) {
                LOG.warn("{}: over max translation depth {} or {} resubmits: packet dropped", name, MAX_DEPTH, MAX_RESUBMITS);
                overflowed = true;
                exit = true;
                return;
            }
            OfRule r = tables.classifier(t).lookup(flow, mask.w);
            if (r != null) {
                java.util.List<TraceNode> outer = trace;
                if (trace != null) {
                    String m = org.jvswitch.ofproto.ofp.OfFormat.match(r.match.valueWords(), r.match.maskWords(),
                            org.jvswitch.ofproto.ofp.OfFormat.DEFAULT_PRIORITY);
                    TraceNode node = new TraceNode(TraceNode.Type.TABLE, String.format("%2d. %s%spriority %d%s", t,
                            m, m.isEmpty() ? "" : ", ", r.priority,
                            r.cookie != 0 ? ", cookie 0x" + Long.toHexString(r.cookie) : ""));
                    trace.add(node);
                    trace = node.subs;
                } else if (!dry) {
                    tables.countLookup(t, true);
                }
                rules.add(r.counters);
                int saved = table;
                long savedCookie = ruleCookie;
                boolean savedMiss = tableMissRule;
                OfRule savedRule = current;
                current = r;
                table = t;
                ruleCookie = r.cookie;
                tableMissRule = r.priority == 0 && r.match.equals(org.jvswitch.ofproto.ofp.OfMatch.ANY);
                depth++;
                run(r.actions);
                depth--;
                current = savedRule;
                table = saved;
                ruleCookie = savedCookie;
                tableMissRule = savedMiss;
                trace = outer;
                return;
            }
            // A port configured no-packet-in sends its misses nowhere, as Open vSwitch's miss rule.
            boolean toController = (in.config() & OfPort.NO_PACKET_IN) == 0 && connmgr.wantsTableMisses();
            if (trace != null) {
                TraceNode node = new TraceNode(TraceNode.Type.TABLE, String.format("%2d. %s", t,
                        toController ? "No match, and a \"packet-in\" is called for." : "No match."));
                node.subs.add(new TraceNode(TraceNode.Type.ACTION, "drop"));
                trace.add(node);
            } else if (!dry) {
                tables.countLookup(t, false);
            }
            if (toController) {
                // Open vSwitch's miss rule: OpenFlow 1.0 controllers get table misses.
                toController(PacketIn.NO_MATCH, t, 0);
            }
        }

        /** Emits the packet as the actions so far leave it, to the controllers. */
        private void toController(int reason, int tableId, long cookie) {
            commit();
            long[] pipeline = java.util.Arrays.copyOfRange(flow, OfField.METADATA_WORD, OfField.WORDS);
            b.userspace(pinCookie(reason, tableId, cookie, pipeline));
        }

        void run(java.util.List<OfAction> actions) {
            if (actions.isEmpty()) {
                trace(TraceNode.Type.ACTION, "drop");
            }
            for (OfAction a : actions) {
                if (exit) {
                    return;
                }
                if (trace != null) {
                    trace(TraceNode.Type.ACTION, org.jvswitch.ofproto.ofp.OfFormat.action(a));
                }
                switch (a) {
                    case OfAction.Output o -> output(o.port());
                    case OfAction.Controller c -> toController(
                            tableMissRule && c.reason() == PacketIn.ACTION ? PacketIn.NO_MATCH : c.reason(), table, ruleCookie);
                    case OfAction.SetVlanVid s -> setVlan(0xfff, s.vid(), s.push());
                    case OfAction.SetVlanPcp s -> setVlan(0xe000, s.pcp() << 13, s.push());
                    case OfAction.PopVlan p -> {
                        mask.setVlanTci(0xffff);
                        flow[0] &= ~0xffffL;
                    }
                    case OfAction.PushVlan p -> {
                        mask.setVlanTci(0xffff);
                        if ((flow[0] & FlowKey.VLAN_CFI) == 0) {
                            flow[0] = (flow[0] & ~0xffffL) | FlowKey.VLAN_CFI;
                        }
                    }
                    case OfAction.SetField s -> setField(s);
                    case OfAction.SetNwTtl t -> {
                        if (isIpv4()) {
                            flow[4] = (flow[4] & ~(0xffL << 40)) | ((long) t.ttl() << 40);
                        }
                    }
                    case OfAction.Move mv -> move(mv);
                    case OfAction.Resubmit r -> {
                        int saved = inPort();
                        if (r.inPort() != OfAction.IN_PORT) {
                            setInPort(r.inPort());
                        }
                        lookup(r.table() == 0xff ? table : r.table());
                        setInPort(saved);
                    }
                    case OfAction.DecTtl d -> {
                        if (!decTtl()) {
                            return;
                        }
                    }
                    case OfAction.Note n -> { }
                    case OfAction.Exit e -> exit = true;
                    case OfAction.WriteMetadata w -> flow[OfField.METADATA_WORD] =
                            (flow[OfField.METADATA_WORD] & ~w.mask()) | (w.value() & w.mask());
                    case OfAction.GotoTable g -> lookup(g.table());
                    case OfAction.Group g -> group(g.groupId());
                    case OfAction.Learn l -> learn(l);
                    case OfAction.FinTimeout f -> finTimeout(f);
                    case OfAction.Meter mt -> {
                        org.jvswitch.ofproto.ofp.OfMeters.Meter m = meters.get(mt.meterId());
                        if (m != null) {
                            b.meter(m.dpId());
                        }
                    }
                }
            }
        }

        /**
         * fin_timeout: remembered with the datapath flow, so that the revalidator shrinks the
         * rule's timeouts once the flow's TCP flags show FIN or RST; this packet's own flags
         * count at once. Like Open vSwitch, the megaflow does not fix the TCP flags for it.
         */
        private void finTimeout(OfAction.FinTimeout f) {
            if (current == null || trace != null) {
                return;
            }
            if (fins.isEmpty()) {
                fins = new java.util.ArrayList<>(1);
            }
            fins.add(new FinTimeoutRef(current, f.idleTimeout(), f.hardTimeout()));
            if (!dry && (flow[9] & (TCP_FIN | TCP_RST)) != 0) {
                tables.reduceTimeouts(current, f.idleTimeout(), f.hardTimeout());
            }
        }

        /**
         * learn: builds a flow from the packet (fields or immediates into its match, loads and an
         * output into its actions) and has it added, asynchronously, by the learning thread; the
         * fields read become part of the megaflow. A trace shows the action and learns nothing.
         */
        private void learn(OfAction.Learn l) {
            long[] v = new long[OfField.WORDS];
            long[] k = new long[OfField.WORDS];
            java.util.List<OfAction> acts = new java.util.ArrayList<>();
            if (l.finIdleTimeout() != 0 || l.finHardTimeout() != 0) {
                acts.add(new OfAction.FinTimeout(l.finIdleTimeout(), l.finHardTimeout()));
            }
            for (OfAction.LearnSpec sp : l.specs()) {
                // Values up to 128 bits (IPv6 addresses, xxreg) as {hi, lo}.
                long[] value = {sp.valueHi(), sp.value()};
                long[] ones = org.jvswitch.ofproto.ofp.OfActions.mask128(sp.nBits());
                if (sp.src() != null) {
                    OfField f = sp.src();
                    value = org.jvswitch.ofproto.ofp.OfActions.bits128(f.getHi(flow), f.get(flow), sp.srcOfs(), sp.nBits());
                    if (f.word < FlowKey.WORDS) {
                        long[] read = org.jvswitch.ofproto.ofp.OfActions.shl128(ones[0], ones[1], sp.srcOfs());
                        f.orMask(mask.w, read[0], read[1]);
                    }
                }
                switch (sp.dstType()) {
                    case OfAction.LearnSpec.MATCH -> {
                        OfField d = sp.dst();
                        long[] vv = org.jvswitch.ofproto.ofp.OfActions.shl128(value[0], value[1], sp.dstOfs());
                        long[] mm = org.jvswitch.ofproto.ofp.OfActions.shl128(ones[0], ones[1], sp.dstOfs());
                        d.setMasked(v, vv[0], vv[1], mm[0], mm[1]);
                        d.orMask(k, mm[0], mm[1]);
                        // The learned match keeps the prerequisites of what it matches, from this packet.
                        if (d.prereq != OfField.Prereq.NONE && d.prereq != OfField.Prereq.VLAN) {
                            v[0] = (v[0] & ~0xffff0000L) | (flow[0] & 0xffff0000L);
                            k[0] |= 0xffff0000L;
                            mask.setDlType(0xffff);
                            if (d.prereq != OfField.Prereq.IP_ANY && d.prereq != OfField.Prereq.IPV4
                                    && d.prereq != OfField.Prereq.IPV6 && d.prereq != OfField.Prereq.ARP) {
                                v[4] = (v[4] & ~(0xffL << 56)) | (flow[4] & (0xffL << 56));
                                k[4] |= 0xffL << 56;
                                mask.w[4] |= 0xffL << 56;
                            }
                        }
                    }
                    case OfAction.LearnSpec.LOAD -> acts.add(org.jvswitch.ofproto.ofp.OfActions.load(sp.dst(), sp.dstOfs(),
                            sp.nBits(), value[0], value[1]));
                    default -> acts.add(new OfAction.Output((int) value[1] & 0xffff));
                }
            }
            if (trace != null || dry) {
                trace(TraceNode.Type.WARN, "suppressing side effects, so learn action ignored");
                return;
            }
            for (int i = 0; i < OfField.WORDS; i++) {
                v[i] &= k[i];
            }
            org.jvswitch.ofproto.ofp.OfMatch match = org.jvswitch.ofproto.ofp.OfMatch.of(v, k);
            OfRule rule = new OfRule(l.tableId(), l.priority(), match, l.cookie(), l.idleTimeout(), l.hardTimeout(),
                    (l.flags() & 1) != 0 ? 1 : 0, acts, System.nanoTime());
            learner.execute(() -> tables.add(rule));
        }

        /**
         * A group: every bucket (all), one chosen by a hash of the addresses and ports (select),
         * the only one (indirect) or the first live one (fast failover). Each bucket runs on the
         * packet as it was before the group, as Open vSwitch clones it for each bucket.
         */
        private void group(int id) {
            org.jvswitch.ofproto.ofp.OfGroups.Group g = groups.get(id);
            if (g == null) {
                return;
            }
            // Groups chained into a loop (A -> B -> A) end here, counted as resubmits are.
            if (depth >= MAX_DEPTH || ++resubmits > MAX_RESUBMITS) {
                LOG.warn("{}: over max translation depth {} or {} resubmits in group {}: packet dropped",
                        name, MAX_DEPTH, MAX_RESUBMITS, id);
                overflowed = true;
                exit = true;
                return;
            }
            rules.add(g.counters());
            List<org.jvswitch.ofproto.ofp.OfGroups.Bucket> run = switch (g.type()) {
                case org.jvswitch.ofproto.ofp.OfGroups.ALL -> g.buckets();
                case org.jvswitch.ofproto.ofp.OfGroups.SELECT -> {
                    var b = select(g);
                    yield b == null ? List.of() : List.of(b);
                }
                case org.jvswitch.ofproto.ofp.OfGroups.FAST_FAILOVER -> {
                    var b = firstLive(g);
                    yield b == null ? List.of() : List.of(b);
                }
                default -> g.buckets();
            };
            for (var b : run) {
                rules.add(b.counters());
                long[] saved = flow.clone();
                java.util.List<TraceNode> outer = trace;
                if (trace != null) {
                    TraceNode node = new TraceNode(TraceNode.Type.ACTION, "bucket " + g.buckets().indexOf(b));
                    trace.add(node);
                    trace = node.subs;
                }
                boolean savedExit = exit;
                depth++;
                run(b.actions());
                depth--;
                exit = savedExit || overflowed;
                trace = outer;
                System.arraycopy(saved, 0, flow, 0, flow.length);
            }
        }

        /** A live bucket of a select group, weighted, by a hash of the fields the megaflow then fixes. */
        private org.jvswitch.ofproto.ofp.OfGroups.Bucket select(org.jvswitch.ofproto.ofp.OfGroups.Group g) {
            long total = 0;
            for (var b : g.buckets()) {
                if (live(b)) {
                    total += b.weight();
                }
            }
            if (total == 0) {
                return null;
            }
            mask.setDlSrc(-1L);
            mask.setDlDst(-1L);
            mask.setDlType(0xffff);
            long h = flow[1] * 0x9e3779b97f4a7c15L ^ flow[2] ^ ((flow[0] >>> 16) & 0xffff);
            int type = (int) (flow[0] >>> 16) & 0xffff;
            if (type == FlowKey.ETH_TYPE_IP || type == FlowKey.ETH_TYPE_IPV6) {
                mask.w[4] |= 0xffL << 56;
                if (type == FlowKey.ETH_TYPE_IP) {
                    mask.w[3] = -1L;
                    h = h * 31 + flow[3];
                } else {
                    mask.w[5] = mask.w[6] = mask.w[7] = mask.w[8] = -1L;
                    h = h * 31 + (flow[5] ^ flow[6] ^ flow[7] ^ flow[8]);
                }
                int proto = (int) (flow[4] >>> 56) & 0xff;
                h = h * 31 + proto;
                if (proto == 6 || proto == 17 || proto == 132) {
                    mask.w[4] |= 0xffffffffL;
                    h = h * 31 + (flow[4] & 0xffffffffL);
                }
            }
            h ^= h >>> 33;
            h *= 0xff51afd7ed558ccdL;
            h ^= h >>> 33;
            long pick = Long.remainderUnsigned(h, total);
            for (var b : g.buckets()) {
                if (live(b)) {
                    pick -= b.weight();
                    if (pick < 0) {
                        return b;
                    }
                }
            }
            return null;
        }

        private org.jvswitch.ofproto.ofp.OfGroups.Bucket firstLive(org.jvswitch.ofproto.ofp.OfGroups.Group g) {
            for (var b : g.buckets()) {
                if (live(b)) {
                    return b;
                }
            }
            return null;
        }

        /** A bucket is live while the port it watches is up and forwards (no watch port: always). */
        private boolean live(org.jvswitch.ofproto.ofp.OfGroups.Bucket b) {
            if (b.watchPort() == 0xffffffff) {
                return true;
            }
            int p = org.jvswitch.ofproto.ofp.Ofp.port10(b.watchPort());
            OfPort port = p < 0 ? null : byOfport(p);
            return port != null && !port.refusesOutput() && port.netdev().carrier();
        }

        private boolean isIpv4() {
            mask.setDlType(0xffff);
            return ((flow[0] >>> 16) & 0xffff) == FlowKey.ETH_TYPE_IP;
        }

        /**
         * dec_ttl: IPv4 only here; a TTL that would reach zero ends the actions (Open vSwitch
         * then sends the packet to the controller, of which there is none yet). Returns false then.
         */
        private boolean decTtl() {
            if (!isIpv4()) {
                return true;
            }
            mask.w[4] |= 0xffL << 40;
            int ttl = (int) (flow[4] >>> 40) & 0xff;
            if (ttl <= 1) {
                trace(TraceNode.Type.WARN, "IPv4 decrement TTL exception");
                return false;
            }
            flow[4] = (flow[4] & ~(0xffL << 40)) | ((long) (ttl - 1) << 40);
            return true;
        }

        /** mod_vlan_vid / mod_vlan_pcp: {@code push} pushes a tag on an untagged packet (OpenFlow 1.0). */
        private void setVlan(int bits, int value, boolean push) {
            mask.setVlanTci(0xffff);
            long tci = flow[0] & 0xffff;
            if ((tci & FlowKey.VLAN_CFI) == 0) {
                if (!push) {
                    return;
                }
                tci = FlowKey.VLAN_CFI;
            }
            tci = (tci & ~bits) | value | FlowKey.VLAN_CFI;
            flow[0] = (flow[0] & ~0xffffL) | tci;
        }

        /** set_field / load: only where the field's prerequisites hold, which the megaflow then fixes. */
        private void setField(OfAction.SetField s) {
            OfField f = s.field();
            if (f.prereq != OfField.Prereq.NONE && f.prereq != OfField.Prereq.VLAN) {
                mask.setDlType(0xffff);
                if (f.prereq != OfField.Prereq.IP_ANY && f.prereq != OfField.Prereq.IPV4
                        && f.prereq != OfField.Prereq.IPV6 && f.prereq != OfField.Prereq.ARP) {
                    mask.w[4] |= 0xffL << 56;
                }
                if (f.prereq == OfField.Prereq.ND || f.prereq == OfField.Prereq.ND_SOLICIT || f.prereq == OfField.Prereq.ND_ADVERT) {
                    mask.w[4] |= 0xffL << 16;
                }
                boolean ok = s.raw() == OfAction.SetField.LEGACY && (f == OfField.TCP_SRC || f == OfField.TCP_DST)
                        ? anyL4() : f.prereqOk(flow, ALL_ONES);
                if (!ok) {
                    return;
                }
            }
            switch (f) {
                case VLAN_VID -> setVlan(0xfff, (int) s.value() & 0xfff, true);
                case VLAN_PCP -> setVlan(0xe000, ((int) s.value() & 7) << 13, true);
                case VLAN_TCI -> {
                    mask.setVlanTci(0xffff);
                    f.setMasked(flow, 0, s.value(), 0, s.mask());
                    if ((flow[0] & FlowKey.VLAN_CFI) == 0) {
                        flow[0] &= ~0xffffL;
                    }
                }
                default -> f.setMasked(flow, s.hi(), s.value(), s.hiMask(), s.mask());
            }
        }

        private boolean anyL4() {
            int type = (int) (flow[0] >>> 16) & 0xffff;
            int proto = (int) (flow[4] >>> 56) & 0xff;
            return (type == FlowKey.ETH_TYPE_IP || type == FlowKey.ETH_TYPE_IPV6) && (proto == 6 || proto == 17 || proto == 132);
        }

        /** move: copies bits; a source in the packet is a decision on it, so the megaflow fixes those bits. */
        private void move(OfAction.Move mv) {
            long[] bits = new long[2];
            for (int i = 0; i < mv.nBits(); i++) {
                int sb = mv.srcOfs() + i;
                boolean one = bit(mv.src(), flow, sb);
                int db = mv.dstOfs() + i;
                if (db >= 64) {
                    bits[0] |= (one ? 1L : 0) << (db - 64);
                } else {
                    bits[1] |= (one ? 1L : 0) << db;
                }
            }
            long hiMask = 0;
            long loMask = 0;
            for (int i = 0; i < mv.nBits(); i++) {
                int db = mv.dstOfs() + i;
                if (db >= 64) {
                    hiMask |= 1L << (db - 64);
                } else {
                    loMask |= 1L << db;
                }
            }
            if (mv.src().word < FlowKey.WORDS) {
                long sh = 0;
                long sl = 0;
                for (int i = 0; i < mv.nBits(); i++) {
                    int sb = mv.srcOfs() + i;
                    if (sb >= 64) {
                        sh |= 1L << (sb - 64);
                    } else {
                        sl |= 1L << sb;
                    }
                }
                mv.src().orMask(mask.w, sh, sl);
            }
            OfField d = mv.dst();
            if (d == OfField.VLAN_TCI || d == OfField.VLAN_VID || d == OfField.VLAN_PCP) {
                mask.setVlanTci(0xffff);
            }
            d.setMasked(flow, bits[0], bits[1], hiMask, loMask);
            if (trace != null) {
                String value = mv.dstOfs() == 0 && mv.nBits() == org.jvswitch.ofproto.ofp.OfFormat.fieldBits(d)
                        ? org.jvswitch.ofproto.ofp.OfFormat.value(d, d.getHi(flow), d.get(flow))
                        : org.jvswitch.ofproto.ofp.OfFormat.hex((d.get(flow) >>> mv.dstOfs())
                                & (mv.nBits() >= 64 ? -1L : (1L << mv.nBits()) - 1));
                trace(TraceNode.Type.DETAIL, org.jvswitch.ofproto.ofp.OfFormat.subfield(d, mv.dstOfs(), mv.nBits())
                        + " is now " + value);
            }
        }

        private boolean bit(OfField f, long[] key, int b) {
            if (b >= 64) {
                return ((f.getHi(key) >>> (b - 64)) & 1) != 0;
            }
            return ((f.get(key) >>> b) & 1) != 0;
        }

        /** Emits the changes made to the packet since the last output (Open vSwitch's commit_odp_actions). */
        private void commit() {
            if (flow[2] != emitted[2]) {
                b.setEthSrc(flow[2], 0xffffffffffffL);
            }
            if (flow[1] != emitted[1]) {
                b.setEthDst(flow[1], 0xffffffffffffL);
            }
            int tci = (int) flow[0] & 0xffff;
            int was = (int) emitted[0] & 0xffff;
            if (tci != was) {
                if ((was & FlowKey.VLAN_CFI) != 0) {
                    b.popVlan();
                }
                if ((tci & FlowKey.VLAN_CFI) != 0) {
                    b.pushVlan(tci);
                }
            }
            int type = (int) (flow[0] >>> 16) & 0xffff;
            if (type == FlowKey.ETH_TYPE_IP) {
                if ((flow[3] >>> 32) != (emitted[3] >>> 32)) {
                    b.setIpv4(DpActions.IPV4_SRC, (int) (flow[3] >>> 32), -1);
                }
                if ((int) flow[3] != (int) emitted[3]) {
                    b.setIpv4(DpActions.IPV4_DST, (int) flow[3], -1);
                }
                int tos = (int) (flow[4] >>> 48) & 0xff;
                int tosWas = (int) (emitted[4] >>> 48) & 0xff;
                if (tos != tosWas) {
                    b.setIpv4(DpActions.IPV4_TOS, tos, tos ^ tosWas);
                }
                int ttl = (int) (flow[4] >>> 40) & 0xff;
                if (ttl != ((int) (emitted[4] >>> 40) & 0xff)) {
                    b.setIpv4(DpActions.IPV4_TTL, ttl, 0xff);
                }
            } else if (type == FlowKey.ETH_TYPE_IPV6) {
                if (flow[5] != emitted[5] || flow[6] != emitted[6]) {
                    b.setIpv6(DpActions.IPV6_SRC, ipv6(flow[5], flow[6]));
                }
                if (flow[7] != emitted[7] || flow[8] != emitted[8]) {
                    b.setIpv6(DpActions.IPV6_DST, ipv6(flow[7], flow[8]));
                }
            }
            int proto = (int) (flow[4] >>> 56) & 0xff;
            if ((type == FlowKey.ETH_TYPE_IP || type == FlowKey.ETH_TYPE_IPV6) && (proto == 6 || proto == 17 || proto == 132)) {
                int src = (int) (flow[4] >>> 16) & 0xffff;
                if (src != ((int) (emitted[4] >>> 16) & 0xffff)) {
                    b.setL4(proto, DpActions.L4_SRC, src, 0xffff);
                }
                int dst = (int) flow[4] & 0xffff;
                if (dst != ((int) emitted[4] & 0xffff)) {
                    b.setL4(proto, DpActions.L4_DST, dst, 0xffff);
                }
            }
            System.arraycopy(flow, 0, emitted, 0, FlowKey.WORDS);
        }

        private static byte[] ipv6(long hi, long lo) {
            byte[] a = new byte[16];
            for (int i = 0; i < 8; i++) {
                a[i] = (byte) (hi >>> (56 - 8 * i));
                a[8 + i] = (byte) (lo >>> (56 - 8 * i));
            }
            return a;
        }

        private void output(int port) {
            int inNow = inPort();
            switch (port) {
                case OfAction.IN_PORT -> {
                    OfPort p = byOfport(inNow);
                    if (p != null) {
                        commit();
                        b.output(p.odpPort());
                    }
                }
                case OfAction.NORMAL -> {
                    commit();
                    OfPort p = byOfport(inNow);
                    FlowKey cur = new FlowKey();
                    System.arraycopy(flow, 0, cur.w, 0, FlowKey.WORDS);
                    int tci = normal(cur, mask, p != null ? p : in, b, trace == null && !dry);
                    flow[0] = (flow[0] & ~0xffffL) | tci;
                    emitted[0] = (emitted[0] & ~0xffffL) | tci;
                }
                case OfAction.FLOOD, OfAction.ALL -> {
                    commit();
                    java.util.List<OfPort> outs = new java.util.ArrayList<>(ports.values());
                    outs.sort((x, y) -> Integer.compare(x.ofport(), y.ofport()));
                    for (OfPort p : outs) {
                        if (p.ofport() != inNow && !p.refusesOutput()
                                && (port == OfAction.ALL || (p.config() & OfPort.NO_FLOOD) == 0)) {
                            b.output(p.odpPort());
                        }
                    }
                }
                case OfAction.TABLE -> lookup(0);   // packet-out: through the tables
                // A table-miss rule's packets reach the controller as misses (OpenFlow 1.3, 5.4).
                case OfAction.CONTROLLER -> toController(tableMissRule ? PacketIn.NO_MATCH : PacketIn.ACTION, table, ruleCookie);
                default -> {
                    OfPort out = byOfport(port);
                    if (out == null) {
                        trace(TraceNode.Type.WARN, "Nonexistent output port");
                    } else if (out.refusesOutput()) {
                        trace(TraceNode.Type.WARN, "OFPPC_NO_FWD set, skipping output");
                    } else if (port == inNow) {
                        trace(TraceNode.Type.WARN, "skipping output to input port");   // needs IN_PORT, as in OpenFlow
                    } else {
                        commit();
                        b.output(out.odpPort());
                    }
                }
            }
        }
    }

    /** A mask with every bit, for checking a field's prerequisites against a whole packet. */
    private static final long[] ALL_ONES = allOnes();

    private static long[] allOnes() {
        long[] a = new long[OfField.WORDS];
        java.util.Arrays.fill(a, -1L);
        return a;
    }

    /**
     * The NORMAL action (Open vSwitch's {@code xlate_normal}): learn the source, forward to the
     * learned port of the destination, flood unknown and multicast destinations. Appends to
     * {@code actions}; sets in {@code mask} the fields the decision used (both Ethernet addresses
     * and the VLAN). Returns the outer TCI (with CFI; 0 untagged) the packet has after the outputs.
     */
    private int normal(FlowKey key, FlowKey mask, OfPort in, DpActions.Builder actions, boolean mayLearn) {
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
        if (mayLearn && macs.learn(vlan, src, in.ofport(), System.currentTimeMillis())) {
            // Flows that flooded toward this address, or saw it elsewhere, decide differently now.
            invalidateMac(src);
        }
        boolean multicast = (dst & 0x010000000000L) != 0 || dst == BROADCAST;
        int outOfport = multicast ? -1 : macs.lookup(vlan, dst);
        java.util.List<OfPort> outs = new java.util.ArrayList<>();
        if (outOfport >= 0) {
            OfPort out = byOfport(outOfport);
            if (out != null && out != in && out.vlan().carries(vlan) && !out.refusesOutput()) {
                outs.add(out);
            }
        } else {
            for (OfPort p : ports.values()) {
                if (p != in && p.vlan().carries(vlan) && !p.refusesOutput() && (p.config() & OfPort.NO_FLOOD) == 0) {
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
