package org.jvswitch.ctl.unixctl;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jvswitch.ctl.json.JsonException;

/**
 * A JSON-RPC 1.0 request as ovs-appctl sends it: {@code {"id":0,"method":"fdb/show","params":["br0"]}}.
 * Anything else (a reply, a notification, a stray member) is a protocol violation; lib/jsonrpc.c
 * rejects the same messages and unixctl then drops the connection.
 */
public record UnixctlRequest(Object id, String method, List<?> params) {
    private static final Set<String> MEMBERS = Set.of("id", "method", "params", "result", "error");

    public static UnixctlRequest fromJson(Object json) throws JsonException {
        if (!(json instanceof Map<?, ?> object)) {
            throw new JsonException("message is not a JSON object");
        }
        for (Object member : object.keySet()) {
            if (!MEMBERS.contains(member)) {
                throw new JsonException("message has unexpected member \"" + member + "\"");
            }
        }
        if (object.containsKey("result") || object.containsKey("error")) {
            throw new JsonException("received unexpected reply message");
        }
        if (!(object.get("method") instanceof String method)) {
            throw new JsonException("request lacks a string \"method\"");
        }
        if (!(object.get("params") instanceof List<?> params)) {
            throw new JsonException("\"params\" must be a JSON array");
        }
        Object id = object.get("id");
        if (id == null) {
            // JSON-RPC 1.0: a null or missing id makes it a notification, which unixctl never accepts.
            throw new JsonException("received unexpected notification message");
        }
        return new UnixctlRequest(id, method, params);
    }
}
