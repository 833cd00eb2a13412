package org.jvswitch.vsctl.internal;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Function;

/**
 * One Gogo command {@code vsctl:NAME}: runs {@code ovs-vsctl NAME ARGS...}, or for
 * {@code vsctl:vsctl} a whole ovs-vsctl command line (so global options like --no-wait can be
 * given). Output goes to {@code System.out}, which Gogo redirects per pipeline; a failure is thrown
 * with ovs-vsctl's error text so the shell reports it and a script stops.
 */
final class VsctlFunction implements Function {
    /** The name of the command that takes a whole ovs-vsctl argv. */
    static final String WHOLE_COMMAND_LINE = "vsctl";

    private final Vsctl vsctl;
    private final String name;

    VsctlFunction(Vsctl vsctl, String name) {
        this.vsctl = vsctl;
        this.name = name;
    }

    @Override
    public Object execute(CommandSession session, List<Object> arguments) throws VsctlShellException {
        List<String> argv = new ArrayList<>();
        if (!name.equals(WHOLE_COMMAND_LINE)) {
            argv.add(name);
        }
        argv.addAll(GogoArgs.words(arguments));
        VsctlResult r = vsctl.run(argv);
        PrintStream out = System.out;
        out.print(r.stdout());
        out.flush();
        if (r.status() != 0) {
            String message = r.stderr().stripTrailing();
            throw new VsctlShellException(message.isEmpty() ? "ovs-vsctl: exit status " + r.status() : message);
        }
        if (!r.stderr().isEmpty()) {
            PrintStream err = System.err;
            err.print(r.stderr());
            err.flush();
        }
        return null;
    }
}
