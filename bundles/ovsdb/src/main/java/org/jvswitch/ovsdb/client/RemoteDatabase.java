package org.jvswitch.ovsdb.client;

import java.time.Duration;
import java.util.Hashtable;

import org.jvswitch.api.ovsdb.Ovsdb;
import org.jvswitch.ovsdb.internal.EmbeddedDatabase;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When framework property {@code jvswitch.db.remote} names a remote ovsdb-server
 * ({@code unix:PATH} or {@code tcp:IP:PORT}), connects an {@link OvsdbClient} to it and, once the
 * replica holds the database, registers the client as the {@link Ovsdb} service (so the bridge
 * starts on real data, never on an empty replica). Without the property it does nothing, and
 * {@link EmbeddedDatabase} provides the service instead. Optional property
 * {@code jvswitch.db.probe.ms}: the inactivity probe interval (default 5000, 0 for none).
 */
@Component(service = {}, immediate = true)
public final class RemoteDatabase {
    static final String PROBE_PROPERTY = "jvswitch.db.probe.ms";
    private static final Logger LOG = LoggerFactory.getLogger(RemoteDatabase.class);

    private final OvsdbClient client;
    private volatile ServiceRegistration<?> registration;
    private volatile boolean deactivated;

    @Activate
    public RemoteDatabase(BundleContext context) {
        String remote = context.getProperty(EmbeddedDatabase.REMOTE_PROPERTY);
        if (remote == null || remote.isBlank()) {
            client = null;
            return;
        }
        String probe = context.getProperty(PROBE_PROPERTY);
        long probeMs = probe == null || probe.isBlank() ? 5000 : Long.parseLong(probe.strip());
        client = new OvsdbClient(remote.strip(), Duration.ofMillis(probeMs));
        LOG.info("database: {} (OVSDB client)", client.remote());
        client.firstSync().thenAccept(replica -> register(context));
        client.start();
    }

    private synchronized void register(BundleContext context) {
        if (deactivated || registration != null) {
            return;
        }
        try {
            registration = context.registerService(Ovsdb.class, client, new Hashtable<>());
        } catch (IllegalStateException e) {
            // the bundle is stopping
        }
    }

    @Deactivate
    synchronized void deactivate() {
        deactivated = true;
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException e) {
                // already gone with the bundle
            }
            registration = null;
        }
        if (client != null) {
            client.close();
        }
    }
}
