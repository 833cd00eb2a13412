package org.jvswitch.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.jvswitch.api.netdev.NetdevProvider;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceRegistration;

/**
 * The reason jvswitch exists: port types are bundles that come and go while the switch forwards.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class HotDeployIT extends JvswitchTestSupport {
    private static final String UNKNOWN_TYPE_ERROR =
            "could not open network device p1 (Address family not supported by protocol)";

    @Configuration
    public Option[] config() {
        return distribution(false);
    }

    @Test
    public void aPortOfAMissingTypeOpensWhenItsBundleStarts() throws Exception {
        Bundle dummy = bundle(DUMMY);
        assertTrue("netdev-dummy must not run yet", dummy.getState() != Bundle.ACTIVE);
        vsctl("add-br", "br0", "--", "set", "bridge", "br0", "datapath_type=netdev");
        String out = vsctl("add-port", "br0", "p1", "--", "set", "Interface", "p1", "type=dummy");
        assertTrue(out, out.contains("Error detected while setting up 'p1': " + UNKNOWN_TYPE_ERROR));
        assertTrue(error("p1"), error("p1").startsWith(UNKNOWN_TYPE_ERROR));
        assertTrue(error("p1"), error("p1").contains("could not create netdev p1 of unknown type dummy"));
        assertEquals(-1, ofport("p1"));

        dummy.start();
        await(() -> ofport("p1") >= 1 && error("p1").isEmpty(), "p1 opened once netdev-dummy runs");

        vsctl("add-port", "br0", "p2", "--", "set", "Interface", "p2", "type=dummy");
        String f = frame("50:54:00:00:00:01", "ff:ff:ff:ff:ff:ff");
        appctl("netdev-dummy/receive", "p1", f);
        await(() -> txDump("p2").contains(f), "broadcast from p1 flooded out of p2");
        assertEquals("no hairpin: nothing back out of p1", "", appctl("netdev-dummy/tx-dump", "p1"));
    }

    private final StringBuilder captured = new StringBuilder();

    /** Accumulates what a dummy port sent (tx-dump forgets what it printed). */
    private String txDump(String port) {
        try {
            captured.append(appctl("netdev-dummy/tx-dump", port));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        return captured.toString();
    }

    @Test
    public void stoppingABundleDetachesItsPortsAndLeavesOtherTrafficAlone() throws Exception {
        TestPairProvider pairs = new TestPairProvider();
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(NetdevProvider.TYPE_PROPERTY, TestPairProvider.TYPE);
        ServiceRegistration<NetdevProvider> reg = ctx.registerService(NetdevProvider.class, pairs, props);
        try {
            bundle(DUMMY).start();
            vsctl("add-br", "br0", "--", "set", "bridge", "br0", "datapath_type=netdev",
                    "--", "set", "Open_vSwitch", ".", "other_config:pmd-maxsleep=1000");
            vsctl("add-port", "br0", "t1", "--", "set", "Interface", "t1", "type=" + TestPairProvider.TYPE);
            vsctl("add-port", "br0", "t2", "--", "set", "Interface", "t2", "type=" + TestPairProvider.TYPE);
            vsctl("add-port", "br0", "p1", "--", "set", "Interface", "p1", "type=dummy-pmd");
            vsctl("add-port", "br0", "p2", "--", "set", "Interface", "p2", "type=dummy");
            await(() -> ofport("p1") >= 1 && ofport("t2") >= 1, "ports up");
            assertEquals(1, memory("pmd-threads"));

            // Teach the switch where 50:54:00:00:00:02 lives, so t1 -> t2 traffic is unicast.
            TestPairProvider.Port t1 = pairs.port("t1");
            TestPairProvider.Port t2 = pairs.port("t2");
            t2.inject(bytes(frame("50:54:00:00:00:02", "ff:ff:ff:ff:ff:ff")));
            await(() -> t1.sent() == 1, "t2's broadcast reached t1");
            long t2Before = t2.sent();

            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong injected = new AtomicLong();
            byte[] unicast = bytes(frame("50:54:00:00:00:01", "50:54:00:00:00:02"));
            Thread traffic = new Thread(() -> {
                while (!stop.get()) {
                    if (t1.inject(unicast)) {
                        injected.incrementAndGet();
                    } else {
                        Thread.onSpinWait();
                    }
                }
            }, "test-traffic");
            traffic.start();
            try {
                await(() -> injected.get() > 1000, "traffic flowing");
                bundle(DUMMY).stop();
                await(() -> injected.get() > 5000, "traffic flowing after the stop");
            } finally {
                stop.set(true);
                traffic.join();
            }
            await(() -> t2.sent() - t2Before == injected.get(), "every injected packet out of t2");
            assertEquals(injected.get(), t2.sent() - t2Before);

            await(() -> error("p1").startsWith("could not open network device p1 (Address family not supported by protocol)")
                    && ofport("p2") == -1, "dummy ports in error");
            assertEquals(0, memory("pmd-threads"));

            bundle(DUMMY).start();
            await(() -> ofport("p1") >= 1 && ofport("p2") >= 1 && error("p2").isEmpty(), "dummy ports back");
            assertEquals(1, memory("pmd-threads"));
        } finally {
            reg.unregister();
        }
    }

    @Test
    public void restartingTheDatapathBundleKeepsPortsAndTheirNumbers() throws Exception {
        bundle(DUMMY).start();
        vsctl("add-br", "br0", "--", "set", "bridge", "br0", "datapath_type=netdev");
        vsctl("add-port", "br0", "p1", "--", "set", "Interface", "p1", "type=dummy");
        vsctl("add-port", "br0", "p2", "--", "set", "Interface", "p2", "type=dummy");
        vsctl("add-port", "br0", "p3", "--", "set", "Interface", "p3", "type=dummy");
        await(() -> ofport("p3") >= 1, "ports up");
        vsctl("del-port", "br0", "p1");
        long p2 = ofport("p2");
        long p3 = ofport("p3");
        Bundle core = bundle("jvswitch-core-dpif");
        core.stop();
        core.start();
        // The bridge comes back when the datapath does, and the ports keep their OpenFlow numbers.
        await(() -> dpifShow().contains("    p2 " + p2 + "/") && dpifShow().contains("    p3 " + p3 + "/"),
                "ports back in the datapath with the same OpenFlow numbers: " + dpifShow());
        assertEquals(p2, ofport("p2"));
        // The status columns are written after the ports are back (the next status pass).
        await(() -> error("p3").isEmpty(), "p3's error cleared: " + error("p3"));
        String f = frame("50:54:00:00:00:01", "ff:ff:ff:ff:ff:ff");
        appctl("netdev-dummy/receive", "p2", f);
        await(() -> txDump("p3").contains(f), "forwarding again");
    }

    @Test
    public void fiftyStopStartCyclesLeaveNothingBehind() throws Exception {
        Bundle dummy = bundle(DUMMY);
        dummy.start();
        vsctl("add-br", "br0", "--", "set", "bridge", "br0", "datapath_type=netdev",
                "--", "set", "Open_vSwitch", ".", "other_config:pmd-maxsleep=1000");
        vsctl("add-port", "br0", "p1", "--", "set", "Interface", "p1", "type=dummy");
        vsctl("add-port", "br0", "p2", "--", "set", "Interface", "p2", "type=dummy-pmd");
        await(() -> ofport("p1") >= 1 && ofport("p2") >= 1, "ports up");
        String f = frame("50:54:00:00:00:01", "ff:ff:ff:ff:ff:ff");

        cycle(dummy, f);
        int threads = Thread.activeCount();
        long services = ctx.getServiceReferences((String) null, null).length;
        long pools = memory("packet-buffer-pools");
        long bytes = memory("packet-buffer-bytes");
        long t0 = System.nanoTime();
        for (int i = 1; i < 50; i++) {
            cycle(dummy, f);
        }
        long cycleMillis = (System.nanoTime() - t0) / 1_000_000 / 49;
        System.gc();
        Runtime rt = Runtime.getRuntime();
        System.out.printf("50 stop/start cycles of netdev-dummy: %d ms per cycle (stop, detach, start, reattach, forward);"
                + " after: %d threads (before: %d), heap used %d MiB, %d services, %d packet buffer pools%n",
                cycleMillis, Thread.activeCount(), threads, (rt.totalMemory() - rt.freeMemory()) >> 20,
                ctx.getServiceReferences((String) null, null).length, memory("packet-buffer-pools"));
        assertEquals("services", services, ctx.getServiceReferences((String) null, null).length);
        assertEquals("packet buffer pools", pools, memory("packet-buffer-pools"));
        assertEquals("packet buffer bytes", bytes, memory("packet-buffer-bytes"));
        assertEquals("buffers in use", 0, memory("packet-buffers-in-use"));
        assertEquals("pmd threads", 1, memory("pmd-threads"));
        await(() -> Thread.activeCount() <= threads, "threads back to " + threads + " (now " + Thread.activeCount() + ")");
        List<String> pmds = Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                .filter(n -> n.startsWith("pmd-")).toList();
        assertEquals(pmds.toString(), 1, pmds.size());
    }

    private String dpifShow() {
        try {
            return appctl("dpif/show");
        } catch (Exception e) {
            return e.toString();   // the ofproto bundle's command may be re-registering
        }
    }

    /** Stops and starts the dummy bundle and checks a packet crosses the bridge again. */
    private void cycle(Bundle dummy, String frame) throws Exception {
        dummy.stop();
        await(() -> ofport("p1") == -1 && ofport("p2") == -1, "ports detached");
        dummy.start();
        await(() -> ofport("p1") >= 1 && ofport("p2") >= 1, "ports reattached");
        appctl("netdev-dummy/receive", "p1", frame);
        captured.setLength(0);
        await(() -> txDump("p2").contains(frame), "packet forwarded after restart");
    }
}
