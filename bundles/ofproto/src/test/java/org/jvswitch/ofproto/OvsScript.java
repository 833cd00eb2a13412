package org.jvswitch.ofproto;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.jvswitch.api.dpif.DpifProvider;
import org.jvswitch.api.netdev.NetdevStats;
import org.jvswitch.api.ofproto.Ofproto;

/**
 * A bridge laid out as the Open vSwitch 3.1 sandbox the golden outputs in resources/ovs-3.1 came
 * from (br0, fail_mode secure, ports p1..pN on OpenFlow ports 1..N, all up), and the scripts of
 * that directory run against it with the real ovs-ofctl, whose stdout and stderr they return.
 */
final class OvsScript implements AutoCloseable {
    final RecordingDpif dpif = new RecordingDpif();
    final OfprotoServiceImpl service;
    final OfprotoDpif br0;
    private final Path rundir;

    OvsScript(Path rundir, int ports) throws Exception {
        this.rundir = rundir;
        service = new OfprotoServiceImpl(rundir);
        service.addDpifProvider(new DpifProvider() {
            @Override public String type() { return "netdev"; }
            @Override public org.jvswitch.api.dpif.Dpif open(String name) { return dpif; }
        });
        br0 = (OfprotoDpif) service.create("br0", "netdev");
        br0.portAdd(OfctlInteropTest.netdev("br0", 0x0a1b2c3d4e5fL, true, NetdevStats.ZERO), Ofproto.OFPP_LOCAL);
        for (int i = 1; i <= ports; i++) {
            br0.portAdd(OfctlInteropTest.netdev("p" + i, 0xaa55aa550000L + i, true, NetdevStats.ZERO), i);
        }
        br0.setFailMode("secure");
    }

    /** Runs resources/ovs-3.1/{@code name} with OVS_RUNDIR at the bridge's run directory. */
    String run(String name) throws Exception {
        return bash(name, golden(name));
    }

    /** Runs the bash {@code script} text, as {@link #run} does. */
    String bash(String script) throws Exception {
        return bash("inline.sh", script);
    }

    private String bash(String name, String script) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/ovs-ofctl")), "needs Open vSwitch's ovs-ofctl");
        Path s = rundir.resolve(name);
        Files.writeString(s, script);
        ProcessBuilder pb = new ProcessBuilder("bash", s.toString()).redirectErrorStream(true);
        pb.environment().put("OVS_RUNDIR", rundir.toString());
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), name + " did not end");
        return out;
    }

    /** A file of resources/ovs-3.1: a script, or what Open vSwitch printed running one. */
    static String golden(String name) throws Exception {
        try (InputStream in = OvsScript.class.getResourceAsStream("/ovs-3.1/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Override
    public void close() {
        service.deactivate();
    }
}
