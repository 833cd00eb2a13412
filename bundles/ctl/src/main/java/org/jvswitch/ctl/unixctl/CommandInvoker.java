package org.jvswitch.ctl.unixctl;

import java.util.ArrayList;
import java.util.List;

import org.jvswitch.api.unixctl.UnixctlCommand;
import org.jvswitch.api.unixctl.UnixctlException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one command the way process_command() in lib/unixctl.c does, with its exact error texts, for
 * both the control socket and the shell. Whatever the command throws ends up in the reply: one
 * broken command must not take a connection thread, let alone the server, down with it.
 */
public final class CommandInvoker {
    private static final Logger LOG = LoggerFactory.getLogger(CommandInvoker.class);

    private CommandInvoker() {
    }

    /** Looks {@code method} up in {@code table} and runs it with {@code params} (JSON values). */
    public static UnixctlReply dispatch(CommandTable table, String method, List<?> params) {
        UnixctlCommand command = table.lookup(method);
        if (command == null) {
            return UnixctlReply.error("\"" + method + "\" is not a valid command (use \"list-commands\" to see a list"
                    + " of valid commands)");
        }
        return invoke(method, command, params);
    }

    /** Checks the argument count and types, then runs the command. */
    public static UnixctlReply invoke(String name, UnixctlCommand command, List<?> params) {
        int n = params.size();
        if (n < command.minArgs()) {
            return UnixctlReply.error("\"" + name + "\" command requires at least " + command.minArgs() + " arguments");
        }
        if (n > command.maxArgs()) {
            return UnixctlReply.error("\"" + name + "\" command takes at most " + command.maxArgs() + " arguments");
        }
        List<String> args = new ArrayList<>(n);
        for (Object param : params) {
            if (!(param instanceof String s)) {
                return UnixctlReply.error("\"" + name + "\" command has non-string argument");
            }
            args.add(s);
        }
        try {
            return UnixctlReply.success(command.execute(List.copyOf(args)));
        } catch (UnixctlException e) {
            return UnixctlReply.error(e.getMessage());
        } catch (Exception | LinkageError | AssertionError | StackOverflowError e) {
            // A bug in the command (or a class from a bundle that went away): report it to whoever asked,
            // with the stack trace in the log where a developer will look for it.
            LOG.error("unixctl command \"{}\" failed", name, e);
            return UnixctlReply.error("\"" + name + "\" command failed: " + e);
        }
    }
}
