package org.jvswitch.vsctl.internal;

import java.util.function.Consumer;

/**
 * One command of the language (struct ctl_command_syntax): its name, argument count, the options
 * it accepts (e.g. "--if-exists,--id="; a trailing '=' means the option takes a value), whether it
 * may write, and what it does before the transaction (checks), in it, and after the commit.
 */
record CommandSyntax(String name, int minArgs, int maxArgs, String arguments, String options, boolean readWrite,
                     Consumer<CtlContext> prerequisites, Consumer<CtlContext> run, Consumer<CtlContext> postprocess) {
    static final int UNLIMITED = Integer.MAX_VALUE;

    static CommandSyntax ro(String name, int min, int max, String arguments, String options,
                            Consumer<CtlContext> pre, Consumer<CtlContext> run) {
        return new CommandSyntax(name, min, max, arguments, options, false, pre, run, null);
    }

    static CommandSyntax rw(String name, int min, int max, String arguments, String options,
                            Consumer<CtlContext> pre, Consumer<CtlContext> run) {
        return new CommandSyntax(name, min, max, arguments, options, true, pre, run, null);
    }

    CommandSyntax withPostprocess(Consumer<CtlContext> post) {
        return new CommandSyntax(name, minArgs, maxArgs, arguments, options, readWrite, prerequisites, run, post);
    }
}
