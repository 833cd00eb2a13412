package org.jvswitch.vswitchd;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.jvswitch.api.flow.FlowKey;
import org.jvswitch.api.netdev.Netdev;
import org.jvswitch.api.netdev.NetdevStats;

/**
 * The status columns the bridge writes back to an Interface row, in the database's value
 * representation (optional columns as sets).
 */
final class InterfaceStatus {
    private InterfaceStatus() {
    }

    /** Columns for an interface that is open on {@code ofport}. */
    static Map<String, Object> up(Netdev netdev, int ofport) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("ofport", Set.of((long) ofport));
        c.put("error", Set.of());
        c.put("admin_state", Set.of("up"));
        c.put("link_state", Set.of(netdev.carrier() ? "up" : "down"));
        c.put("mac_in_use", Set.of(FlowKey.formatMac(netdev.mac())));
        c.put("mtu", Set.of((long) netdev.mtu()));
        Map<String, Long> stats = statistics(netdev.stats());
        for (Map.Entry<String, Long> e : netdev.customStats().entrySet()) {
            stats.putIfAbsent(e.getKey(), e.getValue());
        }
        c.put("statistics", stats);
        c.put("status", new TreeMap<>(netdev.status()));
        return c;
    }

    /** Columns for an interface that could not be opened. */
    static Map<String, Object> failed(String error) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("ofport", Set.of(-1L));
        c.put("error", Set.of(error));
        c.put("admin_state", Set.of());
        c.put("link_state", Set.of());
        c.put("mac_in_use", Set.of());
        c.put("mtu", Set.of());
        c.put("statistics", Map.of());
        c.put("status", Map.of());
        return c;
    }

    static Map<String, Long> statistics(NetdevStats s) {
        Map<String, Long> m = new TreeMap<>();
        m.put("rx_packets", s.rxPackets());
        m.put("tx_packets", s.txPackets());
        m.put("rx_bytes", s.rxBytes());
        m.put("tx_bytes", s.txBytes());
        m.put("rx_dropped", s.rxDropped());
        m.put("tx_dropped", s.txDropped());
        m.put("rx_errors", s.rxErrors());
        m.put("tx_errors", s.txErrors());
        return m;
    }
}
