package org.jvswitch.ofproto;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.jvswitch.api.dpif.DpifStats;
import org.jvswitch.api.flow.FlowKey;
import org.jvswitch.api.unixctl.UnixctlCommand;
import org.jvswitch.api.unixctl.UnixctlException;

/** The OpenFlow layer's control commands, with Open vSwitch's names, texts and formats. */
final class OfprotoCommands {
    private final OfprotoServiceImpl service;

    OfprotoCommands(OfprotoServiceImpl service) {
        this.service = service;
    }

    List<UnixctlCommand> all() {
        return List.of(
                UnixctlCommand.of("fdb/show", "bridge", 1, 1, this::fdbShow),
                UnixctlCommand.of("fdb/flush", "[bridge]", 0, 1, this::fdbFlush),
                UnixctlCommand.of("dpif/show", "", 0, 0, this::dpifShow),
                UnixctlCommand.of("dpif/dump-dps", "", 0, 0, this::dumpDps),
                UnixctlCommand.of("ofproto/trace", "bridge br_flow", 2, 2, this::trace),
                UnixctlCommand.of("bridge/dump-flows", "bridge", 1, 1, this::bridgeDumpFlows));
    }

    private OfprotoDpif bridge(String name) throws UnixctlException {
        OfprotoDpif o = service.bridge(name);
        if (o == null) {
            throw new UnixctlException("no such bridge");
        }
        return o;
    }

    String fdbShow(List<String> args) throws UnixctlException {
        OfprotoDpif o = bridge(args.get(0));
        Map<Integer, String> names = new java.util.HashMap<>();
        for (OfPort p : o.ports().values()) {
            names.put(p.ofport(), p.ofportText());
        }
        StringBuilder sb = new StringBuilder(" port  VLAN  MAC                Age\n");
        for (var e : o.macs.snapshot(System.currentTimeMillis())) {
            MacLearning.Entry entry = e.getKey();
            String port = names.getOrDefault(entry.ofport, Integer.toString(entry.ofport));
            sb.append(String.format(Locale.ROOT, "%5s  %4d  %s  %3d%n", port, entry.vlan,
                    FlowKey.formatMac(entry.mac), e.getValue()));
        }
        return sb.toString();
    }

    String fdbFlush(List<String> args) throws UnixctlException {
        if (args.isEmpty()) {
            for (OfprotoDpif o : service.bridges().values()) {
                o.macs.flush();
                o.backer().dpif.flowFlush();
            }
        } else {
            OfprotoDpif o = bridge(args.get(0));
            o.macs.flush();
            o.backer().dpif.flowFlush();
        }
        return "table successfully flushed\n";
    }

    String dpifShow(List<String> args) {
        StringBuilder sb = new StringBuilder();
        for (Backer b : service.backers().values()) {
            DpifStats s = b.dpif.stats();
            sb.append(b.fullName()).append(": hit:").append(s.hit()).append(" missed:").append(s.missed()).append('\n');
            for (OfprotoDpif o : service.bridges().values()) {
                if (o.backer() != b) {
                    continue;
                }
                sb.append("  ").append(o.name()).append(":\n");
                for (OfPort p : o.ports().values()) {
                    sb.append("    ").append(p.name()).append(' ').append(p.ofport()).append('/')
                      .append(p.odpPort()).append(": (").append(p.netdev().type());
                    Map<String, String> st = p.netdev().status();
                    int k = 0;
                    for (var e : new java.util.TreeMap<>(st).entrySet()) {
                        sb.append(k++ == 0 ? ": " : ", ").append(e.getKey()).append('=').append(e.getValue());
                    }
                    sb.append(")\n");
                }
            }
        }
        return sb.toString();
    }

    /** ofproto/trace BRIDGE FLOW: the flow's path through the bridge's tables. */
    String trace(List<String> args) throws UnixctlException {
        OfprotoDpif o = bridge(args.get(0));
        try {
            return o.trace(args.get(1));
        } catch (IllegalArgumentException e) {
            throw new UnixctlException(e.getMessage());
        }
    }

    /**
     * bridge/dump-flows BRIDGE: every rule with its counters, in Open vSwitch's flow_stats_ds
     * form ("table_id=N, " only outside table 0; priority always shown).
     */
    String bridgeDumpFlows(List<String> args) throws UnixctlException {
        OfprotoDpif o = bridge(args.get(0));
        StringBuilder sb = new StringBuilder();
        long now = System.nanoTime();
        for (org.jvswitch.ofproto.ofp.OfRule r : o.tables.all()) {
            if (r.tableId != 0) {
                sb.append("table_id=").append(r.tableId).append(", ");
            }
            sb.append("duration=").append((now - r.createdNanos) / 1_000_000_000L).append("s, ");
            sb.append("n_packets=").append(r.counters.packets()).append(", ");
            sb.append("n_bytes=").append(r.counters.bytes()).append(", ");
            String m = org.jvswitch.ofproto.ofp.OfFormat.match(r.match.valueWords(), r.match.maskWords(), r.priority);
            sb.append(m.isEmpty() ? "" : m + ",");
            sb.append("actions=").append(org.jvswitch.ofproto.ofp.OfFormat.actions(r.actions)).append('\n');
        }
        return sb.toString();
    }

    String dumpDps(List<String> args) {
        StringBuilder sb = new StringBuilder();
        for (Backer b : service.backers().values()) {
            sb.append(b.fullName()).append('\n');
        }
        return sb.toString();
    }
}
