package org.jvswitch.ovsdb.internal;

import org.jvswitch.api.ovsdb.OvsdbException;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * An error about a piece of the request (Open vSwitch's ovsdb_syntax_error): besides the RFC 7047
 * "error" and "details" it names the offending JSON, which ovsdb-server returns as the "syntax"
 * member, serialized compactly with sorted members.
 */
public final class OvsdbSyntaxException extends OvsdbException {
    private static final long serialVersionUID = 1L;

    private final String syntax;

    /** {@code tag} null means "syntax error"; {@code json} null means no "syntax" member. */
    public OvsdbSyntaxException(JsonNode json, String tag, String details) {
        super(tag == null ? "syntax error" : tag, details);
        this.syntax = json == null ? null : OvsJson.toString(json, true);
    }

    /** The offending JSON as text, or null. */
    public String syntax() {
        return syntax;
    }
}
