package org.jvswitch.ctl.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class JsonReaderTest {
    private static JsonReader reader(String text, long max) {
        return new JsonReader(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), max);
    }

    private static JsonReader reader(String text) {
        return reader(text, 1 << 20);
    }

    @Test
    void readsTextsBackToBackWithoutDelimiters() throws IOException {
        JsonReader r = reader("{\"id\":0,\"method\":\"version\",\"params\":[]}{\"a\":[true,false,null,-1.5e3]}\n [] ");
        assertEquals(Map.of("id", new JsonNumber("0"), "method", "version", "params", List.of()), r.read());
        assertEquals(Map.of("a", Arrays.asList(true, false, null, new JsonNumber("-1.5e3"))), r.read());
        assertEquals(List.of(), r.read());
        assertSame(JsonReader.EOF, r.read());
    }

    @Test
    void decodesEscapesAndUtf8() throws IOException {
        assertEquals("h\u00e9\uD83D\uDE00\n\"\\/\t", reader("\"h\\u00e9\\ud83d\\ude00\\n\\\"\\\\\\/\\t\"").read());
        assertEquals("br\u00fc\u20ac", reader("\"br\u00fc\u20ac\"").read());
        assertEquals("\uFFFD", reader("\"\\udc00\"").read());
    }

    @Test
    void rejectsInvalidUtf8() {
        byte[] bytes = {'"', (byte) 0xff, (byte) 0xfe, '"'};
        JsonReader r = new JsonReader(new ByteArrayInputStream(bytes), 100);
        assertThrows(JsonException.class, r::read);
    }

    @Test
    void rejectsSyntaxErrors() {
        for (String bad : List.of("{bad}", "{\"a\" 1}", "[1,]", "tru ", "01 ", "\"a\u0001\"", "\"\\x\"", "}", "[1 2]")) {
            assertThrows(JsonException.class, () -> reader(bad).read(), bad);
        }
    }

    @Test
    void reportsTruncationAsEndOfFile() {
        for (String cut : List.of("{", "{\"id\":", "[1,", "\"abc", "{\"a\":1")) {
            assertThrows(EOFException.class, () -> reader(cut).read(), cut);
        }
    }

    @Test
    void limitsTheSizeOfOneText() throws IOException {
        JsonReader r = reader("[1,2,3] [1,2,3,4,5,6,7,8,9]", 10);
        assertEquals(3, ((List<?>) r.read()).size());
        assertThrows(JsonTooLongException.class, r::read);
        assertThrows(JsonTooLongException.class, () -> reader(" ".repeat(100), 10).read());
    }

    @Test
    void limitsNestingInsteadOfOverflowingTheStack() {
        assertThrows(JsonException.class, () -> reader("[".repeat(5000)).read());
    }
}
