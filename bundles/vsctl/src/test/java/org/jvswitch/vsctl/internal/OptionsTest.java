package org.jvswitch.vsctl.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Global and command options, and command-line errors, with glibc getopt's and db-ctl-base's texts. */
class OptionsTest extends VsctlFixture {
    private void rejects(String stderr, String... argv) {
        assertEquals(new VsctlResult("", stderr, 1), run(argv));
    }

    @Test
    void optionErrors() {
        rejects("ovs-vsctl: option '--timeout' requires an argument\n", "--timeout");
        rejects("ovs-vsctl: value abc on -t or --timeout is invalid\n", "--timeout=abc", "list-br");
        rejects("ovs-vsctl: value 0 on -t or --timeout is invalid\n", "-t", "0", "list-br");
        rejects("ovs-vsctl: option '--no-wait' doesn't allow an argument\n", "--no-wait=1", "list-br");
        rejects("ovs-vsctl: invalid option -- 'x'\n", "-x", "list-br");
        rejects("ovs-vsctl: unrecognized option '--foo'\n", "--foo", "list-br");
        rejects("ovs-vsctl: option '--no' is ambiguous; possibilities: '--no-syslog' '--no-wait' '--no-leader-only'"
                + " '--no-shuffle-remotes' '--no-headings'\n", "--no", "list-br");
        rejects("ovs-vsctl: unknown output format \"xml\"\n", "--format=xml", "list-br");
        rejects("ovs-vsctl: unknown data format \"xml\"\n", "-d", "xml", "list-br");
    }

    @Test
    void commandErrors() {
        rejects("ovs-vsctl: missing command name (use --help for help)\n");
        rejects("ovs-vsctl: missing command name (use --help for help)\n", "--no-wait", "--");
        rejects("ovs-vsctl: missing command name (use --help for help)\n", "--if-exists");
        rejects("ovs-vsctl: unknown command 'foo'; use --help for help\n", "foo");
        rejects("ovs-vsctl: unknown command 'foo'; use --help for help\n", "list-br", "--", "foo");
        rejects("ovs-vsctl: 'list-br' command has no '--if-exists' option\n", "--if-exists", "--", "list-br");
        rejects("ovs-vsctl: 'del-br' command has no '--may-exist' option\n", "--may-exist", "del-br", "x");
        rejects("ovs-vsctl: 'list-br' command takes at most 0 arguments\n", "list-br", "extra");
        rejects("ovs-vsctl: 'list-br' command takes at most 0 arguments (note that options must precede command names"
                + " and follow a \"--\" argument)\n", "list-br", "--if-exists");
        rejects("ovs-vsctl: missing argument to '--id' option on 'get' command\n", "--", "--id", "get", "Bridge", "x");
        rejects("ovs-vsctl: '--if-exists' option on 'get' does not accept an argument\n", "--", "--if-exists=1",
                "get", "Bridge", "x");
        rejects("ovs-vsctl: 'if-exists' option specified multiple times\n", "--if-exists", "--if-exists", "get",
                "Bridge", "x");
    }

    @Test
    void optionsBeforeTheFirstCommandBelongToIt() {
        ok("add-br", "br0");
        assertEquals("", ok("--if-exists", "del-br", "br9", "--", "list-br").replace("br0\n", ""));
        assertEquals("", ok("--", "--if-exists", "del-br", "br9"));
        assertEquals("br0\n", ok("--", "--if-exists", "del-br", "br9", "--", "list-br"));
    }

    @Test
    void helpAndVersion() {
        VsctlResult version = run("--version");
        assertEquals(new VsctlResult("ovs-vsctl (Open vSwitch) 3.1.0\nDB Schema 8.3.1\n", "", 0), version);
        VsctlResult help = run("--help");
        assertEquals(0, help.status());
        assertTrue(help.stdout().startsWith("ovs-vsctl: ovs-vswitchd management utility\n"));
    }

    @Test
    void ignoredProcessOptions() {
        ok("--db=unix:/var/run/openvswitch/db.sock", "-v", "--retry", "add-br", "br0");
        assertEquals("br0\n", ok("list-br"));
    }
}
