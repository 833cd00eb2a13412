package org.jvswitch.ovsdb.internal;

import org.jvswitch.api.ovsdb.OvsdbException;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** RFC 7047 error objects (Open vSwitch's ovsdb_error_to_json). */
public final class Errors {
    private Errors() {
    }

    /** {@code {"error": tag, "details": ..., "syntax": ...}}, members present only when known. */
    public static ObjectNode toJson(OvsdbException e) {
        ObjectNode json = OvsJson.NODES.objectNode();
        json.put("error", e.error());
        if (e.details() != null) {
            json.put("details", e.details());
        }
        if (e instanceof OvsdbSyntaxException s && s.syntax() != null) {
            json.put("syntax", s.syntax());
        }
        return json;
    }
}
