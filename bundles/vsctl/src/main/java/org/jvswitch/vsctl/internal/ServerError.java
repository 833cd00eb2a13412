package org.jvswitch.vsctl.internal;

/**
 * The database refused the transaction. ovs-vsctl reports the server's error object, keys sorted,
 * as {@code transaction error: {...}}, after its IDL logged the same text as a warning.
 */
final class ServerError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ServerError(String json) {
        super(json, null, false, false);
    }

    String json() {
        return getMessage();
    }

    static ServerError of(String error, String details) {
        StringBuilder json = new StringBuilder("{");
        if (details != null) {
            json.append("\"details\":");
            JsonText.appendQuoted(json, details);
            json.append(',');
        }
        json.append("\"error\":");
        JsonText.appendQuoted(json, error == null ? "" : error);
        return new ServerError(json.append('}').toString());
    }
}
