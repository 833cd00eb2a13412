package org.jvswitch.netdev.vhost;

import java.lang.foreign.MemorySegment;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes DPDK's vhost callbacks to ports: DPDK names a device by its socket path. One set of
 * callbacks serves every port for the life of the process (DPDK keeps the pointers); a bundle
 * generation's ports are found through the map it fills.
 */
final class VhostPorts implements Vhost.Callbacks {
    private static final Logger LOG = LoggerFactory.getLogger(VhostPorts.class);
    private static final Map<String, VhostNetdev> BY_PATH = new ConcurrentHashMap<>();
    private static volatile Vhost vhost;
    private static MemorySegment ops;

    private VhostPorts() {
    }

    static synchronized MemorySegment deviceOps() {
        if (ops == null) {
            ops = Vhost.deviceOps(new VhostPorts());
        }
        return ops;
    }

    static void use(Vhost v) {
        vhost = v;
    }

    static void add(VhostNetdev n) {
        BY_PATH.put(n.socket.toString(), n);
    }

    static void forget(VhostNetdev n) {
        BY_PATH.remove(n.socket.toString(), n);
    }

    private static VhostNetdev byVid(int vid) {
        Vhost v = vhost;
        String path = v == null ? null : v.ifname(vid);
        return path == null ? null : BY_PATH.get(path);
    }

    // Never throw from here: an exception in an upcall ends the JVM.

    @Override
    public int newDevice(int vid) {
        try {
            VhostNetdev n = byVid(vid);
            if (n == null) {
                LOG.warn("vHost device {} is not known to any port", vid);
                return -1;
            }
            n.attachDevice(vid);
            return 0;
        } catch (Throwable t) {
            LOG.error("new_device({}) failed", vid, t);
            return -1;
        }
    }

    @Override
    public void destroyDevice(int vid) {
        try {
            for (VhostNetdev n : BY_PATH.values()) {
                if (n.vid == vid) {
                    n.detachDevice();
                }
            }
        } catch (Throwable t) {
            LOG.error("destroy_device({}) failed", vid, t);
        }
    }

    @Override
    public void destroyConnection(int vid) {
        try {
            VhostNetdev n = byVid(vid);
            if (n == null) {
                LOG.info("vHost Device {} not found", vid);
            } else {
                n.connectionDestroyed();
            }
        } catch (Throwable t) {
            LOG.error("destroy_connection({}) failed", vid, t);
        }
    }

    @Override
    public int vringStateChanged(int vid, int queueId, int enable) {
        try {
            VhostNetdev n = byVid(vid);
            if (n != null) {
                n.vringState(queueId, enable != 0);
                LOG.info("State of queue {} ( tx_qid {} ) of vhost device '{}' changed to '{}'", queueId, queueId / 2,
                        n.socket, enable != 0 ? "enabled" : "disabled");
            }
            return 0;
        } catch (Throwable t) {
            LOG.error("vring_state_changed({}, {}) failed", vid, queueId, t);
            return 0;
        }
    }
}
