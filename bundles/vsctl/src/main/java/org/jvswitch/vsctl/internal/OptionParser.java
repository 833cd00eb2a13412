package org.jvswitch.vsctl.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * ovs-vsctl's option parsing (parse_options in utilities/ovs-vsctl.c), which is glibc's
 * getopt_long in "+" mode: options end at the first word that is not one or after "--"; long
 * options may be abbreviated to a unique prefix and take their value after '=' or as the next
 * word; short options cluster. The command options of every command (--if-exists, --id=, ...) are
 * accepted here too and go to the first command. Error texts are glibc's.
 *
 * <p>Options that only matter to a separate process talking to a socket (--db, --retry, SSL,
 * logging, leader-only) are accepted and ignored: commands run in process.
 */
final class OptionParser {
    private enum Arg { NONE, REQUIRED, OPTIONAL }

    private record Opt(String name, Arg arg, char shortName, boolean local) {
    }

    private final List<Opt> options = new ArrayList<>();
    private final List<CommandSyntax> commands = new ArrayList<>();
    private final String usage;

    OptionParser(Iterable<CommandSyntax> commands, String usage) {
        this.usage = usage;
        global("db", Arg.REQUIRED, '\0');
        global("no-syslog", Arg.NONE, '\0');
        global("no-wait", Arg.NONE, '\0');
        global("dry-run", Arg.NONE, '\0');
        global("oneline", Arg.NONE, '\0');
        global("timeout", Arg.REQUIRED, 't');
        global("retry", Arg.NONE, '\0');
        global("help", Arg.NONE, 'h');
        global("commands", Arg.NONE, '\0');
        global("options", Arg.NONE, '\0');
        global("leader-only", Arg.NONE, '\0');
        global("no-leader-only", Arg.NONE, '\0');
        global("shuffle-remotes", Arg.NONE, '\0');
        global("no-shuffle-remotes", Arg.NONE, '\0');
        global("version", Arg.NONE, 'V');
        global("verbose", Arg.OPTIONAL, 'v');
        global("log-file", Arg.OPTIONAL, '\0');
        global("syslog-method", Arg.REQUIRED, '\0');
        global("syslog-target", Arg.REQUIRED, '\0');
        global("format", Arg.REQUIRED, 'f');
        global("data", Arg.REQUIRED, 'd');
        global("no-headings", Arg.NONE, '\0');
        global("pretty", Arg.NONE, '\0');
        global("bare", Arg.NONE, '\0');
        global("max-column-width", Arg.REQUIRED, '\0');
        global("private-key", Arg.REQUIRED, 'p');
        global("certificate", Arg.REQUIRED, 'c');
        global("ca-cert", Arg.REQUIRED, 'C');
        global("ssl-protocols", Arg.REQUIRED, '\0');
        global("ssl-ciphers", Arg.REQUIRED, '\0');
        global("bootstrap-ca-cert", Arg.REQUIRED, '\0');
        global("peer-ca-cert", Arg.REQUIRED, '\0');
        // ctl_add_cmd_options: every command option, once.
        for (CommandSyntax c : commands) {
            this.commands.add(c);
            if (c.options().isEmpty()) {
                continue;
            }
            for (String o : c.options().split(",")) {
                String name = o.substring(2);
                Arg arg = Arg.NONE;
                if (name.endsWith("=")) {
                    arg = Arg.REQUIRED;
                    name = name.substring(0, name.length() - 1);
                } else if (name.endsWith("?")) {
                    arg = Arg.OPTIONAL;
                    name = name.substring(0, name.length() - 1);
                }
                String n = name;
                if (options.stream().noneMatch(x -> x.name.equals(n))) {
                    options.add(new Opt(name, arg, '\0', true));
                }
            }
        }
    }

    private void global(String name, Arg arg, char shortName) {
        options.add(new Opt(name, arg, shortName, false));
    }

    GlobalOptions parse(List<String> argv) {
        GlobalOptions g = new GlobalOptions();
        int i = 0;
        while (i < argv.size()) {
            String a = argv.get(i);
            if (a.equals("--")) {
                i++;
                break;
            }
            if (!a.startsWith("-") || a.equals("-")) {
                break;
            }
            if (a.startsWith("--")) {
                i = parseLong(argv, i, g);
            } else {
                i = parseShort(argv, i, g);
            }
            if (g.immediateOutput != null) {
                return g;
            }
        }
        g.commandWords = List.copyOf(argv.subList(i, argv.size()));
        return g;
    }

    private int parseLong(List<String> argv, int i, GlobalOptions g) {
        String a = argv.get(i).substring(2);
        int eq = a.indexOf('=');
        String name = eq >= 0 ? a.substring(0, eq) : a;
        String value = eq >= 0 ? a.substring(eq + 1) : null;
        Opt found = null;
        List<Opt> ambiguous = new ArrayList<>();
        for (Opt o : options) {
            if (o.name.equals(name)) {
                found = o;
                ambiguous.clear();
                break;
            }
            if (o.name.startsWith(name)) {
                if (found == null) {
                    found = o;
                    ambiguous.add(o);
                } else if (!(found.local && o.local && found.arg == o.arg)) {
                    // glibc only calls it ambiguous if the candidates would behave differently: every
                    // global option has its own code, while all command options share one.
                    ambiguous.add(o);
                }
            }
        }
        if (ambiguous.size() > 1) {
            StringBuilder s = new StringBuilder("option '--" + name + "' is ambiguous; possibilities:");
            for (Opt o : ambiguous) {
                s.append(" '--").append(o.name).append('\'');
            }
            throw new CtlError(s.toString());
        }
        if (found == null) {
            throw new CtlError("unrecognized option '--" + a + "'");
        }
        i++;
        if (found.arg == Arg.NONE && value != null) {
            throw new CtlError("option '--" + found.name + "' doesn't allow an argument");
        }
        if (found.arg == Arg.REQUIRED && value == null) {
            if (i >= argv.size()) {
                throw new CtlError("option '--" + found.name + "' requires an argument");
            }
            value = argv.get(i++);
        }
        apply(found, value, g);
        return i;
    }

    private int parseShort(List<String> argv, int i, GlobalOptions g) {
        String a = argv.get(i);
        i++;
        for (int k = 1; k < a.length(); k++) {
            char c = a.charAt(k);
            Opt found = null;
            for (Opt o : options) {
                if (o.shortName == c) {
                    found = o;
                }
            }
            if (found == null) {
                throw new CtlError("invalid option -- '" + c + "'");
            }
            if (found.arg == Arg.NONE) {
                apply(found, null, g);
                continue;
            }
            String value = k + 1 < a.length() ? a.substring(k + 1) : null;
            if (value == null && found.arg == Arg.REQUIRED) {
                if (i >= argv.size()) {
                    throw new CtlError("option requires an argument -- '" + c + "'");
                }
                value = argv.get(i++);
            }
            apply(found, value, g);
            break;
        }
        return i;
    }

    private void apply(Opt o, String value, GlobalOptions g) {
        if (o.local) {
            if (g.localOptions.containsKey("--" + o.name)) {
                throw new CtlError("'" + o.name + "' option specified multiple times");
            }
            g.localOptions.put("--" + o.name, value);
            return;
        }
        TableStyle style = g.tableStyle;
        switch (o.name) {
            case "no-wait" -> g.waitForReload = false;
            case "dry-run" -> g.dryRun = true;
            case "oneline" -> g.oneline = true;
            case "timeout" -> {
                Long t = DatumParser.parseLong(value);
                if (t == null || t <= 0 || t > 0xffffffffL) {
                    throw new CtlError("value " + value + " on -t or --timeout is invalid");
                }
                g.timeoutSeconds = (int) Math.min(t, Integer.MAX_VALUE);
            }
            case "help" -> g.immediateOutput = usage;
            case "version" -> g.immediateOutput = "ovs-vsctl (Open vSwitch) 3.1.0\nDB Schema 8.3.1\n";
            case "commands" -> g.immediateOutput = commandList();
            case "options" -> g.immediateOutput = optionList();
            case "format" -> style.parseFormat(value);
            case "data" -> style.parseCellFormat(value);
            case "no-headings" -> style.headings = false;
            case "pretty" -> style.pretty = true;
            case "bare" -> {
                style.format = TableStyle.Format.LIST;
                style.cellFormat = TableStyle.CellFormat.BARE;
                style.headings = false;
            }
            case "max-column-width" -> {
                Long w = DatumParser.parseLong(value);
                style.maxColumnWidth = w == null ? 0 : (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, w));
            }
            default -> {
                // In process there is no socket, syslog or SSL to configure.
            }
        }
    }

    /** ctl_print_commands: "[--option] ,name,arguments" per command, for bash completion. */
    private String commandList() {
        StringBuilder s = new StringBuilder();
        for (CommandSyntax c : commands) {
            for (String o : c.options().split(",")) {
                if (!o.isEmpty()) {
                    s.append('[').append(o).append("] ");
                }
            }
            s.append(',').append(c.name()).append(',').append(completionArguments(c.arguments())).append('\n');
        }
        return s.toString();
    }

    /**
     * print_command_arguments: marks each argument word with '!' (required), '?' (optional),
     * '*' (any number) or '+' (at least one), reading the syntax string backwards as the C code does.
     */
    static String completionArguments(String arguments) {
        if (arguments.isEmpty()) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        long oewStack = 0;
        boolean inRepeated = false;
        boolean wholeWordIsOptional = false;
        int n = arguments.length();
        for (int i = n - 1; i >= 0; i--) {
            char c = arguments.charAt(i);
            switch (c) {
                case ']' -> {
                    oewStack <<= 1;
                    if (i + 1 == n || arguments.charAt(i + 1) == ' ' || arguments.charAt(i + 1) == '.') {
                        oewStack |= 1;
                    }
                }
                case '[' -> {
                    if ((i == 0 || arguments.charAt(i - 1) == ' ') && (oewStack & 1) != 0) {
                        out.insert(0, inRepeated ? '*' : '?');
                        wholeWordIsOptional = true;
                    } else {
                        out.insert(0, '?');
                        wholeWordIsOptional = false;
                    }
                    oewStack >>= 1;
                }
                case ' ' -> {
                    if (!wholeWordIsOptional) {
                        out.insert(0, inRepeated ? '+' : '!');
                    }
                    out.insert(0, ' ');
                    inRepeated = false;
                    wholeWordIsOptional = false;
                }
                case '.' -> inRepeated = true;
                default -> out.insert(0, c);
            }
        }
        if (arguments.charAt(0) != '[' && !out.isEmpty()) {
            out.insert(0, inRepeated ? '+' : '!');
        }
        return out.toString();
    }

    /** ctl_print_options. */
    private String optionList() {
        StringBuilder s = new StringBuilder();
        for (Opt o : options) {
            if (o.local) {
                continue;
            }
            s.append("--").append(o.name).append(o.arg != Arg.NONE ? "=ARG" : "").append('\n');
            if (o.shortName != '\0') {
                s.append('-').append(o.shortName).append(o.arg != Arg.NONE ? " ARG" : "").append('\n');
            }
        }
        return s.toString();
    }
}
