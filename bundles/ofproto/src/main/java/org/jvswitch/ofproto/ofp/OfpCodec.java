package org.jvswitch.ofproto.ofp;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * OpenFlow framing helpers: header fields of a framed message, message building, error and HELLO
 * messages. A framed message is a byte array whose header length field equals its length.
 */
public final class OfpCodec {
    private OfpCodec() {
    }

    public static int version(byte[] m) {
        return m[0] & 0xff;
    }

    public static int type(byte[] m) {
        return m[1] & 0xff;
    }

    public static int length(byte[] m) {
        return u16(m, 2);
    }

    public static int xid(byte[] m) {
        return u32(m, 4);
    }

    public static int u8(byte[] m, int off) {
        return m[off] & 0xff;
    }

    public static int u16(byte[] m, int off) {
        return ((m[off] & 0xff) << 8) | (m[off + 1] & 0xff);
    }

    public static int u32(byte[] m, int off) {
        return ((m[off] & 0xff) << 24) | ((m[off + 1] & 0xff) << 16) | ((m[off + 2] & 0xff) << 8) | (m[off + 3] & 0xff);
    }

    public static long u64(byte[] m, int off) {
        return ((long) u32(m, off) << 32) | (u32(m, off + 4) & 0xffffffffL);
    }

    /** A buffer holding a header for {@code type}; {@link #finish} sets the length. */
    public static ByteBuffer start(int version, int type, int xid, int capacity) {
        ByteBuffer b = ByteBuffer.allocate(Math.max(capacity, Ofp.HEADER_LEN));
        b.put((byte) version).put((byte) type).putShort((short) 0).putInt(xid);
        return b;
    }

    public static byte[] finish(ByteBuffer b) {
        int len = b.position();
        if (len > Ofp.MAX_LEN) {
            throw new IllegalStateException("OpenFlow message of " + len + " bytes");
        }
        b.putShort(2, (short) len);
        return Arrays.copyOf(b.array(), len);
    }

    /** A message with just a header and {@code body}. */
    public static byte[] simple(int version, int type, int xid, byte[] body, int off, int len) {
        ByteBuffer b = start(version, type, xid, Ofp.HEADER_LEN + len);
        b.put(body, off, len);
        return finish(b);
    }

    /**
     * OFPT_ERROR for {@code offending}, carrying it whole (up to {@value Ofp#ERROR_DATA_MAX} bytes) and its
     * xid, in {@code version}.
     */
    public static byte[] error(int version, int type, int code, byte[] offending) {
        int n = Math.min(offending.length, Ofp.ERROR_DATA_MAX);
        int xid = offending.length >= Ofp.HEADER_LEN ? xid(offending) : 0;
        ByteBuffer b = start(version, Ofp.ERROR, xid, Ofp.HEADER_LEN + 4 + n);
        b.putShort((short) type).putShort((short) code).put(offending, 0, n);
        return finish(b);
    }

    /**
     * An Open vSwitch extension error in OpenFlow 1.0 (NXET_VENDOR / NXVC_VENDOR_ERROR with an
     * nx_vendor_error naming Nicira's vendor id, {@code type} and {@code code}), for errors
     * OpenFlow 1.0 has no number for.
     */
    public static byte[] vendorError(int version, int type, int code, byte[] offending) {
        int n = Math.min(offending.length, Ofp.ERROR_DATA_MAX);
        int xid = offending.length >= Ofp.HEADER_LEN ? xid(offending) : 0;
        ByteBuffer b = start(version, Ofp.ERROR, xid, Ofp.HEADER_LEN + 12 + n);
        b.putShort((short) 0xb0c2).putShort((short) 0);
        b.putInt(Ofp.NX_VENDOR_ID).putShort((short) type).putShort((short) code).put(offending, 0, n);
        return finish(b);
    }

    /** An OpenFlow 1.2+ OFPET_EXPERIMENTER error: {@code expCode} of {@code experimenter}. */
    public static byte[] experimenterError(int version, int expCode, int experimenter, byte[] offending) {
        int n = Math.min(offending.length, Ofp.ERROR_DATA_MAX);
        int xid = offending.length >= Ofp.HEADER_LEN ? xid(offending) : 0;
        ByteBuffer b = start(version, Ofp.ERROR, xid, Ofp.HEADER_LEN + 8 + n);
        b.putShort((short) 0xffff).putShort((short) expCode).putInt(experimenter).put(offending, 0, n);
        return finish(b);
    }

    /** OFPT_ERROR HELLO_FAILED with an explanation in ASCII, as Open vSwitch sends it (xid 0). */
    public static byte[] helloFailed(int version, String why) {
        byte[] text = why.getBytes(StandardCharsets.US_ASCII);
        ByteBuffer b = start(version, Ofp.ERROR, 0, Ofp.HEADER_LEN + 4 + text.length);
        b.putShort((short) Ofp.ET_HELLO_FAILED).putShort((short) Ofp.HFC_INCOMPATIBLE).put(text);
        return finish(b);
    }

    /** The switch's HELLO: version 1.5 header with a version bitmap of 1.0, 1.3, 1.4 and 1.5. */
    public static byte[] hello(int xid) {
        ByteBuffer b = start(Ofp.V15, Ofp.HELLO, xid, 16);
        b.putShort((short) 1).putShort((short) 8).putInt(Ofp.SUPPORTED_BITMAP);
        return finish(b);
    }

    /**
     * The versions a peer's HELLO offers, as a bitmap: its version bitmap element if it has one,
     * else every version up to the header's (OpenFlow 1.3.1 section 6.3.1). Never includes bit 0.
     */
    public static int helloVersions(byte[] hello) {
        int off = Ofp.HEADER_LEN;
        while (off + 4 <= hello.length) {
            int type = u16(hello, off);
            int len = u16(hello, off + 2);
            if (len < 4 || off + len > hello.length) {
                break;   // malformed elements: fall back to the header's version, as Open vSwitch does
            }
            if (type == 1 && len >= 8) {
                return u32(hello, off + 4) & ~1;
            }
            off += (len + 7) & ~7;
        }
        int v = version(hello);
        if (v >= 31) {
            return -2;   // every version from 1 up
        }
        return ((1 << (v + 1)) - 1) & ~1;
    }

    /** Open vSwitch's wording of a version set, e.g. "version 0x04" or "versions 0x01, 0x04". */
    public static String describeVersions(int bitmap) {
        if (bitmap == 0) {
            return "no versions";
        }
        if (Integer.bitCount(bitmap) == 1) {
            return "version " + hex(31 - Integer.numberOfLeadingZeros(bitmap));
        }
        int shifted = bitmap >>> 1;
        if (((shifted + 1) & shifted) == 0) {
            return "version " + hex(31 - Integer.numberOfLeadingZeros(bitmap)) + " and earlier";
        }
        StringBuilder s = new StringBuilder("versions ");
        for (int v = 0; v < 32; v++) {
            if ((bitmap & (1 << v)) != 0) {
                if (s.length() > 9) {
                    s.append(", ");
                }
                s.append(hex(v));
            }
        }
        return s.toString();
    }

    private static String hex(int v) {
        return String.format("0x%02x", v);
    }

    /** A NUL-padded fixed-size string field. */
    public static void putString(ByteBuffer b, String s, int size) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        int n = Math.min(bytes.length, size - 1);
        b.put(bytes, 0, n);
        for (int i = n; i < size; i++) {
            b.put((byte) 0);
        }
    }

    public static void putMac(ByteBuffer b, long mac) {
        for (int shift = 40; shift >= 0; shift -= 8) {
            b.put((byte) (mac >>> shift));
        }
    }

    /** duration_sec and duration_nsec since {@code sinceNanos}, in whole milliseconds as Open vSwitch keeps them. */
    static void putDuration(ByteBuffer b, long sinceNanos) {
        long ms = Math.max(0, System.nanoTime() - sinceNanos) / 1_000_000L;
        b.putInt((int) (ms / 1000)).putInt((int) (ms % 1000) * 1_000_000);
    }

    public static void pad(ByteBuffer b, int n) {
        for (int i = 0; i < n; i++) {
            b.put((byte) 0);
        }
    }
}
