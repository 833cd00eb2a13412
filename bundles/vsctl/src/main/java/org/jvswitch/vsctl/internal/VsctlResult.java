package org.jvswitch.vsctl.internal;

/**
 * What an ovs-vsctl invocation prints and returns: standard output, standard error and the exit
 * status (0, 1 for errors, 2 for a missing bridge in br-exists, 142 for a timeout).
 */
public record VsctlResult(String stdout, String stderr, int status) {
}
