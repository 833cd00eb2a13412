package org.jvswitch.ofproto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.jvswitch.api.dpif.DpifProvider;
import org.jvswitch.api.netdev.Netdev;
import org.jvswitch.api.netdev.NetdevStats;
import org.jvswitch.api.netdev.Rxq;
import org.jvswitch.api.ofproto.Ofproto;
import org.jvswitch.api.packet.DpPacketBatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real ovs-ofctl (Open vSwitch 3.1) against a bridge's management socket. */
class OfctlInteropTest {
    private RecordingDpif dpif;
    private static final Path OFCTL = Path.of("/usr/bin/ovs-ofctl");

    @TempDir
    Path rundir;
    private OfprotoServiceImpl service;
    private OfprotoDpif br0;
    private Path mgmt;

    static Netdev netdev(String name, long mac, boolean carrier, NetdevStats stats) {
        return new Netdev() {
            @Override public String name() { return name; }
            @Override public String type() { return "dummy"; }
            @Override public int nRxq() { return 0; }
            @Override public Rxq rxq(int i) { throw new IndexOutOfBoundsException(); }
            @Override public int nTxq() { return 1; }
            @Override public int send(int txq, DpPacketBatch batch, boolean c) { batch.freeAll(); return 0; }
            @Override public long mac() { return mac; }
            @Override public int mtu() { return 1500; }
            @Override public boolean carrier() { return carrier; }
            @Override public NetdevStats stats() { return stats; }
            @Override public void destruct() { }
        };
    }

    @BeforeEach
    void setUp() throws Exception {
        assumeTrue(Files.isExecutable(OFCTL), "needs Open vSwitch's ovs-ofctl");
        dpif = new RecordingDpif();
        service = new OfprotoServiceImpl(rundir);
        service.addDpifProvider(new DpifProvider() {
            @Override public String type() { return "netdev"; }
            @Override public org.jvswitch.api.dpif.Dpif open(String name) { return dpif; }
        });
        br0 = (OfprotoDpif) service.create("br0", "netdev");
        br0.portAdd(netdev("br0", 0x0a1b2c3d4e5fL, false, NetdevStats.ZERO), Ofproto.OFPP_LOCAL);
        br0.portAdd(netdev("p1", 0xaa55aa550001L, true, new NetdevStats(10, 20, 1000, 2000, 1, 2, 3, 4)), -1);
        br0.portAdd(netdev("p2", 0xaa55aa550002L, true, NetdevStats.ZERO), 7);
        mgmt = rundir.resolve("br0.mgmt");
    }

    @AfterEach
    void tearDown() {
        if (service != null) {
            service.deactivate();
        }
    }

    private String ofctl(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(OFCTL.toString());
        cmd.addAll(List.of(args));
        for (int i = 1; i < cmd.size(); i++) {
            if (cmd.get(i).equals("BR")) {
                cmd.set(i, "unix:" + mgmt);
            }
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("ovs-ofctl hung: " + cmd);
        }
        assertEquals(0, p.exitValue(), () -> cmd + " failed: " + err);
        return new String(out, StandardCharsets.UTF_8);
    }

    /** ovs-ofctl's stdout with durations (which vary) replaced by "duration=D" and idle ages left out. */
    private String run(String... args) throws IOException, InterruptedException {
        return ofctl(args).replaceAll("duration=[0-9.]+s", "duration=D").replaceAll("idle_age=[0-9]+, ", "");
    }

    private static final String PORTS10 = """
             1(p1): addr:aa:55:aa:55:00:01
                 config:     0
                 state:      0
                 speed: 0 Mbps now, 0 Mbps max
             7(p2): addr:aa:55:aa:55:00:02
                 config:     0
                 state:      0
                 speed: 0 Mbps now, 0 Mbps max
             LOCAL(br0): addr:0a:1b:2c:3d:4e:5f
                 config:     0
                 state:      LINK_DOWN
                 speed: 0 Mbps now, 0 Mbps max
            """;
    private static final String PORTS13 = PORTS10.replace("state:      0", "state:      LIVE");

    @Test
    void showOpenFlow10() throws Exception {
        String expected = """
                OFPT_FEATURES_REPLY (xid=0x2): dpid:00000a1b2c3d4e5f
                n_tables:254, n_buffers:0
                capabilities: FLOW_STATS TABLE_STATS PORT_STATS QUEUE_STATS ARP_MATCH_IP
                actions: output set_vlan_vid set_vlan_pcp strip_vlan mod_dl_src mod_dl_dst mod_nw_src mod_nw_dst mod_nw_tos mod_tp_src mod_tp_dst
                """ + PORTS10 + "OFPT_GET_CONFIG_REPLY (xid=0x4): frags=normal miss_send_len=0\n";
        assertEquals(expected, run("show", "BR"));
        assertEquals(expected, run("-O", "OpenFlow10", "show", "BR"));
    }

    @Test
    void showOpenFlow13() throws Exception {
        assertEquals("""
                OFPT_FEATURES_REPLY (OF1.3) (xid=0x2): dpid:00000a1b2c3d4e5f
                n_tables:254, n_buffers:0
                capabilities: FLOW_STATS TABLE_STATS PORT_STATS GROUP_STATS QUEUE_STATS
                OFPST_PORT_DESC reply (OF1.3) (xid=0x3):
                """ + PORTS13 + "OFPT_GET_CONFIG_REPLY (OF1.3) (xid=0x5): frags=normal miss_send_len=0\n",
                run("-O", "OpenFlow13", "show", "BR"));
    }

    @Test
    void dumpPortsDesc() throws Exception {
        assertEquals("OFPST_PORT_DESC reply (xid=0x2):\n" + PORTS10, run("dump-ports-desc", "BR"));
        assertEquals("OFPST_PORT_DESC reply (OF1.3) (xid=0x2):\n" + PORTS13, run("-O", "OpenFlow13", "dump-ports-desc", "BR"));
    }

    @Test
    void dumpPortsFromNetdevCounters() throws Exception {
        String ports = """
                  port  1: rx pkts=10, bytes=1000, drop=1, errs=3, frame=?, over=?, crc=?
                           tx pkts=20, bytes=2000, drop=2, errs=4, coll=?
                  port  7: rx pkts=0, bytes=0, drop=0, errs=0, frame=?, over=?, crc=?
                           tx pkts=0, bytes=0, drop=0, errs=0, coll=?
                  port LOCAL: rx pkts=0, bytes=0, drop=0, errs=0, frame=?, over=?, crc=?
                           tx pkts=0, bytes=0, drop=0, errs=0, coll=?
                """;
        assertEquals("OFPST_PORT reply (xid=0x2): 3 ports\n" + ports, run("dump-ports", "BR"));
        String ports13 = ports.replaceAll("(coll=\\?\n)", "$1           duration=D\n");
        assertEquals("OFPST_PORT reply (OF1.3) (xid=0x2): 3 ports\n" + ports13, run("-O", "OpenFlow13", "dump-ports", "BR"));
        assertEquals("""
                OFPST_PORT reply (OF1.3) (xid=0x2): 1 ports
                  port  7: rx pkts=0, bytes=0, drop=0, errs=0, frame=?, over=?, crc=?
                           tx pkts=0, bytes=0, drop=0, errs=0, coll=?
                           duration=D
                """, run("-O", "OpenFlow13", "dump-ports", "BR", "7"));
    }

    @Test
    void dumpTablesShowsTableZeroWithItsLookups() throws Exception {
        for (int i = 0; i < 5; i++) {
            br0.tables.countLookup(0, true);
        }
        assertEquals("""
                OFPST_TABLE reply (xid=0x2):
                  table 0:
                    active=1, lookup=5, matched=5
                    max_entries=1000000
                    matching:
                      exact match or wildcard: in_port eth_{src,dst,type} vlan_{vid,pcp} ip_{src,dst} nw_{proto,tos} tcp_{src,dst}

                  table 1:
                    active=0, lookup=0, matched=0
                    (same features)

                  tables 2...253: ditto
                """, run("dump-tables", "BR"));
        assertEquals("""
                OFPST_TABLE reply (OF1.3) (xid=0x2):
                  table 0:
                    active=1, lookup=5, matched=5

                  table 1:
                    active=0, lookup=0, matched=0

                  tables 2...253: ditto
                """, run("-O", "OpenFlow13", "dump-tables", "BR"));
    }

    @Test
    void dumpFlowsShowsTheNormalFlow() throws Exception {
        String flow = " cookie=0x0, duration=D, table=0, n_packets=0, n_bytes=0, priority=0 actions=NORMAL\n";
        assertEquals("NXST_FLOW reply (xid=0x4):\n" + flow, run("dump-flows", "BR"));
        assertEquals("NXST_FLOW reply (xid=0x4):\n" + flow, run("-O", "OpenFlow10", "dump-flows", "BR"));
        assertEquals("OFPST_FLOW reply (OF1.3) (xid=0x2):\n" + flow, run("-O", "OpenFlow13", "dump-flows", "BR"));
        assertEquals("NXST_FLOW reply (xid=0x8):\n", run("dump-flows", "BR", "in_port=1"), "a filter the catch-all flow does not meet");
        assertEquals("OFPST_FLOW reply (OF1.3) (xid=0x6):\n", run("-O", "OpenFlow13", "dump-flows", "BR", "in_port=1"));
        assertEquals("NXST_AGGREGATE reply (xid=0x4): packet_count=0 byte_count=0 flow_count=1\n", run("dump-aggregate", "BR"));
    }

    @Test
    void openFlow13FlowModsAndPortMods() throws Exception {
        String out = raw("-O", "OpenFlow13", "add-flow", "BR", "in_port=1,actions=2");
        assertTrue(out.startsWith("rc=0\n"), out);
        assertTrue(run("-O", "OpenFlow13", "dump-flows", "BR").contains("n_bytes=0, in_port=1 actions=output:2"));
        assertEquals("rc=0\n", raw("mod-port", "BR", "p1", "down"));
        assertTrue(run("show", "BR").contains(" 1(p1): addr:aa:55:aa:55:00:01\n     config:     PORT_DOWN\n"), run("show", "BR"));
        assertEquals("rc=0\n", raw("-O", "OpenFlow13", "mod-port", "BR", "p1", "up"));
        assertEquals("rc=0\n", raw("mod-port", "BR", "7", "no-flood"));
        assertTrue(run("show", "BR").contains(" 7(p2): addr:aa:55:aa:55:00:02\n     config:     NO_FLOOD\n"), run("show", "BR"));
        assertTrue(run("show", "BR").contains(" 1(p1): addr:aa:55:aa:55:00:01\n     config:     0\n"), run("show", "BR"));
        // The datapath sees it: FLOOD from p1 leaves out p2; a port that is down takes no packets.
        br0.tables.add(new org.jvswitch.ofproto.ofp.OfRule(0, 40000, org.jvswitch.ofproto.ofp.OfMatch.ANY, 0, 0, 0, 0,
                List.of(new org.jvswitch.ofproto.ofp.OfAction.Output(org.jvswitch.ofproto.ofp.OfAction.FLOOD)), System.nanoTime()));
        org.jvswitch.api.flow.FlowKey k = new org.jvswitch.api.flow.FlowKey();
        k.setInPort(2);                                   // datapath port of p1
        assertEquals("1", dpif.handler.upcall(null, k, new org.jvswitch.api.flow.FlowKey()).toString(), "only LOCAL");
        assertEquals("rc=0\n", raw("mod-port", "BR", "p1", "down"));
        assertEquals(org.jvswitch.api.dpif.DpActions.DROP, dpif.handler.upcall(null, k, new org.jvswitch.api.flow.FlowKey()));
    }

    @Test
    void openFlow14And15() throws Exception {
        for (String v : List.of("OpenFlow14", "OpenFlow15")) {
            String ver = v.equals("OpenFlow14") ? "OF1.4" : "OF1.5";
            String show = run("-O", v, "show", "BR");
            assertTrue(show.startsWith("OFPT_FEATURES_REPLY (" + ver + ") (xid=0x2): dpid:00000a1b2c3d4e5f\nn_tables:254"), show);
            assertTrue(show.contains("OFPST_PORT_DESC reply (" + ver + ") (xid=0x3):\n 1(p1): addr:aa:55:aa:55:00:01\n"
                    + "     config:     0\n     state:      LIVE\n     speed: 0 Mbps now, 0 Mbps max\n"), show);
            String ports = run("-O", v, "dump-ports", "BR", "1");
            assertTrue(ports.startsWith("OFPST_PORT reply (" + ver + ") (xid=0x2): 1 ports\n"
                    + "  port  1: rx pkts=10, bytes=1000, drop=1, errs=3, frame=?, over=?, crc=?\n"
                    + "           tx pkts=20, bytes=2000, drop=2, errs=4, coll=?\n           duration="), ports);
            assertEquals("", run("-O", v, "add-flow", "BR", "table=1,priority=5,reg0=5,"
                    + "actions=load:0x3->NXM_NX_REG1[0..3],move:NXM_NX_REG0[]->NXM_NX_REG2[],output:1"));
            String flows = run("-O", v, "dump-flows", "BR", "table=1");
            String acts = v.equals("OpenFlow14") ? "load:0x3->NXM_NX_REG1[0..3]" : "set_field:0x3/0xf->reg1";
            assertTrue(flows.contains("table=1, n_packets=0, n_bytes=0, "
                    + "priority=5,reg0=0x5 actions=" + acts + ",move:NXM_NX_REG0[]->NXM_NX_REG2[],output:1\n"), flows);
            assertTrue(run("-O", v, "dump-aggregate", "BR").contains("flow_count=2"));
            assertEquals("", run("-O", v, "packet-out", "BR", "LOCAL", "output:1",
                    "ffffffffffff505400000009080045000014000000004000000000000a0000010a000002"));
            assertEquals("", run("-O", v, "mod-port", "BR", "p1", "no-forward"));
            assertTrue(run("-O", v, "show", "BR").contains(" 1(p1): addr:aa:55:aa:55:00:01\n     config:     NO_FWD\n"));
            assertEquals("", run("-O", v, "mod-port", "BR", "p1", "forward"));
            assertEquals("", run("-O", v, "del-flows", "BR", "table=1"));
        }
    }

    @Test
    void manyShortConnectionsInARow() throws Exception {
        for (int i = 0; i < 30; i++) {
            assertEquals("", ofctl("probe", "BR"));
        }
    }

    @Test
    void aClientWithoutCommonVersionsIsToldSo() throws Exception {
        String out = raw("-O", "OpenFlow12", "show", "BR");
        assertTrue(out.startsWith("rc=1\n"), out);
        assertTrue(out.contains("version negotiation failed (we support version 0x03, peer supports versions 0x01, 0x04, 0x05, 0x06)"), out);
    }

    @Test
    void theSocketLivesAsLongAsTheBridge() throws Exception {
        assertTrue(Files.exists(mgmt));
        assertEquals(mgmt, service.managementSocket("br0"));
        br0.destroy();
        assertFalse(Files.exists(mgmt));
        OfprotoDpif again = (OfprotoDpif) service.create("br0", "netdev");
        assertTrue(Files.exists(mgmt));
        assertTrue(run("show", "BR").startsWith("OFPT_FEATURES_REPLY (xid=0x2): dpid:"));
        again.destroy();
        assertFalse(Files.exists(mgmt));
    }

    @Test
    void stoppingTheServiceClosesConnectionsAndRemovesTheSocket() throws Exception {
        try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(mgmt))) {
            assertEquals(16, read(ch).length, "HELLO");
            service.deactivate();
            assertNull(read(ch), "connection closed");
        }
        assertFalse(Files.exists(mgmt));
        service = null;
    }

    private static byte[] read(SocketChannel ch) throws IOException {
        ByteBuffer h = ByteBuffer.allocate(8);
        while (h.hasRemaining()) {
            if (ch.read(h) < 0) {
                return null;
            }
        }
        ByteBuffer m = ByteBuffer.allocate(h.getShort(2) & 0xffff);
        m.put(h.array());
        while (m.hasRemaining()) {
            if (ch.read(m) < 0) {
                throw new IOException("EOF in a message");
            }
        }
        return m.array();
    }

    @Test
    void badInputOnOneConnectionLeavesItAndOthersWorking() throws Exception {
        try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(mgmt))) {
            byte[] hello = read(ch);
            assertArrayEquals(new byte[] {6, 0, 0, 16, 0, 0, 0, 0, 0, 1, 0, 8, 0, 0, 0, 0x72}, hello);
            ch.write(ByteBuffer.wrap(new byte[] {1, 0, 0, 8, 0, 0, 0, 1}));
            ch.write(ByteBuffer.wrap(new byte[] {1, 99, 0, 8, 0, 0, 0, 2}));
            byte[] err = read(ch);
            assertArrayEquals(new byte[] {1, 1, 0, 20, 0, 0, 0, 2, 0, 1, 0, 1, 1, 99, 0, 8, 0, 0, 0, 2}, err, "BAD_REQUEST/BAD_TYPE");
            assertTrue(run("show", "BR").startsWith("OFPT_FEATURES_REPLY"), "another connection meanwhile");
            ch.write(ByteBuffer.wrap(new byte[] {1, 2, 0, 9, 0, 0, 0, 3, 42}));
            assertArrayEquals(new byte[] {1, 3, 0, 9, 0, 0, 0, 3, 42}, read(ch), "echo still answered");
            ch.write(ByteBuffer.wrap(new byte[] {1, 2, 0, 4, 0, 0, 0, 4}));
            assertArrayEquals(new byte[] {1, 1, 0, 20, 0, 0, 0, 4, 0, 1, 0, 6, 1, 2, 0, 4, 0, 0, 0, 4}, read(ch),
                    "BAD_LEN for a length below the header's");
            assertNull(read(ch), "then closed: the stream cannot be framed any more");
        }
        assertTrue(run("dump-flows", "BR").contains("actions=NORMAL"));
    }

    private String raw(String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(OFCTL.toString());
        for (String a : args) {
            cmd.add(a.equals("BR") ? "unix:" + mgmt : a);
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("ovs-ofctl hung: " + cmd);
        }
        return "rc=" + p.exitValue() + "\n" + out;
    }
}
