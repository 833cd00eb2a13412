package org.jvswitch.vsctl.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jvswitch.api.ovsdb.DbRow;
import org.jvswitch.api.ovsdb.DbSnapshot;
import org.jvswitch.api.ovsdb.Ovsdb;

/**
 * One run of an ovs-vsctl command line (main and do_vsctl in utilities/ovs-vsctl.c): parse the
 * options and commands, check the commands' prerequisites, run every command in one transaction,
 * commit it if it changes anything (with next_cfg += 1 unless --no-wait), print the outputs, then
 * wait for the switch to catch up (cur_cfg &gt;= next_cfg) and report interfaces it could not
 * create. Any error aborts the whole transaction. If a command asks to try again (wait-until), the
 * transaction is dropped and everything runs again after the next database change.
 *
 * <p>Unlike ovs-vsctl, which waits forever unless given --timeout, this waits at most
 * {@code defaultTimeoutSeconds} (a shell must not hang); the result is then the same as for
 * --timeout.
 */
final class Invocation {
    /** The exit status of ovs-vsctl killed by its --timeout alarm (128 + SIGALRM). */
    static final int TIMEOUT_STATUS = 142;

    private final Ovsdb db;
    private final List<String> argv;
    private final int defaultTimeoutSeconds;
    private final String logDir;
    private final StringBuilder stdout = new StringBuilder();
    private final StringBuilder stderr = new StringBuilder();
    private Vlog vlog;

    /** The result of one pass over the commands; null means "try again". */
    private record Pass(List<String> outputs, boolean changed, long nextCfg, List<UUID> neotericIfaces) {
    }

    private static final class Timeout extends Exception {
        private static final long serialVersionUID = 1L;

        Timeout() {
            super(null, null, false, false);
        }
    }

    Invocation(Ovsdb db, List<String> argv, int defaultTimeoutSeconds, String logDir) {
        this.db = db;
        this.argv = List.copyOf(argv);
        this.defaultTimeoutSeconds = defaultTimeoutSeconds;
        this.logDir = logDir;
    }

    VsctlResult run() {
        GlobalOptions options = null;
        try {
            options = new OptionParser(CommandTable.COMMANDS.values(), Usage.TEXT).parse(argv);
            if (options.immediateOutput != null) {
                return new VsctlResult(options.immediateOutput, "", 0);
            }
            List<ParsedCommand> commands = new CommandParser(CommandTable.COMMANDS)
                    .parse(options.commandWords, options.localOptions);
            vlog = new Vlog(stderr, commands.stream().anyMatch(c -> c.syntax().readWrite()));
            for (ParsedCommand c : commands) {
                if (c.syntax().prerequisites() != null) {
                    c.syntax().prerequisites().accept(CtlContext.forPrerequisites(db.schema(), c, vlog));
                }
            }
            execute(options, commands);
            return new VsctlResult(stdout.toString(), stderr.toString(), 0);
        } catch (CtlError e) {
            if (e.getMessage() != null) {
                stderr.append("ovs-vsctl: ").append(e.getMessage()).append('\n');
            }
            return new VsctlResult(stdout.toString(), stderr.toString(), e.status());
        } catch (ServerError e) {
            vlog.warn("ovsdb_idl", "transaction error: " + e.json());
            stderr.append("ovs-vsctl: transaction error: ").append(e.json()).append('\n');
            return new VsctlResult("", stderr.toString(), 1);
        } catch (Timeout e) {
            int seconds = options.timeoutSeconds > 0 ? options.timeoutSeconds : defaultTimeoutSeconds;
            stderr.append("ovs-vsctl: timeout after ").append(seconds).append(" seconds\n");
            return new VsctlResult(stdout.toString(), stderr.toString(), TIMEOUT_STATUS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stderr.append("ovs-vsctl: interrupted\n");
            return new VsctlResult(stdout.toString(), stderr.toString(), 1);
        }
    }

    private void execute(GlobalOptions options, List<ParsedCommand> commands)
            throws Timeout, InterruptedException {
        int seconds = options.timeoutSeconds > 0 ? options.timeoutSeconds : defaultTimeoutSeconds;
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        try (ChangeWatcher watcher = new ChangeWatcher(db)) {
            Pass pass;
            for (;;) {
                long seen = watcher.changes();
                pass = attempt(options, commands);
                if (pass != null) {
                    break;
                }
                if (!watcher.awaitChange(seen, deadline)) {
                    throw new Timeout();
                }
            }
            for (String out : pass.outputs()) {
                stdout.append(out);
            }
            // A dry run commits nothing, so the switch has nothing to catch up with.
            if (options.waitForReload && pass.changed() && !options.dryRun) {
                if (!watcher.awaitCurCfg(pass.nextCfg(), deadline)) {
                    throw new Timeout();
                }
                checkNewInterfaces(pass.neotericIfaces());
            }
        }
    }

    /** One pass of do_vsctl: null if a command wants to try again after the next change. */
    private Pass attempt(GlobalOptions options, List<ParsedCommand> commands) {
        VsctlTxn txn = new VsctlTxn(db, new Symbols());
        List<DbRow> ovsRows = txn.rows("Open_vSwitch");
        UUID ovs = ovsRows.isEmpty() ? txn.insert("Open_vSwitch", Map.of()) : ovsRows.get(0).uuid();

        CtlContext ctx = new CtlContext(db.schema(), txn, vlog, ovs);
        List<Object> results = new ArrayList<>();
        for (int i = 0; i < commands.size(); i++) {
            ParsedCommand c = commands.get(i);
            ctx.startCommand(c, i == commands.size() - 1);
            if (c.syntax().run() != null) {
                c.syntax().run().accept(ctx);
            }
            if (ctx.tryAgain) {
                return null;
            }
            results.add(ctx.table != null ? ctx.table : ctx.output.toString());
        }

        for (Symbols.Symbol s : txn.symbols().all()) {
            if (!s.created) {
                throw new CtlError("row id \"" + s.name + "\" is referenced but never created (e.g. with \"-- --id="
                        + s.name + " create ...\")");
            }
            if (!s.strongRef) {
                vlog.warn("vsctl", s.weakRef
                        ? "row id \"" + s.name + "\" was created but only a weak reference to it was inserted, so it"
                                + " will not actually appear in the database"
                        : "row id \"" + s.name + "\" was created but no reference to it was inserted, so it will not"
                                + " actually appear in the database");
            }
        }

        boolean changed = txn.anyUpdates();
        long nextCfg = 0;
        if (changed && options.waitForReload) {
            nextCfg = txn.read("Open_vSwitch", ovs, "next_cfg").isEmpty() ? 1
                    : (Long) txn.read("Open_vSwitch", ovs, "next_cfg").key(0) + 1;
            txn.write("Open_vSwitch", ovs, "next_cfg", Datum.ofAtom(nextCfg));
        }
        if (changed && !options.dryRun) {
            List<String> words = new ArrayList<>();
            words.add("ovs-vsctl");
            words.addAll(argv);
            txn.comment("ovs-vsctl: " + Lookups.escapeArgs(words));
            txn.commit();
        }

        TablePrinter printer = new TablePrinter(options.tableStyle);
        List<String> outputs = new ArrayList<>();
        for (Object r : results) {
            if (r instanceof OutputTable t) {
                outputs.add(printer.print(t));
            } else if (options.oneline) {
                outputs.add(oneline((String) r));
            } else {
                outputs.add((String) r);
            }
        }
        return new Pass(outputs, changed, nextCfg, List.copyOf(ctx.neotericIfaces));
    }

    /** --oneline: one line per command, with newlines and backslashes escaped. */
    private static String oneline(String s) {
        String chomped = s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
        return chomped.replace("\\", "\\\\").replace("\n", "\\n") + "\n";
    }

    /** post_db_reload_do_checks: interfaces the switch could not set up (no OpenFlow port). */
    private void checkNewInterfaces(List<UUID> ifaces) {
        DbSnapshot now = db.snapshot();
        boolean printed = false;
        for (UUID uuid : ifaces) {
            DbRow iface = now.row("Interface", uuid);
            if (iface == null) {
                continue;
            }
            long ofport = iface.getLong("ofport", -1);
            if (ofport != -1) {
                continue;
            }
            String error = iface.getString("error");
            String name = iface.getString("name");
            if (error != null && !error.isEmpty()) {
                stderr.append("ovs-vsctl: Error detected while setting up '").append(name).append("': ").append(error)
                        .append(".  See ovs-vswitchd log for details.\n");
            } else {
                stderr.append("ovs-vsctl: Error detected while setting up '").append(name)
                        .append("'.  See ovs-vswitchd log for details.\n");
            }
            printed = true;
        }
        if (printed) {
            stderr.append("ovs-vsctl: The default log directory is \"").append(logDir).append("\".\n");
        }
    }
}
