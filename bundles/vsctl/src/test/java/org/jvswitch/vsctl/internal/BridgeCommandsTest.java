package org.jvswitch.vsctl.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** add-br, del-br, list-br, br-exists, br-to-vlan, br-to-parent, br-set/get-external-id; texts as ovs-vsctl 3.1 prints them. */
class BridgeCommandsTest extends VsctlFixture {
    @Test
    void addBrCreatesBridgePortAndInternalInterface() {
        assertEquals("", ok("add-br", "br0"));
        assertEquals("br0\n", ok("list-br"));
        assertEquals("br0\n", ok("--bare", "--columns=name", "list", "Port"));
        assertEquals("internal\n", ok("get", "Interface", "br0", "type"));
        assertEquals("", ok("list-ports", "br0"), "the bridge's local port is not listed");
        assertEquals("br0\n", ok("list-br"));
    }

    @Test
    void listBrIsSorted() {
        ok("add-br", "br1", "--", "add-br", "br0", "--", "add-br", "a");
        assertEquals("a\nbr0\nbr1\n", ok("list-br"));
    }

    @Test
    void addBrErrors() {
        ok("add-br", "br0");
        ok("add-port", "br0", "p1");
        fails("ovs-vsctl: cannot create a bridge named br0 because a bridge named br0 already exists\n", "add-br", "br0");
        fails("ovs-vsctl: cannot create a bridge named p1 because a port named p1 already exists on bridge br0\n",
                "add-br", "p1");
        fails("ovs-vsctl: bridge name must not be empty string\n", "add-br", "");
        fails("ovs-vsctl: 'add-br' command takes exactly 1 or 3 arguments\n", "add-br", "a", "b");
        fails("ovs-vsctl: 'add-br' command requires at least 1 arguments\n", "add-br");
        fails("ovs-vsctl: 'add-br' command takes at most 3 arguments\n", "add-br", "a", "b", "c", "d");
        assertEquals("", ok("--may-exist", "add-br", "br0"));
    }

    @Test
    void delBr() {
        ok("add-br", "br0");
        ok("add-port", "br0", "p1");
        assertEquals("", ok("del-br", "br0"));
        assertEquals("", ok("list-br"));
        assertEquals("", ok("--columns=name", "list", "Port"), "ports are garbage collected with the bridge");
        assertEquals("", ok("--columns=name", "list", "Interface"));
        fails("ovs-vsctl: no bridge named br0\n", "del-br", "br0");
        assertEquals("", ok("--if-exists", "del-br", "br0"));
    }

    @Test
    void brExistsExitsTwoWhenMissing() {
        ok("add-br", "br0");
        VsctlResult present = run("--no-wait", "br-exists", "br0");
        assertEquals(new VsctlResult("", "", 0), present);
        VsctlResult missing = run("--no-wait", "br-exists", "br9");
        assertEquals(new VsctlResult("", "", 2), missing);
    }

    @Test
    void fakeBridges() {
        ok("add-br", "br0");
        ok("add-br", "fb", "br0", "10");
        assertEquals("br0\nfb\n", ok("list-br"));
        assertEquals("br0\n", ok("--real", "list-br"));
        assertEquals("fb\n", ok("--fake", "list-br"));
        assertEquals("10\n", ok("br-to-vlan", "fb"));
        assertEquals("br0\n", ok("br-to-parent", "fb"));
        assertEquals("0\n", ok("br-to-vlan", "br0"));
        assertEquals("br0\n", ok("br-to-parent", "br0"));

        ok("add-port", "fb", "p2");
        assertEquals("10\n", ok("get", "Port", "p2", "tag"));
        assertEquals("p2\n", ok("list-ports", "fb"));
        assertEquals("fb\n", ok("port-to-br", "p2"));
        assertEquals("", ok("list-ports", "br0"), "the fake bridge's ports belong to it, not to its parent");

        fails("ovs-vsctl: cannot create bridge with fake bridge as parent\n", "add-br", "fb2", "fb", "11");
        fails("ovs-vsctl: parent bridge nobr does not exist\n", "add-br", "fb3", "nobr", "10");
        fails("ovs-vsctl: bridge br0 already has a child VLAN bridge fb on VLAN 10\n", "add-br", "fb3", "br0", "10");
        fails("ovs-vsctl: add-br: vlan must be between 0 and 4095\n", "add-br", "fb3", "br0", "5000");
        fails("ovs-vsctl: \"--may-exist add-br fb br0 11\" but fb is a VLAN bridge for the wrong VLAN 10\n",
                "--may-exist", "add-br", "fb", "br0", "11");
        fails("ovs-vsctl: \"--may-exist add-br fb\" but fb is a VLAN bridge for VLAN 10\n", "--may-exist", "add-br",
                "fb");
        fails("ovs-vsctl: \"--may-exist add-br br0 br1 10\" but br0 is not a VLAN bridge\n", "--may-exist", "add-br",
                "br0", "br1", "10");
        fails("ovs-vsctl: fb is a fake bridge\n", "set-controller", "fb", "tcp:1.1.1.1");

        ok("del-br", "fb");
        assertEquals("br0\n", ok("list-br"));
        assertEquals("", ok("--columns=name", "find", "Port", "name=p2"), "the fake bridge's ports go with it");
    }

    @Test
    void deletingParentDeletesFakeBridges() {
        ok("add-br", "br0", "--", "add-br", "fb", "br0", "10", "--", "add-port", "fb", "p1");
        ok("del-br", "br0");
        assertEquals("", ok("list-br"));
        assertEquals("", ok("--columns=name", "list", "Port"));
    }

    @Test
    void externalIds() {
        ok("add-br", "br0");
        ok("br-set-external-id", "br0", "k", "v");
        ok("br-set-external-id", "br0", "a", "1");
        assertEquals("a=1\nk=v\n", ok("br-get-external-id", "br0"));
        assertEquals("v\n", ok("br-get-external-id", "br0", "k"));
        assertEquals("", ok("br-get-external-id", "br0", "nokey"));
        assertEquals("{a=\"1\", k=v}\n", ok("get", "Bridge", "br0", "external_ids"));
        ok("br-set-external-id", "br0", "k");
        assertEquals("a=1\n", ok("br-get-external-id", "br0"));

        ok("add-br", "fb", "br0", "10");
        ok("br-set-external-id", "fb", "fk", "fv");
        assertEquals("fk=fv\n", ok("br-get-external-id", "fb"));
        assertEquals("{fake-bridge-fk=fv}\n", ok("get", "Port", "fb", "external_ids"));
        fails("ovs-vsctl: no bridge named br9\n", "br-get-external-id", "br9");
    }
}
