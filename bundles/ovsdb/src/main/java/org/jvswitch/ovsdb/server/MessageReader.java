package org.jvswitch.ovsdb.server;

import java.io.IOException;
import java.io.InputStream;

import org.jvswitch.ovsdb.internal.OvsJson;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reads JSON texts sent back to back, as Open vSwitch's JSON-RPC peers send them (no delimiter,
 * any whitespace between), with Jackson's streaming parser over the connection. A text longer than
 * the limit fails with {@link BoundedInputStream.TooLong} before it is buffered whole.
 */
final class MessageReader {
    /** Bytes Jackson may have read ahead of the text it is parsing (its input buffer). */
    private static final int READ_AHEAD = 16 * 1024;

    private final BoundedInputStream in;
    private final JsonParser parser;
    private final ObjectMapper mapper;
    private final long maxMessage;

    MessageReader(InputStream stream, long maxMessage) throws IOException {
        this.in = new BoundedInputStream(stream);
        this.maxMessage = maxMessage;
        JsonFactory factory = JsonFactory.builder()
                // Jackson closes its input at the end of the stream, which would close the socket
                // under the replies still being written to a peer that merely stopped sending.
                .disable(StreamReadFeature.AUTO_CLOSE_SOURCE)
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxStringLength((int) Math.min(Integer.MAX_VALUE, maxMessage))
                        .maxNestingDepth(1000)
                        .build())
                .build();
        // Decimals stay exact so that 1.0 can be an integer, as Open vSwitch's lexer makes it.
        this.mapper = new ObjectMapper(factory).enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .setNodeFactory(OvsJson.NODES);
        this.parser = factory.createParser(in);
    }

    /**
     * The next JSON text, or null at the end of the stream.
     *
     * @throws IOException malformed JSON (including a number out of range), a text longer than the
     *         limit, or an I/O error
     */
    JsonNode next() throws IOException {
        long start = parser.currentLocation().getByteOffset();
        in.limit(Math.max(start, 0) + maxMessage + READ_AHEAD, "message longer than " + maxMessage + " bytes");
        JsonToken token = parser.nextToken();
        if (token == null) {
            return null;
        }
        try {
            return mapper.readTree(parser);
        } catch (NumberFormatException e) {
            // A number Jackson cannot represent (e.g. an exponent of 14 digits): a syntax error, as
            // Open vSwitch's lexer reports "exponent outside valid range"; found by OvsdbFuzzTest.
            throw new JsonParseException(parser, "invalid number: " + e.getMessage(), e);
        }
    }
}
