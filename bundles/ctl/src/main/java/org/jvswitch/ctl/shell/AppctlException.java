package org.jvswitch.ctl.shell;

/** A command run from the shell replied with an error; the message is its text, as ovs-appctl prints it. */
public class AppctlException extends Exception {
    private static final long serialVersionUID = 1L;

    public AppctlException(String message) {
        super(message);
    }
}
