package org.jvswitch.core.dpif;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

import org.jvswitch.api.dpif.DpActions;
import org.jvswitch.api.dpif.Dpif;
import org.jvswitch.api.dpif.DpifException;
import org.jvswitch.api.dpif.DpifFlow;
import org.jvswitch.api.dpif.DpifPort;
import org.jvswitch.api.dpif.DpifStats;
import org.jvswitch.api.dpif.UpcallHandler;
import org.jvswitch.api.flow.FlowKey;
import org.jvswitch.api.netdev.Netdev;
import org.jvswitch.api.netdev.Rxq;
import org.jvswitch.api.packet.DpPacket;
import org.jvswitch.api.packet.PacketBufferPool;
import org.jvswitch.api.registry.NetdevRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The userspace datapath (Open vSwitch's {@code struct dp_netdev}): ports, the megaflow
 * classifier, the polling threads and the upcall path.
 *
 * <p>Thread-safety / lock order: {@code this} (the port mutex: port add/del, PMD reconfiguration)
 * before {@link #upcallLock} (serializes upcalls and flow installation) before the classifier's
 * own lock. Callers must not hold a lock that an upcall handler takes while calling port
 * operations, since those wait for every polling thread to quiesce. PMD threads take no lock on
 * the fast path: they read the port table, the classifier and their poll lists, which writers
 * replace and then wait for quiescence before reclaiming anything.
 */
final class DpNetdev implements Dpif {
    private static final Logger LOG = LoggerFactory.getLogger(DpNetdev.class);
    static final int MAX_PORTS = 65535;
    private static final long IN_PORT_MASK = 0xffffffff00000000L;
    private static final int MAIN_TXQ = 0;
    private static final int CONTROL_TXQ = 1;

    private final String name;
    private final NetdevRegistry registry;
    final Dpcls dpcls = new Dpcls();
    final PacketBufferPool clonePool;
    private final Object upcallLock = new Object();
    private final long[] upcallLookups = new long[1];
    final AtomicLong quiesceWaits = new AtomicLong();
    private final int nCores = Runtime.getRuntime().availableProcessors();
    /** How often netdevs are asked whether they need reconfiguring. */
    static final long RECONFIGURE_CHECK_MILLIS = 100;
    private final java.util.concurrent.ScheduledExecutorService reconfigureTimer;

    /** Ports by number; replaced, never modified, under {@code this}. */
    private volatile DpPort[] portTable = new DpPort[1];
    private final Map<Integer, PmdThread> pmds = new TreeMap<>();
    private final PmdThread mainThread;
    /** Runs {@link #execute} on control threads; guarded by itself. */
    private final PacketProcessor controlProcessor;
    /** Existing queue handles, so measured load survives a reassignment. Guarded by this. */
    private final Map<Rxq, RxqPoll> rxqPolls = new HashMap<>();
    private volatile UpcallHandler upcallHandler;
    /** Interface other_config:pmd-rxq-affinity by port number: queue id to core. Guarded by this. */
    private final Map<Integer, Map<Integer, Integer>> rxqAffinity = new HashMap<>();
    private boolean rxqIsolate = true;
    /** Cores whose PMD serves only pinned queues (for pmd-rxq-show). Replaced under this. */
    volatile java.util.Set<Integer> isolatedCores = java.util.Set.of();
    private int nextThreadIndex = 2;
    private boolean closed;

    // Open_vSwitch other_config
    private long pmdCpuMask;
    private String rxqAssign = "cycles";
    volatile int pmdMaxSleepMicros;
    volatile int emcInsertInvProb = 100;
    /** other_config:flow-limit: most megaflows the datapath holds (Open vSwitch's default 200,000). */
    volatile int flowLimit = 200_000;
    final AtomicLong flowLimitHits = new AtomicLong();
    /** other_config:smc-enable (default false, as Open vSwitch). */
    volatile boolean smcEnabled;
    /** other_config:pmd-perf-metrics: PMDs fill pmd-perf-show's detailed histograms. */
    volatile boolean pmdPerfMetrics;
    /** other_config:tx-flush-interval in nanoseconds (0: send at the end of every received batch). */
    volatile long txFlushIntervalNanos;

    DpNetdev(String name, NetdevRegistry registry) {
        this.name = name;
        this.registry = registry;
        this.clonePool = new PacketBufferPool(name + "-clones", 8192, 2048 + PacketBufferPool.HEADROOM);
        this.mainThread = new PmdThread(this, PmdThread.NON_PMD_CORE, MAIN_TXQ);
        this.controlProcessor = new PacketProcessor(this, CONTROL_TXQ);
        mainThread.start();
        this.reconfigureTimer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "dp-" + name + "-reconfigure");
            t.setDaemon(true);
            return t;
        });
        reconfigureTimer.scheduleWithFixedDelay(this::reconfigurePortsSafely, RECONFIGURE_CHECK_MILLIS,
                RECONFIGURE_CHECK_MILLIS, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    private void reconfigurePortsSafely() {
        try {
            reconfigurePorts();
        } catch (RuntimeException e) {
            LOG.warn("{}: port reconfiguration failed", name, e);
        }
    }

    /**
     * Applies the changes netdevs asked for (Open vSwitch's {@code dpif_netdev_run} ->
     * {@code reconfigure_datapath} for ports whose {@code netdev_is_reconf_required}): takes those
     * ports out of every thread's lists, waits until no thread polls or sends on them, lets each
     * netdev {@link Netdev#reconfigure()}, then puts them back with their new queues. The other
     * ports keep forwarding throughout.
     */
    synchronized void reconfigurePorts() {
        if (closed) {
            return;
        }
        DpPort[] table = portTable;
        List<DpPort> wanting = new ArrayList<>();
        for (DpPort p : table) {
            if (p != null && p.netdev.isReconfigureRequired()) {
                wanting.add(p);
            }
        }
        if (wanting.isEmpty()) {
            return;
        }
        DpPort[] without = table.clone();
        for (DpPort p : wanting) {
            without[p.portNo] = null;
        }
        portTable = without;
        reconfigurePmds();
        DpPort[] with = portTable.clone();
        for (DpPort p : wanting) {
            for (int q = 0; q < p.netdev.nRxq(); q++) {
                Rxq rxq = p.netdev.rxq(q);
                rxq.setReadyListener(null);
                rxqPolls.remove(rxq);
            }
            try {
                p.netdev.reconfigure();
                LOG.info("{}: port {} ({}) reconfigured: {} rx queues, {} tx queues", name, p.netdev.name(), p.portNo,
                        p.netdev.nRxq(), p.netdev.nTxq());
            } catch (org.jvswitch.api.netdev.NetdevException e) {
                LOG.warn("{}: port {} could not be reconfigured: {}", name, p.netdev.name(), e.getMessage());
            }
            with[p.portNo] = new DpPort(p.portNo, p.netdev, p.pmd);
        }
        portTable = with;
        reconfigurePmds();
    }

    @Override public String name() { return name; }
    @Override public String type() { return "netdev"; }

    @Override
    public synchronized int portAdd(Netdev netdev, int requestedPortNo) throws DpifException {
        DpPort[] table = portTable;
        // The datapath's own name is taken, as Open vSwitch's port 0 holds it.
        if (netdev.name().equals(name)) {
            throw new DpifException("File exists");
        }
        for (DpPort p : table) {
            if (p != null && (p.netdev == netdev || p.netdev.name().equals(netdev.name()))) {
                throw new DpifException("File exists");
            }
        }
        int no = requestedPortNo;
        if (no >= 0) {
            if (no == 0 || no > MAX_PORTS) {
                throw new DpifException("port number " + no + " out of range");
            }
            if (no < table.length && table[no] != null) {
                throw new DpifException("port number " + no + " already in use by " + table[no].netdev.name());
            }
        } else {
            no = 1;
            while (no < table.length && table[no] != null) {
                no++;
            }
            if (no > MAX_PORTS) {
                throw new DpifException("datapath " + name + " has no free port number");
            }
        }
        DpPort port = new DpPort(no, netdev, registry.isPmd(netdev.type()));
        DpPort[] grown = Arrays.copyOf(table, Math.max(table.length, no + 1));
        grown[no] = port;
        portTable = grown;
        reconfigurePmds();
        LOG.info("{}: added port {} ({}) as port {}{}", name, netdev.name(), netdev.type(), no,
                port.pmd ? ", polled by PMD threads" : "");
        return no;
    }

    @Override
    public synchronized void portDel(int portNo) {
        DpPort[] table = portTable;
        if (portNo <= 0 || portNo >= table.length || table[portNo] == null) {
            return;
        }
        DpPort port = table[portNo];
        DpPort[] shrunk = table.clone();
        shrunk[portNo] = null;
        portTable = shrunk;
        rxqAffinity.remove(portNo);
        reconfigurePmds();
        for (int q = 0; q < port.netdev.nRxq(); q++) {
            Rxq rxq = port.netdev.rxq(q);
            rxq.setReadyListener(null);
            rxqPolls.remove(rxq);
        }
        LOG.info("{}: deleted port {} ({})", name, port.netdev.name(), portNo);
    }

    @Override
    public synchronized void portSetConfig(int portNo, Map<String, String> otherConfig) {
        Map<Integer, Integer> pins = parseAffinity(otherConfig.get("pmd-rxq-affinity"));
        Map<Integer, Integer> old = rxqAffinity.getOrDefault(portNo, Map.of());
        if (pins.equals(old)) {
            return;
        }
        if (pins.isEmpty()) {
            rxqAffinity.remove(portNo);
        } else {
            rxqAffinity.put(portNo, pins);
        }
        reconfigurePmds();
    }

    /** Parses "0:3,1:7" (queue:core pairs); bad pairs are logged and skipped, as Open vSwitch does. */
    static Map<Integer, Integer> parseAffinity(String s) {
        Map<Integer, Integer> out = new java.util.TreeMap<>();
        if (s == null || s.isBlank()) {
            return out;
        }
        for (String pair : s.split(",")) {
            String[] qc = pair.trim().split(":");
            try {
                out.put(Integer.parseInt(qc[0].trim()), Integer.parseInt(qc[1].trim()));
            } catch (RuntimeException e) {
                LOG.warn("invalid pmd-rxq-affinity entry '{}' in '{}'", pair, s);
            }
        }
        return out;
    }

    /** Removes the port of {@code netdev}, if any (its provider is going away). */
    synchronized void portDelNetdev(Netdev netdev) {
        for (DpPort p : portTable) {
            if (p != null && p.netdev == netdev) {
                portDel(p.portNo);
                return;
            }
        }
    }

    @Override
    public List<DpifPort> ports() {
        List<DpifPort> out = new ArrayList<>();
        for (DpPort p : portTable) {
            if (p != null) {
                out.add(new DpifPort(p.portNo, p.netdev.name(), p.type, p.netdev));
            }
        }
        return out;
    }

    @Override
    public void setUpcallHandler(UpcallHandler handler) {
        synchronized (upcallLock) {
            this.upcallHandler = handler;
        }
        if (handler == null) {
            flowFlush();
        }
    }

    /**
     * A packet missed every flow: asks the upcall handler and installs the megaflow it describes.
     * Returns null if the packet is to be dropped without a flow. Runs on the polling thread.
     */
    Megaflow upcall(DpPacket packet, FlowKey key) {
        synchronized (upcallLock) {
            UpcallHandler handler = upcallHandler;
            if (handler == null) {
                return null;
            }
            // Another thread may have installed the flow while this one waited.
            Megaflow existing = dpcls.lookup(key, upcallLookups);
            if (existing != null) {
                return existing;
            }
            FlowKey mask = new FlowKey();
            DpActions actions;
            try {
                actions = handler.upcall(packet, key, mask);
            } catch (RuntimeException e) {
                LOG.warn("{}: upcall failed for {}", name, key, e);
                return null;
            }
            if (actions == null) {
                return null;
            }
            mask.w[0] |= IN_PORT_MASK;
            FlowKey masked = new FlowKey();
            masked.setMasked(key, mask);
            Megaflow flow = new Megaflow(masked, mask, actions);
            if (dpcls.size() >= flowLimit) {
                // Over other_config:flow-limit: forward this packet but install nothing, so a
                // storm of new flows cannot grow the table without bound (Open vSwitch's
                // upcall_flow_limit_hit). Such a flow is never cached (it is not in the classifier).
                flow.dead = true;
                flowLimitHits.incrementAndGet();
                return flow;
            }
            dpcls.insert(flow);
            if (LOG.isDebugEnabled()) {
                LOG.debug("{}: flow_add: {}, actions:{}", name, masked, actions);
            }
            return flow;
        }
    }

    /** A userspace action ran: hand the packet to the upcall handler (the controller path). */
    void userspace(DpPacket packet, long cookie) {
        UpcallHandler handler = upcallHandler;
        if (handler != null) {
            try {
                handler.action(packet, cookie);
            } catch (RuntimeException e) {
                LOG.warn("{}: userspace action handler failed", name, e);
            }
        }
    }

    @Override
    public void flowFlush() {
        synchronized (upcallLock) {
            dpcls.clear();
        }
    }

    /** Meter ids run from 0 to this, exclusive (OpenFlow meter ids above are not mapped here). */
    static final int MAX_METERS = 65536;
    /** Datapath meters by id; read by PMD threads without a lock. */
    private final java.util.concurrent.atomic.AtomicReferenceArray<Meter> meters =
            new java.util.concurrent.atomic.AtomicReferenceArray<>(MAX_METERS);

    Meter meter(int id) {
        return id >= 0 && id < MAX_METERS ? meters.get(id) : null;
    }

    @Override
    public void meterSet(int id, org.jvswitch.api.dpif.DpMeter meter) {
        if (id >= 0 && id < MAX_METERS) {
            meters.set(id, new Meter(meter, meters.get(id)));
        }
    }

    @Override
    public void meterDel(int id) {
        if (id >= 0 && id < MAX_METERS) {
            meters.set(id, null);
        }
    }

    @Override
    public long[] meterStats(int id) {
        Meter m = meter(id);
        return m == null ? null
                : new long[] {m.packetsIn.get(), m.bytesIn.get(), m.packetsDropped.get(), m.bytesDropped.get()};
    }

    @Override
    public boolean flowDel(FlowKey maskedKey, FlowKey mask) {
        synchronized (upcallLock) {
            Megaflow f = dpcls.find(maskedKey, mask);
            return f != null && dpcls.remove(f);
        }
    }

    @Override
    public List<DpifFlow> flowDump() {
        List<DpifFlow> out = new ArrayList<>();
        for (Megaflow f : dpcls.flows()) {
            FlowKey k = new FlowKey();
            k.copyFrom(f.key);
            FlowKey m = new FlowKey();
            m.copyFrom(f.mask);
            out.add(new DpifFlow(k, m, f.actions, f.packets(), f.bytes(), f.usedMillis, f.tcpFlags()));
        }
        return out;
    }

    @Override
    public void execute(DpPacket packet, DpActions actions) {
        synchronized (controlProcessor) {
            DpPort[] ports = portTable;
            if (controlProcessor.ports() != ports) {
                controlProcessor.reload(ports, threadCount(), CONTROL_TXQ);
            }
            new FlowKey().extract(packet, packet.inPort);  // sets the header offsets set-actions use
            controlProcessor.execute(actions.program(), new DpPacket[] {packet}, 1);
            controlProcessor.output.flush();
        }
    }

    @Override
    public DpifStats stats() {
        long hit = 0;
        long missed = 0;
        long lost = 0;
        List<PacketProcessor> processors = new ArrayList<>();
        for (PmdThread t : pollThreads()) {
            processors.add(t.processor);
        }
        processors.add(controlProcessor);
        for (PacketProcessor p : processors) {
            long[] s = p.stats.read();
            hit += s[PmdPerfStats.EXACT_HIT] + s[PmdPerfStats.SMC_HIT] + s[PmdPerfStats.MASKED_HIT] + s[PmdPerfStats.SIMPLE_HIT];
            missed += s[PmdPerfStats.MISS] + s[PmdPerfStats.LOST];
            lost += s[PmdPerfStats.LOST];
        }
        return new DpifStats(hit, missed, lost, dpcls.size());
    }

    @Override
    public synchronized void setConfig(Map<String, String> otherConfig) {
        long mask = parseCpuMask(otherConfig.get("pmd-cpu-mask"));
        boolean isolate = !"false".equals(otherConfig.get("pmd-rxq-isolate"));
        String assign = otherConfig.getOrDefault("pmd-rxq-assign", "cycles");
        if (!List.of("cycles", "roundrobin", "group").contains(assign)) {
            LOG.warn("Unsupported rx queue to PMD assignment mode in pmd-rxq-assign. Defaulting to 'cycles'.");
            assign = "cycles";
        }
        pmdMaxSleepMicros = (int) Math.min(10_000, Math.max(0, parseLong(otherConfig.get("pmd-maxsleep"), 0)));
        emcInsertInvProb = (int) Math.max(0, parseLong(otherConfig.get("emc-insert-inv-prob"), 100));
        smcEnabled = "true".equals(otherConfig.get("smc-enable"));
        pmdPerfMetrics = "true".equals(otherConfig.get("pmd-perf-metrics"));
        flowLimit = (int) Math.max(0, Math.min(Integer.MAX_VALUE, parseLong(otherConfig.get("flow-limit"), 200_000)));
        // Open vSwitch accepts 0 to 1,000,000 microseconds.
        txFlushIntervalNanos = Math.min(1_000_000, Math.max(0, parseLong(otherConfig.get("tx-flush-interval"), 0))) * 1000;
        if (mask != pmdCpuMask || !assign.equals(rxqAssign) || isolate != rxqIsolate) {
            pmdCpuMask = mask;
            rxqAssign = assign;
            rxqIsolate = isolate;
            reconfigurePmds();
        }
    }

    private static long parseLong(String s, long dflt) {
        if (s == null || s.isBlank()) {
            return dflt;
        }
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return dflt;
        }
    }

    /** Parses a pmd-cpu-mask ("0x6" or "6", hexadecimal as in Open vSwitch); 0 if unset or invalid. */
    static long parseCpuMask(String s) {
        if (s == null || s.isBlank()) {
            return 0;
        }
        String hex = s.trim().toLowerCase();
        if (hex.startsWith("0x")) {
            hex = hex.substring(2);
        }
        try {
            return Long.parseUnsignedLong(hex, 16);
        } catch (NumberFormatException e) {
            LOG.warn("invalid pmd-cpu-mask {}; using the default", s);
            return 0;
        }
    }

    /** The cores PMD threads should run on: the mask's cores that exist, else the last core. */
    private List<Integer> wantedCores() {
        List<Integer> cores = new ArrayList<>();
        for (int c = 0; c < Math.min(64, nCores); c++) {
            if ((pmdCpuMask & (1L << c)) != 0) {
                cores.add(c);
            }
        }
        if (cores.isEmpty()) {
            cores.add(nCores - 1);
        } else if (cores.size() == nCores && nCores > 1 && pmdMaxSleepMicros == 0) {
            // Busy-polling every core starves the JVM's own threads (GC, JIT, the bridge, the
            // database). Open vSwitch allows it silently; say so, and point at the remedies.
            LOG.warn("pmd-cpu-mask {} busy-polls every core: the switch's other threads will compete with PMDs"
                    + " (leave a core out of the mask, or set other_config:pmd-maxsleep)", String.format("0x%x", pmdCpuMask));
        }
        return cores;
    }

    private int threadCount() {
        return pmds.size() + 2;
    }

    /**
     * Brings PMD threads and rx queue assignments in line with the ports and configuration
     * (Open vSwitch's {@code reconfigure_datapath}): starts PMD threads only while a port needs
     * polling, assigns queues, and waits until every thread runs with the new lists. Threads whose
     * queues did not change keep running throughout.
     */
    private void reconfigurePmds() {
        if (closed) {
            return;
        }
        DpPort[] table = portTable;
        boolean needPmd = false;
        for (DpPort p : table) {
            if (p != null && p.pmd && p.netdev.nRxq() > 0) {
                needPmd = true;
                break;
            }
        }
        List<Integer> cores = needPmd ? wantedCores() : List.of();
        List<PmdThread> stopped = new ArrayList<>();
        pmds.entrySet().removeIf(e -> {
            if (!cores.contains(e.getKey())) {
                stopped.add(e.getValue());
                return true;
            }
            return false;
        });
        for (int core : cores) {
            pmds.computeIfAbsent(core, c -> {
                PmdThread t = new PmdThread(this, c, nextThreadIndex++);
                t.start();
                return t;
            });
        }
        for (PmdThread t : stopped) {
            t.update(new RxqPoll[0], table, threadCount(), 0);
            t.stop();
        }

        // Collect the queues, keeping existing handles (and their measured load).
        List<RxqPoll> pmdQueues = new ArrayList<>();
        List<RxqPoll> mainQueues = new ArrayList<>();
        Map<Rxq, RxqPoll> live = new HashMap<>();
        for (DpPort p : table) {
            if (p == null) {
                continue;
            }
            for (int q = 0; q < p.netdev.nRxq(); q++) {
                Rxq rxq = p.netdev.rxq(q);
                RxqPoll poll = rxqPolls.get(rxq);
                if (poll == null || poll.port != p) {
                    poll = new RxqPoll(p, rxq);
                }
                live.put(rxq, poll);
                (p.pmd ? pmdQueues : mainQueues).add(poll);
            }
        }
        rxqPolls.clear();
        rxqPolls.putAll(live);

        Map<PmdThread, List<RxqPoll>> assignment = assign(pmdQueues);
        int threads = threadCount();
        for (RxqPoll poll : mainQueues) {
            poll.rxq.setReadyListener(mainThread::wake);
        }
        mainThread.update(mainQueues.toArray(new RxqPoll[0]), table, threads, MAIN_TXQ);
        int txq = CONTROL_TXQ + 1;   // PMDs take dense tx queue ids after the main and control threads
        for (PmdThread t : pmds.values()) {
            t.update(assignment.getOrDefault(t, List.of()).toArray(new RxqPoll[0]), table, threads, txq++);
        }
        synchronized (controlProcessor) {
            controlProcessor.reload(table, threads, CONTROL_TXQ);
        }
        mainThread.waitQuiesce();
        for (PmdThread t : pmds.values()) {
            t.waitQuiesce();
        }
    }

    /**
     * Assigns PMD queues to PMD threads: queues pinned by pmd-rxq-affinity to their core's thread
     * (which then serves only pinned queues, unless pmd-rxq-isolate=false), the rest by
     * {@code pmd-rxq-assign}.
     */
    private Map<PmdThread, List<RxqPoll>> assign(List<RxqPoll> all) {
        Map<PmdThread, List<RxqPoll>> out = new HashMap<>();
        List<PmdThread> threads = new ArrayList<>(pmds.values());
        if (threads.isEmpty()) {
            return out;
        }
        List<RxqPoll> queues = new ArrayList<>();
        java.util.Set<Integer> isolated = new java.util.TreeSet<>();
        for (RxqPoll q : all) {
            Integer core = rxqAffinity.getOrDefault(q.port.portNo, Map.of()).get(q.rxq.id());
            PmdThread t = core == null ? null : pmds.get(core);
            if (core != null && t == null) {
                LOG.warn("Core {} cannot be pinned with port '{}' rx queue {}. Use pmd-cpu-mask to enable a pmd on core {}."
                        + " An alternative core will be assigned.", core, q.port.netdev.name(), q.rxq.id(), core);
            }
            if (t != null) {
                out.computeIfAbsent(t, k -> new ArrayList<>()).add(q);
                if (rxqIsolate) {
                    isolated.add(core);
                }
            } else {
                queues.add(q);
            }
        }
        isolatedCores = java.util.Set.copyOf(isolated);
        if (threads.size() > isolated.size()) {
            threads.removeIf(t -> isolated.contains(t.coreId));
        }
        if (rxqAssign.equals("roundrobin")) {
            queues.sort(Comparator.comparingInt((RxqPoll q) -> q.port.portNo).thenComparingInt(q -> q.rxq.id()));
            for (int i = 0; i < queues.size(); i++) {
                out.computeIfAbsent(threads.get(i % threads.size()), k -> new ArrayList<>()).add(queues.get(i));
            }
            return out;
        }
        // "cycles" and "group": the busiest queue first, each to the least loaded thread.
        queues.sort(Comparator.comparingLong((RxqPoll q) -> -q.busyNanos)
                .thenComparingInt(q -> q.port.portNo).thenComparingInt(q -> q.rxq.id()));
        long[] load = new long[threads.size()];
        int[] count = new int[threads.size()];
        for (RxqPoll q : queues) {
            int best = 0;
            for (int i = 1; i < threads.size(); i++) {
                if (load[i] < load[best] || (load[i] == load[best] && count[i] < count[best])) {
                    best = i;
                }
            }
            load[best] += q.busyNanos;
            count[best]++;
            out.computeIfAbsent(threads.get(best), k -> new ArrayList<>()).add(q);
        }
        return out;
    }

    /** Reassigns rx queues now, on the load measured so far (dpif-netdev/pmd-rxq-rebalance). */
    synchronized void rebalance() {
        reconfigurePmds();
    }

    /** Polling threads for statistics: PMDs by core, then the main thread (as Open vSwitch sorts). */
    synchronized List<PmdThread> pollThreads() {
        List<PmdThread> out = new ArrayList<>(pmds.values());
        out.add(mainThread);
        return out;
    }

    /** Number of PMD threads running (for tests and leak checks). */
    synchronized int pmdCount() {
        return pmds.size();
    }

    /** Stops every thread and frees the flows; ports must have been removed by their owners. */
    synchronized void close() {
        closed = true;
        reconfigureTimer.shutdownNow();
        for (PmdThread t : pmds.values()) {
            t.stop();
        }
        pmds.clear();
        mainThread.stop();
        flowFlush();
        if (clonePool.inUse() == 0) {
            clonePool.close();
        } else {
            LOG.warn("{}: {} cloned packets still held by netdevs at close; their memory is kept", name,
                    clonePool.inUse());
        }
    }
}
