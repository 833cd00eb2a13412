package org.jvswitch.vsctl.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** "show": the tree ovs-vsctl 3.1 prints (rows in UUID order, which the test database makes creation order). */
class ShowTest extends VsctlFixture {
    @Test
    void emptyDatabaseShowsTheOpenVswitchRow() {
        assertEquals("00000001-0000-4000-8000-000000000001\n", ok("show"));
    }

    @Test
    void fullTree() {
        ok("add-br", "br0", "--", "set", "Bridge", "br0", "datapath_type=netdev");
        ok("add-port", "br0", "p1", "--", "set", "Interface", "p1", "type=dummy", "options:n_rxq=2", "--", "set",
                "Port", "p1", "tag=5", "trunks=10,20");
        ok("add-port", "br0", "vhost0", "--", "set", "Interface", "vhost0", "type=dpdkvhostuser",
                "error=\"could not create netdev vhost0 of unknown type dpdkvhostuser\"");
        ok("set", "Open_vSwitch", ".", "ovs_version=3.1.0");
        ok("set-manager", "ptcp:6640");
        ok("set-controller", "br0", "tcp:127.0.0.1:6653");
        ok("set", "Controller", "br0", "is_connected=true");
        ok("set-fail-mode", "br0", "secure");
        ok("set", "Interface", "p1", "bfd_status:state=up");
        assertEquals("""
                00000001-0000-4000-8000-000000000001
                    Manager "ptcp:6640"
                    Bridge br0
                        Controller "tcp:127.0.0.1:6653"
                            is_connected: true
                        fail_mode: secure
                        datapath_type: netdev
                        Port br0
                            Interface br0
                                type: internal
                        Port p1
                            tag: 5
                            trunks: [10, 20]
                            Interface p1
                                type: dummy
                                options: {n_rxq="2"}
                                bfd_status: {state=up}
                        Port vhost0
                            Interface vhost0
                                type: dpdkvhostuser
                                error: "could not create netdev vhost0 of unknown type dpdkvhostuser"
                    ovs_version: "3.1.0"
                """, ok("show"));
    }

    @Test
    void fakeBridgePortsAppearUnderTheParent() {
        ok("add-br", "br0", "--", "add-br", "fb", "br0", "10");
        assertEquals("""
                00000001-0000-4000-8000-000000000001
                    Bridge br0
                        Port br0
                            Interface br0
                                type: internal
                        Port fb
                            tag: 10
                            Interface fb
                                type: internal
                """, ok("show"));
    }
}
