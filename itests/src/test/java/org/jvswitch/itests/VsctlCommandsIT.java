package org.jvswitch.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every ovs-vsctl command issue 4 names, with Debian's real ovs-vsctl and without --no-wait (each
 * change returns once the switch applied it, cur_cfg), against both ways jvswitch runs: the
 * packaged switch with its embedded database ({@code bin/jvswitch}), and Debian's ovsdb-server
 * with {@code bin/ovs-vswitchd} as its client ({@link DropIn}). Outputs and error texts are
 * ovs-vsctl's with Open vSwitch (the unit tests of the ovsdb bundle compare them with
 * ovsdb-server's).
 */
class VsctlCommandsIT {
    /** One of the two layouts, with ovs-vsctl pointed at its database. */
    interface Layout extends AutoCloseable {
        Dist.Result vsctl(String... args) throws Exception;

        /** The database, as ovsdb-client names it. */
        String db();
    }

    static Layout open(String layout) throws Exception {
        if (layout.equals("embedded")) {
            Dist d = Dist.start("jvs-vsctl");
            return new Layout() {
                @Override
                public Dist.Result vsctl(String... args) throws Exception {
                    List<String> cmd = new ArrayList<>(List.of("ovs-vsctl", "--timeout=30"));
                    cmd.addAll(List.of(args));
                    return d.run(cmd.toArray(new String[0]));
                }

                @Override
                public String db() {
                    return "unix:" + d.var.resolve("run/db.sock");
                }

                @Override
                public void close() throws Exception {
                    d.close();
                }
            };
        }
        DropIn d = new DropIn("jvs-vsctl");
        try {
            DropIn.ok(d.startSwitch("-vconsole:off"));
        } catch (Exception | AssertionError e) {
            d.close();
            throw e;
        }
        return new Layout() {
            @Override
            public Dist.Result vsctl(String... args) throws Exception {
                return d.vsctl(args);
            }

            @Override
            public String db() {
                return "unix:" + d.dir.resolve("db.sock");
            }

            @Override
            public void close() throws Exception {
                d.close();
            }
        };
    }

    private static void ok(Layout l, String out, String... args) throws Exception {
        Dist.Result r = l.vsctl(args);
        assertEquals(new Dist.Result(0, out, ""), r, String.join(" ", args));
    }

    private static void fails(Layout l, int rc, String err, String... args) throws Exception {
        Dist.Result r = l.vsctl(args);
        assertEquals(new Dist.Result(rc, "", err), r, String.join(" ", args));
    }

    @ParameterizedTest
    @ValueSource(strings = {"embedded", "ovsdb-server"})
    void everyCommandWaitsForTheSwitchAndPrintsWhatOpenVswitchPrints(String layout) throws Exception {
        try (Layout l = open(layout)) {
            ok(l, "", "init");
            ok(l, "", "add-br", "br0", "--", "set", "bridge", "br0", "datapath_type=netdev");
            ok(l, "", "add-br", "br1", "--", "set", "bridge", "br1", "datapath_type=netdev");
            ok(l, "", "add-port", "br0", "p1", "--", "set", "Interface", "p1", "type=dummy", "options:n_rxq=2");
            ok(l, "", "add-port", "br0", "p2", "--", "set", "Interface", "p2", "type=dummy");
            ok(l, "br0\nbr1\n", "list-br");
            ok(l, "p1\np2\n", "list-ports", "br0");
            ok(l, "", "list-ports", "br1");
            ok(l, "br0\n", "iface-to-br", "p1");
            ok(l, "br0\n", "port-to-br", "p2");
            ok(l, "", "br-exists", "br0");
            fails(l, 2, "", "br-exists", "nope");
            ok(l, "netdev\n", "get", "bridge", "br1", "datapath_type");
            ok(l, "dummy\n{n_rxq=\"2\"}\n", "get", "Interface", "p1", "type", "options");
            // The switch wrote the OpenFlow numbers back before ovs-vsctl returned.
            ok(l, "1\n", "get", "Interface", "p1", "ofport");
            ok(l, "65534\n", "get", "Interface", "br1", "ofport");

            fails(l, 1, "ovs-vsctl: cannot create a bridge named br0 because a bridge named br0 already exists\n",
                    "add-br", "br0");
            ok(l, "", "--may-exist", "add-br", "br0");
            fails(l, 1, "ovs-vsctl: cannot create a port named p1 because a port named p1 already exists on"
                    + " bridge br0\n", "add-port", "br0", "p1");
            ok(l, "", "--may-exist", "add-port", "br0", "p1");
            ok(l, "", "del-port", "br0", "p2");
            fails(l, 1, "ovs-vsctl: no port named p2\n", "del-port", "br0", "p2");
            ok(l, "", "--if-exists", "del-port", "br0", "p2");
            fails(l, 1, "ovs-vsctl: no bridge named nope\n", "del-br", "nope");
            ok(l, "", "--if-exists", "del-br", "nope");
            ok(l, "", "del-br", "br1");
            ok(l, "br0\n", "list-br");

            ok(l, "", "set", "Interface", "p1", "options:n_rxq=4", "mtu_request=9000");
            ok(l, "\"4\"\n", "get", "Interface", "p1", "options:n_rxq");
            ok(l, "", "set", "Bridge", "br0", "other_config:a=1", "other_config:b=2", "external_ids:x=y");
            ok(l, "", "remove", "Bridge", "br0", "other_config", "a");
            ok(l, "{b=\"2\"}\n", "get", "Bridge", "br0", "other_config");
            ok(l, "", "add", "Bridge", "br0", "flood_vlans", "10", "20");
            ok(l, "", "remove", "Bridge", "br0", "flood_vlans", "20");
            ok(l, "[10]\n", "get", "Bridge", "br0", "flood_vlans");
            ok(l, "", "clear", "Bridge", "br0", "flood_vlans", "other_config");
            ok(l, "[]\n{}\n", "get", "Bridge", "br0", "flood_vlans", "other_config");
            ok(l, "name                : p1\ntype                : dummy\n", "--columns=name,type", "find", "Interface",
                    "type=dummy");
            Dist.Result list = l.vsctl("list", "Open_vSwitch");
            assertTrue(list.rc() == 0 && list.out().contains("\nbridges             : [")
                    && list.out().contains("\ncur_cfg             : "), list.toString());
            Dist.Result created = l.vsctl("create", "Queue", "dscp=5");
            assertEquals(0, created.rc(), created.toString());
            String queue = UUID.fromString(created.out().strip()).toString();
            ok(l, "5\n", "get", "Queue", queue, "dscp");
            ok(l, "", "destroy", "Queue", queue);
            fails(l, 1, "ovs-vsctl: no row \"" + queue + "\" in table Queue\n", "destroy", "Queue", queue);

            Dist.Result show = l.vsctl("show");
            assertTrue(show.rc() == 0 && show.out().contains("\n    Bridge br0\n")
                    && show.out().contains("        Port p1\n            Interface p1\n                type: dummy\n"
                            + "                options: {n_rxq=\"4\"}\n"), show.toString());

            ok(l, "", "set-manager", "ptcp:0:127.0.0.3");
            ok(l, "ptcp:0:127.0.0.3\n", "get-manager");
            ok(l, "", "set-controller", "br0", "tcp:127.0.0.1:1");
            ok(l, "tcp:127.0.0.1:1\n", "get-controller", "br0");
            ok(l, "", "set-fail-mode", "br0", "secure");
            ok(l, "secure\n", "get-fail-mode", "br0");
            ok(l, "", "emer-reset");
            ok(l, "", "get-manager");
            ok(l, "", "get-controller", "br0");
            ok(l, "", "get-fail-mode", "br0");
            ok(l, "", "del-br", "br0");
            ok(l, "", "list-br");
        }
    }

    /**
     * ovsdb-client monitor streams what the switch writes back (ofport, error) as it happens,
     * whichever database it writes to.
     */
    @ParameterizedTest
    @ValueSource(strings = {"embedded", "ovsdb-server"})
    void monitorStreamsTheSwitchesWriteBacks(String layout) throws Exception {
        try (Layout l = open(layout)) {
            ok(l, "", "add-br", "br0", "--", "set", "bridge", "br0", "datapath_type=netdev");
            Path out = Files.createTempFile("monitor", ".txt");
            Process monitor = new ProcessBuilder("ovsdb-client", "monitor", l.db(), "Open_vSwitch", "Interface",
                    "name,ofport,error").redirectOutput(out.toFile()).redirectErrorStream(true).start();
            try {
                awaitContent(out, s -> s.contains("br0"), "the initial rows");
                ok(l, "", "add-port", "br0", "p1", "--", "set", "Interface", "p1", "type=dummy");
                awaitContent(out, s -> s.lines().anyMatch(line -> line.matches(".*\\bp1\\s+1\\s.*")),
                        "p1's ofport 1 streamed");
                l.vsctl("add-port", "br0", "v1", "--", "set", "Interface", "v1", "type=nosuchtype");
                awaitContent(out, s -> s.contains("could not create netdev v1 of unknown type nosuchtype"),
                        "v1's error streamed");
            } finally {
                monitor.destroy();
                if (!monitor.waitFor(10, TimeUnit.SECONDS)) {
                    monitor.destroyForcibly();
                }
                Files.deleteIfExists(out);
            }
        }
    }

    private static void awaitContent(Path file, Predicate<String> ok, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        String text;
        do {
            Thread.sleep(100);
            text = Files.readString(file);
        } while (!ok.test(text) && System.nanoTime() < deadline);
        assertTrue(ok.test(text), what + ":\n" + text);
    }
}
