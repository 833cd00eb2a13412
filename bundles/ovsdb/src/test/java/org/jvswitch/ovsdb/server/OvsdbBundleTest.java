package org.jvswitch.ovsdb.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

import org.jvswitch.api.ovsdb.Ovsdb;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.framework.wiring.FrameworkWiring;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The bundle as it runs: Felix with SCR, this module's classes installed as a bundle (bnd has
 * written the manifest and DS descriptors into target/classes), the api's ovsdb package exported
 * by the system bundle. The server component binds to the database component and serves it on
 * {@code <jvswitch.rundir>/db.sock}; stopping the bundle closes the socket.
 */
class OvsdbBundleTest {
    private static final String SYSTEM_PACKAGES = "org.slf4j;version=2.0.17,org.slf4j.spi;version=2.0.17,"
            + "org.slf4j.event;version=2.0.17,org.slf4j.helpers;version=2.0.17,org.jvswitch.api.ovsdb;version=1.1.0";

    @TempDir
    Path tmp;

    private Framework framework;

    @AfterEach
    void stopFramework() throws Exception {
        if (framework != null) {
            framework.stop();
            framework.waitForStop(20_000);
        }
    }

    /** Felix with SCR and this bundle, started, with {@code properties} as framework properties. */
    private Bundle startFramework(String ovsdb, Map<String, String> properties) throws Exception {
        Map<String, String> config = new HashMap<>(properties);
        config.put(Constants.FRAMEWORK_STORAGE, tmp.resolve("cache").toString());
        config.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        config.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, SYSTEM_PACKAGES);
        framework = ServiceLoader.load(FrameworkFactory.class).findFirst().orElseThrow().newFramework(config);
        framework.start();
        BundleContext ctx = framework.getBundleContext();
        List<Bundle> bundles = new ArrayList<>();
        for (String p : List.of("bundle.function", "bundle.promise", "bundle.component", "bundle.scr",
                "bundle.jackson.annotations", "bundle.jackson.core", "bundle.jackson.databind")) {
            bundles.add(ctx.installBundle(Path.of(System.getProperty(p)).toUri().toString()));
        }
        Bundle bundle = ctx.installBundle("reference:" + Path.of(ovsdb).toUri());
        bundles.add(bundle);
        assertTrue(framework.adapt(FrameworkWiring.class).resolveBundles(bundles), "bundles resolve");
        for (Bundle b : bundles) {
            b.start();
        }
        return bundle;
    }

    private static List<ServiceReference<?>> ovsdbServices(Bundle bundle) {
        List<ServiceReference<?>> out = new ArrayList<>();
        for (ServiceReference<?> r : java.util.Objects.requireNonNullElse(bundle.getRegisteredServices(),
                new ServiceReference<?>[0])) {
            if (List.of((String[]) r.getProperty(Constants.OBJECTCLASS)).contains(Ovsdb.class.getName())) {
                out.add(r);
            }
        }
        return out;
    }

    /**
     * With {@code jvswitch.db.remote} set, the bundle's one {@code Ovsdb} is the client of the
     * remote server: no embedded database, no db.sock of its own.
     */
    @Test
    void withARemoteTheOnlyOvsdbIsTheClient() throws Exception {
        String ovsdb = System.getProperty("bundle.ovsdb");
        assumeTrue(ovsdb != null, "run through Maven (surefire passes the bundle paths)");
        Path rundir = tmp.resolve("run");
        try (ServerFixture remote = new ServerFixture(tmp.resolve("remote"))) {
            Bundle bundle = startFramework(ovsdb, Map.of("jvswitch.rundir", rundir.toString(),
                    "jvswitch.db.file", tmp.resolve("conf.db").toString(), "jvswitch.db.remote", remote.unix()));
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (ovsdbServices(bundle).isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            List<ServiceReference<?>> refs = ovsdbServices(bundle);
            assertEquals(1, refs.size(), refs::toString);
            BundleContext ctx = framework.getBundleContext();
            Ovsdb db = (Ovsdb) ctx.getService(refs.get(0));
            assertEquals("OvsdbClient", db.getClass().getSimpleName());
            var root = db.snapshot().rows("Open_vSwitch").iterator().next();
            var txn = db.begin();
            txn.update("Open_vSwitch", root.uuid(), Map.of("next_cfg", 7L));
            txn.commit();
            assertEquals(7L, remote.db.snapshot().rows("Open_vSwitch").iterator().next().get("next_cfg"));
            ctx.ungetService(refs.get(0));
            assertFalse(Files.exists(rundir.resolve("db.sock")), "no embedded server");
            assertFalse(Files.exists(tmp.resolve("conf.db")), "no embedded database");
            bundle.stop();
            framework.stop();
            framework.waitForStop(20_000);
            framework = null;
            deadline = System.nanoTime() + 20_000_000_000L;
            while (remote.server.sessions() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(0, remote.server.sessions(), "the client disconnected when the bundle stopped");
        }
    }

    @Test
    void serverComponentServesTheDatabaseOfThisBundle() throws Exception {
        String ovsdb = System.getProperty("bundle.ovsdb");
        assumeTrue(ovsdb != null, "run through Maven (surefire passes the bundle paths)");
        Path rundir = tmp.resolve("run");
        Bundle bundle = startFramework(ovsdb, Map.of("jvswitch.rundir", rundir.toString(),
                "jvswitch.db.file", tmp.resolve("conf.db").toString()));
        BundleContext ctx = framework.getBundleContext();

        Path socket = rundir.resolve("db.sock");
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!Files.exists(socket) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        ServiceReference<?> ref = null;
        // Looked up through the bundle: the test's own class path also holds the bundle's classes,
        // which makes the framework hide the registration from a plain lookup by the system bundle.
        for (ServiceReference<?> r : java.util.Objects.requireNonNullElse(bundle.getRegisteredServices(),
                new ServiceReference<?>[0])) {
            if (List.of((String[]) r.getProperty(Constants.OBJECTCLASS)).contains(Ovsdb.class.getName())) {
                ref = r;
            }
        }
        assertNotNull(ref, "the database component registered Ovsdb");
        try (RawClient c = RawClient.unix(socket)) {
            assertEquals("[\"Open_vSwitch\",\"_Server\"]", c.call(1, "list_dbs", "[]").get("result").toString());
            JsonNode r = c.call(2, "transact", "[\"Open_vSwitch\",{\"op\":\"mutate\",\"table\":\"Open_vSwitch\","
                    + "\"where\":[],\"mutations\":[[\"next_cfg\",\"+=\",1]]}]");
            assertEquals("[{\"count\":1}]", r.get("result").toString());
        }
        // The same database in process.
        Ovsdb db = (Ovsdb) ctx.getService(ref);
        assertEquals(1L, db.snapshot().rows("Open_vSwitch").iterator().next().get("next_cfg"));
        ctx.ungetService(ref);

        bundle.stop();
        assertFalse(Files.exists(socket), "the socket goes with the server");
    }
}
