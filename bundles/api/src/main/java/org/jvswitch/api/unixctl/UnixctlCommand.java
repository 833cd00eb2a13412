package org.jvswitch.api.unixctl;

import java.util.List;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A control command, reachable as {@code ovs-appctl NAME ARGS} over the control socket and as
 * {@code appctl:NAME ARGS} in the shell (Open vSwitch's {@code unixctl_command_register}). A bundle
 * contributes its commands as services with {@link #NAME_PROPERTY}; they disappear when it stops.
 */
@ConsumerType
public interface UnixctlCommand {
    String NAME_PROPERTY = "unixctl.command";

    /** The command name, e.g. "fdb/show". */
    String name();

    /** Argument synopsis for list-commands, e.g. "bridge"; "" if none. */
    String usage();

    int minArgs();

    int maxArgs();

    /**
     * Runs the command. Called on the control server's thread or the shell's; may block briefly.
     * The argument count has been checked against {@link #minArgs()}/{@link #maxArgs()}.
     *
     * @return the reply text exactly as ovs-appctl prints it, normally ending in a newline
     * @throws UnixctlException with the error text ovs-appctl prints on stderr
     */
    String execute(List<String> args) throws UnixctlException;
}
