package org.jvswitch.core.dpif;

import org.jvswitch.api.dpif.DpActions;
import org.jvswitch.api.flow.FlowKey;
import org.jvswitch.api.packet.DpPacket;
import org.jvswitch.api.packet.DpPacketBatch;

/**
 * What one polling thread does with a received batch (Open vSwitch's {@code dp_netdev_input}):
 * extract each packet's key, look it up in the exact match cache, then the megaflow classifier,
 * upcall on a miss, group packets by flow, execute each flow's actions once per group and queue
 * the results in per-port output batches. Owned by one thread; allocates nothing per packet.
 */
final class PacketProcessor {
    private final DpNetdev dp;
    final PmdPerfStats stats = new PmdPerfStats();
    final OutputBatches output;
    private final ExactMatchCache emc = new ExactMatchCache();
    private SignatureMatchCache smcCache;
    private final FlowKey[] keys = new FlowKey[DpPacketBatch.MAX];
    private final long[] lookups = new long[1];
    private final UpcallBudget upcallBudget = new UpcallBudget();

    // Per-flow groups of the current batch (Open vSwitch's packet_batch_per_flow).
    private final Megaflow[] groupFlow = new Megaflow[DpPacketBatch.MAX];
    private final DpPacket[][] groupPkts = new DpPacket[DpPacketBatch.MAX][DpPacketBatch.MAX];
    private final int[] groupCount = new int[DpPacketBatch.MAX];
    private final long[] groupBytes = new long[DpPacketBatch.MAX];
    private final int[] groupFlags = new int[DpPacketBatch.MAX];
    /** Per packet of the batch being processed: the number of its group, or -1 (missed, dropped). */
    private final int[] groupOf = new int[DpPacketBatch.MAX];
    private final int[] groupFill = new int[DpPacketBatch.MAX];
    /** Per packet: its key's hash, and what {@link MaskTable#touch} loaded (kept so the loads stay). */
    private final int[] hashes = new int[DpPacketBatch.MAX];
    private final long[] touched = new long[DpPacketBatch.MAX];
    /** Packets dropped by the actions of the batch's flows, freed together ({@link #deferFree}). */
    private final DpPacket[] toFree = new DpPacket[2 * DpPacketBatch.MAX];
    private int nToFree;
    private int nGroups;

    private DpPort[] ports = new DpPort[0];
    private static final int MAX_RECIRC_DEPTH = 6;
    private static final int MAX_CLONE_DEPTH = 4;
    private final DpPacket[][] cloneScratch = new DpPacket[MAX_CLONE_DEPTH][DpPacketBatch.MAX];
    private DpPacketBatch recircBatch = new DpPacketBatch();
    private DpPacketBatch recircSpare = new DpPacketBatch();
    private int emcInsertCounter;
    /** Deadline for output batches started by the batch being processed (tx-flush-interval). */
    private long flushAt;

    PacketProcessor(DpNetdev dp, int txqId) {
        this.dp = dp;
        this.output = new OutputBatches(stats, txqId);
        for (int i = 0; i < keys.length; i++) {
            keys[i] = new FlowKey();
        }
    }

    /** Monotonic time of the current iteration, set by the polling thread; 0: read the clock. */
    private long clock;
    private final long baseNanos = System.nanoTime();
    private final long baseMillis = System.currentTimeMillis();

    /**
     * Sets the time of the batch about to be processed (the polling thread read it anyway), so
     * that flow "used" times and flush deadlines cost no clock call per batch.
     */
    void setClock(long nanos) {
        clock = nanos;
    }

    private long clockNanos() {
        return clock != 0 ? clock : System.nanoTime();
    }

    /** Wall-clock milliseconds of {@link #clockNanos()}, as flow "used" times are kept. */
    private long clockMillis() {
        return baseMillis + (clockNanos() - baseNanos) / 1_000_000;
    }

    /** Takes a new port table; the owning thread calls this between batches. */
    void reload(DpPort[] ports, int threads, int txqId) {
        this.ports = ports;
        output.reload(ports, threads, txqId);
    }

    DpPort[] ports() {
        return ports;
    }

    /** Processes and consumes every packet of {@code batch} received on {@code inPort}. */
    void input(DpPacketBatch batch, int inPort) {
        PortClassifier.Port port = dp.dpcls.ports.port(inPort);
        if (port != null) {
            portProcess(batch, port, inPort);   // sets the metadata of every packet as it goes
        } else {
            for (int i = 0; i < batch.count(); i++) {
                DpPacket p = batch.get(i);
                p.inPort = inPort;
                p.recircId = 0;
            }
        }
        if (!batch.isEmpty()) {
            process(batch);
        }
        // Recirculated packets go round again, at most MAX_RECIRC_DEPTH times (as Open vSwitch).
        for (int pass = 1; !recircBatch.isEmpty(); pass++) {
            DpPacketBatch again = recircBatch;
            recircBatch = recircSpare;
            recircSpare = again;
            stats.add(PmdPerfStats.RECIRC, again.count());
            if (pass > MAX_RECIRC_DEPTH) {
                stats.add(PmdPerfStats.LOST, again.count());
                again.freeAll();
                continue;
            }
            process(again);
        }
    }

    /**
     * The per-port stage ({@link PortClassifier}): when every flow of the input port shares one
     * mask, parses each packet only as deep as that mask reaches and finds its flow with one
     * probe (or a few compares); with only Ethernet type, VLAN and fragment bits in the mask this
     * is Open vSwitch 3.1's simple match. What it cannot decide stays in the batch for the full
     * lookup.
     */
    private void portProcess(DpPacketBatch batch, PortClassifier.Port port, int inPort) {
        nGroups = 0;
        int n = batch.count();
        int hits = port.level == PortClassifier.SIMPLE ? simpleLookup(batch, port, inPort) : levelLookup(batch, port, inPort);
        if (hits == 0) {
            return;
        }
        upcallBudget.hit(clockNanos());
        stats.add(PmdPerfStats.RECV, hits);
        if (port.level == PortClassifier.SIMPLE) {
            stats.add(PmdPerfStats.SIMPLE_HIT, hits);
        } else {
            stats.add(PmdPerfStats.MASKED_HIT, hits);
            stats.add(PmdPerfStats.MASKED_LOOKUP, hits);
        }
        DpPacket[] pkts = batch.packets();
        if (hits == n) {
            batch.clear();
            executeGroups(pkts, n);
            return;
        }
        // Some missed: the groups take their packets, then the misses move to the front for the
        // full lookup (left <= i, so no packet is overwritten before it is read).
        fillGroups(pkts, n);
        int left = 0;
        for (int i = 0; i < n; i++) {
            if (groupOf[i] < 0) {
                batch.set(left++, pkts[i]);
            }
        }
        batch.truncate(left);
        runGroups();
    }

    /** Simple match: two key words read straight from the packet, one probe of the inline table. */
    private int simpleLookup(DpPacketBatch batch, PortClassifier.Port port, int inPort) {
        int n = batch.count();
        DpPacket[] pkts = batch.packets();
        int hits = 0;
        boolean frag = port.usesFrag;
        for (int i = 0; i < n; i++) {
            DpPacket p = pkts[i];
            p.inPort = inPort;
            p.recircId = 0;
            long w0 = SimpleMatch.extractW0(p, inPort);
            long w4 = frag && w0 != -1 ? SimpleMatch.extractFragW4(p, w0) : 0;
            Megaflow f = w0 == -1 || w4 == -1 ? null : port.lookupSimple(w0, w4);
            if (f == null || f.dead) {
                groupOf[i] = -1;
                continue;
            }
            hits++;
            group(f, i, p, SimpleMatch.tcpFlags(p, (int) (w0 >>> 16) & 0xffff));
        }
        return hits;
    }

    /**
     * A port whose flows share one deeper mask: parse to its level, one probe (or a few
     * compares). With a table, every packet's slot is loaded before the first probe, so that the
     * cache misses of a large table overlap across the batch.
     */
    private int levelLookup(DpPacketBatch batch, PortClassifier.Port port, int inPort) {
        int n = batch.count();
        DpPacket[] pkts = batch.packets();
        int level = port.level;
        MaskTable table = port.few == null ? port.table : null;
        int hits = 0;
        for (int i = 0; i < n; i++) {
            DpPacket p = pkts[i];
            p.inPort = inPort;
            p.recircId = 0;
            FlowKey key = keys[i];
            key.extract(p, inPort, level);
            if (table == null) {
                hits += levelHit(i, p, key, port.lookup(key), level);   // a few compares, at once
            } else {
                int h = table.hash(key);
                hashes[i] = h;
                touched[i] = table.touch(h);
            }
        }
        if (table != null) {
            for (int i = 0; i < n; i++) {
                hits += levelHit(i, pkts[i], keys[i], table.lookup(keys[i], hashes[i]), level);
            }
        }
        return hits;
    }

    /** Groups packet {@code i} with its flow {@code f} and returns 1, or marks it missed and returns 0. */
    private int levelHit(int i, DpPacket p, FlowKey key, Megaflow f, int level) {
        if (f == null || f.dead) {
            groupOf[i] = -1;
            return 0;
        }
        int flags;
        if (level == FlowKey.EXTRACT_ALL) {
            flags = (int) key.w[9] & 0x0fff;
        } else if (level == FlowKey.EXTRACT_L3) {
            flags = key.nwProto() == 6 ? SimpleMatch.tcpFlags(p, key.dlType()) : 0;   // the key knows the protocol
        } else {
            flags = SimpleMatch.tcpFlags(p, key.dlType());
        }
        group(f, i, p, flags);
        return 1;
    }

    private void process(DpPacketBatch batch) {
        int n = batch.count();
        DpPacket[] pkts = batch.packets();
        int emcHits = 0;
        int smcHits = 0;
        int maskedHits = 0;
        SignatureMatchCache smc = smcIfEnabled();
        int misses = 0;
        int lost = 0;
        lookups[0] = 0;
        nGroups = 0;
        int emcInvProb = dp.emcInsertInvProb;
        for (int i = 0; i < n; i++) {
            DpPacket p = pkts[i];
            FlowKey key = keys[i];
            key.extract(p, p.inPort);
            int hash = key.hash();
            Megaflow f = emcInvProb > 0 ? emc.lookup(key, hash) : null;
            if (f != null) {
                emcHits++;
            } else if (smc != null && (f = smc.lookup(key, hash)) != null) {
                smcHits++;
                maybeEmcInsert(key, hash, f, emcInvProb);
            } else {
                f = dp.dpcls.lookup(key, lookups);
                if (f != null && f.dead) {
                    f = null;   // removed while we looked: decide it again through the upcall path
                }
                if (f != null) {
                    maskedHits++;
                    maybeEmcInsert(key, hash, f, emcInvProb);
                    if (smc != null) {
                        smc.insert(hash, f);
                    }
                } else {
                    long u0 = System.nanoTime();
                    if (upcallBudget.allow(u0)) {
                        f = dp.upcall(p, key);
                        long spent = System.nanoTime() - u0;
                        upcallBudget.spent(spent);
                        stats.add(PmdPerfStats.CYCLES_UPCALL, spent);
                        if (stats.metrics) {
                            stats.cyclesPerUpcall.add(spent);
                        }
                    }
                    if (f == null) {
                        lost++;
                        groupOf[i] = -1;
                        p.free();
                        continue;
                    }
                    misses++;
                    maybeEmcInsert(key, hash, f, emcInvProb);
                }
            }
            group(f, i, p, (int) key.w[9] & 0x0fff);
        }
        batch.clear();
        if (emcHits + smcHits + maskedHits > 0) {
            upcallBudget.hit(clockNanos());
        }
        stats.add(PmdPerfStats.RECV, n);
        stats.add(PmdPerfStats.EXACT_HIT, emcHits);
        stats.add(PmdPerfStats.SMC_HIT, smcHits);
        stats.add(PmdPerfStats.MASKED_HIT, maskedHits);
        stats.add(PmdPerfStats.MASKED_LOOKUP, lookups[0]);
        stats.add(PmdPerfStats.MISS, misses);
        stats.add(PmdPerfStats.LOST, lost);
        if (lost == 0) {
            executeGroups(pkts, n);
        } else {
            fillGroups(pkts, n);
            runGroups();
        }
    }

    /**
     * Runs each flow's actions on its packets, {@code pkts[0..n)} every one of which is in a
     * group. When they are all one flow's (the usual batch) the actions run on that array in
     * place: no packet is copied into a group, as Open vSwitch's single-flow batches.
     */
    private void executeGroups(DpPacket[] pkts, int n) {
        if (nGroups != 1) {
            fillGroups(pkts, n);
            runGroups();
            return;
        }
        startFlushDeadline();
        Megaflow f = groupFlow[0];
        f.hit(groupCount[0], groupBytes[0], clockMillis(), groupFlags[0]);
        groupFlow[0] = null;
        nGroups = 0;
        execute(f.program, pkts, n);
    }

    /** Copies each grouped packet of {@code pkts[0..n)} into its group's array, in batch order. */
    private void fillGroups(DpPacket[] pkts, int n) {
        int[] fill = groupFill;
        for (int g = 0; g < nGroups; g++) {
            fill[g] = 0;
        }
        for (int i = 0; i < n; i++) {
            int g = groupOf[i];
            if (g >= 0) {
                groupPkts[g][fill[g]++] = pkts[i];
            }
        }
    }

    /**
     * Counts each flow's group against it and runs its actions on the group (Open vSwitch's
     * packet_batch_per_flow_execute); the flush deadline starts here.
     */
    private void runGroups() {
        startFlushDeadline();
        long now = clockMillis();
        for (int g = 0; g < nGroups; g++) {
            Megaflow f = groupFlow[g];
            f.hit(groupCount[g], groupBytes[g], now, groupFlags[g]);
            run(f.program, 0, f.program.length, groupPkts[g], groupCount[g], 0);
            groupFlow[g] = null;
        }
        nGroups = 0;
        freeDeferred();
    }

    private void startFlushDeadline() {
        long interval = dp.txFlushIntervalNanos;
        flushAt = interval == 0 ? 0 : clockNanos() + interval;
    }

    /** The SMC while other_config:smc-enable is true; allocated on first use, dropped when disabled. */
    private SignatureMatchCache smcIfEnabled() {
        if (!dp.smcEnabled) {
            smcCache = null;
        } else if (smcCache == null) {
            smcCache = new SignatureMatchCache();
        }
        return smcCache;
    }

    private void maybeEmcInsert(FlowKey key, int hash, Megaflow f, int invProb) {
        if (invProb == 0) {
            return;
        }
        // Like Open vSwitch's emc-insert-inv-prob: insert 1 in N new flows, so that a flood of
        // short flows does not thrash the cache.
        if (invProb == 1 || ++emcInsertCounter % invProb == 0) {
            emc.insert(key, hash, f);
        }
    }

    /**
     * Puts packet {@code i} of the batch in its flow's group. Only its group's number is stored
     * per packet (an int): packets are copied into groups only when a batch holds several flows.
     */
    private void group(Megaflow f, int i, DpPacket p, int tcpFlags) {
        int g = 0;
        while (g < nGroups && groupFlow[g] != f) {
            g++;
        }
        if (g == nGroups) {
            nGroups++;
            groupFlow[g] = f;
            groupCount[g] = 0;
            groupBytes[g] = 0;
            groupFlags[g] = 0;
        }
        groupOf[i] = g;
        groupCount[g]++;
        groupBytes[g] += p.length();
        groupFlags[g] |= tcpFlags;
    }

    /**
     * Runs an action program on {@code count} packets, consuming them: the last output of the
     * program sends the packets themselves, earlier outputs send copies; packets left over after
     * the program are freed (Open vSwitch's {@code odp_execute_actions} with {@code steal}).
     */
    void execute(int[] program, DpPacket[] pkts, int count) {
        run(program, 0, program.length, pkts, count, 0);
        freeDeferred();
    }

    /**
     * Keeps packets the actions dropped until the batch's flows have all run, then frees them
     * together: with a flow per packet (and drop actions) a free per flow would be a downcall
     * per packet for mbufs.
     */
    private void deferFree(DpPacket[] pkts, int count) {
        if (nToFree + count > toFree.length) {
            freeDeferred();
            if (count > toFree.length) {
                freeAll(pkts, count);
                return;
            }
        }
        System.arraycopy(pkts, 0, toFree, nToFree, count);
        nToFree += count;
    }

    private void freeDeferred() {
        if (nToFree > 0) {
            freeAll(toFree, nToFree);
            nToFree = 0;
        }
    }

    private void run(int[] prog, int from, int to, DpPacket[] pkts, int count, int depth) {
        int truncLen = -1;
        int pc = from;
        while (pc < to) {
            int op = prog[pc];
            int next = pc + DpActions.length(prog, pc);
            boolean last = next == to;
            switch (op) {
                case DpActions.OUTPUT -> {
                    int portNo = prog[pc + 1];
                    DpPort port = portNo >= 0 && portNo < ports.length ? ports[portNo] : null;
                    if (last && port != null && truncLen < 0) {
                        output.addAll(port, pkts, count, flushAt);   // the packets themselves, in one copy
                        return;
                    }
                    for (int i = 0; i < count && port != null; i++) {
                        DpPacket out = last ? pkts[i] : copy(pkts[i]);
                        if (out == null) {
                            continue;
                        }
                        if (truncLen >= 0 && out.length() > truncLen) {
                            out.setLength(truncLen);
                        }
                        output.add(port, out, flushAt);
                    }
                    truncLen = -1;
                    if (last && port != null) {
                        return;
                    }
                }
                case DpActions.PUSH_VLAN -> {
                    for (int i = 0; i < count; i++) {
                        HeaderRewrite.pushVlan(pkts[i], prog[pc + 1]);
                    }
                }
                case DpActions.POP_VLAN -> {
                    for (int i = 0; i < count; i++) {
                        HeaderRewrite.popVlan(pkts[i]);
                    }
                }
                case DpActions.SET_ETH_SRC, DpActions.SET_ETH_DST -> {
                    int off = op == DpActions.SET_ETH_DST ? 0 : 6;
                    for (int i = 0; i < count; i++) {
                        HeaderRewrite.setEth(pkts[i], off, prog[pc + 1], prog[pc + 2], prog[pc + 3], prog[pc + 4]);
                    }
                }
                case DpActions.SET_IPV4 -> {
                    for (int i = 0; i < count; i++) {
                        HeaderRewrite.setIpv4(pkts[i], prog[pc + 1], prog[pc + 2], prog[pc + 3]);
                    }
                }
                case DpActions.SET_IPV6 -> {
                    for (int i = 0; i < count; i++) {
                        HeaderRewrite.setIpv6(pkts[i], prog[pc + 1], prog, pc + 2);
                    }
                }
                case DpActions.SET_L4 -> {
                    for (int i = 0; i < count; i++) {
                        HeaderRewrite.setL4(pkts[i], prog[pc + 1], prog[pc + 2], prog[pc + 3], prog[pc + 4]);
                    }
                }
                case DpActions.TRUNC -> truncLen = prog[pc + 1];
                case DpActions.CLONE -> {
                    if (depth < MAX_CLONE_DEPTH) {
                        DpPacket[] copies = cloneScratch[depth];
                        int n = 0;
                        for (int i = 0; i < count; i++) {
                            DpPacket c = copy(pkts[i]);
                            if (c != null) {
                                copies[n++] = c;
                            }
                        }
                        run(prog, pc + 2, pc + 2 + prog[pc + 1], copies, n, depth + 1);
                    }
                }
                case DpActions.USERSPACE -> {
                    long cookie = ((long) prog[pc + 1] << 32) | (prog[pc + 2] & 0xffffffffL);
                    for (int i = 0; i < count; i++) {
                        dp.userspace(pkts[i], cookie);
                    }
                }
                case DpActions.METER -> {
                    Meter meter = dp.meter(prog[pc + 1]);
                    if (meter != null) {
                        count = meter.admit(pkts, count, clockNanos());
                        if (count == 0) {
                            return;
                        }
                    }
                }
                case DpActions.RECIRC -> {
                    for (int i = 0; i < count; i++) {
                        DpPacket r = last ? pkts[i] : copy(pkts[i]);
                        if (r == null) {
                            continue;
                        }
                        r.recircId = prog[pc + 1];
                        if (recircBatch.isFull()) {
                            stats.add(PmdPerfStats.LOST, 1);
                            r.free();
                        } else {
                            recircBatch.add(r);
                        }
                    }
                    if (last) {
                        return;
                    }
                }
                default -> throw new IllegalStateException("bad datapath action " + op);
            }
            pc = next;
        }
        deferFree(pkts, count);
    }

    /** A copy of {@code p} from the datapath's clone pool; null (dropped) if the pool is empty. */
    private DpPacket copy(DpPacket p) {
        DpPacket c = dp.clonePool.alloc();
        if (c != null) {
            p.copyTo(c);
        }
        return c;
    }

    /** Frees dropped packets, one call per run of packets from the same pool (one downcall per burst for mbufs). */
    private static void freeAll(DpPacket[] pkts, int count) {
        int i = 0;
        while (i < count) {
            org.jvswitch.api.packet.PacketPool pool = pkts[i].pool();
            int j = i + 1;
            while (j < count && pkts[j].pool() == pool) {
                j++;
            }
            pool.freeBulk(pkts, i, j - i);
            i = j;
        }
        java.util.Arrays.fill(pkts, 0, count, null);
    }

    /** Sends the output batches: all of them, or with a tx-flush-interval only those due. */
    void flush() {
        long interval = dp.txFlushIntervalNanos;
        if (interval == 0) {
            output.flush();
        } else {
            output.flushDue(System.nanoTime());
        }
    }
}
