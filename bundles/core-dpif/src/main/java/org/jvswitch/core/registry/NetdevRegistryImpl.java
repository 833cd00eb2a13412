package org.jvswitch.core.registry;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.jvswitch.api.netdev.Netdev;
import org.jvswitch.api.netdev.NetdevException;
import org.jvswitch.api.netdev.NetdevProvider;
import org.jvswitch.api.registry.NetdevRegistry;
import org.jvswitch.api.registry.NetdevRegistryListener;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Port types offered by running bundles, keyed by type string (Open vSwitch's netdev class
 * registry in lib/netdev.c), and the netdevs opened through each.
 *
 * <p>Unlike Open vSwitch, a provider may leave while its ports are open: the registry takes every
 * such port away from its users (listeners stop using it), destructs it, and reports the type gone,
 * so the bridge marks the ports in error and reopens them when the type comes back.
 *
 * <p>Thread-safety: provider bind/unbind and open/close are serialized by {@code this}; the
 * provider map is readable without locks.
 */
@Component(service = NetdevRegistry.class, immediate = true)
public final class NetdevRegistryImpl implements NetdevRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(NetdevRegistryImpl.class);

    private final Map<String, NetdevProvider> providers = new ConcurrentHashMap<>();
    /** Netdevs open per type, in opening order. Guarded by this. */
    private final Map<String, List<Netdev>> open = new ConcurrentHashMap<>();
    private final List<NetdevRegistryListener> listeners = new CopyOnWriteArrayList<>();
    /** Every registered provider per type, highest service ranking first; the first is active. Guarded by this. */
    private final Map<String, List<Candidate>> candidates = new ConcurrentHashMap<>();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    public void addProvider(NetdevProvider provider, Map<String, Object> props) {
        String type = provider.type();
        int ranking = props.get("service.ranking") instanceof Integer r ? r : 0;
        NetdevProvider replaced;
        synchronized (this) {
            List<Candidate> list = candidates.computeIfAbsent(type, k -> new ArrayList<>());
            Candidate active = list.isEmpty() ? null : list.get(0);
            list.add(new Candidate(provider, ranking));
            list.sort((a, b) -> Integer.compare(b.ranking, a.ranking));
            if (active != null && list.get(0).provider != provider) {
                LOG.warn("attempted to register duplicate netdev provider: {} ({} has a lower or equal service"
                        + " ranking than the running {}); kept as standby", type,
                        provider.getClass().getName(), active.provider.getClass().getName());
                return;
            }
            replaced = active == null ? null : active.provider;
        }
        if (replaced != null) {
            LOG.info("netdev type {}: {} replaces {} (higher service ranking)", type,
                    provider.getClass().getName(), replaced.getClass().getName());
            detachAll(type);
        }
        providers.put(type, provider);
        LOG.info("netdev type {} available ({})", type, provider.getClass().getName());
        for (NetdevRegistryListener l : listeners) {
            safely(() -> l.typeAdded(type));
        }
    }

    public void removeProvider(NetdevProvider provider) {
        String type = provider.type();
        NetdevProvider next;
        synchronized (this) {
            List<Candidate> list = candidates.get(type);
            if (list == null || list.isEmpty()) {
                return;
            }
            boolean wasActive = list.get(0).provider == provider;
            list.removeIf(c -> c.provider == provider);
            if (!wasActive) {
                return;
            }
            next = list.isEmpty() ? null : list.get(0).provider;
            providers.remove(type);
        }
        detachAll(type);
        for (NetdevRegistryListener l : listeners) {
            safely(() -> l.typeRemoved(type));
        }
        if (next != null) {
            providers.put(type, next);
            LOG.info("netdev type {} available again ({})", type, next.getClass().getName());
            for (NetdevRegistryListener l : listeners) {
                safely(() -> l.typeAdded(type));
            }
        }
    }

    /** Takes every netdev of {@code type} away from its users and destructs it. */
    private void detachAll(String type) {
        List<Netdev> doomed;
        synchronized (this) {
            List<Netdev> list = open.remove(type);
            doomed = list == null ? List.of() : new ArrayList<>(list);
        }
        for (Netdev netdev : doomed) {
            for (NetdevRegistryListener l : listeners) {
                safely(() -> l.netdevRemoving(netdev));
            }
            destruct(netdev);
        }
        LOG.info("netdev type {} gone, {} port(s) detached", type, doomed.size());
    }

    private record Candidate(NetdevProvider provider, int ranking) {
    }

    @Override
    public Set<String> types() {
        return Collections.unmodifiableSet(new TreeSet<>(providers.keySet()));
    }

    @Override
    public boolean isPmd(String type) {
        NetdevProvider p = providers.get(normalize(type));
        return p != null && p.isPmd();
    }

    @Override
    public Netdev open(String name, String type, Map<String, String> options) throws NetdevException {
        String t = normalize(type);
        synchronized (this) {
            NetdevProvider provider = providers.get(t);
            if (provider == null) {
                LOG.warn("could not create netdev {} of unknown type {}", name, t);
                throw new NetdevException(NetdevException.EAFNOSUPPORT,
                        "could not create netdev " + name + " of unknown type " + t
                                + ": no running bundle provides it");
            }
            Netdev netdev = provider.construct(name, options);
            open.computeIfAbsent(t, k -> new ArrayList<>()).add(netdev);
            return netdev;
        }
    }

    @Override
    public void close(Netdev netdev) {
        boolean mine;
        synchronized (this) {
            List<Netdev> list = open.get(netdev.type());
            mine = list != null && list.remove(netdev);
        }
        if (mine) {
            destruct(netdev);
        }
    }

    @Override
    public synchronized boolean isOpen(Netdev netdev) {
        List<Netdev> list = open.get(netdev.type());
        return list != null && list.contains(netdev);
    }

    @Override
    public void addListener(NetdevRegistryListener listener) {
        listeners.add(listener);
    }

    @Override
    public void removeListener(NetdevRegistryListener listener) {
        listeners.remove(listener);
    }

    /** Open Vswitch treats an empty type as "system". */
    private static String normalize(String type) {
        return type == null || type.isEmpty() ? "system" : type;
    }

    private static void destruct(Netdev netdev) {
        try {
            netdev.destruct();
        } catch (RuntimeException e) {
            LOG.error("destructing netdev {} failed", netdev.name(), e);
        }
    }

    private static void safely(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            LOG.error("netdev registry listener failed", e);
        }
    }
}
