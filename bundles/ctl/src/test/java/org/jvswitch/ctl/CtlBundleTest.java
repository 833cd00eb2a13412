package org.jvswitch.ctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

import org.jvswitch.api.unixctl.UnixctlCommand;
import org.jvswitch.ctl.Exec.Result;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.framework.wiring.FrameworkWiring;

/**
 * The bundle as it runs: Felix with SCR and the Gogo runtime, this module's classes installed as a
 * bundle (bnd has already written the manifest and DS descriptors into target/classes), and the
 * api's unixctl package exported by the system bundle so that the test can register commands.
 * Driven with the real ovs-appctl and the plain-classpath UnixctlClient.
 */
class CtlBundleTest {
    private static final String SYSTEM_PACKAGES = "org.slf4j;version=2.0.17,org.slf4j.spi;version=2.0.17,"
            + "org.slf4j.event;version=2.0.17,org.slf4j.helpers;version=2.0.17,org.jvswitch.api.unixctl;version=1.0.0";

    @TempDir
    Path tmp;

    private Framework framework;

    @AfterEach
    void stopFramework() throws Exception {
        if (framework != null && (framework.getState() & (Bundle.ACTIVE | Bundle.STARTING)) != 0) {
            framework.stop();
        }
        if (framework != null) {
            framework.waitForStop(20_000);
        }
    }

    private BundleContext boot(Map<String, String> extra) throws Exception {
        String ctl = System.getProperty("bundle.ctl");
        assumeTrue(ctl != null, "run through Maven (surefire passes the bundle paths)");
        Map<String, String> config = new HashMap<>(extra);
        config.put(Constants.FRAMEWORK_STORAGE, tmp.resolve("cache").toString());
        config.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        config.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, SYSTEM_PACKAGES);
        framework = ServiceLoader.load(FrameworkFactory.class).findFirst().orElseThrow().newFramework(config);
        framework.start();
        BundleContext ctx = framework.getBundleContext();
        List<Bundle> bundles = new ArrayList<>();
        for (String p : List.of("bundle.function", "bundle.promise", "bundle.component", "bundle.scr",
                "bundle.gogo.runtime")) {
            bundles.add(ctx.installBundle(Path.of(System.getProperty(p)).toUri().toString()));
        }
        bundles.add(ctx.installBundle("reference:" + Path.of(ctl).toUri()));
        assertTrue(framework.adapt(FrameworkWiring.class).resolveBundles(bundles), "bundles resolve");
        for (Bundle b : bundles) {
            b.start();
        }
        return ctx;
    }

    private static ServiceRegistration<UnixctlCommand> register(BundleContext ctx, UnixctlCommand c) {
        return ctx.registerService(UnixctlCommand.class, c,
                new Hashtable<>(Map.of(UnixctlCommand.NAME_PROPERTY, c.name())));
    }

    private static void await(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting for " + what);
            Thread.sleep(20);
        }
    }

    private String ctlVersion() {
        return Arrays.stream(framework.getBundleContext().getBundles())
                .filter(b -> "jvswitch-ctl".equals(b.getSymbolicName()))
                .findFirst().orElseThrow().getVersion().toString();
    }

    @Test
    void servesOvsAppctlAndTheShellAndExits() throws Exception {
        Path rundir = tmp.resolve("run");
        BundleContext ctx = boot(Map.of("jvswitch.rundir", rundir.toString()));
        Path socket = rundir.resolve("ovs-vswitchd." + ProcessHandle.current().pid() + ".ctl");
        Path pidFile = rundir.resolve("ovs-vswitchd.pid");
        await("the control socket", () -> Files.exists(socket));
        ServiceRegistration<UnixctlCommand> fdb = register(ctx, TestCommand.fdbShow());

        assertEquals(new Result(0, """
                The available commands are:
                  exit                    [--cleanup]
                  fdb/show                bridge
                  list-commands          \s
                  shell/run               LINE
                  version                \s
                  vlog/list              \s
                  vlog/set                {spec | module[:destination[:level]]}
                """, ""), Exec.appctl(rundir, "list-commands"));
        assertEquals(new Result(0, "ovs-vswitchd (jvswitch) " + ctlVersion() + "\n", ""),
                Exec.appctl(rundir, "version"));

        assertEquals(new Result(2, "", "no destination, level, or module \"foo\"\n"
                + "ovs-appctl: ovs-vswitchd: server returned an error\n"), Exec.appctl(rundir, "vlog/set", "foo:dbg"));
        assertEquals(new Result(0, "", ""), Exec.appctl(rundir, "vlog/set", "UnixctlServer:console:dbg"));
        assertTrue(Exec.appctl(rundir, "vlog/list").out().contains(String.format("%-16s  %4s       %4s       %4s\n",
                "org.jvswitch.ctl.unixctl.UnixctlServer", "DBG", "OFF", "DBG")));
        Exec.appctl(rundir, "vlog/set", "UnixctlServer:info");

        // The shell commands appctl:NAME, reached the way bin/jvswitch shell does.
        assertEquals(new Result(0, " port  VLAN  MAC                Age\n", ""),
                Exec.appctl(rundir, "shell/run", "appctl:fdb/show br0"));
        assertEquals(new Result(0, " port  VLAN  MAC                Age\n", ""),
                Exec.client(rundir.toString(), "shell/run", "appctl:fdb/show br0"));
        assertEquals(new Result(2, "", "no such bridge\n"),
                Exec.client(rundir.toString(), "shell/run", "appctl:fdb/show br9"));
        Result vlog = Exec.client(rundir.toString(), "shell/run", "appctl:vlog/list");
        assertEquals(0, vlog.rc(), vlog.toString());
        assertTrue(vlog.out().contains("org.jvswitch.ctl.unixctl.UnixctlServer"), vlog.out());

        // A duplicate is refused while the first is there, and takes over when it goes.
        ServiceRegistration<UnixctlCommand> dup = register(ctx,
                new TestCommand("fdb/show", "bridge", 1, 1, args -> "second\n"));
        assertEquals(0, Exec.appctl(rundir, "fdb/show", "br0").rc());
        fdb.unregister();
        assertEquals(new Result(0, "second\n", ""), Exec.appctl(rundir, "fdb/show", "br0"));
        assertEquals(new Result(0, "second\n", ""), Exec.appctl(rundir, "shell/run", "appctl:fdb/show", "x"));
        dup.unregister();
        assertEquals(2, Exec.appctl(rundir, "fdb/show", "br0").rc());
        Result gone = Exec.appctl(rundir, "shell/run", "appctl:fdb/show br0");
        assertEquals(2, gone.rc());
        assertTrue(gone.err().startsWith("Command not found: appctl:fdb/show\n"), gone.err());

        // exit replies, then the whole framework stops and the run directory is cleaned up.
        assertEquals(new Result(0, "", ""), Exec.appctl(rundir, "exit"));
        framework.waitForStop(20_000);
        assertEquals(Bundle.RESOLVED, framework.getState());
        assertFalse(Files.exists(socket));
        assertFalse(Files.exists(pidFile));
    }

    @Test
    void withoutRunDirectoryTheShellStillWorks() throws Exception {
        assumeTrue(System.getProperty("jvswitch.rundir") == null && System.getProperty("jvswitch.var") == null);
        BundleContext ctx = boot(Map.of());
        register(ctx, TestCommand.fdbShow());
        // getAllServiceReferences: the system bundle has no wire to Gogo's package, so the assignability
        // check of getServiceReference would hide the service from it.
        ServiceReference<?>[] refs = ctx.getAllServiceReferences("org.apache.felix.service.command.CommandProcessor",
                null);
        assertNotNull(refs);
        Object processor = ctx.getService(refs[0]);
        await("appctl:fdb/show", () -> shell(processor, "appctl:fdb/show br0").equals(
                " port  VLAN  MAC                Age\n"));
        assertTrue(shell(processor, "appctl:list-commands").contains("  fdb/show                bridge\n"));
        try (var files = Files.list(tmp)) {
            assertEquals(List.of(tmp.resolve("cache")), files.toList());
        }
    }

    /** Runs a line through the framework's Gogo (reflection: its classes are the bundle's, not ours). */
    private static String shell(Object processor, String line) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Method create = processor.getClass().getMethod("createSession", InputStream.class, OutputStream.class,
                    OutputStream.class);
            Object session = create.invoke(processor, InputStream.nullInputStream(), out, out);
            Method execute = session.getClass().getMethod("execute", CharSequence.class);
            try {
                execute.invoke(session, line);
            } finally {
                session.getClass().getMethod("close").invoke(session);
            }
            return out.toString(StandardCharsets.UTF_8);
        } catch (InvocationTargetException e) {
            return "failed: " + e.getCause();
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }
}
