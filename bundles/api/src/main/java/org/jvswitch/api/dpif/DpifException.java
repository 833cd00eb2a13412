package org.jvswitch.api.dpif;

/** A datapath operation failed; the message is user-readable. */
public class DpifException extends Exception {
    private static final long serialVersionUID = 1L;

    public DpifException(String message) {
        super(message);
    }
}
