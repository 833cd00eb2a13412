package org.jvswitch.ctl.vlog;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import org.jvswitch.api.unixctl.UnixctlCommand;
import org.jvswitch.api.unixctl.UnixctlException;
import org.osgi.service.component.annotations.Component;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * {@code vlog/list}: the table of vlog_get_levels() in lib/vlog.c, one row per logger the backend
 * knows (a jvswitch "module" is a logger; the package-level parents are rows too, since setting one
 * sets the whole package). Logback levels are per logger, not per destination, so console and file
 * show the same level; jvswitch has no syslog output, so that column is always OFF.
 */
@Component(service = UnixctlCommand.class, property = UnixctlCommand.NAME_PROPERTY + "=vlog/list")
public final class VlogListCommand implements UnixctlCommand {
    private final Supplier<ILoggerFactory> factory;

    public VlogListCommand() {
        this(LoggerFactory::getILoggerFactory);
    }

    public VlogListCommand(Supplier<ILoggerFactory> factory) {
        this.factory = factory;
    }

    @Override
    public String name() {
        return "vlog/list";
    }

    @Override
    public String usage() {
        return "";
    }

    @Override
    public int minArgs() {
        return 0;
    }

    @Override
    public int maxArgs() {
        return 0;
    }

    @Override
    public String execute(List<String> args) throws UnixctlException {
        LogbackLevels levels = LogbackLevels.of(factory.get());
        List<String> lines = new ArrayList<>();
        for (String name : levels.loggerNames()) {
            String level = VlogLevel.toVlog(levels.effectiveLevel(name));
            lines.add(String.format("%-16s  %4s       %4s       %4s\n", name, level, "OFF", level));
        }
        lines.sort(null); // vlog_get_levels() sorts the formatted lines, not the names
        StringBuilder out = new StringBuilder();
        out.append("                 console    syslog    file\n");
        out.append("                 -------    ------    ------\n");
        lines.forEach(out::append);
        return out.toString();
    }
}
