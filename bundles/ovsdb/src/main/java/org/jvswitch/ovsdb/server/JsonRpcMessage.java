package org.jvswitch.ovsdb.server;

import java.util.Iterator;

import org.jvswitch.ovsdb.internal.OvsJson;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A JSON-RPC 1.0 message (Open vSwitch's struct jsonrpc_msg): a request (method, params, id), a
 * notification (method, params, no id), a reply (result, id) or an error reply (error, id). A
 * member whose value is null counts as absent, as in lib/jsonrpc.c.
 */
record JsonRpcMessage(Kind kind, String method, ArrayNode params, JsonNode result, JsonNode error, JsonNode id) {

    enum Kind {
        REQUEST, NOTIFY, REPLY, ERROR
    }

    /** The message is not JSON-RPC; the connection is closed, as jsonrpc_msg_from_json's caller does. */
    static final class BadMessage extends Exception {
        private static final long serialVersionUID = 1L;

        BadMessage(String message) {
            super(message);
        }
    }

    /** jsonrpc_msg_from_json and jsonrpc_msg_is_valid, with their texts. */
    static JsonRpcMessage fromJson(JsonNode json) throws BadMessage {
        if (!json.isObject()) {
            throw new BadMessage("message is not a JSON object");
        }
        JsonNode method = json.get("method");
        if (method != null && !method.isTextual()) {
            throw new BadMessage("method is not a JSON string");
        }
        JsonNode params = present(json.get("params"));
        JsonNode result = present(json.get("result"));
        JsonNode error = present(json.get("error"));
        JsonNode id = present(json.get("id"));
        for (Iterator<String> it = json.fieldNames(); it.hasNext(); ) {
            String m = it.next();
            if (!m.equals("method") && !m.equals("params") && !m.equals("result") && !m.equals("error")
                    && !m.equals("id")) {
                throw new BadMessage("message has unexpected member \"" + m + "\"");
            }
        }
        Kind kind = result != null ? Kind.REPLY : error != null ? Kind.ERROR : id != null ? Kind.REQUEST : Kind.NOTIFY;
        if (params != null && !params.isArray()) {
            throw new BadMessage("\"params\" must be JSON array");
        }
        // Which members each kind must have: method, params, result, error, id.
        boolean[] must = switch (kind) {
            case REQUEST -> new boolean[] {true, true, false, false, true};
            case NOTIFY -> new boolean[] {true, true, false, false, false};
            case REPLY -> new boolean[] {false, false, true, false, true};
            case ERROR -> new boolean[] {false, false, false, true, true};
        };
        String type = switch (kind) {
            case REQUEST -> "request";
            case NOTIFY -> "notification";
            case REPLY -> "reply";
            case ERROR -> "error";
        };
        Object[] has = {method, params, result, error, id};
        String[] names = {"method", "params", "result", "error", "id"};
        for (int i = 0; i < names.length; i++) {
            if ((has[i] != null) != must[i]) {
                throw new BadMessage(type + " must" + (must[i] ? "" : " not") + " have \"" + names[i] + "\"");
            }
        }
        return new JsonRpcMessage(kind, method == null ? null : method.textValue(), (ArrayNode) params, result,
                error, id);
    }

    private static JsonNode present(JsonNode n) {
        return n == null || n.isNull() ? null : n;
    }

    static ObjectNode reply(JsonNode result, JsonNode id) {
        ObjectNode m = OvsJson.NODES.objectNode();
        m.set("id", id);
        m.set("result", result);
        m.putNull("error");
        return m;
    }

    /** An error reply: no "result" member, as ovsdb-server sends it. */
    static ObjectNode error(JsonNode error, JsonNode id) {
        ObjectNode m = OvsJson.NODES.objectNode();
        m.set("id", id);
        m.set("error", error);
        return m;
    }

    static ObjectNode notification(String method, ArrayNode params) {
        ObjectNode m = OvsJson.NODES.objectNode();
        m.putNull("id");
        m.put("method", method);
        m.set("params", params);
        return m;
    }

    static ObjectNode request(String method, ArrayNode params, JsonNode id) {
        ObjectNode m = OvsJson.NODES.objectNode();
        m.set("id", id);
        m.put("method", method);
        m.set("params", params);
        return m;
    }
}
