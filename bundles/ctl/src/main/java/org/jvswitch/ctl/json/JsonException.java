package org.jvswitch.ctl.json;

import java.io.IOException;

/** The bytes on a connection are not JSON (or not the JSON this side accepts). */
public class JsonException extends IOException {
    private static final long serialVersionUID = 1L;

    public JsonException(String message) {
        super(message);
    }
}
