package org.jvswitch.vsctl.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

/** Units of the value syntax: tokens, numbers, %.15g, quoting and UUID order. */
class DatumParserTest {
    @Test
    void tokens() {
        DatumParser.Cursor c = new DatumParser.Cursor("a\\:b\"c:d\":e");
        assertEquals("a:b\"c:d\"", DatumParser.token(c));
        assertEquals(":e", c.rest());
        assertEquals("x\\y: backslash at end of argument",
                assertThrows(CtlError.class, () -> DatumParser.token(new DatumParser.Cursor("x\\y\\"))).getMessage()
                        .replace("\\y\\", "\\y"));
    }

    @Test
    void numbers() {
        assertEquals(5L, DatumParser.parseLong(" +5"));
        assertNull(DatumParser.parseLong("0x2"));
        assertNull(DatumParser.parseLong("99999999999999999999"));
        assertEquals(1.5, DatumParser.parseDouble("1.5"));
        assertEquals(16.0, DatumParser.parseDouble("0x10"));
        assertNull(DatumParser.parseDouble("1e"));
        assertNull(DatumParser.parseDouble("1.0d"));
        assertNull(DatumParser.parseDouble("1e999"));
    }

    @Test
    void printfG() {
        assertEquals("0", CFormat.g(0.0));
        assertEquals("1.5", CFormat.g(1.5));
        assertEquals("0.1", CFormat.g(0.1));
        assertEquals("100000", CFormat.g(1e5));
        assertEquals("1e+15", CFormat.g(1e15));
        assertEquals("123456789012345", CFormat.g(123456789012345.0));
        assertEquals("1e-05", CFormat.g(0.00001));
        assertEquals("0.0001", CFormat.g(0.0001));
        assertEquals("0.333333333333333", CFormat.g(1.0 / 3));
        assertEquals("-2.5e+20", CFormat.g(-2.5e20));
    }

    @Test
    void stringQuoting() {
        assertEquals("abc", DatumFormat.atom("abc"));
        assertEquals("a-b.c_d", DatumFormat.atom("a-b.c_d"));
        assertEquals("\"1abc\"", DatumFormat.atom("1abc"));
        assertEquals("\"\"", DatumFormat.atom(""));
        assertEquals("\"true\"", DatumFormat.atom("true"));
        assertEquals("\"a b\"", DatumFormat.atom("a b"));
        assertEquals("\"tab\\there\"", DatumFormat.atom("tab\there"));
        String u = "01234567-89ab-cdef-0123-456789abcdef";
        assertEquals("\"" + u + "\"", DatumFormat.atom(u));
    }

    @Test
    void uuidOrderIsUnsigned() {
        UUID low = UUID.fromString("7fffffff-0000-0000-0000-000000000000");
        UUID high = UUID.fromString("80000000-0000-0000-0000-000000000000");
        // Java's compareTo sees 'high' as negative.
        assertEquals(-1, Integer.signum(AtomOrder.INSTANCE.compare(low, high)));
        assertEquals(List.of(low, high), Datum.sortUnique(List.of(high, low), null).keys());
    }
}
