package org.jvswitch.ovsdb.internal;

import java.io.IOException;
import java.util.Hashtable;

import org.jvswitch.api.ovsdb.Ovsdb;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the embedded database ({@link OvsdbService}) and registers it as {@link Ovsdb} and as the
 * bundle-private {@link Database} the wire protocol server binds to, unless framework property
 * {@value #REMOTE_PROPERTY} is set: then the switch is a client of a remote ovsdb-server
 * ({@code org.jvswitch.ovsdb.client}), and neither the embedded database nor the server (which
 * needs a {@code Database}) exists, so there is exactly one {@code Ovsdb} service either way.
 *
 * <p>Registration is done here by hand rather than by declaring the service on
 * {@code OvsdbService}: a DS component whose activation fails would still have been visible as a
 * service for a moment and would leave an error in the log; this way the choice is made once, in
 * one place, before anything is registered.
 */
@Component(service = {}, immediate = true)
public final class EmbeddedDatabase {
    public static final String REMOTE_PROPERTY = "jvswitch.db.remote";
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDatabase.class);

    private OvsdbService db;
    private ServiceRegistration<?> registration;

    @Activate
    public EmbeddedDatabase(BundleContext context) throws IOException {
        String remote = context.getProperty(REMOTE_PROPERTY);
        if (remote != null && !remote.isBlank()) {
            LOG.info("{}={}: using the remote database, not the embedded one", REMOTE_PROPERTY, remote.strip());
            return;
        }
        db = new OvsdbService(context);
        registration = context.registerService(new String[] {Ovsdb.class.getName(), Database.class.getName()},
                db, new Hashtable<>());
    }

    @Deactivate
    void deactivate() {
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException e) {
                // already gone with the bundle
            }
            registration = null;
        }
        if (db != null) {
            db.close();
            db = null;
        }
    }
}
