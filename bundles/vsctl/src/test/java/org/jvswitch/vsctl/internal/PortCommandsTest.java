package org.jvswitch.vsctl.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** add-port, del-port, list-ports, port-to-br, list-ifaces, iface-to-br and the bond commands. */
class PortCommandsTest extends VsctlFixture {
    @BeforeEach
    void bridge() {
        ok("add-br", "br0");
    }

    @Test
    void addPortAndLookups() {
        ok("add-port", "br0", "p2");
        ok("add-port", "br0", "p1");
        assertEquals("p1\np2\n", ok("list-ports", "br0"));
        assertEquals("p1\np2\n", ok("list-ifaces", "br0"));
        assertEquals("br0\n", ok("port-to-br", "p1"));
        assertEquals("br0\n", ok("iface-to-br", "p1"));
        assertEquals("[]\n", ok("get", "Interface", "p1", "ofport"));
        assertEquals("\"\"\n", ok("get", "Interface", "p1", "type"));
    }

    @Test
    void addPortWithColumnSettings() {
        ok("add-port", "br0", "p1", "tag=5", "other_config:a=b");
        assertEquals("5\n{a=b}\n", ok("get", "Port", "p1", "tag", "other_config"));
        ok("add-port", "br0", "p2", "--", "set", "Interface", "p2", "type=dummy", "options:n_rxq=2");
        assertEquals("dummy\n{n_rxq=\"2\"}\n\"2\"\n", ok("get", "Interface", "p2", "type", "options", "options:n_rxq"));
        fails("ovs-vsctl: Port does not contain a column whose name matches \"foo\"\n", "add-port", "br0", "p3", "foo=1");
        assertEquals("p1\np2\n", ok("list-ports", "br0"), "a failed add-port adds nothing");
    }

    @Test
    void addPortErrors() {
        ok("add-port", "br0", "p1");
        fails("ovs-vsctl: cannot create a port named p1 because a port named p1 already exists on bridge br0\n",
                "add-port", "br0", "p1");
        fails("ovs-vsctl: cannot create a port named br0 because a bridge named br0 already exists\n",
                "add-port", "br0", "br0");
        fails("ovs-vsctl: no bridge named br9\n", "add-port", "br9", "p2");
        fails("ovs-vsctl: port name must not be empty string\n", "add-port", "br0", "");
        assertEquals("", ok("--may-exist", "add-port", "br0", "p1"));
        ok("add-br", "br1");
        fails("ovs-vsctl: \"--may-exist add-port br1 p1\" but p1 is actually attached to bridge br0\n",
                "--may-exist", "add-port", "br1", "p1");
        fails("ovs-vsctl: \"--may-exist add-bond br0 p1 a b\" but p1 actually has interface(s) p1\n",
                "--may-exist", "add-bond", "br0", "p1", "a", "b");
    }

    @Test
    void delPort() {
        ok("add-port", "br0", "p1", "--", "add-port", "br0", "p2");
        ok("del-port", "p1");
        ok("del-port", "br0", "p2");
        assertEquals("", ok("list-ports", "br0"));
        assertEquals("br0\n", ok("--bare", "--columns=name", "list", "Interface"));
        fails("ovs-vsctl: no port named p9\n", "del-port", "p9");
        fails("ovs-vsctl: no port named p9\n", "del-port", "br0", "p9");
        fails("ovs-vsctl: no port named p9\n", "del-port", "br9", "p9");
        fails("ovs-vsctl: cannot delete port br0 because it is the local port for bridge br0 (deleting this port"
                + " requires deleting the entire bridge)\n", "del-port", "br0");
        assertEquals("", ok("--if-exists", "del-port", "p9"));
        ok("add-br", "br1", "--", "add-port", "br1", "p3");
        fails("ovs-vsctl: bridge br0 does not have a port p3\n", "del-port", "br0", "p3");
        ok("add-br", "fb", "br0", "7", "--", "add-port", "fb", "p4");
        fails("ovs-vsctl: bridge br0 does not have a port p4 (although its child bridge fb does)\n", "del-port",
                "br0", "p4");
    }

    @Test
    void lookupErrors() {
        fails("ovs-vsctl: no port named p9\n", "port-to-br", "p9");
        fails("ovs-vsctl: no interface named p9\n", "iface-to-br", "p9");
        fails("ovs-vsctl: no bridge named br9\n", "list-ports", "br9");
        fails("ovs-vsctl: no bridge named br9\n", "list-ifaces", "br9");
        fails("ovs-vsctl: no port named br0\n", "port-to-br", "br0");
    }

    @Test
    void bonds() {
        ok("add-bond", "br0", "bond0", "a", "b", "lacp=active");
        assertEquals("bond0\n", ok("list-ports", "br0"));
        assertEquals("a\nb\n", ok("list-ifaces", "br0"));
        assertEquals("active\n", ok("get", "Port", "bond0", "lacp"));
        assertEquals("br0\n", ok("iface-to-br", "b"));
        fails("ovs-vsctl: add-bond requires at least 2 interfaces, but only 1 were specified\n", "add-bond", "br0",
                "bond1", "c", "lacp=off");
        ok("add-bond-iface", "bond0", "c");
        assertEquals("a\nb\nc\n", ok("list-ifaces", "br0"));
        ok("del-bond-iface", "bond0", "a");
        ok("del-bond-iface", "b");
        fails("ovs-vsctl: cannot delete last interface from port bond0\n", "del-bond-iface", "c");
        ok("--with-iface", "del-port", "c");
        assertEquals("", ok("list-ports", "br0"));
    }
}
