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
    private final FlowKey[] keys = new FlowKey[DpPacketBatch.MAX];
    private final long[] lookups = new long[1];

    // Per-flow groups of the current batch (Open vSwitch's packet_batch_per_flow).
    private final Megaflow[] groupFlow = new Megaflow[DpPacketBatch.MAX];
    private final DpPacket[][] groupPkts = new DpPacket[DpPacketBatch.MAX][DpPacketBatch.MAX];
    private final int[] groupCount = new int[DpPacketBatch.MAX];
    private final long[] groupBytes = new long[DpPacketBatch.MAX];
    private int nGroups;

    private DpPort[] ports = new DpPort[0];
    private int emcInsertCounter;

    PacketProcessor(DpNetdev dp, int threadIndex) {
        this.dp = dp;
        this.output = new OutputBatches(stats, threadIndex);
        for (int i = 0; i < keys.length; i++) {
            keys[i] = new FlowKey();
        }
    }

    /** Takes a new port table; the owning thread calls this between batches. */
    void reload(DpPort[] ports, int threads) {
        this.ports = ports;
        output.reload(ports, threads);
    }

    DpPort[] ports() {
        return ports;
    }

    /** Processes and consumes every packet of {@code batch} received on {@code inPort}. */
    void input(DpPacketBatch batch, int inPort) {
        int n = batch.count();
        long now = System.currentTimeMillis();
        int emcHits = 0;
        int maskedHits = 0;
        int misses = 0;
        int lost = 0;
        lookups[0] = 0;
        nGroups = 0;
        int emcInvProb = dp.emcInsertInvProb;
        for (int i = 0; i < n; i++) {
            DpPacket p = batch.get(i);
            p.inPort = inPort;
            FlowKey key = keys[i];
            key.extract(p, inPort);
            int hash = key.hash();
            Megaflow f = emcInvProb > 0 ? emc.lookup(key, hash) : null;
            if (f != null) {
                emcHits++;
            } else {
                f = dp.dpcls.lookup(key, lookups);
                if (f != null) {
                    maskedHits++;
                    maybeEmcInsert(key, hash, f, emcInvProb);
                } else {
                    f = dp.upcall(p, key);
                    if (f == null) {
                        lost++;
                        p.free();
                        continue;
                    }
                    misses++;
                    maybeEmcInsert(key, hash, f, emcInvProb);
                }
            }
            group(f, p);
        }
        batch.clear();
        stats.add(PmdPerfStats.RECV, n);
        stats.add(PmdPerfStats.EXACT_HIT, emcHits);
        stats.add(PmdPerfStats.MASKED_HIT, maskedHits);
        stats.add(PmdPerfStats.MASKED_LOOKUP, lookups[0]);
        stats.add(PmdPerfStats.MISS, misses);
        stats.add(PmdPerfStats.LOST, lost);
        for (int g = 0; g < nGroups; g++) {
            Megaflow f = groupFlow[g];
            f.hit(groupCount[g], groupBytes[g], now);
            execute(f.program, groupPkts[g], groupCount[g]);
            groupFlow[g] = null;
        }
        nGroups = 0;
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

    private void group(Megaflow f, DpPacket p) {
        for (int g = 0; g < nGroups; g++) {
            if (groupFlow[g] == f) {
                groupPkts[g][groupCount[g]++] = p;
                groupBytes[g] += p.length();
                return;
            }
        }
        int g = nGroups++;
        groupFlow[g] = f;
        groupPkts[g][0] = p;
        groupCount[g] = 1;
        groupBytes[g] = p.length();
    }

    /**
     * Runs an action program on {@code count} packets, consuming them: the last output of the
     * program sends the packets themselves, earlier outputs send copies; packets left over after
     * the program are freed (Open vSwitch's {@code odp_execute_actions} with {@code steal}).
     */
    void execute(int[] program, DpPacket[] pkts, int count) {
        int pc = 0;
        int len = program.length;
        while (pc < len) {
            switch (program[pc]) {
                case DpActions.OUTPUT -> {
                    int portNo = program[pc + 1];
                    pc += 2;
                    boolean last = pc == len;
                    DpPort port = portNo >= 0 && portNo < ports.length ? ports[portNo] : null;
                    if (port == null) {
                        if (last) {
                            freeAll(pkts, count);
                            return;
                        }
                        continue;
                    }
                    for (int i = 0; i < count; i++) {
                        DpPacket p = pkts[i];
                        if (last) {
                            output.add(port, p);
                        } else {
                            DpPacket copy = dp.clonePool.alloc();
                            if (copy != null) {
                                p.copyTo(copy);
                                output.add(port, copy);
                            }
                        }
                    }
                    if (last) {
                        return;
                    }
                }
                case DpActions.PUSH_VLAN -> {
                    int tci = program[pc + 1] | FlowKey.VLAN_CFI;
                    pc += 2;
                    for (int i = 0; i < count; i++) {
                        pushVlan(pkts[i], tci & ~FlowKey.VLAN_CFI);
                    }
                }
                case DpActions.POP_VLAN -> {
                    pc += 1;
                    for (int i = 0; i < count; i++) {
                        popVlan(pkts[i]);
                    }
                }
                default -> throw new IllegalStateException("bad datapath action " + program[pc]);
            }
        }
        freeAll(pkts, count);
    }

    static void pushVlan(DpPacket p, int tci) {
        if (p.length() < 12 || !p.pushHead(4)) {
            return;
        }
        p.move(4, 0, 12);
        p.setU16(12, FlowKey.ETH_TYPE_VLAN);
        p.setU16(14, tci);
    }

    static void popVlan(DpPacket p) {
        if (p.length() >= 18 && (p.getU16(12) == FlowKey.ETH_TYPE_VLAN || p.getU16(12) == FlowKey.ETH_TYPE_VLAN_8021AD)) {
            p.move(0, 4, 12);
            p.pullHead(4);
        }
    }

    private static void freeAll(DpPacket[] pkts, int count) {
        for (int i = 0; i < count; i++) {
            pkts[i].free();
            pkts[i] = null;
        }
    }

    void flush() {
        output.flush();
    }
}
