package org.jvswitch.ctl.json;

/** One JSON text went past the reader's size limit; the peer is misbehaving, drop it. */
public class JsonTooLongException extends JsonException {
    private static final long serialVersionUID = 1L;

    public JsonTooLongException(long limit) {
        super("JSON message longer than " + limit + " bytes");
    }
}
