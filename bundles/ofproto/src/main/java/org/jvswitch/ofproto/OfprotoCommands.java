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
                UnixctlCommand.of("ofproto/trace", "bridge br_flow", 2, 2, this::trace));
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

    String dumpDps(List<String> args) {
        StringBuilder sb = new StringBuilder();
        for (Backer b : service.backers().values()) {
            sb.append(b.fullName()).append('\n');
        }
        return sb.toString();
    }
}
