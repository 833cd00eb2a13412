package org.jvswitch.vsctl.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** get, set, add, remove, clear, create, destroy, find, list: values in ovs-vsctl's syntax and its error texts. */
class DbCommandsTest extends VsctlFixture {
    @BeforeEach
    void bridgeWithPort() {
        ok("add-br", "br0");
        ok("add-port", "br0", "p1");
    }

    @Test
    void getValuesAndKeys() {
        ok("set", "Interface", "p1", "type=dummy", "options:n_rxq=2", "options:remote_ip=1.2.3.4");
        assertEquals("dummy\n", ok("get", "Interface", "p1", "type"));
        assertEquals("{n_rxq=\"2\", remote_ip=\"1.2.3.4\"}\n", ok("get", "Interface", "p1", "options"));
        assertEquals("\"2\"\n", ok("get", "Interface", "p1", "options:n_rxq"));
        assertEquals("[]\n", ok("get", "Interface", "p1", "ofport"));
        assertEquals(uuidOf("Interface", "p1") + "\n", ok("get", "Interface", "p1", "_uuid"));
        assertEquals("0\n", ok("get", "Interface", "p1", "ingress_policing_rate"));
        assertEquals("false\n", ok("get", "Port", "p1", "fake_bridge"));
        fails("ovs-vsctl: no row \"x\" in table Interface\n", "get", "Interface", "x", "name");
        fails("ovs-vsctl: Interface does not contain a column whose name matches \"foo\"\n", "get", "Interface", "p1",
                "foo");
        fails("ovs-vsctl: no key \"zz\" in Interface record \"p1\" column options\n", "get", "Interface", "p1",
                "options:zz");
        assertEquals("\n", ok("--if-exists", "get", "Interface", "p1", "options:zz"));
        assertEquals("", ok("--if-exists", "get", "Interface", "x", "name"));
        fails("ovs-vsctl: cannot specify key to get for non-map column tag\n", "get", "Port", "p1", "tag:x");
        fails("ovs-vsctl: 'get' command requires at least 2 arguments\n", "get", "Interface");
    }

    @Test
    void tableAndColumnNamesMayBeAbbreviated() {
        assertEquals("p1\n", ok("get", "Interface", "p1", "name"));
        assertEquals("p1\n", ok("get", "interface", "p1", "name"));
        assertEquals("p1\n", ok("get", "Int", "p1", "nam"));
        ok("set", "Bridge", "br0", "other-config:a=b");
        assertEquals("b\n", ok("get", "bridge", "br0", "other_config:a"));
        fails("ovs-vsctl: \"F\" matches multiple table names: Flow_Sample_Collector_Set, Flow_Table\n", "list", "F");
        fails("ovs-vsctl: unknown table \"Foo\"\n", "list", "Foo");
        fails("ovs-vsctl: Interface contains more than one column whose name matches \"in\": ingress_policing_burst,"
                + " ingress_policing_kpkts_burst, ingress_policing_kpkts_rate, ingress_policing_rate\n",
                "--columns=in", "list", "Interface");
    }

    @Test
    void openVswitchRowIsDot() {
        ok("set", "Open_vSwitch", ".", "other_config:pmd-cpu-mask=0x2");
        assertEquals("{pmd-cpu-mask=\"0x2\"}\n", ok("get", "Open_vSwitch", ".", "other_config"));
        assertEquals("\"0x2\"\n", ok("get", "Open_vSwitch", ".", "other_config:pmd-cpu-mask"));
        ok("set", "Open_vSwitch", ".", "other_config:dpdk-init=true");
        assertEquals("{dpdk-init=\"true\", pmd-cpu-mask=\"0x2\"}\n", ok("get", "Open_vSwitch", ".", "other_config"));
        fails("ovs-vsctl: no row \".\" in table Port\n", "get", "Port", ".", "name");
    }

    @Test
    void setValueSyntax() {
        ok("set", "Interface", "p1", "options={a=b, c=\"d e\"}");
        assertEquals("{a=b, c=\"d e\"}\n", ok("get", "Interface", "p1", "options"));
        ok("set", "Interface", "p1", "options={}");
        assertEquals("{}\n", ok("get", "Interface", "p1", "options"));
        ok("set", "Port", "p1", "trunks=[1-3,7]");
        assertEquals("[1, 2, 3, 7]\n", ok("get", "Port", "p1", "trunks"));
        ok("set", "Port", "p1", "trunks=10,20", "tag=5");
        assertEquals("[10, 20]\n5\n", ok("get", "Port", "p1", "trunks", "tag"));
        ok("set", "Bridge", "br0", "stp_enable=yes");
        assertEquals("true\n", ok("get", "Bridge", "br0", "stp_enable"));
        ok("set", "Bridge", "br0", "external_ids:x=\"a\\u0041\\n\\\"b\"");
        assertEquals("\"aA\\n\\\"b\"\n", ok("get", "Bridge", "br0", "external_ids:x"));
        ok("set", "Bridge", "br0", "protocols=OpenFlow10,OpenFlow13");
        assertEquals("[OpenFlow10, OpenFlow13]\n", ok("get", "Bridge", "br0", "protocols"));
    }

    @Test
    void setErrors() {
        fails("ovs-vsctl: Interface does not contain a column whose name matches \"foo\"\n", "set", "Interface", "p1",
                "foo=1");
        fails("ovs-vsctl: cannot modify read-only column name in table Interface\n", "set", "Interface", "p1", "name=x");
        fails("ovs-vsctl: \"abc\" is not a valid integer or range\n", "set", "Interface", "p1", "mtu_request=abc");
        fails("ovs-vsctl: mtu_request: argument does not end in \"=\" followed by a value.\n", "set", "Interface", "p1",
                "mtu_request");
        fails("ovs-vsctl: options:a: argument does not end in \"=\" followed by a value.\n", "set", "Interface", "p1",
                "options:a");
        fails("ovs-vsctl: constraint violation: 5000 is not in the valid range 0 to 4095 (inclusive)\n", "set", "Port",
                "p1", "tag=5000");
        fails("ovs-vsctl: constraint violation: bogus is not one of the allowed values ([access, dot1q-tunnel,"
                + " native-tagged, native-untagged, trunk])\n", "set", "Port", "p1", "vlan_mode=bogus");
        fails("ovs-vsctl: constraint violation: -1 is less than minimum allowed value 0\n", "set", "Interface", "p1",
                "ingress_policing_rate=-1");
        fails("ovs-vsctl: {a=b: missing \"}\" at end of data\n", "set", "Bridge", "br0", "other_config={a=b");
        fails("ovs-vsctl: a: syntax error at \"\n", "set", "Bridge", "br0", "other_config=a");
        fails("ovs-vsctl: {a=b,a=c}: map contains duplicate key\n", "set", "Bridge", "br0", "other_config={a=b,a=c}");
        fails("ovs-vsctl: 1,1: set contains duplicate value\n", "set", "Bridge", "br0", "flood_vlans=1,1");
        fails("ovs-vsctl: [a]: unexpected \"[\" parsing map of (string, string) pairs\n", "set", "Bridge", "br0",
                "other_config=[a]");
        fails("ovs-vsctl: {1}: unexpected \"{\" parsing set of up to 4096 integers\n", "set", "Port", "p1",
                "trunks={1}");
        fails("ovs-vsctl: []: 0 value(s) specified but the minimum number is 1\n", "set", "Bridge", "br0",
                "datapath_type=[]");
        fails("ovs-vsctl: An empty string is not valid as input; use \"\" to represent the empty string\n", "set",
                "Bridge", "br0", "other_config:=x");
        fails("ovs-vsctl: \"abc: missing quote at end of quoted string\n", "set", "Bridge", "br0",
                "external_ids:x=\"abc");
        fails("ovs-vsctl: \"maybe\" is not a valid boolean (use \"true\" or \"false\")\n", "set", "Bridge", "br0",
                "stp_enable=maybe");
        fails("ovs-vsctl: \"xyz\" is not a valid UUID\n", "set", "Bridge", "br0", "ports=xyz");
        fails("ovs-vsctl: cannot specify key to set for non-map column tag\n", "set", "Port", "p1", "tag:x=1");
        fails("ovs-vsctl: :a=x: missing column name\n", "set", "Bridge", "br0", ":a=x");
        fails("ovs-vsctl: no row \"nope\" in table Bridge\n", "set", "Bridge", "nope", "stp_enable=true");
        assertEquals("", ok("--if-exists", "set", "Bridge", "nope", "stp_enable=true"));
    }

    @Test
    void addRemoveClear() {
        ok("add", "Port", "p1", "trunks", "7", "8");
        ok("add", "Port", "p1", "trunks", "1-3");
        assertEquals("[1, 2, 3, 7, 8]\n", ok("get", "Port", "p1", "trunks"));
        ok("remove", "Port", "p1", "trunks", "7", "1-2");
        assertEquals("[3, 8]\n", ok("get", "Port", "p1", "trunks"));

        ok("add", "Bridge", "br0", "other_config", "a=1", "b=2");
        ok("add", "Bridge", "br0", "other_config", "a=9");
        assertEquals("{a=\"1\", b=\"2\"}\n", ok("get", "Bridge", "br0", "other_config"), "add keeps existing keys");
        ok("remove", "Bridge", "br0", "other_config", "a");
        ok("remove", "Bridge", "br0", "other_config", "b=3");
        assertEquals("{b=\"2\"}\n", ok("get", "Bridge", "br0", "other_config"), "a pair is removed only if it matches");
        ok("remove", "Bridge", "br0", "other_config", "b=2");
        assertEquals("{}\n", ok("get", "Bridge", "br0", "other_config"));

        ok("set", "Port", "p1", "tag=5");
        fails("ovs-vsctl: \"add\" operation would put 2 values in column tag of table Port but the maximum number is 1\n",
                "add", "Port", "p1", "tag", "7", "--", "list-br");
        VsctlResult r = run("--no-wait", "add", "Port", "p1", "tag", "7");
        assertEquals(1, r.status());
        assertEquals("TS|00002|ovsdb_idl|WARN|transaction error: {\"details\":\"Attempted to store 2 elements in set of"
                + " up to 1 integers.\",\"error\":\"constraint violation\"}\n"
                + "ovs-vsctl: transaction error: {\"details\":\"Attempted to store 2 elements in set of up to 1"
                + " integers.\",\"error\":\"constraint violation\"}\n", normalize(r.stderr()));

        ok("clear", "Port", "p1", "tag", "trunks");
        assertEquals("[]\n[]\n", ok("get", "Port", "p1", "tag", "trunks"));
        fails("ovs-vsctl: \"clear\" operation cannot be applied to column datapath_type of table Bridge, which is not"
                + " allowed to be empty\n", "clear", "Bridge", "br0", "datapath_type");
        fails("ovs-vsctl: cannot modify read-only column name in table Bridge\n", "clear", "Bridge", "br0", "name");
        fails("ovs-vsctl: cannot modify read-only column name in table Bridge\n", "remove", "Bridge", "br0", "name",
                "br0");
        fails("ovs-vsctl: \"remove\" operation would put 0 values in column datapath_type of table Bridge but the"
                + " minimum number is 1\n", "remove", "Bridge", "br0", "datapath_type", "\"\"");
    }

    @Test
    void createWithForwardReferences() {
        ok("add-port", "br0", "eth1", "--", "add-port", "br0", "eth2");
        // The example of ovs-vsctl(8): @m is used before the create that defines it.
        String out = ok("--", "set", "Bridge", "br0", "mirrors=@m", "--", "--id=@eth1", "get", "Port", "eth1", "--",
                "--id=@eth2", "get", "Port", "eth2", "--", "--id=@m", "create", "Mirror", "name=mymirror",
                "select-dst-port=@eth1", "select-src-port=@eth1", "output-port=@eth2");
        String mirror = uuidOf("Mirror", "mymirror");
        assertEquals(mirror + "\n", out);
        assertEquals("[" + mirror + "]\n", ok("get", "Bridge", "br0", "mirrors"));
        assertEquals("[" + uuidOf("Port", "eth1") + "]\n" + uuidOf("Port", "eth2") + "\n",
                ok("get", "Mirror", "mymirror", "select_dst_port", "output_port"));
    }

    @Test
    void createErrorsAndWarnings() {
        fails("ovs-vsctl: row id \"@m\" is referenced but never created (e.g. with \"-- --id=@m create ...\")\n",
                "set", "Bridge", "br0", "mirrors=@m");
        fails("ovs-vsctl: row id \"@x\" may only be specified on one --id option\n", "--id=@x", "create", "Bridge",
                "name=zz", "--", "--id=@x", "create", "Bridge", "name=yy");
        fails("ovs-vsctl: row id \"x\" does not begin with \"@\"\n", "--id=x", "create", "Bridge", "name=zz");
        fails("ovs-vsctl: row id \"@q\" specified on \"get\" command was used before it was defined\n", "set", "Bridge",
                "br0", "mirrors=@q", "--", "--id=@q", "get", "Port", "p1");
        fails("ovs-vsctl: --if-exists and --id may not be specified together\n", "--if-exists", "--id=@a", "get",
                "Bridge", "br0");

        VsctlResult r = run("--no-wait", "create", "Bridge", "name=zz");
        assertEquals(0, r.status());
        assertEquals("TS|00002|db_ctl_base|WARN|applying \"create\" command to table Bridge without --id option will"
                + " have no effect\n", normalize(r.stderr()));
        r = run("--no-wait", "--id=@x", "create", "Bridge", "name=zz");
        assertEquals("TS|00002|vsctl|WARN|row id \"@x\" was created but no reference to it was inserted, so it will not"
                + " actually appear in the database\n", normalize(r.stderr()));
        assertEquals("br0\n", ok("list-br"));
        assertEquals("br0\n", ok("--bare", "--columns=name", "list", "Bridge"), "unreferenced bridges are collected");
    }

    @Test
    void destroy() {
        String qos = ok("--", "set", "Port", "p1", "qos=@q", "--", "--id=@q", "create", "QoS", "type=linux-htb");
        assertEquals("linux-htb\n", ok("get", "QoS", "p1", "type"), "QoS rows are found by their port's name");
        VsctlResult r = run("--no-wait", "destroy", "QoS", "p1");
        assertEquals(1, r.status());
        assertEquals("TS|00002|ovsdb_idl|WARN|transaction error: {\"details\":\"cannot delete QoS row <0> because of 1"
                + " remaining reference(s)\",\"error\":\"referential integrity violation\"}\n"
                + "ovs-vsctl: transaction error: {\"details\":\"cannot delete QoS row <0> because of 1 remaining"
                + " reference(s)\",\"error\":\"referential integrity violation\"}\n", normalize(r.stderr()));
        ok("--", "destroy", "QoS", qos.strip(), "--", "clear", "Port", "p1", "qos");
        assertEquals("", ok("list", "QoS"));

        assertEquals("", ok("destroy", "Port", "p1"), "a port still on a bridge is not deleted");
        assertEquals("p1\n", ok("list-ports", "br0"));

        ok("create", "Queue", "dscp=1", "--", "create", "Queue", "dscp=2");
        ok("--all", "destroy", "Queue");
        assertEquals("", ok("list", "Queue"));
        fails("ovs-vsctl: --all and records argument should not be specified together\n", "--all", "destroy", "QoS",
                "x");
        fails("ovs-vsctl: --all and --if-exists should not be specified together\n", "--all", "--if-exists",
                "destroy", "QoS");
        r = run("--no-wait", "destroy", "Bridge");
        assertEquals(new VsctlResult("", "TS|00002|db_ctl_base|WARN|either --all or records argument should be"
                + " specified\n", 0), new VsctlResult(r.stdout(), normalize(r.stderr()), r.status()));
    }

    @Test
    void find() {
        ok("add-port", "br0", "p2", "--", "set", "Port", "p1", "tag=5", "--", "set", "Port", "p2", "tag=6");
        ok("set", "Interface", "p1", "type=dummy");
        assertEquals("name                : p1\n", ok("--columns=name", "find", "Port", "tag=5"));
        assertEquals("name                : p1\n\nname                : p2\n", ok("--columns=name", "find", "Port",
                "tag>1"));
        assertEquals("br0\n\np2\n", ok("--bare", "--columns=name", "find", "Port", "tag{!=}[5]"));
        assertEquals("p1\n", ok("--bare", "--columns=name", "find", "Interface", "type=dummy"));
        assertEquals("br0\n\np2\n", ok("--bare", "--columns=name", "find", "Interface", "type!=dummy"));
        assertEquals("br0\n", ok("--bare", "--columns=name", "find", "Port", "tag=[]"));
        ok("set", "Port", "p2", "other_config:a=b");
        assertEquals("p2\n", ok("--bare", "--columns=name", "find", "Port", "other_config:a=b"));
        assertEquals("br0\n\np1\n", ok("--bare", "--columns=name", "find", "Port", "other_config:a{=}[]"));
        fails("ovs-vsctl: tag: argument does not end in \"=\", \"!=\", \"<\", \">\", \"<=\", \">=\", \"{=}\", \"{!=}\","
                + " \"{<}\", \"{>}\", \"{<=}\", \"{>=}\", \"{in}\", or \"{not-in}\" followed by a value.\n", "find",
                "Port", "tag");
        fails("ovs-vsctl: cannot specify key to check for non-map column tag\n", "find", "Port", "tag:x=1");
    }

    @Test
    void listFormat() {
        ok("set", "Port", "p1", "tag=5");
        String uuid = uuidOf("Port", "p1");
        String iface = uuidOf("Interface", "p1");
        assertEquals("_uuid               : " + uuid + "\n"
                + "bond_active_slave   : []\n"
                + "bond_downdelay      : 0\n"
                + "bond_fake_iface     : false\n"
                + "bond_mode           : []\n"
                + "bond_updelay        : 0\n"
                + "cvlans              : []\n"
                + "external_ids        : {}\n"
                + "fake_bridge         : false\n"
                + "interfaces          : [" + iface + "]\n"
                + "lacp                : []\n"
                + "mac                 : []\n"
                + "name                : p1\n"
                + "other_config        : {}\n"
                + "protected           : false\n"
                + "qos                 : []\n"
                + "rstp_statistics     : {}\n"
                + "rstp_status         : {}\n"
                + "statistics          : {}\n"
                + "status              : {}\n"
                + "tag                 : 5\n"
                + "trunks              : []\n"
                + "vlan_mode           : []\n", ok("list", "Port", "p1"));
        assertEquals("name                : p1\nofport              : []\noptions             : {}\n",
                ok("--columns=name,ofport,options", "list", "Interface", "p1"));
        assertEquals("mcast_snooping_enable: false\n", ok("--columns=mcast", "list", "Bridge"),
                "long column names push the colon");
        fails("ovs-vsctl: no row \"nope\" in table Port\n", "list", "Port", "nope");
        assertEquals("name                : p1\n", ok("--if-exists", "--columns=name", "list", "Port", "p1", "nope"));
        fails("ovs-vsctl: must specify at least one column name\n", "--columns=", "list", "Bridge");
    }

    @Test
    void commentDoesNothing() {
        assertEquals("", ok("comment", "hello", "world"));
    }
}
