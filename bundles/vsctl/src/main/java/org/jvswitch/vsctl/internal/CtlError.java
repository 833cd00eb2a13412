package org.jvswitch.vsctl.internal;

/**
 * A command failed (ctl_fatal in lib/db-ctl-base.c): the message is printed as
 * {@code ovs-vsctl: MESSAGE} and the invocation exits with {@link #status()} without committing.
 */
final class CtlError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;

    CtlError(String message) {
        this(message, 1);
    }

    private CtlError(String message, int status) {
        super(message, null, false, false);
        this.status = status;
    }

    /** A silent exit with the given status (br-exists's vsctl_exit(2)). */
    static CtlError exit(int status) {
        return new CtlError(null, status);
    }

    int status() {
        return status;
    }
}
