package org.jvswitch.ctl.unixctl;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.jvswitch.api.unixctl.UnixctlCommand;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The set of commands by name, Open vSwitch's {@code commands} shash in lib/unixctl.c. Commands are
 * services that come and go, so besides lookup this keeps listeners (the shell bridge) in step.
 *
 * <p>The first command registered under a name wins; a later one with the same name is refused with
 * a warning but remembered, and takes over if the winner goes away (so stopping one of two
 * conflicting bundles leaves the command working).
 *
 * <p>Lookups read an immutable snapshot without locking: they happen on every request, while changes
 * happen only when bundles start or stop. Changes and their listener calls are serialised under one
 * lock so a listener never sees a removal before the matching addition.
 */
public final class CommandTable {
    private static final Logger LOG = LoggerFactory.getLogger(CommandTable.class);

    /** Told about every command that becomes or stops being the one serving its name. */
    public interface Listener {
        void added(String name, UnixctlCommand command);

        void removed(String name, UnixctlCommand command);
    }

    private final Object lock = new Object();
    private final Map<String, List<UnixctlCommand>> refused = new LinkedHashMap<>();
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private volatile SortedMap<String, UnixctlCommand> active = Collections.emptySortedMap();

    /** @return true if the command now serves its name, false if it was refused */
    public boolean add(UnixctlCommand command) {
        String name = nameOf(command);
        if (name == null) {
            return false;
        }
        synchronized (lock) {
            UnixctlCommand existing = active.get(name);
            if (existing != null) {
                if (existing != command) {
                    LOG.warn("unixctl command \"{}\" from {} refused: the name is already registered by {}",
                            name, command.getClass().getName(), existing.getClass().getName());
                    refused.computeIfAbsent(name, n -> new ArrayList<>()).add(command);
                }
                return false;
            }
            activate(name, command);
            return true;
        }
    }

    public void remove(UnixctlCommand command) {
        synchronized (lock) {
            for (var it = refused.values().iterator(); it.hasNext(); ) {
                List<UnixctlCommand> waiting = it.next();
                waiting.removeIf(c -> c == command);
                if (waiting.isEmpty()) {
                    it.remove();
                }
            }
            // Removal goes by identity, not name(): a refused duplicate leaving must not remove the winner.
            String name = active.entrySet().stream()
                    .filter(e -> e.getValue() == command)
                    .map(Map.Entry::getKey)
                    .findFirst()
                    .orElse(null);
            if (name == null) {
                return;
            }
            SortedMap<String, UnixctlCommand> next = new TreeMap<>(active);
            next.remove(name);
            active = Collections.unmodifiableSortedMap(next);
            for (Listener l : listeners) {
                notify(() -> l.removed(name, command));
            }
            List<UnixctlCommand> waiting = refused.get(name);
            if (waiting != null) {
                UnixctlCommand successor = waiting.removeFirst();
                if (waiting.isEmpty()) {
                    refused.remove(name);
                }
                LOG.info("unixctl command \"{}\" is now served by {}", name, successor.getClass().getName());
                activate(name, successor);
            }
        }
    }

    public UnixctlCommand lookup(String name) {
        return active.get(name);
    }

    /** The commands serving each name, sorted by name like list-commands prints them. */
    public SortedMap<String, UnixctlCommand> commands() {
        return active;
    }

    /** Adds a listener and tells it about every command already in the table. */
    public void addListener(Listener listener) {
        synchronized (lock) {
            listeners.add(listener);
            active.forEach((name, command) -> notify(() -> listener.added(name, command)));
        }
    }

    /** Removes a listener without calling it; the listener cleans up after itself. */
    public void removeListener(Listener listener) {
        synchronized (lock) {
            listeners.remove(listener);
        }
    }

    private void activate(String name, UnixctlCommand command) {
        SortedMap<String, UnixctlCommand> next = new TreeMap<>(active);
        next.put(name, command);
        active = Collections.unmodifiableSortedMap(next);
        for (Listener l : listeners) {
            notify(() -> l.added(name, command));
        }
    }

    /** A failing listener must not stop the table from changing or other listeners from hearing. */
    private static void notify(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            LOG.error("unixctl command listener failed", e);
        }
    }

    /** Reads the name once, defensively: the command is another bundle's code. */
    private static String nameOf(UnixctlCommand command) {
        String name;
        try {
            name = command.name();
        } catch (RuntimeException e) {
            LOG.warn("unixctl command {} refused: name() failed", command.getClass().getName(), e);
            return null;
        }
        if (name == null || name.isBlank() || name.chars().anyMatch(Character::isWhitespace)) {
            LOG.warn("unixctl command {} refused: invalid name \"{}\"", command.getClass().getName(), name);
            return null;
        }
        return name;
    }
}
