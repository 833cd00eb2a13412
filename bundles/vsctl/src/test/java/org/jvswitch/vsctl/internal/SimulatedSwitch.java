package org.jvswitch.vsctl.internal;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.jvswitch.api.ovsdb.DbChange;
import org.jvswitch.api.ovsdb.DbListener;
import org.jvswitch.api.ovsdb.DbRow;
import org.jvswitch.api.ovsdb.DbSubscription;

/**
 * Plays ovs-vswitchd's part of the handshake: after each commit that leaves next_cfg ahead of
 * cur_cfg it "applies" the configuration on its own thread, giving every new interface an OpenFlow
 * port (or ofport -1 and an error for type "bogus"), and sets cur_cfg = next_cfg in the same
 * transaction, as the bridge does.
 */
final class SimulatedSwitch implements DbListener, AutoCloseable {
    private final MemoryOvsdb db;
    private final ExecutorService thread = Executors.newSingleThreadExecutor();
    private final DbSubscription subscription;
    private long nextOfport = 1;

    SimulatedSwitch(MemoryOvsdb db) {
        this.db = db;
        this.subscription = db.subscribe(this);
    }

    @Override
    public void changed(DbChange change) {
        for (DbRow ovs : change.after().rows("Open_vSwitch")) {
            if (ovs.getLong("next_cfg", 0) > ovs.getLong("cur_cfg", 0)) {
                thread.execute(this::reconfigure);
                return;
            }
        }
    }

    private void reconfigure() {
        db.apply(t -> {
            for (DbRow iface : t.view().rows("Interface")) {
                if (!iface.getSet("ofport").isEmpty()) {
                    continue;
                }
                String name = iface.getString("name");
                if (iface.getString("type").equals("bogus")) {
                    t.update("Interface", iface.uuid(), Map.of("ofport", -1L,
                            "error", "could not create netdev " + name + " of unknown type bogus"));
                } else {
                    long ofport = iface.getString("type").equals("internal") ? 65534 : nextOfport++;
                    t.update("Interface", iface.uuid(), Map.of("ofport", ofport));
                }
            }
            for (DbRow ovs : t.view().rows("Open_vSwitch")) {
                UUID uuid = ovs.uuid();
                t.update("Open_vSwitch", uuid, Map.of("cur_cfg", ovs.getLong("next_cfg", 0)));
            }
        });
    }

    @Override
    public void close() {
        subscription.close();
        thread.shutdown();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
