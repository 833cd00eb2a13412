package org.jvswitch.ctl.vlog;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.StringTokenizer;
import java.util.function.Supplier;

import org.jvswitch.api.unixctl.UnixctlCommand;
import org.jvswitch.api.unixctl.UnixctlException;
import org.osgi.service.component.annotations.Component;
import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code vlog/set SPEC...}, parsed like vlog_set_levels_from_string() in lib/vlog.c: each spec is
 * words separated by spaces, commas, colons or tabs, each word a destination (console, syslog, file),
 * a level (off, emer, err, warn, info, dbg) or a module, with ANY as a wildcard; missing parts mean
 * every module, every destination and level dbg. So {@code module:destination:level},
 * {@code module:level}, {@code level} and {@code ANY:any:dbg} all work, with OVS's error texts.
 *
 * <p>A module is a logger: its full name, or its last component if that names exactly one logger
 * ({@code UnixctlServer}, or {@code ctl} for the whole org.jvswitch.ctl package); a dotted name no
 * logger has yet is created, as logback.xml would. Logback levels are per logger, so console and file
 * share one level; syslog specs are accepted and ignored (jvswitch does not log to syslog), which
 * keeps the common {@code vlog/set syslog:off} from silencing the other outputs.
 */
@Component(service = UnixctlCommand.class, property = UnixctlCommand.NAME_PROPERTY + "=vlog/set")
public final class VlogSetCommand implements UnixctlCommand {
    private static final Logger LOG = LoggerFactory.getLogger(VlogSetCommand.class);
    private static final Set<String> DESTINATIONS = Set.of("console", "syslog", "file");

    private final Supplier<ILoggerFactory> factory;

    public VlogSetCommand() {
        this(LoggerFactory::getILoggerFactory);
    }

    public VlogSetCommand(Supplier<ILoggerFactory> factory) {
        this.factory = factory;
    }

    @Override
    public String name() {
        return "vlog/set";
    }

    @Override
    public String usage() {
        return "{spec | module[:destination[:level]]}";
    }

    @Override
    public int minArgs() {
        return 0; // ovs-vswitchd 3.1 accepts a bare "vlog/set" and does nothing
    }

    @Override
    public int maxArgs() {
        return Integer.MAX_VALUE;
    }

    @Override
    public String execute(List<String> args) throws UnixctlException {
        LogbackLevels levels = LogbackLevels.of(factory.get());
        for (String spec : args) {
            apply(levels, spec);
        }
        return "";
    }

    private void apply(LogbackLevels levels, String spec) throws UnixctlException {
        String module = null;
        String level = null;
        String destination = null;
        StringTokenizer words = new StringTokenizer(spec, " ,:\t");
        boolean first = true;
        while (words.hasMoreTokens()) {
            String word = words.nextToken();
            String lower = word.toLowerCase(Locale.ROOT);
            if (first && (lower.equals("pattern") || lower.equals("facility"))) {
                throw new UnixctlException(word.toUpperCase(Locale.ROOT)
                        + " is not supported by jvswitch: configure the layout in logback.xml");
            }
            first = false;
            if (lower.equals("any")) {
                continue;
            } else if (DESTINATIONS.contains(lower)) {
                if (destination != null) {
                    throw new UnixctlException("cannot specify multiple destinations");
                }
                destination = lower;
            } else if (VlogLevel.toLogback(word) != null) {
                if (level != null) {
                    throw new UnixctlException("cannot specify multiple levels");
                }
                level = VlogLevel.toLogback(word);
            } else {
                String logger = resolveModule(levels, word);
                if (logger == null) {
                    throw new UnixctlException("no destination, level, or module \"" + word + "\"");
                }
                if (module != null) {
                    throw new UnixctlException("cannot specify multiple modules");
                }
                module = logger;
            }
        }
        if (level == null) {
            level = "DEBUG";
        }
        if ("syslog".equals(destination)) {
            return;
        }
        if (module != null) {
            levels.setLevel(module, level);
            LOG.info("vlog/set: {} -> {}", module, level);
            return;
        }
        // Every module: the root, and every logger that would otherwise keep a level of its own.
        List<String> explicit = new ArrayList<>();
        for (String name : levels.loggerNames()) {
            if (levels.hasOwnLevel(name)) {
                explicit.add(name);
            }
        }
        levels.setLevel(Logger.ROOT_LOGGER_NAME, level);
        for (String name : explicit) {
            levels.setLevel(name, level);
        }
        LOG.info("vlog/set: all loggers -> {}", level);
    }

    /** @return the logger name {@code word} denotes, or null if none */
    private static String resolveModule(LogbackLevels levels, String word) throws UnixctlException {
        List<String> names = levels.loggerNames();
        if (names.contains(word)) {
            return word;
        }
        List<String> matches = new ArrayList<>();
        for (String name : names) {
            String last = name.substring(name.lastIndexOf('.') + 1);
            if (name.equalsIgnoreCase(word)) {
                return name;
            }
            if (last.equalsIgnoreCase(word)) {
                matches.add(name);
            }
        }
        if (matches.size() == 1) {
            return matches.getFirst();
        }
        if (matches.size() > 1) {
            throw new UnixctlException("module \"" + word + "\" is ambiguous: " + String.join(", ", matches));
        }
        return word.contains(".") ? word : null;
    }
}
