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

    /** The body of a command made with {@link #of}. */
    @FunctionalInterface
    interface Handler {
        String run(List<String> args) throws UnixctlException;
    }

    /** A command from its parts, for bundles that register several commands at once. */
    static UnixctlCommand of(String name, String usage, int minArgs, int maxArgs, Handler handler) {
        return new UnixctlCommand() {
            @Override public String name() { return name; }
            @Override public String usage() { return usage; }
            @Override public int minArgs() { return minArgs; }
            @Override public int maxArgs() { return maxArgs; }
            @Override public String execute(List<String> args) throws UnixctlException { return handler.run(args); }
            @Override public String toString() { return "unixctl command " + name; }
        };
    }

    /** The service properties to register {@code command} with. */
    static java.util.Dictionary<String, Object> properties(UnixctlCommand command) {
        java.util.Hashtable<String, Object> props = new java.util.Hashtable<>();
        props.put(NAME_PROPERTY, command.name());
        return props;
    }
}
