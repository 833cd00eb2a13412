package org.jvswitch.api.ofproto;

/** An ofproto operation failed; the message is user-readable. */
public class OfprotoException extends Exception {
    private static final long serialVersionUID = 1L;

    public OfprotoException(String message) {
        super(message);
    }
}
