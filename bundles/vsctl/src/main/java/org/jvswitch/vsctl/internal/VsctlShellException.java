package org.jvswitch.vsctl.internal;

/** An ovs-vsctl command run from the shell failed; the message is what ovs-vsctl printed on stderr. */
public final class VsctlShellException extends Exception {
    private static final long serialVersionUID = 1L;

    public VsctlShellException(String message) {
        super(message);
    }
}
