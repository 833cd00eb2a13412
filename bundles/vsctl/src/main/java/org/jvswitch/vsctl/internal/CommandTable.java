package org.jvswitch.vsctl.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Every command ovs-vsctl knows here, by name (vsctl_cmd_init: ovs-vsctl's own, the database ones and "show"). */
final class CommandTable {
    static final Map<String, CommandSyntax> COMMANDS;

    static {
        List<CommandSyntax> all = new ArrayList<>();
        all.addAll(SwitchCommands.syntaxes());
        all.addAll(BridgeCommands.syntaxes());
        all.addAll(PortCommands.syntaxes());
        all.addAll(ControllerCommands.syntaxes());
        all.addAll(ManagerCommands.syntaxes());
        all.addAll(AutoAttachCommands.syntaxes());
        all.addAll(DatapathCommands.syntaxes());
        all.addAll(DbCommands.syntaxes());
        all.add(ShowCommand.syntax());
        Map<String, CommandSyntax> map = new LinkedHashMap<>();
        for (CommandSyntax c : all) {
            if (map.put(c.name(), c) != null) {
                throw new IllegalStateException("command registered twice: " + c.name());
            }
        }
        COMMANDS = Collections.unmodifiableMap(map);
    }

    private CommandTable() {
    }
}
