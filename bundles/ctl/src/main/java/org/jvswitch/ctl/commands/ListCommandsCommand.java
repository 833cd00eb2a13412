package org.jvswitch.ctl.commands;

import java.util.List;

import org.jvswitch.api.unixctl.UnixctlCommand;
import org.jvswitch.ctl.unixctl.CommandTable;

/**
 * {@code list-commands}, formatted exactly like unixctl_list_commands() in lib/unixctl.c. Registered
 * by the server component itself (as OVS's unixctl_server_create() does) because it reads the
 * server's command table.
 */
public final class ListCommandsCommand implements UnixctlCommand {
    private final CommandTable table;

    public ListCommandsCommand(CommandTable table) {
        this.table = table;
    }

    @Override
    public String name() {
        return "list-commands";
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
    public String execute(List<String> args) {
        StringBuilder out = new StringBuilder("The available commands are:\n");
        table.commands().forEach((name, command) -> out.append(String.format("  %-23s %s\n", name, usage(command))));
        return out.toString();
    }

    private static String usage(UnixctlCommand command) {
        try {
            String usage = command.usage();
            return usage == null ? "" : usage;
        } catch (RuntimeException e) {
            return ""; // one broken command must not break the listing
        }
    }
}
