package org.jvswitch.ofproto;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Flow monitors driven by the real {@code ovs-ofctl monitor br0 watch:}: the script Debian's Open
 * vSwitch 3.1 ran (resources/ovs-3.1/monitor.sh: every protocol setting, filters by table,
 * out_port, match and event, an idle timeout) prints the same against jvswitch.
 */
class FlowMonitorTest {
    @TempDir
    Path rundir;
    private OfprotoServiceImpl service;

    @BeforeEach
    void setUp() throws Exception {
        RecordingDpif dpif = new RecordingDpif();
        service = new OfprotoServiceImpl(rundir);
        service.addDpifProvider(new DpifProvider() {
            @Override public String type() { return "netdev"; }
            @Override public org.jvswitch.api.dpif.Dpif open(String name) { return dpif; }
        });
        OfprotoDpif br0 = (OfprotoDpif) service.create("br0", "netdev");
        br0.portAdd(OfctlInteropTest.netdev("br0", 0x0a1b2c3d4e5fL, false, NetdevStats.ZERO), Ofproto.OFPP_LOCAL);
        for (int i = 1; i <= 3; i++) {
            br0.portAdd(OfctlInteropTest.netdev("p" + i, 0xaa55aa550000L + i, true, NetdevStats.ZERO), i);
        }
        br0.setFailMode("secure");
    }

    @AfterEach
    void tearDown() {
        service.deactivate();
    }

    @Test
    void monitorScriptPrintsWhatOpenVSwitchPrinted() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/ovs-ofctl")), "needs Open vSwitch's ovs-ofctl");
        Path s = rundir.resolve("monitor.sh");
        try (InputStream in = getClass().getResourceAsStream("/ovs-3.1/monitor.sh")) {
            Files.copy(in, s);
        }
        ProcessBuilder pb = new ProcessBuilder("bash", s.toString()).redirectErrorStream(true);
        pb.environment().put("OVS_RUNDIR", rundir.toString());
        Process p = pb.start();
        p.getOutputStream().close();
        String ours = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        String ovs;
        try (InputStream in = getClass().getResourceAsStream("/ovs-3.1/monitor-out.txt")) {
            ovs = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertEquals(ovs, ours);
    }
}
