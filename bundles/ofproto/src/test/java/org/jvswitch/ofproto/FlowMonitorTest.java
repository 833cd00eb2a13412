package org.jvswitch.ofproto;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;

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

    @Test
    void monitorScriptPrintsWhatOpenVSwitchPrinted() throws Exception {
        try (OvsScript sandbox = new OvsScript(rundir, 3)) {
            assertEquals(OvsScript.golden("monitor-out.txt"), sandbox.run("monitor.sh"));
        }
    }
}
