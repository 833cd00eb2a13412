package org.jvswitch.api.ovsdb;

/**
 * A database operation failed. {@link #error()} is the RFC 7047 error string ("constraint
 * violation", "referential integrity violation", "resources exhausted", "syntax error",
 * "unknown table", "unknown column", ...); the message holds the details.
 */
public class OvsdbException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String error;

    public OvsdbException(String error, String details) {
        super(details);
        this.error = error;
    }

    public String error() {
        return error;
    }

    public String details() {
        return getMessage();
    }
}
