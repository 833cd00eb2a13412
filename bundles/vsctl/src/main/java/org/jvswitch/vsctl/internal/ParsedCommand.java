package org.jvswitch.vsctl.internal;

import java.util.List;
import java.util.Map;

/**
 * One command of an invocation (struct ctl_command): its syntax, its words (argv[0] is the
 * command name) and its options ("--if-exists" to null, "--id" to "@name").
 */
record ParsedCommand(CommandSyntax syntax, List<String> argv, Map<String, String> options) {
}
