package org.jvswitch.ofproto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.jvswitch.api.dpif.DpActions;
import org.jvswitch.api.flow.FlowKey;
import org.jvswitch.api.ofproto.ControllerStatus;
import org.jvswitch.api.ofproto.ControllerTarget;
import org.jvswitch.api.packet.DpPacket;
import org.jvswitch.api.packet.PacketBufferPool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Controllers over real sockets, with the test playing the controller byte by byte: active
 * connection, reconnection, inactivity probes, table-miss and action packet-ins in OpenFlow 1.0
 * and 1.3, flow programming from the controller, and roles.
 */
class ControllerTest {
    @TempDir
    Path rundir;
    private OfprotoServiceImpl service;
    private OvsScript sandbox;
    private OfprotoDpif br0;
    private RecordingDpif dpif;
    private final PacketBufferPool pool = new PacketBufferPool("test", 8, 2048 + PacketBufferPool.HEADROOM);
    private ServerSocketChannel controller;
    // Datapath port numbers: LOCAL = 1, p1 (OpenFlow 1) = 2, p2 (OpenFlow 2) = 3.
    private static final int ODP_P1 = 2;
    private static final int ODP_P2 = 3;

    @BeforeEach
    void setUp() throws Exception {
        sandbox = new OvsScript(rundir, 2);
        service = sandbox.service;
        br0 = sandbox.br0;
        dpif = sandbox.dpif;
        controller = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    @AfterEach
    void tearDown() throws IOException {
        sandbox.close();
        br0.destroy();
        controller.close();
        pool.release();
    }

    private String target() throws IOException {
        return "tcp:127.0.0.1:" + ((InetSocketAddress) controller.getLocalAddress()).getPort();
    }

    /** The test's side of one OpenFlow connection. */
    private static final class Peer implements AutoCloseable {
        final SocketChannel ch;
        int xid = 100;

        Peer(SocketChannel ch) throws IOException {
            this.ch = ch;
            ch.socket().setSoTimeout(5000);
        }

        byte[] read() throws IOException {
            java.io.InputStream in = ch.socket().getInputStream();
            byte[] h = in.readNBytes(8);
            if (h.length < 8) {
                throw new IOException("closed");
            }
            int len = ((h[2] & 0xff) << 8) | (h[3] & 0xff);
            byte[] m = new byte[len];
            System.arraycopy(h, 0, m, 0, 8);
            byte[] body = in.readNBytes(len - 8);
            System.arraycopy(body, 0, m, 8, body.length);
            return m;
        }

        /** The next message of {@code type}, skipping others (echo requests are answered). */
        byte[] expect(int type) throws IOException {
            for (int i = 0; i < 50; i++) {
                byte[] m = read();
                if (m[1] == type) {
                    return m;
                }
                if (m[1] == 2) {
                    m[1] = 3;
                    send(m);
                }
            }
            throw new AssertionError("no message of type " + type);
        }

        void send(byte[] m) throws IOException {
            ByteBuffer b = ByteBuffer.wrap(m);
            while (b.hasRemaining()) {
                ch.write(b);
            }
        }

        void send(int version, int type, byte[] body) throws IOException {
            ByteBuffer b = ByteBuffer.allocate(8 + body.length);
            b.put((byte) version).put((byte) type).putShort((short) (8 + body.length)).putInt(++xid).put(body);
            send(b.array());
        }

        @Override
        public void close() throws IOException {
            ch.close();
        }
    }

    /** Accepts the switch's connection and completes HELLO in {@code version}. */
    private Peer accept(int version) throws IOException {
        controller.socket().setSoTimeout(10_000);
        SocketChannel ch;
        try {
            ch = controller.socket().accept().getChannel();
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the switch did not connect");
        }
        Peer p = new Peer(ch);
        byte[] hello = p.read();
        assertEquals(0, hello[1], "HELLO first");
        p.send(version, 0, new byte[0]);
        return p;
    }

    private static FlowKey key(int odpIn) {
        FlowKey k = new FlowKey();
        k.setInPort(odpIn);
        k.setDlSrc(0x505400000001L);
        k.setDlDst(0x505400000002L);
        return k;
    }

    private static final byte[] FRAME = frame();

    private static byte[] frame() {
        byte[] f = new byte[60];
        f[5] = 2;
        f[11] = 1;
        f[12] = (byte) 0x88;
        f[13] = (byte) 0xb5;
        for (int i = 14; i < f.length; i++) {
            f[i] = (byte) i;
        }
        return f;
    }

    /** Runs the userspace action of {@code actions} for a packet from {@code odpIn}, as the datapath would. */
    private void deliver(DpActions actions, int odpIn) {
        int[] prog = actions.program();
        long cookie = -1;
        for (int pc = 0; pc < prog.length; ) {
            int op = prog[pc];
            if (op == DpActions.USERSPACE) {
                cookie = ((long) prog[pc + 1] << 32) | (prog[pc + 2] & 0xffffffffL);
                break;
            }
            pc += DpActions.length(prog, pc);
        }
        assertTrue(cookie != -1, "a userspace action in " + actions);
        DpPacket p = pool.alloc();
        p.copyFrom(FRAME, 0, FRAME.length);
        p.inPort = odpIn;
        dpif.handler.action(p, cookie);
        p.free();
    }

    private ControllerStatus status(String target) {
        return br0.controllerStatus().get(target);
    }

    @Test
    void openFlow10ControllerGetsTableMissesAndProgramsTheSwitch() throws Exception {
        String t = target();
        br0.setControllers(List.of(ControllerTarget.of(t)));
        try (Peer c = accept(1)) {
            c.send(1, 5, new byte[0]);                          // FEATURES_REQUEST
            byte[] features = c.expect(6);
            assertEquals(254, features[20] & 0xff, "n_tables");
            long deadline = System.currentTimeMillis() + 5000;
            while (!br0.connmgr.wantsTableMisses() && System.currentTimeMillis() < deadline) {
                Thread.sleep(10);
            }
            assertTrue(status(t).connected());
            assertEquals("other", status(t).role());
            assertEquals("ACTIVE", status(t).status().get("state"));

            // Secure bridge, empty tables: the miss goes to the controller.
            DpActions a = dpif.handler.upcall(null, key(ODP_P1), new FlowKey());
            assertTrue(a.toString().startsWith("userspace("), a.toString());
            deliver(a, ODP_P1);
            byte[] pin = c.expect(10);
            assertEquals(-1, ByteBuffer.wrap(pin).getInt(8), "buffer_id: none");
            assertEquals(FRAME.length, ByteBuffer.wrap(pin).getShort(12));
            assertEquals(1, ByteBuffer.wrap(pin).getShort(14), "in_port");
            assertEquals(0, pin[16], "reason NO_MATCH");
            assertArrayEquals(FRAME, java.util.Arrays.copyOfRange(pin, 18, pin.length), "the whole frame");

            // The controller adds in_port=1,actions=output:2 (OpenFlow 1.0 FLOW_MOD).
            ByteBuffer fm = ByteBuffer.allocate(72);
            fm.putInt(0x3ffffe).putShort((short) 1).put(new byte[34]);
            fm.putLong(7).putShort((short) 0).putShort((short) 0).putShort((short) 0).putShort((short) 100)
                    .putInt(-1).putShort((short) 0xffff).putShort((short) 0);
            fm.putShort((short) 0).putShort((short) 8).putShort((short) 2).putShort((short) 0);
            c.send(1, 14, fm.array());
            c.send(1, 18, new byte[0]);                         // BARRIER
            c.expect(19);
            assertEquals(String.valueOf(ODP_P2), dpif.handler.upcall(null, key(ODP_P1), new FlowKey()).toString());
        }
        // The controller went away: the switch reconnects (backoff starts at 1 s).
        try (Peer again = accept(1)) {
            again.send(1, 5, new byte[0]);
            assertNotNull(again.expect(6));
        }
    }

    @Test
    void openFlow13ControllerGetsNoTableMissesButActionPacketInsWithTableAndCookie() throws Exception {
        String t = target();
        br0.setControllers(List.of(new ControllerTarget(t, 1000, 8000)));
        try (Peer c = accept(4)) {
            c.send(4, 5, new byte[0]);
            c.expect(6);
            assertEquals(DpActions.DROP, dpif.handler.upcall(null, key(ODP_P1), new FlowKey()), "1.3: a miss is dropped");
            // table=0,priority=5,cookie=0x99 actions=CONTROLLER:65535.
            ByteBuffer fm = ByteBuffer.allocate(40 + 8 + 24);
            fm.putLong(0x99).putLong(0).put((byte) 0).put((byte) 0).putShort((short) 0).putShort((short) 0)
                    .putShort((short) 5).putInt(-1).putInt(-1).putInt(-1).putShort((short) 0).putShort((short) 0);
            fm.putShort((short) 1).putShort((short) 4).putInt(0);               // empty OXM match
            fm.putShort((short) 4).putShort((short) 24).putInt(0);              // APPLY_ACTIONS
            fm.putShort((short) 0).putShort((short) 16).putInt(0xfffffffd).putShort((short) 0xffff).put(new byte[6]);
            c.send(4, 14, fm.array());
            c.send(4, 20, new byte[0]);
            byte[] reply = c.read();
            assertEquals(21, reply[1], "barrier reply, no error: " + java.util.HexFormat.of().formatHex(reply));
            DpActions a = dpif.handler.upcall(null, key(ODP_P2), new FlowKey());
            deliver(a, ODP_P2);
            ByteBuffer pin = ByteBuffer.wrap(c.expect(10));
            assertEquals(FRAME.length, pin.getShort(12));
            assertEquals(1, pin.get(14), "reason ACTION");
            assertEquals(0, pin.get(15), "table 0");
            assertEquals(0x99, pin.getLong(16), "the rule's cookie");
            assertEquals(0x80000004, pin.getInt(28), "OXM in_port");
            assertEquals(2, pin.getInt(32), "in_port 2");
            // Silence: the switch probes with ECHO_REQUEST after 1 s.
            long start = System.currentTimeMillis();
            byte[] echo = c.read();
            assertEquals(2, echo[1], "echo request");
            assertTrue(System.currentTimeMillis() - start < 4000);
        }
    }

    @Test
    void aMasterMakesTheOtherMasterASlaveWhichMayNotChangeFlows() throws Exception {
        String passive = "ptcp:0:127.0.0.1";
        // A passive target on a port the OS picks is not observable; listen on a fixed free port instead.
        int port;
        try (ServerSocketChannel probe = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            port = ((InetSocketAddress) probe.getLocalAddress()).getPort();
        }
        passive = "ptcp:" + port + ":127.0.0.1";
        br0.setControllers(List.of(ControllerTarget.of(passive)));
        try (Peer a = connect(port, 4); Peer b = connect(port, 4)) {
            roleRequest(a, 2, 1);
            assertEquals(2, ByteBuffer.wrap(a.expect(25)).getInt(8), "a is master");
            roleRequest(b, 2, 2);
            assertEquals(2, ByteBuffer.wrap(b.expect(25)).getInt(8), "b is master");
            roleRequest(a, 0, 0);                                 // NOCHANGE: what am I?
            assertEquals(3, ByteBuffer.wrap(a.expect(25)).getInt(8), "a became slave");
            roleRequest(a, 2, 1);                                  // stale generation
            ByteBuffer err = ByteBuffer.wrap(a.expect(1));
            assertEquals(11, err.getShort(8), "ROLE_REQUEST_FAILED");
            assertEquals(0, err.getShort(10), "STALE");
            ByteBuffer fm = ByteBuffer.allocate(48);
            fm.putLong(0).putLong(0).put((byte) 0).put((byte) 0).putShort((short) 0).putShort((short) 0)
                    .putShort((short) 0).putInt(-1).putInt(-1).putInt(-1).putShort((short) 0).putShort((short) 0);
            fm.putShort((short) 1).putShort((short) 4).putInt(0);
            a.send(4, 14, fm.array());
            err = ByteBuffer.wrap(a.expect(1));
            assertEquals(1, err.getShort(8));
            assertEquals(10, err.getShort(10), "OFPBRC_IS_SLAVE");
            Map<String, ControllerStatus> st = br0.controllerStatus();
            assertTrue(st.get(passive).connected());
        }
    }

    private Peer connect(int port, int version) throws IOException {
        SocketChannel ch = null;
        for (int i = 0; i < 50 && ch == null; i++) {
            try {
                ch = SocketChannel.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            } catch (IOException e) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException ie) {
                    throw new IOException(ie);
                }
            }
        }
        assertNotNull(ch, "the bridge listens on " + port);
        Peer p = new Peer(ch);
        p.read();
        p.send(version, 0, new byte[0]);
        return p;
    }

    private static void roleRequest(Peer p, int role, long generation) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(16);
        b.putInt(role).putInt(0).putLong(generation);
        p.send(4, 24, b.array());
    }

    /** OpenFlow 1.3 FLOW_MOD ADD in table 0 of in_port={@code port} with {@code flags} and a hard timeout; no actions. */
    private static byte[] flowMod13(int port, int flags, int hard, long cookie) {
        ByteBuffer fm = ByteBuffer.allocate(40 + 16);
        fm.putLong(cookie).putLong(0).put((byte) 0).put((byte) 0).putShort((short) 0).putShort((short) hard)
                .putShort((short) 7).putInt(-1).putInt(-1).putInt(-1).putShort((short) flags).putShort((short) 0);
        fm.putShort((short) 1).putShort((short) 12).putInt(0x80000004).putInt(port).putInt(0);
        return fm.array();
    }

    @Test
    void flowRemovedTellsTheControllerWhyAndWhatTheRuleCounted() throws Exception {
        br0.setControllers(List.of(ControllerTarget.of(target())));
        try (Peer c = accept(4)) {
            c.send(4, 14, flowMod13(1, 1, 1, 0x77));            // SEND_FLOW_REM, hard_timeout=1
            c.send(4, 14, flowMod13(2, 1, 0, 0x78));            // SEND_FLOW_REM, no timeout
            c.send(4, 14, flowMod13(5, 0, 1, 0x79));            // no SEND_FLOW_REM
            c.send(4, 20, new byte[0]);
            byte[] reply = c.read();
            assertEquals(21, reply[1], "no error: " + java.util.HexFormat.of().formatHex(reply));
            assertEquals(3, br0.tables.rules(0).size());
            long start = System.currentTimeMillis();
            ByteBuffer fr = ByteBuffer.wrap(c.expect(11));       // the revalidator expires it
            assertTrue(System.currentTimeMillis() - start < 4000);
            assertEquals(0x77, fr.getLong(8), "cookie");
            assertEquals(7, fr.getShort(16), "priority");
            assertEquals(1, fr.get(18), "reason HARD_TIMEOUT");
            assertEquals(0, fr.get(19), "table 0");
            assertEquals(1, fr.getShort(30), "hard_timeout");
            assertEquals(0x80000004, fr.getInt(52), "OXM in_port");
            assertEquals(1, fr.getInt(56));
            // Deleting in_port=2 over the same connection: reason DELETE.
            ByteBuffer del = ByteBuffer.wrap(flowMod13(2, 0, 0, 0));
            del.put(17, (byte) 4);                               // command DELETE_STRICT
            c.send(4, 14, del.array());
            ByteBuffer fr2 = ByteBuffer.wrap(c.expect(11));
            assertEquals(0x78, fr2.getLong(8));
            assertEquals(2, fr2.get(18), "reason DELETE");
            c.send(4, 20, new byte[0]);
            c.expect(21);
        }
    }

    @Test
    void aStandaloneBridgeFailsOpenWhileItsControllersStayAway() throws Exception {
        br0.setFailMode("standalone");
        br0.tables.add(new org.jvswitch.ofproto.ofp.OfRule(0, 60000, org.jvswitch.ofproto.ofp.OfMatch.ANY, 0, 0, 0, 0,
                List.of(), System.nanoTime()));                        // drop everything
        int port;
        try (ServerSocketChannel probe = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            port = ((InetSocketAddress) probe.getLocalAddress()).getPort();
        }
        br0.setControllers(List.of(new ControllerTarget("tcp:127.0.0.1:" + port, 500, 1000)));   // nobody listens
        assertEquals(DpActions.DROP, dpif.handler.upcall(null, key(ODP_P1), new FlowKey()), "the table decides at first");
        long deadline = System.currentTimeMillis() + 10_000;
        String a = "drop";
        while (a.equals("drop") && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
            a = dpif.handler.upcall(null, key(ODP_P1), new FlowKey()).toString();
        }
        assertEquals(ODP_P2 + ",1", a, "fail-open: NORMAL floods ahead of the drop rule");
        // The controller comes: the bridge leaves fail-open and its table decides again.
        try (ServerSocketChannel back = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
            back.socket().setSoTimeout(10_000);
            try (Peer c = new Peer(back.socket().accept().getChannel())) {
                c.read();
                c.send(1, 0, new byte[0]);
                c.send(1, 18, new byte[0]);
                c.expect(19);
                deadline = System.currentTimeMillis() + 10_000;
                while (!a.equals("drop") && System.currentTimeMillis() < deadline) {
                    Thread.sleep(100);
                    a = dpif.handler.upcall(null, key(ODP_P1), new FlowKey()).toString();
                }
                assertEquals("drop", a);
            }
        }
    }

    @Test
    void ovsOfctlSnoopSeesTheControllerTraffic() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isExecutable(Path.of("/usr/bin/ovs-ofctl")));
        Path out = rundir.resolve("snoop.txt");
        ProcessBuilder pb = new ProcessBuilder("ovs-ofctl", "-O", "OpenFlow13", "snoop", "unix:" + rundir.resolve("br0.snoop"))
                .redirectErrorStream(true).redirectOutput(out.toFile());
        pb.environment().put("OVS_RUNDIR", rundir.toString());     // its own control socket goes there
        Process snoop = pb.start();
        try {
            Thread.sleep(300);
            br0.setControllers(List.of(ControllerTarget.of(target())));
            try (Peer c = accept(4)) {
                c.send(4, 5, new byte[0]);
                c.expect(6);
                long deadline = System.currentTimeMillis() + 5000;
                String seen = "";
                while (!seen.contains("OFPT_FEATURES_REPLY") && System.currentTimeMillis() < deadline) {
                    Thread.sleep(50);
                    seen = java.nio.file.Files.readString(out);
                }
                assertTrue(seen.contains("OFPT_FEATURES_REQUEST (OF1.3)"), seen);
                assertTrue(seen.contains("OFPT_FEATURES_REPLY (OF1.3)") && seen.contains("n_tables:254"), seen);
            }
            // What a snoop client sends is ignored, as Open vSwitch never reads its monitors: a
            // flow_mod there changes nothing (and its barrier is never answered).
            Process add = new ProcessBuilder("ovs-ofctl", "--timeout=2", "add-flow", "unix:" + rundir.resolve("br0.snoop"),
                    "priority=4321,actions=drop").redirectErrorStream(true).redirectOutput(rundir.resolve("add.txt").toFile())
                    .start();
            assertTrue(add.waitFor(20, java.util.concurrent.TimeUnit.SECONDS), "ovs-ofctl ends by its own timeout");
            assertTrue(add.exitValue() != 0, "no barrier reply on a snoop connection");
            Process dump = new ProcessBuilder("ovs-ofctl", "dump-flows", "unix:" + rundir.resolve("br0.mgmt"))
                    .redirectErrorStream(true).redirectOutput(rundir.resolve("dump.txt").toFile()).start();
            assertTrue(dump.waitFor(20, java.util.concurrent.TimeUnit.SECONDS));
            String flows = java.nio.file.Files.readString(rundir.resolve("dump.txt"));
            assertEquals(0, dump.exitValue(), flows);
            assertTrue(!flows.contains("priority=4321"), "the snoop client's flow_mod was ignored: " + flows);
        } finally {
            snoop.destroy();
            snoop.waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
        }
    }
}
