package org.jvswitch.ofproto;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every ovs-ofctl command issue 6 names, in the default protocol setting and with -O OpenFlow10,
 * OpenFlow13 and OpenFlow15 (resources/ovs-3.1/cli.sh): show, dump-flows with a filter,
 * --no-stats, --names and --no-names, add-flow, add-flows, mod-flows, del-flows with --strict,
 * dump-aggregate, dump-ports, dump-ports-desc, mod-port, packet-out and dump-tables print what
 * Open vSwitch 3.1 printed on a bridge laid out the same way.
 */
class OfctlCommandsTest {
    @TempDir
    Path rundir;

    @Test
    void everyCommandInEveryProtocolSettingPrintsWhatOpenVSwitchPrinted() throws Exception {
        try (OvsScript sandbox = new OvsScript(rundir, 5)) {
            assertEquals(OvsScript.golden("cli-out.txt"), sandbox.run("cli.sh"));
        }
    }
}
