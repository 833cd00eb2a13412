package org.jvswitch.vsctl.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Controllers, fail mode, managers, SSL, emer-reset, Auto Attach and conntrack zone commands. */
class OtherCommandsTest extends VsctlFixture {
    @BeforeEach
    void bridge() {
        ok("add-br", "br0");
    }

    @Test
    void controllers() {
        ok("set-controller", "br0", "tcp:1.2.3.4:6653", "ptcp:6654");
        assertEquals("ptcp:6654\ntcp:1.2.3.4:6653\n", ok("get-controller", "br0"));
        ok("add-br", "fb", "br0", "10");
        assertEquals("ptcp:6654\ntcp:1.2.3.4:6653\n", ok("get-controller", "fb"), "a fake bridge shows its parent's");
        fails("ovs-vsctl: fb is a fake bridge\n", "del-controller", "fb");
        ok("--", "--inactivity-probe=5000", "set-controller", "br0", "tcp:1.1.1.1");
        assertEquals("tcp:1.1.1.1\n", ok("get-controller", "br0"));
        assertEquals("5000\n", ok("get", "Controller", "br0", "inactivity_probe"));
        assertEquals("1\n", String.valueOf(ok("--bare", "--columns=target", "list", "Controller").lines().count())
                + "\n", "the old controllers are gone");
        ok("del-controller", "br0");
        assertEquals("", ok("get-controller", "br0"));
        fails("ovs-vsctl: no bridge named br9\n", "get-controller", "br9");

        VsctlResult r = run("--no-wait", "set-controller", "br0", "foo:bar", "tcp:1.1.1.1", "ptcp");
        assertEquals("TS|00002|vsctl|WARN|target type \"foo:bar\" is possibly erroneous\n"
                + "TS|00003|vsctl|WARN|target type \"ptcp\" is possibly erroneous\n", normalize(r.stderr()));
        assertEquals(0, r.status());
    }

    @Test
    void failMode() {
        assertEquals("", ok("get-fail-mode", "br0"));
        ok("set-fail-mode", "br0", "secure");
        assertEquals("secure\n", ok("get-fail-mode", "br0"));
        fails("ovs-vsctl: fail-mode must be \"standalone\" or \"secure\"\n", "set-fail-mode", "br0", "x");
        ok("del-fail-mode", "br0");
        assertEquals("", ok("get-fail-mode", "br0"));
    }

    @Test
    void managers() {
        ok("set-manager", "ptcp:6640", "tcp:10.0.0.1:6640");
        assertEquals("ptcp:6640\ntcp:10.0.0.1:6640\n", ok("get-manager"));
        assertEquals("\"ptcp:6640\"\n", ok("get", "Manager", "ptcp:6640", "target"), "Manager rows are found by target");
        ok("del-manager");
        assertEquals("", ok("get-manager"));
        assertEquals("", ok("list", "Manager"));
    }

    @Test
    void ssl() {
        assertEquals("", ok("get-ssl"));
        ok("set-ssl", "/k", "/c", "/ca");
        assertEquals("Private key: /k\nCertificate: /c\nCA Certificate: /ca\nBootstrap: false\n", ok("get-ssl"));
        ok("--", "--bootstrap", "set-ssl", "/k2", "/c2", "/ca2");
        assertEquals("Private key: /k2\nCertificate: /c2\nCA Certificate: /ca2\nBootstrap: true\n", ok("get-ssl"));
        ok("del-ssl");
        assertEquals("", ok("get-ssl"));
    }

    @Test
    void emerReset() {
        ok("set-controller", "br0", "tcp:1.2.3.4", "--", "set-manager", "ptcp:6640", "--", "set-fail-mode", "br0",
                "secure", "--", "set", "Bridge", "br0", "other_config:hwaddr=00:11:22:33:44:55",
                "other_config:x=y", "--", "set", "Interface", "br0", "ingress_policing_rate=100");
        ok("emer-reset");
        assertEquals("[]\n[]\n{hwaddr=\"00:11:22:33:44:55\"}\n", ok("get", "Bridge", "br0", "controller", "fail_mode",
                "other_config"));
        assertEquals("0\n", ok("get", "Interface", "br0", "ingress_policing_rate"));
        assertEquals("", ok("get-manager"));
        assertEquals("", ok("list", "Controller"));
    }

    @Test
    void autoAttach() {
        ok("add-aa-mapping", "br0", "100", "10");
        ok("add-aa-mapping", "br0", "200", "20");
        assertEquals("100 10\n200 20\n", ok("get-aa-mapping", "br0"));
        fails("ovs-vsctl: Invalid argument x\n", "add-aa-mapping", "br0", "x", "20");
        ok("del-aa-mapping", "br0", "100", "10");
        assertEquals("200 20\n", ok("get-aa-mapping", "br0"));
    }

    @Test
    void conntrackZones() {
        fails("ovs-vsctl: datapath \"netdev\" record not found\n", "list-dp-cap", "netdev");
        ok("--", "--id=@dp", "create", "Datapath", "capabilities:ct_zone=true", "--", "set", "Open_vSwitch", ".",
                "datapaths:netdev=@dp");
        assertEquals("ct_zone=true\n", ok("list-dp-cap", "netdev"));
        ok("add-zone-tp", "netdev", "zone=1", "icmp_first=30", "icmp_reply=60");
        ok("add-zone-tp", "netdev", "zone=2", "icmp_first=30", "icmp_reply=60");
        assertEquals("Zone:1, Timeout Policies: icmp_first=30 icmp_reply=60\n"
                + "Zone:2, Timeout Policies: icmp_first=30 icmp_reply=60\n", ok("list-zone-tp", "netdev"));
        assertEquals("1\n", String.valueOf(ok("--bare", "--columns=_uuid", "list", "CT_Timeout_Policy").lines().count())
                + "\n", "equal policies are shared");
        fails("ovs-vsctl: zone id 1 already exists\n", "add-zone-tp", "netdev", "zone=1", "icmp_first=30");
        fails("ovs-vsctl: 'add-zone-tp' command requires at least 3 arguments\n", "add-zone-tp", "netdev",
                "zone=3");
        fails("ovs-vsctl: datapath system does not exist\n", "add-zone-tp", "system", "zone=3", "a=1");
        ok("del-zone-tp", "netdev", "zone=1");
        fails("ovs-vsctl: zone id 1 does not exist\n", "del-zone-tp", "netdev", "zone=1");
        assertEquals("Zone:2, Timeout Policies: icmp_first=30 icmp_reply=60\n", ok("list-zone-tp", "netdev"));
    }

    @Test
    void commandsListForCompletion() {
        VsctlResult r = run("--commands");
        assertTrue(r.stdout().contains("[--may-exist] ,add-port,!BRIDGE !NEW-PORT *COLUMN?:KEY=VALUE\n"));
        assertTrue(r.stdout().contains("[--if-exists] [--id=] ,get,!TABLE !RECORD *COLUMN?:KEY\n"));
    }
}
