package org.jvswitch.vsctl.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the options before the first command say (the globals of utilities/ovs-vsctl.c). */
final class GlobalOptions {
    /** --no-wait clears it: wait for the switch to apply the change. */
    boolean waitForReload = true;
    boolean oneline;
    boolean dryRun;
    /** --timeout=SECS, 0 if not given. */
    int timeoutSeconds;
    final TableStyle tableStyle = new TableStyle();
    /** Options of the first command given among the global ones ("--if-exists" to null). */
    final Map<String, String> localOptions = new LinkedHashMap<>();
    /** What to print instead of running (--help, --version, ...), or null. */
    String immediateOutput;
    /** The words after the options: the commands. */
    List<String> commandWords = List.of();
}
