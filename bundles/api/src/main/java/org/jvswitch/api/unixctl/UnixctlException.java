package org.jvswitch.api.unixctl;

/** A control command failed; the message is printed to the user as Open vSwitch would. */
public class UnixctlException extends Exception {
    private static final long serialVersionUID = 1L;

    public UnixctlException(String message) {
        super(message);
    }
}
