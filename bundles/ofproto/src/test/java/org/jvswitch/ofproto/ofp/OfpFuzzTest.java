package org.jvswitch.ofproto.ofp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import org.jvswitch.api.netdev.Netdev;
import org.junit.jupiter.api.Test;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzing of the OpenFlow decoder: any framed message, after a HELLO in its version (1.0, or 1.3
 * for anything else), goes through a real {@link OfpSession} with writable tables.
 *
 * <p>What must hold for any input: no exception escapes {@link OfpSession#receive}; every reply is
 * a well-framed message of the session's version (or, for a bad version, of the message's own);
 * and a message answered with an error leaves the flow tables exactly as they were.
 *
 * <p>Seeds ({@code OfpFuzzTestInputs/message/}): the FLOW_MODs Debian's ovs-ofctl 3.1 encodes for
 * a set of pipeline flows in OpenFlow 1.0, NXM and 1.3 (taken from {@code ovs-ofctl -mmmmm
 * parse-flow}), and requests of every other kind the switch answers. In the normal test phase
 * Jazzer replays them (regression mode) and {@link #mutatedCaptures} runs a seeded mutation loop
 * over them ({@code -Dofp.fuzz.iterations=N}, default 20000); {@code JAZZER_FUZZ=1 mvn -o -pl
 * bundles/ofproto test -Dtest=OfpFuzzTest} fuzzes with coverage guidance.
 */
class OfpFuzzTest {
    private static final SwitchView.Port P1 = new SwitchView.Port(1, netdev("p1"), System.nanoTime());
    private static final SwitchView.Port P2 = new SwitchView.Port(2, netdev("p2"), System.nanoTime());

    private static Netdev netdev(String name) {
        return new Netdev() {
            @Override public String name() { return name; }
            @Override public String type() { return "dummy"; }
            @Override public int nRxq() { return 0; }
            @Override public org.jvswitch.api.netdev.Rxq rxq(int i) { throw new IndexOutOfBoundsException(); }
            @Override public int nTxq() { return 1; }
            @Override public int send(int txq, org.jvswitch.api.packet.DpPacketBatch b, boolean c) { b.freeAll(); return 0; }
            @Override public long mac() { return 0x020000000001L; }
            @Override public int mtu() { return 1500; }
            @Override public boolean carrier() { return true; }
            @Override public org.jvswitch.api.netdev.NetdevStats stats() { return org.jvswitch.api.netdev.NetdevStats.ZERO; }
            @Override public void destruct() { }
        };
    }

    @FuzzTest(maxDuration = "60s")
    void message(byte[] data) {
        check(data);
    }

    /** One message through a fresh session; see the class comment. */
    static void check(byte[] data) {
        if (data.length < Ofp.HEADER_LEN || data.length > Ofp.MAX_LEN) {
            return;                                   // the connection frames messages by their length field
        }
        byte[] m = data.clone();
        m[2] = (byte) (m.length >>> 8);
        m[3] = (byte) m.length;
        OfTables tables = new OfTables(() -> { });
        SwitchView sw = new SwitchView() {
            @Override public String name() { return "br0"; }
            @Override public long datapathId() { return 1; }
            @Override public List<Port> ports() { return List.of(P1, P2); }
            @Override public OfTables flowTables() { return tables; }
            @Override public boolean packetOut(byte[] frame, int inPort, List<OfAction> actions) { return true; }
        };
        OfpSession s = new OfpSession(sw, true, null);
        int mv0 = m[0] & 0xff;
        int version = mv0 == Ofp.V10 || mv0 == Ofp.V13 || mv0 == 5 || mv0 == 6 ? mv0 : Ofp.V13;
        byte[] hello = {(byte) version, 0, 0, 8, 0, 0, 0, 1};
        assertEquals(List.of(), s.receive(hello));
        List<String> before = rules(tables);
        List<byte[]> out = s.receive(m);
        boolean error = false;
        for (byte[] r : out) {
            assertTrue(r.length >= Ofp.HEADER_LEN, "a reply has a header");
            assertEquals(r.length, OfpCodec.length(r), "framed by its length");
            int v = OfpCodec.version(r);
            int mv = m[0] & 0xff;
            // A message of another version gets BAD_VERSION in its own version if it is a known
            // one (1.0 otherwise), as Open vSwitch's vconn answers it.
            int errorVersion = mv >= 1 && mv <= 6 ? mv : Ofp.V10;
            // An echo reply carries the request's version, whatever it is (Open vSwitch's make_echo_reply).
            assertTrue(v == version || (v == errorVersion && OfpCodec.type(r) == Ofp.ERROR)
                    || (v == mv && OfpCodec.type(r) == Ofp.ECHO_REPLY), "reply version " + v);
            error |= OfpCodec.type(r) == Ofp.ERROR;
        }
        if (error) {
            assertEquals(before, rules(tables), "an error changes no flow");
        }
    }

    /** The tables as text (rule identity does not survive a modify). */
    private static List<String> rules(OfTables t) {
        List<String> out = new ArrayList<>();
        for (OfRule r : t.all()) {
            out.add(r.tableId + "/" + r.priority + "/" + OfFormat.match(r.match.valueWords(), r.match.maskWords(), 0)
                    + "/" + OfFormat.actions(r.actions) + "/" + r.cookie);
        }
        return out;
    }

    static List<byte[]> seeds() throws IOException, URISyntaxException {
        URL dir = OfpFuzzTest.class.getResource("OfpFuzzTestInputs/message");
        List<byte[]> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of(dir.toURI()))) {
            for (Path f : files.sorted().toList()) {
                try (InputStream in = Files.newInputStream(f)) {
                    out.add(in.readAllBytes());
                }
            }
        }
        return out;
    }

    @Test
    void mutatedCaptures() throws Exception {
        List<byte[]> seeds = seeds();
        assertTrue(seeds.size() > 50, "seed inputs are on the test class path");
        int n = Integer.getInteger("ofp.fuzz.iterations", 20000);
        Random random = new Random(Long.getLong("ofp.fuzz.seed", 1_0_0_1L));
        for (byte[] seed : seeds) {
            check(seed);
        }
        for (int i = 0; i < n; i++) {
            byte[] input = mutate(seeds.get(random.nextInt(seeds.size())), seeds, random);
            try {
                check(input);
            } catch (Throwable e) {
                throw new AssertionError("input " + i + ": " + HexFormat.of().formatHex(input), e);
            }
        }
    }

    /** A few random edits: flipped bits, random bytes, interesting values, a cut, a splice. */
    private static byte[] mutate(byte[] seed, List<byte[]> corpus, Random r) {
        byte[] b = seed.clone();
        int edits = 1 + r.nextInt(4);
        for (int e = 0; e < edits && b.length > 0; e++) {
            int at = r.nextInt(b.length);
            switch (r.nextInt(6)) {
                case 0 -> b[at] ^= (byte) (1 << r.nextInt(8));
                case 1 -> b[at] = (byte) r.nextInt(256);
                case 2 -> b[at] = (byte) new int[] {0, 0xff, 0x7f, 0x80, 1, 8, 0x10}[r.nextInt(7)];
                case 3 -> {
                    // A 16-bit length or type field set to something interesting.
                    if (at + 1 < b.length) {
                        int v = new int[] {0, 4, 8, 0xffff, 0x7fff, 16, 24}[r.nextInt(7)];
                        b[at] = (byte) (v >>> 8);
                        b[at + 1] = (byte) v;
                    }
                }
                case 4 -> b = java.util.Arrays.copyOf(b, Math.max(8, at));
                default -> {
                    byte[] other = corpus.get(r.nextInt(corpus.size()));
                    int from = r.nextInt(other.length);
                    int len = Math.min(other.length - from, 1 + r.nextInt(32));
                    byte[] spliced = new byte[b.length + len];
                    System.arraycopy(b, 0, spliced, 0, at);
                    System.arraycopy(other, from, spliced, at, len);
                    System.arraycopy(b, at, spliced, at + len, b.length - at);
                    b = spliced;
                }
            }
        }
        return b;
    }
}
