package org.jvswitch.vsctl.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** --format, --data, --bare, --no-headings, --oneline, as lib/table.c and ovs-vsctl print them. */
class OutputFormatTest extends VsctlFixture {
    @BeforeEach
    void ports() {
        ok("add-br", "br0", "--", "add-port", "br0", "p1", "--", "set", "Interface", "p1", "type=dummy",
                "options:n_rxq=2");
    }

    @Test
    void table() {
        assertEquals("""
                name type     options
                ---- -------- -----------
                br0  internal {}
                p1   dummy    {n_rxq="2"}
                """, ok("-f", "table", "--columns=name,type,options", "list", "Interface"));
        assertEquals("br0 internal\np1  dummy\n",
                ok("--format=table", "--no-headings", "--columns=name,type", "list", "Interface"));
        assertEquals("""
                name options
                ---- -----------------------
                "p1" ["map",[["n_rxq","2"]]]
                """, ok("-f", "table", "-d", "json", "--columns=name,options", "list", "Interface", "p1"));
    }

    @Test
    void csv() {
        assertEquals("name,type,options\nbr0,internal,{}\np1,dummy,\"{n_rxq=\"\"2\"\"}\"\n",
                ok("-f", "csv", "--columns=name,type,options", "list", "Interface"));
    }

    @Test
    void json() {
        String uuid = uuidOf("Interface", "p1");
        assertEquals("{\"data\":[[[\"uuid\",\"" + uuid + "\"],\"p1\",[\"map\",[[\"n_rxq\",\"2\"]]],[\"set\",[]]]],"
                + "\"headings\":[\"_uuid\",\"name\",\"options\",\"ofport\"]}\n",
                ok("-f", "json", "--columns=_uuid,name,options,ofport", "list", "Interface", "p1"));
        assertEquals("""
                {
                  "data": [
                    [
                      "p1",
                      [
                        "set",
                        []]]],
                  "headings": [
                    "name",
                    "ofport"]}
                """, ok("-f", "json", "--pretty", "--columns=name,ofport", "list", "Interface", "p1"));
    }

    @Test
    void bare() {
        assertEquals("p1\n", ok("--bare", "--columns=name", "find", "Interface", "type=dummy"));
        assertEquals("p1\nn_rxq=2\n\n", ok("--bare", "--columns=name,options,ofport", "list", "Interface", "p1"));
    }

    @Test
    void consecutiveTablesAreSeparated() {
        assertEquals("name                : br0\n\nname                : p1\n",
                ok("--columns=name", "list", "Port", "br0", "--", "--columns=name", "list", "Port", "p1"));
        assertEquals("name\n----\nbr0\n\nname\n----\np1\n",
                ok("-f", "table", "--columns=name", "list", "Port", "br0", "--", "--columns=name", "list", "Port", "p1"));
    }

    @Test
    void oneline() {
        ok("set", "Interface", "p1", "options:remote_ip=1.2.3.4");
        assertEquals("{n_rxq=\"2\", remote_ip=\"1.2.3.4\"}\\np1\nbr0\n\"1.2.3.4\"\n",
                ok("--oneline", "get", "Interface", "p1", "options", "name", "--", "list-br", "--", "get", "Interface",
                        "p1", "options:remote_ip"));
        assertEquals("\nbr0\n", ok("--oneline", "set", "Bridge", "br0", "stp_enable=false", "--", "list-br"),
                "each command prints one line, even an empty one");
    }
}
