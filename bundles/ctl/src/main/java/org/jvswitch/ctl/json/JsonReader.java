package org.jvswitch.ctl.json;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads JSON texts one after another from a stream, the way Open vSwitch's jsonrpc does: texts come
 * back to back with optional whitespace and no other framing, so the end of a message is found by
 * parsing it. Every text (with the whitespace before it) is limited to {@code maxBytes}, and nesting
 * to {@link #MAX_DEPTH}, so a broken or hostile peer cannot make us buffer or recurse without bound.
 */
public final class JsonReader {
    /** Returned by {@link #read()} when the stream ends cleanly between two texts. */
    public static final Object EOF = new Object() {
        @Override
        public String toString() {
            return "EOF";
        }
    };

    /** Open vSwitch's parser stops at 1000 levels too (JSON_MAX_HEIGHT). */
    public static final int MAX_DEPTH = 1000;

    private final InputStream in;
    private final long maxBytes;
    private final byte[] buf = new byte[8192];
    private int pos;
    private int end;
    private long used; // bytes consumed for the current text

    public JsonReader(InputStream in, long maxBytes) {
        this.in = in;
        this.maxBytes = maxBytes;
    }

    /**
     * Reads the next JSON text.
     *
     * @return the value, or {@link #EOF} if the stream ended before a text started
     * @throws EOFException if the stream ended inside a text
     * @throws JsonTooLongException if the text is longer than the limit
     * @throws JsonException if the bytes are not JSON
     */
    public Object read() throws IOException {
        used = 0;
        int c = skipWhitespace();
        if (c < 0) {
            return EOF;
        }
        return readValue(c, 0);
    }

    private Object readValue(int c, int depth) throws IOException {
        if (depth >= MAX_DEPTH) {
            throw new JsonException("JSON nested too deeply");
        }
        return switch (c) {
            case '{' -> readObject(depth);
            case '[' -> readArray(depth);
            case '"' -> readString();
            case 't' -> literal("true", Boolean.TRUE);
            case 'f' -> literal("false", Boolean.FALSE);
            case 'n' -> literal("null", null);
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) {
                    yield readNumber(c);
                }
                throw unexpected(c);
            }
        };
    }

    private Map<String, Object> readObject(int depth) throws IOException {
        Map<String, Object> object = new LinkedHashMap<>();
        int c = skipWhitespace();
        if (c == '}') {
            return object;
        }
        while (true) {
            if (c != '"') {
                throw c < 0 ? truncated() : unexpected(c);
            }
            String name = readString();
            c = skipWhitespace();
            if (c != ':') {
                throw c < 0 ? truncated() : unexpected(c);
            }
            c = skipWhitespace();
            if (c < 0) {
                throw truncated();
            }
            object.put(name, readValue(c, depth + 1));
            c = skipWhitespace();
            if (c == '}') {
                return object;
            }
            if (c != ',') {
                throw c < 0 ? truncated() : unexpected(c);
            }
            c = skipWhitespace();
        }
    }

    private List<Object> readArray(int depth) throws IOException {
        List<Object> array = new ArrayList<>();
        int c = skipWhitespace();
        if (c == ']') {
            return array;
        }
        while (true) {
            if (c < 0) {
                throw truncated();
            }
            array.add(readValue(c, depth + 1));
            c = skipWhitespace();
            if (c == ']') {
                return array;
            }
            if (c != ',') {
                throw c < 0 ? truncated() : unexpected(c);
            }
            c = skipWhitespace();
        }
    }

    private Object literal(String word, Object value) throws IOException {
        for (int i = 1; i < word.length(); i++) {
            int c = next();
            if (c != word.charAt(i)) {
                throw c < 0 ? truncated() : unexpected(c);
            }
        }
        return value;
    }

    private JsonNumber readNumber(int first) throws IOException {
        StringBuilder text = new StringBuilder().append((char) first);
        int c;
        while ((c = peek()) >= 0 && (c == '+' || c == '-' || c == '.' || c == 'e' || c == 'E'
                || (c >= '0' && c <= '9'))) {
            text.append((char) next());
        }
        String s = text.toString();
        if (!s.matches("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?")) {
            throw new JsonException("\"" + s + "\" is not a valid JSON number");
        }
        return new JsonNumber(s);
    }

    /** Reads a string after its opening quote. Raw bytes are collected and decoded strictly as UTF-8. */
    private String readString() throws IOException {
        byte[] bytes = new byte[32];
        int n = 0;
        while (true) {
            int c = next();
            if (c < 0) {
                throw truncated();
            }
            if (c == '"') {
                return decodeUtf8(bytes, n);
            }
            if (c < 0x20) {
                throw new JsonException("control character " + c + " inside a JSON string");
            }
            if (c == '\\') {
                String unescaped = readEscape();
                byte[] utf8 = unescaped.getBytes(StandardCharsets.UTF_8);
                if (n + utf8.length > bytes.length) {
                    bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, n + utf8.length));
                }
                System.arraycopy(utf8, 0, bytes, n, utf8.length);
                n += utf8.length;
                continue;
            }
            if (n == bytes.length) {
                bytes = Arrays.copyOf(bytes, bytes.length * 2);
            }
            bytes[n++] = (byte) c;
        }
    }

    private String readEscape() throws IOException {
        int c = next();
        return switch (c) {
            case '"' -> "\"";
            case '\\' -> "\\";
            case '/' -> "/";
            case 'b' -> "\b";
            case 'f' -> "\f";
            case 'n' -> "\n";
            case 'r' -> "\r";
            case 't' -> "\t";
            case 'u' -> {
                char ch = (char) readHex4();
                if (Character.isHighSurrogate(ch)) {
                    // A pair is two escapes in a row; anything else leaves a lone surrogate, which
                    // cannot be encoded, so it becomes U+FFFD rather than failing the whole message.
                    if (peek() == '\\') {
                        next();
                        if (next() != 'u') {
                            throw new JsonException("bad escape after a high surrogate");
                        }
                        char low = (char) readHex4();
                        if (Character.isLowSurrogate(low)) {
                            yield new String(new char[] {ch, low});
                        }
                        yield "\uFFFD" + (Character.isSurrogate(low) ? "\uFFFD" : String.valueOf(low));
                    }
                    yield "\uFFFD";
                }
                yield Character.isSurrogate(ch) ? "\uFFFD" : String.valueOf(ch);
            }
            default -> throw c < 0 ? truncated() : new JsonException("bad escape \\" + (char) c + " in a JSON string");
        };
    }

    private int readHex4() throws IOException {
        int value = 0;
        for (int i = 0; i < 4; i++) {
            int c = next();
            int digit = Character.digit(c < 0 ? -1 : c, 16);
            if (digit < 0) {
                throw c < 0 ? truncated() : new JsonException("bad \\u escape in a JSON string");
            }
            value = value * 16 + digit;
        }
        return value;
    }

    private static String decodeUtf8(byte[] bytes, int n) throws JsonException {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, 0, n))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new JsonException("invalid UTF-8 in a JSON string");
        }
    }

    private int skipWhitespace() throws IOException {
        int c;
        do {
            c = next();
        } while (c == ' ' || c == '\t' || c == '\n' || c == '\r');
        return c;
    }

    private int peek() throws IOException {
        if (pos == end && !fill()) {
            return -1;
        }
        return buf[pos] & 0xff;
    }

    private int next() throws IOException {
        if (pos == end && !fill()) {
            return -1;
        }
        if (++used > maxBytes) {
            throw new JsonTooLongException(maxBytes);
        }
        return buf[pos++] & 0xff;
    }

    private boolean fill() throws IOException {
        int n = in.read(buf, 0, buf.length);
        if (n <= 0) {
            return false;
        }
        pos = 0;
        end = n;
        return true;
    }

    private static JsonException unexpected(int c) {
        String shown = c >= 0x20 && c < 0x7f ? "'" + (char) c + "'" : String.format("byte 0x%02x", c);
        return new JsonException("syntax error: unexpected " + shown);
    }

    private static EOFException truncated() {
        return new EOFException("connection closed in the middle of a JSON text");
    }
}
