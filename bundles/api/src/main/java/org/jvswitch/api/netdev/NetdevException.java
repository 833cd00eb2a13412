package org.jvswitch.api.netdev;

/**
 * A port could not be opened or configured. The message is the specific reason (it goes to the log
 * and into {@code Interface.error}); {@link #errno()} is the errno text Open vSwitch would report
 * for the same failure, e.g. "Invalid argument", which the bridge puts first in the error column
 * so that scripts written for Open vSwitch still match.
 */
public class NetdevException extends Exception {
    private static final long serialVersionUID = 1L;
    public static final String EINVAL = "Invalid argument";
    public static final String EAFNOSUPPORT = "Address family not supported by protocol";
    public static final String ENODEV = "No such device";
    public static final String EEXIST = "File exists";
    public static final String EBUSY = "Device or resource busy";

    private final String errno;

    public NetdevException(String errno, String message) {
        super(message);
        this.errno = errno;
    }

    public NetdevException(String errno, String message, Throwable cause) {
        super(message, cause);
        this.errno = errno;
    }

    public String errno() {
        return errno;
    }
}
