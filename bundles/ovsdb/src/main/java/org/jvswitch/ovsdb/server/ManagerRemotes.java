package org.jvswitch.ovsdb.server;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

import org.jvswitch.api.ovsdb.DbRow;
import org.jvswitch.api.ovsdb.DbSnapshot;
import org.jvswitch.api.ovsdb.DbSubscription;
import org.jvswitch.api.ovsdb.Ovsdb;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Remotes configured in the database itself, as Open vSwitch's ovsdb-server does with
 * {@code --remote=db:Open_vSwitch,Open_vSwitch,manager_options}: the {@code target} of every
 * Manager row that {@code Open_vSwitch.manager_options} references. {@code ovs-vsctl
 * set-manager ptcp:6640} makes the server listen there, {@code del-manager} closes it. Passive
 * targets (ptcp:, pssl:, punix:) are listened on; active ones (tcp:, ssl:, unix:) are connected to, and the
 * database is served on that connection ({@link ActiveRemote}).
 *
 * <p>Changes are applied on a thread of its own, never on the committing thread.
 */
final class ManagerRemotes implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ManagerRemotes.class);

    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "ovsdb-manager-remotes");
        t.setDaemon(true);
        return t;
    });
    private final DbSubscription subscription;
    private Set<String> current = Set.of();

    /**
     * @param apply called with the full wanted set of targets whenever it changes
     */
    ManagerRemotes(Ovsdb db, Consumer<Set<String>> apply) {
        this.subscription = db.subscribe(change -> {
            if (change.touches("Open_vSwitch") || change.touches("Manager")) {
                Set<String> wanted = targets(change.after());
                thread.execute(() -> {
                    if (!wanted.equals(current)) {
                        current = wanted;
                        apply.accept(wanted);
                    }
                });
            }
        });
    }

    private static Set<String> targets(DbSnapshot s) {
        Set<String> out = new LinkedHashSet<>();
        for (DbRow ovs : s.rows("Open_vSwitch")) {
            for (Object ref : ovs.getSet("manager_options")) {
                DbRow m = s.row("Manager", (UUID) ref);
                if (m == null) {
                    continue;
                }
                String target = m.getString("target");
                if (target.startsWith("ptcp:") || target.startsWith("pssl:") || target.startsWith("punix:")
                        || ActiveRemote.isActive(target)) {
                    out.add(target);
                } else {
                    LOG.warn("manager {}: unsupported target (ptcp:, pssl:, punix:, tcp:, ssl: and unix: are)", target);
                }
            }
        }
        return out;
    }

    @Override
    public void close() {
        subscription.close();
        thread.shutdownNow();
    }
}
