package org.jvswitch.vsctl.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Splits the words after the global options into commands at each "--" and checks each command's
 * options and argument count (ctl_parse_commands and parse_command in lib/db-ctl-base.c). Options
 * given before the first command (parsed with the global ones, like "ovs-vsctl --if-exists del-br
 * x") belong to the first command.
 */
final class CommandParser {
    private final Map<String, CommandSyntax> commands;

    CommandParser(Map<String, CommandSyntax> commands) {
        this.commands = commands;
    }

    List<ParsedCommand> parse(List<String> args, Map<String, String> localOptions) {
        List<ParsedCommand> parsed = new ArrayList<>();
        Map<String, String> pending = new LinkedHashMap<>(localOptions);
        int start = 0;
        for (int i = 0; i <= args.size(); i++) {
            if (i == args.size() || args.get(i).equals("--")) {
                if (i > start) {
                    parsed.add(parseCommand(args.subList(start, i), pending));
                    pending = new LinkedHashMap<>();
                } else if (!pending.isEmpty()) {
                    throw new CtlError("missing command name (use --help for help)");
                }
                start = i + 1;
            }
        }
        if (parsed.isEmpty()) {
            throw new CtlError("missing command name (use --help for help)");
        }
        return parsed;
    }

    private ParsedCommand parseCommand(List<String> argv, Map<String, String> options) {
        int i;
        for (i = 0; i < argv.size(); i++) {
            String option = argv.get(i);
            if (!option.startsWith("-")) {
                break;
            }
            int equals = option.indexOf('=');
            String key = equals >= 0 ? option.substring(0, equals) : option;
            String value = equals >= 0 ? option.substring(equals + 1) : null;
            if (options.containsKey(key)) {
                throw new CtlError("'" + option + "' option specified multiple times");
            }
            options.put(key, value);
        }
        if (i == argv.size()) {
            throw new CtlError("missing command name (use --help for help)");
        }
        String name = argv.get(i);
        CommandSyntax syntax = commands.get(name);
        if (syntax == null) {
            throw new CtlError("unknown command '" + name + "'; use --help for help");
        }
        for (Map.Entry<String, String> o : options.entrySet()) {
            // The C code looks the option up with strstr() in the option list, so do the same.
            int at = syntax.options().indexOf(o.getKey());
            int endPos = at + o.getKey().length();
            char end = at < 0 ? '\uffff' : endPos < syntax.options().length() ? syntax.options().charAt(endPos) : '\0';
            if ("=,? \0".indexOf(end) < 0) {
                throw new CtlError("'" + name + "' command has no '" + o.getKey() + "' option");
            }
            if (end != '?' && (end == '=') != (o.getValue() != null)) {
                if (end == '=') {
                    throw new CtlError("missing argument to '" + o.getKey() + "' option on '" + name + "' command");
                }
                throw new CtlError("'" + o.getKey() + "' option on '" + name + "' does not accept an argument");
            }
        }
        int nArgs = argv.size() - i - 1;
        if (nArgs < syntax.minArgs()) {
            throw new CtlError("'" + name + "' command requires at least " + syntax.minArgs() + " arguments");
        } else if (nArgs > syntax.maxArgs()) {
            for (int j = i + 1; j < argv.size(); j++) {
                if (argv.get(j).startsWith("-")) {
                    throw new CtlError("'" + name + "' command takes at most " + syntax.maxArgs()
                            + " arguments (note that options must precede command names and follow a \"--\" argument)");
                }
            }
            throw new CtlError("'" + name + "' command takes at most " + syntax.maxArgs() + " arguments");
        }
        return new ParsedCommand(syntax, List.copyOf(argv.subList(i, argv.size())), options);
    }
}
