package org.jvswitch.itests;

import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.mavenBundle;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.systemPackages;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.BooleanSupplier;

import javax.inject.Inject;

import org.jvswitch.api.ovsdb.DbRow;
import org.jvswitch.api.ovsdb.Ovsdb;
import org.jvswitch.api.unixctl.UnixctlCommand;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.options.MavenArtifactProvisionOption;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * What every integration test shares: the distribution's bundles in a real Felix framework with a
 * fresh state directory, and helpers that drive it the way a user does (shell command lines,
 * control commands, database rows).
 */
public abstract class JvswitchTestSupport {
    static final String VERSION = System.getProperty("project.version");
    static final String DUMMY = "jvswitch-netdev-dummy";

    @Inject
    protected BundleContext ctx;

    @Inject
    protected Ovsdb db;

    /**
     * Pax Exam evaluates the configuration once per class, so tests of a class share the state
     * directory: each starts from a database without bridges.
     */
    @org.junit.Before
    public void startFromAnEmptySwitch() throws Exception {
        vsctl("--if-exists", "del-br", "br0");
    }

    static MavenArtifactProvisionOption jvs(String artifact) {
        return mavenBundle("org.jvswitch", artifact, VERSION);
    }

    /** The base distribution; {@code dummyStarted} false installs netdev-dummy without starting it. */
    static Option[] distribution(boolean dummyStarted) {
        String var;
        try {
            var = Files.createTempDirectory("jvswitch-it").toString();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        String slf4j = "2.0.17";
        List<Option> o = new ArrayList<>(List.of(
                systemProperty("jvswitch.var").value(var),
                systemPackages("org.slf4j;version=" + slf4j, "org.slf4j.spi;version=" + slf4j,
                        "org.slf4j.event;version=" + slf4j, "org.slf4j.helpers;version=" + slf4j),
                mavenBundle("org.osgi", "org.osgi.util.function", "1.2.0"),
                mavenBundle("org.osgi", "org.osgi.util.promise", "1.3.0"),
                mavenBundle("org.osgi", "org.osgi.service.component", "1.5.1"),
                mavenBundle("org.apache.felix", "org.apache.felix.scr", "2.2.12"),
                mavenBundle("org.apache.felix", "org.apache.felix.gogo.runtime", "1.1.6"),
                mavenBundle("com.fasterxml.jackson.core", "jackson-annotations", "2.18.2"),
                mavenBundle("com.fasterxml.jackson.core", "jackson-core", "2.18.2"),
                mavenBundle("com.fasterxml.jackson.core", "jackson-databind", "2.18.2"),
                jvs("jvswitch-api"),
                jvs("jvswitch-core-dpif"),
                jvs("jvswitch-ovsdb"),
                jvs("jvswitch-ofproto"),
                jvs("jvswitch-vswitchd"),
                jvs("jvswitch-ctl"),
                jvs("jvswitch-vsctl"),
                dummyStarted ? jvs(DUMMY) : jvs(DUMMY).noStart(),
                junitBundles()));
        return options(o.toArray(new Option[0]));
    }

    protected Bundle bundle(String symbolicName) {
        for (Bundle b : ctx.getBundles()) {
            if (symbolicName.equals(b.getSymbolicName())) {
                return b;
            }
        }
        throw new AssertionError("no bundle " + symbolicName);
    }

    /** Runs a control command as ovs-appctl would, returning its reply text. */
    protected String appctl(String command, String... args) throws Exception {
        long deadline = System.currentTimeMillis() + 10_000;
        while (true) {
            Collection<ServiceReference<UnixctlCommand>> refs =
                    ctx.getServiceReferences(UnixctlCommand.class, "(" + UnixctlCommand.NAME_PROPERTY + "=" + command + ")");
            if (!refs.isEmpty()) {
                ServiceReference<UnixctlCommand> ref = refs.iterator().next();
                UnixctlCommand c = ctx.getService(ref);
                try {
                    return c.execute(List.of(args));
                } finally {
                    ctx.ungetService(ref);
                }
            }
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("no control command " + command);
            }
            Thread.sleep(20);
        }
    }

    /** Runs one shell command line as {@code bin/jvswitch shell} does; a failing command throws. */
    protected String shell(String line) throws Exception {
        return appctl("shell/run", line);
    }

    /** {@code vsctl:vsctl ARGS}: each argument quoted so the shell passes it literally. */
    protected String vsctl(String... argv) throws Exception {
        StringBuilder line = new StringBuilder("vsctl:vsctl");
        for (String a : argv) {
            line.append(" '").append(a.replace("'", "\\'")).append('\'');
        }
        return shell(line.toString());
    }

    protected DbRow iface(String name) {
        return db.snapshot().find("Interface", "name", name);
    }

    protected long ofport(String name) {
        DbRow r = iface(name);
        return r == null ? Long.MIN_VALUE : r.getLong("ofport", Long.MIN_VALUE);
    }

    protected String error(String name) {
        DbRow r = iface(name);
        return r == null ? null : r.getString("error");
    }

    protected static void await(BooleanSupplier cond, String what) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 20_000;
        while (!cond.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(10);
        }
    }

    /** A 64-byte Ethernet/IPv4/UDP frame as hex, from MAC {@code src} to {@code dst}. */
    protected static String frame(String src, String dst) {
        return dst.replace(":", "") + src.replace(":", "") + "0800"
                + "45000032000000004011" + "0000" + "0a000001" + "0a000002" + "03e807d0001e0000"
                + "00".repeat(22);
    }

    protected static byte[] bytes(String hex) {
        return java.util.HexFormat.of().parseHex(hex);
    }

    /** Field "key:value" of memory/show. */
    protected long memory(String key) throws Exception {
        for (String kv : appctl("memory/show").trim().split(" ")) {
            String[] p = kv.split(":");
            if (p[0].equals(key)) {
                return Long.parseLong(p[1]);
            }
        }
        throw new AssertionError("memory/show has no " + key);
    }
}
