package org.jvswitch.ofproto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.jvswitch.api.flow.FlowKey;
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
    private OvsScript sandbox;
    private OfprotoDpif br0;
    private RecordingDpif dpif;

    @BeforeEach
    void setUp() throws Exception {
        sandbox = new OvsScript(rundir, 2);
        br0 = sandbox.br0;
        dpif = sandbox.dpif;
    }

    @AfterEach
    void tearDown() {
        sandbox.close();
    }

    private String bash(String script) throws Exception {
        return sandbox.bash(script);
    }

    private static String resource(String name) throws Exception {
        return OvsScript.golden(name);
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
