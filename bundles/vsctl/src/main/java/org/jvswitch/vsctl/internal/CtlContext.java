package org.jvswitch.vsctl.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jvswitch.api.ovsdb.DbRow;
import org.jvswitch.api.ovsdb.DbSchema;

/**
 * What a command sees while it runs (struct ctl_context and struct vsctl_context): its words and
 * options, the invocation's transaction, row ids and bridge cache, and where its output goes.
 * One context serves all commands of an invocation in turn, so the cache survives from one command
 * to the next unless a command invalidates it, as in ovs-vsctl.
 */
final class CtlContext {
    final DbSchema schema;
    final VsctlTxn txn;
    final Vlog vlog;
    /** The Open_vSwitch row (inserted by the transaction if the table was empty). */
    final UUID ovs;
    /** Interfaces this invocation creates, checked after the switch applies the change. */
    final List<UUID> neotericIfaces = new ArrayList<>();

    private ParsedCommand command;
    private boolean lastCommand;
    StringBuilder output = new StringBuilder();
    OutputTable table;
    boolean tryAgain;
    private BridgeCache cache;

    CtlContext(DbSchema schema, VsctlTxn txn, Vlog vlog, UUID ovs) {
        this.schema = schema;
        this.txn = txn;
        this.vlog = vlog;
        this.ovs = ovs;
    }

    /** A context for a command's prerequisites: no transaction yet. */
    static CtlContext forPrerequisites(DbSchema schema, ParsedCommand command, Vlog vlog) {
        CtlContext ctx = new CtlContext(schema, null, vlog, null);
        ctx.startCommand(command, false);
        return ctx;
    }

    void startCommand(ParsedCommand c, boolean last) {
        this.command = c;
        this.lastCommand = last;
        this.output = new StringBuilder();
        this.table = null;
        this.tryAgain = false;
    }

    ParsedCommand command() {
        return command;
    }

    boolean lastCommand() {
        return lastCommand;
    }

    List<String> argv() {
        return command.argv();
    }

    String arg(int i) {
        return command.argv().get(i);
    }

    int argc() {
        return command.argv().size();
    }

    boolean hasOption(String name) {
        return command.options().containsKey(name);
    }

    String option(String name) {
        return command.options().get(name);
    }

    Map<String, String> options() {
        return command.options();
    }

    Symbols symbols() {
        return txn.symbols();
    }

    DbRow ovsRow() {
        return txn.row("Open_vSwitch", ovs);
    }

    /** vsctl_context_populate_cache. */
    BridgeCache cache() {
        if (cache == null) {
            cache = BridgeCache.populate(txn, ovs);
        }
        return cache;
    }

    /** vsctl_context_invalidate_cache: the next user rebuilds it from the transaction. */
    void invalidateCache() {
        cache = null;
    }
}
