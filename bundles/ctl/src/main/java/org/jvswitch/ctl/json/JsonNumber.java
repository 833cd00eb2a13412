package org.jvswitch.ctl.json;

/**
 * A JSON number kept as its text. The unixctl protocol only echoes numbers back (the request id),
 * so keeping the text avoids any long/double conversion changing what the client sent.
 */
public record JsonNumber(String text) {
    @Override
    public String toString() {
        return text;
    }
}
