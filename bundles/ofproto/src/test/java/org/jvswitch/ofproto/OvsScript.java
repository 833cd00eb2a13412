package org.jvswitch.ofproto;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
        this(rundir, true, java.util.stream.IntStream.rangeClosed(1, ports).toArray());
    }

    /**
     * A bridge with ports p1, p2, ... on the OpenFlow ports {@code ofports} gives them in order;
     * fail_mode secure (no flows) or, if not {@code secure}, Open vSwitch's default NORMAL flow.
     */
    OvsScript(Path rundir, boolean secure, int... ofports) throws Exception {
        this.rundir = rundir;
        service = new OfprotoServiceImpl(rundir);
        service.addDpifProvider(new DpifProvider() {
            @Override public String type() { return "netdev"; }
            @Override public org.jvswitch.api.dpif.Dpif open(String name) { return dpif; }
        });
        br0 = (OfprotoDpif) service.create("br0", "netdev");
        br0.portAdd(OfctlInteropTest.netdev("br0", 0x0a1b2c3d4e5fL, true, NetdevStats.ZERO), Ofproto.OFPP_LOCAL);
        for (int i = 1; i <= ofports.length; i++) {
            br0.portAdd(OfctlInteropTest.netdev("p" + i, 0xaa55aa550000L + i, true, NetdevStats.ZERO), ofports[i - 1]);
        }
        if (secure) {
            br0.setFailMode("secure");
        }
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
        Path out = rundir.resolve(name + ".out");
        ProcessBuilder pb = new ProcessBuilder("bash", s.toString()).redirectErrorStream(true)
                .redirectOutput(out.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().put("OVS_RUNDIR", rundir.toString());
        Process p = pb.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(name + " did not end: " + Files.readString(out));
        }
        return Files.readString(out);
    }

    /**
     * Runs the real ovs-ofctl with {@code args} ("BR" stands for the bridge's management socket);
     * returns "rc=N\n" followed by its stdout and stderr. Output goes to files, so the 20 s limit
     * holds even when it writes much.
     */
    String ofctl(String... args) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/ovs-ofctl")), "needs Open vSwitch's ovs-ofctl");
        List<String> cmd = new java.util.ArrayList<>();
        cmd.add("/usr/bin/ovs-ofctl");
        for (String a : args) {
            cmd.add(a.equals("BR") ? "unix:" + rundir.resolve("br0.mgmt") : a);
        }
        Path out = Files.createTempFile(rundir, "ofctl", ".out");
        Path err = Files.createTempFile(rundir, "ofctl", ".err");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("ovs-ofctl hung: " + cmd);
        }
        return "rc=" + p.exitValue() + "\n" + Files.readString(out) + Files.readString(err);
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
