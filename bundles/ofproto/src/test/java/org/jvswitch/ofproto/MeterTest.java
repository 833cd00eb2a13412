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
import org.jvswitch.api.flow.FlowKey;
import org.jvswitch.api.netdev.NetdevStats;
import org.jvswitch.api.ofproto.Ofproto;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OpenFlow 1.3 meters programmed with the real ovs-ofctl: the script Debian's Open vSwitch 3.1 ran
 * (resources/ovs-3.1/meters.sh) prints the same here, meter features aside; a metered flow's
 * datapath actions go through a datapath meter, which the meter's changes reconfigure.
 */
class MeterTest {
    @TempDir
    Path rundir;
    private OfprotoServiceImpl service;
    private OfprotoDpif br0;
    private final RecordingDpif dpif = new RecordingDpif();

    @BeforeEach
    void setUp() throws Exception {
        service = new OfprotoServiceImpl(rundir);
        service.addDpifProvider(new DpifProvider() {
            @Override public String type() { return "netdev"; }
            @Override public org.jvswitch.api.dpif.Dpif open(String name) { return dpif; }
        });
        br0 = (OfprotoDpif) service.create("br0", "netdev");
        br0.portAdd(OfctlInteropTest.netdev("br0", 0x0a1b2c3d4e5fL, false, NetdevStats.ZERO), Ofproto.OFPP_LOCAL);
        br0.portAdd(OfctlInteropTest.netdev("p1", 0xaa55aa550001L, true, NetdevStats.ZERO), 1);
        br0.portAdd(OfctlInteropTest.netdev("p2", 0xaa55aa550002L, true, NetdevStats.ZERO), 2);
        br0.setFailMode("secure");
    }

    @AfterEach
    void tearDown() {
        service.deactivate();
    }

    private String bash(String script) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/ovs-ofctl")), "needs Open vSwitch's ovs-ofctl");
        Path s = rundir.resolve("script.sh");
        Files.writeString(s, script);
        ProcessBuilder pb = new ProcessBuilder("bash", s.toString()).redirectErrorStream(true);
        pb.environment().put("OVS_RUNDIR", rundir.toString());
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return out;
    }

    private static String resource(String name) throws Exception {
        try (InputStream in = MeterTest.class.getResourceAsStream("/ovs-3.1/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String withoutFeatures(String out) {
        int a = out.indexOf("== meter-features");
        int b = out.indexOf("== add existing");
        return out.substring(0, a) + out.substring(b);
    }

    @Test
    void meterScriptPrintsWhatOpenVSwitchPrinted() throws Exception {
        String ours = bash(resource("meters.sh"));
        assertEquals(withoutFeatures(resource("meters-out.txt")), withoutFeatures(ours));
        assertTrue(ours.contains("""
                OFPST_METER_FEATURES reply (OF1.3) (xid=0x2):
                max_meter:65535 max_bands:8 max_color:0
                band_types: drop
                capabilities: kbps pktps burst stats
                """), ours);
    }

    @Test
    void aMeteredFlowGoesThroughItsDatapathMeter() throws Exception {
        assertEquals("", bash("""
                ovs-ofctl -O OpenFlow13 add-meter br0 meter=7,pktps,burst,stats,bands=type=drop,rate=100,burst_size=20
                ovs-ofctl -O OpenFlow13 add-flow br0 in_port=1,actions=meter:7,output:2
                """));
        FlowKey k = new FlowKey();
        k.setInPort(2);                                  // datapath port of p1
        int dpMeter = br0.meters.get(7).dpId();
        assertEquals("meter(" + dpMeter + "),3", dpif.handler.upcall(null, k, new FlowKey()).toString());
        String stats = bash("ovs-ofctl -O OpenFlow13 meter-stats br0 meter=7\n");
        assertTrue(stats.contains("meter:7 flow_count:1 packet_in_count:0 byte_in_count:0 duration:"), stats);
        assertTrue(stats.contains("0: packet_count:0 byte_count:0"), stats);
        // Deleting the meter deletes the flow that used it, as Open vSwitch does.
        assertEquals("", bash("ovs-ofctl -O OpenFlow13 del-meter br0 meter=7\n"));
        assertEquals(0, br0.tables.size());
    }
}
