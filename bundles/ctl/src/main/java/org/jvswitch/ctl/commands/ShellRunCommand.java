package org.jvswitch.ctl.commands;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Converter;
import org.jvswitch.api.unixctl.UnixctlCommand;
import org.jvswitch.api.unixctl.UnixctlException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code shell/run LINE}: runs one Gogo command line and returns what it printed, so the shell is
 * reachable from outside the JVM ({@code bin/jvswitch shell 'lb'} goes through here). Several
 * arguments are joined with spaces, so {@code ovs-appctl shell/run lb -s} works without quoting.
 *
 * <p>Each call gets a fresh session whose output and error streams both go to one buffer (keeping
 * their interleaving), and no input: a command that reads the keyboard sees end of file at once.
 */
@Component(service = UnixctlCommand.class, property = UnixctlCommand.NAME_PROPERTY + "=shell/run")
public final class ShellRunCommand implements UnixctlCommand {
    private final CommandProcessor processor;

    @Activate
    public ShellRunCommand(@Reference(name = "processor") CommandProcessor processor) {
        this.processor = processor;
    }

    @Override
    public String name() {
        return "shell/run";
    }

    @Override
    public String usage() {
        return "LINE";
    }

    @Override
    public int minArgs() {
        return 1;
    }

    @Override
    public int maxArgs() {
        return Integer.MAX_VALUE;
    }

    @Override
    public String execute(List<String> args) throws UnixctlException {
        String line = String.join(" ", args);
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        CommandSession session = processor.createSession(InputStream.nullInputStream(), printed, printed);
        try {
            Object result = session.execute(line);
            StringBuilder text = new StringBuilder(captured(session, printed));
            if (result != null) {
                // What gosh prints for a value left by the line, e.g. "bundle 0".
                CharSequence shown = session.format(result, Converter.INSPECT);
                text.append(shown == null ? result : shown);
                if (!text.isEmpty() && text.charAt(text.length() - 1) != '\n') {
                    text.append('\n');
                }
            }
            return text.toString();
        } catch (Exception e) {
            String message = e.getMessage() != null ? e.getMessage() : e.toString();
            throw new UnixctlException(captured(session, printed) + message);
        } finally {
            session.close();
        }
    }

    private static String captured(CommandSession session, ByteArrayOutputStream printed) {
        session.getConsole().flush();
        return printed.toString(StandardCharsets.UTF_8);
    }
}
