package org.jvswitch.vsctl.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** One transaction per invocation: all or nothing, and nothing committed when nothing changes. */
class TransactionTest extends VsctlFixture {
    private long version() {
        return db.snapshot().version();
    }

    @Test
    void failingCommandCommitsNothing() {
        ok("add-br", "br0");
        long before = version();
        fails("ovs-vsctl: no row \"nope\" in table Interface\n", "add-br", "br1", "--", "add-port", "br1", "p1", "--",
                "set", "Interface", "nope", "type=dummy");
        assertEquals(before, version());
        assertEquals("br0\n", ok("list-br"));
        fails("ovs-vsctl: cannot create a port named p1 because a port named p1 already exists on bridge br1\n",
                "add-br", "br1", "--", "add-port", "br1", "p1", "--", "add-port", "br1", "p1");
        assertEquals("br0\n", ok("list-br"));
    }

    @Test
    void laterCommandsSeeEarlierOnes() {
        assertEquals("br0\nbr0\np1\n", ok("add-br", "br0", "--", "list-br", "--", "add-port", "br0", "p1", "--",
                "port-to-br", "p1", "--", "list-ports", "br0"));
    }

    @Test
    void outputIsPrintedOnlyIfEverythingSucceeds() {
        ok("add-br", "br0");
        fails("ovs-vsctl: no bridge named br9\n", "list-br", "--", "list-ports", "br9");
    }

    @Test
    void openVswitchRowIsCreatedOnFirstUse() {
        assertEquals(0, db.snapshot().rows("Open_vSwitch").size());
        assertEquals("", ok("list-br"));
        assertEquals(1, db.snapshot().rows("Open_vSwitch").size());
        assertEquals("0\n", ok("get", "Open_vSwitch", ".", "next_cfg"), "--no-wait does not bump next_cfg");
    }

    @Test
    void unchangedTransactionIsNotCommittedAndDoesNotWait() {
        ok("add-br", "br0");
        long before = version();
        // No --no-wait and no switch: a real change would wait and time out; a no-op returns at once.
        assertEquals(new VsctlResult("", "", 0), run("set", "Bridge", "br0", "stp_enable=false"));
        assertEquals(new VsctlResult("br0\n", "", 0), run("list-br"));
        assertEquals(before, version());
    }

    @Test
    void dryRunCommitsNothing() {
        assertEquals("", ok("--dry-run", "add-br", "br5"));
        assertEquals("", ok("list-br"));
        assertEquals(new VsctlResult("", "", 0), run("--dry-run", "add-br", "br5"), "a dry run does not wait");
    }

    @Test
    void brExistsAbortsEverything() {
        assertEquals(new VsctlResult("", "", 2), run("--no-wait", "add-br", "br0", "--", "br-exists", "br9"));
        assertEquals("", ok("list-br"));
    }
}
