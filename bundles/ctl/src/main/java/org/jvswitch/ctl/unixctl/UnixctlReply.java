package org.jvswitch.ctl.unixctl;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jvswitch.ctl.json.JsonWriter;

/**
 * The outcome of one command: success text for stdout or error text for stderr. Both are normalised
 * like unixctl_command_reply__() in lib/unixctl.c: null becomes "", and a non-empty text gets a
 * trailing newline if it lacks one, so ovs-appctl's output always ends a line.
 */
public record UnixctlReply(boolean success, String body) {
    public UnixctlReply {
        body = normalise(body);
    }

    public static UnixctlReply success(String text) {
        return new UnixctlReply(true, text);
    }

    public static UnixctlReply error(String text) {
        return new UnixctlReply(false, text);
    }

    /** The JSON-RPC 1.0 response: {@code {"id":ID,"result":TEXT,"error":null}} or the error form. */
    public String toJson(Object id) {
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("id", id);
        reply.put("result", success ? body : null);
        reply.put("error", success ? null : body);
        return JsonWriter.toJson(reply);
    }

    private static String normalise(String text) {
        if (text == null) {
            return "";
        }
        return text.isEmpty() || text.endsWith("\n") ? text : text + "\n";
    }
}
