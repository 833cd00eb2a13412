package org.jvswitch.ctl.shell;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Function;
import org.jvswitch.api.unixctl.UnixctlCommand;
import org.jvswitch.ctl.unixctl.CommandInvoker;
import org.jvswitch.ctl.unixctl.UnixctlReply;

/**
 * One unixctl command as the Gogo command {@code appctl:NAME}. The text is printed to
 * {@code System.out}, which Gogo redirects per pipeline, so {@code appctl:vlog/list | grep ctl}
 * works; an error is thrown, so the shell (and shell/run) reports it as a failure.
 */
public final class AppctlFunction implements Function {
    private final String name;
    private final UnixctlCommand command;

    public AppctlFunction(String name, UnixctlCommand command) {
        this.name = name;
        this.command = command;
    }

    @Override
    public Object execute(CommandSession session, List<Object> arguments) throws AppctlException {
        List<String> args = new ArrayList<>(arguments.size());
        for (Object a : arguments) {
            args.add(String.valueOf(a)); // Gogo may have turned a word into a number or the like
        }
        UnixctlReply reply = CommandInvoker.invoke(name, command, args);
        if (!reply.success()) {
            throw new AppctlException(reply.body().stripTrailing());
        }
        PrintStream out = System.out;
        out.print(reply.body());
        out.flush();
        return null;
    }
}
