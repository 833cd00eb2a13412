package org.jvswitch.core.dpif;

import java.util.List;
import java.util.Locale;

import org.jvswitch.api.dpif.DpifFlow;
import org.jvswitch.api.packet.PacketBufferPool;
import org.jvswitch.api.unixctl.UnixctlCommand;
import org.jvswitch.api.unixctl.UnixctlException;

/**
 * The datapath's control commands, with Open vSwitch's names and output formats:
 * {@code dpif-netdev/pmd-stats-show}, {@code pmd-stats-clear}, {@code pmd-rxq-show},
 * {@code dpctl/dump-flows}, {@code dpctl/del-flows}.
 */
final class DpifNetdevCommands {
    private final DpNetdevProvider provider;

    DpifNetdevCommands(DpNetdevProvider provider) {
        this.provider = provider;
    }

    List<UnixctlCommand> all() {
        return List.of(
                UnixctlCommand.of("dpif-netdev/pmd-stats-show", "[-pmd core] [dp]", 0, 3, this::statsShow),
                UnixctlCommand.of("dpif-netdev/pmd-stats-clear", "[-pmd core] [dp]", 0, 3, this::statsClear),
                UnixctlCommand.of("dpif-netdev/pmd-rxq-show", "[-pmd core] [dp]", 0, 3, this::rxqShow),
                UnixctlCommand.of("dpif-netdev/pmd-rxq-rebalance", "[dp]", 0, 1, this::rebalance),
                UnixctlCommand.of("dpif-netdev/pmd-perf-show", "[-nh] [-it iter-history-len] [-ms ms-history-len] [-pmd core] [dp]",
                        0, 8, this::perfShow),
                UnixctlCommand.of("dpctl/dump-flows", "[-m] [dp]", 0, 2, this::dumpFlows),
                UnixctlCommand.of("dpctl/del-flows", "[dp]", 0, 1, this::delFlows),
                UnixctlCommand.of("dpctl/show", "[-s] [dp...]", 0, 3, this::dpctlShow),
                UnixctlCommand.of("memory/show", "", 0, 0, this::memoryShow));
    }

    /** Parses "[-pmd core] [dp]": the datapath and the core filter (-2 for none). */
    private record Target(DpNetdev dp, int core) {
    }

    private Target target(List<String> args) throws UnixctlException {
        int core = -2;
        String dpName = null;
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i).equals("-pmd") && i + 1 < args.size()) {
                try {
                    core = Integer.parseInt(args.get(++i));
                } catch (NumberFormatException e) {
                    throw new UnixctlException("Invalid pmd");
                }
            } else {
                dpName = args.get(i);
            }
        }
        return new Target(datapath(dpName), core);
    }

    private DpNetdev datapath(String name) throws UnixctlException {
        List<DpNetdev> dps = provider.datapaths();
        if (name == null) {
            if (dps.size() == 1) {
                return dps.get(0);
            }
            throw new UnixctlException("please specify an existing datapath");
        }
        String bare = name.startsWith("netdev@") ? name.substring(7) : name;
        if (bare.equals("ovs-netdev") || bare.equals("netdev")) {
            bare = "ovs-netdev";
        }
        for (DpNetdev dp : dps) {
            if (dp.name().equals(bare)) {
                return dp;
            }
        }
        throw new UnixctlException("please specify an existing datapath");
    }

    private static String header(PmdThread t) {
        return t.isPmd() ? "pmd thread numa_id 0 core_id " + t.coreId + ":\n" : "main thread:\n";
    }

    private String statsShow(List<String> args) throws UnixctlException {
        Target target = target(args);
        StringBuilder sb = new StringBuilder();
        for (PmdThread t : target.dp.pollThreads()) {
            if (target.core != -2 && t.coreId != target.core) {
                continue;
            }
            long[] s = t.processor.stats.read();
            long total = s[PmdPerfStats.RECV];
            long cycles = s[PmdPerfStats.CYCLES_IDLE] + s[PmdPerfStats.CYCLES_BUSY];
            sb.append(header(t));
            sb.append("  packets received: ").append(total).append('\n');
            sb.append("  packet recirculations: ").append(s[PmdPerfStats.RECIRC]).append('\n');
            sb.append("  avg. datapath passes per packet: ")
              .append(fmt(total > 0 ? (total + s[PmdPerfStats.RECIRC]) / (double) total : 0)).append('\n');
            sb.append("  phwol hits: 0\n");
            sb.append("  mfex opt hits: 0\n");
            sb.append("  simple match hits: ").append(s[PmdPerfStats.SIMPLE_HIT]).append('\n');
            sb.append("  emc hits: ").append(s[PmdPerfStats.EXACT_HIT]).append('\n');
            sb.append("  smc hits: ").append(s[PmdPerfStats.SMC_HIT]).append('\n');
            sb.append("  megaflow hits: ").append(s[PmdPerfStats.MASKED_HIT]).append('\n');
            sb.append("  avg. subtable lookups per megaflow hit: ")
              .append(fmt(ratio(s[PmdPerfStats.MASKED_LOOKUP], s[PmdPerfStats.MASKED_HIT]))).append('\n');
            sb.append("  miss with success upcall: ").append(s[PmdPerfStats.MISS]).append('\n');
            sb.append("  miss with failed upcall: ").append(s[PmdPerfStats.LOST]).append('\n');
            sb.append("  avg. packets per output batch: ")
              .append(fmt(ratio(s[PmdPerfStats.SENT_PKTS], s[PmdPerfStats.SENT_BATCHES]))).append('\n');
            if (cycles == 0) {
                continue;
            }
            sb.append("  idle cycles: ").append(s[PmdPerfStats.CYCLES_IDLE]).append(" (")
              .append(fmt(100.0 * s[PmdPerfStats.CYCLES_IDLE] / cycles)).append("%)\n");
            sb.append("  processing cycles: ").append(s[PmdPerfStats.CYCLES_BUSY]).append(" (")
              .append(fmt(100.0 * s[PmdPerfStats.CYCLES_BUSY] / cycles)).append("%)\n");
            if (total == 0) {
                continue;
            }
            sb.append("  avg cycles per packet: ").append(fmt((double) cycles / total))
              .append(" (").append(cycles).append('/').append(total).append(")\n");
            sb.append("  avg processing cycles per packet: ").append(fmt((double) s[PmdPerfStats.CYCLES_BUSY] / total))
              .append(" (").append(s[PmdPerfStats.CYCLES_BUSY]).append('/').append(total).append(")\n");
        }
        return sb.toString();
    }

    private static double ratio(long a, long b) {
        return b > 0 ? Math.max(0, a) / (double) b : 0;
    }

    private static String fmt(double d) {
        return String.format(Locale.ROOT, "%.2f", d);
    }

    private String statsClear(List<String> args) throws UnixctlException {
        Target target = target(args);
        for (PmdThread t : target.dp.pollThreads()) {
            if (target.core == -2 || t.coreId == target.core) {
                t.processor.stats.clear();
            }
        }
        return "";
    }

    private String rxqShow(List<String> args) throws UnixctlException {
        Target target = target(args);
        StringBuilder sb = new StringBuilder();
        for (PmdThread t : target.dp.pollThreads()) {
            if (!t.isPmd() || (target.core != -2 && t.coreId != target.core)) {
                continue;
            }
            sb.append("pmd thread numa_id 0 core_id ").append(t.coreId).append(":\n  isolated : ")
              .append(target.dp.isolatedCores.contains(t.coreId)).append('\n');
            RxqPoll[] polls = t.polls.clone();
            java.util.Arrays.sort(polls, java.util.Comparator.comparing((RxqPoll p) -> p.port.netdev.name())
                    .thenComparingInt(p -> p.rxq.id()));
            long total = 0;
            for (RxqPoll p : polls) {
                total += p.busyNanos;
            }
            for (RxqPoll p : polls) {
                sb.append(String.format(Locale.ROOT, "  port: %-16s  queue-id: %2d (enabled)   pmd usage: %2d %%%n",
                        p.port.netdev.name(), p.rxq.id(), total == 0 ? 0 : p.busyNanos * 100 / total));
            }
            if (polls.length > 0) {
                sb.append("  overhead:  0 %\n");
            }
        }
        return sb.toString();
    }

    /**
     * Open vSwitch's pmd-perf-show overall statistics per PMD thread (times in the datapath's
     * clock, nanoseconds, reported where Open vSwitch reports TSC cycles), and with
     * other_config:pmd-perf-metrics=true its histograms (unless -nh). The iteration and
     * millisecond histories (-it, -ms) are accepted and not kept.
     */
    private String perfShow(List<String> args) throws UnixctlException {
        List<String> rest = new java.util.ArrayList<>();
        boolean histograms = true;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("-it") || a.equals("-ms")) {
                i++;
            } else if (a.equals("-nh")) {
                histograms = false;
            } else {
                rest.add(a);
            }
        }
        Target target = target(rest);
        StringBuilder sb = new StringBuilder();
        for (PmdThread t : target.dp.pollThreads()) {
            if (!t.isPmd() || (target.core != -2 && t.coreId != target.core)) {
                continue;
            }
            long now = System.currentTimeMillis();
            double duration = (now - t.processor.stats.startMillis()) / 1000.0;
            sb.append('\n').append("Time: ")
              .append(java.time.LocalTime.now(java.time.ZoneOffset.UTC).format(java.time.format.DateTimeFormatter.ofPattern("HH:mm:ss.SSS")))
              .append('\n');
            sb.append(String.format(Locale.ROOT, "Measurement duration: %.3f s%n%n", duration));
            sb.append(header(t)).append('\n');
            if (duration > 0) {
                long[] s = t.processor.stats.read();
                overall(sb, s, duration);
                if (histograms && target.dp.pmdPerfMetrics) {
                    sb.append('\n');
                    histograms(sb, t.processor.stats, s);
                }
            }
        }
        return sb.toString();
    }

    /** Open vSwitch's pmd_perf_format_histograms: seven histograms side by side, then the averages. */
    private static void histograms(StringBuilder sb, PmdPerfStats st, long[] s) {
        PmdHistogram[] hs = st.histograms;
        long[][] bins = new long[hs.length][];
        for (int i = 0; i < hs.length; i++) {
            bins[i] = hs[i].read();
        }
        sb.append("Histograms\n");
        sb.append(String.format(Locale.ROOT, "   %-21s  %-21s  %-21s  %-21s  %-21s  %-21s  %-21s%n",
                "cycles/it", "packets/it", "cycles/pkt", "pkts/batch", "max vhost qlen", "upcalls/it", "cycles/upcall"));
        for (int b = 0; b < PmdHistogram.NUM_BINS; b++) {
            StringBuilder line = new StringBuilder("  ");
            for (int i = 0; i < hs.length; i++) {
                String wall = b < PmdHistogram.NUM_BINS - 1 ? String.valueOf(hs[i].walls[b]) : ">";
                line.append(String.format(Locale.ROOT, "%s %-9s %-11d", i == 0 ? "" : " ", wall, bins[i][b]));
            }
            sb.append(line).append('\n');
        }
        long iters = s[PmdPerfStats.IDLE_ITERS] + s[PmdPerfStats.BUSY_ITERS];
        if (iters > 0) {
            long rx = s[PmdPerfStats.RECV];
            long upcalls = s[PmdPerfStats.MISS];
            long batches = s[PmdPerfStats.RX_BATCHES];
            sb.append("-".repeat(154)).append('\n');
            sb.append(String.format(Locale.ROOT, "   %-21s  %-21s  %-21s  %-21s  %-21s  %-21s  %-21s%n",
                    "cycles/it", "packets/it", "cycles/pkt", "pkts/batch", "vhost qlen", "upcalls/it", "cycles/upcall"));
            sb.append(String.format(Locale.ROOT, "   %-21d  %-21.5f  %-21d  %-21.5f  %-21.5f  %-21.5f  %-21d%n",
                    (s[PmdPerfStats.CYCLES_IDLE] + s[PmdPerfStats.CYCLES_BUSY]) / iters, (double) rx / iters,
                    rx == 0 ? 0 : s[PmdPerfStats.CYCLES_BUSY] / rx, batches == 0 ? 0 : (double) rx / batches, 0.0,
                    (double) upcalls / iters, upcalls == 0 ? 0 : s[PmdPerfStats.CYCLES_UPCALL] / upcalls));
        }
    }

    private static void overall(StringBuilder sb, long[] s, double duration) {
        long totCycles = s[PmdPerfStats.CYCLES_IDLE] + s[PmdPerfStats.CYCLES_BUSY];
        long rx = s[PmdPerfStats.RECV];
        long tx = s[PmdPerfStats.SENT_PKTS];
        long batches = s[PmdPerfStats.SENT_BATCHES];
        long passes = rx + s[PmdPerfStats.RECIRC];
        long upcalls = s[PmdPerfStats.MISS];
        long idle = s[PmdPerfStats.IDLE_ITERS];
        long busy = s[PmdPerfStats.BUSY_ITERS];
        long iters = idle + busy;
        long sleepIters = s[PmdPerfStats.SLEEP_ITERS];
        long sleepCycles = s[PmdPerfStats.CYCLES_SLEEP];
        double usPerCycle = 1e-3;
        sb.append(String.format(Locale.ROOT, "  Iterations:         %12d  (%.2f us/it)%n", iters,
                iters == 0 ? 0 : (totCycles + sleepCycles) * usPerCycle / iters));
        sb.append(String.format(Locale.ROOT, "  - Used TSC cycles:  %12d  (%5.1f %% of total cycles)%n", totCycles,
                100.0 * totCycles / (duration * 1e9)));
        sb.append(String.format(Locale.ROOT, "  - idle iterations:  %12d  (%5.1f %% of used cycles)%n", idle,
                totCycles == 0 ? 0 : 100.0 * s[PmdPerfStats.CYCLES_IDLE] / totCycles));
        sb.append(String.format(Locale.ROOT, "  - busy iterations:  %12d  (%5.1f %% of used cycles)%n", busy,
                totCycles == 0 ? 0 : 100.0 * s[PmdPerfStats.CYCLES_BUSY] / totCycles));
        sb.append(String.format(Locale.ROOT, "  - sleep iterations: %12d  (%5.1f %% of iterations)%n", sleepIters,
                iters == 0 ? 0 : 100.0 * sleepIters / iters));
        sb.append(String.format(Locale.ROOT, "  Sleep time (us):    %12.0f  (%3.0f us/iteration avg.)%n", sleepCycles * usPerCycle,
                sleepIters == 0 ? 0 : sleepCycles * usPerCycle / sleepIters));
        if (rx > 0) {
            sb.append(String.format(Locale.ROOT, "  Rx packets:         %12d  (%.0f Kpps, %.0f cycles/pkt)%n", rx,
                    rx / duration / 1000, (double) s[PmdPerfStats.CYCLES_BUSY] / rx));
            sb.append(String.format(Locale.ROOT, "  Datapath passes:    %12d  (%.2f passes/pkt)%n", passes, (double) passes / rx));
            sb.append(String.format(Locale.ROOT, "  - PHWOL hits:       %12d  (%5.1f %%)%n", 0, 0.0));
            sb.append(String.format(Locale.ROOT, "  - MFEX Opt hits:    %12d  (%5.1f %%)%n", 0, 0.0));
            sb.append(String.format(Locale.ROOT, "  - Simple Match hits:%12d  (%5.1f %%)%n", s[PmdPerfStats.SIMPLE_HIT],
                    100.0 * s[PmdPerfStats.SIMPLE_HIT] / passes));
            sb.append(String.format(Locale.ROOT, "  - EMC hits:         %12d  (%5.1f %%)%n", s[PmdPerfStats.EXACT_HIT],
                    100.0 * s[PmdPerfStats.EXACT_HIT] / passes));
            sb.append(String.format(Locale.ROOT, "  - SMC hits:         %12d  (%5.1f %%)%n", s[PmdPerfStats.SMC_HIT],
                    100.0 * s[PmdPerfStats.SMC_HIT] / passes));
            sb.append(String.format(Locale.ROOT, "  - Megaflow hits:    %12d  (%5.1f %%, %.2f subtbl lookups/hit)%n",
                    s[PmdPerfStats.MASKED_HIT], 100.0 * s[PmdPerfStats.MASKED_HIT] / passes,
                    ratio(s[PmdPerfStats.MASKED_LOOKUP], s[PmdPerfStats.MASKED_HIT])));
            sb.append(String.format(Locale.ROOT, "  - Upcalls:          %12d  (%5.1f %%, %.1f us/upcall)%n", upcalls,
                    100.0 * upcalls / passes, upcalls == 0 ? 0 : s[PmdPerfStats.CYCLES_UPCALL] * usPerCycle / upcalls));
            sb.append(String.format(Locale.ROOT, "  - Lost upcalls:     %12d  (%5.1f %%)%n", s[PmdPerfStats.LOST],
                    100.0 * s[PmdPerfStats.LOST] / passes));
        } else {
            sb.append(String.format(Locale.ROOT, "  Rx packets:         %12d%n", 0));
        }
        if (tx > 0) {
            sb.append(String.format(Locale.ROOT, "  Tx packets:         %12d  (%.0f Kpps)%n", tx, tx / duration / 1000));
            sb.append(String.format(Locale.ROOT, "  Tx batches:         %12d  (%.2f pkts/batch)%n", batches, (double) tx / batches));
        } else {
            sb.append(String.format(Locale.ROOT, "  Tx packets:         %12d%n%n", 0));
        }
    }

    private String rebalance(List<String> args) throws UnixctlException {
        datapath(args.isEmpty() ? null : args.get(0)).rebalance();
        return "pmd rxq rebalance requested.\n";
    }

    private String dumpFlows(List<String> args) throws UnixctlException {
        boolean verbose = false;
        String dpName = null;
        for (String a : args) {
            if (a.equals("-m") || a.equals("--more")) {
                verbose = true;
            } else {
                dpName = a;
            }
        }
        DpNetdev dp = datapath(dpName);
        StringBuilder sb = new StringBuilder();
        long now = System.currentTimeMillis();
        for (DpifFlow f : dp.flowDump()) {
            sb.append(DpFlowFormat.format(f.key(), f.mask(), verbose));
            sb.append(", packets:").append(f.packets()).append(", bytes:").append(f.bytes()).append(", used:");
            sb.append(f.usedMillis() == 0 ? "never" : String.format(Locale.ROOT, "%.3fs", (now - f.usedMillis()) / 1000.0));
            if (f.tcpFlags() != 0) {
                sb.append(", flags:").append(DpFlowFormat.tcpFlags(f.tcpFlags()));
            }
            sb.append(", actions:").append(f.actions()).append('\n');
        }
        return sb.toString();
    }

    /**
     * Open vSwitch's memory/show: "key:value" counters on one line. Packet buffer counts cover
     * every bundle's pools, so a port type that leaks shows here.
     */
    private String memoryShow(List<String> args) {
        long flows = 0;
        long ports = 0;
        long pmds = 0;
        long limitHits = 0;
        long quiesceWaits = 0;
        for (DpNetdev dp : provider.datapaths()) {
            flows += dp.dpcls.size();
            limitHits += dp.flowLimitHits.get();
            quiesceWaits += dp.quiesceWaits.get();
            ports += dp.ports().size();
            pmds += dp.pmdCount();
        }
        long pools = 0;
        long inUse = 0;
        long bytes = 0;
        for (PacketBufferPool pool : PacketBufferPool.livePools()) {
            pools++;
            inUse += pool.inUse();
            bytes += pool.bytes();
        }
        return "flow-limit-hits:" + limitHits + " flows:" + flows + " packet-buffer-bytes:" + bytes + " packet-buffer-pools:" + pools
                + " packet-buffers-in-use:" + inUse + " pmd-quiesce-waits-over-1s:" + quiesceWaits
                + " pmd-threads:" + pmds + " ports:" + ports + "\n";
    }

    /** Open vSwitch's dpctl/show: lookups, flows, masks and the ports by number ({@code -s}: with counters). */
    private String dpctlShow(List<String> args) throws UnixctlException {
        boolean counters = args.contains("-s") || args.contains("--statistics");
        List<DpNetdev> dps = new java.util.ArrayList<>();
        for (String a : args) {
            if (!a.startsWith("-")) {
                dps.add(datapath(a));
            }
        }
        if (dps.isEmpty()) {
            dps.addAll(provider.datapaths());
        }
        StringBuilder sb = new StringBuilder();
        for (DpNetdev dp : dps) {
            org.jvswitch.api.dpif.DpifStats st = dp.stats();
            sb.append("netdev@").append(dp.name()).append(":\n");
            sb.append("  lookups: hit:").append(st.hit()).append(" missed:").append(st.missed())
              .append(" lost:").append(st.lost()).append("\n  flows: ").append(st.flows()).append('\n');
            for (org.jvswitch.api.dpif.DpifPort p : dp.ports()) {
                sb.append("  port ").append(p.portNo()).append(": ").append(p.name());
                if (!p.type().equals("system")) {
                    sb.append(" (").append(p.type()).append(')');
                }
                sb.append('\n');
                if (counters) {
                    org.jvswitch.api.netdev.NetdevStats n = p.netdev().stats();
                    sb.append("    RX packets:").append(n.rxPackets()).append(" errors:").append(n.rxErrors())
                      .append(" dropped:").append(n.rxDropped()).append(" overruns:? frame:?\n");
                    sb.append("    TX packets:").append(n.txPackets()).append(" errors:").append(n.txErrors())
                      .append(" dropped:").append(n.txDropped()).append(" aborted:? carrier:?\n");
                    sb.append("    collisions:?\n");
                    sb.append("    RX bytes:").append(n.rxBytes()).append(' ').append(human(n.rxBytes()))
                      .append("  TX bytes:").append(n.txBytes()).append(' ').append(human(n.txBytes())).append('\n');
                }
            }
        }
        return sb.toString();
    }

    /** Open vSwitch's print_human_size: "(1.2 KiB)" style, nothing below 1 KiB. */
    private static String human(long bytes) {
        if (bytes >= 1L << 40) {
            return String.format(Locale.ROOT, "(%.1f TiB)", bytes / (double) (1L << 40));
        } else if (bytes >= 1L << 30) {
            return String.format(Locale.ROOT, "(%.1f GiB)", bytes / (double) (1L << 30));
        } else if (bytes >= 1L << 20) {
            return String.format(Locale.ROOT, "(%.1f MiB)", bytes / (double) (1L << 20));
        } else if (bytes >= 1L << 10) {
            return String.format(Locale.ROOT, "(%.1f KiB)", bytes / (double) (1L << 10));
        }
        return "";
    }

    private String delFlows(List<String> args) throws UnixctlException {
        datapath(args.isEmpty() ? null : args.get(0)).flowFlush();
        return "";
    }
}
